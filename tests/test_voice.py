"""Lesson 11's replies and threads (trustcircles.topics.voice), worked on row positions."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from trustcircles.data import as_interactions, load_interactions
from trustcircles.topics import conversation, voice


@pytest.fixture(scope="module")
def events():
    return load_interactions("community")


def hand_made() -> pd.DataFrame:
    rows = [("p1", "a", "", "post", ""), ("r1", "b", "a", "reply", "p1"), ("r2", "a", "b", "reply", "r1"),
            ("r3", "c", "a", "reply", "gone"), ("r4", "a", "a", "reply", "p1"), ("p2", "c", "", "post", "")]
    return as_interactions(pd.DataFrame(
        [{"event_id": e, "timestamp": f"2024-01-01T00:0{i}:00Z", "actor": a, "target": t, "kind": k,
          "parent_id": p, "is_question": "false", "is_promotional": "false"}
         for i, (e, a, t, k, p) in enumerate(rows)], dtype=object))


def test_parent_positions_are_where_each_parent_is():
    table = hand_made()
    assert voice.parent_positions(table).tolist() == [-1, 0, 1, -1, 0, -1]


def test_parent_positions_agree_with_an_index_of_the_ids(events):
    expected = pd.Index(events["event_id"].to_numpy(dtype=object)).get_indexer(events["parent_id"].to_numpy(dtype=object))
    assert np.array_equal(voice.parent_positions(events), expected)


def test_thread_roots_follow_parents_up():
    roots = voice.thread_roots(hand_made())
    assert roots.to_dict() == {"p1": "p1", "r1": "p1", "r2": "p1", "r3": "r3", "r4": "p1", "p2": "p2"}
    assert roots.dtype == "str" and roots.index.dtype == "str"


def test_message_replies_are_conversations_own(events):
    pd.testing.assert_frame_equal(voice.message_replies(events).reset_index(drop=True),
                                  conversation.message_replies(events).reset_index(drop=True), check_exact=True)


def test_replies_and_threads_make_no_python_string_per_row(events, monkeypatch):
    # a Python string per row of a 100,000-row table left a kernel some MiB larger (issue 17)
    to_numpy = pd.Series.to_numpy

    def guarded(self, dtype=None, *args, **kwargs):
        if dtype is object and len(self) > 1000:
            raise AssertionError("a Python object per row")
        return to_numpy(self, dtype, *args, **kwargs)
    monkeypatch.setattr(pd.Series, "to_numpy", guarded)
    voice.message_replies(events)
    voice.thread_roots(events)
    with pytest.raises(AssertionError, match="per row"):  # the guard can fail
        events["event_id"].to_numpy(dtype=object)
