"""Lesson 13, the circle-of-trust audit: figures and explorers on a community no lesson shows.

The numbers are in :mod:`trustcircles.topics.audit` (imported here too, so the lesson uses one
module); this module draws them and offers the explorers of lessons 11 and 12 on the audited
community, without the simulation's labels:

* :func:`dashboard_figure`: every share of the dashboard, the audited community beside the course's;
* :func:`audit_voice_explorer` and :func:`audit_presence_explorer` (registered for lesson "13").
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from trustcircles import plots
from trustcircles.topics.audit import AUDIT, SHARES, audited, blind_frame, busiest_posters
from trustcircles.topics.voice import COMMUNITY
from trustcircles.widgets import register
from trustcircles.widgets.presence import PresenceExplorer
from trustcircles.widgets.voice import VoiceExplorer
# The lesson's numbers and words, importable from here too (a lesson imports one module per topic).
from trustcircles.topics.audit import (MEASURES, dashboard, dashboard_sentences,  # noqa: F401
                                       dashboard_table, newcomers, scheduler_suspects)
from trustcircles.widgets.presence import clock_office_figure  # noqa: F401
from trustcircles.widgets.voice import lorenz_figure  # noqa: F401
from trustcircles.topics.voice import messages_by_account  # noqa: F401

#: How the audited community is named in figures and explorers.
AUDIT_NAME = "the community to audit"


def dashboard_figure(frame: pd.DataFrame) -> go.Figure:
    """Dots per share measure: the audited community and the course's, joined by a line (the gap)."""
    shares = frame.loc[[k for k in frame.index if k in SHARES]]
    names = shares["measure"].tolist()
    fig = plots.Figure()
    for _, row in shares.iterrows():
        fig.add_trace(go.Scatter(x=[row["community"], row[AUDIT]], y=[row["measure"]] * 2, mode="lines",
                                 line={"color": plots.PALETTE["black"], "width": 1}, showlegend=False,
                                 hoverinfo="skip"))
    for column, name, colour, symbol in (("community", "the course's community (lessons 00-10)", plots.NEUTRAL, "circle-open"),
                                         (AUDIT, AUDIT_NAME, plots.PALETTE["vermillion"], "circle")):
        fig.add_trace(go.Scatter(
            x=shares[column], y=names, mode="markers", name=name,
            marker={"color": colour, "size": 12, "symbol": symbol, "line": {"width": 2, "color": colour}},
            customdata=shares["lessons"],
            hovertemplate=f"{name}<br>%{{y}}: %{{x:.0%}}<br>(lesson %{{customdata}})<extra></extra>"))
    fig.update_xaxes(tickformat=".0%", range=[0, 1.02])
    fig.update_layout(height=560, margin={"l": 420}, yaxis={"autorange": "reversed"})
    return plots.style(fig, "The audit at a glance: each share, here and in the course's community",
                       "share (%)", "")


@register("13")
def audit_voice_explorer() -> VoiceExplorer:
    """Lesson 11's explorer on the audited community and the course's."""
    from trustcircles.topics import community
    table, _ = audited(AUDIT)
    return VoiceExplorer({AUDIT_NAME: table, COMMUNITY: community(text=False)[0]})


@register("13")
def audit_presence_explorer() -> PresenceExplorer:
    """Lesson 12's explorer on the audited community's busiest posters, without archetypes."""
    table, _ = audited(AUDIT)
    frame = blind_frame(table)
    return PresenceExplorer(table, frame=frame, options=busiest_posters(frame))

