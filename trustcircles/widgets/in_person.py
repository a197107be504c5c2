"""Lesson 09, Online and in person: do ties whose people also meet face to face last longer?

Two datasets describe the same simulated people: ``community`` (what they write to each other online)
and ``meetups`` (who went to which evening meetup). Two accounts who attended the same meetup at least
once "also meet in person"; every other pair is "online only".

* :func:`met_pairs`: one row per pair of accounts who attended at least one meetup together, with how
  many meetups they shared and the day of the first;
* :func:`ties_with_meetings`: the course's ties (:func:`trustcircles.metrics.ties`), each marked with
  how often its two people met, whether the other talked back, their contact rate and the speaker's
  archetype;
* :func:`compare`: the met ties and the online-only ties side by side (median lifetime, share
  returned, median contact rate); :func:`comparison_sentence` says it in words;
* figures: :func:`lifetime_figure` (how long ties last, medians marked), :func:`returned_figure`
  (share of ties returned, per archetype) and :func:`timing_figure` (did the online talk start before
  or after the first meeting?);
* :class:`InPersonExplorer` (registered for lesson "09"): choose "met at least N times" and an
  archetype, and see the two groups' lifetimes compared.

A difference between the groups is an association, not proof that meeting causes it: people who
already get on may go to the same meetups, and some archetypes go far more often than others.
"""
from __future__ import annotations

from functools import lru_cache

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from trustcircles import metrics, plots
from trustcircles.data import load_table
from trustcircles.widgets import Explorer, register
from trustcircles.widgets.welcome import ARCHETYPE_COLOURS, PLURALS, community, label

#: Archetypes in the order the figures show them.
ORDER = ("trust_builder", "transactional", "listener", "broadcaster", "newcomer", "troll")
#: Colours of the two groups: met in person (trust colour) and online only (neutral).
MET_COLOUR = plots.TRUST
ONLINE_COLOUR = plots.PALETTE["blue"]
#: Groups smaller than this are flagged as "few ties: read with care" in readings.
FEW = 30


@lru_cache(maxsize=1)
def attendance() -> pd.DataFrame:
    """The meetups attendance table (account, event, date), loaded once per session."""
    return load_table("meetups", "attendance.csv")


def met_pairs(attendance: pd.DataFrame) -> pd.DataFrame:
    """Every pair of accounts who attended at least one meetup together.

    One row per unordered pair (``a`` < ``b`` as text), sorted, with ``meetings`` (how many different
    meetups both attended) and ``first_met`` (the day of the first of them, UTC midnight). An account
    listed twice for one meetup counts once; an account never pairs with itself.
    """
    seen = attendance[["account", "event", "date"]].drop_duplicates(["account", "event"])
    seen = seen.astype({"account": "str", "event": "str"})
    both = seen.merge(seen, on="event", suffixes=("_a", "_b"))
    both = both[(both["account_a"] < both["account_b"]).to_numpy()]
    pairs = (both.assign(day=pd.to_datetime(both["date_a"], utc=True))
             .groupby(["account_a", "account_b"], sort=True)
             .agg(meetings=("event", "nunique"), first_met=("day", "min")).reset_index()
             .rename(columns={"account_a": "a", "account_b": "b"}))
    pairs["meetings"] = pairs["meetings"].astype(np.int64)
    return pairs


def _pair_key(x, y) -> pd.MultiIndex:
    x = np.asarray(x, dtype=object)
    y = np.asarray(y, dtype=object)
    low = np.where(x < y, x, y)
    high = np.where(x < y, y, x)
    return pd.MultiIndex.from_arrays([low, high])


def ties_with_meetings(table: pd.DataFrame, attendance: pd.DataFrame,
                       accounts: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ties of the table (METRICS.md), each with what its two people did offline.

    Columns of :func:`trustcircles.metrics.ties` (actor, target, events, first_time, last_time,
    lifetime_days, first_kind) plus: ``meetings`` (meetups both attended, 0 = online only), ``met``
    (at least one), ``first_met`` (day of the first shared meetup), ``days_after_meeting`` (days from
    that day to the tie's first message; negative = they talked online before they met),
    ``talked_back`` (the tie target→actor exists too), ``contact_rate`` (conversational events
    between the two per month, METRICS.md) and ``archetype`` (the actor's, if accounts are given).
    """
    ties = metrics.ties(table).copy()
    key = _pair_key(ties["actor"], ties["target"])
    pairs = met_pairs(attendance).set_index(["a", "b"])
    ties["meetings"] = pairs["meetings"].reindex(key).fillna(0).astype(np.int64).to_numpy()
    ties["met"] = ties["meetings"].to_numpy() > 0
    ties["first_met"] = pd.to_datetime(pd.Series(pairs["first_met"].reindex(key).to_numpy(),
                                                 index=ties.index, dtype=object), utc=True)
    ties["days_after_meeting"] = (ties["first_time"] - ties["first_met"]) / pd.Timedelta(days=1)
    forward = pd.MultiIndex.from_arrays([ties["actor"], ties["target"]])
    ties["talked_back"] = pd.MultiIndex.from_arrays([ties["target"], ties["actor"]]).isin(forward)
    rates = metrics.contact_rates(table).set_index(["a", "b"])["contact_rate"]
    ties["contact_rate"] = rates.reindex(key).to_numpy()
    if accounts is not None:
        ties["archetype"] = accounts.set_index("account")["archetype"].reindex(ties["actor"]).to_numpy()
    return ties


def group_names(min_meetings: int = 1) -> tuple[str, str]:
    """The two groups' names in words."""
    met = "met in person" if min_meetings <= 1 else f"met at {min_meetings}+ meetups"
    return met, "online only"


def compare(ties: pd.DataFrame, min_meetings: int = 1, archetype: str | None = None) -> pd.DataFrame:
    """Met ties (people who shared at least ``min_meetings`` meetups) and online-only ties side by
    side: how many ties, median lifetime (days), share returned (0-1), median contact rate (per
    month). ``archetype`` keeps only ties spoken by that archetype."""
    if archetype:
        ties = ties[(ties["archetype"] == archetype).to_numpy()]
    groups = {name: ties[mask] for name, mask in zip(
        group_names(min_meetings), (ties["meetings"].to_numpy() >= min_meetings,
                                    ties["meetings"].to_numpy() == 0))}
    rows = {name: {"ties": len(g), "median_lifetime_days": g["lifetime_days"].median(),
                   "share_returned": g["talked_back"].mean() if len(g) else np.nan,
                   "median_contact_rate": g["contact_rate"].median()}
            for name, g in groups.items()}
    frame = pd.DataFrame(rows).T
    frame["ties"] = frame["ties"].astype(np.int64)
    frame.index.name = "group"
    return frame


def comparison_sentence(ties: pd.DataFrame, min_meetings: int = 1, archetype: str | None = None) -> str:
    """The comparison of :func:`compare` in one or two plain sentences."""
    frame = compare(ties, min_meetings, archetype)
    who = f"spoken by {PLURALS[archetype]}" if archetype else "in the whole community"
    parts = []
    for name, row in frame.iterrows():
        if row["ties"] == 0:
            parts.append(f"no tie {who} is in the group “{name}”")
            continue
        few = " (few ties: read with care)" if row["ties"] < FEW else ""
        parts.append(f"{int(row['ties']):,} ties {name} lasted a median of "
                     f"{row['median_lifetime_days']:.1f} days and {row['share_returned']:.0%} of them "
                     f"were returned{few}")
    return f"Of the ties {who}: " + "; ".join(parts) + "."


def survival(days: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Share of ties (0-1) whose lifetime is at least each value of ``grid`` (days)."""
    days = np.sort(np.asarray(days, dtype=float))
    if not len(days):
        return np.full(len(grid), np.nan)
    return 1 - np.searchsorted(days, grid, side="left") / len(days)


def _json_safe(values) -> list:
    """Numbers as a list with None for missing ones (a FigureWidget cannot send NaN to the browser)."""
    return [None if v != v else float(v) for v in np.asarray(values, dtype=float)]


def _survival_traces(figure: go.Figure, met_days, online_days, grid, names) -> None:
    for days, name, colour in ((met_days, names[0], MET_COLOUR), (online_days, names[1], ONLINE_COLOUR)):
        median = float(np.median(days)) if len(days) else None
        figure.add_trace(go.Scatter(
            x=grid, y=_json_safe(survival(days, grid)), mode="lines", name=f"{name} ({len(days):,} ties)",
            line={"color": colour, "width": 3, "dash": "solid" if colour == MET_COLOUR else "dash"},
            hovertemplate=f"{name}: %{{y:.0%}} of ties still written to %{{x}} days after the first "
                          "message<extra></extra>"))
        figure.add_trace(go.Scatter(
            x=[median, median], y=[0, 0.5], mode="lines+markers", showlegend=False,
            line={"color": colour, "width": 1.5, "dash": "dot"}, marker={"size": [0, 9]},
            name=f"median, {name}",
            hovertemplate=f"median lifetime, {name}: %{{x:.1f}} days<extra></extra>"))


def lifetime_figure(ties: pd.DataFrame, min_meetings: int = 1, archetype: str | None = None) -> go.Figure:
    """Lines: the share of met and of online-only ties still written to d days after their first
    message (a dotted line at each group's median lifetime)."""
    sub = ties if not archetype else ties[(ties["archetype"] == archetype).to_numpy()]
    grid = np.arange(0, int(np.ceil(ties["lifetime_days"].max())) + 2)
    fig = go.Figure()
    _survival_traces(fig, sub.loc[sub["meetings"] >= min_meetings, "lifetime_days"].to_numpy(),
                     sub.loc[sub["meetings"] == 0, "lifetime_days"].to_numpy(), grid,
                     group_names(min_meetings))
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02])
    return plots.style(fig, "How long ties last: met in person vs online only",
                       "days since the tie's first message (days)", "share of ties still written to (%)")


def returned_figure(ties: pd.DataFrame, order=ORDER) -> go.Figure:
    """Grouped bars: per archetype of the speaker, the share of met and of online-only ties that
    were returned (hover: how many ties and the median contact rate per month)."""
    fig = go.Figure()
    for met, name, colour in ((True, "met in person", MET_COLOUR), (False, "online only", ONLINE_COLOUR)):
        sub = ties[(ties["met"] == met).to_numpy()]
        stats = sub.groupby("archetype").agg(share=("talked_back", "mean"), n=("talked_back", "size"),
                                            rate=("contact_rate", "median")).reindex(list(order))
        fig.add_trace(go.Bar(
            x=[label(a) for a in order], y=stats["share"], name=name, marker_color=colour,
            customdata=np.column_stack([stats["n"].fillna(0), stats["rate"]]),
            hovertemplate=(f"%{{x}}, {name}: %{{y:.0%}} of %{{customdata[0]:,.0f}} ties returned"
                           "<br>median contact rate: %{customdata[1]:.1f} messages per month"
                           "<extra></extra>")))
    fig.update_layout(barmode="group")
    fig.update_yaxes(tickformat=".0%", range=[0, 1])
    return plots.style(fig, "Was the tie returned? Met in person vs online only, by archetype",
                       "archetype of the account that spoke", "share of ties returned (%)")


def timing_figure(ties: pd.DataFrame, bin_days: int = 7) -> go.Figure:
    """Histogram, for ties whose people met: days from the day of their first shared meetup to the
    tie's first message (negative: they talked online before they ever met)."""
    days = ties.loc[ties["met"], "days_after_meeting"].to_numpy(dtype=float)
    fig = go.Figure()
    for mask, name, colour in ((days < 0, "talked online before they first met", plots.PALETTE["orange"]),
                               (days >= 0, "first message on or after the day they first met", MET_COLOUR)):
        fig.add_trace(go.Histogram(
            x=days[mask], name=name, marker_color=colour,
            xbins={"start": -bin_days * np.ceil(max(-days.min(), 0) / bin_days) if len(days) else 0,
                   "size": bin_days},
            hovertemplate=f"{name}<br>%{{x}} days: %{{y}} ties<extra></extra>"))
    fig.add_vline(x=0, line_dash="dash", line_color=plots.PALETTE["black"],
                  annotation_text="first shared meetup", annotation_position="top right")
    fig.update_layout(barmode="overlay", bargap=0.05)
    return plots.style(fig, "When did the online conversation start, relative to the first meeting?",
                       "days from the first shared meetup to the tie's first message (days)",
                       "ties (count)")


def timing_sentence(ties: pd.DataFrame) -> str:
    """How many met ties began online before the pair's first shared meetup, in words."""
    days = ties.loc[ties["met"], "days_after_meeting"]
    before = int((days < 0).sum())
    within = int(((days >= 0) & (days <= 14)).sum())
    return (f"Of {len(days):,} ties whose people met, {before:,} ({before / max(len(days), 1):.0%}) began "
            f"online before the day of their first shared meetup, and {within:,} "
            f"({within / max(len(days), 1):.0%}) began within two weeks after it.")


def archetype_table(ties: pd.DataFrame, min_meetings: int = 1, order=ORDER) -> pd.DataFrame:
    """Median lifetime (days) and number of ties, met vs online only, for each speaker archetype."""
    rows = []
    for archetype in order:
        frame = compare(ties, min_meetings, archetype)
        row = {"archetype": label(archetype)}
        for name, values in frame.iterrows():
            row[f"ties {name}"] = int(values["ties"])
            row[f"median days, {name}"] = round(float(values["median_lifetime_days"]), 1)
        rows.append(row)
    return pd.DataFrame(rows).set_index("archetype")


class InPersonExplorer(Explorer):
    """Choose "met at least N times" and an archetype: how long met and online-only ties last.

    Give ``ties`` (from :func:`ties_with_meetings`, with archetypes) to reuse a table already
    computed; otherwise the community and meetups datasets are loaded.
    """

    def __init__(self, table: pd.DataFrame | None = None, accounts: pd.DataFrame | None = None,
                 attendance_table: pd.DataFrame | None = None, ties: pd.DataFrame | None = None):
        if ties is None:
            if table is None or accounts is None:
                table, accounts = community()
            if attendance_table is None:
                attendance_table = attendance()
            ties = ties_with_meetings(table, attendance_table, accounts)
        self.ties = ties
        # Arrays found once, so that a callback only masks and sorts a few thousand numbers.
        self.days = ties["lifetime_days"].to_numpy(dtype=float)
        self.meetings = ties["meetings"].to_numpy()
        self.back = ties["talked_back"].to_numpy(dtype=bool)
        self.archetype = ties["archetype"].to_numpy(dtype=object)
        self.grid = np.arange(0, int(np.ceil(self.days.max())) + 2)
        most = int(min(5, max(1, self.meetings.max())))
        slider = widgets.IntSlider(value=1, min=1, max=most, description="met at least",
                                   style={"description_width": "initial"},
                                   layout=widgets.Layout(width="22em"))
        options = [("everyone", "")] + [(PLURALS[a], a) for a in ORDER]
        picker = widgets.Dropdown(options=options, value="", description="ties spoken by",
                                  style={"description_width": "initial"},
                                  layout=widgets.Layout(width="22em"))
        figure = go.FigureWidget()
        _survival_traces(figure, self.days[self.meetings >= 1], self.days[self.meetings == 0],
                         self.grid, group_names(1))
        figure.update_yaxes(tickformat=".0%", range=[0, 1.02])
        plots.style(figure, "How long ties last: met in person vs online only",
                    "days since the tie's first message (days)", "share of ties still written to (%)")
        figure.update_layout(height=420)
        super().__init__({"meetings": slider, "archetype": picker}, figure,
                         caption="“met at least N times” counts the meetups both people attended.")

    def update(self) -> str:
        n = int(self.controls["meetings"].value)
        archetype = self.controls["archetype"].value
        keep = np.ones(len(self.days), dtype=bool) if not archetype else self.archetype == archetype
        names = group_names(n)
        parts = []
        for i, (mask, name) in enumerate(((keep & (self.meetings >= n), names[0]),
                                          (keep & (self.meetings == 0), names[1]))):
            days = self.days[mask]
            median = float(np.median(days)) if len(days) else None
            line, mark = self.figure.data[2 * i], self.figure.data[2 * i + 1]
            line.update(y=_json_safe(survival(days, self.grid)), name=f"{name} ({len(days):,} ties)",
                        hovertemplate=f"{name}: %{{y:.0%}} of ties still written to %{{x}} days "
                                      "after the first message<extra></extra>")
            mark.update(x=[median, median],
                        hovertemplate=f"median lifetime, {name}: %{{x:.1f}} days<extra></extra>")
            if not len(days):
                parts.append(f"no tie is in the group <b>{name}</b>")
                continue
            few = " (few ties: read with care)" if len(days) < FEW else ""
            parts.append(f"<b>{len(days):,}</b> ties {name} lasted a median of <b>{median:.1f} days</b>, "
                         f"and {self.back[mask].mean():.0%} of them were returned{few}")
        who = f"spoken by {PLURALS[archetype]}" if archetype else "in the whole community"
        return f"Of the ties {who}: " + "; ".join(parts) + "."


@register("09")
def in_person_explorer() -> InPersonExplorer:
    """The lesson 09 explorer on the community and meetups datasets."""
    return InPersonExplorer()
