"""Lesson 09, Online and in person: do ties whose people also meet face to face last longer?

Two datasets describe the same simulated people: ``community`` (what they write to each other online)
and ``meetups`` (who went to which evening meetup). The numbers (:func:`met_pairs`,
:func:`ties_with_meetings`, :func:`compare`, ...) are in :mod:`trustcircles.topics.in_person`
(imported here too, so the lesson uses one module); this module draws them:

* figures: :func:`lifetime_figure` (how long ties last, medians marked), :func:`returned_figure`
  (share of ties returned, per archetype) and :func:`timing_figure` (did the online talk start before
  or after the first meeting?);
* :class:`InPersonExplorer` (registered for lesson "09"): choose "met at least N times" and an
  archetype, and see the two groups' lifetimes compared.

A difference between the groups is an association, not proof that meeting causes it: people who
already get on may go to the same meetups, and some archetypes go far more often than others.
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from trustcircles import plots
from trustcircles.topics import community
from trustcircles.topics.archetypes import IN_PERSON_ORDER, PLURALS, label
from trustcircles.topics.in_person import FEW, attendance, group_names, survival, ties_with_meetings
from trustcircles.widgets import Explorer, register
# The lesson's numbers and words, importable from here too (a lesson imports one module per topic).
from trustcircles.topics.in_person import (archetype_table, comparison_sentence, met_pairs,  # noqa: F401
                                           timing_sentence)

#: Colours of the two groups: met in person (trust colour) and online only (neutral).
MET_COLOUR = plots.TRUST
ONLINE_COLOUR = plots.PALETTE["blue"]


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
    fig = plots.Figure()
    _survival_traces(fig, sub.loc[sub["meetings"] >= min_meetings, "lifetime_days"].to_numpy(),
                     sub.loc[sub["meetings"] == 0, "lifetime_days"].to_numpy(), grid,
                     group_names(min_meetings))
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02])
    return plots.style(fig, "How long ties last: met in person vs online only",
                       "days since the tie's first message (days)", "share of ties still written to (%)")


def returned_figure(ties: pd.DataFrame, order=IN_PERSON_ORDER) -> go.Figure:
    """Grouped bars: per archetype of the speaker, the share of met and of online-only ties that
    were returned (hover: how many ties and the median contact rate per month)."""
    fig = plots.Figure()
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
    fig = plots.Figure()
    for mask, name, colour in ((days < 0, "talked online before they first met", plots.PALETTE["orange"]),
                               (days >= 0, "first message on or after the day they first met", MET_COLOUR)):
        fig.add_trace(go.Histogram(
            x=days[mask], name=name, marker_color=colour,
            xbins={"start": -bin_days * np.ceil(max(-days.min(), 0) / bin_days) if len(days) else 0,
                   "size": bin_days},
            hovertemplate=f"{name}<br>%{{x}} days: %{{y}} ties<extra></extra>"))
    plots.reference_line(fig, x=0, label="first shared meetup", position="top right")
    fig.update_layout(barmode="overlay", bargap=0.05)
    return plots.style(fig, "When did the online conversation start, relative to the first meeting?",
                       "days from the first shared meetup to the tie's first message (days)",
                       "ties (count)")


class InPersonExplorer(Explorer):
    """Choose "met at least N times" and an archetype: how long met and online-only ties last.

    Give ``ties`` (from :func:`ties_with_meetings`, with archetypes) to reuse a table already
    computed; otherwise the community and meetups datasets are loaded.
    """

    def __init__(self, table: pd.DataFrame | None = None, accounts: pd.DataFrame | None = None,
                 attendance_table: pd.DataFrame | None = None, ties: pd.DataFrame | None = None):
        if ties is None:
            if table is None or accounts is None:
                table, accounts = community(text=False)
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
        options = [("everyone", "")] + [(PLURALS[a], a) for a in IN_PERSON_ORDER]
        picker = widgets.Dropdown(options=options, value="", description="ties spoken by",
                                  style={"description_width": "initial"},
                                  layout=widgets.Layout(width="22em"))
        figure = go.FigureWidget()
        _survival_traces(figure, self.days[self.meetings >= 1], self.days[self.meetings == 0],
                         self.grid, group_names(1))
        figure.update_yaxes(tickformat=".0%", range=[0, 1.02])
        plots.style(figure, "How long ties last: met in person vs online only",
                    "days since the tie's first message (days)", "share of ties still written to (%)",
                    height=440)
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
