"""The course's figures: plotly, one look, a colour-blind-safe palette.

Every figure in the lessons and the report goes through :func:`style`, so they all have a title,
axis titles with units, readable hover text and the Okabe–Ito palette (distinguishable with the
common forms of colour blindness). Figure functions take plain numbers, not tables, so a lesson can
feed them whatever it computed; each returns a ``plotly.graph_objects.Figure``.

Colour roles used across the course: :data:`TRUST` for trust-building behaviour (conversation,
mutual ties, answers) and :data:`TRANSACTIONAL` for transactional behaviour (broadcast, one-way
attention, silence), with :data:`NEUTRAL` for everything else.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import plotly.graph_objects as go

#: The Okabe–Ito palette (Okabe and Ito, 2008), by name.
PALETTE = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
#: The order plotly uses for successive traces (black last: it reads as text, not as data).
COLORWAY = [PALETTE[k] for k in ("blue", "orange", "bluish_green", "vermillion", "sky_blue",
                                 "reddish_purple", "yellow", "black")]
TRUST = PALETTE["bluish_green"]
TRANSACTIONAL = PALETTE["vermillion"]
NEUTRAL = PALETTE["sky_blue"]
#: One colour per archetype of the simulated community, the same in every lesson: trust builders in
#: the trust colour, transactional accounts in the transactional colour.
ARCHETYPE_COLOURS = {
    "trust_builder": TRUST,
    "transactional": TRANSACTIONAL,
    "broadcaster": PALETTE["orange"],
    "listener": PALETTE["blue"],
    "newcomer": PALETTE["sky_blue"],
    "troll": PALETTE["reddish_purple"],
}
#: Colours of the circles of trust, innermost first.
CIRCLE_COLOURS = (PALETTE["blue"], PALETTE["bluish_green"], PALETTE["sky_blue"], PALETTE["yellow"])


def style(fig: go.Figure, title: str, x_title: str, y_title: str) -> go.Figure:
    """Give a figure the course's look: title, axis titles (say the unit!), palette, hover labels.

    Returns the same figure, so calls can be chained: ``style(go.Figure(...), "...", "...", "...")``.
    """
    fig.update_layout(
        template="simple_white", colorway=COLORWAY,
        title={"text": title, "x": 0.02, "xanchor": "left"},
        font={"family": "Arial, Helvetica, sans-serif", "size": 14},
        hoverlabel={"font_size": 13}, margin={"l": 70, "r": 30, "t": 70, "b": 60},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0})
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text=y_title)
    return fig


def circle_rings(counts: Sequence[float], labels: Sequence[str], title: str,
                 descriptions: Sequence[str] | None = None, value_format: str = "{:g}") -> go.Figure:
    """Nested rings, innermost first: ring i has area in proportion to counts[i] (which should grow
    outwards, as nested circles do). Hovering a ring shows its label, count and description."""
    counts = [float(c) for c in counts]
    descriptions = list(descriptions or [""] * len(counts))
    biggest = max(counts + [1e-9])
    # Area ∝ count, with a minimum so an empty circle is still drawn and can be hovered.
    radii = [max(np.sqrt(c / biggest), 0.12 + 0.1 * i) for i, c in enumerate(counts)]
    radii = list(np.maximum.accumulate(radii))
    fig = go.Figure()
    for i in reversed(range(len(counts))):
        angle = np.linspace(0, 2 * np.pi, 181)
        text = f"<b>{labels[i]}</b>: {value_format.format(counts[i])}<br>{descriptions[i]}"
        fig.add_trace(go.Scatter(
            x=radii[i] * np.cos(angle), y=radii[i] * np.sin(angle), fill="toself", mode="lines",
            line={"color": "white", "width": 2}, fillcolor=CIRCLE_COLOURS[i % len(CIRCLE_COLOURS)],
            name=f"{labels[i]}: {value_format.format(counts[i])}", hoveron="fills",
            hoverinfo="text", text=text))
        fig.add_annotation(x=0, y=radii[i] - 0.06 if i else 0, showarrow=False,
                           text=f"{labels[i]}: {value_format.format(counts[i])}",
                           font={"color": "white" if i < 2 else "black", "size": 13})
    style(fig, title, "", "")
    fig.update_xaxes(visible=False, range=[-1.1, 1.1])
    fig.update_yaxes(visible=False, range=[-1.1, 1.1], scaleanchor="x", scaleratio=1)
    fig.update_layout(height=460, legend={"traceorder": "reversed"})
    return fig


def bars(categories: Sequence[str], values: Sequence[float], title: str, x_title: str,
         y_title: str, colours: Sequence[str] | None = None,
         hover: Sequence[str] | None = None) -> go.Figure:
    """A bar chart of one value per category, each bar with its own colour and hover text."""
    colours = list(colours or [COLORWAY[i % len(COLORWAY)] for i in range(len(categories))])
    hover = list(hover or [f"{c}: {v:g}" for c, v in zip(categories, values)])
    fig = go.Figure(go.Bar(x=list(categories), y=list(values), marker_color=colours,
                           hovertext=hover, hoverinfo="text", showlegend=False))
    return style(fig, title, x_title, y_title)


def histogram(values: Sequence[float], title: str, x_title: str, y_title: str,
              colour: str = NEUTRAL, name: str = "", bin_size: float | None = None,
              marker_at: float | None = None, marker_label: str = "") -> go.Figure:
    """A histogram of values (NaN left out), optionally with a dashed vertical line at marker_at."""
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    xbins = {"start": 0, "size": bin_size} if bin_size else None
    fig = go.Figure(go.Histogram(
        x=values, xbins=xbins, marker_color=colour, name=name or x_title,
        hovertemplate=f"{x_title}: %{{x}}<br>{y_title}: %{{y}}<extra></extra>"))
    if marker_at is not None:
        fig.add_vline(x=marker_at, line_dash="dash", line_color=PALETTE["black"],
                      annotation_text=marker_label, annotation_position="top right")
    fig.update_layout(bargap=0.05)
    return style(fig, title, x_title, y_title)


# The archetype added with lesson 12 (appended here, as additions to this module are): an account
# run by a scheduling tool or an agency, in black, the one colour of the palette no archetype had.
ARCHETYPE_COLOURS.setdefault("outsourced", PALETTE["black"])
