"""Exercise 05, Part A: each distractor is wrong for the reason its explanation gives.

The numbers behind the options are recomputed here from the community table with
trustcircles.metrics (or from the raw events), and the explorer's own reading is checked to show the
number a1 expects, so a learner reads what the check computes.
"""
from __future__ import annotations

import pytest

from trustcircles import metrics
from trustcircles.checks import exercise
from trustcircles.topics import community


@pytest.fixture(scope="module")
def data():
    table, accounts = community()
    archetype = accounts.set_index("account")["archetype"]
    per = metrics.account_metrics(table)[["in_ties", "out_ties", "mutuals"]].join(archetype)
    per["returned"] = per["mutuals"] / per["in_ties"]
    per["answered"] = per["mutuals"] / per["out_ties"]
    return table, accounts, per


@pytest.fixture(scope="module")
def ex():
    return exercise("05_community_not_audience")


def _typical(per, archetype):
    part = per[per["archetype"] == archetype]
    gap = (part["in_ties"] - part["in_ties"].median()).abs()
    return gap.sort_index(kind="stable").sort_values(kind="stable").index[0]


def test_a1_is_the_number_the_explorer_prints_and_its_neighbours_differ(data, ex):
    from trustcircles.widgets.audience import audience_explorer

    _, _, per = data
    account = _typical(per, "broadcaster")
    mutuals = int(per.loc[account, "mutuals"])
    assert ex.a1.expected() == mutuals
    explorer = audience_explorer()
    explorer.controls["account"].value = account
    assert explorer.controls["account"].label.startswith("broadcaster · typical")
    reading = explorer.update()
    assert f"talks back to <b>{mutuals}</b>" in reading
    inner = len(explorer.neighbours(account)["inner"])
    for neighbour in (inner, int(per.loc[account, "in_ties"]), int(per.loc[account, "in_ties"]) - mutuals):
        assert abs(neighbour - mutuals) > ex.a1.tolerance


def test_a2_the_audience_holder_returns_clearly_least_and_the_lure_is_the_other_bar(data, ex):
    from trustcircles.checks.ex_05_community_not_audience import A2_OPTIONS

    _, _, per = data
    medians = per.groupby("archetype")[["returned", "answered"]].median()
    choices = ex.a2.choices
    right = A2_OPTIONS[choices.right]
    for letter, name in A2_OPTIONS.items():
        assert f"{medians.loc[name, 'returned']:.0%}" in choices.why[letter]
        if name != right:
            assert medians.loc[name, "returned"] - medians.loc[right, "returned"] >= 0.10, name
    # the transactional accounts' low bar is the other one: their messages go unanswered
    letter = next(k for k, v in A2_OPTIONS.items() if v == "transactional")
    assert medians.loc["transactional", "answered"] <= medians.loc[right, "returned"] + 0.2
    assert medians.loc["transactional", "returned"] - medians.loc["transactional", "answered"] >= 0.3
    assert "the other one" in choices.why[letter]


def test_a3_answering_the_audience_gains_clearly_more_mutuals_than_any_other_change(data, ex):
    from trustcircles.checks.ex_05_community_not_audience import A3_CHANGES

    _, _, per = data
    account = _typical(per, "broadcaster")
    row = per.loc[account]
    audience = int(row["in_ties"] - row["mutuals"])
    cold = per.loc[per["archetype"] == "transactional", "answered"].median()
    gain = {"more_audience": audience * row["returned"], "answer_audience": audience,
            "cold": audience * cold, "nothing": 0}
    choices = ex.a3.choices
    by_letter = {letter: gain[key] for letter, (_text, key) in A3_CHANGES.items()}
    best = max(by_letter, key=by_letter.get)
    assert choices.right == best
    for letter, value in by_letter.items():
        if letter != best:
            assert by_letter[best] >= 2 * value + 10, letter
    assert f"about {gain['more_audience']:.0f} new mutuals" in choices.why["A"]
    assert f"about {gain['cold']:.0f} new mutuals" in choices.why["B"]
    # "size is not community": the typical trust builder has fewer in-ties and more mutuals
    builder = per.loc[_typical(per, "trust_builder")]
    assert builder["in_ties"] < row["in_ties"] and builder["mutuals"] > row["mutuals"]
    assert "mutuals grow" in choices.options[best]


def test_a4_every_contact_is_on_the_ring_its_events_put_it_on(data, ex):
    from trustcircles.topics.audience import contact_sample
    from trustcircles.checks.ex_05_community_not_audience import A4_COUNTS

    table, _, per = data
    account = _typical(per, "trust_builder")
    sample = contact_sample(table, account, A4_COUNTS)
    assert list(sample["label"]) == ex.a4.expected()
    talk = table[table["kind"].isin(["reply", "mention", "dm"]) & (table["actor"] != table["target"])]
    months = max((table["timestamp"].max() - table["timestamp"].min()).total_seconds() / 86400, 1) / 30.44
    for contact, label, shown in zip(sample["contact"], sample["label"], ex.a4.labelling.items):
        to_it = int(((talk["actor"] == contact) & (talk["target"] == account)).sum())
        from_it = int(((talk["actor"] == account) & (talk["target"] == contact)).sum())
        rate = (to_it + from_it) / months
        kind = ("unanswered" if not to_it else "audience" if not from_it
                else "inner" if rate >= 4 else "mutual")
        assert kind == label, contact
        if label == "inner":
            assert rate >= 5
        if label == "mutual":
            assert rate <= 3
        assert shown.startswith(contact)
