"""Exercise 07, Part A: every wrong option is wrong for the reason its explanation gives, by a margin
a learner reading lesson 07's explorer and figures can see; and Part B's hidden tests (the edge cases
alone) catch every careless function, while the worked answers pass whatever seed grading disguises
the edge cases with."""
from __future__ import annotations

import pytest

from trustcircles.checks import exercise, modes

ASSIGNMENT = "07_trolls_and_trust"


@pytest.fixture(autouse=True)
def learner_kernel(monkeypatch, tmp_path):
    monkeypatch.delenv(modes.GRADING_ENV, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="module")
def data():
    from trustcircles.topics import community, trolls
    events, accounts = community()
    return events, accounts, trolls.community_per_account()


def test_a1_reads_the_explorer_and_its_tolerance_tells_settings_and_bars_apart(data):
    """a1 is the explorer's own reading at the named setting; the tolerance is smaller than the gap to
    the reading one step away (the slider moves by 5) and to the other two bars at that setting."""
    from trustcircles.checks.ex_07_trolls_and_trust import A1_THRESHOLD
    from trustcircles.topics.trolls import audience_share
    from trustcircles.widgets.trolls import TrollExplorer

    _, _, per = data
    a1 = exercise(ASSIGNMENT).a1
    explorer = TrollExplorer(per)
    explorer.controls["threshold"].value = A1_THRESHOLD
    reading = explorer.update()
    assert f"<b>{a1.expected():.0f}%</b> of the hostile replies" in reading
    for step in (-5, 5):
        here = audience_share(per, A1_THRESHOLD + step)["hostile_share"] * 100
        if abs(here - a1.expected()) > 1e-9:         # a step that changes the reading is told apart
            assert abs(here - a1.expected()) > a1.tolerance, step
    assert any(abs(audience_share(per, A1_THRESHOLD + step)["hostile_share"] * 100 - a1.expected())
               > a1.tolerance for step in (-15, 5))
    bars = [trace.y[0] * 100 for trace in explorer.figure.data]
    assert bars[1] == pytest.approx(a1.expected())
    for other in (bars[0], bars[2]):
        assert abs(other - a1.expected()) > 3 * a1.tolerance


def test_a2_the_right_kind_receives_most_and_the_others_clearly_less(data):
    """The right archetype received at least five times the hostile replies of any other option and
    has the largest median audience; each other option's explanation quotes its own counts."""
    from trustcircles.checks.ex_07_trolls_and_trust import A2_OPTIONS
    from trustcircles.topics.trolls import receivers_by_archetype

    _, _, per = data
    groups = receivers_by_archetype(per)
    q = exercise(ASSIGNMENT).a2
    right = A2_OPTIONS[q.expected()]
    for letter, archetype in A2_OPTIONS.items():
        if archetype == right:
            continue
        assert groups.loc[right, "received"] >= 5 * groups.loc[archetype, "received"]
        assert groups.loc[right, "median_in_ties"] > groups.loc[archetype, "median_in_ties"]
        assert f"received {int(groups.loc[archetype, 'received'])} of the" in q.choices.why[letter]
    # the misconception the options test: trolls aim at visibility, not at the newest accounts
    assert groups.loc["newcomer", "median_in_ties"] < groups.loc[right, "median_in_ties"]


def test_a3_sorts_replies_by_the_tables_own_flags(data):
    """Every message shown is a reply from the community, labelled by its is_hostile and
    is_promotional flags, with each of the three labels present."""
    events, _, _ = data
    q = exercise(ASSIGNMENT).a3
    material = q.labelling
    replies = events[events["kind"] == "reply"].drop_duplicates("text").set_index("text")
    for item, label in zip(material.items, material.right):
        row = replies.loc[item.strip('"')]
        assert label == ("hostile" if row["is_hostile"] else "pitch" if row["is_promotional"] else "reply")
    assert set(material.right) == {"hostile", "pitch", "reply"}


def test_a4_only_the_right_change_starves_the_trolls(data):
    """Recomputed from the responses: the right change leaves at most half the share of hostile replies
    fed that any other change leaves (and at least 20 points fewer); the others change it by at most
    5 points, as their explanations ("little would change") say."""
    from trustcircles.checks.ex_07_trolls_and_trust import A4_CHANGES
    from trustcircles.topics.trolls import fed_share_without, responded_share

    events, accounts, _ = data
    q = exercise(ASSIGNMENT).a4
    now = responded_share(events)
    after = {k: fed_share_without(events, accounts, **change) for k, (_t, change) in A4_CHANGES.items()}
    right = q.expected()
    for letter, share in after.items():
        if letter == right:
            continue
        assert share >= 2 * after[right] and share - after[right] >= 0.20, letter
        assert now - share <= 0.05, letter
        assert "little would change" in q.choices.why[letter] and f"{share:.0%}" in q.choices.why[letter]
    # nothing taken away: the lesson's own "any response" share
    assert fed_share_without(events, accounts, kinds=()) == pytest.approx(now)
