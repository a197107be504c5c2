"""Exercise 06, Part A: each distractor is wrong for the reason its explanation gives.

The numbers behind the options are recomputed here from the community and CollegeMsg tables with
trustcircles.metrics and pandas, and the explorer's reading and Figure 4's points are checked to show
what a1 and a3 expect, so a learner reads what the check computes.
"""
from __future__ import annotations

import pytest

from trustcircles import metrics
from trustcircles.checks import exercise
from trustcircles.data import load_interactions
from trustcircles.topics import community


@pytest.fixture(scope="module")
def data():
    table, accounts = community()
    return table, accounts, load_interactions("collegemsg")


@pytest.fixture(scope="module")
def ex():
    return exercise("06_circles_of_trust")


def _builders_median_close(table, accounts, close):
    archetype = accounts.set_index("account")["archetype"]
    circles = metrics.circles(table, 4.0, close).join(archetype)
    return circles.loc[circles["archetype"] == "trust_builder", "circle_close"].median()


def test_a1_is_what_the_explorer_reads_and_its_neighbours_differ(data, ex):
    from trustcircles.widgets.circles import circles_explorer

    table, accounts, _ = data
    value = _builders_median_close(table, accounts, 0.75)
    assert ex.a1.expected() == value
    explorer = circles_explorer()
    explorer.controls["who"].value = "archetype:trust_builder"
    explorer.controls["inner"].value = 4.0
    explorer.controls["close"].value = 0.75
    assert explorer.update().split("<b>")[2].startswith(f"{value:g}</b>")
    for other in (0.5, 1.0):      # the slider's next steps on either side (1.0 is the default)
        assert abs(_builders_median_close(table, accounts, other) - value) > ex.a1.tolerance


def test_a2_the_right_archetype_keeps_clearly_the_smallest_part_of_its_mutuals_close(data, ex):
    from trustcircles.checks.ex_06_circles_of_trust import A2_OPTIONS

    table, accounts, _ = data
    archetype = accounts.set_index("account")["archetype"]
    medians = metrics.circles(table).join(archetype).groupby("archetype")[["circle_close", "circle_active"]].median()
    part = medians["circle_close"] / medians["circle_active"]
    choices = ex.a2.choices
    right = A2_OPTIONS[choices.right]
    for letter, name in A2_OPTIONS.items():
        assert f"{part[name]:.0%}" in choices.why[letter]
        if name != right:
            assert part[name] - part[right] >= 0.10, name
    # the lure: the archetype with the most mutuals is not the one asked for
    most = medians.loc[list(A2_OPTIONS.values()), "circle_active"].idxmax()
    assert most != right
    assert "the most mutuals" in choices.why[next(k for k, v in A2_OPTIONS.items() if v == most)]


def test_a3_is_a_point_of_figure_4_and_its_neighbours_are_out_of_tolerance(data, ex):
    from trustcircles.checks.ex_06_circles_of_trust import A3_MUTUALS as n
    from trustcircles.widgets.circles import circle_size_figure

    table, _, real = data

    def share(t, n):
        active = metrics.circles(t)["circle_active"]
        active = active[active > 0]
        return 100 * float((active >= n).mean())
    value = share(real, n)
    assert ex.a3.expected() == pytest.approx(value)
    figure = circle_size_figure({"community (synthetic)": metrics.circles(table),
                                 "collegemsg (real)": metrics.circles(real)})
    line = next(trace for trace in figure.data if trace.name == "collegemsg (real)")
    assert 100 * dict(zip(line.x, line.y))[n] == pytest.approx(value)
    for neighbour in (share(real, n - 1), share(real, n + 1), share(table, n)):
        assert abs(neighbour - value) > 2 * ex.a3.tolerance


def test_a4_only_the_right_explanation_closes_much_of_the_gap(data, ex):
    from trustcircles.checks.ex_06_circles_of_trust import A4_EXPLANATIONS

    table, accounts, real = data
    ours, theirs = metrics.global_reciprocity(table), metrics.global_reciprocity(real)
    gap = theirs - ours
    assert gap >= 0.10
    # time: the real network cut to the community's window
    span = table["timestamp"].max() - table["timestamp"].min()
    cut = real[real["timestamp"] <= real["timestamp"].min() + span]
    # size: the real network cut to the community's number of accounts (its most active students)
    n = len(set(table["actor"]) | set(table["target"].dropna()))
    busiest = set(real["actor"].value_counts().index[:n])
    small = real[real["actor"].isin(busiest) & real["target"].isin(busiest)]
    # one-way accounts: the community without cold pitchers and trolls
    one_way = set(accounts.loc[accounts["archetype"].isin(["transactional", "troll"]), "account"])
    kept = table[~table["actor"].isin(one_way) & ~table["target"].isin(one_way)]
    closed = {"time": (theirs - metrics.global_reciprocity(cut)) / gap,
              "size": (theirs - metrics.global_reciprocity(small)) / gap,
              "one_way": (metrics.global_reciprocity(kept) - ours) / gap}
    choices = ex.a4.choices
    assert A4_EXPLANATIONS[choices.right][1] == "one_way"
    assert closed["one_way"] >= 0.5
    assert closed["time"] <= 0.10 and closed["size"] <= 0.10
    assert metrics.global_reciprocity(small) > theirs          # "more than the whole network, not less"
    assert abs(metrics.months(table) / metrics.months(real) - 1) < 0.10   # "nearly the same" windows
    assert f"{metrics.global_reciprocity(kept):.0%}" in choices.why[choices.right]
