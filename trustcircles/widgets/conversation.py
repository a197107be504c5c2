"""Lesson 03, From information to conversation: what comes back to broadcast, promotion and talk.

The post *Creating our own circle of trust in Social Media* asks for two moves: "from information, to
conversation" and "from self-promotion, to engagement". This module measures both in an interactions
table (METRICS.md), with the course's metrics underneath so every number agrees with the report:

* :func:`conversation_by_account`: per account, its broadcast_ratio and promotional_share (from
  :mod:`trustcircles.metrics`), how many replies it received per message it wrote, and how many of
  those replies it answered back;
* :func:`message_replies` and :func:`reply_share_by_promotion`: for every message written, whether
  anybody else replied to it, and the share of promotional and personal messages that got a reply;
* three figures (:func:`profile_figure`, :func:`replies_scatter_figure`,
  :func:`promotion_reply_figure`) and :class:`BroadcastExplorer` (registered for lesson "03"), a
  slider for the broadcast cut-off with a reading in words.
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from trustcircles import metrics, plots
from trustcircles.data import AUTHORED_KINDS
from trustcircles.widgets import Explorer, register

#: archetypes in the order the figures show them, trust-building first
ARCHETYPE_ORDER = ("trust_builder", "listener", "newcomer", "broadcaster", "transactional", "troll")
#: one colour per archetype, the same in every lesson (see trustcircles.plots)
ARCHETYPE_COLOURS = plots.ARCHETYPE_COLOURS


def _not_self(table: pd.DataFrame) -> pd.Series:
    """True for rows that are not self-interactions (a post has no target and is never one)."""
    return (table["actor"] != table["target"]).fillna(True).astype(bool)


def written_messages(table: pd.DataFrame) -> pd.DataFrame:
    """The messages people wrote: authored events (post, reply, mention, dm), self-interactions left out."""
    keep = table["kind"].isin(AUTHORED_KINDS) & _not_self(table)
    return table.loc[keep, ["event_id", "actor", "kind", "is_promotional"]]


def message_replies(table: pd.DataFrame) -> pd.DataFrame:
    """Every message written, and whether somebody else replied to it (at any time).

    A message "got a reply" when some ``reply`` names it as ``parent_id`` and was written by another
    account than the message's author. Likes and shares are attention, not replies: they do not count.
    Columns: event_id, actor, kind, is_promotional, got_reply.
    """
    messages = written_messages(table)
    replies = table.loc[(table["kind"] == "reply") & _not_self(table), ["parent_id", "actor"]]
    pairs = replies.merge(messages[["event_id", "actor"]], left_on="parent_id", right_on="event_id",
                          suffixes=("_reply", ""))
    answered = pairs.loc[pairs["actor_reply"] != pairs["actor"], "event_id"]
    return messages.assign(got_reply=messages["event_id"].isin(answered).to_numpy())


def reply_share_by_promotion(table: pd.DataFrame) -> dict:
    """The share of promotional and of personal messages that got a reply from someone else.

    Returns ``{"promotional": share, "personal": share}`` (each between 0 and 1, NaN when there is
    no message of that sort). "Personal" means every written message that is not promotional.
    """
    got = message_replies(table)
    promo = got["is_promotional"].to_numpy(dtype=bool)
    replied = got["got_reply"].to_numpy(dtype=bool)
    share = lambda keep: float(replied[keep].mean()) if keep.any() else float("nan")  # noqa: E731
    return {"promotional": share(promo), "personal": share(~promo)}


def reply_share_by_kind(table: pd.DataFrame) -> pd.DataFrame:
    """The share of messages that got a reply, by kind of message and promotional or personal.

    One row per (kind, sort) with columns kind, sort ("promotional"/"personal"), messages, replied,
    share.
    """
    got = message_replies(table)
    got = got.assign(sort=np.where(got["is_promotional"].to_numpy(dtype=bool), "promotional", "personal"))
    out = got.groupby(["kind", "sort"], observed=True)["got_reply"].agg(["size", "sum"]).reset_index()
    out.columns = ["kind", "sort", "messages", "replied"]
    out["share"] = out["replied"] / out["messages"]
    return out


def conversation_by_account(table: pd.DataFrame, accounts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per account that wrote something: how much it broadcasts and promotes, and what comes back.

    Columns: ``written`` (authored events, self-interactions left out), ``broadcast_ratio`` and
    ``promotional_share`` (METRICS.md, via :mod:`trustcircles.metrics`), ``replies_received``
    (replies from other accounts addressed to it), ``replies_per_message`` (replies_received /
    written), ``answered_back`` (how many of the replies it received it replied to in turn) and
    ``answered_back_share`` (answered_back / replies_received, NaN if it received none), plus
    ``archetype`` when the accounts table is given. Index: account.
    """
    not_self = _not_self(table)
    written = written_messages(table)["actor"].value_counts()
    replies = table.loc[(table["kind"] == "reply") & not_self, ["event_id", "actor", "target", "parent_id"]]
    received = replies["target"].value_counts()
    # A reply received is "answered back" when its addressee replied to that very reply.
    back = replies.merge(replies[["parent_id", "actor"]].drop_duplicates(),
                         left_on=["event_id", "target"], right_on=["parent_id", "actor"],
                         suffixes=("", "_back"))
    answered_back = back["target"].value_counts()
    frame = pd.DataFrame({"written": written})
    frame["broadcast_ratio"] = metrics.broadcast_ratio(table).reindex(frame.index)
    frame["promotional_share"] = metrics.promotional_share(table).reindex(frame.index)
    frame["replies_received"] = received.reindex(frame.index).fillna(0).astype("int64")
    frame["replies_per_message"] = frame["replies_received"] / frame["written"]
    frame["answered_back"] = answered_back.reindex(frame.index).fillna(0).astype("int64")
    frame["answered_back_share"] = (frame["answered_back"] / frame["replies_received"]).where(
        frame["replies_received"] > 0)
    frame.index.name = "account"
    if accounts is not None:
        frame["archetype"] = accounts.set_index("account")["archetype"].reindex(frame.index).astype("str")
    return frame.sort_index()


def archetype_medians(per_account: pd.DataFrame, columns=("broadcast_ratio", "promotional_share")) -> pd.DataFrame:
    """Median of the given columns per archetype, with the number of accounts, trust-building first."""
    grouped = per_account.groupby("archetype")
    out = grouped[list(columns)].median()
    out["accounts"] = grouped.size()
    order = [a for a in ARCHETYPE_ORDER if a in out.index] + sorted(set(out.index) - set(ARCHETYPE_ORDER))
    return out.loc[order]


# --------------------------------------------------------------------------- figures

def profile_figure(per_account: pd.DataFrame) -> go.Figure:
    """Grouped bars: the median broadcast_ratio and promotional_share of each archetype."""
    med = archetype_medians(per_account)
    fig = go.Figure()
    for column, label, colour in (("broadcast_ratio", "broadcast ratio (posts / messages)", plots.PALETTE["orange"]),
                                  ("promotional_share", "promotional share (selling / messages)", plots.TRANSACTIONAL)):
        fig.add_trace(go.Bar(
            x=list(med.index), y=med[column], name=label, marker_color=colour,
            customdata=med["accounts"],
            hovertemplate=f"%{{x}}<br>median {label}: %{{y:.2f}}<br>%{{customdata}} accounts<extra></extra>"))
    fig.update_layout(barmode="group")
    plots.style(fig, "How much each archetype broadcasts and promotes (median per account)",
                "archetype", "median share of the messages it wrote (0-1)")
    fig.update_yaxes(range=[0, 1.05])
    return fig


def replies_scatter_figure(per_account: pd.DataFrame) -> go.Figure:
    """Each account: broadcast_ratio (x) against replies received per message written (y)."""
    fig = go.Figure()
    present = [a for a in ARCHETYPE_ORDER if a in set(per_account["archetype"])]
    for archetype in present:
        part = per_account[per_account["archetype"] == archetype]
        fig.add_trace(go.Scatter(
            x=part["broadcast_ratio"], y=part["replies_per_message"], mode="markers", name=archetype,
            marker={"color": ARCHETYPE_COLOURS.get(archetype, plots.NEUTRAL), "size": 7, "opacity": 0.75},
            customdata=np.column_stack([part.index.to_numpy(dtype=object), part["written"],
                                        part["answered_back_share"].fillna(-1)]),
            hovertemplate=("account %{customdata[0]} (" + archetype + ")<br>broadcast ratio %{x:.2f}"
                           "<br>%{y:.2f} replies per message written (%{customdata[1]} written)"
                           "<extra></extra>")))
    plots.style(fig, "What comes back: replies received per message, by how much an account broadcasts",
                "broadcast ratio (posts / messages written, 0-1)", "replies received per message written")
    return fig


def promotion_reply_figure(by_kind: pd.DataFrame) -> go.Figure:
    """Grouped bars: share of promotional and of personal messages of each kind that got a reply."""
    fig = go.Figure()
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
                "kind of message", "share of messages that got a reply (0-1)")
    fig.update_yaxes(range=[0, 1.05], tickformat=".0%")
    return fig


def promotion_sentence(by_kind: pd.DataFrame) -> str:
    """One sentence from :func:`reply_share_by_kind`: the share of promotional and of personal
    messages (all kinds together) that got a reply from someone else."""
    totals = by_kind.groupby("sort")[["messages", "replied"]].sum()
    parts = []
    for sort, verb in (("promotional", "got a reply from someone else"), ("personal", "did")):
        if sort in totals.index and totals.loc[sort, "messages"]:
            n, r = totals.loc[sort, "messages"], totals.loc[sort, "replied"]
            parts.append(f"of {n:,} {sort} messages, {r / n:.0%} {verb}")
        else:
            parts.append(f"there are no {sort} messages")
    return f"{parts[0][0].upper()}{parts[0][1:]}; {parts[1]}."


# --------------------------------------------------------------------------- the explorer

#: what the explorer can show: label -> (column summed on top, column summed below, y title, format)
MEASURES = {
    "replies received per message": ("replies_received", "written",
                                     "replies received per message written", ".2f"),
    "replies they answered back": ("answered_back", "replies_received",
                                   "share of replies received that they answered (0-1)", ".0%"),
}


def group_summary(per_account: pd.DataFrame, cutoff: float) -> dict:
    """Accounts above and at-or-below a broadcast-ratio cut-off, with their pooled figures.

    For each group ("broadcast" = broadcast_ratio > cutoff, "conversation" = the rest): accounts,
    messages written, replies received, replies answered back, replies per message and the share of
    replies answered back (pooled over the group's accounts; NaN for an empty group).
    """
    ratio = per_account["broadcast_ratio"].to_numpy(dtype=float)
    sums = per_account[["written", "replies_received", "answered_back"]].to_numpy(dtype=float)
    out = {}
    for name, keep in (("broadcast", ratio > cutoff), ("conversation", ratio <= cutoff)):
        written, received, back = sums[keep].sum(axis=0)
        out[name] = {"accounts": int(keep.sum()), "written": written, "replies_received": received,
                     "answered_back": back,
                     "replies_per_message": received / written if written else float("nan"),
                     "answered_back_share": back / received if received else float("nan")}
    return out


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
        measure = widgets.ToggleButtons(options=list(MEASURES), value="replies received per message",
                                        description="show")
        figure = go.FigureWidget(go.Bar(
            x=["mostly broadcast", "conversational"], y=[0, 0],
            marker_color=[plots.PALETTE["orange"], plots.TRUST],
            hovertemplate="%{x}<br>%{text}<extra></extra>", text=["", ""], textposition="none"))
        plots.style(figure, "What comes back to broadcasters and to conversational accounts",
                    "accounts, split at the cut-off", "replies received per message written")
        figure.update_layout(height=380)
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
            hover.append(f"{g['accounts']} accounts<br>{g[top]:,.0f} of {g[bottom]:,.0f}")
        bar = self.figure.data[0]
        bar.y, bar.text = values, hover
        self.figure.layout.yaxis.title.text = y_title
        self.figure.layout.yaxis.tickformat = fmt
        b, c = groups["broadcast"], groups["conversation"]
        if b["accounts"] == 0:
            return (f"No account posts more than {cutoff:.0%} of what it writes: "
                    f"move the cut-off down to find the broadcasters.")
        return (f"<b>{b['accounts']}</b> {_accounts(b['accounts'], 'post')} more than {cutoff:.0%} of what they write. "
                f"They got <b>{b['replies_per_message']:.2f}</b> replies per message and answered "
                f"<b>{b['answered_back_share']:.0%}</b> of the replies they got. The other "
                f"<b>{c['accounts']}</b> (conversational) {_accounts(c['accounts'])} got "
                f"<b>{c['replies_per_message']:.2f}</b> replies per message and answered "
                f"<b>{c['answered_back_share']:.0%}</b> of theirs.")


@register("03")
def broadcast_explorer(table: pd.DataFrame | None = None, accounts: pd.DataFrame | None = None,
                       per_account: pd.DataFrame | None = None) -> BroadcastExplorer:
    """The lesson 03 explorer on the community dataset (or on a per-account table already computed)."""
    if per_account is None:
        from trustcircles.data import load_accounts, load_interactions
        table = load_interactions("community") if table is None else table
        accounts = load_accounts("community") if accounts is None else accounts
        per_account = conversation_by_account(table, accounts)
    return BroadcastExplorer(per_account)
