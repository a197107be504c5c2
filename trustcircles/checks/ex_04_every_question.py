"""Checks and hints for the assignment 04_every_question (lesson 04, Every question gets an answer).

Part A (no code) reads lesson 04: the share of newcomers answered within a day, read off the explorer
(a1); whom a newcomer should ask, from the answer-rate figure (a2); which responses to a question
answer it by the course's rule (a3); and a manager's judgement: which change would answer most of
the newcomers' first questions that now meet silence, and what would show it worked (a4). Every
right answer and every option's numbers come from :mod:`trustcircles.topics.questions`.

Part B (pandas):
q1: how many questions were answered within 48 hours (trustcircles.metrics.questions);
q2: each account's answer_rate (trustcircles.metrics.answer_rate);
q3: the share of askers whose first question was answered; in the notebook, the newcomers of the
community dataset (accounts of archetype "newcomer" in trustcircles.data.load_accounts).
"""
from __future__ import annotations

import pandas as pd

from trustcircles.checks import (ChoiceQuestion, Choices, Labelling, LabelsQuestion, NumberQuestion,
                                 Question, Variant, register)
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


# --------------------------------------------------------------------------- Part A

#: a1: the explorer's setting the question names (hours)
A1_WINDOW = 24

#: a2: the archetypes offered, in the order of the options
A2_OPTIONS = {"A": "broadcaster", "B": "trust_builder", "C": "transactional", "D": "listener"}

#: a3: how many responses of each label the learner sorts
A3_COUNTS = {"answer": 2, "late": 1, "own": 1, "not a reply": 1}


def _first_questions() -> pd.DataFrame:
    """Lesson 04's newcomers and their first questions (the table its figure and explorer use)."""
    from trustcircles.topics import community
    from trustcircles.topics.questions import newcomer_first_questions
    return newcomer_first_questions(community()[0], _newcomers())


def answered_within_percent(hours: float = A1_WINDOW) -> float:
    """a1: the share of newcomers (%) whose first question got a reply within ``hours`` (the explorer)."""
    from trustcircles.topics.questions import window_summary
    return 100 * window_summary(_first_questions(), hours)["share_answered"]


def whom_to_ask() -> Choices:
    """a2: of four archetypes, whose accounts answer the largest share of the questions put to them."""
    from trustcircles.topics import community
    from trustcircles.topics.archetypes import PLURALS
    from trustcircles.topics.questions import archetype_answers
    table, accounts = community()
    by = archetype_answers(table, accounts)
    rate = {letter: float(by.loc[a, "answer_rate"]) for letter, a in A2_OPTIONS.items()}
    right = max(rate, key=rate.get)
    fastest = by.loc[list(A2_OPTIONS.values()), "median_response_hours"].astype(float).idxmin()
    busiest = (by["questions_put"] / by["accounts"]).loc[list(A2_OPTIONS.values())].idxmax()
    why = {}
    for letter, archetype in A2_OPTIONS.items():
        row = by.loc[archetype]
        said = (f"the median {_one(archetype)} answers {row['answer_rate']:.0%} of the "
                f"questions put to it itself, typically in {row['median_response_hours']:.1f} hours")
        if letter == right:
            why[letter] = said + ": the tallest bar, so a question put to one of them is the likeliest to be answered."
        elif archetype == fastest:
            why[letter] = (said + ": the fastest when it does answer, but most questions put to "
                           f"{PLURALS[archetype]} get no answer from them at all.")
        elif archetype == busiest:
            per = row["questions_put"] / row["accounts"]
            why[letter] = (said + f": the most visible ({per:.0f} questions put to each account), "
                           "and most of them wait in vain.")
        else:
            why[letter] = said + ": well under the tallest bar."
    return Choices({k: PLURALS[a] for k, a in A2_OPTIONS.items()}, right, why)


def responses_to_sort() -> Labelling:
    """a3: five responses to questions in the community, each labelled by the course's rule."""
    from trustcircles.topics import community
    from trustcircles.topics.questions import RESPONSE_LABELS, response_sample
    sample = response_sample(community()[0], A3_COUNTS)
    why = [f"{RESPONSE_LABELS[label]} ({_after(hours)} the question)."
           for label, hours in zip(sample["label"], sample["hours"])]
    return Labelling(list(sample["shown"]), dict(RESPONSE_LABELS), list(sample["label"]), why)


def _after(hours: float) -> str:
    if hours < 1:
        return f"{hours * 60:.0f} minutes after"
    return f"{hours:.0f} hour{'' if round(hours) == 1 else 's'} after"


def _one(archetype: str) -> str:
    """One account of an archetype, in words: 'trust builder', 'transactional account'."""
    from trustcircles.topics.archetypes import label
    return "transactional account" if archetype == "transactional" else label(archetype)


def first_question_gaps() -> dict:
    """a4: where the newcomers' unanswered first questions were asked (topics.questions)."""
    from trustcircles.topics import community
    from trustcircles.topics.questions import unanswered_first_questions
    table, accounts = community()
    return unanswered_first_questions(table, accounts, _first_questions())


#: a4's changes: letter -> (the change and its measure, which of the unanswered it can reach)
A4_CHANGES = {
    "A": ("Ask everyone who answers to answer faster; it worked if the median response time falls.",
          "late"),
    "B": ("Ask the broadcasters and transactional accounts to answer the newcomers who mention them; "
          "it worked if those archetypes' answer rates rise.", "sellers"),
    "C": ("Have someone look every day for questions posted to everyone that have no reply yet, and "
          "answer them; it worked if the share of newcomers' first questions answered within 48 hours "
          "rises.", "everyone"),
    "D": ("Post a welcome message for newcomers every day; it worked if the number of posts in the "
          "community rises.", "posts"),
}


def change_effects(gaps: dict | None = None) -> dict[str, int]:
    """How many of the newcomers' unanswered first questions each of a4's changes could answer."""
    gaps = gaps or first_question_gaps()
    asked = gaps["asked"]
    return {"late": gaps["late"],
            "sellers": asked.get("broadcaster", 0) + asked.get("transactional", 0),
            "everyone": asked.get("everyone", 0),
            "posts": 0}


def which_change() -> Choices:
    """a4: the change that could answer most of the unanswered first questions, with a measure that
    shows it (each option's effect computed from the data)."""
    gaps = first_question_gaps()
    effect = change_effects(gaps)
    n, answered, missed = gaps["newcomers"], gaps["answered"], gaps["unanswered"]
    now = answered / n

    def after(reach: str) -> str:
        k = effect[reach]
        return (f"{k} of the {missed} unanswered first questions, so at most {now:.0%} → "
                f"{(answered + k) / n:.0%} of newcomers answered")
    scores = {letter: effect[reach] for letter, (_text, reach) in A4_CHANGES.items()}
    right = max(scores, key=scores.get)
    asked = gaps["asked"]
    why = {
        "A": (f"faster answers help only the first questions answered late: {after('late')}. The other answers already come within 48 hours, and a median "
              "response time is measured on the questions that got an answer, never on those that "
              "waited in vain."),
        "B": (f"mentions of broadcasters ({asked.get('broadcaster', 0)}) and transactional accounts "
              f"({asked.get('transactional', 0)}) are {after('sellers')}; and their answer rates "
              "also count questions from everyone else, not newcomers' first questions."),
        "C": (f"the questions posted to everyone are {after('everyone')}, the largest gain of the "
              "four; and the share of first questions answered within 48 hours is the number that "
              "would show it."),
        "D": (f"a post answers nobody's question: it reaches {effect['posts']} of the {missed} "
              f"unanswered first questions (the share stays at {now:.0%}), and the number of posts "
              "can grow while newcomers still wait and leave."),
    }
    intro = (f"Of {n} newcomers' first questions, {answered} ({now:.0%}) got an answer within 48 hours. "
             f"Of the {missed} that did not, {asked.get('everyone', 0)} were posted to everyone, "
             + ", ".join(f"{count} put to {'a' if a[0] not in 'aeiou' else 'an'} {_one(a)}"
                         for a, count in sorted(asked.items(), key=lambda kv: -kv[1]) if a != "everyone")
             + f"; {gaps['late']} of them got a reply after 48 hours (within 7 days).\n"
             "Which change would you try first, with the measure that would tell you in a month "
             "whether it worked?")
    return Choices({k: text for k, (text, _reach) in A4_CHANGES.items()}, right, why, intro=intro)


def _part_a() -> dict:
    return {
        "a1": NumberQuestion(
            "a1", f"the share of newcomers whose first question got a reply within {A1_WINDOW} hours",
            hint_text="in lesson 04's explorer, move the slider to the window the question names; the "
                      "sentence under the figure gives the share in bold.",
            reasoning="The explorer's reading at that window says how many newcomers got a reply in "
                      "time, as a share of all newcomers who asked: a day is a stricter promise than "
                      "the course's 48 hours, and fewer newcomers meet it.",
            value=answered_within_percent, tolerance=2, unit="%"),
        "a2": ChoiceQuestion(
            "a2", "whose accounts answer the largest share of the questions put to them",
            hint_text="lesson 04's first figure: each bar is the share of the questions put to an "
                      "account that it answered itself; hover for how fast. Fast is not the same as often.",
            reasoning="Read the height of each bar, not the hover's response time: a question is more "
                      "likely to be answered by the archetype with the tallest bar, whoever is most "
                      "visible or fastest.",
            build=whom_to_ask),
        "a3": LabelsQuestion(
            "a3", "which responses answer a question by the course's rule",
            hint_text="three things decide: is it a reply (not a like, a share or a DM), is it by "
                      "someone other than the asker, and did it come within 48 hours?",
            reasoning="A question is answered only by a reply from someone other than the asker, "
                      "within 48 hours: each response fails on one of those three, or passes all.",
            build=responses_to_sort),
        "a4": ChoiceQuestion(
            "a4", "which change would answer most of the newcomers' first questions that meet silence",
            hint_text="count, for each change, how many of the unanswered first questions it could "
                      "reach at all; then ask whether its measure would even see those newcomers.",
            reasoning="Start where the silence is: most unanswered first questions were asked of "
                      "everyone, and nobody's job was to answer them. Measure the thing you want to "
                      "change, newcomers' first questions answered in time, then see whether they stay.",
            build=which_change),
    }


@register("04_every_question")
def _every_question() -> dict[str, Question]:
    # Small variant tables for the hidden tests, described in words only.
    on_the_boundary = _with_rows([
        # dan replies to cat's DM question exactly 48 hours after it: that counts.
        _row("b1", "2025-03-05T14:00:00Z", "dan", "cat", "reply", "e00005"),
    ])
    not_answers_table = _with_rows([
        # dan asks in a post; only he himself replies, ann answers by DM, eve likes it.
        _row("n1", "2025-03-04T09:00:00Z", "dan", "", "post", question=True),
        _row("n2", "2025-03-04T09:30:00Z", "dan", "dan", "reply", "n1"),
        _row("n3", "2025-03-04T10:00:00Z", "ann", "dan", "dm", "n1"),
        _row("n4", "2025-03-04T10:30:00Z", "eve", "dan", "like", "n1"),
        # eve asks bob by mention; bob answers twice, and eve replies to herself.
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
    # what the learner is told about each table: the situation, never the rows or the names
    boundary = "a table where a reply comes exactly 48 hours after the question"
    not_answers = ("a table where a question gets only the asker's own reply, a DM and a like, and "
                   "another gets two answers and the asker's own reply")
    nobody_asks = "a table with no question at all"
    put_elsewhere = ("a table where a question put to one account is answered by another, and one put "
                     "to an account is never answered")
    first_then_later = ("a table where someone's first question goes unanswered and a later one is "
                        "answered, and someone asks two questions at the same moment")
    return {
        **_part_a(),
        "q1": Question(
            "q1", "the number of questions answered within 48 hours", _answered_count, _community,
            function_name="count_answered",
            hint_text=rule + " Count each question once, however many answers it got.",
            explanation="Compare it with the number of questions: many wait in vain.",
            reasoning="Pair each question with the replies that name it as parent_id (a merge), keep "
                      "the pairs where the replier is not the asker and the delay is 0 to 48 hours, "
                      "and count the distinct questions left.",
            variants=[Variant(boundary, on_the_boundary, background=True),
                      Variant(not_answers, not_answers_table, background=True),
                      Variant(nobody_asks, no_questions, background="quiet")]),
        "q2": Question(
            "q2", "the answer rate of every account that had a question put to it", _answer_rates,
            _community, kind="per_label", label="account", missing_ok=True, function_name="answer_rates",
            hint_text="a question is put to the account in its target (question posts have no target "
                      "and never count). Of those questions, take the share that the target itself "
                      "answered: its own reply within 48 hours, as in question 1.",
            explanation="Trust builders answer most of what is put to them; others let questions go.",
            reasoning="Keep the questions that have a target, pair them with their replies, and call a "
                      "question answered when the target itself replied within 48 hours; then take "
                      "the mean of answered per target (a groupby).",
            variants=[Variant("the six-event worked example", _without(()), background=True),
                      Variant(put_elsewhere, put_to_others, background=True),
                      Variant(not_answers, not_answers_table, background=True)]),
        "q3": Question(
            # the notebook's answer is about the newcomers (args): that call checks `askers`; the
            # hidden tests call the function with the table alone (every asker counts)
            "q3", "the share of newcomers whose first question was answered within 48 hours",
            first_question_answered_share, _community, args=lambda: (_newcomers(),),
            function_name="first_question_answered_share",
            hint_text="for each asker, find the earliest of their questions (by time, then event_id) "
                      "and only that one; then take the share of those first questions that were "
                      "answered as in question 1. With `askers` given, keep only those accounts.",
            explanation="Set it beside Joyce and Kraut's 61% (2006).",
            reasoning="Sort the questions by time and event_id, keep each asker's first one "
                      "(drop_duplicates on the asker), and use question 1's rule on those alone: the "
                      "share is the mean of answered, or missing when nobody asked.",
            variants=[Variant("the six-event worked example", _without(()), background=True),
                      Variant(first_then_later, first_unanswered_later_answered, background=True),
                      Variant(not_answers, not_answers_table, background=True),
                      Variant(nobody_asks, no_questions, background="quiet")]),
    }
