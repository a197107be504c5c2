"""Lesson 08, Leading by example: how teams took up an internal platform, and a model of why.

The post *Building Circles of Trust* contrasts a platform bought, handed to the comms team and left
to get on with, with a boss who uses it and leads by example; and it notes that points and levelling
up only move those driven by competition. This module reads both in the ``workplace`` dataset and
lets the learner play with a threshold model (:mod:`trustcircles.simulate.adoption`). The numbers
are in :mod:`trustcircles.topics.adoption` (imported here too, so the lesson uses one module):

* :func:`curves_figure`, :func:`weeks_figure`, :func:`band_figure` draw them;
* :class:`AdoptionExplorer` (registered for lesson "08") runs the model with and without a leader.
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from trustcircles import plots
from trustcircles.simulate import adoption as model
from trustcircles.topics.adoption import BANDS, STYLE_LABELS, weekly_active, weekly_rate_by_band, weeks_to_half
from trustcircles.widgets import Explorer, register
# The lesson's numbers and words, importable from here too (a lesson imports one module per topic).
from trustcircles.topics.adoption import staff_events, summary  # noqa: F401

#: The colour of each rollout style.
STYLE_COLOURS = {"leader_led": plots.TRUST, "handed_over": plots.TRANSACTIONAL, "comms": plots.NEUTRAL}


def curves_figure(events: pd.DataFrame) -> go.Figure:
    """One line per team: the share of its staff active each week, coloured by rollout style, with
    the 50% line."""
    shares = weekly_active(events)
    style = events.groupby("team")["rollout_style"].first()
    fig = plots.Figure()
    shown = set()
    for team in shares.columns:
        kind = style.get(team, "comms")
        fig.add_trace(go.Scatter(
            x=shares.index, y=shares[team], mode="lines", name=STYLE_LABELS.get(kind, kind),
            legendgroup=kind, showlegend=kind not in shown,
            line={"color": STYLE_COLOURS.get(kind, plots.NEUTRAL), "width": 2,
                  "dash": "dot" if kind == "comms" else "solid"},
            hovertemplate=f"{team} ({STYLE_LABELS.get(kind, kind)})<br>week %{{x}}: "
                          "%{y:.0%} of staff active<extra></extra>"))
        shown.add(kind)
    plots.reference_line(fig, y=0.5, label="half the team", position="top left")
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02])
    return plots.style(fig, "Weekly-active share of each team", "week since launch (weeks)",
                       "share of staff active that week (%)", height=460)


def weeks_figure(events: pd.DataFrame) -> go.Figure:
    """Bars: weeks until half of each team was active, coloured by rollout style."""
    weeks = weeks_to_half(events)
    teams = events.groupby("team")[["rollout_style", "points_scheme"]].first()
    teams = teams[teams["rollout_style"] != "comms"].join(weeks).sort_values(["weeks_to_half"])
    fig = plots.Figure()
    for kind in ("leader_led", "handed_over"):
        part = teams[teams["rollout_style"] == kind]
        fig.add_trace(go.Bar(
            x=part.index, y=part["weeks_to_half"], name=STYLE_LABELS[kind], marker_color=STYLE_COLOURS[kind],
            customdata=part["points_scheme"],
            hovertemplate="%{x}: half active in week %{y}<br>points scheme: %{customdata}<extra></extra>"))
    return plots.style(fig, "How long until half the team was on it?", "team (fastest first)",
                       "weeks until half the team was active (weeks)", height=440)


def band_figure(events: pd.DataFrame) -> go.Figure:
    """Grouped bars: mean events per week per person in each competitiveness band, without and
    with a points-and-badges scheme."""
    rates = weekly_rate_by_band(events)
    fig = plots.Figure()
    for points, name, colour in (("no", "no points scheme", plots.NEUTRAL),
                                 ("yes", "points and badges", plots.PALETTE["orange"])):
        values = [rates.get((band, points), np.nan) for band in BANDS]
        fig.add_trace(go.Bar(x=list(BANDS), y=values, name=name, marker_color=colour,
                             hovertemplate=f"%{{x}} competitiveness, {name}: "
                                           "%{y:.2f} events per week<extra></extra>"))
    fig.update_layout(barmode="group")
    return plots.style(fig, "Who do points move?", "competitiveness band (staff survey)",
                       "events per week per person (mean)", height=440)


# --------------------------------------------------------------------------- the model explorer

class AdoptionExplorer(Explorer):
    """The threshold model: a leader toggle, the mean threshold and the rewiring (clustered to
    random). The figure shows the team's adoption curve for the setting, and the same team with the
    leader toggled the other way, dotted, for comparison."""

    WEEK = 12

    def __init__(self):
        leader = widgets.ToggleButtons(options=[("leader uses it", True), ("no leader", False)],
                                       value=True, description="leader", style={"button_width": "auto"})
        threshold = widgets.FloatSlider(value=0.35, min=0.0, max=0.6, step=0.05, readout_format=".2f",
                                        description="mean threshold", continuous_update=False,
                                        style={"description_width": "initial"})
        rewiring = widgets.FloatSlider(value=0.0, min=0.0, max=1.0, step=0.1, readout_format=".1f",
                                       description="rewiring (0 clustered, 1 random)",
                                       continuous_update=False, style={"description_width": "initial"},
                                       layout=widgets.Layout(width="380px"))
        weeks = np.arange(model.WEEKS + 1)
        figure = go.FigureWidget()
        figure.add_trace(go.Scatter(x=weeks, y=np.zeros(len(weeks)), mode="lines+markers", name="this setting",
                                    line={"width": 3},
                                    hovertemplate="week %{x}: %{y:.0%} on the platform<extra></extra>"))
        figure.add_trace(go.Scatter(x=weeks, y=np.zeros(len(weeks)), mode="lines", name="leader toggled",
                                    line={"width": 2, "dash": "dot", "color": plots.NEUTRAL},
                                    hovertemplate="week %{x}: %{y:.0%} (other leader setting)<extra></extra>"))
        plots.reference_line(figure, y=0.5, label="half the team", position="top left")
        figure.update_yaxes(tickformat=".0%", range=[0, 1.02])
        plots.style(figure, "Threshold model of a 200-person team", "week since launch (weeks)",
                    "share of the team on the platform (%)", height=420)
        super().__init__({"leader": leader, "threshold": threshold, "rewiring": rewiring}, figure,
                         caption="Same people, same thresholds: change one thing at a time.")

    def update(self) -> str:
        leader = bool(self.controls["leader"].value)
        threshold = round(float(self.controls["threshold"].value), 2)
        rewiring = round(float(self.controls["rewiring"].value), 1)
        runs = model.compare(threshold, rewiring)
        this, other = (runs["leader"], runs["no leader"]) if leader else (runs["no leader"], runs["leader"])
        self.figure.data[0].y = this.curve
        self.figure.data[0].line.color = plots.TRUST if leader else plots.TRANSACTIONAL
        self.figure.data[0].name = "leader uses it" if leader else "no leader"
        self.figure.data[1].y = other.curve
        self.figure.data[1].name = "no leader (for comparison)" if leader else "leader uses it (for comparison)"
        with_l, without = runs["leader"], runs["no leader"]
        half = this.weeks_to(0.5)
        network = "clustered" if rewiring <= 0.2 else "random" if rewiring >= 0.8 else "partly rewired"
        return (f"In a {network} team with mean threshold {threshold:.2f}: with a leader who uses it, "
                f"<b>{with_l.share_by(self.WEEK):.0%}</b> were on the platform by week {self.WEEK}; "
                f"without, <b>{without.share_by(self.WEEK):.0%}</b>. "
                + (f"This setting reaches half the team in week {half}." if half is not None
                   else f"This setting never reaches half the team in {model.WEEKS} weeks "
                        f"({this.final_share:.0%} at the end)."))


@register("08")
def adoption_explorer() -> AdoptionExplorer:
    """The lesson's threshold-model explorer with its default settings."""
    return AdoptionExplorer()
