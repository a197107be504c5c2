"""Hand-worked tables for every metric of METRICS.md, including the edge cases it names."""
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from trustcircles import metrics
from trustcircles.data import TableError, as_interactions, load_interactions

COLUMNS = ["event_id", "timestamp", "actor", "target", "kind", "parent_id", "is_question",
           "is_promotional"]

# The worked example's report, exactly as METRICS.md prints it.
WORKED_EXAMPLE_REPORT = {
    "window_days": 2.2090277777777776,
    "global": {"events": 6, "accounts": 3, "ties": 5, "reciprocity": 0.8, "questions": 2,
               "questions_answered_rate": 0.5},
    "accounts": {
        "ann": {"events": 2, "out_ties": 1, "in_ties": 2, "mutuals": 1, "reciprocity": 1.0,
                "broadcast_ratio": 0.5, "promotional_share": 0.0, "answer_rate": None,
                "median_response_hours": None, "median_tie_days": 0.0, "opened_by_listening": 1.0,
                "circle_inner": 1, "circle_close": 1, "circle_active": 1},
        "bob": {"events": 2, "out_ties": 2, "in_ties": 2, "mutuals": 2, "reciprocity": 1.0,
                "broadcast_ratio": 0.0, "promotional_share": 0.0, "answer_rate": 0.0,
                "median_response_hours": None, "median_tie_days": 0.0, "opened_by_listening": 1.0,
                "circle_inner": 2, "circle_close": 2, "circle_active": 2},
        "cat": {"events": 2, "out_ties": 2, "in_ties": 1, "mutuals": 1, "reciprocity": 0.5,
                "broadcast_ratio": 0.0, "promotional_share": 1.0, "answer_rate": None,
                "median_response_hours": None, "median_tie_days": 0.0, "opened_by_listening": 0.0,
                "circle_inner": 1, "circle_close": 1, "circle_active": 1}}}


def table(*rows):
    """A typed table from rows (event_id, timestamp, actor, target, kind, parent_id, q, promo)."""
    frame = pd.DataFrame([[str(v) for v in row] for row in rows], columns=COLUMNS, dtype=object) \
        if rows else pd.DataFrame({c: pd.Series([], dtype=object) for c in COLUMNS})
    return as_interactions(frame)


def t(hours: float) -> str:
    """A timestamp `hours` after 2025-01-01T00:00Z."""
    return (pd.Timestamp("2025-01-01T00:00:00Z") + pd.Timedelta(hours=hours)).isoformat()


@pytest.fixture
def worked():
    return load_interactions("worked_example")


# --------------------------------------------------------------------------- worked example

def test_worked_example_report_equals_metrics_md(worked):
    assert metrics.report(worked) == WORKED_EXAMPLE_REPORT
    keys = list(metrics.report(worked)["accounts"]["ann"])
    assert keys == list(WORKED_EXAMPLE_REPORT["accounts"]["ann"])


def test_worked_example_ties_and_questions(worked):
    ties = metrics.ties(worked)
    assert list(ties.columns) == ["actor", "target", "events", "first_time", "last_time",
                                  "lifetime_days", "first_kind"]
    assert list(zip(ties["actor"], ties["target"])) == [
        ("ann", "bob"), ("bob", "ann"), ("bob", "cat"), ("cat", "ann"), ("cat", "bob")]
    assert ties["first_kind"].tolist() == ["reply", "reply", "reply", "mention", "dm"]
    assert metrics.global_reciprocity(worked) == pytest.approx(0.8, rel=1e-12)
    q = metrics.questions(worked)
    assert q["event_id"].tolist() == ["e00001", "e00005"]
    assert q["answered"].tolist() == [True, False]
    assert q["first_answer_hours"].iloc[0] == 2.0 and math.isnan(q["first_answer_hours"].iloc[1])
    assert q["answered_by_target"].tolist() == [False, False]
    assert pd.isna(q["target"].iloc[0]) and q["target"].iloc[1] == "bob"


def test_window_and_months(worked):
    assert metrics.window_days(worked) == (2 * 86400 + 5 * 3600 + 60) / 86400
    assert metrics.months(worked) == pytest.approx(metrics.window_days(worked) / 30.44)
    short = table(("e1", t(0), "a", "", "post", "", "false", "false"),
                  ("e2", t(5), "b", "", "post", "", "false", "false"))
    assert metrics.window_days(short) == pytest.approx(5 / 24)
    assert metrics.months(short) == 1 / 30.44  # under a day counts as one day


# --------------------------------------------------------------------------- edge cases

def test_self_interactions_count_only_in_events_accounts_and_window():
    frame = table(
        ("e1", t(0), "a", "", "post", "", "true", "false"),
        ("e2", t(1), "a", "a", "reply", "e1", "false", "true"),     # a answers itself
        ("e3", t(2), "a", "a", "mention", "", "true", "true"),      # a question to itself
        ("e4", t(100), "z", "z", "dm", "", "false", "false"))       # only a self-interaction
    report = metrics.report(frame)
    assert report["window_days"] == pytest.approx(100 / 24)
    assert report["global"] == {"events": 4, "accounts": 2, "ties": 0, "reciprocity": None,
                                "questions": 1, "questions_answered_rate": 0.0}
    a = report["accounts"]["a"]
    assert a["events"] == 3 and a["out_ties"] == 0 and a["broadcast_ratio"] == 1.0
    assert a["promotional_share"] == 0.0  # the promotional self-interactions do not count
    assert report["accounts"]["z"]["events"] == 1
    assert report["accounts"]["z"]["broadcast_ratio"] is None


def test_likes_and_shares_make_no_tie():
    frame = table(("e1", t(0), "a", "", "post", "", "false", "false"),
                  ("e2", t(1), "b", "a", "like", "e1", "false", "false"),
                  ("e3", t(2), "c", "a", "share", "e1", "false", "false"),
                  ("e4", t(3), "a", "b", "dm", "", "false", "false"))
    assert len(metrics.ties(frame)) == 1
    assert metrics.global_reciprocity(frame) == 0.0
    m = metrics.account_metrics(frame)
    assert m.loc["b", "events"] == 1 and m.loc["b", "out_ties"] == 0 and m.loc["b", "in_ties"] == 1
    assert math.isnan(m.loc["b", "broadcast_ratio"])  # a like is not authored


def test_48_hour_boundary_is_answered_and_one_second_more_is_not():
    frame = table(("q1", t(0), "a", "b", "mention", "", "true", "false"),
                  ("r1", t(48), "b", "a", "reply", "q1", "false", "false"),
                  ("q2", t(0), "a", "b", "dm", "", "true", "false"),
                  ("r2", t(48 + 1 / 3600), "b", "a", "reply", "q2", "false", "false"))
    q = metrics.questions(frame).set_index("event_id")
    assert bool(q.loc["q1", "answered"]) and not bool(q.loc["q2", "answered"])
    assert q.loc["q1", "target_response_hours"] == 48.0
    assert metrics.answer_rate(frame)["b"] == 0.5
    assert metrics.median_response_hours(frame)["b"] == 48.0


def test_replies_by_the_asker_early_replies_and_dms_are_no_answer():
    frame = table(("q1", t(10), "a", "", "post", "", "true", "false"),
                  ("r1", t(11), "a", "b", "reply", "q1", "false", "false"),   # the asker
                  ("r2", t(9), "b", "a", "reply", "q1", "false", "false"),    # before the question
                  ("d1", t(12), "c", "a", "dm", "q1", "false", "false"))      # a DM, not a reply
    assert metrics.questions(frame)["answered"].tolist() == [False]
    assert metrics.report(frame)["global"]["questions_answered_rate"] == 0.0


def test_answer_rate_counts_only_the_targets_own_answers():
    frame = table(("q1", t(0), "a", "b", "mention", "", "true", "false"),
                  ("r1", t(1), "c", "a", "reply", "q1", "false", "false"),
                  ("q2", t(0), "a", "b", "dm", "", "true", "false"),
                  ("r2", t(3), "b", "a", "reply", "q2", "false", "false"),
                  ("r3", t(2), "b", "a", "reply", "q2", "false", "false"),
                  ("q3", t(5), "a", "b", "dm", "", "true", "false"),
                  ("r4", t(10), "b", "a", "reply", "q3", "false", "false"),
                  ("q4", t(0), "c", "", "post", "", "true", "false"))  # a post: targets nobody
    q = metrics.questions(frame).set_index("event_id")
    assert q["answered"].tolist() == [True, True, False, True]
    assert q.loc["q1", "answered_by_target"] == False  # noqa: E712 (numpy bool)
    assert q.loc["q2", "target_response_hours"] == 2.0  # the earliest of b's two replies
    assert metrics.answer_rate(frame)["b"] == pytest.approx(2 / 3)
    assert metrics.median_response_hours(frame)["b"] == pytest.approx((2.0 + 5.0) / 2)
    assert math.isnan(metrics.answer_rate(frame)["c"])
    assert metrics.questions_answered_rate(frame) == 0.75


def test_first_contact_ordered_by_timestamp_then_event_id_as_text():
    # Same timestamp: "e10" < "e9" as text, so the mention comes first, whatever the row order.
    frame = table(("e9", t(0), "a", "b", "reply", "x", "false", "false"),
                  ("e10", t(0), "a", "b", "mention", "", "false", "false"),
                  ("e01", t(-1), "a", "c", "mention", "", "false", "false"),
                  ("e02", t(5), "a", "c", "reply", "x", "false", "false"),
                  ("e03", t(-2), "a", "d", "reply", "x", "false", "false"))
    ties = metrics.ties(frame).set_index("target")
    assert ties["first_kind"].to_dict() == {"b": "mention", "c": "mention", "d": "reply"}
    assert ties.loc["c", "lifetime_days"] == pytest.approx(6 / 24)
    assert ties.loc["b", "events"] == 2
    assert metrics.opened_by_listening(frame)["a"] == pytest.approx(1 / 3)
    assert metrics.median_tie_days(frame)["a"] == 0.0


def test_accounts_only_ever_targeted():
    frame = table(("e1", t(0), "a", "ghost", "mention", "", "false", "false"))
    row = metrics.report(frame)["accounts"]["ghost"]
    assert row["events"] == 0 and row["in_ties"] == 1 and row["out_ties"] == 0
    for key in ("reciprocity", "broadcast_ratio", "promotional_share", "answer_rate",
                "median_response_hours", "median_tie_days", "opened_by_listening"):
        assert row[key] is None, key
    assert metrics.report(frame)["global"]["accounts"] == 2


def test_unsorted_input_gives_the_same_results(worked):
    shuffled = worked.sample(frac=1, random_state=3).reset_index(drop=True)
    assert metrics.report(shuffled) == metrics.report(worked)
    pd.testing.assert_frame_equal(metrics.ties(shuffled), metrics.ties(worked))
    pd.testing.assert_frame_equal(metrics.questions(shuffled), metrics.questions(worked))


def test_empty_table():
    empty = table()
    assert metrics.report(empty) == {
        "window_days": 0.0, "accounts": {},
        "global": {"events": 0, "accounts": 0, "ties": 0, "reciprocity": None, "questions": 0,
                   "questions_answered_rate": None}}
    assert metrics.ties(empty).empty and metrics.questions(empty).empty
    assert metrics.contact_rates(empty).empty and metrics.circles(empty).empty
    assert list(metrics.account_metrics(empty).columns) == list(metrics.ACCOUNT_KEYS)
    assert math.isnan(metrics.global_reciprocity(empty))
    assert metrics.window_days(empty) == 0.0


def test_median_of_even_count_and_reciprocity_per_account():
    frame = table(("e1", t(0), "a", "b", "dm", "", "false", "false"),
                  ("e2", t(24), "a", "b", "dm", "", "false", "false"),
                  ("e3", t(0), "a", "c", "dm", "", "false", "false"),
                  ("e4", t(72), "a", "c", "dm", "", "false", "false"),
                  ("e5", t(1), "b", "a", "reply", "e1", "false", "false"))
    assert metrics.median_tie_days(frame)["a"] == pytest.approx(2.0)  # (1 + 3) / 2
    assert metrics.reciprocity_by_account(frame).to_dict() == pytest.approx(
        {"a": 0.5, "b": 1.0, "c": float("nan")}, nan_ok=True)
    assert metrics.mutuals(frame).to_dict() == {"a": 1, "b": 1, "c": 0}
    assert metrics.out_ties(frame).to_dict() == {"a": 2, "b": 1, "c": 0}
    assert metrics.in_ties(frame).to_dict() == {"a": 1, "b": 1, "c": 1}


def test_broadcast_and_promotional_share():
    frame = table(("e1", t(0), "a", "", "post", "", "false", "true"),
                  ("e2", t(1), "a", "", "post", "", "false", "true"),
                  ("e3", t(2), "a", "b", "mention", "", "false", "false"),
                  ("e4", t(3), "a", "b", "like", "e9", "false", "true"))
    assert metrics.broadcast_ratio(frame)["a"] == pytest.approx(2 / 3)
    assert metrics.promotional_share(frame)["a"] == pytest.approx(2 / 3)
    assert metrics.events_by_account(frame)["a"] == 4


def test_contact_rates_and_circles_with_movable_thresholds():
    # 31 days span: months = 31 / 30.44. a<->b: 6 events, a<->c: 2 events, a->d only (no mutual).
    rows = [("s", t(0), "z", "", "post", "", "false", "false"),
            ("end", t(31 * 24), "z", "", "post", "", "false", "false")]
    rows += [(f"ab{i}", t(i), "a", "b", "dm", "", "false", "false") for i in range(3)]
    rows += [(f"ba{i}", t(i), "b", "a", "dm", "", "false", "false") for i in range(3)]
    rows += [("ac", t(1), "a", "c", "dm", "", "false", "false"),
             ("ca", t(2), "c", "a", "dm", "", "false", "false"),
             ("ad", t(1), "a", "d", "dm", "", "false", "false")]
    frame = table(*rows)
    rates = metrics.contact_rates(frame).set_index(["a", "b"])
    months = 31 / 30.44
    assert rates.loc[("a", "b"), "events_between"] == 6
    assert rates.loc[("a", "b"), "contact_rate"] == pytest.approx(6 / months, rel=1e-12)
    assert rates.loc[("a", "d"), "contact_rate"] == pytest.approx(1 / months, rel=1e-12)
    c = metrics.circles(frame)
    assert c.loc["a"].tolist() == [1, 2, 2]  # inner: b (5.9/month); close: b and c
    assert c.loc["d"].tolist() == [0, 0, 0]
    assert metrics.circles(frame, inner=6.0, close=2.0).loc["a"].tolist() == [0, 1, 2]
    assert metrics.circles(frame, inner=0.5, close=0.5).loc["a"].tolist() == [2, 2, 2]


def test_ego_density_matches_networkx():
    frame = table(("e1", t(0), "a", "b", "dm", "", "false", "false"),
                  ("e2", t(0), "c", "a", "dm", "", "false", "false"),
                  ("e3", t(0), "a", "d", "dm", "", "false", "false"),
                  ("e4", t(0), "b", "c", "dm", "", "false", "false"),
                  ("e5", t(0), "d", "e", "dm", "", "false", "false"))
    # Neighbours of a: b, c, d; among them only b-c: 1 of 3 possible links.
    assert metrics.ego_density(frame, "a") == pytest.approx(1 / 3)
    graph = nx.Graph([("a", "b"), ("c", "a"), ("a", "d"), ("b", "c"), ("d", "e")])
    assert metrics.ego_density(frame, "a") == nx.density(graph.subgraph(["b", "c", "d"]))
    assert math.isnan(metrics.ego_density(frame, "e"))  # one neighbour only


def test_ego_density_is_networkx_density_for_every_account_of_the_community():
    events = load_interactions("community")
    ties = metrics.ties(events)
    graph = nx.Graph(list(zip(ties["actor"], ties["target"])))
    for account in sorted(graph)[::7]:  # every seventh account: a few seconds, every archetype
        neighbours = [n for n in graph[account] if n != account]
        expected = nx.density(graph.subgraph(neighbours)) if len(neighbours) >= 2 else float("nan")
        got = metrics.ego_density(events, account)
        assert got == expected or (math.isnan(got) and math.isnan(expected)), account


def test_ego_density_does_not_import_networkx():
    # networkx's import alone made lesson 05's kernel some 10 MiB larger (issue 17)
    import subprocess
    import sys
    code = ("import sys\nfrom trustcircles import metrics\nfrom trustcircles.data import load_interactions\n"
            "metrics.ego_density(load_interactions('worked_example'), 'ann')\n"
            "print('networkx' in sys.modules)")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "False"


def test_reciprocity_agrees_with_networkx(worked):
    graph = nx.DiGraph(list(zip(metrics.ties(worked)["actor"], metrics.ties(worked)["target"])))
    assert metrics.global_reciprocity(worked) == pytest.approx(nx.reciprocity(graph), rel=1e-12)


# --------------------------------------------------------------------------- inputs and API

def test_untyped_frame_is_validated_and_typed(worked):
    as_text = pd.read_csv(metrics.__file__.replace("trustcircles/metrics.py", "")
                          + "datasets/worked_example/interactions.csv", dtype=str,
                          keep_default_na=False)
    assert metrics.report(as_text) == WORKED_EXAMPLE_REPORT
    broken = as_text.assign(kind="shout")
    with pytest.raises(TableError, match="kind must be one of"):
        metrics.ties(broken)


@pytest.mark.parametrize("bad", [None, [1, 2], "community", {"event_id": []}])
def test_not_a_dataframe_is_refused_with_a_friendly_message(bad):
    with pytest.raises(TableError, match="expected an interactions table"):
        metrics.account_metrics(bad)


def test_report_for_one_account_and_unknown_account(worked):
    one = metrics.report(worked, account="bob")
    assert list(one["accounts"]) == ["bob"]
    assert one["accounts"]["bob"] == WORKED_EXAMPLE_REPORT["accounts"]["bob"]
    assert one["global"] == WORKED_EXAMPLE_REPORT["global"]
    with pytest.raises(metrics.UnknownAccountError, match="(?s)account 'bobby'.*Similar IDs: bob"):
        metrics.report(worked, account="bobby")
    with pytest.raises(TableError, match="account IDs"):
        metrics.ego_density(worked, "nobody")


def test_account_metrics_types_and_order(worked):
    frame = metrics.account_metrics(worked)
    assert list(frame.columns) == list(metrics.ACCOUNT_KEYS)
    assert frame.index.tolist() == ["ann", "bob", "cat"]
    for key in metrics.COUNT_KEYS:
        assert frame[key].dtype == np.int64, key
    assert set(metrics.global_metrics(worked)) == set(metrics.GLOBAL_KEYS)
    assert list(metrics.global_metrics(worked)) == list(metrics.GLOBAL_KEYS)


def test_loaded_table_is_not_modified(worked):
    before = worked.copy()
    metrics.report(worked)
    pd.testing.assert_frame_equal(worked, before)
