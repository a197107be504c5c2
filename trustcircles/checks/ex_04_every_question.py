"""Checks and hints for the assignment 04_every_question (lesson 04, Every question gets an answer).

q1: how many questions were answered within 48 hours (trustcircles.metrics.questions);
q2: each account's answer_rate (trustcircles.metrics.answer_rate);
q3: the share of askers whose first question was answered; in the notebook, the newcomers of the
community dataset (accounts of archetype "newcomer" in trustcircles.data.load_accounts).
"""
from __future__ import annotations

import pandas as pd

from trustcircles.checks import Question, Variant, register
from trustcircles.checks.tables import community as _community
from trustcircles.checks.tables import row as _row
from trustcircles.checks.tables import with_rows as _with_rows
from trustcircles.checks.tables import without as _without


def _newcomers() -> list[str]:
    from trustcircles.topics import community
    accounts = community()[1]
    return accounts.loc[accounts["archetype"] == "newcomer", "account"].tolist()


def _answered_count(table: pd.DataFrame) -> int:
    from trustcircles import metrics
    return int(metrics.questions(table)["answered"].sum())


def _answer_rates(table: pd.DataFrame) -> pd.Series:
    from trustcircles import metrics
    return metrics.answer_rate(table).dropna()


def first_question_answered_share(table: pd.DataFrame, askers=None) -> float:
    """Of the accounts (among ``askers``, or all) that asked a question, the share whose first
    question (earliest by time, then event_id) was answered within 48 hours. NaN if none asked."""
    from trustcircles import metrics
    q = metrics.questions(table)  # sorted by timestamp, then event_id
    if askers is not None:
        q = q[q["actor"].isin(set(askers))]
    first = q.groupby("actor", sort=False).head(1)
    return float(first["answered"].mean()) if len(first) else float("nan")


@register("04_every_question")
def _every_question() -> dict[str, Question]:
    # Small variant tables for the hidden tests, described in words only.
    on_the_boundary = _with_rows([
        # dan replies to cat's DM question exactly 48 hours after it: that counts.
        _row("b1", "2025-03-05T14:00:00Z", "dan", "cat", "reply", "e00005"),
    ])
    not_answers = _with_rows([
        # dan asks in a post; only he himself replies, ann answers by DM, eve likes it.
        _row("n1", "2025-03-04T09:00:00Z", "dan", "", "post", question=True),
        _row("n2", "2025-03-04T09:30:00Z", "dan", "dan", "reply", "n1"),
        _row("n3", "2025-03-04T10:00:00Z", "ann", "dan", "dm", "n1"),
        _row("n4", "2025-03-04T10:30:00Z", "eve", "dan", "like", "n1"),
        # eve asks bob by mention; bob answers twice, once late, and eve replies to herself.
        _row("n5", "2025-03-06T09:00:00Z", "eve", "bob", "mention", question=True),
        _row("n6", "2025-03-06T10:00:00Z", "bob", "eve", "reply", "n5"),
        _row("n7", "2025-03-06T11:00:00Z", "bob", "eve", "reply", "n5"),
        _row("n8", "2025-03-06T12:00:00Z", "eve", "eve", "reply", "n5"),
    ])
    put_to_others = _with_rows([
        # ann asks bob in a mention; cat answers (not bob), within 48 h.
        _row("p1", "2025-03-07T09:00:00Z", "ann", "bob", "mention", question=True),
        _row("p2", "2025-03-07T10:00:00Z", "cat", "ann", "reply", "p1"),
        # cat asks ann by DM; ann answers after 3 hours; a second question to ann gets no answer.
        _row("p3", "2025-03-08T09:00:00Z", "cat", "ann", "dm", question=True),
        _row("p4", "2025-03-08T12:00:00Z", "ann", "cat", "reply", "p3"),
        _row("p5", "2025-03-09T09:00:00Z", "bob", "ann", "dm", question=True),
    ])
    first_unanswered_later_answered = _with_rows([
        # dan's first question goes unanswered; his second one is answered: his first still failed.
        _row("f1", "2025-03-04T09:00:00Z", "dan", "", "post", question=True),
        _row("f2", "2025-03-05T09:00:00Z", "dan", "", "post", question=True),
        _row("f3", "2025-03-05T10:00:00Z", "ann", "dan", "reply", "f2"),
        # eve asks twice at the same moment; the one with the smaller event_id (f4) is her first.
        _row("f5", "2025-03-06T09:00:00Z", "eve", "", "post", question=True),
        _row("f4", "2025-03-06T09:00:00Z", "eve", "", "post", question=True),
        _row("f6", "2025-03-06T10:00:00Z", "bob", "eve", "reply", "f4"),
    ])
    no_questions = _without(("e00001", "e00005"))
    rule = ("A question is an authored event (post, reply, mention, dm) with is_question true; it is "
            "answered when a reply by someone other than the asker names it as parent_id, from 0 up "
            "to and including 48 hours later. Only replies answer.")
    return {
        "q1": Question(
            "q1", "the number of questions answered within 48 hours", _answered_count, _community,
            function_name="count_answered",
            hint_text=rule + " Count each question once, however many answers it got.",
            explanation="Compare it with the number of questions: many wait in vain.",
            variants=[Variant("the worked example with a reply exactly 48 hours after a question",
                              on_the_boundary),
                      Variant("the worked example with a self-reply, a DM, a like and two answers to one "
                              "question added", not_answers),
                      Variant("the worked example without its two questions", no_questions)]),
        "q2": Question(
            "q2", "the answer rate of every account that had a question put to it", _answer_rates,
            _community, kind="per_label", label="account", missing_ok=True, function_name="answer_rates",
            hint_text="a question is put to the account in its target (question posts have no target "
                      "and never count). Of those questions, take the share that the target itself "
                      "answered: its own reply within 48 hours, as in question 1.",
            explanation="Trust builders answer most of what is put to them; others let questions go.",
            variants=[Variant("the worked example", _without(())),
                      Variant("the worked example with questions put to ann and bob, answered by "
                              "the target or by someone else", put_to_others),
                      Variant("the worked example with a self-reply, a DM, a like and two answers to one "
                              "question added", not_answers)]),
        "q3": Question(
            # the notebook's answer is about the newcomers (args); the hidden tests call the function
            # with the table alone (every asker counts)
            "q3", "the share of newcomers whose first question was answered within 48 hours",
            first_question_answered_share, _community, args=lambda: (_newcomers(),),
            function_name="first_question_answered_share",
            hint_text="for each asker, find the earliest of their questions (by time, then event_id) "
                      "and only that one; then take the share of those first questions that were "
                      "answered as in question 1. With `askers` given, keep only those accounts.",
            explanation="Set it beside Joyce and Kraut's 61% (2006).",
            variants=[Variant("the worked example", _without(())),
                      Variant("the worked example with a first question unanswered and a later one "
                              "answered, and two questions asked at the same moment",
                              first_unanswered_later_answered),
                      Variant("the worked example with a self-reply, a DM, a like and two answers to one "
                              "question added", not_answers),
                      Variant("the worked example without its two questions", no_questions)]),
    }
