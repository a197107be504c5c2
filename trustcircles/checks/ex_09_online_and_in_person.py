"""Checks and hints for assignment 09_online_and_in_person (lesson 09), on the community and meetups
datasets.

The learner counts the pairs of accounts who attended at least one meetup together (q1), compares the
median lifetime of ties whose people met with online-only ties (q2) and measures the share of met pairs
who are mutuals online (q3). Expected values come from :mod:`trustcircles.metrics` (ties) and
:func:`trustcircles.topics.in_person.met_pairs`, the functions lesson 09 uses. Questions 2 and 3 take
two tables, ``function(table, attendance)``: the attendance is the extra argument (``args``) of the
notebook's call and of each variant. The hidden tests use the worked example with small attendance
tables.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from trustcircles.checks import Question, Variant, register
from trustcircles.checks.tables import community
from trustcircles.checks.tables import with_rows as _with_rows
from trustcircles.checks.tables import worked_example as _worked_example


# --------------------------------------------------------------------------- expected values

def _met_pairs(attendance: pd.DataFrame) -> pd.DataFrame:
    from trustcircles.topics.in_person import met_pairs
    return met_pairs(attendance)


def count_met_pairs(attendance: pd.DataFrame) -> int:
    """How many pairs of accounts attended at least one meetup together."""
    return len(_met_pairs(attendance))


def median_lifetimes(table: pd.DataFrame, attendance: pd.DataFrame) -> dict:
    """Median tie lifetime in days of ties whose two people met at a meetup (``met``) and of the
    other ties (``online_only``); NaN for a group with no ties."""
    from trustcircles.topics.in_person import ties_with_meetings
    ties = ties_with_meetings(table, attendance)
    met = ties["met"].to_numpy(dtype=bool)
    days = ties["lifetime_days"].to_numpy(dtype=float)
    return {"met": float(np.median(days[met])) if met.any() else float("nan"),
            "online_only": float(np.median(days[~met])) if (~met).any() else float("nan")}


def mutual_share(table: pd.DataFrame, attendance: pd.DataFrame) -> float:
    """Of the pairs who attended at least one meetup together, the share who are mutuals online
    (both a→b and b→a are ties); NaN if no pair met."""
    from trustcircles import metrics
    pairs = _met_pairs(attendance)
    if pairs.empty:
        return float("nan")
    ties = metrics.ties(table)
    tie_keys = pd.MultiIndex.from_arrays([ties["actor"], ties["target"]])
    one_way = pd.MultiIndex.from_arrays([pairs["a"], pairs["b"]]).isin(tie_keys)
    other_way = pd.MultiIndex.from_arrays([pairs["b"], pairs["a"]]).isin(tie_keys)
    return float((one_way & other_way).mean())


# --------------------------------------------------------------------------- the notebook's tables

def course_attendance() -> pd.DataFrame:
    """The meetups attendance table, as the notebook loads it."""
    from trustcircles.data import load_table
    return load_table("meetups", "attendance.csv")


# --------------------------------------------------------------------------- small tables

def _attendance(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["account", "event", "date"]).astype("str")


def _att(rows):
    def build():
        if not rows:
            return pd.DataFrame({"account": pd.Series([], dtype="str"), "event": pd.Series([], dtype="str"),
                                 "date": pd.Series([], dtype="str")})
        return _attendance(rows)
    return build


_LISTED_TWICE = _att([("ann", "m1", "2025-03-01"), ("bob", "m1", "2025-03-01"), ("ann", "m1", "2025-03-01"),
                      ("ann", "m2", "2025-03-15"), ("bob", "m2", "2025-03-15"), ("cat", "m3", "2025-03-15")])
_THREE_AT_ONCE = _att([("dan", "m1", "2025-03-01"), ("bob", "m1", "2025-03-01"), ("ann", "m1", "2025-03-01"),
                       ("eve", "m2", "2025-03-15")])
_NOBODY_TOGETHER = _att([("ann", "m1", "2025-03-01"), ("bob", "m2", "2025-03-01"), ("cat", "m3", "2025-03-15")])
_NO_ROWS = _att([])
# names as plain text that sort differently from the order they are listed in
_CAT_AND_ANN = _att([("cat", "m1", "2025-03-01"), ("ann", "m1", "2025-03-01"), ("dan", "m1", "2025-03-01")])
_ANN_AND_BOB = _att([("bob", "m1", "2025-03-01"), ("ann", "m1", "2025-03-01"), ("bob", "m2", "2025-03-15")])

_later_talk = _with_rows([
    dict(event_id="x1", timestamp="2025-03-20T10:00:00Z", actor="cat", target="ann", kind="dm",
         parent_id="", is_question=False, is_promotional=True),
    dict(event_id="x2", timestamp="2025-04-02T10:00:00Z", actor="ann", target="bob", kind="mention",
         parent_id="", is_question=False, is_promotional=False),
    dict(event_id="x3", timestamp="2025-03-04T10:00:00Z", actor="bob", target="bob", kind="dm",
         parent_id="", is_question=False, is_promotional=False),
    dict(event_id="x4", timestamp="2025-03-25T10:00:00Z", actor="dan", target="cat", kind="like",
         parent_id="e00004", is_question=False, is_promotional=False),
    dict(event_id="x5", timestamp="2025-03-10T08:00:00Z", actor="bob", target="cat", kind="reply",
         parent_id="e00005", is_question=False, is_promotional=False),
])


_Q1_VARIANTS = [
    Variant("an attendance table where one person is listed twice for the same meetup and a pair "
            "meets at two meetups", _LISTED_TWICE),
    Variant("an attendance table with three people at one meetup and one person alone at another",
            _THREE_AT_ONCE),
    Variant("an attendance table where nobody went to the same meetup as anybody else", _NOBODY_TOGETHER),
    Variant("an empty attendance table (no rows)", _NO_ROWS),
]
_Q2_VARIANTS = [
    Variant("the worked example with later messages, ann and bob at the same meetups",
            _later_talk, args=_ANN_AND_BOB),
    Variant("the worked example with later messages (and a self-message and a like), cat, ann and dan "
            "at one meetup", _later_talk, args=_CAT_AND_ANN),
    Variant("the worked example with later messages, nobody at the same meetup",
            _later_talk, args=_NOBODY_TOGETHER),
]
_Q3_VARIANTS = [
    Variant("the worked example, with ann and bob at the same meetups", _worked_example, args=_ANN_AND_BOB),
    Variant("the worked example with later messages, cat, ann and dan at one meetup (dan never talks)",
            _later_talk, args=_CAT_AND_ANN),
    Variant("the worked example with an attendance table where one person is listed twice",
            _worked_example, args=_LISTED_TWICE),
    Variant("the worked example, with ann, bob and dan at one meetup (dan never talks)",
            _worked_example, args=_THREE_AT_ONCE),
    Variant("the worked example, nobody at the same meetup", _worked_example, args=_NOBODY_TOGETHER),
]


@register("09_online_and_in_person")
def _online_and_in_person() -> dict[str, Question]:
    return {
        "q1": Question(
            "q1", "the number of pairs of accounts who attended at least one meetup together",
            count_met_pairs, course_attendance, kind="number", function_name="count_met_pairs",
            hint_text="join the attendance table with itself on `event` (merge), keep the rows where the "
                      "first account is less than the second (so each pair appears one way round and "
                      "nobody pairs with themselves), then count the distinct (account, account) pairs.",
            explanation="Each pair counts once, however many meetups they shared.",
            variants=_Q1_VARIANTS),
        "q2": Question(
            "q2", "the median tie lifetime in days, met and online-only ties",
            median_lifetimes, community, args=course_attendance, kind="per_label", label="group",
            missing_ok=True, function_name="median_lifetimes",
            hint_text="first the ties: conversational events (reply, mention, dm) with actor ≠ target, "
                      "lifetime = last − first time per (actor, target), in days. A tie a→b is 'met' when "
                      "the pair {a, b} is among the q1 pairs: put the two names in order (smaller first) "
                      "before you compare. Then take the median lifetime of each group.",
            explanation="Compare the two medians, then look at them archetype by archetype in lesson "
                        "09: a difference is an association, not proof of a cause.",
            variants=_Q2_VARIANTS),
        "q3": Question(
            "q3", "the share of met pairs who are mutuals online",
            mutual_share, community, args=course_attendance, kind="number", function_name="mutual_share",
            hint_text="start from the pairs of q1 (each pair once, whether or not they ever talked). A pair "
                      "{a, b} is mutual when both a→b and b→a are ties (conversational kinds, actor ≠ "
                      "target). Divide the mutual pairs by all met pairs; with no met pairs the share is "
                      "missing (float('nan')).",
            explanation="Meeting is a start, not yet a tie: what happens online afterwards decides.",
            variants=_Q3_VARIANTS),
    }
