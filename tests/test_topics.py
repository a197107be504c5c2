"""trustcircles.topics: the lessons' shared numbers agree with trustcircles.metrics, and the
archetype vocabulary is written once and complete."""
from __future__ import annotations

import pandas as pd
import pytest

from trustcircles import metrics, plots
from trustcircles.data import load_interactions
from trustcircles.simulate import ARCHETYPES as SIMULATED
from trustcircles.topics import archetypes, community
from trustcircles.topics.circles import MutualRates


@pytest.mark.parametrize("inner,close", [(metrics.INNER_CIRCLE_RATE, metrics.CLOSE_CIRCLE_RATE),
                                         (2.0, 0.5), (12.0, 2.0), (0.25, 0.25)])
def test_mutual_rates_count_circles_as_metrics_does(inner, close):
    """The one place lessons 06 and 10 count circles (for any thresholds) gives metrics.circles."""
    table = community()[0]
    rates = MutualRates(table)
    expected = metrics.circles(table, inner, close)
    counts = rates.counts(inner, close)
    pd.testing.assert_frame_equal(counts.astype("int64"), expected, check_names=False)
    busiest = expected["circle_active"].idxmax()
    assert rates.counts_of(busiest, inner, close) == expected.loc[busiest].to_dict()
    assert rates.counts_of("nobody-at-all", inner, close) == dict.fromkeys(expected.columns, 0)


def test_mutual_rates_on_the_worked_example():
    table = load_interactions("worked_example")
    pd.testing.assert_frame_equal(MutualRates(table).counts().astype("int64"), metrics.circles(table),
                                  check_names=False)


def test_every_archetype_order_lists_each_simulated_archetype_once():
    assert tuple(archetypes.ARCHETYPES) == SIMULATED
    for order in (archetypes.CONTRAST_ORDER, archetypes.CONVERSATION_ORDER, archetypes.AUDIENCE_ORDER,
                  archetypes.CIRCLES_ORDER, archetypes.IN_PERSON_ORDER):
        assert sorted(order) == sorted(SIMULATED)
    assert set(archetypes.PLURALS) == set(SIMULATED)
    assert set(archetypes.GROUP_NAMES) == set(SIMULATED) | {"unknown"}
    assert archetypes.AUDIENCE_ORDER == tuple(plots.ARCHETYPE_COLOURS)


def test_in_order_puts_the_order_first_then_the_rest_alphabetically():
    assert archetypes.in_order({"troll", "zebra", "trust_builder", "alpaca"},
                               archetypes.CONVERSATION_ORDER) == ["trust_builder", "troll", "alpaca", "zebra"]


def test_community_is_loaded_once_per_session():
    assert community() is community()
    table, accounts = community()
    assert len(table) and {"account", "archetype"} <= set(accounts.columns)
