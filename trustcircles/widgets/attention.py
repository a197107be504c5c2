"""Lesson 01, Transactional or trust-building?: attention that lasts, and attention that drops away.

* :func:`per_account` gives the report's per-account metrics with each account's archetype;
* :func:`by_archetype_figure` draws one metric per archetype (a box with every account as a dot),
  transactional and trust-building side by side; :func:`contrast_sentence` says the two medians;
* :func:`tie_survival` and :func:`survival_figure`: of the ties an archetype opens, the share still
  being written to k weeks after the first message;
* :class:`AttentionExplorer` (registered for lesson "01"): pick an account and see, week by week, how
  much it wrote to each of its contacts and when they wrote back.

All numbers come from :mod:`trustcircles.metrics` (ties, median_tie_days, reciprocity), so they agree
with the report and the exercises.
"""
from __future__ import annotations

from functools import lru_cache

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from trustcircles import metrics, plots
from trustcircles.data import CONVERSATIONAL_KINDS
from trustcircles.widgets import Explorer, register
from trustcircles.widgets.welcome import ARCHETYPE_COLOURS, ARCHETYPES, PLURALS, community, label

#: Archetypes in the order the figures show them: the contrast first, the others after.
ORDER = ("transactional", "trust_builder", "broadcaster", "listener", "newcomer", "troll")

#: A contact whose every message from an account fell within this many days of the first one
#: "never heard from it again" after that (three weeks).
DROPPED_AFTER_DAYS = 21


def per_account(table: pd.DataFrame, accounts: pd.DataFrame) -> pd.DataFrame:
    """The tie metrics of the report (METRICS.md) for each account: out_ties, mutuals, reciprocity,
    median_tie_days, opened_by_listening, plus each account's archetype."""
    frame = pd.concat([metrics.out_ties(table), metrics.mutuals(table),
                       metrics.reciprocity_by_account(table), metrics.median_tie_days(table),
                       metrics.opened_by_listening(table)], axis=1)
    frame["archetype"] = accounts.set_index("account")["archetype"].reindex(frame.index)
    frame.index.name = "account"
    return frame


def with_archetype(ties: pd.DataFrame, accounts: pd.DataFrame) -> pd.DataFrame:
    """The ties table with the archetype of the account that speaks (``archetype``) and whether the
    contact ever talked back (``talked_back``: the tie target→actor exists too)."""
    who = accounts.set_index("account")["archetype"]
    out = ties.copy()
    out["archetype"] = who.reindex(out["actor"]).to_numpy()
    pairs = pd.MultiIndex.from_arrays([out["actor"], out["target"]])
    reverse = pd.MultiIndex.from_arrays([out["target"], out["actor"]])
    out["talked_back"] = reverse.isin(pairs)
    return out


def by_archetype_figure(frame: pd.DataFrame, column: str, title: str, y_title: str,
                        value_format: str = ".2f", order=ORDER) -> go.Figure:
    """One box per archetype with every account as a dot (hover: the account and its value)."""
    fig = go.Figure()
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


def contrast_sentence(frame: pd.DataFrame, column: str, words: str, unit: str = "",
                      value_format: str = ".2f") -> str:
    """One sentence with the medians of ``column`` for transactional accounts and trust builders."""
    medians = frame.groupby("archetype")[column].median()
    counts = frame.dropna(subset=[column]).groupby("archetype").size()
    parts = [f"{PLURALS[a]} ({counts.get(a, 0)} accounts): {medians.get(a, float('nan')):{value_format}}{unit}"
             for a in ("transactional", "trust_builder")]
    return f"Median {words}: " + "; ".join(parts) + "."


def tie_survival(ties: pd.DataFrame, weeks: int = 26, order=ORDER) -> pd.DataFrame:
    """For each archetype (columns), the share of its ties (0-1) whose last message came at least
    k weeks after the first (rows k = 0, 1, ..., weeks): how long the attention lasts."""
    k = np.arange(weeks + 1)
    result = {}
    for archetype in order:
        days = np.sort(ties.loc[ties["archetype"] == archetype, "lifetime_days"].to_numpy())
        if len(days):
            result[archetype] = 1 - np.searchsorted(days, 7 * k, side="left") / len(days)
    frame = pd.DataFrame(result, index=pd.Index(k, name="weeks"))
    return frame


def survival_figure(ties: pd.DataFrame, weeks: int = 26) -> go.Figure:
    """Lines: the share of each archetype's ties still written to k weeks after the first message."""
    survival = tie_survival(ties, weeks)
    counts = ties["archetype"].value_counts()
    fig = go.Figure()
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


def examples(frame: pd.DataFrame, per_archetype: int = 2, order=ORDER) -> list[str]:
    """A few clear, typical accounts of each archetype: those with many contacts, near the 75th
    percentile of their archetype's out_ties (enough contacts to see a pattern, not the extreme)."""
    chosen = []
    for archetype in order:
        members = frame[(frame["archetype"] == archetype) & (frame["out_ties"] > 0)]
        if members.empty:
            continue
        target = members["out_ties"].quantile(0.75)
        distance = (members["out_ties"] - target).abs()
        ranked = pd.DataFrame({"d": distance, "a": members.index}).sort_values(["d", "a"])
        chosen.extend(ranked["a"].head(per_archetype))
    return chosen


class AttentionExplorer(Explorer):
    """Pick an account: how much it wrote to each contact, week by week, and who wrote back."""

    def __init__(self, table: pd.DataFrame | None = None, accounts: pd.DataFrame | None = None):
        if table is None or accounts is None:
            table, accounts = community()
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
        figure.update_layout(height=460, showlegend=True)
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
        n = len(ties)
        dropped = int((ties["lifetime_days"] <= DROPPED_AFTER_DAYS).sum())
        talked = int(ties["talked_back"].sum())
        median = float(np.median(ties["lifetime_days"]))
        return (f"This account ({label(archetype)}) wrote to <b>{n}</b> people. "
                f"<b>{dropped}</b> of them heard nothing more from it once "
                f"{DROPPED_AFTER_DAYS // 7} weeks had passed since its first message to them; "
                f"<b>{talked}</b> talked back "
                f"(wrote to it at least once). Its median tie lasted {median:.1f} days "
                f"(from the first to the last message to a contact).")


@register("01")
def attention_explorer() -> AttentionExplorer:
    """The lesson 01 explorer on the community dataset."""
    return AttentionExplorer()
