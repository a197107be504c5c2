"""Lesson 02, Listen before you speak: how contact is opened, and whether the other person answers.

* :func:`opening_ties` gives every tie a→b with how a opened it (``first_kind``: ``reply`` means a
  first spoke to b by answering something b said; ``mention`` and ``dm`` are cold openings), the
  archetype of a, whether b ever talked back, and how many days after a's first message the two were
  talking both ways (``two_way_days``: 0 when b had spoken to a first, missing if b never did);
* :func:`answered_within` and :func:`talked_back_figure`: the share of ties that were two-way
  (within a given time, or ever), by how they were opened;
* :class:`ListeningExplorer` (registered for lesson "02"): choose how long to wait and whose ties to
  look at, and see the shares change.

``first_kind`` comes from :func:`trustcircles.metrics.ties` (events of a tie ordered by timestamp,
then event_id as text), so the lesson agrees with ``opened_by_listening`` in the report.
"""
from __future__ import annotations

from functools import lru_cache

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from trustcircles import metrics, plots
from trustcircles.data import CONVERSATIONAL_KINDS
from trustcircles.widgets import Explorer, register
from trustcircles.widgets.attention import with_archetype
from trustcircles.widgets.welcome import ARCHETYPES, PLURALS, community, label

#: How a tie can be opened, in the order the figures show them, with words and colours.
OPENINGS = ("reply", "mention", "dm")
OPENING_WORDS = {"reply": "opened by a reply (listening first)", "mention": "opened cold by a mention",
                 "dm": "opened cold by a direct message"}
OPENING_COLOURS = {"reply": plots.TRUST, "mention": plots.PALETTE["orange"], "dm": plots.TRANSACTIONAL}


def opening_ties(table: pd.DataFrame, accounts: pd.DataFrame) -> pd.DataFrame:
    """Every tie a→b (from :func:`trustcircles.metrics.ties`) with ``archetype`` (of a),
    ``talked_back`` (the tie b→a exists) and ``two_way_days``: how many days after a's first message
    to b the two were talking both ways, i.e. b's first message to a minus a's first message to b,
    or 0 if b had written to a first; missing if b never wrote to a."""
    ties = with_archetype(metrics.ties(table), accounts)
    first = pd.Series(ties["first_time"].to_numpy(),
                      index=pd.MultiIndex.from_arrays([ties["actor"], ties["target"]]))
    back = first.reindex(pd.MultiIndex.from_arrays([ties["target"], ties["actor"]])).to_numpy()
    days = (pd.to_timedelta(back - ties["first_time"].to_numpy()) / pd.Timedelta(days=1)).to_numpy()
    ties["two_way_days"] = np.where(np.isnan(days), np.nan, np.maximum(days, 0.0))
    return ties


@lru_cache(maxsize=1)
def community_ties() -> pd.DataFrame:
    """:func:`opening_ties` of the community dataset, computed once per session (do not modify it)."""
    return opening_ties(*community())


def answered_within(ties: pd.DataFrame, weeks: float | None = None, archetype: str | None = None
                    ) -> pd.DataFrame:
    """For each way of opening (rows: reply, mention, dm), the number of ties and the share (0-1)
    that were two-way within ``weeks`` of a's first message (the other person had written first, or
    answered within that time), or ever (``talked_back``) if ``weeks`` is None. Only ties opened by
    ``archetype`` if one is given."""
    if archetype is not None:
        ties = ties[ties["archetype"] == archetype]
    answered = (ties["talked_back"].to_numpy() if weeks is None
                else (ties["two_way_days"] <= 7 * weeks).to_numpy())
    frame = pd.DataFrame({"opening": ties["first_kind"].to_numpy(), "answered": answered})
    summary = frame.groupby("opening")["answered"].agg(["size", "mean"]).reindex(list(OPENINGS))
    summary.columns = ["ties", "share_answered"]
    summary["ties"] = summary["ties"].fillna(0).astype(int)
    return summary


def talked_back_figure(ties: pd.DataFrame, archetypes=("transactional", "trust_builder", None)
                       ) -> go.Figure:
    """Grouped bars: the share of ties the other person ever talked back on, by how the tie was
    opened, for some archetypes (None = everyone)."""
    fig = go.Figure()
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


def opening_sentence(ties: pd.DataFrame, weeks: float | None = None, archetype: str | None = None) -> str:
    """One sentence comparing ties opened by a reply with ties opened cold (mention or dm)."""
    if archetype is not None:
        ties = ties[ties["archetype"] == archetype]
    answered = (ties["talked_back"] if weeks is None else ties["two_way_days"] <= 7 * weeks).to_numpy()
    reply = (ties["first_kind"] == "reply").to_numpy()
    when = "ever" if weeks is None else f"within {weeks:g} week{'s' if weeks != 1 else ''}"
    parts = []
    for name, mask in (("by a reply", reply), ("cold (by a mention or a direct message)", ~reply)):
        n = int(mask.sum())
        parts.append(f"of the {n:,} ties opened {name}, {answered[mask].mean():.0%} were two-way {when}"
                     if n else f"no ties were opened {name}")
    who = "everyone" if archetype is None else PLURALS[archetype]
    return f"For {who}: " + "; ".join(parts) + "."


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
        plots.style(figure, "Two-way within the wait, by how the tie was opened",
                    "how the tie was opened", "share of ties that were two-way (%)")
        figure.update_yaxes(tickformat=".0%", range=[0, 1])
        figure.update_layout(height=380)
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
