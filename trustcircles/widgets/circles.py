"""Lesson 06, Circles of trust: nested layers of closeness, in the synthetic community and real data.

The course counts an account's circles among its mutuals by how often they talk
(:func:`trustcircles.metrics.circles`): the *inner* circle at about weekly contact or more, the
*close* circle at about monthly or more, the *active* circle all mutuals. The numbers are in
:mod:`trustcircles.topics.circles` (:class:`~trustcircles.topics.circles.MutualRates` recounts
circles for any thresholds; imported here too, so the lesson uses one module); this module draws
them:

* :func:`rings_figure`, :func:`archetype_circles_figure`: the lesson's figures of circles;
* :class:`CirclesExplorer` (registered for lesson "06"): sliders for the two thresholds and a choice
  of archetype or account, with the nested rings and a reading;
* :func:`comparison_figure`, :func:`circle_size_figure`: the real UC Irvine message network
  (CollegeMsg; Panzarasa, Opsahl and Carley, 2009) beside the synthetic community and the
  published figures.
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from trustcircles import metrics, plots
from trustcircles.topics.circles import (DUNBAR_LAYERS, LABELS, MutualRates, at_least_shares,
                                         community_circles, examples)
from trustcircles.widgets import Explorer, register
# The lesson's numbers and words, importable from here too (a lesson imports one module per topic).
from trustcircles.topics.circles import (archetype_medians, compare_with_published,  # noqa: F401
                                         comparison_sentences)


def rings_figure(counts, title: str, inner: float = metrics.INNER_CIRCLE_RATE,
                 close: float = metrics.CLOSE_CIRCLE_RATE) -> go.Figure:
    """Nested rings (plots.circle_rings) for three circle sizes, innermost first."""
    descriptions = (f"mutuals with {inner:g} or more conversational events a month (both ways)",
                    f"mutuals with {close:g} or more conversational events a month",
                    "everyone who talks with this account both ways")
    return plots.circle_rings(list(counts), LABELS, title, descriptions, value_format="{:g}")


def archetype_circles_figure(medians: pd.DataFrame) -> go.Figure:
    """Grouped bars: the median inner, close and active circle of each archetype."""
    fig = go.Figure()
    for column, label, colour in zip(medians.columns, LABELS, plots.CIRCLE_COLOURS):
        fig.add_trace(go.Bar(x=medians.index, y=medians[column], name=label, marker_color=colour,
                             hovertemplate="%{x}<br>" + label + ": median %{y:g} accounts<extra></extra>"))
    plots.style(fig, "Circles of trust by archetype (medians, default thresholds)", "archetype",
                "accounts in the circle (count)")
    fig.update_layout(barmode="group", height=440)
    return fig


class CirclesExplorer(Explorer):
    """Move the inner and close thresholds; watch an archetype's (or an account's) circles change."""

    def __init__(self, rates: MutualRates, archetype: pd.Series):
        self.rates, self.archetype = rates, archetype
        controls = {
            "who": widgets.Dropdown(options=examples(rates, archetype), description="whose circles",
                                    style={"description_width": "initial"},
                                    layout=widgets.Layout(width="360px")),
            "inner": widgets.FloatSlider(value=metrics.INNER_CIRCLE_RATE, min=2, max=20, step=1,
                                         description="inner ≥ (events/month)", readout_format=".0f",
                                         style={"description_width": "initial"}),
            "close": widgets.FloatSlider(value=metrics.CLOSE_CIRCLE_RATE, min=0.25, max=2, step=0.25,
                                         description="close ≥ (events/month)", readout_format=".2f",
                                         style={"description_width": "initial"}),
        }
        base = rings_figure([1, 2, 3], "Circles of trust")
        figure = go.FigureWidget(base)
        super().__init__(controls, figure, caption="The close threshold stays below the inner one, "
                                                   "so the circles always nest.")

    def sizes(self, who: str, inner: float, close: float) -> tuple[list[float], str]:
        """Circle sizes (inner, close, active) for an archetype's median or one account."""
        counts = self.rates.counts(inner, close)
        if who.startswith("archetype:"):
            name = who.split(":", 1)[1]
            part = counts[self.archetype.to_numpy() == name]
            return part.median().tolist(), f"the median {name} ({len(part)} accounts)"
        return counts.loc[who].tolist(), f"{who} ({self.archetype[who]})"

    def update(self) -> str:
        inner, close = self.controls["inner"].value, self.controls["close"].value
        sizes, whom = self.sizes(self.controls["who"].value, inner, close)
        # Redraw the rings in place with plots.circle_rings' geometry (area in proportion to the
        # count, a minimum radius so an empty circle still shows, nested); building a whole new
        # figure per move would take longer than the 0.1 s a callback may use.
        radii = _ring_radii(sizes)
        angle = np.linspace(0, 2 * np.pi, 181)
        descriptions = (f"mutuals with {inner:g} or more conversational events a month (both ways)",
                        f"mutuals with {close:g} or more conversational events a month",
                        "everyone who talks with this account both ways")
        for j, i in enumerate(reversed(range(len(sizes)))):
            label = f"{LABELS[i]}: {sizes[i]:g}"
            trace = self.figure.data[j]
            trace.x, trace.y = radii[i] * np.cos(angle), radii[i] * np.sin(angle)
            trace.name = label
            trace.text = f"<b>{LABELS[i]}</b>: {sizes[i]:g}<br>{descriptions[i]}"
            self.figure.layout.annotations[j].update(y=radii[i] - 0.06 if i else 0, text=label)
        self.figure.layout.title.text = f"Circles of trust of {whom}"
        per_week = inner / (metrics.DAYS_PER_MONTH / 7)
        return (f"For {whom}: <b>{sizes[0]:g}</b> mutuals share {inner:g} or more conversational "
                f"events a month with it (about {per_week:.1f} a week): the inner circle; "
                f"<b>{sizes[1]:g}</b> share {close:g} or more a month: the close circle; "
                f"<b>{sizes[2]:g}</b> talk with it both ways at all. (Over this {self.rates.months:.1f}-month window, {inner:g} a month means "
                f"{inner * self.rates.months:.0f} or more conversational events between the two.)")


def _ring_radii(counts) -> list[float]:
    """The radii plots.circle_rings gives nested rings of these counts (innermost first)."""
    counts = [float(c) for c in counts]
    biggest = max(counts + [1e-9])
    radii = [max(np.sqrt(c / biggest), 0.12 + 0.1 * i) for i, c in enumerate(counts)]
    return list(np.maximum.accumulate(radii))


@register("06")
def circles_explorer() -> CirclesExplorer:
    """The lesson's explorer on the community dataset."""
    _, archetype, rates = community_circles()
    return CirclesExplorer(rates, archetype)


# --------------------------------------------------------------------------- the real network


def comparison_figure(comparison: pd.DataFrame) -> go.Figure:
    """Grouped bars: reciprocity and replies within 7 days, synthetic vs real vs published."""
    colours = (plots.PALETTE["orange"], plots.PALETTE["blue"], plots.PALETTE["black"])
    fig = go.Figure()
    measures = ["reciprocity", "reply_within_7_days"]
    labels = ["ties reciprocated", "pairs answered within 7 days"]
    for (name, row), colour in zip(comparison.iterrows(), colours):
        fig.add_trace(go.Bar(x=labels, y=row[measures].astype(float), name=name, marker_color=colour,
                             hovertemplate=name + "<br>%{x}: %{y:.1%}<extra></extra>"))
    plots.style(fig, "Two-way talk: synthetic community, real CollegeMsg, published figures",
                "measure", "share (0-1)")
    fig.update_yaxes(range=[0, 1])
    fig.update_layout(barmode="group", height=440)
    return fig


def circle_size_figure(named_circles: dict[str, pd.DataFrame]) -> go.Figure:
    """Share of accounts (with at least one mutual) whose active circle has at least N mutuals, on a
    log scale, one line per dataset (topics.circles.at_least_shares), with Dunbar's layers 5, 15, 50,
    150 marked."""
    colours = (plots.PALETTE["orange"], plots.PALETTE["blue"], plots.TRUST)
    fig = go.Figure()
    for (name, circles), colour in zip(named_circles.items(), colours):
        at_least = at_least_shares(circles)
        fig.add_trace(go.Scatter(x=at_least.index.to_numpy(), y=at_least.to_numpy(),
                                 mode="lines+markers", name=name, line={"color": colour, "shape": "hv"},
                                 marker={"size": 4},
                                 hovertemplate=(name + "<br>%{y:.1%} of accounts have %{x} or more "
                                                "mutuals<extra></extra>")))
    for layer in DUNBAR_LAYERS:
        fig.add_vline(x=layer, line_dash="dot", line_color=plots.PALETTE["black"],
                      annotation_text=f"{layer}", annotation_position="top")
    plots.style(fig, "How big are active circles? (dotted: Dunbar's layers 5, 15, 50, 150)",
                "mutuals of an account (count, log scale)",
                "share of accounts with at least that many (0-1)")
    fig.update_xaxes(type="log")
    fig.update_layout(height=460)
    return fig


