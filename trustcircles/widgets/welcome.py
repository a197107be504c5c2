"""Lesson 00, Welcome: a first look at the community dataset, and how the course's pieces work.

The numbers and words are in :mod:`trustcircles.topics.welcome` (imported here too, so the lesson
uses one module); this module draws them:

* :data:`ARCHETYPE_COLOURS` gives each archetype a colour from the Okabe–Ito palette, the same in
  every lesson (trust builders green, transactional accounts vermilion);
* :func:`weekly_figure` and :func:`rhythm_figure` show the rhythm of the community;
* :func:`spread_figure` shows how unevenly activity is spread over accounts (a few do much, many do
  little);
* :class:`ArchetypeExplorer` (registered for lesson "00"): pick an archetype and see what its members
  do, kind by kind, next to the whole community.
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from trustcircles import plots
from trustcircles.data import KINDS
from trustcircles.topics import community
from trustcircles.topics.archetypes import ARCHETYPES, PLURALS, label
from trustcircles.topics.welcome import (KIND_PLURALS, KIND_WORDS, activity_spread, hourly_rhythm,
                                         kind_mix, top_share, weekly_kinds)
# The lesson's numbers and words, importable from here too (a lesson imports one module per topic).
from trustcircles.topics.welcome import archetype_table, spread_sentence  # noqa: F401
from trustcircles.widgets import Explorer, register


#: One colour per archetype, the same in every lesson (see trustcircles.plots).
ARCHETYPE_COLOURS = plots.ARCHETYPE_COLOURS

#: Colours of the six kinds of event in the weekly figure.
KIND_COLOURS = dict(zip(KINDS, plots.COLORWAY))


def weekly_figure(table: pd.DataFrame) -> go.Figure:
    """Stacked areas: how many events of each kind happened each week."""
    counts = weekly_kinds(table)
    fig = plots.Figure()
    for kind in counts.columns:
        fig.add_trace(go.Scatter(
            x=counts.index, y=counts[kind], name=kind, stackgroup="kinds", mode="lines",
            line={"width": 0.5, "color": KIND_COLOURS[kind]},
            hovertemplate=f"week %{{x}}: %{{y:,}} {kind} events<br>({KIND_WORDS[kind]})<extra></extra>"))
    return plots.style(fig, "Events per week, by kind", "week of the dataset (1 = first week)",
                       "events per week (count)")


def rhythm_figure(table: pd.DataFrame) -> go.Figure:
    """Lines: the share of a weekday's and of a weekend day's events in each hour of the day."""
    shares = hourly_rhythm(table)
    fig = plots.Figure()
    for column, colour in (("weekday", plots.PALETTE["blue"]), ("weekend", plots.PALETTE["orange"])):
        if column in shares:
            fig.add_trace(go.Scatter(
                x=shares.index, y=shares[column], name=column + "s", mode="lines+markers",
                line={"color": colour},
                hovertemplate=f"{column}s, %{{x}}:00-%{{x}}:59: %{{y:.1%}} of their events<extra></extra>"))
    fig.update_yaxes(tickformat=".0%")
    return plots.style(fig, "When people are active: events by hour of the day",
                       "hour of the day (UTC, 0-23)", "share of the events (%)")


def spread_figure(table: pd.DataFrame, fraction: float = 0.1) -> go.Figure:
    """The cumulative share of events against the share of accounts, most active first, with the
    even-spread diagonal and a marker at the top ``fraction``."""
    spread = activity_spread(table)
    x = np.r_[0, spread["share_of_accounts"]]
    y = np.r_[0, spread["share_of_events"]]
    fig = plots.Figure()
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="if everyone did the same",
                             line={"color": plots.PALETTE["black"], "dash": "dot", "width": 1},
                             hoverinfo="skip"))
    fig.add_trace(go.Scatter(
        x=x, y=y, mode="lines", name="the community", line={"color": plots.PALETTE["blue"], "width": 3},
        hovertemplate="the most active %{x:.0%} of accounts did %{y:.0%} of all events<extra></extra>"))
    share = top_share(table, fraction)
    fig.add_trace(go.Scatter(
        x=[fraction], y=[share], mode="markers", name=f"top {fraction:.0%}",
        marker={"size": 12, "color": plots.PALETTE["orange"]},
        hovertemplate=f"top {fraction:.0%} of accounts: {share:.0%} of events<extra></extra>"))
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02])
    return plots.style(fig, "How activity is spread over accounts (most active first)",
                       "share of accounts, most active first (%)", "share of all events (%)")


class ArchetypeExplorer(Explorer):
    """Pick an archetype: what its members do, kind by kind, beside the whole community."""

    def __init__(self, table: pd.DataFrame | None = None, accounts: pd.DataFrame | None = None):
        if table is None or accounts is None:
            table, accounts = community(text=False)
        self.mix = kind_mix(table, accounts)
        self.kinds = [k for k in KINDS if k in self.mix.columns]
        options = [(label(a), a) for a in ARCHETYPES if a in self.mix.index]
        picker = widgets.Dropdown(options=options, value="trust_builder" if "trust_builder" in self.mix.index
                                  else options[0][1], description="archetype")
        everyone = self.mix.loc["everyone", self.kinds]
        figure = go.FigureWidget([
            go.Bar(x=self.kinds, y=everyone.to_numpy(), name="everyone", marker_color=plots.PALETTE["black"], opacity=0.45,
                   customdata=[KIND_WORDS[k] for k in self.kinds],
                   hovertemplate="everyone: %{y:.0%} %{x}<br>(%{customdata})<extra></extra>"),
            go.Bar(x=self.kinds, y=everyone.to_numpy(), name="archetype",
                   customdata=[KIND_WORDS[k] for k in self.kinds])])
        figure.update_yaxes(tickformat=".0%", range=[0, 1])
        figure.update_layout(barmode="group")
        plots.style(figure, "What members of an archetype do, by kind of event", "kind of event",
                    "share of the members' events (%)", height=380)
        super().__init__({"archetype": picker}, figure)

    def update(self) -> str:
        archetype = self.controls["archetype"].value
        row = self.mix.loc[archetype]
        bar = self.figure.data[1]
        bar.y = row[self.kinds].to_numpy()
        bar.name = label(archetype)
        bar.marker.color = ARCHETYPE_COLOURS.get(archetype, plots.PALETTE["black"])
        bar.hovertemplate = f"{label(archetype)}: %{{y:.0%}} %{{x}}<br>(%{{customdata}})<extra></extra>"
        top = row[self.kinds].sort_values(ascending=False)
        everyone = self.mix.loc["everyone"]
        first, second = top.index[0], top.index[1]
        return (f"The {int(row['members']):,} <b>{PLURALS.get(archetype, archetype)}</b> (in the "
                f"simulation, each {ARCHETYPES[archetype]}) did {int(row['events']):,} events, "
                f"{row['events'] / everyone['events']:.0%} of all. Most of what they do is "
                f"{KIND_PLURALS[first]} ({top.iloc[0]:.0%}) and {KIND_PLURALS[second]} "
                f"({top.iloc[1]:.0%}); across the whole community, {KIND_PLURALS[first]} are "
                f"{everyone[first]:.0%} of all events.")


@register("00")
def archetype_explorer() -> ArchetypeExplorer:
    """The lesson 00 explorer on the community dataset."""
    return ArchetypeExplorer()
