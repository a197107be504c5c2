"""Lesson 07, Trolls and trust: who receives hostility, and who feeds it.

The post *Building Circles of Trust* observes that people with an audience get ranted at by people
who do not know them, and that communities built on trust give trolls little to hate. This module
measures both in an interactions table that has an ``is_hostile`` column (the ``community`` dataset):

The numbers are in :mod:`trustcircles.topics.trolls` (hostile replies, each account's audience and
the hostility it received; imported here too, so the lesson uses one module); this module draws them:

* :func:`targets_figure`, :func:`engagement_figure` and :func:`concentration_figure` draw them;
  :class:`TrollExplorer` (registered for lesson "07") moves the audience threshold.
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from trustcircles import plots
from trustcircles.topics.archetypes import GROUP_NAMES
from trustcircles.topics.trolls import community_per_account
from trustcircles.widgets import Explorer, register
# The lesson's numbers and words, importable from here too (a lesson imports one module per topic).
from trustcircles.topics.trolls import (engagement_by_archetype, hostility_by_account,  # noqa: F401
                                        key_numbers)

#: One colour per archetype, the same in every lesson (accounts with no archetype in yellow).
ARCHETYPE_COLOURS = {**plots.ARCHETYPE_COLOURS, "unknown": plots.PALETTE["yellow"]}


def targets_figure(per_account: pd.DataFrame) -> go.Figure:
    """Each account as a dot: audience (in_ties, log scale) against hostile replies received.
    Accounts that received none sit on the bottom line marked 0."""
    fig = plots.Figure()
    for kind in ARCHETYPE_COLOURS:
        kinds = per_account["archetype"] if "archetype" in per_account else pd.Series("unknown", per_account.index)
        part = per_account[kinds == kind]
        if len(part) == 0:
            continue
        y = part["hostile_received"].where(part["hostile_received"] > 0, 0.5)
        fig.add_trace(go.Scatter(
            x=part["in_ties"].clip(lower=0.8), y=y, mode="markers", name=GROUP_NAMES[kind],
            marker={"color": ARCHETYPE_COLOURS[kind], "size": 8, "opacity": 0.75,
                    "line": {"width": 0.5, "color": "white"}},
            customdata=np.c_[part.index.to_numpy(dtype=object), part["in_ties"], part["hostile_received"]],
            hovertemplate=("account %{customdata[0]} (" + GROUP_NAMES[kind] + ")<br>"
                           "%{customdata[1]} people talk to it<br>"
                           "%{customdata[2]} hostile replies received<extra></extra>")))
    # Log axes take their ranges in log10 units (zeros are drawn at 0.5, labelled "0").
    fig.update_xaxes(type="log", range=plots.log_range(per_account["in_ties"].clip(lower=0.8)))
    fig.update_yaxes(type="log", range=plots.log_range(
                         per_account["hostile_received"].where(per_account["hostile_received"] > 0, 0.5)),
                     tickvals=[0.5, 1, 3, 10, 30, 100, 300],
                     ticktext=["0", "1", "3", "10", "30", "100", "300"])
    return plots.style(fig, "Who receives hostile replies?",
                       "people talking to the account (in-ties, log scale)",
                       "hostile replies received (count, log scale)", height=480)


def engagement_figure(by_archetype: pd.DataFrame) -> go.Figure:
    """Grouped bars: for hostile replies aimed at each kind of account, the share that got any
    response, a reply from the target, a like from the target."""
    labels = [GROUP_NAMES.get(k, k) for k in by_archetype.index]
    fig = plots.Figure()
    series = (("responded", "any response (reply, like or share)", plots.TRANSACTIONAL),
              ("target_liked", "liked by the account targeted", plots.PALETTE["orange"]),
              ("target_replied", "answered by the account targeted", plots.PALETTE["blue"]))
    for column, name, colour in series:
        fig.add_trace(go.Bar(
            x=labels, y=by_archetype[column], name=name, marker_color=colour,
            customdata=by_archetype["received"],
            hovertemplate=("hostile replies aimed at %{x}: %{customdata}<br>" + name +
                           ": %{y:.1%}<extra></extra>")))
    fig.update_layout(barmode="group")
    fig.update_yaxes(tickformat=".0%")
    return plots.style(fig, "Do trolls get the attention they want?",
                       "account the hostile reply was aimed at", "share of hostile replies (%)",
                       height=450)


def concentration_figure(per_account: pd.DataFrame) -> go.Figure:
    """Accounts ordered from the largest audience down: the cumulative share of all hostile
    replies they received, against the share of accounts (a concentration curve)."""
    ordered = per_account.sort_values(["in_ties", "hostile_received"], ascending=False)
    total = max(int(ordered["hostile_received"].sum()), 1)
    x = np.arange(1, len(ordered) + 1) / len(ordered)
    y = ordered["hostile_received"].cumsum().to_numpy() / total
    fig = plots.Figure()
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="if hostility hit everyone alike",
                             line={"color": plots.NEUTRAL, "dash": "dash"}, hoverinfo="skip"))
    fig.add_trace(go.Scatter(
        x=np.r_[0, x], y=np.r_[0, y], mode="lines", name="what happened", line={"color": plots.TRANSACTIONAL, "width": 3},
        customdata=np.r_[0, ordered["in_ties"].to_numpy()],
        hovertemplate=("the %{x:.0%} of accounts with the biggest audiences<br>received %{y:.0%} "
                       "of hostile replies<br>(smallest audience among them: %{customdata} people)"
                       "<extra></extra>")))
    fig.update_xaxes(tickformat=".0%")
    fig.update_yaxes(tickformat=".0%")
    return plots.style(fig, "Hostility is aimed at the biggest audiences",
                       "share of accounts, biggest audience first (%)",
                       "share of hostile replies received (%)", height=450)


# --------------------------------------------------------------------------- the explorer


class TrollExplorer(Explorer):
    """A slider for the audience size: accounts with more than that many people talking to them,
    their share of all accounts, and their share of the hostile replies (and of the responses
    the trolls got)."""

    def __init__(self, per_account: pd.DataFrame):
        self.per = per_account
        self.in_ties = per_account["in_ties"].to_numpy()
        self.received = per_account["hostile_received"].to_numpy()
        self.responded = per_account["hostile_responded"].to_numpy()
        top = int(self.in_ties.max()) if len(self.in_ties) else 0
        slider = widgets.IntSlider(value=min(100, top), min=0, max=max(top, 1), step=5,
                                   description="audience >", continuous_update=False,
                                   style={"description_width": "initial"},
                                   layout=widgets.Layout(width="420px"))
        figure = go.FigureWidget()
        names = ("share of accounts", "share of hostile replies received", "share of responses trolls got")
        colours = (plots.NEUTRAL, plots.TRANSACTIONAL, plots.PALETTE["orange"])
        for name, colour in zip(names, colours):
            figure.add_trace(go.Bar(x=["bigger audience", "the rest"], y=[0, 0], name=name,
                                    marker_color=colour,
                                    hovertemplate=name + " (%{x}): %{y:.1%}<extra></extra>"))
        figure.update_layout(barmode="group")
        figure.update_yaxes(tickformat=".0%", range=[0, 1])
        plots.style(figure, "Who gets the hostility, by audience size",
                    "accounts (more people talking to them than the threshold, or not)",
                    "share of all (%)", height=400)
        super().__init__({"threshold": slider}, figure,
                         caption="Move the slider: how big must an audience be to draw most of the hostility?")

    def update(self) -> str:
        threshold = self.controls["threshold"].value
        big = self.in_ties > threshold
        n = len(big)
        total_h, total_r = self.received.sum(), self.responded.sum()
        shares = [
            (big.mean(), 1 - big.mean()) if n else (0, 0),
            (self.received[big].sum() / total_h, self.received[~big].sum() / total_h) if total_h else (0, 0),
            (self.responded[big].sum() / total_r, self.responded[~big].sum() / total_r) if total_r else (0, 0)]
        self.figure.layout.xaxis.title.text = (f"accounts: more than {threshold} people talking to them, "
                                               f"or not")
        for trace, values in zip(self.figure.data, shares):
            trace.y = list(values)
        if total_h == 0:
            return "This table has no hostile replies."
        return (f"Accounts with more than <b>{threshold}</b> people talking to them are "
                f"<b>{int(big.sum()):,}</b> of {n} ({big.mean():.1%} of accounts) and received "
                f"<b>{shares[1][0]:.0%}</b> of the hostile replies "
                f"({int(self.received[big].sum()):,} of {int(total_h):,}); "
                f"{shares[2][0]:.0%} of the responses trolls got came on those replies.")


@register("07")
def troll_explorer(name: str = "community") -> TrollExplorer:
    """The lesson's explorer on a shipped dataset (default: community)."""
    return TrollExplorer(community_per_account(name))
