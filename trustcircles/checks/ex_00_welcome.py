"""Checks and hints for the practice assignment 00_welcome (on the worked example)."""
from __future__ import annotations

import pandas as pd

from trustcircles.checks import Question, Variant, register
from trustcircles.checks.tables import with_rows as _with_rows
from trustcircles.checks.tables import without as _without
from trustcircles.checks.tables import worked_example as _worked_example


def _count_kinds(table: pd.DataFrame) -> pd.Series:
    return table["kind"].value_counts()


def _number_of_ties(table: pd.DataFrame) -> int:
    from trustcircles import metrics
    return len(metrics.ties(table))


def _answered_share(table: pd.DataFrame) -> float:
    from trustcircles import metrics
    return metrics.questions_answered_rate(table)


@register("00_welcome")
def _welcome() -> dict[str, Question]:
    # Small tables for the hidden tests. Each is described in words only: the learner sees the
    # description, never the code that builds it.
    self_and_likes = _with_rows([
        dict(event_id="x1", timestamp="2025-03-06T09:00:00Z", actor="ann", target="ann",
             kind="reply", parent_id="e00001", is_question=False, is_promotional=False),
        dict(event_id="x2", timestamp="2025-03-06T10:00:00Z", actor="cat", target="ann",
             kind="like", parent_id="e00001", is_question=False, is_promotional=False),
        dict(event_id="x3", timestamp="2025-03-06T11:00:00Z", actor="bob", target="ann",
             kind="mention", parent_id="", is_question=True, is_promotional=False),
    ])
    late_and_dm = _with_rows([
        dict(event_id="y1", timestamp="2025-03-03T16:00:00Z", actor="ann", target="cat",
             kind="dm", parent_id="e00005", is_question=False, is_promotional=False),
        dict(event_id="y2", timestamp="2025-03-05T09:00:00Z", actor="dan", target="bob",
             kind="reply", parent_id="e00005", is_question=False, is_promotional=False),
    ])
    no_questions = _without(("e00001", "e00005"))
    return {
        "q1": Question(
            "q1", "the number of events of each kind", _count_kinds, _worked_example,
            kind="counts", function_name="count_kinds",
            hint_text="each row is one event and the column `kind` says what it was; "
                      "pandas can count how often each value of a column occurs.",
            explanation="Three of the six are replies: in this little example people mostly answer.",
            variants=[Variant("the example with a self-reply, a like and a mention added", self_and_likes),
                      Variant("the example without its two questions", no_questions)]),
        "q2": Question(
            "q2", "the number of ties", _number_of_ties, _worked_example,
            function_name="count_ties",
            hint_text="a tie a→b needs a conversational event (reply, mention or dm) from a to b with "
                      "a ≠ b; count each ordered pair (actor, target) once. Likes and shares make no tie.",
            explanation="Ties have a direction: ann→bob and bob→ann are two ties.",
            variants=[Variant("the example with a self-reply, a like and a mention added", self_and_likes),
                      Variant("the example with a DM and a reply from a newcomer added", late_and_dm)]),
        "q3": Question(
            "q3", "the share of questions answered within 48 hours", _answered_share, _worked_example,
            function_name="answered_share",
            hint_text="a question is an authored event with is_question true; it is answered when "
                      "someone else's reply names it as parent_id within 48 hours (both ends included). "
                      "Only replies answer.",
            explanation="One question got a reply in 2 hours; the other waited 48 h 1 min: too late.",
            variants=[Variant("the example with a DM and a reply from a newcomer added", late_and_dm),
                      Variant("the example with a self-reply, a like and a mention added", self_and_likes),
                      Variant("the example without its two questions", no_questions)]),
    }
