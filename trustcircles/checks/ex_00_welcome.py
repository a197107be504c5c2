"""Checks and hints for the practice assignment 00_welcome.

Part A (no code) reads lesson 00: how much the most active tenth does (a1, from the spread figure),
which archetype mostly replies (a2, from the explorer) and whether a few real-looking messages ask or
sell something (a3). Part B (pandas) counts kinds, ties and answered questions on the worked example.
"""
from __future__ import annotations

import pandas as pd

from trustcircles.checks import (ChoiceQuestion, Choices, Labelling, LabelsQuestion, NumberQuestion,
                                 Question, Variant, register)
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


# --------------------------------------------------------------------------- Part A

#: the three archetypes a2 offers, in the order of its options
A2_OPTIONS = {"A": "transactional", "B": "broadcaster", "C": "trust_builder"}


def top_tenth_percent() -> float:
    """a1: the share of all events (%) done by the most active tenth of the accounts."""
    from trustcircles.topics import community, welcome
    events, _ = community()
    return 100 * welcome.top_share(events, fraction=0.1)


def reply_choices() -> Choices:
    """a2: which of three archetypes mostly replies (its largest share of events is replies)."""
    from trustcircles.topics import community, welcome
    from trustcircles.topics.archetypes import PLURALS
    events, accounts = community()
    mix = welcome.kind_mix(events, accounts)
    kinds = [k for k in ("post", "reply", "mention", "dm", "like", "share") if k in mix.columns]
    replies = {letter: float(mix.loc[a, "reply"]) for letter, a in A2_OPTIONS.items()}
    right = max(replies, key=replies.get)
    why = {}
    for letter, archetype in A2_OPTIONS.items():
        top = mix.loc[archetype, kinds].astype(float).idxmax()
        share = float(mix.loc[archetype, top])
        if letter == right:
            why[letter] = (f"{replies[letter]:.0%} of the {PLURALS[archetype]}' events are replies, "
                           "more than any other kind: they mostly answer what others say.")
        else:
            why[letter] = (f"only {replies[letter]:.0%} of the {PLURALS[archetype]}' events are replies; "
                           f"most of what they do is {top}s ({share:.0%}).")
    return Choices({k: PLURALS[a] for k, a in A2_OPTIONS.items()}, right, why)


def asks_or_sells() -> Labelling:
    """a3: five messages from the community, each a question, a promotion or neither (its flags)."""
    from trustcircles.topics import community
    from trustcircles.topics.messages import ASKS_OR_SELLS, sorting_sample
    events, _ = community()
    sample = sorting_sample(events, ASKS_OR_SELLS, {"question": 2, "promotion": 2, "neither": 1})
    meaning = {label: text for label, (text, _rule) in ASKS_OR_SELLS.items()}
    why = [f"the table marks it {'is_question' if label == 'question' else 'is_promotional' if label == 'promotion' else 'neither is_question nor is_promotional'}"
           f" ({meaning[label]})." for label in sample["label"]]
    return Labelling([f'"{text}"' for text in sample["text"]], meaning, list(sample["label"]), why)


def _part_a() -> dict:
    return {
        "a1": NumberQuestion(
            "a1", "the share of all events done by the most active tenth of the accounts",
            hint_text="lesson 00's third figure and the sentence above it: follow the line to 10% of the "
                      "accounts and read how much of everything they did.",
            reasoning="The sentence under lesson 00's spread figure gives it: a tenth of the accounts "
                      "does about half of everything, so 'most active' is a small group.",
            value=top_tenth_percent, tolerance=2, unit="%"),
        "a2": ChoiceQuestion(
            "a2", "which archetype's events are mostly replies",
            hint_text="in lesson 00's explorer, pick each of the three archetypes in turn and look at the "
                      "tallest coloured bar.",
            reasoning="Read each archetype's tallest bar in the explorer: replies answer what someone "
                      "else said, which is what listening looks like in data.",
            build=reply_choices),
        "a3": LabelsQuestion(
            "a3", "whether each message asks something, sells something, or neither",
            hint_text="a question asks the reader something (often, but not always, with a '?'); a "
                      "promotion names a product, an offer or a link to buy; the rest is neither.",
            reasoning="These are the table's is_question and is_promotional columns: each message's "
                      "label comes from them.",
            build=asks_or_sells),
    }


# --------------------------------------------------------------------------- Part B


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
    answers_itself = _with_rows([
        dict(event_id="z1", timestamp="2025-03-04T08:00:00Z", actor="dan", target="", kind="post",
             parent_id="", is_question=True, is_promotional=False),
        dict(event_id="z2", timestamp="2025-03-04T09:00:00Z", actor="dan", target="dan", kind="reply",
             parent_id="z1", is_question=False, is_promotional=False),
    ])
    # what the learner is told about each table: the situation, never the rows
    self_likes_mention = "a table with a self-reply, a like and a mention"
    late_reply_and_dm = "a table where a question gets a DM soon and a reply only days later"
    no_question_at_all = "a table with no question at all"
    own_answer = "a table where someone replies to their own question"
    return {
        **_part_a(),
        "q1": Question(
            "q1", "the number of events of each kind", _count_kinds, _worked_example,
            kind="counts", function_name="count_kinds",
            hint_text="each row is one event and the column `kind` says what it was; "
                      "pandas can count how often each value of a column occurs.",
            explanation="Three of the six are replies: in this little example people mostly answer.",
            variants=[Variant(self_likes_mention, self_and_likes, background=True),
                      Variant(no_question_at_all, no_questions, background="quiet")]),
        "q2": Question(
            "q2", "the number of ties", _number_of_ties, _worked_example,
            function_name="count_ties",
            hint_text="a tie a→b needs a conversational event (reply, mention or dm) from a to b with "
                      "a ≠ b; count each ordered pair (actor, target) once. Likes and shares make no tie.",
            explanation="Ties have a direction: ann→bob and bob→ann are two ties.",
            variants=[Variant(self_likes_mention, self_and_likes, background=True),
                      Variant(late_reply_and_dm, late_and_dm, background=True)]),
        "q3": Question(
            "q3", "the share of questions answered within 48 hours", _answered_share, _worked_example,
            function_name="answered_share",
            hint_text="a question is an authored event with is_question true; it is answered when "
                      "someone else's reply names it as parent_id within 48 hours (both ends included). "
                      "Only replies answer.",
            explanation="One question got a reply in 2 hours; the other waited 48 h 1 min: too late.",
            variants=[Variant(late_reply_and_dm, late_and_dm, background=True),
                      Variant(self_likes_mention, self_and_likes, background=True),
                      Variant(own_answer, answers_itself, background=True),
                      Variant(no_question_at_all, no_questions, background="quiet")]),
    }
