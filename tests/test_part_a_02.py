"""Exercise 02's Part A: each distractor is wrong for the reason its explanation gives, each number's
tolerance is smaller than the gap to a neighbouring reading, and what the learner reads in lesson 02's
figures and explorer is what the check computes."""
from __future__ import annotations

import pytest

from trustcircles.checks import exercise
from trustcircles.checks.ex_02_listen_first import (A2_OPTIONS, A3_ARCHETYPE, A3_WEEKS,
                                                    listening_median_percent, scenario_effects,
                                                    talked_back)
from trustcircles.topics.listening import community_ties, two_way_shares

ASSIGNMENT = "02_listen_first"


@pytest.fixture(scope="module")
def ex():
    return exercise(ASSIGNMENT)


def test_a1_is_the_sentence_above_the_first_figure_and_other_groups_read_differently(ex):
    from trustcircles.topics import attention, community
    events, accounts = community()
    sentence = attention.contrast_sentence(attention.per_account(events, accounts), "opened_by_listening",
                                           "share of ties opened by a reply")
    right = ex.a1.expected()
    assert f"trust builders (60 accounts): {right / 100:.2f}" in sentence
    for archetype in ("transactional", "listener", "broadcaster", "newcomer", "troll"):
        assert abs(listening_median_percent(archetype) - right) > ex.a1.tolerance + 2, archetype


def test_a2_the_tallest_bar_is_clearly_tallest(ex):
    """The right group was talked back on ≥ 10 points more often than each other option, and it is a
    group of DMs (so its explanation, about DMs among people who already talk, holds)."""
    choices = ex.a2.choices
    shares = {k: talked_back(a, o) for k, (a, o) in A2_OPTIONS.items()}
    assert A2_OPTIONS[choices.right][1] == "dm"
    for letter, (share, n) in shares.items():
        assert f"{share:.0%} of the {n:,} ties" in choices.why[letter]
        if letter != choices.right:
            assert shares[choices.right][0] - share >= 0.10, letter


def test_a2_is_what_the_second_figure_shows():
    from trustcircles.topics.archetypes import label
    from trustcircles.widgets import listening
    figure = listening.talked_back_figure(community_ties())
    for archetype, opening in A2_OPTIONS.values():
        bars = next(t for t in figure.data if t.name == listening.OPENING_WORDS[opening])
        assert bars.y[list(bars.x).index(label(archetype))] == pytest.approx(talked_back(archetype, opening)[0])


def test_a3_is_the_explorers_reading_and_neighbouring_readings_are_far(ex):
    from trustcircles.widgets import listening
    explorer = listening.listening_explorer()
    explorer.controls["who"].value = A3_ARCHETYPE
    explorer.controls["weeks"].value = A3_WEEKS
    right = ex.a3.expected()
    assert f"<b>{right / 100:.0%}</b> of the" in explorer.update()
    ties = community_ties()
    neighbours = [100 * two_way_shares(ties, A3_WEEKS, None)["reply"]["share"],          # everyone
                  100 * two_way_shares(ties, A3_WEEKS, A3_ARCHETYPE)["cold"]["share"],   # the cold bar
                  100 * two_way_shares(ties, A3_WEEKS, "trust_builder")["reply"]["share"]]
    for reading in neighbours:
        assert abs(reading - right) > ex.a3.tolerance + 2, reading


def test_a4_the_supported_change_beats_every_other_by_ten_points(ex):
    """Opening by a reply moves the share of two-way ties ≥ 10 points more than any other option;
    waiting longer and switching channel move it by less than 5 points (the reasons their
    explanations give), and each explanation quotes its numbers."""
    choices = ex.a4.choices
    n = scenario_effects()
    effect = n["effect"]
    assert choices.right == max(effect, key=effect.get)
    for letter, value in effect.items():
        if letter != choices.right:
            assert effect[choices.right] - value >= 0.10, letter
    assert abs(effect["A"]) < 0.05 and abs(effect["C"]) < 0.05 and effect["D"] == 0
    assert f"from {n['cold']:.0%} to {n['cold_later']:.0%}" in choices.why["A"]
    assert f"{n['reply']:.0%} were two-way" in choices.why["B"]
    assert f"{n['mention']:.0%} of the time" in choices.why["C"] and f"{n['dm']:.0%}" in choices.why["C"]
    assert f"median of {n['median_ties']:.0f} ties" in choices.why["D"]
    assert f"{n['cold_share']:.0%}" in choices.intro and f"{n['cold']:.0%}" in choices.intro
    # the team of the scenario really opens nearly everything cold, as the intro says
    assert n["cold_share"] >= 0.9
