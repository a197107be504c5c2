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
from trustcircles.topics.archetypes import label
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
    fig = plots.Figure()
    for column, name, colour in zip(medians.columns, LABELS, plots.CIRCLE_COLOURS):
        fig.add_trace(go.Bar(x=[label(a) for a in medians.index], y=medians[column], name=name,
                             marker_color=colour,
                             hovertemplate="%{x}<br>" + name + ": median %{y:g} accounts<extra></extra>"))
    fig.update_layout(barmode="group")
    return plots.style(fig, "Circles of trust by archetype (medians, default thresholds)", "archetype",
                       "accounts in the circle (count)", height=460)


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
            return part.median().tolist(), f"the median {label(name)} ({len(part):,} accounts)"
        return counts.loc[who].tolist(), f"{who} ({label(self.archetype[who])})"

    def update(self) -> str:
        inner, close = self.controls["inner"].value, self.controls["close"].value
        sizes, whom = self.sizes(self.controls["who"].value, inner, close)
        # Redraw the rings in place with plots.circle_rings' geometry; building a whole new
        # figure per move would take longer than the 0.1 s a callback may use.
        descriptions = (f"mutuals with {inner:g} or more conversational events a month (both ways)",
                        f"mutuals with {close:g} or more conversational events a month",
                        "everyone who talks with this account both ways")
        plots.redraw_rings(self.figure, sizes, LABELS, descriptions, "{:g}")
        self.figure.layout.title.text = f"Circles of trust of {whom}"
        per_week = inner / (metrics.DAYS_PER_MONTH / 7)
        return (f"For {whom}: <b>{sizes[0]:g}</b> mutuals share {inner:g} or more conversational "
                f"events a month with it (about {per_week:.1f} a week): the inner circle; "
                f"<b>{sizes[1]:g}</b> share {close:g} or more a month: the close circle; "
                f"<b>{sizes[2]:g}</b> talk with it both ways at all. (Over this {self.rates.months:.1f}-month window, {inner:g} a month means "
                f"{inner * self.rates.months:.0f} or more conversational events between the two.)")


@register("06")
def circles_explorer() -> CirclesExplorer:
    """The lesson's explorer on the community dataset."""
    _, archetype, rates = community_circles()
    return CirclesExplorer(rates, archetype)


# --------------------------------------------------------------------------- the real network


def comparison_figure(comparison: pd.DataFrame) -> go.Figure:
    """Grouped bars: reciprocity and replies within 7 days, synthetic vs real vs published."""
    colours = (plots.PALETTE["orange"], plots.PALETTE["blue"], plots.PALETTE["black"])
    fig = plots.Figure()
    measures = ["reciprocity", "reply_within_7_days"]
    labels = ["ties reciprocated", "pairs answered within 7 days"]
    for (name, row), colour in zip(comparison.iterrows(), colours):
        fig.add_trace(go.Bar(x=labels, y=row[measures].astype(float), name=name, marker_color=colour,
                             hovertemplate=name + "<br>%{x}: %{y:.1%}<extra></extra>"))
    fig.update_yaxes(range=[0, 1], tickformat=".0%")
    fig.update_layout(barmode="group")
    return plots.style(fig, "Two-way talk: synthetic community, real CollegeMsg, published figures",
                       "measure", "share (%)", height=460)


def circle_size_figure(named_circles: dict[str, pd.DataFrame]) -> go.Figure:
    """Share of accounts (with at least one mutual) whose active circle has at least N mutuals, on a
    log scale, one line per dataset (topics.circles.at_least_shares), with Dunbar's layers 5, 15, 50,
    150 marked."""
    colours = (plots.PALETTE["orange"], plots.PALETTE["blue"], plots.TRUST)
    fig = plots.Figure()
    for (name, circles), colour in zip(named_circles.items(), colours):
        at_least = at_least_shares(circles)
        fig.add_trace(go.Scatter(x=at_least.index.to_numpy(), y=at_least.to_numpy(),
                                 mode="lines+markers", name=name, line={"color": colour, "shape": "hv"},
                                 marker={"size": 4},
                                 hovertemplate=(name + "<br>%{y:.1%} of accounts have %{x} or more "
                                                "mutuals<extra></extra>")))
    # A log axis takes its range in log10 units; it reaches Dunbar's largest layer.
    sizes = [c["circle_active"].to_numpy() for c in named_circles.values()]
    fig.update_xaxes(type="log", range=plots.log_range(np.concatenate(sizes) if sizes else [1],
                                                       include=DUNBAR_LAYERS))
    for layer in DUNBAR_LAYERS:
        plots.reference_line(fig, x=layer, label=f"{layer}", position="top center", dash="dot")
    fig.update_yaxes(tickformat=".0%")
    return plots.style(fig, "How big are active circles? (dotted: Dunbar's layers 5, 15, 50, 150)",
                       "mutuals of an account (count, log scale)",
                       "share of accounts with at least that many (%)", height=460)


