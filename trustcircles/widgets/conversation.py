"""Lesson 03, From information to conversation: what comes back to broadcast, promotion and talk.

The post *Creating our own circle of trust in Social Media* asks for two moves: "from information, to
conversation" and "from self-promotion, to engagement". This module measures both in an interactions
table; the numbers are in :mod:`trustcircles.topics.conversation` (imported here too, so the lesson
uses one module), and this module draws them:

* three figures (:func:`profile_figure`, :func:`replies_scatter_figure`,
  :func:`promotion_reply_figure`) and :class:`BroadcastExplorer` (registered for lesson "03"), a
  slider for the broadcast cut-off with a reading in words.
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from trustcircles import plots
from trustcircles.data import AUTHORED_KINDS
from trustcircles.topics import community
from trustcircles.topics.archetypes import CONVERSATION_ORDER
from trustcircles.topics.archetypes import label as archetype_label
from trustcircles.topics.conversation import (MEASURES, archetype_medians, conversation_by_account,
                                              group_summary)
from trustcircles.widgets import Explorer, register
# The lesson's numbers and words, importable from here too (a lesson imports one module per topic).
from trustcircles.topics.conversation import promotion_sentence, reply_share_by_kind  # noqa: F401

#: one colour per archetype, the same in every lesson (see trustcircles.plots)
ARCHETYPE_COLOURS = plots.ARCHETYPE_COLOURS


# --------------------------------------------------------------------------- figures

def profile_figure(per_account: pd.DataFrame) -> go.Figure:
    """Grouped bars: the median broadcast_ratio and promotional_share of each archetype."""
    med = archetype_medians(per_account)
    fig = plots.Figure()
    for column, label, colour in (("broadcast_ratio", "broadcast ratio (posts / messages)", plots.PALETTE["orange"]),
                                  ("promotional_share", "promotional share (selling / messages)", plots.TRANSACTIONAL)):
        fig.add_trace(go.Bar(
            x=[archetype_label(a) for a in med.index], y=med[column], name=label, marker_color=colour,
            customdata=med["accounts"],
            hovertemplate=f"%{{x}}<br>median {label}: %{{y:.2f}}<br>%{{customdata}} accounts<extra></extra>"))
    fig.update_layout(barmode="group")
    plots.style(fig, "How much each archetype broadcasts and promotes (median per account)",
                "archetype", "median share of the messages it wrote (0-1)")
    fig.update_yaxes(range=[0, 1.05])
    return fig


def replies_scatter_figure(per_account: pd.DataFrame) -> go.Figure:
    """Each account: broadcast_ratio (x) against replies received per message written (y)."""
    fig = plots.Figure()
    present = [a for a in CONVERSATION_ORDER if a in set(per_account["archetype"])]
    for archetype in present:
        part = per_account[per_account["archetype"] == archetype]
        fig.add_trace(go.Scatter(
            x=part["broadcast_ratio"], y=part["replies_per_message"], mode="markers",
            name=archetype_label(archetype),
            marker={"color": ARCHETYPE_COLOURS.get(archetype, plots.NEUTRAL), "size": 7, "opacity": 0.75},
            customdata=np.column_stack([part.index.to_numpy(dtype=object), part["written"],
                                        part["answered_back_share"].fillna(-1)]),
            hovertemplate=("account %{customdata[0]} (" + archetype_label(archetype) + ")<br>broadcast ratio %{x:.2f}"
                           "<br>%{y:.2f} replies per message written (%{customdata[1]} written)"
                           "<extra></extra>")))
    plots.style(fig, "What comes back: replies received per message, by how much an account broadcasts",
                "broadcast ratio (posts / messages written, 0-1)", "replies received per message written")
    return fig


def promotion_reply_figure(by_kind: pd.DataFrame) -> go.Figure:
    """Grouped bars: share of promotional and of personal messages of each kind that got a reply."""
    fig = plots.Figure()
    kinds = [k for k in AUTHORED_KINDS if k in set(by_kind["kind"])]
    for sort, colour in (("personal", plots.TRUST), ("promotional", plots.TRANSACTIONAL)):
        part = by_kind[by_kind["sort"] == sort].set_index("kind").reindex(kinds)
        fig.add_trace(go.Bar(
            x=kinds, y=part["share"], name=f"{sort} messages", marker_color=colour,
            customdata=np.column_stack([part["replied"].fillna(0), part["messages"].fillna(0)]),
            hovertemplate=(f"%{{x}}, {sort}<br>%{{y:.0%}} got a reply"
                           "<br>(%{customdata[0]:,.0f} of %{customdata[1]:,.0f} messages)<extra></extra>")))
    fig.update_layout(barmode="group")
    plots.style(fig, "Promotional and personal messages: how many got a reply from someone else",
                "kind of message", "share of messages that got a reply (%)")
    fig.update_yaxes(range=[0, 1.05], tickformat=".0%")
    return fig


# --------------------------------------------------------------------------- the explorer


def _accounts(n: int, verb: str = "") -> str:
    """ "accounts" or "account", with the verb agreeing ("accounts post", "account posts")."""
    if n == 1:
        return "account" + (f" {verb}s" if verb else "")
    return "accounts" + (f" {verb}" if verb else "")


class BroadcastExplorer(Explorer):
    """Move the cut-off between "mostly broadcast" and "conversational" accounts; see what comes back."""

    def __init__(self, per_account: pd.DataFrame):
        self.per_account = per_account[per_account["broadcast_ratio"].notna()]
        cutoff = widgets.FloatSlider(value=0.5, min=0.1, max=0.9, step=0.05, readout_format=".0%",
                                     description="broadcast cut-off", continuous_update=False,
                                     style={"description_width": "initial"},
                                     layout=widgets.Layout(width="380px"))
        # buttons as wide as their labels: at the default width "replies received per message" was cut
        measure = widgets.ToggleButtons(options=list(MEASURES), value="replies received per message",
                                        description="show", style={"button_width": "auto"})
        figure = go.FigureWidget(go.Bar(
            x=["mostly broadcast", "conversational"], y=[0, 0],
            marker_color=[plots.PALETTE["orange"], plots.TRUST],
            hovertemplate="%{x}<br>%{text}<extra></extra>", text=["", ""], textposition="none"))
        plots.style(figure, "What comes back to broadcasters and to conversational accounts",
                    "accounts, split at the cut-off", "replies received per message written",
                    height=380)
        self.y_title_room = plots.plot_size(figure)[1]
        super().__init__({"cutoff": cutoff, "measure": measure}, figure,
                         caption="Accounts whose posts are more than the cut-off share of what they write "
                                 "count as 'mostly broadcast'.")

    def update(self) -> str:
        cutoff = self.controls["cutoff"].value
        top, bottom, y_title, fmt = MEASURES[self.controls["measure"].value]
        groups = group_summary(self.per_account, cutoff)
        values, hover = [], []
        for name in ("broadcast", "conversation"):
            g = groups[name]
            value = g[top] / g[bottom] if g[bottom] else float("nan")
            values.append(value)
            hover.append(f"{g['accounts']:,} accounts<br>{g[top]:,.0f} of {g[bottom]:,.0f}")
        bar = self.figure.data[0]
        bar.y, bar.text = values, hover
        self.figure.layout.yaxis.title.text = plots.wrap(y_title, self.y_title_room, 14)
        self.figure.layout.yaxis.tickformat = fmt
        b, c = groups["broadcast"], groups["conversation"]
        if b["accounts"] == 0:
            return (f"No account posts more than {cutoff:.0%} of what it writes: "
                    f"move the cut-off down to find the broadcasters.")
        return (f"<b>{b['accounts']:,}</b> {_accounts(b['accounts'], 'post')} more than {cutoff:.0%} of what they write. "
                f"They got <b>{b['replies_per_message']:.2f}</b> replies per message and answered "
                f"<b>{b['answered_back_share']:.0%}</b> of the replies they got. The other "
                f"<b>{c['accounts']:,}</b> (conversational) {_accounts(c['accounts'])} got "
                f"<b>{c['replies_per_message']:.2f}</b> replies per message and answered "
                f"<b>{c['answered_back_share']:.0%}</b> of theirs.")


@register("03")
def broadcast_explorer(table: pd.DataFrame | None = None, accounts: pd.DataFrame | None = None,
                       per_account: pd.DataFrame | None = None) -> BroadcastExplorer:
    """The lesson 03 explorer on the community dataset (or on a per-account table already computed)."""
    if per_account is None:
        loaded = community()
        table = loaded[0] if table is None else table
        accounts = loaded[1] if accounts is None else accounts
        per_account = conversation_by_account(table, accounts)
    return BroadcastExplorer(per_account)
