"""Property tests: the vectorised metrics agree with a slow, obvious reading of METRICS.md."""
import math
import statistics
from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from trustcircles import metrics
from trustcircles.data import as_interactions

START = datetime(2025, 1, 1, tzinfo=timezone.utc)
CONVERSATIONAL = {"reply", "mention", "dm"}
AUTHORED = {"post"} | CONVERSATIONAL


@st.composite
def tables(draw):
    """Small random tables that hit the edge cases: few accounts (so ties, mutuals and
    self-interactions are common), times on a coarse grid around the 48-hour boundary, equal
    timestamps, and parents inside and outside the table."""
    n = draw(st.integers(0, 18))
    accounts = ["a", "b", "NA", "d10", "d9"]
    rows = []
    for i in range(n):
        # Replies are drawn more often, so that questions meet answers on both sides of 48 hours.
        kind = draw(st.sampled_from(["post", "reply", "reply", "reply", "mention", "dm", "like",
                                     "share"]))
        minutes = draw(st.sampled_from([0, 0, 60, 48 * 60, 48 * 60, 48 * 60 + 1, 24 * 60 * 40]))
        actor = draw(st.sampled_from(accounts))
        target = "" if kind == "post" else draw(st.sampled_from(accounts))
        if kind == "post":
            parent = ""
        elif kind in ("reply", "like", "share") or draw(st.booleans()):
            parent = draw(st.sampled_from([f"e{j}" for j in range(max(i - 3, 0), max(i, 1))]
                                           + ["outside"]))
        else:
            parent = ""
        rows.append({"event_id": f"e{i}", "timestamp": (START + timedelta(minutes=minutes)).isoformat(),
                     "actor": actor, "target": target, "kind": kind, "parent_id": parent,
                     "is_question": draw(st.sampled_from(["true", "false", "1"])),
                     "is_promotional": draw(st.sampled_from(["false", "TRUE", "0"]))})
    return rows


def slow_report(rows):
    """METRICS.md read literally, one event at a time."""
    ev = [dict(r, time=datetime.fromisoformat(r["timestamp"]), q=r["is_question"].lower() in ("true", "1"),
               promo=r["is_promotional"].lower() in ("true", "1")) for r in rows]
    accounts = sorted({e["actor"] for e in ev} | {e["target"] for e in ev if e["target"]})
    times = [e["time"] for e in ev]
    window = (max(times) - min(times)).total_seconds() / 86400 if ev else 0.0
    months = max(window, 1) / 30.44
    real = [e for e in ev if e["actor"] != e["target"]]
    tie_events = {}
    for e in real:
        if e["kind"] in CONVERSATIONAL:
            tie_events.setdefault((e["actor"], e["target"]), []).append(e)
    ties = set(tie_events)
    by_id = {e["event_id"]: e for e in ev}
    questions = [e for e in real if e["kind"] in AUTHORED and e["q"]]

    def answer_hours(question, by=None):
        hours = [(r["time"] - question["time"]).total_seconds() / 3600 for r in real
                 if r["kind"] == "reply" and r["parent_id"] == question["event_id"]
                 and r["actor"] != question["actor"] and (by is None or r["actor"] == by)
                 and timedelta(0) <= r["time"] - question["time"] <= timedelta(hours=48)]
        return min(hours) if hours else None

    def share(items):
        return sum(items) / len(items) if items else None

    result = {}
    for a in accounts:
        outs = [b for (x, b) in ties if x == a]
        mut = [b for b in outs if (b, a) in ties]
        authored = [e for e in real if e["actor"] == a and e["kind"] in AUTHORED]
        put_to_a = [q for q in questions if q["target"] == a]
        own = [answer_hours(q, by=a) for q in put_to_a]
        lifetimes, opened = [], []
        for b in outs:
            evs = sorted(tie_events[(a, b)], key=lambda e: (e["time"], e["event_id"]))
            lifetimes.append((evs[-1]["time"] - evs[0]["time"]).total_seconds() / 86400)
            opened.append(evs[0]["kind"] == "reply")
        rate = {b: (len(tie_events[(a, b)]) + len(tie_events[(b, a)])) / months for b in mut}
        result[a] = {
            "events": sum(e["actor"] == a for e in ev), "out_ties": len(outs),
            "in_ties": sum(1 for (x, b) in ties if b == a), "mutuals": len(mut),
            "reciprocity": len(mut) / len(outs) if outs else None,
            "broadcast_ratio": share([e["kind"] == "post" for e in authored]),
            "promotional_share": share([e["promo"] for e in authored]),
            "answer_rate": share([h is not None for h in own]),
            "median_response_hours": statistics.median([h for h in own if h is not None])
            if any(h is not None for h in own) else None,
            "median_tie_days": statistics.median(lifetimes) if lifetimes else None,
            "opened_by_listening": share(opened),
            "circle_inner": sum(r >= 4 for r in rate.values()),
            "circle_close": sum(r >= 1 for r in rate.values()), "circle_active": len(mut)}
    assert all(e["parent_id"] in by_id or e["parent_id"] in ("", "outside") for e in ev)
    return {"window_days": window,
            "global": {"events": len(ev), "accounts": len(accounts), "ties": len(ties),
                       "reciprocity": share([(b, a) in ties for (a, b) in ties]),
                       "questions": len(questions),
                       "questions_answered_rate": share([answer_hours(q) is not None for q in questions])},
            "accounts": result}


def assert_same(fast, slow, where="report"):
    assert type(fast) is type(slow) or (isinstance(fast, (int, float)) and isinstance(slow, (int, float))), where
    if isinstance(slow, dict):
        assert list(fast) == list(slow), where
        for key in slow:
            assert_same(fast[key], slow[key], f"{where}.{key}")
    elif isinstance(slow, float):
        assert fast == pytest.approx(slow, rel=1e-9, abs=1e-12), where
    else:
        assert fast == slow, where
        assert type(fast) is type(slow), where


def to_table(rows):
    columns = ["event_id", "timestamp", "actor", "target", "kind", "parent_id", "is_question",
               "is_promotional"]
    return as_interactions(pd.DataFrame(rows, columns=columns, dtype=object))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
@example([  # the 48-hour boundary, exactly, and one minute past it
    {"event_id": "q", "timestamp": START.isoformat(), "actor": "a", "target": "b", "kind": "dm",
     "parent_id": "", "is_question": "true", "is_promotional": "false"},
    {"event_id": "r", "timestamp": (START + timedelta(hours=48)).isoformat(), "actor": "b",
     "target": "a", "kind": "reply", "parent_id": "q", "is_question": "false", "is_promotional": "0"},
    {"event_id": "q2", "timestamp": START.isoformat(), "actor": "a", "target": "", "kind": "post",
     "parent_id": "", "is_question": "1", "is_promotional": "false"},
    {"event_id": "r2", "timestamp": (START + timedelta(minutes=48 * 60 + 1)).isoformat(),
     "actor": "b", "target": "a", "kind": "reply", "parent_id": "q2", "is_question": "false",
     "is_promotional": "0"}])
def test_report_agrees_with_the_slow_reading(rows):
    fast = metrics.report(to_table(rows))
    assert_same(fast, slow_report(rows))


@settings(max_examples=25, deadline=None)
@given(tables(), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(rows, rng):
    shuffled = list(rows)
    rng.shuffle(shuffled)
    assert metrics.report(to_table(shuffled)) == metrics.report(to_table(rows))


@settings(max_examples=25, deadline=None)
@given(tables(), st.floats(0, 10), st.floats(0, 10))
def test_circles_nest_and_match_contact_rates(rows, inner, close):
    frame = to_table(rows)
    inner, close = max(inner, close), min(inner, close)
    circles = metrics.circles(frame, inner=inner, close=close)
    assert (circles["circle_inner"] <= circles["circle_close"]).all()
    assert (circles["circle_close"] <= circles["circle_active"]).all()
    assert circles["circle_active"].equals(metrics.mutuals(frame).rename("circle_active"))
    # The same circles from contact_rates and the tie list, pair by pair.
    ties = set(zip(metrics.ties(frame)["actor"], metrics.ties(frame)["target"]))
    for _, pair in metrics.contact_rates(frame).iterrows():
        if (pair["a"], pair["b"]) in ties and (pair["b"], pair["a"]) in ties:
            assert pair["events_between"] >= 2
    expected = {a: 0 for a in circles.index}
    for _, pair in metrics.contact_rates(frame).iterrows():
        if (pair["a"], pair["b"]) in ties and (pair["b"], pair["a"]) in ties \
                and pair["contact_rate"] >= inner:
            expected[pair["a"]] += 1
            expected[pair["b"]] += 1
    assert circles["circle_inner"].to_dict() == expected
    assert not math.isnan(metrics.months(frame))


def in_common_export_form(rows):
    """The same events as most exports write them: rows in time order, event_ids that rise row by
    row as text (e000, e001, ...) and times as 2025-01-01T00:00:00Z. Loading and the metrics take
    quicker paths for such tables; the result must not change."""
    ordered = sorted(rows, key=lambda r: datetime.fromisoformat(r["timestamp"]))
    new_id = {r["event_id"]: f"e{i:03d}" for i, r in enumerate(ordered)}
    return [dict(r, event_id=new_id[r["event_id"]], parent_id=new_id.get(r["parent_id"], r["parent_id"]),
                 timestamp=datetime.fromisoformat(r["timestamp"]).strftime("%Y-%m-%dT%H:%M:%SZ"))
            for r in ordered]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_common_export_form_agrees_with_the_slow_reading(rows):
    rows = in_common_export_form(rows)
    table = to_table(rows)
    expected_times = pd.to_datetime(pd.Series([r["timestamp"] for r in rows], dtype="str"),
                                    utc=True, format="ISO8601")
    assert table["timestamp"].tolist() == expected_times.tolist()
    assert str(table["timestamp"].dtype) == str(expected_times.dtype) or not len(rows)
    assert_same(metrics.report(table), slow_report(rows))


@pytest.mark.parametrize("stamp", ["2024-02-29T23:59:59Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
                                   "1969-12-31T23:59:59Z", "2000-02-29T12:30:01Z"])
def test_fixed_form_timestamps_parse_as_pandas_does(stamp):
    rows = [{"event_id": "e1", "timestamp": stamp, "actor": "a", "target": "", "kind": "post",
             "parent_id": "", "is_question": "false", "is_promotional": "false"}]
    parsed = to_table(rows)["timestamp"]
    expected = pd.to_datetime(pd.Series([stamp], dtype="str"), utc=True, format="ISO8601")
    assert parsed.tolist() == expected.tolist() and parsed.dtype == expected.dtype


@pytest.mark.parametrize("stamp", ["2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2023-13-01T00:00:00Z",
                                   "2023-01-01T24:00:00Z", "2023-01-01T23:60:00Z", "2023-01-00T00:00:00Z",
                                   "2023-01-01T00:00:60Z"])
def test_impossible_fixed_form_timestamps_are_refused(stamp):
    rows = [{"event_id": f"e{i}", "timestamp": s, "actor": "a", "target": "", "kind": "post",
             "parent_id": "", "is_question": "false", "is_promotional": "false"}
            for i, s in enumerate(["2024-01-01T00:00:00Z", stamp])]
    with pytest.raises(ValueError, match="row 3: timestamp is not an ISO 8601 date-time"):
        to_table(rows)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 70_000), st.lists(st.tuples(st.integers(0, 69_999), st.integers(0, 69_999)),
                                        max_size=300))
def test_the_quick_order_of_ties_is_the_stable_sort_by_pair(n, codes):
    import numpy as np
    actor = np.array([a % n for a, _ in codes], dtype=np.int64)
    target = np.array([b % n for _, b in codes], dtype=np.int64)
    pair = actor * n + target
    quick = metrics._stable_order_of_pairs(actor, target, pair, n)
    assert quick.tolist() == np.argsort(pair, kind="stable").tolist()
