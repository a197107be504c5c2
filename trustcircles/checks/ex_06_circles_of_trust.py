"""Checks and hints for assignment 06_circles_of_trust (lesson 06: community and CollegeMsg).

Question 1's function takes an account as well as the table: the question's ``args`` gives it for
the notebook's call (``ex.q1.account``), each variant's ``args`` for its hidden test.
"""
from __future__ import annotations

import pandas as pd

from trustcircles.checks import Question, Variant, register
from trustcircles.checks.ex_05_community_not_audience import typical
from trustcircles.checks.tables import community as _community
from trustcircles.checks.tables import with_rows as _with_rows
from trustcircles.checks.tables import worked_example as _worked_example

#: The thresholds question 1 asks for, in conversational events per month (stricter than the
#: course's defaults of 4 and 1).
INNER, CLOSE = 8.0, 2.0


def circle_sizes(table: pd.DataFrame, account: str) -> dict:
    """The account's circles with inner ≥ 8 and close ≥ 2 events a month: inner, close, active."""
    from trustcircles import metrics
    circles = metrics.circles(table, INNER, CLOSE)
    row = circles.loc[account] if account in circles.index else pd.Series(0, index=circles.columns)
    return {"inner": int(row["circle_inner"]), "close": int(row["circle_close"]),
            "active": int(row["circle_active"])}


def reciprocity(table: pd.DataFrame) -> float:
    """Global reciprocity: the share of ties a→b with a tie b→a too; NaN with no ties."""
    from trustcircles import metrics
    return metrics.global_reciprocity(table)


def _collegemsg() -> pd.DataFrame:
    from trustcircles.data import load_interactions
    return load_interactions("collegemsg")


def _table(rows: list[dict]):
    """A small interactions table from rows (METRICS.md columns)."""
    def build():
        from trustcircles.data import as_interactions
        frame = pd.DataFrame(rows)
        for column in ("is_question", "is_promotional"):
            frame[column] = frame[column].astype(bool)
        frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
        return as_interactions(frame)
    return build


def _event(i, when, actor, target, kind="dm", parent=""):
    return dict(event_id=f"c{i:04d}", timestamp=when, actor=actor, target=target, kind=kind,
                parent_id=parent, is_question=False, is_promotional=False)


def _two_months() -> list[dict]:
    """Ann over two months: daily talk with bob, some with cat, a little with eve, one-way with dan,
    likes with gus, a self-reply; the window is 61 days (about 2 months)."""
    start = pd.Timestamp("2025-01-01T09:00:00Z")
    rows, i = [], 0

    def at(day, hour=0):
        return (start + pd.Timedelta(days=day, hours=hour)).isoformat()
    for day in range(0, 20, 2):          # ann<->bob: 20 events, about 10 a month
        rows += [_event(i, at(day), "ann", "bob"), _event(i + 1, at(day, 1), "bob", "ann")]
        i += 2
    for day in (3, 17, 33):              # ann<->cat: 5 events, about 2.5 a month
        rows.append(_event(i, at(day), "cat", "ann", "mention"))
        i += 1
    rows += [_event(i, at(34), "ann", "cat"), _event(i + 1, at(50), "ann", "cat")]
    i += 2
    rows += [_event(i, at(40), "eve", "ann"), _event(i + 1, at(41), "ann", "eve", "reply", f"c{i:04d}")]
    i += 2                               # ann<->eve: 2 events, about 1 a month
    for day in range(5, 60, 3):          # ann->dan: many, never answered
        rows.append(_event(i, at(day), "ann", "dan", "mention"))
        i += 1
    rows.append(_event(i, at(45), "gus", "ann", "like", "c0000"))
    rows.append(_event(i + 1, at(46), "ann", "gus", "like", f"c{i:04d}"))
    rows.append(_event(i + 2, at(47), "ann", "ann", "reply", "c0000"))
    rows.append(_event(i + 3, at(61), "bob", "cat"))
    return rows


_months_table = _table(_two_months())
_no_ties = _table([_event(1, "2025-01-01T09:00:00Z", "ann", "bob", "like", "p1") | {"parent_id": "p1"},
                   _event(2, "2025-01-02T09:00:00Z", "bob", "bob", "reply", "c0001")])
_attention_only = _with_rows([
    dict(event_id="x1", timestamp="2025-03-06T09:00:00Z", actor="ann", target="ann", kind="reply",
         parent_id="e00001", is_question=False, is_promotional=False),
    dict(event_id="x2", timestamp="2025-03-06T10:00:00Z", actor="ann", target="cat", kind="like",
         parent_id="e00004", is_question=False, is_promotional=False),
    dict(event_id="x3", timestamp="2025-03-06T11:00:00Z", actor="dan", target="ann", kind="mention",
         parent_id="", is_question=False, is_promotional=False),
])


@register("06_circles_of_trust")
def _circles_of_trust() -> dict[str, Question]:
    return {
        "q1": Question(
            "q1", "the circles of the typical trust builder with inner ≥ 8 and close ≥ 2 events a month",
            circle_sizes, _community, kind="values", function_name="circle_sizes",
            args=lambda: typical("trust_builder"),
            hint_text="only mutuals count (a→b and b→a both ties). For each mutual, count the "
                      "conversational events between the two in both directions and divide by the "
                      "table's span in months (max(days, 1) / 30.44); then count the mutuals at or "
                      "above each threshold. Likes, shares and self-replies count for nothing.",
            explanation="A stricter definition shrinks the inner circles most; the nesting stays.",
            variants=[
                Variant("two months of ann's talk with six accounts (daily, now and then, rarely, "
                        "one-way, likes only), for ann", _months_table, args="ann"),
                Variant("the same two months, for bob", _months_table, args="bob"),
                Variant("the same two months, for dan (who never answers)", _months_table, args="dan"),
                Variant("the worked example (a window of about two days), for bob",
                        _worked_example, args="bob")]),
        "q2": Question(
            "q2", "the global reciprocity of the CollegeMsg network", reciprocity, _collegemsg,
            function_name="reciprocity",
            hint_text="first the ties: distinct (actor, target) pairs from replies, mentions and dms "
                      "with actor ≠ target. Then, for each tie a→b, is b→a also a tie? The share of "
                      "ties for which it is. With no ties there is nothing to share (None or NaN).",
            explanation="The course's reference value for this network is 63.6%, computed by the course on "
                        "the SNAP file (not a figure quoted from Panzarasa, Opsahl and Carley, 2009).",
            variants=[Variant("the worked example", _worked_example),
                      Variant("the worked example with a self-reply, a like and a cold mention added",
                              _attention_only),
                      Variant("two months of ann's talk with six accounts", _months_table),
                      Variant("a table with only a like and a self-reply (no ties)", _no_ties)]),
    }
