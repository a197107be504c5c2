"""Checks and hints for assignment 09_online_and_in_person (lesson 09), on the community and meetups
datasets.

Part A (no code) reads lesson 09: the median lifetime of ties whose people met at three or more
meetups (a1, from the explorer), for which archetype meeting goes with no longer ties (a2, from the
archetype table), the share of met ties that began online before the first meeting (a3, from the
timing figure) and which answer to a colleague's "let's send everyone to meetups" the data support
(a4, each claim tested on the data).

The learner counts the pairs of accounts who attended at least one meetup together (q1), compares the
median lifetime of ties whose people met with online-only ties (q2) and measures the share of met pairs
who are mutuals online (q3). Expected values come from :mod:`trustcircles.metrics` (ties) and
:func:`trustcircles.topics.in_person.met_pairs`, the functions lesson 09 uses. Questions 2 and 3 take
two tables, ``function(table, attendance)``: the attendance is the extra argument (``args``) of the
notebook's call and of each variant. The hidden tests use the worked example with small attendance
tables.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from trustcircles.checks import ChoiceQuestion, Choices, NumberQuestion, Question, Variant, register
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


# What the learner is told about each table: the situation, never the rows or names. Questions 2
# and 3 get unrelated conversations among new accounts beside them (nobody in them went to a meetup).
_Q1_VARIANTS = [
    Variant("an attendance table where one person is listed twice for the same meetup and a pair "
            "meets at two meetups", _LISTED_TWICE),
    Variant("an attendance table with three people at one meetup and one person alone at another",
            _THREE_AT_ONCE),
    Variant("an attendance table where nobody went to the same meetup as anybody else", _NOBODY_TOGETHER),
    Variant("an empty attendance table (no rows)", _NO_ROWS),
]
_LATER = ("a small community with later messages (a message to oneself, a like and a sales DM among "
          "them)")
_Q2_VARIANTS = [
    Variant(f"{_LATER}, where two people who talk met at two meetups", _later_talk, args=_ANN_AND_BOB,
            background=True),
    Variant(f"{_LATER}, with three people at one meetup, listed in an order their names do not sort in, "
            "one of whom never writes", _later_talk, args=_CAT_AND_ANN, background=True),
    Variant(f"{_LATER}, with nobody at the same meetup (no met ties)", _later_talk,
            args=_NOBODY_TOGETHER, background=True),
]
_Q3_VARIANTS = [
    Variant("a small community where two people who talk both ways met at two meetups", _worked_example,
            args=_ANN_AND_BOB, background=True),
    Variant(f"{_LATER}, with three people at one meetup, one of whom never writes", _later_talk,
            args=_CAT_AND_ANN, background=True),
    Variant("a small community where one person is listed twice for the same meetup", _worked_example,
            args=_LISTED_TWICE, background=True),
    Variant("a small community where three people met at one meetup and one of them never writes",
            _worked_example, args=_THREE_AT_ONCE, background=True),
    Variant("a small community where nobody went to the same meetup (no pair met)", _worked_example,
            args=_NOBODY_TOGETHER, background=True),
]


# --------------------------------------------------------------------------- Part A

#: a1: the explorer's setting the question names: met at least this many meetups, everyone's ties
A1_MEETINGS = 3
#: a2: the archetypes it offers, in the order of its options
A2_OPTIONS = {"A": "trust_builder", "B": "transactional", "C": "listener"}
#: a4: the "aim for this many meetups" claim's number of meetups
A4_MANY = 5


@lru_cache(maxsize=1)
def _ties() -> pd.DataFrame:
    """The community's ties with meetings and archetypes, as lesson 09 computes them (once)."""
    from trustcircles.topics import community as loaded
    from trustcircles.topics.in_person import attendance, ties_with_meetings
    table, accounts = loaded()
    return ties_with_meetings(table, attendance(), accounts)


def _median(group: pd.DataFrame, name: str) -> float:
    return float(group.loc[name, "median_lifetime_days"])


def often_met_median() -> float:
    """a1: the median lifetime (days) of ties whose people met at A1_MEETINGS or more meetups."""
    from trustcircles.topics.in_person import compare, group_names
    return _median(compare(_ties(), A1_MEETINGS), group_names(A1_MEETINGS)[0])


def archetype_medians() -> dict[str, tuple[float, float, int]]:
    """a2: per option, the median lifetime (days) of met and of online-only ties spoken by that
    archetype, and how many met ties the first rests on."""
    from trustcircles.topics.in_person import compare, group_names
    met, online = group_names(1)
    out = {}
    for letter, archetype in A2_OPTIONS.items():
        frame = compare(_ties(), 1, archetype)
        out[letter] = (_median(frame, met), _median(frame, online), int(frame.loc[met, "ties"]))
    return out


def archetype_choices() -> Choices:
    """a2: for which archetype met ties last about as long as online-only ones (the smallest ratio
    of the two medians)."""
    from trustcircles.topics.archetypes import PLURALS
    medians = archetype_medians()
    ratio = {k: m / o for k, (m, o, _n) in medians.items()}
    right = min(ratio, key=ratio.get)
    why = {}
    for letter, archetype in A2_OPTIONS.items():
        m, o, n = medians[letter]
        said = (f"the {n:,} met ties of {PLURALS[archetype]} lasted a median {m:.1f} days, their "
                f"online-only ties {o:.1f}")
        why[letter] = (f"{said}: meeting changed almost nothing. Contacts collected at an event are "
                       "pitched and dropped, as online." if letter == right
                       else f"{said}: met ties lasted {m / o:.1f} times as long.")
    return Choices({k: PLURALS[a] for k, a in A2_OPTIONS.items()}, right, why)


def began_before_percent() -> float:
    """a3: the share (%) of met ties whose first message came before the pair first met."""
    from trustcircles.topics.in_person import share_began_before
    return 100 * share_began_before(_ties())


def claims() -> dict[str, tuple[str, bool, str]]:
    """a4: letter -> (the claim, whether the data support it, why, with the numbers). An
    explanation never gives another Part A question's answer (it says which question asks it)."""
    from trustcircles.topics import community as loaded
    from trustcircles.topics.archetypes import IN_PERSON_ORDER, PLURALS
    from trustcircles.topics.in_person import (FEW, attendance, compare, group_names, meetups_by_archetype,
                                               share_began_before)
    ties = _ties()
    met, online = group_names(1)
    whole = compare(ties, 1)
    m, o = _median(whole, met), _median(whole, online)
    per = {a: compare(ties, 1, a) for a in IN_PERSON_ORDER}
    enough = [a for a, f in per.items() if min(f["ties"]) >= FEW]
    not_longer = [a for a in enough if _median(per[a], met) <= _median(per[a], online)]
    meetups = meetups_by_archetype(attendance(), loaded()[1])
    keen = meetups.index[0]
    keen_online = _median(per[keen], online)
    before = share_began_before(ties)
    many = compare(ties, A4_MANY)
    many_n, many_days = int(many.iloc[0]["ties"]), float(many.iloc[0]["median_lifetime_days"])
    rest = meetups.iloc[1:]
    others = float((rest["mean_meetups"] * rest["accounts"]).sum() / rest["accounts"].sum())
    return {
        "A": ("Yes: met ties last longer for every kind of account, so more meetups will make our ties last.",
              not not_longer and m > o,
              (f"not every kind: for {len(not_longer)} of the {len(enough)} kinds of account with enough "
               "ties to compare, met ties lasted no longer than online-only ones (A2 asks which)."
               if not_longer else "every archetype's met ties did last longer.")),
        "B": ("Partly: met ties do last longer on average, but the people who meet most already keep their "
              "ties going online, and many met ties began before the meeting; the data show an association, "
              "and what happens after a meetup matters.",
              m > o and keen_online > o and before >= 0.2,
              (f"met ties lasted a median {m:.1f} days against {o:.1f} online only; {PLURALS[keen]} went to "
               f"{meetups.loc[keen, 'mean_meetups']:.1f} meetups each on average (everyone else {others:.1f}) and "
               f"their ties lasted {keen_online:.1f} days even online only; and many met ties began online "
               "before the pair first met (A3 asks how many). Meeting goes with longer ties; the data "
               "cannot say it causes them.")),
        "C": ("No: met ties do not last longer than online-only ones, so meetups are a waste of time.",
              m <= o, f"met ties lasted a median {m:.1f} days, online-only ones {o:.1f}: longer, not shorter."),
        "D": (f"Yes, and the more the better: pairs who met at {A4_MANY} or more meetups kept writing for "
              "months, so everyone should aim for that many.",
              False,
              (f"{many_n} ties rest on {A4_MANY} or more meetups"
               + (" (few: read with care)" if many_n < FEW else "")
               + f", a median {many_days:.0f} days; but these are the pairs who chose to keep meeting, so "
                 "the number says who they are, not what meetups would do for everyone else.")),
    }


def claim_choices() -> Choices:
    """a4: the answer to a colleague's "send everyone to meetups" that the data support: the one
    claim whose conditions hold (an error if the data support none, or more than one)."""
    found = claims()
    right = [k for k, (_claim, holds, _why) in found.items() if holds]
    if len(right) != 1:
        raise ValueError(f"a4 needs exactly one claim the data support; they support {right}")
    intro = ('A colleague reads lesson 09 and says: "So meeting in person makes relationships last. Let\'s '
             'send the whole team to more meetups." Which answer do the data support?')
    return Choices({k: claim for k, (claim, _h, _w) in found.items()}, right[0],
                   {k: why for k, (_c, _h, why) in found.items()}, intro=intro)


def _part_a() -> dict:
    return {
        "a1": NumberQuestion(
            "a1", f"the median lifetime of ties whose people met at {A1_MEETINGS} or more meetups",
            hint_text="in lesson 09's explorer, set the slider to the number the question names and keep "
                      "everyone's ties; the sentence under the figure gives each group's median.",
            reasoning="The explorer's reading at that setting: ties between people who kept meeting lasted "
                      "months, against days for online-only ties. The number of ties behind it matters "
                      "too: it shrinks with every step of the slider.",
            value=often_met_median, tolerance=3, unit="days"),
        "a2": ChoiceQuestion(
            "a2", "for which kind of account meeting in person goes with no longer ties",
            hint_text="lesson 09's table by archetype puts each kind of account's met and online-only "
                      "medians side by side (or pick each kind in the explorer): where are the two about "
                      "the same?",
            reasoning="Compare the two medians within each archetype: meeting adds a layer to a "
                      "relationship only when something follows it.",
            build=archetype_choices),
        "a3": NumberQuestion(
            "a3", "the share of met ties whose first message came before the pair first met",
            hint_text="lesson 09's timing figure and the sentence printed above it: the ties left of the "
                      "dashed line began online before the first shared meetup.",
            reasoning="The sentence above the timing figure gives it: many pairs talked online before they "
                      "ever met, so meeting cannot have started those ties.",
            value=began_before_percent, tolerance=3, unit="%"),
        "a4": ChoiceQuestion(
            "a4", "which answer to the colleague the data support",
            hint_text="test each answer against lesson 09: the whole-community medians, the table by "
                      "archetype, who goes to meetups, the timing figure, and how many ties a median "
                      "rests on.",
            reasoning="Each claim is checked against the data: the gap is real on average, but it is not "
                      "there for every kind of account, the people who meet most keep ties going anyway, "
                      "and many ties began before the meeting. That is an association, not a cause.",
            build=claim_choices),
    }


@register("09_online_and_in_person")
def _online_and_in_person() -> dict[str, Question]:
    return {
        **_part_a(),
        "q1": Question(
            "q1", "the number of pairs of accounts who attended at least one meetup together",
            count_met_pairs, course_attendance, kind="number", function_name="count_met_pairs",
            hint_text="join the attendance table with itself on `event` (merge), keep the rows where the "
                      "first account is less than the second (so each pair appears one way round and "
                      "nobody pairs with themselves), then count the distinct (account, account) pairs.",
            explanation="Each pair counts once, however many meetups they shared.",
            reasoning="Drop repeated (account, event) rows, merge the attendance with itself on event, "
                      "keep the rows whose first account sorts before the second (each pair one way "
                      "round, nobody with themselves) and count the distinct pairs that are left.",
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
            reasoning="Build the ties first: conversational events between two different accounts, "
                      "grouped by (actor, target), lifetime = last minus first timestamp in days. Make a "
                      "set of the met pairs in both orders (the self-merge of question 1 gives both), "
                      "mark each tie met or not, and take the median lifetime of each group.",
            variants=_Q2_VARIANTS),
        "q3": Question(
            "q3", "the share of met pairs who are mutuals online",
            mutual_share, community, args=course_attendance, kind="number", function_name="mutual_share",
            hint_text="start from the pairs of q1 (each pair once, whether or not they ever talked). A pair "
                      "{a, b} is mutual when both a→b and b→a are ties (conversational kinds, actor ≠ "
                      "target). Divide the mutual pairs by all met pairs; with no met pairs the share is "
                      "missing (float('nan')).",
            explanation="Meeting is a start, not yet a tie: what happens online afterwards decides.",
            reasoning="Start from the pairs of question 1, one row each, and the set of ties (actor, "
                      "target). A pair is mutual when both (a, b) and (b, a) are in the set; divide the "
                      "mutual pairs by all pairs, talkers or not, and give NaN when no pair met.",
            variants=_Q3_VARIANTS),
    }
