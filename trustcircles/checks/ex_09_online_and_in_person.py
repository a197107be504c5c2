"""Checks and hints for assignment 09_online_and_in_person (lesson 09), on the community and meetups
datasets.

The learner counts the pairs of accounts who attended at least one meetup together (q1), compares the
median lifetime of ties whose people met with online-only ties (q2) and measures the share of met pairs
who are mutuals online (q3). Expected values come from :mod:`trustcircles.metrics` (ties) and
:func:`trustcircles.widgets.in_person.met_pairs`, the functions lesson 09 uses. Questions 2 and 3 take
two tables (the interactions and the attendance), so they use :class:`TwoTableQuestion`, which passes
both to the learner's function. The hidden tests use the worked example with small attendance tables.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from trustcircles.checks import (NOT_ANSWERED, CheckFailed, Question, Variant, as_mapping, describe,
                                is_missing, register, same_scalar, _placeholder_message)
from trustcircles.checks.tables import with_rows as _with_rows
from trustcircles.checks.tables import worked_example as _worked_example

#: The two keys of the q2 answer.
GROUPS = ("met", "online_only")


# --------------------------------------------------------------------------- expected values

def _met_pairs(attendance: pd.DataFrame) -> pd.DataFrame:
    from trustcircles.widgets.in_person import met_pairs
    return met_pairs(attendance)


def count_met_pairs(attendance: pd.DataFrame) -> int:
    """How many pairs of accounts attended at least one meetup together."""
    return len(_met_pairs(attendance))


def median_lifetimes(table: pd.DataFrame, attendance: pd.DataFrame) -> dict:
    """Median tie lifetime in days of ties whose two people met at a meetup (``met``) and of the
    other ties (``online_only``); NaN for a group with no ties."""
    from trustcircles.widgets.in_person import ties_with_meetings
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


def course_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The community interactions and the meetups attendance, as the notebook loads them."""
    from trustcircles.data import load_interactions
    return load_interactions("community"), course_attendance()


# --------------------------------------------------------------------------- questions of two tables

@dataclass
class TwoTableQuestion(Question):
    """A question whose function takes two tables: ``function(table, attendance)``.

    ``table`` returns the pair (interactions, attendance) and ``expected`` takes the pair; variants'
    ``table`` return pairs too. With ``mapping_keys``, the answer is a dict or Series with those keys;
    a key whose right value is missing (NaN) may be left out or given as NaN/None.
    """

    mapping_keys: tuple = ()

    def check_function(self, function) -> None:
        fname = getattr(function, "__name__", self.function_name)
        if not callable(function):
            raise CheckFailed(self.name, f"{self.function_name} is {describe(function)}, not a function.")
        for variant in self.variants:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tables = variant.table()
                expected = self.expected(tuple(t.copy() for t in tables))
                try:
                    result = function(*(t.copy() for t in tables))
                except NotImplementedError:
                    raise CheckFailed(self.name, f"{fname} is not written yet (it raises "
                                                 "NotImplementedError).") from None
                except Exception as error:  # the learner's code: report it, do not crash
                    raise CheckFailed(self.name, f"{fname} stopped with {type(error).__name__}: "
                                                 f"{str(error)[:200]} when given {variant.description}."
                                                 f"\nHint: {self.hint_text}") from None
                problem = self._compare(result, expected, f"{fname}(...)")
            if problem:
                raise CheckFailed(self.name, f"{fname} gives a different answer on "
                                             f"{variant.description}.\n{problem}\n"
                                             f"Hint: {self.hint_text}")
        print(f"Correct: {fname} also works on {len(self.variants)} other "
              f"pair{'s' if len(self.variants) != 1 else ''} of tables.")

    def _compare(self, answer, expected, name):
        if not self.mapping_keys:
            return super()._compare(answer, expected, name)
        problem = _placeholder_message(name, answer)
        if problem:
            return problem
        got = as_mapping(answer)
        keys = ", ".join(repr(k) for k in self.mapping_keys)
        if got is None:
            return f"{name} is {describe(answer)}; the question asks for a dict with the keys {keys}."
        got = {str(k): v for k, v in got.items() if not is_missing(v)}
        want = {k: v for k, v in expected.items() if not is_missing(v)}
        extra = sorted(set(got) - set(self.mapping_keys))
        if extra:
            return f"{name} has keys other than {keys}: {', '.join(map(repr, extra[:3]))}."
        missing = sorted(set(want) - set(got))
        if missing:
            return f"{name} has no value for {', '.join(map(repr, missing))}."
        should_be_missing = sorted(set(got) - set(want))
        if should_be_missing:
            return (f"{name} gives a number for {', '.join(map(repr, should_be_missing))}, but that "
                    "group has no ties here: its median is missing (NaN or None, or leave it out).")
        for key in want:
            if not isinstance(got[key], (int, float, np.integer, np.floating)) or isinstance(got[key], bool):
                return f"{name}[{key!r}] is {describe(got[key])}; it should be a number of days."
        off = [k for k in want if not same_scalar(got[k], want[k])]
        if off:
            return f"{name} has the right keys, but the value for {', '.join(map(repr, off))} is not right."
        return None

    def check(self, answer=NOT_ANSWERED) -> None:
        if not self.mapping_keys:
            return super().check(answer)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = self.expected(self.table())
            problem = self._compare(answer, expected, f"answer_{self.name}")
        if problem:
            raise CheckFailed(self.name, f"checked {self.checked}.\n{problem}\n"
                                         f"Hint: {self.hint_text}  (ex.{self.name}.hint())")
        got = as_mapping(answer)
        shown = ", ".join(f"{k}: {float(v):.4g}" for k, v in got.items() if not is_missing(v))
        print(f"Correct: {self.checked}: {shown}." + (f" {self.explanation}" if self.explanation else ""))


def _two(function):
    """``expected`` for a TwoTableQuestion: unpack the pair of tables."""
    def expected(tables):
        return function(*tables)
    return expected


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


def _pair(interactions, attendance):
    def build():
        return interactions(), attendance()
    return build


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
            _pair(_later_talk, _ANN_AND_BOB)),
    Variant("the worked example with later messages (and a self-message and a like), cat, ann and dan "
            "at one meetup", _pair(_later_talk, _CAT_AND_ANN)),
    Variant("the worked example with later messages, nobody at the same meetup",
            _pair(_later_talk, _NOBODY_TOGETHER)),
]
_Q3_VARIANTS = [
    Variant("the worked example, with ann and bob at the same meetups", _pair(_worked_example, _ANN_AND_BOB)),
    Variant("the worked example with later messages, cat, ann and dan at one meetup (dan never talks)",
            _pair(_later_talk, _CAT_AND_ANN)),
    Variant("the worked example with an attendance table where one person is listed twice",
            _pair(_worked_example, _LISTED_TWICE)),
    Variant("the worked example, with ann, bob and dan at one meetup (dan never talks)",
            _pair(_worked_example, _THREE_AT_ONCE)),
    Variant("the worked example, nobody at the same meetup", _pair(_worked_example, _NOBODY_TOGETHER)),
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
        "q2": TwoTableQuestion(
            "q2", "the median tie lifetime in days, met and online-only ties",
            _two(median_lifetimes), course_tables, kind="values", function_name="median_lifetimes",
            mapping_keys=GROUPS,
            hint_text="first the ties: conversational events (reply, mention, dm) with actor ≠ target, "
                      "lifetime = last − first time per (actor, target), in days. A tie a→b is 'met' when "
                      "the pair {a, b} is among the q1 pairs: put the two names in order (smaller first) "
                      "before you compare. Then take the median lifetime of each group.",
            explanation="Compare the two medians, then look at them archetype by archetype in lesson "
                        "09: a difference is an association, not proof of a cause.",
            variants=_Q2_VARIANTS),
        "q3": TwoTableQuestion(
            "q3", "the share of met pairs who are mutuals online",
            _two(mutual_share), course_tables, kind="number", function_name="mutual_share",
            hint_text="start from the pairs of q1 (each pair once, whether or not they ever talked). A pair "
                      "{a, b} is mutual when both a→b and b→a are ties (conversational kinds, actor ≠ "
                      "target). Divide the mutual pairs by all met pairs; with no met pairs the share is "
                      "missing (float('nan')).",
            explanation="Meeting is a start, not yet a tie: what happens online afterwards decides.",
            variants=_Q3_VARIANTS),
    }
