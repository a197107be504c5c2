"""Lesson 10, Your own circle: an account export, anonymised on this machine, read as your own report.

The numbers (the example exports, what anonymising removed, your circles, your own import) are in
:mod:`trustcircles.topics.own_circle` (imported here too, so the lesson uses one module); this module
draws them:

* :func:`tokens_figure` and :func:`sides_figure` show what anonymising removed and which side of the
  conversation an export can see;
* :func:`rings_figure` and :class:`OwnCircleExplorer` (registered for lesson "10"): your circles of
  trust as nested rings, for an inner-circle threshold the learner moves;
* :func:`own_report_figures` gives the same figures and sentences as
  ``python -m trustcircles report FILE --format html --account me``.
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from trustcircles import metrics, plots, report
from trustcircles.topics.own_circle import (EXAMPLES, INNER_CHOICES, OwnCircle, circle_reading,
                                            example_table, scrubbed_tokens, who_wrote)
from trustcircles.widgets import Explorer, register
# The lesson's numbers and words, importable from here too (a lesson imports one module per topic).
from trustcircles.topics.own_circle import (EXAMPLE_KEY, HOW_TO_GET, example_path,  # noqa: F401
                                            facts_sentence, import_own_export, key_file, own_circle,
                                            sides_notes)


# --------------------------------------------------------------------------- what anonymising did

def tokens_figure(tables: dict[str, pd.DataFrame]) -> go.Figure:
    """Grouped bars: for each example export, how many e-mails, links, phones, handles and names
    the scrubber replaced by a token."""
    fig = plots.Figure()
    for i, (kind, table) in enumerate(tables.items()):
        counts = scrubbed_tokens(table)
        fig.add_trace(go.Bar(
            x=list(counts.index), y=counts.to_numpy(), name=kind,
            marker_color=plots.COLORWAY[i % len(plots.COLORWAY)],
            hovertemplate=f"{kind}: %{{y}} × %{{x}} put in place of a personal detail<extra></extra>"))
    fig.update_layout(barmode="group")
    return plots.style(fig, "What the scrubber removed from the text of each example export",
                       "token put in place of a personal detail", "replacements (count)")


def sides_figure(tables: dict[str, pd.DataFrame]) -> go.Figure:
    """Stacked bars: for each export, the events you wrote and those others wrote to you.

    An archive of your own account (Mastodon, X) holds mostly what *you* sent; a team export (Slack)
    or a mail folder holds both sides. Reciprocity needs both sides to be seen.
    """
    colours = {"by you": plots.PALETTE["blue"], "to you": plots.TRUST,
               "between others": plots.NEUTRAL}
    counts = {kind: who_wrote(table) for kind, table in tables.items()}
    fig = plots.Figure()
    for side, colour in colours.items():
        fig.add_trace(go.Bar(
            x=list(counts), y=[c[side] for c in counts.values()], name=side, marker_color=colour,
            hovertemplate=f"%{{x}}: %{{y}} events {side}<extra></extra>"))
    fig.update_layout(barmode="stack")
    return plots.style(fig, "Which side of the conversation each export can see",
                       "example export", "events (count)")


# --------------------------------------------------------------------------- your circle


RING_LABELS = ("inner", "close", "active", "+ audience")
RING_DESCRIPTIONS = ("mutuals in contact at least as often as the inner threshold",
                     "mutuals in contact about monthly or more (≥ 1 event per month)",
                     "all mutuals: you talk to them and they talk to you",
                     "plus people who talk to you without an answer back")


def _ring_counts(circle: dict[str, int]) -> list[int]:
    return [circle["inner"], circle["close"], circle["active"], circle["active"] + circle["audience"]]


def rings_figure(circle: dict[str, int], title: str) -> go.Figure:
    """Your circles as nested rings (``plots.circle_rings``): inner, close, active, plus audience."""
    return plots.circle_rings(_ring_counts(circle), RING_LABELS, title, RING_DESCRIPTIONS, "{:.0f}")


class OwnCircleExplorer(Explorer):
    """Pick an example export and an inner-circle threshold; the rings and the reading follow.

    Each export's mutual ties and partners (:class:`~trustcircles.topics.own_circle.OwnCircle`) are
    worked out once when the explorer is built, so moving a control only counts them again.
    """

    def __init__(self, kinds=tuple(EXAMPLES)):
        self.circles = {kind: OwnCircle(example_table(kind)) for kind in kinds}
        self.titles = {kind: EXAMPLES[kind][2] for kind in kinds}
        controls = {
            "kind": widgets.Dropdown(options=list(kinds), value=list(kinds)[0], description="export"),
            "inner": widgets.SelectionSlider(
                options=list(INNER_CHOICES), value=int(metrics.INNER_CIRCLE_RATE),
                description="inner circle: events/month ≥", continuous_update=True,
                style={"description_width": "initial"},
                layout=widgets.Layout(width="360px")),
        }
        first = list(kinds)[0]
        circle = self.circles[first].count(metrics.INNER_CIRCLE_RATE, metrics.CLOSE_CIRCLE_RATE)
        figure = go.FigureWidget(rings_figure(circle, f"Circles of trust: {self.titles[first]}"))
        super().__init__(controls, figure, caption="Your circle of trust in an example export")

    def update(self) -> str:
        kind = self.controls["kind"].value
        inner = float(self.controls["inner"].value)
        close = min(metrics.CLOSE_CIRCLE_RATE, inner)  # the circles stay nested
        own = self.circles[kind]
        circle = own.count(inner, close)
        # In place, with circle_rings' geometry (building a new figure would take too long).
        plots.redraw_rings(self.figure, _ring_counts(circle), RING_LABELS, RING_DESCRIPTIONS, "{:.0f}")
        self.figure.layout.title.text = f"Circles of trust: {self.titles[kind]}"
        return circle_reading(circle, inner, own.note, own.visible)


@register("10")
def own_circle_explorer() -> OwnCircleExplorer:
    """The lesson 10 explorer over the example exports."""
    return OwnCircleExplorer()


# --------------------------------------------------------------------------- the report

def own_report_figures(table: pd.DataFrame) -> list[tuple[go.Figure, str]]:
    """The report's figures for ``me`` with their sentences, exactly as ``report --account me``
    draws them: circles, reciprocity, response times, conversation vs broadcast, tie lifetimes."""
    return report.build_figures(report.Facts(table, "me"))


# --------------------------------------------------------------------------- your own file


__all__ = ["EXAMPLE_KEY", "EXAMPLES", "INNER_CHOICES", "example_path", "example_table",
           "scrubbed_tokens", "tokens_figure", "who_wrote", "sides_figure", "own_circle",
           "circle_reading", "rings_figure", "OwnCircleExplorer", "own_circle_explorer",
           "own_report_figures", "key_file", "import_own_export", "facts_sentence", "HOW_TO_GET",
           "sides_notes"]
