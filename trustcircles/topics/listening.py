"""Lesson 02, Listen before you speak: how contact is opened, and whether the other person answers.

* :func:`opening_ties` gives every tie a→b with how a opened it (``first_kind``: ``reply`` means a
  first spoke to b by answering something b said; ``mention`` and ``dm`` are cold openings), the
  archetype of a, whether b ever talked back, and how many days after a's first message the two were
  talking both ways (``two_way_days``: 0 when b had spoken to a first, missing if b never did);
* :func:`answered_within`, :func:`two_way_shares` and :func:`opening_sentence`: the share of ties
  that were two-way (within a given time, or ever), by how they were opened.

``first_kind`` comes from :func:`trustcircles.metrics.ties` (events of a tie ordered by timestamp,
then event_id as text), so the lesson agrees with ``opened_by_listening`` in the report.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from trustcircles import metrics
from trustcircles.topics import community
from trustcircles.topics.archetypes import PLURALS
from trustcircles.topics.attention import with_archetype


#: How a tie can be opened, in the order the figures show them, with words and colours.
OPENINGS = ("reply", "mention", "dm")

OPENING_WORDS = {"reply": "opened by a reply (listening first)", "mention": "opened cold by a mention",
                 "dm": "opened cold by a direct message"}


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
    return opening_ties(*community(text=False))


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


def two_way_shares(ties: pd.DataFrame, weeks: float | None = None, archetype: str | None = None
                   ) -> dict[str, dict]:
    """Ties opened by a reply and ties opened cold (a mention or a dm, together), the numbers of the
    explorer's sentence: for ``"reply"`` and ``"cold"``, ``ties`` (how many) and ``share`` (0-1, NaN
    when there are none) that were two-way within ``weeks`` of the first message, or ever if
    ``weeks`` is None. Only ties opened by ``archetype`` if one is given."""
    if archetype is not None:
        ties = ties[ties["archetype"] == archetype]
    answered = (ties["talked_back"] if weeks is None else ties["two_way_days"] <= 7 * weeks).to_numpy()
    reply = (ties["first_kind"] == "reply").to_numpy()
    out = {}
    for name, mask in (("reply", reply), ("cold", ~reply)):
        n = int(mask.sum())
        out[name] = {"ties": n, "share": float(answered[mask].mean()) if n else float("nan")}
    return out


def opening_sentence(ties: pd.DataFrame, weeks: float | None = None, archetype: str | None = None) -> str:
    """One sentence comparing ties opened by a reply with ties opened cold (mention or dm)."""
    shares = two_way_shares(ties, weeks, archetype)
    when = "ever" if weeks is None else f"within {weeks:g} week{'s' if weeks != 1 else ''}"
    parts = []
    for key, name in (("reply", "by a reply"), ("cold", "cold (by a mention or a direct message)")):
        n, share = shares[key]["ties"], shares[key]["share"]
        parts.append(f"of the {n:,} ties opened {name}, {share:.0%} were two-way {when}"
                     if n else f"no ties were opened {name}")
    who = "everyone" if archetype is None else PLURALS[archetype]
    return f"For {who}: " + "; ".join(parts) + "."
