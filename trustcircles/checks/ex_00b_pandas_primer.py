"""Checks for the pandas primer (lessons/00b_pandas_primer.ipynb): the four moves Part B needs.

Each move has a partly filled function (p1-p4: one line is left for the learner) and the primer ends
with one open question (p5) that uses all four. The checks are Part B's: the learner's function on
the worked example and on small tables with the situations the prompt names.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from trustcircles.checks import Question, Variant, register
from trustcircles.checks.tables import row, with_rows, without, worked_example

CONVERSATIONAL = ("reply", "mention", "dm")
AUTHORED = ("post", "reply", "mention", "dm")


def dms_only(table: pd.DataFrame) -> pd.DataFrame:
    """p1: the rows that are direct messages."""
    return table[table["kind"] == "dm"]


def promotional_share(table: pd.DataFrame) -> pd.Series:
    """p2: for each account that wrote something, the share (0-1) of its authored events that promote."""
    authored = table[table["kind"].isin(AUTHORED)]
    return authored.groupby("actor")["is_promotional"].mean()


def _replies_with_parents(table: pd.DataFrame) -> pd.DataFrame:
    replies = table[table["kind"] == "reply"]
    return replies.merge(table, left_on="parent_id", right_on="event_id", suffixes=("", "_parent"))


def replies_to_others(table: pd.DataFrame) -> int:
    """p3: how many replies answer a message written by someone else."""
    pairs = _replies_with_parents(table)
    return int((pairs["actor"] != pairs["actor_parent"]).sum())


def reply_hours(table: pd.DataFrame) -> pd.Series:
    """p4: for each reply whose parent is in the table, the hours from the parent to the reply."""
    pairs = _replies_with_parents(table)
    hours = (pairs["timestamp"] - pairs["timestamp_parent"]).dt.total_seconds() / 3600
    return pd.Series(hours.to_numpy(), index=pairs["event_id"].to_numpy())


def median_first_reply_hours(table: pd.DataFrame) -> float:
    """p5: over the questions someone else replied to, the median hours to the first such reply."""
    questions = table[table["kind"].isin(AUTHORED) & table["is_question"]]
    pairs = _replies_with_parents(table)
    pairs = pairs[(pairs["actor"] != pairs["actor_parent"]) & pairs["event_id_parent"].isin(questions["event_id"])]
    if pairs.empty:
        return float("nan")
    hours = (pairs["timestamp"] - pairs["timestamp_parent"]).dt.total_seconds() / 3600
    return float(np.median(hours.groupby(pairs["event_id_parent"].to_numpy()).min()))


_P5_SOLUTION = """def median_first_reply_hours(table):
    questions = table[table["kind"].isin(["post", "reply", "mention", "dm"]) & table["is_question"]]
    replies = table[table["kind"] == "reply"]
    pairs = replies.merge(questions, left_on="parent_id", right_on="event_id", suffixes=("", "_question"))
    pairs = pairs[pairs["actor"] != pairs["actor_question"]]
    if len(pairs) == 0:
        return None
    hours = (pairs["timestamp"] - pairs["timestamp_question"]).dt.total_seconds() / 3600
    return hours.groupby(pairs["event_id_question"]).min().median()"""

# Small tables, described to the learner as situations.
_self_reply = with_rows([row("s1", "2025-03-03T10:00:00Z", "ann", "ann", "reply", "e00001")])
_two_replies = with_rows([
    row("t1", "2025-03-03T15:00:00Z", "cat", "ann", "reply", "e00001"),
    row("t2", "2025-03-04T09:00:00Z", "ann", "cat", "dm", promotional=True),
])
_no_replies = without(("e00002", "e00003", "e00006"))
_orphan = with_rows([row("o1", "2025-03-04T12:00:00Z", "bob", "dan", "reply", "gone-before-the-export")])

SELF = "a table where someone replies to their own post"
TWO = "a table where a question gets two replies from different people, and one more DM"
NONE = "a table with no replies at all"
ORPHAN = "a table with a reply to a message that is not in the table"


@register("00b_pandas_primer")
def _primer() -> dict[str, Question]:
    def q(name, checked, expected, function_name, kind, hint, variants, **extra):
        return Question(name, checked, expected, worked_example, kind=kind, hint_text=hint,
                        function_name=function_name, variants=variants, **extra)
    return {
        "p1": q("p1", "the rows that are direct messages", dms_only, "dms_only", "frame",
                "a condition on one column, `table['kind'] == 'dm'`, gives True or False per row; "
                "`table[condition]` keeps the rows where it is True.",
                [Variant(TWO, _two_replies, background=True), Variant(NONE, _no_replies)],
                reasoning="The missing line is `return table[is_dm]`: a table indexed by a True/False "
                          "column keeps the rows where it is True."),
        "p2": q("p2", "each account's share of promoting messages", promotional_share,
                "promotional_share", "per_label",
                "group the authored rows by `actor` and take the mean of `is_promotional`: the mean of "
                "True/False values is the share of True.",
                [Variant(TWO, _two_replies, background=True), Variant(SELF, _self_reply, background=True)],
                label="account",
                reasoning="The missing line is `return authored.groupby(\"actor\")[\"is_promotional\"].mean()`: "
                          "one group per account, and the mean of True/False is the share of True."),
        "p3": q("p3", "the number of replies to someone else's message", replies_to_others,
                "replies_to_others", "number",
                "after the merge, each row holds a reply (`actor`) and the message it answers "
                "(`actor_parent`); count the rows where the two differ.",
                [Variant(SELF, _self_reply, background=True), Variant(NONE, _no_replies),
                 Variant(ORPHAN, _orphan, background=True)],
                reasoning="The missing line is `return int((pairs[\"actor\"] != pairs[\"actor_parent\"]).sum())`: "
                          "the comparison gives True for each reply to someone else, and the sum counts them. "
                          "A reply whose parent is not in the table finds no partner in the merge, so it is "
                          "not counted."),
        "p4": q("p4", "the hours from each message to its reply", reply_hours, "reply_hours",
                "per_label",
                "subtracting two timestamp columns gives durations; `.dt.total_seconds() / 3600` "
                "turns them into hours.",
                [Variant(TWO, _two_replies), Variant(ORPHAN, _orphan)], label="reply",
                reasoning="The missing line is `hours = (pairs[\"timestamp\"] - pairs[\"timestamp_parent\"])"
                          ".dt.total_seconds() / 3600`: the difference of two times is a duration, and "
                          "3,600 seconds make an hour."),
        "p5": q("p5", "the median hours from a question to its first reply by someone else",
                median_first_reply_hours, "median_first_reply_hours", "number",
                "filter the questions; merge the replies with the messages they answer; keep replies by "
                "someone else to a question; per question the earliest (min) hours; then the median.",
                [Variant(SELF, _self_reply, background=True), Variant(TWO, _two_replies),
                 Variant(NONE, _no_replies, background="quiet")],
                reasoning="Each of the four moves once: a filter for the questions, a merge on parent_id "
                          "to put each reply beside its question (keeping replies by someone else), a time "
                          "difference in hours, then a groupby per question for its first reply (min) and "
                          "the median of those:\n\n" + _P5_SOLUTION),
    }
