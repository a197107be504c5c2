"""Lesson 07, Trolls and trust: who receives hostility, and who feeds it.

The post *Building Circles of Trust* observes that people with an audience get ranted at by people
who do not know them, and that communities built on trust give trolls little to hate. This module
measures both in an interactions table that has an ``is_hostile`` column (the ``community`` dataset):

* :func:`hostile_replies` lists the hostile replies with what happened next: did anyone respond
  (reply, like or share), did the account that was targeted reply or like it;
* :func:`hostility_by_account` gives one row per account: its audience (``in_ties``: how many people
  talk to it), how many hostile replies it received and how many of those it engaged with;
* :func:`audience_share` is the key number: the share of hostile replies aimed at accounts above an
  audience size;
* :func:`targets_figure`, :func:`engagement_figure` and :func:`concentration_figure` draw them;
  :class:`TrollExplorer` (registered for lesson "07") moves the audience threshold.
"""
from __future__ import annotations

from functools import lru_cache

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from trustcircles import metrics, plots
from trustcircles.widgets import Explorer, register

#: One colour per archetype, the same in every lesson (accounts with no archetype in yellow).
ARCHETYPE_COLOURS = {**plots.ARCHETYPE_COLOURS, "unknown": plots.PALETTE["yellow"]}
#: Words for the archetypes in figures.
ARCHETYPE_LABELS = {
    "trust_builder": "trust builders", "transactional": "transactional sellers",
    "broadcaster": "broadcasters (audiences)", "listener": "listeners", "newcomer": "newcomers",
    "troll": "trolls", "unknown": "unknown",
}
RESPONSE_KINDS = ("reply", "like", "share")


def _hostile_mask(table: pd.DataFrame) -> np.ndarray:
    if "is_hostile" not in table.columns:
        return np.zeros(len(table), dtype=bool)
    values = table["is_hostile"]
    if not pd.api.types.is_bool_dtype(values):
        values = values.astype(str).str.strip().str.lower().isin(["true", "1"])
    return values.to_numpy(dtype=bool)


def hostile_replies(table: pd.DataFrame) -> pd.DataFrame:
    """The hostile replies (``is_hostile`` true, kind ``reply``, not to oneself), one row each, with:

    ``responded``: someone other than its writer replied to it, liked it or shared it (the troll got
    the attention it wanted); ``target_replied`` / ``target_liked``: the account it was aimed at
    replied to it / liked it.
    """
    hostile = table.loc[_hostile_mask(table) & (table["kind"] == "reply").to_numpy()
                        & (table["actor"] != table["target"]).to_numpy(),
                        ["event_id", "timestamp", "actor", "target"]].reset_index(drop=True)
    responses = table.loc[table["kind"].isin(RESPONSE_KINDS) & table["parent_id"].isin(hostile["event_id"]),
                          ["parent_id", "actor", "kind"]]
    joined = responses.merge(hostile[["event_id", "actor", "target"]], left_on="parent_id",
                             right_on="event_id", suffixes=("", "_hostile"))
    by_other = joined[joined["actor"] != joined["actor_hostile"]]
    by_target = by_other[by_other["actor"] == by_other["target"]]
    hostile["responded"] = hostile["event_id"].isin(by_other["parent_id"])
    hostile["target_replied"] = hostile["event_id"].isin(by_target.loc[by_target["kind"] == "reply", "parent_id"])
    hostile["target_liked"] = hostile["event_id"].isin(by_target.loc[by_target["kind"] == "like", "parent_id"])
    return hostile


def hostility_by_account(table: pd.DataFrame, accounts: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per account: ``archetype`` (if ``accounts`` is given), ``in_ties`` (people who talk
    to it: its audience), ``mutuals``, ``hostile_received`` (hostile replies aimed at it),
    ``hostile_responded`` (of those, how many got a reply, like or share from anyone) and
    ``wrote_hostile`` (hostile messages it wrote)."""
    ins = metrics.in_ties(table)
    frame = pd.DataFrame({"in_ties": ins, "mutuals": metrics.mutuals(table).reindex(ins.index)})
    hostile = hostile_replies(table)
    frame["hostile_received"] = hostile.groupby("target").size().reindex(frame.index, fill_value=0)
    frame["hostile_responded"] = (hostile[hostile["responded"]].groupby("target").size()
                                  .reindex(frame.index, fill_value=0))
    written = table.loc[_hostile_mask(table), "actor"].value_counts()
    frame["wrote_hostile"] = written.reindex(frame.index, fill_value=0)
    if accounts is not None:
        kinds = accounts.set_index("account")["archetype"]
        frame["archetype"] = kinds.reindex(frame.index).fillna("unknown").astype(str)
    frame.index.name = "account"
    return frame


def audience_share(per_account: pd.DataFrame, min_in_ties: float) -> dict:
    """Accounts with more than ``min_in_ties`` people talking to them: how many they are, and the
    share of all hostile replies they received (missing if there were none)."""
    big = per_account["in_ties"] > min_in_ties
    total = per_account["hostile_received"].sum()
    return {"accounts": int(big.sum()), "account_share": float(big.mean()) if len(big) else float("nan"),
            "hostile": int(per_account.loc[big, "hostile_received"].sum()),
            "hostile_share": float(per_account.loc[big, "hostile_received"].sum() / total) if total else float("nan")}


def top_tenth_share(table: pd.DataFrame) -> float:
    """The share of hostile replies aimed at the top tenth of accounts by audience: accounts whose
    ``in_ties`` is at least the 90th percentile (``quantile(0.9)``) of all accounts' in_ties.
    Missing if the table has no hostile replies."""
    ins = metrics.in_ties(table)
    hostile = hostile_replies(table)
    if len(hostile) == 0:
        return float("nan")
    top = ins.index[ins >= ins.quantile(0.9)]
    return float(hostile["target"].isin(top).mean())


def responded_share(table: pd.DataFrame) -> float:
    """The share of hostile replies that got any response (reply, like or share) from someone other
    than their writer. Missing if the table has no hostile replies."""
    hostile = hostile_replies(table)
    return float(hostile["responded"].mean()) if len(hostile) else float("nan")


def key_numbers(table: pd.DataFrame, accounts: pd.DataFrame) -> str:
    """The lesson's headline numbers, in a few plain sentences."""
    per = hostility_by_account(table, accounts)
    hostile = hostile_replies(table)
    writers = int((per["wrote_hostile"] > 0).sum())
    written = int(per["wrote_hostile"].sum())
    targets = int((per["hostile_received"] > 0).sum())
    return (f"{writers} of {len(per)} accounts ({writers / len(per):.1%}) wrote all {written} hostile "
            f"messages; {len(hostile)} of them were replies aimed at someone, and they reached only "
            f"{targets} accounts.\n"
            f"The top tenth of accounts by audience received {top_tenth_share(table):.0%} of the hostile "
            f"replies.\n"
            f"{hostile['responded'].mean():.1%} of hostile replies got any response (reply, like or share); "
            f"the targets replied to {hostile['target_replied'].mean():.1%} of them and liked "
            f"{hostile['target_liked'].mean():.1%}.")


def targets_figure(per_account: pd.DataFrame) -> go.Figure:
    """Each account as a dot: audience (in_ties, log scale) against hostile replies received.
    Accounts that received none sit on the bottom line marked 0."""
    fig = go.Figure()
    for kind in ARCHETYPE_COLOURS:
        kinds = per_account["archetype"] if "archetype" in per_account else pd.Series("unknown", per_account.index)
        part = per_account[kinds == kind]
        if len(part) == 0:
            continue
        y = part["hostile_received"].where(part["hostile_received"] > 0, 0.5)
        fig.add_trace(go.Scatter(
            x=part["in_ties"].clip(lower=0.8), y=y, mode="markers", name=ARCHETYPE_LABELS[kind],
            marker={"color": ARCHETYPE_COLOURS[kind], "size": 8, "opacity": 0.75,
                    "line": {"width": 0.5, "color": "white"}},
            customdata=np.c_[part.index.to_numpy(dtype=object), part["in_ties"], part["hostile_received"]],
            hovertemplate=("account %{customdata[0]} (" + ARCHETYPE_LABELS[kind] + ")<br>"
                           "%{customdata[1]} people talk to it<br>"
                           "%{customdata[2]} hostile replies received<extra></extra>")))
    plots.style(fig, "Who receives hostile replies?", "people talking to the account (in_ties, log scale)",
                "hostile replies received (count, log scale)")
    fig.update_xaxes(type="log")
    fig.update_yaxes(type="log", tickvals=[0.5, 1, 3, 10, 30, 100, 300],
                     ticktext=["0", "1", "3", "10", "30", "100", "300"])
    fig.update_layout(height=460)
    return fig


def engagement_by_archetype(table: pd.DataFrame, accounts: pd.DataFrame) -> pd.DataFrame:
    """For each archetype of the targeted account: hostile replies received, and the share that got
    a response from anyone, a reply from the target, a like from the target."""
    hostile = hostile_replies(table)
    kinds = accounts.set_index("account")["archetype"]
    hostile["archetype"] = kinds.reindex(hostile["target"]).fillna("unknown").to_numpy()
    return (hostile.groupby("archetype")
            .agg(received=("event_id", "size"), responded=("responded", "mean"),
                 target_replied=("target_replied", "mean"), target_liked=("target_liked", "mean"))
            .sort_values("received", ascending=False))


def engagement_figure(by_archetype: pd.DataFrame) -> go.Figure:
    """Grouped bars: for hostile replies aimed at each kind of account, the share that got any
    response, a reply from the target, a like from the target."""
    labels = [ARCHETYPE_LABELS.get(k, k) for k in by_archetype.index]
    fig = go.Figure()
    series = (("responded", "any response (reply, like or share)", plots.TRANSACTIONAL),
              ("target_liked", "liked by the account targeted", plots.PALETTE["orange"]),
              ("target_replied", "answered by the account targeted", plots.PALETTE["blue"]))
    for column, name, colour in series:
        fig.add_trace(go.Bar(
            x=labels, y=by_archetype[column], name=name, marker_color=colour,
            customdata=by_archetype["received"],
            hovertemplate=("hostile replies aimed at %{x}: %{customdata}<br>" + name +
                           ": %{y:.1%}<extra></extra>")))
    plots.style(fig, "Do trolls get the attention they want?", "account the hostile reply was aimed at",
                "share of hostile replies (0-1)")
    fig.update_layout(barmode="group", height=430)
    fig.update_yaxes(tickformat=".0%")
    return fig


def concentration_figure(per_account: pd.DataFrame) -> go.Figure:
    """Accounts ordered from the largest audience down: the cumulative share of all hostile
    replies they received, against the share of accounts (a concentration curve)."""
    ordered = per_account.sort_values(["in_ties", "hostile_received"], ascending=False)
    total = max(int(ordered["hostile_received"].sum()), 1)
    x = np.arange(1, len(ordered) + 1) / len(ordered)
    y = ordered["hostile_received"].cumsum().to_numpy() / total
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="if hostility hit everyone alike",
                             line={"color": plots.NEUTRAL, "dash": "dash"}, hoverinfo="skip"))
    fig.add_trace(go.Scatter(
        x=np.r_[0, x], y=np.r_[0, y], mode="lines", name="what happened", line={"color": plots.TRANSACTIONAL, "width": 3},
        customdata=np.r_[0, ordered["in_ties"].to_numpy()],
        hovertemplate=("the %{x:.0%} of accounts with the biggest audiences<br>received %{y:.0%} "
                       "of hostile replies<br>(smallest audience among them: %{customdata} people)"
                       "<extra></extra>")))
    plots.style(fig, "Hostility is aimed at the biggest audiences",
                "share of accounts, biggest audience first (0-1)", "share of hostile replies received (0-1)")
    fig.update_xaxes(tickformat=".0%")
    fig.update_yaxes(tickformat=".0%")
    fig.update_layout(height=430)
    return fig


# --------------------------------------------------------------------------- the explorer

@lru_cache(maxsize=2)
def _community_per_account(name: str) -> pd.DataFrame:
    from trustcircles.data import load_accounts, load_interactions
    return hostility_by_account(load_interactions(name), load_accounts(name))


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
        plots.style(figure, "Who gets the hostility, by audience size",
                    "accounts (more people talking to them than the threshold, or not)",
                    "share of all (0-1)")
        figure.update_layout(barmode="group", height=380)
        figure.update_yaxes(tickformat=".0%", range=[0, 1])
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
                f"<b>{int(big.sum())}</b> of {n} ({big.mean():.1%} of accounts) and received "
                f"<b>{shares[1][0]:.0%}</b> of the hostile replies "
                f"({int(self.received[big].sum())} of {int(total_h)}); "
                f"{shares[2][0]:.0%} of the responses trolls got came on those replies.")


@register("07")
def troll_explorer(name: str = "community") -> TrollExplorer:
    """The lesson's explorer on a shipped dataset (default: community)."""
    return TrollExplorer(_community_per_account(name))
