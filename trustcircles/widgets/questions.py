"""Lesson 04, Every question gets an answer: who answers, how fast, and what silence does to newcomers.

The post *Creating our own circle of trust in Social Media* describes "a place where questions always
have an answer". This module measures it with the course's definitions (METRICS.md: a question is
answered when someone else replies to it within 48 hours, both ends included). The numbers are in
:mod:`trustcircles.topics.questions` (imported here too, so the lesson uses one module); this module
draws them:

* :func:`answer_rate_figure`: the median answer rate of each archetype;
* :func:`newcomer_weeks_figure`: how long newcomers stayed active after their first question;
* :class:`AnswerWindowExplorer` (registered for lesson "04"): slide the
  answer window from 1 hour to 7 days and see how many newcomers got an answer in time and how many
  of them stayed. The course's rule stays 48 hours; other windows are an exploration around it.
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from trustcircles import plots
from trustcircles.topics import community
from trustcircles.topics.archetypes import label
from trustcircles.topics.questions import STAY_WEEKS, WINDOWS, newcomer_first_questions, window_summary
from trustcircles.widgets import Explorer, register
# The lesson's numbers and words, importable from here too (a lesson imports one module per topic).
from trustcircles.topics.questions import archetype_answers, newcomer_sentence  # noqa: F401

#: One colour per archetype, the same in every lesson.
ARCHETYPE_COLOURS = plots.ARCHETYPE_COLOURS
#: The answer windows' tick labels (the windows are in hours: 1, 3, 6, 12, 24, 48, 72, 120, 168).
WINDOW_TICKS = ("1 h", "3 h", "6 h", "12 h", "1 d", "2 d", "3 d", "5 d", "7 d")


# --------------------------------------------------------------------------- figures

def answer_rate_figure(by_archetype: pd.DataFrame) -> go.Figure:
    """Bars: the median answer_rate of each archetype, hover with response hours and counts."""
    colours = [ARCHETYPE_COLOURS.get(a, plots.NEUTRAL) for a in by_archetype.index]
    fig = plots.Figure(go.Bar(
        x=[label(a) for a in by_archetype.index], y=by_archetype["answer_rate"], marker_color=colours,
        customdata=np.column_stack([by_archetype["median_response_hours"].fillna(-1),
                                    by_archetype["accounts"], by_archetype["questions_put"]]),
        hovertemplate=("%{x}<br>median answer rate %{y:.0%}<br>median response time "
                       "%{customdata[0]:.1f} hours<br>%{customdata[1]} accounts, "
                       "%{customdata[2]:,} questions put to them<extra></extra>"),
        showlegend=False))
    plots.style(fig, "Of the questions put to them, the share each archetype answers within 48 hours",
                "archetype", "median answer rate per account (%)")
    fig.update_yaxes(range=[0, 1.05], tickformat=".0%")
    return fig


def newcomer_weeks_figure(first: pd.DataFrame) -> go.Figure:
    """Side by side: weeks active after the first question, for newcomers answered in 48 h or not."""
    fig = plots.Figure()
    for answered, name, colour in ((True, "first question answered within 48 h", plots.TRUST),
                                   (False, "no answer within 48 h", plots.TRANSACTIONAL)):
        part = first[first["answered"] == answered]
        fig.add_trace(go.Box(
            y=part["weeks_active"], name=name, marker_color=colour, boxpoints="all", jitter=0.4,
            pointpos=0, customdata=np.column_stack([part.index.to_numpy(dtype=object),
                                                    part["reply_hours"].fillna(-1)]),
            hovertemplate=("newcomer %{customdata[0]}<br>active for %{y:.1f} weeks after the first "
                           "question<extra></extra>")))
    plots.reference_line(fig, y=STAY_WEEKS, label=f"{STAY_WEEKS} weeks", position="top left")
    fig.update_layout(showlegend=False)
    return plots.style(fig, "Newcomers: how long they stayed active after their first question",
                       "the newcomer's first question", "weeks active after the first question")


# --------------------------------------------------------------------------- the explorer

class AnswerWindowExplorer(Explorer):
    """Slide the answer window; watch how many newcomers are answered in time and how many stay."""

    def __init__(self, first: pd.DataFrame):
        self.first = first
        self.curve = [window_summary(first, h)["share_answered"] for h in WINDOWS.values()]
        window = widgets.SelectionSlider(options=list(WINDOWS.items()), value=48,
                                         description="answer window", continuous_update=False,
                                         style={"description_width": "initial"},
                                         layout=widgets.Layout(width="520px"))
        fig = make_subplots(rows=1, cols=2, column_widths=[0.55, 0.45], horizontal_spacing=0.14,
                            subplot_titles=("Newcomers answered within the window",
                                            f"Still active {STAY_WEEKS} weeks later"))
        hours = list(WINDOWS.values())
        fig.add_trace(go.Scatter(
            x=hours, y=self.curve, mode="lines+markers", name="answered in time",
            line={"color": plots.NEUTRAL}, text=list(WINDOWS),
            hovertemplate="within %{text}: %{y:.0%} of newcomers answered<extra></extra>"), 1, 1)
        fig.add_trace(go.Scatter(
            x=[48], y=[0], mode="markers", name="your window",
            marker={"color": plots.PALETTE["blue"], "size": 16, "symbol": "circle-open",
                    "line": {"width": 3}},
            hovertemplate="your window: %{y:.0%} answered<extra></extra>"), 1, 1)
        fig.add_trace(go.Bar(
            x=["answered in time", "not answered in time"], y=[0, 0],
            marker_color=[plots.TRUST, plots.TRANSACTIONAL], text=["", ""], textposition="none",
            hovertemplate="%{x}<br>%{y:.0%} still active<br>%{text}<extra></extra>",
            showlegend=False), 1, 2)
        # A log axis takes its range in log10 units: from a little under 1 hour to over 7 days.
        fig.update_xaxes(type="log", range=plots.log_range(hours, pad=0.12), tickvals=hours,
                         ticktext=list(WINDOW_TICKS), title_text="answer window (hours, log scale)",
                         row=1, col=1)
        plots.reference_line(fig, x=48, label="48 h: the course's rule", position="top left",
                             row=1, col=1)
        # inside the plot, at the top (no curve reaches there): above it, the label ran into the
        # subplot's title
        fig.layout.annotations[-1].update(y=0.98, yanchor="top")
        fig.update_yaxes(range=[0, 1.05], tickformat=".0%", title_text="share of newcomers (%)", row=1, col=1)
        fig.update_xaxes(title_text="newcomers, by their first question", row=1, col=2)
        fig.update_yaxes(range=[0, 1.05], tickformat=".0%", title_text="share still active (%)", row=1, col=2)
        fig.update_layout(showlegend=False)
        plots.style(fig, "How fast the first answer comes, and who stays", None, None, height=440)
        super().__init__({"window": window}, go.FigureWidget(fig),
                         caption="METRICS.md counts a question as answered within 48 hours; the other "
                                 "windows explore what a faster or slower answer would mean.")

    def update(self) -> str:
        hours = self.controls["window"].value
        label = self.controls["window"].label
        s = window_summary(self.first, hours)
        marker, bars = self.figure.data[1], self.figure.data[2]
        marker.x, marker.y = [hours], [s["share_answered"]]
        bars.y = [s["answered_stay_rate"], s["unanswered_stay_rate"]]
        bars.text = [f"{s['answered_stayed']:,} of {s['answered_followed']:,} newcomers",
                     f"{s['unanswered_stayed']:,} of {s['unanswered_followed']:,} newcomers"]

        def rate(x):
            return "no one" if np.isnan(x) else f"{x:.0%}"
        return (f"Within <b>{label}</b>, <b>{s['answered']:,}</b> of {s['newcomers']:,} newcomers "
                f"(<b>{s['share_answered']:.0%}</b>) got a reply to their first question. Of those we "
                f"can follow for {STAY_WEEKS} weeks, <b>{rate(s['answered_stay_rate'])}</b> of the answered "
                f"({s['answered_stayed']:,} of {s['answered_followed']:,}) were still active {STAY_WEEKS} weeks "
                f"later, against <b>{rate(s['unanswered_stay_rate'])}</b> of the rest "
                f"({s['unanswered_stayed']:,} of {s['unanswered_followed']:,}).")


@register("04")
def answer_window_explorer(table: pd.DataFrame | None = None, accounts: pd.DataFrame | None = None,
                           first: pd.DataFrame | None = None) -> AnswerWindowExplorer:
    """The lesson 04 explorer on the community dataset (or on newcomer_first_questions already computed)."""
    if first is None:
        loaded = community()
        table = loaded[0] if table is None else table
        accounts = loaded[1] if accounts is None else accounts
        newcomers = accounts.loc[accounts["archetype"] == "newcomer", "account"]
        first = newcomer_first_questions(table, newcomers)
    return AnswerWindowExplorer(first)
