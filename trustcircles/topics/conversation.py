"""Lesson 03, From information to conversation: what comes back to broadcast, promotion and talk.

The post *Creating our own circle of trust in Social Media* asks for two moves: "from information, to
conversation" and "from self-promotion, to engagement". This module measures both in an interactions
table (METRICS.md), with the course's metrics underneath so every number agrees with the report:

* :func:`conversation_by_account`: per account, its broadcast_ratio and promotional_share (from
  :mod:`trustcircles.metrics`), how many replies it received per message it wrote, and how many of
  those replies it answered back; :func:`archetype_medians` sums it up per archetype;
* :func:`message_replies`, :func:`reply_share_by_promotion` and :func:`reply_share_by_kind`: for
  every message written, whether anybody else replied to it, and the share of promotional and
  personal messages that got a reply (:func:`promotion_sentence` says it in words);
* :func:`group_summary`: accounts above and below a broadcast cut-off, pooled (the explorer's numbers).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from trustcircles import metrics
from trustcircles.data import AUTHORED_KINDS
from trustcircles.topics.archetypes import CONVERSATION_ORDER, in_order


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
    return out.loc[in_order(out.index, CONVERSATION_ORDER)]


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


#: what the explorer can show: label -> (column summed on top, column summed below, y title, format)
MEASURES = {
    "replies received per message": ("replies_received", "written",
                                     "replies received per message written", ".2f"),
    "replies they answered back": ("answered_back", "replies_received",
                                   "share of replies received that they answered (%)", ".0%"),
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
