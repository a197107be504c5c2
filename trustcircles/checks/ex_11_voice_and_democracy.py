"""Checks and hints for assignment 11_voice_and_democracy.

Part A (no code) reads lesson 11: how much conversation remains when a community's five most active
voices are set aside (a1, the explorer), which community is closest to an audience around one voice
(a2, the explorer), which change to try first for newcomers and how to know it worked (a3, the norms
scenario, a scenario judgement) and whether a few messages are personal, selling or to everyone
(a4). Part B (pandas) computes the Gini of voice, the share of members ever answered and the
conversation left without the most active voices.
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from trustcircles.checks import (ChoiceQuestion, Choices, Labelling, LabelsQuestion, NumberQuestion,
                                 Question, Variant, register)
from trustcircles.checks.tables import community as _community
from trustcircles.checks.tables import row as _row
from trustcircles.checks.tables import with_rows as _with_rows
from trustcircles.checks.tables import worked_example as _worked_example

#: a1: how many of the most active voices are set aside
A1_VOICES = 5
#: a2: the three communities offered, by letter (names as the lesson's explorer lists them)
A2_OPTIONS = {"A": "the community (lessons 00-10)", "B": "norms scenario: norms kept",
              "C": "real: a small developers' list (exmh-workers)"}


# --------------------------------------------------------------------------- Part A


def conversation_left_percent() -> float:
    """a1: the share (%) of the community's conversation left with its 5 most active voices aside."""
    from trustcircles.topics import community, voice
    table = community()[0]  # voice.communities()[voice.COMMUNITY]
    return 100 * float(voice.without_top_voices(table, A1_VOICES).loc[A1_VOICES, "conversation_left"])


def one_voice_numbers() -> dict[str, dict]:
    """a2: for each option, the conversation left with its single most active voice set aside, and
    that voice's share of all messages."""
    return {letter: dict(numbers) for letter, numbers in _from_the_tables()[0].items()}


@lru_cache(maxsize=1)
def _from_the_tables() -> tuple[dict[str, dict], pd.DataFrame]:
    """a2's numbers and a3's norms scenario summary, from one reading of the tables, which nobody
    keeps (the scenario's four runs would stay in the kernel's memory otherwise)."""
    from trustcircles.topics import voice
    tables = voice.communities(kept=False)
    out = {}
    for letter, name in A2_OPTIONS.items():
        table = tables[name]
        messages = voice.messages_by_account(table)
        out[letter] = {"left": float(voice.without_top_voices(table, 1).loc[1, "conversation_left"]),
                       "top": float(messages.max() / messages.sum()), "members": int(len(messages))}
    runs = {s: tables[f"norms scenario: {s}"] for s in voice.SCENARIOS}
    return out, voice.scenario_summary(runs, voice.scenario_accounts())


def one_voice_choices() -> Choices:
    numbers = one_voice_numbers()
    right = min(numbers, key=lambda k: numbers[k]["left"])
    why = {}
    for letter, n in numbers.items():
        if letter == right:
            why[letter] = (f"with its most active voice set aside, only {n['left']:.0%} of its conversation "
                           f"remains between the others: that one voice wrote {n['top']:.0%} of all messages, "
                           "and most of the talk went to or from it.")
        else:
            why[letter] = (f"with its most active voice set aside, {n['left']:.0%} of its conversation still "
                           f"remains between the others ({n['members']} members): the talk does not hang on one voice.")
    return Choices(dict(A2_OPTIONS), right, why)


def change_choices() -> Choices:
    """a3: which change to try first for newcomers, and what would tell it worked (norms scenario)."""
    from trustcircles.topics import voice
    effects = voice.change_effects(_from_the_tables()[1])
    welcome, callout, base = effects["welcome only"], effects["callout only"], effects["base"]
    welcome_first = welcome["came_back_points"] > callout["came_back_points"]
    options = {
        "A": "Call out hostile messages, and watch how many hostile messages a week there are.",
        "B": "Make sure every newcomer's first question gets an answer, and watch the share of first "
             "questions answered within 48 hours and the share of newcomers who post again.",
        "C": "Make sure every newcomer's first question gets an answer, and watch the number of events "
             "a week.",
    }
    why = {
        "A": (f"in the scenario, calling out hostility took hostile messages from {base['hostile_last_weeks']:.0f} "
              f"a week to {base['hostile_last_weeks'] + callout['hostile_change']:.0f} by the last four weeks, "
              f"but the share of newcomers who posted again moved by {callout['came_back_points']:+.0f} points: "
              "it answers another problem than the one asked."),
        "B": (f"in the scenario, answering newcomers raised the share of first questions answered by "
              f"{welcome['answered_points']:+.0f} points and the share of newcomers who posted again by "
              f"{welcome['came_back_points']:+.0f} points: the change works on the problem, and both numbers "
              "show it, the first within days, the second within weeks."),
        "C": (f"the change is the one that helps, but events a week moved by only "
              f"{100 * welcome['events_change_share']:+.0f}% when newcomers were answered: activity cannot "
              "tell you whether newcomers stay."),
    }
    right = "B" if welcome_first else "A"
    return Choices(options, right, why,
                   intro=f"A community answers {base['newcomers_answered']:.0%} of its newcomers' first questions "
                         "within 48 hours, and nobody remarks on hostile messages. Its organisers want more "
                         "newcomers to stay.")


def sorts_labelling() -> Labelling:
    """a4: five messages from the community: personal (to one person), selling, or to everyone."""
    from trustcircles.topics import community
    from trustcircles.topics.messages import VOICE_SORTS, sorting_sample
    events, _ = community()
    sample = sorting_sample(events, VOICE_SORTS, {"personal": 2, "selling": 1, "to everyone": 2}, seed=11)
    meaning = {label: text for label, (text, _rule) in VOICE_SORTS.items()}
    kinds = events.set_index("event_id")["kind"]
    why = [f"it is a {kinds[e]} ({meaning[label]})." for e, label in zip(sample["event_id"], sample["label"])]
    return Labelling([f'"{text}"' for text in sample["text"]], meaning, list(sample["label"]), why)


def _part_a() -> dict:
    return {
        "a1": NumberQuestion(
            "a1", f"the share of the conversation left with the {A1_VOICES} most active voices set aside",
            hint_text="lesson 11's explorer: choose the community, move the slider to 5 and read the "
                      "bold percentage in the sentence under the figure.",
            reasoning="The reading counts replies, mentions and direct messages between two members who are "
                      "both outside the five most active: what the others would still say to each other.",
            value=conversation_left_percent, tolerance=1, unit="%"),
        "a2": ChoiceQuestion(
            "a2", "which community is closest to an audience around one voice",
            hint_text="in lesson 11's explorer, pick each of the three and set one voice aside: where does "
                      "the conversation almost vanish?",
            reasoning="An audience hangs on its centre: take the centre away and little talk is left among "
                      "the others. A community's members also talk with each other.",
            build=one_voice_choices),
        "a3": ChoiceQuestion(
            "a3", "which change to try first, and what would tell you it worked",
            hint_text="lesson 11's norms scenario: which run changed what happens to newcomers, and which "
                      "numbers moved when it did?",
            reasoning="Pick the change whose effect in the scenario is on the problem you were asked about, "
                      "and a measure that moved with it: activity in general moves for many reasons.",
            build=change_choices),
        "a4": LabelsQuestion(
            "a4", "whether each message is personal, selling or to everyone",
            hint_text="who is it written to: one person, or nobody in particular? And does it sell "
                      "something (a product, an offer, a link to buy)?",
            reasoning="The labels come from the table: the kind of event (a post addresses nobody) and "
                      "is_promotional.",
            build=sorts_labelling),
    }


# --------------------------------------------------------------------------- Part B


def _gini(table: pd.DataFrame) -> float:
    from trustcircles.topics.voice import gini, messages_by_account
    return gini(messages_by_account(table))


def _ever_answered(table: pd.DataFrame) -> float:
    from trustcircles.topics.voice import voice_summary
    return voice_summary(table)["answered_share"]


def _left(table: pd.DataFrame, k: int) -> float:
    from trustcircles.topics.voice import without_top_voices
    return float(without_top_voices(table, k).loc[k, "conversation_left"])


@register("11_voice_and_democracy")
def _voice() -> dict[str, Question]:
    # Small tables for the edge cases, described to the learner in words only.
    silent_receivers = _with_rows([
        _row("s1", "2025-03-04T09:00:00Z", "ann", "dan", "mention"),
        _row("s2", "2025-03-04T10:00:00Z", "ann", "eve", "dm"),
        _row("s3", "2025-03-04T11:00:00Z", "bob", "eve", "dm"),
    ])
    likes_and_shares = _with_rows([
        _row("l1", "2025-03-04T09:00:00Z", "cat", "ann", "like", "e00001"),
        _row("l2", "2025-03-04T10:00:00Z", "dan", "ann", "share", "e00001"),
        _row("l3", "2025-03-04T11:00:00Z", "dan", "bob", "like", "e00002"),
        _row("l4", "2025-03-04T12:00:00Z", "dan", "ann", "like", "e00003"),
    ])
    self_reply = _with_rows([
        _row("r1", "2025-03-04T09:00:00Z", "dan", "", "post"),
        _row("r2", "2025-03-04T10:00:00Z", "dan", "dan", "reply", "r1"),
        _row("r3", "2025-03-04T11:00:00Z", "ann", "ann", "reply", "e00003"),
    ])
    only_a_like = _with_rows([
        _row("k1", "2025-03-04T09:00:00Z", "eve", "", "post", question=True),
        _row("k2", "2025-03-04T10:00:00Z", "ann", "eve", "like", "k1"),
    ])
    one_talks_to_all = _with_rows([
        _row("o1", "2025-03-04T09:00:00Z", "ann", "dan", "mention"),
        _row("o2", "2025-03-04T10:00:00Z", "ann", "eve", "dm"),
        _row("o3", "2025-03-04T11:00:00Z", "eve", "ann", "reply", "o2"),
        _row("o4", "2025-03-04T12:00:00Z", "dan", "eve", "dm"),
    ])

    def posts_only() -> pd.DataFrame:
        table = _worked_example()
        return table[table["kind"] == "post"].reset_index(drop=True)

    everyone_equal = "a table where everyone writes as many messages"
    receivers = "a table where some members only receive messages and never write one"
    attention = "a table with likes and shares beside the messages (likes and shares are not messages)"
    to_oneself = "a table where someone replies to their own message"
    liked_only = "a table where a message gets a like and no reply"
    ties = "a table where several members wrote as many messages (ties go to the name first in alphabetical order)"
    central = "a table where the most active member talks with everyone"
    nobody_talks = "a table with posts only: no conversation at all"
    return {
        **_part_a(),
        "q1": Question(
            "q1", "the Gini coefficient of the messages each member wrote", _gini, _community,
            function_name="gini_of_voice",
            hint_text="count each member's messages (post, reply, mention, dm, not to oneself), giving 0 to "
                      "every account the table names that never wrote one; sort the counts x_1 ... x_n from "
                      "smallest to largest; Gini = 2·Σ i·x_i / (n·Σx) − (n + 1)/n.",
            explanation="0 would mean everyone writes as much; the closer to 1, the more a few voices carry "
                        "the conversation.",
            reasoning="Members are everyone the table names (as actor or target): silent members count, "
                      "with 0 messages, or the spread looks more even than it is.",
            variants=[Variant(everyone_equal, _worked_example),
                      Variant(receivers, silent_receivers, background=True),
                      Variant(attention, likes_and_shares, background=True),
                      Variant(to_oneself, self_reply, background=True)]),
        "q2": Question(
            "q2", "the share of the members who wrote something that were ever answered",
            _ever_answered, _community, function_name="ever_answered_share",
            hint_text="a member was answered when someone else's reply names one of their messages (post, "
                      "reply, mention or dm) as parent_id; divide by the members who wrote at least one "
                      "message (not to themselves).",
            explanation="A community hears its members: almost everyone who speaks gets a reply sometime.",
            reasoning="Only replies answer, and only someone else's: a like is attention, a reply to oneself "
                      "is not being heard.",
            variants=[Variant(to_oneself, self_reply, background=True),
                      Variant(liked_only, only_a_like, background=True),
                      Variant(receivers, silent_receivers, background=True)]),
        "q3": Question(
            "q3", f"the share of the conversation left with the {A1_VOICES} most active voices set aside",
            _left, _community, args=(A1_VOICES,), function_name="conversation_left",
            hint_text="rank the members by messages written (most first, ties by name); the conversation is "
                      "every reply, mention and dm between two different accounts; keep those in which "
                      "neither account is among the first k, and divide by all of them.",
            explanation="That is what the others would still say to each other if the most active voices left.",
            reasoning="A conversation involving a member set aside goes with them, whichever end they are on.",
            variants=[Variant(ties, _worked_example, args=(1,)),
                      Variant("k = 0: nobody is set aside", _worked_example, args=(0,), background=True),
                      Variant(central, one_talks_to_all, args=(1,)),
                      Variant(attention, likes_and_shares, args=(1,)),
                      Variant(nobody_talks, posts_only, args=(1,))]),
    }
