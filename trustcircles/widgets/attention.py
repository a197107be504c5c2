"""Lesson 01, Transactional or trust-building?: attention that lasts, and attention that drops away.

The numbers are in :mod:`trustcircles.topics.attention` (imported here too, so the lesson uses one
module); this module draws them:

* :func:`by_archetype_figure` draws one metric per archetype (a box with every account as a dot),
  transactional and trust-building side by side;
* :func:`survival_figure`: of the ties an archetype opens, the share still being written to k weeks
  after the first message;
* :class:`AttentionExplorer` (registered for lesson "01"): pick an account and see, week by week, how
  much it wrote to each of its contacts and when they wrote back.

All numbers come from :mod:`trustcircles.metrics` (ties, median_tie_days, reciprocity), so they agree
with the report and the exercises.
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from trustcircles import metrics, plots
from trustcircles.data import CONVERSATIONAL_KINDS
from trustcircles.topics import community
from trustcircles.topics.archetypes import CONTRAST_ORDER, label
from trustcircles.topics.attention import (DROPPED_AFTER_DAYS, contact_summary, examples, per_account,
                                          tie_survival, with_archetype)
from trustcircles.widgets import Explorer, register
# The lesson's numbers and words, importable from here too (a lesson imports one module per topic).
from trustcircles.topics.attention import contrast_sentence  # noqa: F401

#: One colour per archetype, the same in every lesson.
ARCHETYPE_COLOURS = plots.ARCHETYPE_COLOURS


def by_archetype_figure(frame: pd.DataFrame, column: str, title: str, y_title: str,
                        value_format: str = ".2f", order=CONTRAST_ORDER) -> go.Figure:
    """One box per archetype with every account as a dot (hover: the account and its value)."""
    fig = plots.Figure()
    for archetype in order:
        values = frame.loc[frame["archetype"] == archetype, column].dropna()
        if values.empty:
            continue
        fig.add_trace(go.Box(
            y=values.to_numpy(), x=[label(archetype)] * len(values), name=label(archetype),
            text=values.index.to_numpy(), boxpoints="all", jitter=0.4, pointpos=0,
            marker={"size": 5, "opacity": 0.6}, line={"width": 1.5},
            marker_color=ARCHETYPE_COLOURS[archetype],
            hovertemplate=(f"%{{text}} ({label(archetype)})<br>{y_title}: %{{y:{value_format}}}"
                           "<extra></extra>")))
    fig.update_layout(showlegend=False)
    return plots.style(fig, title, "archetype (the simulated behaviour)", y_title)


def survival_figure(ties: pd.DataFrame, weeks: int = 26) -> go.Figure:
    """Lines: the share of each archetype's ties still written to k weeks after the first message."""
    survival = tie_survival(ties, weeks)
    counts = ties["archetype"].value_counts()
    fig = plots.Figure()
    for archetype in survival.columns:
        main = archetype in ("transactional", "trust_builder")
        fig.add_trace(go.Scatter(
            x=survival.index, y=survival[archetype], name=label(archetype), mode="lines",
            line={"color": ARCHETYPE_COLOURS[archetype], "width": 4 if main else 1.5,
                  "dash": "solid" if main else "dot"},
            hovertemplate=(f"{label(archetype)}: %{{y:.0%}} of {counts.get(archetype, 0):,} ties still "
                           "written to %{x} weeks after the first message<extra></extra>")))
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02])
    return plots.style(fig, "How long attention lasts: ties still written to after k weeks",
                       "weeks since the first message to a contact",
                       "share of the archetype's ties (%)")


class AttentionExplorer(Explorer):
    """Pick an account: how much it wrote to each contact, week by week, and who wrote back."""

    def __init__(self, table: pd.DataFrame | None = None, accounts: pd.DataFrame | None = None):
        if table is None or accounts is None:
            table, accounts = community(text=False)
        self.frame = per_account(table, accounts)
        self.ties = with_archetype(metrics.ties(table), accounts)
        talk = table[table["kind"].isin(CONVERSATIONAL_KINDS).to_numpy()
                     & (table["actor"] != table["target"]).to_numpy()]
        start = table["timestamp"].min()
        self.weeks = int((table["timestamp"].max() - start) // pd.Timedelta(days=7)) + 1
        week = ((talk["timestamp"] - start) // pd.Timedelta(days=7)).to_numpy() + 1
        counts = pd.DataFrame({"actor": talk["actor"].to_numpy(), "target": talk["target"].to_numpy(),
                               "week": week}).value_counts().rename("events").reset_index()
        # Row positions per account, found once, so that a callback only slices.
        self.counts = counts
        self.said = counts.groupby("actor", sort=False).indices
        self.heard = counts.groupby("target", sort=False).indices
        self.ties = self.ties.sort_values(["actor", "first_time", "target"], ignore_index=True)
        self.ties_of = self.ties.groupby("actor", sort=False).indices
        picks = examples(self.frame)
        rest = sorted(a for a in self.frame.index[self.frame["out_ties"] > 0] if a not in picks)
        options = [(f"{label(self.frame.at[a, 'archetype'])} · {a}", a) for a in picks + rest]
        picker = widgets.Dropdown(options=options, value=options[0][1], description="account",
                                  layout=widgets.Layout(width="24em"))
        figure = go.FigureWidget([
            go.Heatmap(z=[[0]], x=[1], y=["-"], colorscale=[[0, "#FFFFFF"], [0.001, "#CDE6F5"],
                                                            [1, plots.PALETTE["blue"]]],
                       zmin=0, colorbar={"title": "messages<br>per week"}, xgap=1, ygap=1,
                       hovertemplate="%{y}<br>week %{x}: %{z} messages from the account<extra></extra>"),
            go.Scatter(x=[], y=[], mode="markers", name="the contact wrote back that week",
                       marker={"symbol": "circle-open", "size": 9, "line": {"width": 2},
                               "color": plots.TRUST},
                       hovertemplate="%{y}<br>week %{x}: wrote back %{text} times<extra></extra>")])
        plots.style(figure, "Attention, week by week: one row per contact",
                    "week of the dataset (1 = first week)",
                    "contacts, in order of the first message (one row each)")
        figure.update_yaxes(showticklabels=False, autorange="reversed")
        figure.update_xaxes(range=[0.5, self.weeks + 0.5])
        figure.update_layout(showlegend=True)
        plots.fit(figure.update_layout(height=460))
        super().__init__({"account": picker}, figure)

    def update(self) -> str:
        account = self.controls["account"].value
        archetype = self.frame.at[account, "archetype"]
        if account not in self.ties_of:
            self.figure.data[0].update(z=[[0]], x=[1], y=["-"])
            self.figure.data[1].update(x=[], y=[], text=[])
            return f"This account ({label(archetype)}) wrote to nobody in conversation."
        ties = self.ties.iloc[self.ties_of[account]]
        rows = {t: f"contact {i + 1} ({t})" for i, t in enumerate(ties["target"])}
        said = self.counts.iloc[self.said[account]]
        z = np.zeros((len(rows), self.weeks), dtype=np.int64)
        position = pd.Series(np.arange(len(rows)), index=list(rows))
        z[position.reindex(said["target"]).to_numpy(), said["week"].to_numpy() - 1] = said["events"].to_numpy()
        # what the contacts wrote to this account: events whose actor is a contact and target the account
        heard = self.counts.iloc[self.heard.get(account, np.zeros(0, dtype=np.int64))]
        back = heard[heard["actor"].isin(list(rows))]
        self.figure.data[0].update(z=z, x=np.arange(1, self.weeks + 1), y=list(rows.values()))
        self.figure.data[1].update(x=back["week"].to_numpy(), y=[rows[a] for a in back["actor"]],
                                   text=back["events"].to_numpy())
        said = contact_summary(ties)
        return (f"This account ({label(archetype)}) wrote to <b>{said['contacts']}</b> people. "
                f"<b>{said['dropped']}</b> of them heard nothing more from it once "
                f"{DROPPED_AFTER_DAYS // 7} weeks had passed since its first message to them; "
                f"<b>{said['talked_back']}</b> talked back "
                f"(wrote to it at least once). Its median tie lasted {said['median_days']:.1f} days "
                f"(from the first to the last message to a contact).")


@register("01")
def attention_explorer() -> AttentionExplorer:
    """The lesson 01 explorer on the community dataset."""
    return AttentionExplorer()
