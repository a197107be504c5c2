"""Exercise 03's Part A: the sorted messages are labelled by the table's own columns and each label
fits exactly one rule, each distractor is wrong for the reason its explanation gives, each number's
tolerance is smaller than the gap to a neighbouring reading, and what the learner reads in lesson 03's
figures and explorer is what the check computes."""
from __future__ import annotations

import pytest

from trustcircles.checks import exercise
from trustcircles.checks.ex_03_conversation import (A1_COUNTS, A2_CUTOFF, A3_PAIR, A4_CHANGES, A4_NOW,
                                                    message_sample, pair_medians, scenario_shares)
from trustcircles.topics import community
from trustcircles.topics.messages import BEHAVIOURS

ASSIGNMENT = "03_conversation"


@pytest.fixture(scope="module")
def ex():
    return exercise(ASSIGNMENT)


def test_a1_each_message_fits_exactly_its_own_label(ex):
    """Every shown message matches the rule of its label and no other, in every row of the table that
    has its text (the simulator repeats phrasings); the mix is the one asked for, and a pitch written
    as a reply is among them (the case the prompt warns about)."""
    events, _ = community()
    sample = message_sample()
    assert sample["label"].value_counts().to_dict() == A1_COUNTS
    for text, label in zip(sample["text"], sample["label"]):
        rows = events[events["text"] == text]
        for name, (_meaning, rule) in BEHAVIOURS.items():
            assert bool(rule(rows).all()) == (name == label), (text, name)
    assert ((sample["label"] == "pitch") & (sample["kind"] == "reply")).any()
    assert ex.a1.expected() == list(sample["label"])
    # the example in the prompt is not the answer
    assert ex.a1.expected() != ["reply", "pitch", "broadcast", "reply", "hostile", "pitch"]


def test_a2_is_the_explorers_reading_and_neighbouring_readings_are_far(ex):
    from trustcircles.topics.conversation import group_summary
    from trustcircles.widgets import conversation
    explorer = conversation.broadcast_explorer()
    assert explorer.controls["cutoff"].value == A2_CUTOFF
    explorer.controls["measure"].value = "replies they answered back"
    right = ex.a2.expected()
    assert f"answered <b>{right / 100:.0%}</b> of the replies they got" in explorer.update()
    measured = explorer.per_account
    groups = group_summary(measured, A2_CUTOFF)
    neighbours = [100 * groups["conversation"]["answered_back_share"],      # the other bar
                  100 * groups["broadcast"]["replies_per_message"]]          # the other measure, as %
    for reading in neighbours:
        assert abs(reading - right) > ex.a2.tolerance + 2, reading


def test_a3_both_comparisons_are_clear(ex):
    """Broadcasters' median replies per message and median share answered back each differ from the
    trust builders' by ≥ 0.10, so each half of every statement is clearly right or wrong; each wrong
    statement is told which half fails."""
    med = pair_medians()
    a, b = A3_PAIR
    assert abs(med.at[a, "replies_per_message"] - med.at[b, "replies_per_message"]) >= 0.10
    assert abs(med.at[a, "answered_back_share"] - med.at[b, "answered_back_share"]) >= 0.10
    choices = ex.a3.choices
    for letter, text in choices.options.items():
        if letter == choices.right:
            continue
        assert "does not fit" in choices.why[letter]
        right_text = choices.options[choices.right]
        first_differs = text.split(",")[0] != right_text.split(",")[0]
        assert ("first half does not fit" in choices.why[letter]) == first_differs, letter


def test_a3_is_what_the_lesson_prints_under_the_scatter():
    from trustcircles.topics.conversation import archetype_medians, conversation_by_account
    events, accounts = community()
    printed = archetype_medians(conversation_by_account(events, accounts),
                                ["replies_per_message", "answered_back_share"]).round(2)
    med = pair_medians()
    for archetype in A3_PAIR:
        shown = printed.at[archetype, "replies_per_message"]
        assert shown == round(med.at[archetype, "replies_per_message"], 2)


def test_a4_the_supported_change_beats_every_other_by_ten_points(ex):
    """Dropping the pitch raises the share of posts that get a reply ≥ 10 points more than any other
    option; moving the pitch into DMs or mentions lowers it (their explanations' reason), sending more
    leaves it unchanged, and each explanation quotes its numbers."""
    choices = ex.a4.choices
    shares = scenario_shares()
    now = shares["now"][0]
    effect = {k: shares[k][0] - now for k in A4_CHANGES}
    assert choices.right == max(effect, key=effect.get)
    for letter, value in effect.items():
        assert f"{shares[letter][0]:.0%}" in choices.why[letter] or letter == "D"
        if letter != choices.right:
            assert effect[choices.right] - value >= 0.10, letter
    assert effect["A"] < 0 and effect["C"] < 0 and effect["D"] == 0
    assert A4_CHANGES["D"] == A4_NOW
    assert f"{now:.0%} of the {shares['now'][1]:,} promotional posts" in choices.intro


def test_a4_is_what_the_promotion_figure_shows():
    from trustcircles.widgets import conversation
    figure = conversation.promotion_reply_figure(conversation.reply_share_by_kind(community()[0]))
    shares = scenario_shares()
    for letter, (kind, sort) in A4_CHANGES.items():
        bars = next(t for t in figure.data if t.name == f"{sort} messages")
        assert bars.y[list(bars.x).index(kind)] == pytest.approx(shares[letter][0])
