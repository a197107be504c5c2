"""Checks and hints for the assignment 03_conversation (lesson 03, From information to conversation).

q1: each account's broadcast ratio (METRICS.md, via trustcircles.metrics.broadcast_ratio);
q2: the share of promotional and of personal messages that got a reply from someone else (the
lesson's own function, trustcircles.topics.conversation.reply_share_by_promotion).
"""
from __future__ import annotations

import pandas as pd

from trustcircles.checks import Question, Variant, register
from trustcircles.checks.tables import community as _community
from trustcircles.checks.tables import row as _row
from trustcircles.checks.tables import with_rows as _with_rows
from trustcircles.checks.tables import without as _without


def _broadcast_ratios(table: pd.DataFrame) -> pd.Series:
    from trustcircles import metrics
    return metrics.broadcast_ratio(table).dropna()


def _reply_shares(table: pd.DataFrame) -> dict:
    from trustcircles.topics.conversation import reply_share_by_promotion
    return reply_share_by_promotion(table)


@register("03_conversation")
def _conversation() -> dict[str, Question]:
    # Small variant tables for the hidden tests, described in words only.
    self_like_and_post = _with_rows([
        _row("x1", "2025-03-06T09:00:00Z", "ann", "ann", "reply", "e00001"),
        _row("x2", "2025-03-06T10:00:00Z", "cat", "ann", "like", "e00001"),
        _row("x3", "2025-03-06T11:00:00Z", "dan", "", "post", promotional=True),
        _row("x4", "2025-03-06T12:00:00Z", "eve", "dan", "share", "x3"),
    ])
    no_ann_post = _without(("e00001",))
    replies_that_do_not_count = _with_rows([
        _row("y1", "2025-03-04T09:00:00Z", "cat", "cat", "reply", "e00004"),
        _row("y2", "2025-03-04T10:00:00Z", "bob", "ann", "like", "e00003"),
        _row("y3", "2025-03-04T11:00:00Z", "dan", "ann", "reply", "e00001"),
        _row("y4", "2025-03-04T12:00:00Z", "dan", "", "post", promotional=True),
        _row("y5", "2025-03-04T13:00:00Z", "ann", "dan", "reply", "y4"),
    ])
    no_promotion = _without(("e00004", "e00005"))
    return {
        "q1": Question(
            "q1", "the broadcast ratio of every account that wrote something", _broadcast_ratios,
            _community, kind="per_label", label="account", missing_ok=True,
            function_name="broadcast_ratios",
            hint_text="the messages an account wrote are its posts, replies, mentions and DMs, leaving "
                      "out anything addressed to itself (actor = target); likes and shares are not "
                      "written. The broadcast ratio is the share of those that are posts.",
            explanation="Broadcasters post most of what they write; most others mostly talk to someone.",
            variants=[Variant("the worked example with a self-reply, a like, a promotional post and a share "
                              "added", self_like_and_post),
                      Variant("the worked example without ann's question post", no_ann_post)]),
        "q2": Question(
            "q2", "the share of promotional and of personal messages that got a reply", _reply_shares,
            _community, kind="values", function_name="reply_shares",
            hint_text="for each message written (post, reply, mention, dm; not addressed to oneself), "
                      "ask whether some reply names it as parent_id and comes from another account. "
                      "Count each message once, however many replies it got; likes are not replies.",
            explanation="Promotional messages mostly meet silence; personal ones are answered far more often.",
            variants=[Variant("the worked example", _without(())),
                      Variant("the worked example with a self-reply, a like, a second reply and a "
                              "promotional post that got a reply added", replies_that_do_not_count),
                      Variant("the worked example without its promotional messages", no_promotion)]),
    }
