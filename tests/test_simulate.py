"""trustcircles.simulate: seeded, reproducible simulators whose rules produce the course's behaviours."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from trustcircles import cli, metrics
from trustcircles.data import as_interactions
from trustcircles.simulate import ARCHETYPES, CommunityConfig, simulate_community
from trustcircles.simulate import build, community as community_module
from trustcircles.simulate.workplace import WorkplaceConfig, simulate_workplace


@pytest.fixture(scope="module")
def small_community():
    return simulate_community(CommunityConfig.small())


@pytest.fixture(scope="module")
def small_builds(tmp_path_factory):
    """The small configuration built twice: once through the CLI, once through the library."""
    first = tmp_path_factory.mktemp("first")
    second = tmp_path_factory.mktemp("second")
    assert cli.main(["datasets", "build", "--small", "--quiet", "--out", str(first)]) == 0
    build.build_all(second, small=True, progress=False)
    return first, second


def test_small_build_is_reproducible_byte_for_byte(small_builds):
    first, second = small_builds
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert {str(p) for p in files} >= {
        "community/interactions.csv.gz", "community/accounts.csv", "community/DATACARD.md",
        "meetups/attendance.csv", "meetups/events.csv", "meetups/DATACARD.md",
        "workplace/interactions.csv.gz", "workplace/accounts.csv", "workplace/teams.csv",
        "workplace/DATACARD.md"}
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for relative in files:
        assert (first / relative).read_bytes() == (second / relative).read_bytes(), relative


def test_check_command_compares_a_fresh_build_byte_for_byte(small_builds, capsys):
    first, _ = small_builds
    assert cli.main(["datasets", "check", "--small", "--quiet", "--out", str(first)]) == 0
    assert "match a fresh build" in capsys.readouterr().out
    accounts = first / "workplace" / "accounts.csv"
    original = accounts.read_bytes()
    try:
        accounts.write_bytes(original.replace(b"north office", b"south office", 1))
        assert cli.main(["datasets", "check", "--small", "--quiet", "--out", str(first)]) == 1
        assert "workplace/accounts.csv" in capsys.readouterr().out
    finally:
        accounts.write_bytes(original)


def test_datasets_list_names_them():
    from trustcircles.data import list_datasets
    assert {"community", "meetups", "workplace", "collegemsg"} <= set(list_datasets())


def test_gzip_header_has_no_time_and_a_fixed_name(small_builds):
    first, _ = small_builds
    header = (first / "community" / "interactions.csv.gz").read_bytes()[:32]
    assert header[4:8] == b"\0\0\0\0"  # mtime 0
    assert b"interactions.csv\0" in header


def test_another_seed_gives_other_data(small_community):
    other = simulate_community(CommunityConfig(**{**CommunityConfig.small().__dict__, "seed": 7}))
    assert not small_community.interactions["timestamp"].equals(other.interactions["timestamp"])


def test_raw_simulation_has_realistic_identities_to_scrub(small_community):
    """The anonymiser has real work to do: the raw text carries names, handles, e-mails, phones, URLs."""
    text = " ".join(small_community.interactions["text"].dropna())
    assert "@example." in text                       # e-mail addresses
    assert "https://www." in text                     # web addresses
    assert "7946 0" in text or "555-01" in text       # phone numbers (fiction ranges)
    assert any(f" {h} " in f" {text} " or h in text for h in small_community.people["handle"])
    given = set(small_community.people["given_name"])
    assert sum(name in text for name in given) >= 10
    assert small_community.people["full_name"].is_unique
    assert small_community.people["handle"].is_unique


def test_raw_table_is_valid_and_has_the_archetypes(small_community):
    table = as_interactions(small_community.interactions)
    assert {"text", "is_hostile"} <= set(table.columns)
    assert set(small_community.people["archetype"]) == set(ARCHETYPES)
    # threads: replies to replies exist; likes and shares point at events in the table
    replies = table[table["kind"] == "reply"]
    assert replies["parent_id"].isin(replies["event_id"]).any()
    attention = table[table["kind"].isin(["like", "share"])]
    assert attention["parent_id"].isin(table["event_id"]).all()
    # only trolls write hostile messages, only on purpose
    hostile_actors = set(table.loc[table["is_hostile"], "actor"])
    archetype = small_community.people.set_index("handle")["archetype"]
    assert {archetype[a] for a in hostile_actors} <= {"troll"}


def test_daily_and_weekly_rhythm(small_community):
    times = small_community.interactions["timestamp"]
    night = times.dt.hour.isin([1, 2, 3, 4]).mean()
    morning = times.dt.hour.isin([9, 10, 11, 12]).mean()
    assert morning > 5 * night
    weekday = (times.dt.day_of_week < 5).sum() / 5
    weekend = (times.dt.day_of_week >= 5).sum() / 2
    assert weekday > 1.3 * weekend


def test_reply_latencies_are_long_tailed(small_community):
    table = as_interactions(small_community.interactions)
    replies = table[table["kind"] == "reply"]
    parents = table.set_index("event_id")["timestamp"]
    delay = (replies["timestamp"].to_numpy() - parents.reindex(replies["parent_id"]).to_numpy())
    hours = pd.Series(delay).dt.total_seconds().dropna() / 3600
    assert hours.min() >= 0
    assert hours.quantile(0.99) > 10 * hours.median()


def test_archetype_rules_show_in_the_metrics_even_when_small(small_community):
    table = as_interactions(small_community.interactions)
    per_account = metrics.account_metrics(table)
    per_account["archetype"] = small_community.people.set_index("handle")["archetype"].reindex(
        per_account.index)
    medians = per_account.groupby("archetype").median(numeric_only=True)
    assert medians.loc["trust_builder", "opened_by_listening"] > medians.loc["transactional", "opened_by_listening"]
    assert medians.loc["transactional", "promotional_share"] > 0.5
    assert medians.loc["trust_builder", "promotional_share"] == 0
    assert medians.loc["broadcaster", "broadcast_ratio"] > medians.loc["listener", "broadcast_ratio"]


def test_newcomers_come_back_more_often_when_their_first_question_is_answered():
    """The rule itself: the share of newcomers who come back follows NEWCOMER_RETURN (calibrated to
    Joyce and Kraut 2006), within a few hundredths, and one who comes back stays the same time on
    average whether answered or not; one who does not leaves at once."""
    sim = community_module._Community(CommunityConfig.small())
    newcomer = int(np.flatnonzero(sim.arch == community_module.NC)[0])
    helper = int(np.flatnonzero(sim.arch == community_module.TB)[0])
    stays = {True: [], False: []}
    for answered in (True, False):
        for _ in range(300):
            question = 10**6  # a made-up event index
            sim.replied_by[question] = {helper} if answered else set()
            sim.act_newcomer_decides(100.0, newcomer, question)
            stays[answered].append(sim.leave[newcomer] - 100.0)
            assert not sim.waiting[newcomer]
    for answered, rate in community_module.NEWCOMER_RETURN.items():
        came_back = np.array(stays[answered]) > 0
        assert abs(came_back.mean() - rate) <= 0.02
        mean_weeks = np.array(stays[answered])[came_back].mean() / 168
        assert abs(mean_weeks - community_module.NEWCOMER_STAY_WEEKS) <= 2.0
    assert community_module.NEWCOMER_RETURN[True] > community_module.NEWCOMER_RETURN[False]


def test_workplace_is_seeded_and_shaped(tmp_path):
    config = WorkplaceConfig.small()
    one, two = simulate_workplace(config), simulate_workplace(config)
    pd.testing.assert_frame_equal(one.interactions, two.interactions)
    people = one.people
    assert people.groupby("team")["is_manager"].sum().drop("communications").eq(1).all()
    table = as_interactions(one.interactions)
    assert set(table["kind"]) <= {"post", "reply", "mention", "dm", "like"}
    assert not table["is_promotional"].any()


def test_dataset_key_is_deterministic_and_label_specific():
    assert build.dataset_key(1, "community") == build.dataset_key(1, "community")
    assert build.dataset_key(1, "community") != build.dataset_key(2, "community")
    assert build.dataset_key(1, "community") != build.dataset_key(1, "workplace")
    shift = build.time_shift(build.dataset_key(1, "community"))
    assert shift % pd.Timedelta(weeks=1) == pd.Timedelta(0) and shift > pd.Timedelta(0)
