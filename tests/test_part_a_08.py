"""Exercise 08, Part A: every wrong option is wrong for the reason its explanation gives, by a margin
a learner reading lesson 08's figures can see; the scenario's right plan is the one the data support
with and without points; and Part B's hidden tests (the edge cases alone) catch every careless
function, while the worked answers pass whatever seed grading disguises the edge cases with."""
from __future__ import annotations

import pytest

from trustcircles.checks import exercise, modes

ASSIGNMENT = "08_leading_by_example"


@pytest.fixture(autouse=True)
def learner_kernel(monkeypatch, tmp_path):
    monkeypatch.delenv(modes.GRADING_ENV, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="module")
def events():
    from trustcircles.topics.adoption import staff_events
    return staff_events()


def test_a1_is_the_weeks_figures_tallest_leader_led_bar_and_its_tolerance_is_tight(events):
    """a1 is the tallest leader-led bar of the weeks figure; its tolerance is smaller than the gap to
    the next leader-led bar and to the fastest handed-over bar (the misreadings a learner could make)."""
    from trustcircles.topics.adoption import team_rollouts
    from trustcircles.widgets.adoption import weeks_figure

    a1 = exercise(ASSIGNMENT).a1
    bars = {trace.name: list(trace.y) for trace in weeks_figure(events).data}
    led, over = sorted(bars["leader uses it"]), sorted(bars["handed over to comms"])
    assert led[-1] == a1.expected()
    assert a1.expected() - led[-2] > a1.tolerance or led[-2] == led[-1]
    assert abs(over[0] - a1.expected()) > 3 * a1.tolerance
    teams = team_rollouts(events)
    assert (teams.loc[teams["rollout_style"] == "leader_led", "weeks_to_half"] <= a1.expected()).all()


def test_a2_points_change_the_right_band_clearly_more(events):
    """The right band's change with points is at least three times each other band's, and at least
    30 points bigger, so the figure's bars tell them apart; "about equally" is wrong because the
    changes spread over more than the question's margin."""
    from trustcircles.checks.ex_08_leading_by_example import A2_EQUAL, A2_OPTIONS
    from trustcircles.topics.adoption import points_ratio_by_band

    q = exercise(ASSIGNMENT).a2
    change = (points_ratio_by_band(events) - 1).abs()
    right = A2_OPTIONS[q.expected()]
    assert right != "equally" and change.max() - change.min() >= 3 * A2_EQUAL
    for letter, band in A2_OPTIONS.items():
        if band in (right, "equally"):
            continue
        assert change[right] >= 3 * change[band] and change[right] - change[band] >= 0.30, band
        assert f"{points_ratio_by_band(events)[band] - 1:+.0%}" in q.choices.why[letter]


def test_a3_the_right_plan_is_the_one_the_data_support_with_and_without_points(events):
    """The leader going first reached half at least 5 weeks sooner than handing over, both with and
    without points; points changed it by less than that and not in the same direction for both
    rollouts; the plans whose measure is likes or the competitive's activity are never right, and
    their explanations quote the numbers that show why, without giving a2's answer away."""
    from trustcircles.checks.ex_08_leading_by_example import A3_PLANS, A3_USUAL
    from trustcircles.topics.adoption import median_weeks_by_rollout, points_ratio_by_band

    q = exercise(ASSIGNMENT).a3
    m = median_weeks_by_rollout(events)
    for points in ("no", "yes"):
        assert m[("handed_over", points)] - m[("leader_led", points)] >= 5, points
    effect = {style: m[(style, "yes")] - m[(style, "no")] for style in ("leader_led", "handed_over")}
    assert effect["leader_led"] * effect["handed_over"] < 0          # points: no consistent direction
    assert max(abs(e) for e in effect.values()) < min(m[("handed_over", p)] - m[("leader_led", p)]
                                                       for p in ("no", "yes"))
    right = q.expected()
    _text, cell, measure = A3_PLANS[right]
    assert cell[0] == "leader_led" and measure
    for letter, (_t, other, good_measure) in A3_PLANS.items():
        if letter == right:
            continue
        assert other[0] == "handed_over"
        assert m[other] - m[cell] >= 5, letter
        assert f"{m[other]:g} weeks" in q.choices.why[letter]
        # no explanation gives a2's answer away (how much each band changed with points)
        for band_change in points_ratio_by_band(events) - 1:
            assert f"{band_change:+.0%}" not in q.choices.why[letter], letter
    assert f"{m[A3_USUAL]:g} weeks" in q.choices.intro
