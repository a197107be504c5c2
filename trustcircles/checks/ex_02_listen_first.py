"""Checks and hints for assignment 02_listen_first (lesson 02), on the community dataset.

The learner computes, with pandas, each account's share of ties opened by a reply (q1: the events of
a tie ordered by timestamp, then event_id as text) and the share of ties that became two-way, for ties
opened by a reply and for ties opened cold (q2). Expected values come from :mod:`trustcircles.metrics`.
"""
from __future__ import annotations

import pandas as pd

from trustcircles.checks import Question, Variant, register
from trustcircles.checks.tables import community
from trustcircles.checks.tables import with_rows as _with_rows
from trustcircles.checks.tables import without as _without


def _opened_by_reply(table: pd.DataFrame) -> pd.Series:
    from trustcircles import metrics
    return metrics.opened_by_listening(table).dropna()


def _two_way_by_opening(table: pd.DataFrame) -> pd.Series:
    from trustcircles import metrics
    ties = metrics.ties(table)
    pairs = set(zip(ties["actor"], ties["target"]))
    two_way = pd.Series([(t, a) in pairs for a, t in zip(ties["actor"], ties["target"])], dtype=float)
    opening = (ties["first_kind"] == "reply").map({True: "reply", False: "cold"}).to_numpy()
    return two_way.groupby(opening).mean()


# Small tables for the hidden tests, described to the learner in words only.
# Two events of one tie at the same instant: compared as text, "x10" comes before "x9".
_same_instant = _with_rows([
    dict(event_id="x9", timestamp="2025-03-06T09:00:00Z", actor="dan", target="ann", kind="reply",
         parent_id="e00001", is_question=False, is_promotional=False),
    dict(event_id="x10", timestamp="2025-03-06T09:00:00Z", actor="dan", target="ann", kind="dm",
         parent_id="", is_question=False, is_promotional=True),
    dict(event_id="x11", timestamp="2025-03-06T10:00:00Z", actor="dan", target="bob", kind="reply",
         parent_id="e00002", is_question=False, is_promotional=False),
    dict(event_id="x12", timestamp="2025-03-06T12:00:00Z", actor="bob", target="dan", kind="reply",
         parent_id="x11", is_question=False, is_promotional=False),
])
# A later reply does not change how a tie was opened; self-replies and likes make no tie.
_later_reply = _with_rows([
    dict(event_id="y1", timestamp="2025-03-07T09:00:00Z", actor="cat", target="ann", kind="reply",
         parent_id="e00001", is_question=False, is_promotional=False),
    dict(event_id="y2", timestamp="2025-03-02T09:00:00Z", actor="ann", target="ann", kind="reply",
         parent_id="e00001", is_question=False, is_promotional=False),
    dict(event_id="y3", timestamp="2025-03-02T10:00:00Z", actor="ann", target="cat", kind="like",
         parent_id="e00004", is_question=False, is_promotional=False),
    dict(event_id="y4", timestamp="2025-03-08T10:00:00Z", actor="ann", target="cat", kind="mention",
         parent_id="", is_question=False, is_promotional=False),
])
_no_cold = _without(("e00004", "e00005"))
_only_a_post = _without(("e00002", "e00003", "e00004", "e00005", "e00006"))

_SAME_INSTANT = ("the worked example with a newcomer who sends a reply and a DM to the same person at "
                 "the same second (event_ids x9 and x10)")
_LATER_REPLY = "the worked example with a later reply from cat, a self-reply, a like and a mention"
_NO_COLD = "the worked example without cat's two cold messages"
_ONLY_A_POST = "a table with a single post (nobody talks to anybody)"


@register("02_listen_first")
def _listen_first() -> dict[str, Question]:
    return {
        "q1": Question(
            "q1", "for every account that talks to someone, the share of its ties opened by a reply",
            _opened_by_reply, community, kind="per_label", label="account", missing_ok=True,
            function_name="opened_by_reply",
            hint_text="for each pair (actor, target) of conversational events (reply, mention, dm; "
                      "actor ≠ target) find the first event: sort by timestamp, then by event_id "
                      "(as text), and keep the first row of each pair. Then the share of first events "
                      "that are replies, per actor.",
            explanation="Transactional accounts open almost every tie cold; trust builders almost "
                        "always by answering.",
            variants=[Variant(_SAME_INSTANT, _same_instant), Variant(_LATER_REPLY, _later_reply),
                      Variant(_ONLY_A_POST, _only_a_post)]),
        "q2": Question(
            "q2", "the share of ties that became two-way, for ties opened by a reply and for ties "
                  "opened cold", _two_way_by_opening, community, kind="per_label",
            label="group", missing_ok=True, function_name="two_way_by_opening",
            hint_text="take each tie's first event as in q1 and label the tie 'reply' or 'cold'; a tie "
                      "a→b is two-way when b→a is a tie too (at any time). Average that per label, "
                      "over ties.",
            explanation="A reply joins a conversation that is already going; a cold opening seldom "
                        "starts one.",
            variants=[Variant(_SAME_INSTANT, _same_instant), Variant(_LATER_REPLY, _later_reply),
                      Variant(_NO_COLD, _no_cold), Variant(_ONLY_A_POST, _only_a_post)]),
    }
