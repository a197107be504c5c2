"""Lesson 02, Listen before you speak: how contact is opened, and whether the other person answers.

The numbers are in :mod:`trustcircles.topics.listening` (:func:`opening_ties`: every tie with how it
was opened and whether, and how soon, it became two-way; imported here too, so the lesson uses one
module); this module draws them:

* :func:`talked_back_figure`: the share of ties that were ever two-way, by how they were opened;
* :class:`ListeningExplorer` (registered for lesson "02"): choose how long to wait and whose ties to
  look at, and see the shares change.

``first_kind`` comes from :func:`trustcircles.metrics.ties` (events of a tie ordered by timestamp,
then event_id as text), so the lesson agrees with ``opened_by_listening`` in the report.
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from trustcircles import plots
from trustcircles.topics.archetypes import ARCHETYPES, PLURALS, label
from trustcircles.topics.listening import (OPENING_WORDS, OPENINGS, answered_within, community_ties,
                                           opening_ties)
from trustcircles.widgets import Explorer, register
# The lesson's numbers and words, importable from here too (a lesson imports one module per topic).
from trustcircles.topics.listening import opening_sentence  # noqa: F401

#: The colour of each way of opening a tie.
OPENING_COLOURS = {"reply": plots.TRUST, "mention": plots.PALETTE["orange"], "dm": plots.TRANSACTIONAL}


def talked_back_figure(ties: pd.DataFrame, archetypes=("transactional", "trust_builder", None)
                       ) -> go.Figure:
    """Grouped bars: the share of ties the other person ever talked back on, by how the tie was
    opened, for some archetypes (None = everyone)."""
    fig = plots.Figure()
    for opening in OPENINGS:
        groups, shares, hover = [], [], []
        for archetype in archetypes:
            s = answered_within(ties, None, archetype)
            name = "everyone" if archetype is None else label(archetype)
            groups.append(name)
            shares.append(s.at[opening, "share_answered"])
            hover.append(f"{name}: {int(s.at[opening, 'ties']):,} ties {OPENING_WORDS[opening]};<br>"
                         f"{s.at[opening, 'share_answered']:.0%} talked back"
                         if s.at[opening, "ties"] else f"{name}: no ties {OPENING_WORDS[opening]}")
        fig.add_trace(go.Bar(x=groups, y=shares, name=OPENING_WORDS[opening],
                             marker_color=OPENING_COLOURS[opening], hovertext=hover, hoverinfo="text"))
    fig.update_layout(barmode="group")
    fig.update_yaxes(tickformat=".0%", range=[0, 1])
    return plots.style(fig, "Does the other person talk back? By how the tie was opened",
                       "who opened the ties", "share of ties talked back on (%)")


class ListeningExplorer(Explorer):
    """How long to wait, and whose ties: the share that became two-way, by how the tie was opened."""

    def __init__(self, table: pd.DataFrame | None = None, accounts: pd.DataFrame | None = None):
        self.ties = (community_ties() if table is None or accounts is None
                     else opening_ties(table, accounts))
        present = set(self.ties["archetype"].dropna())
        weeks = widgets.IntSlider(value=1, min=1, max=26, step=1, description="wait (weeks)",
                                  continuous_update=True)
        who = widgets.Dropdown(options=[("everyone", "")] + [(label(a), a) for a in ARCHETYPES if a in present],
                               value="", description="ties of")
        # Precompute, per archetype and opening, the sorted answer delays: a callback only counts.
        self.delays = {}
        for archetype in [""] + sorted(present):
            part = self.ties if not archetype else self.ties[self.ties["archetype"] == archetype]
            for opening in OPENINGS:
                days = part.loc[part["first_kind"] == opening, "two_way_days"].to_numpy()
                self.delays[archetype, opening] = (np.sort(days[~np.isnan(days)]), len(days))
        figure = go.FigureWidget([go.Bar(
            x=[OPENING_WORDS[o] for o in OPENINGS], y=[0, 0, 0],
            marker_color=[OPENING_COLOURS[o] for o in OPENINGS], customdata=[0, 0, 0],
            hovertemplate="%{x}<br>%{y:.0%} two-way, of %{customdata:,} ties<extra></extra>")])
        figure.update_yaxes(tickformat=".0%", range=[0, 1])
        plots.style(figure, "Two-way within the wait, by how the tie was opened",
                    "how the tie was opened", "share of ties that were two-way (%)", height=380)
        super().__init__({"weeks": weeks, "who": who}, figure)

    def update(self) -> str:
        weeks, who = self.controls["weeks"].value, self.controls["who"].value
        shares, counts = [], []
        for opening in OPENINGS:
            days, n = self.delays[who, opening]
            counts.append(n)
            shares.append(np.searchsorted(days, 7 * weeks, side="right") / n if n else float("nan"))
        bars = self.figure.data[0]
        bars.y, bars.customdata = shares, counts
        reply_n = counts[0]
        cold_n = counts[1] + counts[2]
        cold_answered = sum(s * n for s, n in zip(shares[1:], counts[1:]) if n)
        whose = "everyone's ties" if not who else f"the ties opened by {PLURALS[who]}"
        wait = f"{weeks} week{'s' if weeks != 1 else ''}"
        reply_text = (f"<b>{shares[0]:.0%}</b> of the {reply_n:,} opened by a reply" if reply_n
                      else "none opened by a reply")
        cold_text = (f"<b>{cold_answered / cold_n:.0%}</b> of the {cold_n:,} opened cold" if cold_n
                     else "none opened cold")
        return (f"Of {whose}, {reply_text} were talking both ways within {wait} of the first "
                f"message, against {cold_text} (by a mention or a direct message).")


@register("02")
def listening_explorer() -> ListeningExplorer:
    """The lesson 02 explorer on the community dataset."""
    return ListeningExplorer()
