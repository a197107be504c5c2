"""Turning the simulators' raw output into the shipped datasets, byte for byte reproducibly.

``build_all(out_dir)`` runs every simulator with its fixed seed, passes the raw data through
:mod:`trustcircles.anonymise` (keyed pseudonyms, a time shift, scrubbed text, generalised
attributes) and writes each dataset's folder: ``interactions.csv.gz``, ``accounts.csv``, any extra
tables and ``DATACARD.md``. Re-running gives identical bytes: rows are sorted, numbers formatted the
same way, and gzip is written with a zero modification time and a fixed file name in its header.

The anonymisation key of a shipped dataset is derived from its seed and a fixed label (see
:func:`dataset_key`). That is acceptable here, and only here, because the identities it hides are
invented by the simulator: nobody real stands behind them, and publishing how the key is made is
what lets anyone regenerate the files and check them. A learner anonymising real data uses a secret
per-user key instead (:func:`trustcircles.anonymise.user_key`).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from trustcircles import anonymise
from trustcircles.data import write_atomically, write_table
from trustcircles.simulate import text as T
from trustcircles.simulate.community import NORMS_SCENARIOS, CommunityConfig, simulate_community  # noqa: F401

#: The quasi-identifiers of the community's accounts.csv: attributes someone could know about a
#: person from elsewhere. The shipped file is k-anonymous on them (k = K_ANONYMITY).
COMMUNITY_QUASI_IDENTIFIERS = ("age_band", "sector", "joined", "region")
K_ANONYMITY = 5


def dataset_key(seed: int, label: str) -> bytes:
    """The anonymisation key of a shipped synthetic dataset: SHA-256 of a fixed label and the seed.

    Public on purpose, so the datasets can be regenerated and checked; fine only for invented
    identities. Real data must be anonymised with a secret key.
    """
    return hashlib.sha256(f"online-in-person synthetic dataset|{label}|seed {seed}".encode()).digest()


def time_shift(key: bytes) -> pd.Timedelta:
    """A whole number of weeks (1-52) derived from the key: hides the simulated calendar while
    keeping weekdays and hours of the day (the weekly rhythm stays visible)."""
    return pd.Timedelta(weeks=1 + key[0] % 52)


# --------------------------------------------------------------------------- writing files

def write_csv(frame: pd.DataFrame, path: Path) -> None:
    write_table(frame, path)


def write_csv_gz(frame: pd.DataFrame, path: Path) -> None:
    """The data's gzip, compressed hardest (the bytes depend on the data only: see write_table)."""
    write_table(frame, path, compresslevel=9)


def sort_events(table: pd.DataFrame) -> pd.DataFrame:
    """Rows by time, then by event_id as text: a deterministic order."""
    return table.sort_values(["timestamp", "event_id"], kind="stable").reset_index(drop=True)


def _scrub_lists(people: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Every name the simulator could have used, and every handle it did use."""
    names = sorted(set(T.GIVEN_NAMES) | set(T.SURNAMES) | set(people["full_name"]))
    return names, sorted(people["handle"])


# --------------------------------------------------------------------------- community

def _age_band(age) -> str:
    low = int(age) // 10 * 10
    return f"{low}-{low + 9}"


_SECTOR_GROUP = {"technology": "private sector", "finance": "private sector",
                 "retail": "private sector", "creative": "private sector",
                 "education": "public or non-profit", "health": "public or non-profit",
                 "public sector": "public or non-profit", "non-profit": "public or non-profit"}


def _joined_label(week) -> str:
    return "founding member" if week == 0 else f"joined weeks {(week - 1) // 8 * 8 + 1}-{(week - 1) // 8 * 8 + 8}"


def community_accounts(people: pd.DataFrame, pseudonymise: Callable[[pd.Series], pd.Series],
                       start: str) -> pd.DataFrame:
    """accounts.csv of the community: pseudonym, archetype and k-anonymous generalised attributes."""
    joined_week = ((people["joined"] - pd.Timestamp(start, tz="UTC")).dt.total_seconds()
                   // (7 * 86400)).astype(int)
    # founding members have week 0; a newcomer who joined during week w has week w + 1
    joined_week = np.where(people["archetype"] == "newcomer", joined_week + 1, 0)
    frame = pd.DataFrame({
        "account": pseudonymise(people["handle"]).to_numpy(),
        "archetype": people["archetype"].to_numpy(),
        "region": people["region"].to_numpy(),
        "age_band": people["age"].to_numpy(),
        "sector": people["sector"].to_numpy(),
        "joined": joined_week,
    })
    # region is listed last: when two columns tie, the generaliser coarsens the first listed, and
    # region matters most to the lessons (meetups happen by region)
    generalised = anonymise.generalise(frame, {
        "age_band": [_age_band, lambda a: "under 40" if a < 40 else "40 and over"],
        "sector": [_SECTOR_GROUP],
        "joined": [_joined_label, lambda w: "founding member" if w == 0 else "joined later"],
        "region": [],
    }, k=K_ANONYMITY)
    generalised = generalised[["account", "archetype", "region", "age_band", "sector", "joined"]]
    return generalised.sort_values("account", kind="stable").reset_index(drop=True)


@dataclass
class BuiltDataset:
    """A dataset ready to write: file name -> frame (or text for DATACARD.md)."""
    name: str
    files: dict


def _anonymised_community(result, config: CommunityConfig, label: str):
    """(interactions, accounts, pseudonymiser, time shift) of a simulated community, anonymised with
    the key of ``label`` and ``config.seed``."""
    key = dataset_key(config.seed, label)
    shift = time_shift(key)
    names, handles = _scrub_lists(result.people)
    table = anonymise.anonymise_interactions(result.interactions, key, time_shift=shift,
                                             names=names, handles=handles)
    pseudonymiser = anonymise.Pseudonymiser(key, "u", 8)
    accounts = community_accounts(result.people, pseudonymiser.map, config.start)
    return sort_events(table), accounts, pseudonymiser, shift


def build_community(config: CommunityConfig, progress=None) -> tuple[BuiltDataset, BuiltDataset]:
    """The community and meetups datasets (they share pseudonyms: the same people)."""
    result = simulate_community(config, progress)
    table, accounts, pseudonymiser, shift = _anonymised_community(result, config, "community")
    attendance = pd.DataFrame({
        "account": pseudonymiser.map(result.attendance["handle"].astype("str")).to_numpy(),
        "event": result.attendance["event"].to_numpy(),
        "date": (pd.to_datetime(result.attendance["date"], utc=True) + shift).dt.strftime("%Y-%m-%d"),
    }).sort_values(["date", "event", "account"], kind="stable").reset_index(drop=True)
    events = result.meetups.copy()
    counts = attendance.groupby("event").size()
    events = pd.DataFrame({
        "event": events["event"].to_numpy(),
        "date": (pd.to_datetime(events["date"], utc=True) + shift).dt.strftime("%Y-%m-%d"),
        "region": events["region"].to_numpy(),
        "attendees": counts.reindex(events["event"]).fillna(0).astype(int).to_numpy(),
    })
    from trustcircles.simulate import cards
    community = BuiltDataset("community", {
        "interactions.csv.gz": table, "accounts.csv": accounts,
        "DATACARD.md": cards.community_card(config, table, accounts, shift)})
    meetups = BuiltDataset("meetups", {
        "attendance.csv": attendance, "events.csv": events,
        "DATACARD.md": cards.meetups_card(config, table, attendance, events)})
    return community, meetups


def write_dataset(dataset: BuiltDataset, out_dir: Path) -> list[Path]:
    folder = Path(out_dir) / dataset.name
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for filename, content in dataset.files.items():
        path = folder / filename
        if isinstance(content, str):
            write_atomically(path, content)
        elif filename.endswith(".gz"):
            write_csv_gz(content, path)
        else:
            write_csv(content, path)
        written.append(path)
    return written


# --------------------------------------------------------------------------- norms and the audit

#: The norms scenario: one community run four times, the same people with the same traits, each
#: time stating and keeping other rules (trustcircles.simulate.community.NORMS). name -> norms.


def norms_config(norms: tuple = (), small: bool = False) -> CommunityConfig:
    """The community of the norms scenario: smaller than the shipped one, its own seed."""
    if small:
        return CommunityConfig.small(seed=20250606, norms=norms)
    return CommunityConfig(seed=20250606, weeks=18, norms=norms, counts={
        "trust_builder": 30, "transactional": 30, "broadcaster": 10, "listener": 70, "troll": 8,
        "newcomer": 72, "outsourced": 5})


def audit_config(small: bool = False) -> CommunityConfig:
    """The community of the capstone audit: another seed and another mix, which no lesson shows."""
    if small:
        return CommunityConfig.small(seed=20250717, counts={
            "trust_builder": 3, "transactional": 10, "broadcaster": 4, "listener": 30, "troll": 2,
            "newcomer": 12, "outsourced": 4})
    return CommunityConfig(seed=20250717, weeks=20, counts={
        "trust_builder": 6, "transactional": 30, "broadcaster": 24, "listener": 150, "troll": 10,
        "newcomer": 80, "outsourced": 24})


def build_norms(small: bool = False, progress=None) -> BuiltDataset:
    """The ``norms`` dataset: the four runs of :data:`NORMS_SCENARIOS` in one table, told apart by
    its ``scenario`` column (the same people, so the same pseudonyms, in every run)."""
    from trustcircles.simulate import cards
    tables, config, accounts = [], None, None
    for number, (scenario, norms) in enumerate(NORMS_SCENARIOS.items()):
        config = norms_config(norms, small)
        result = simulate_community(config, progress)
        raw = result.interactions.copy()
        # events of different runs are different events: give their raw ids a run prefix
        for column in ("event_id", "parent_id"):
            raw[column] = raw[column].map(lambda e: None if pd.isna(e) else f"run{number}-{e}")
        table, accounts, _, shift = _anonymised_community(
            CommunityResultLike(raw, result.people), config, "norms")
        tables.append(table.assign(scenario=scenario))
    table = sort_events(pd.concat(tables, ignore_index=True))
    return BuiltDataset("norms", {
        "interactions.csv.gz": table, "accounts.csv": accounts,
        "DATACARD.md": cards.norms_card(config, table, accounts)})


@dataclass
class CommunityResultLike:
    """The two parts of a simulated community that anonymising needs."""
    interactions: pd.DataFrame
    people: pd.DataFrame


def build_audit(small: bool = False, progress=None) -> BuiltDataset:
    """The ``audit_community`` dataset of the capstone: interactions and accounts, no meetups."""
    from trustcircles.simulate import cards
    config = audit_config(small)
    result = simulate_community(config, progress)
    table, accounts, _, shift = _anonymised_community(result, config, "audit_community")
    return BuiltDataset("audit_community", {
        "interactions.csv.gz": table, "accounts.csv": accounts,
        "DATACARD.md": cards.audit_card(config, table, accounts)})


# --------------------------------------------------------------------------- workplace

#: The quasi-identifiers of the workplace's accounts.csv (k-anonymous on them, k = K_ANONYMITY).
WORKPLACE_QUASI_IDENTIFIERS = ("team", "site")


def workplace_accounts(people: pd.DataFrame, pseudonymise: Callable[[pd.Series], pd.Series]) -> pd.DataFrame:
    """accounts.csv of the workplace: pseudonym, team, site, manager, band, rollout.

    A team's manager can be singled out by ``is_manager`` (in any organisation that is public
    knowledge), so a manager's competitiveness band, which comes from a survey, is suppressed. The
    simulated grade (junior, mid-level, senior) is not released: beside the team and the site it
    would leave groups of two or three people, and no lesson needs it.
    """
    frame = pd.DataFrame({
        "account": pseudonymise(people["handle"]).to_numpy(),
        "team": people["team"].to_numpy(),
        "site": people["site"].to_numpy(),
        "is_manager": people["is_manager"].to_numpy(),
        "competitiveness": np.where(people["is_manager"], "*", people["competitiveness"]),
        "rollout_style": people["rollout_style"].to_numpy(),
    })
    generalised = anonymise.generalise(frame, {"site": [], "team": []}, k=K_ANONYMITY)
    return generalised.sort_values("account", kind="stable").reset_index(drop=True)


def build_workplace(config, progress=None) -> BuiltDataset:
    """The workplace dataset: an organisation adopting an internal platform."""
    from trustcircles.simulate import cards
    from trustcircles.simulate.workplace import simulate_workplace
    result = simulate_workplace(config, progress)
    key = dataset_key(config.seed, "workplace")
    shift = time_shift(key)
    names, handles = _scrub_lists(result.people)
    table = sort_events(anonymise.anonymise_interactions(result.interactions, key, time_shift=shift,
                                                         names=names, handles=handles))
    accounts = workplace_accounts(result.people, anonymise.Pseudonymiser(key, "u", 8).map)
    start = pd.Timestamp(config.start, tz="UTC") + shift
    return BuiltDataset("workplace", {
        "interactions.csv.gz": table, "accounts.csv": accounts, "teams.csv": result.teams,
        "DATACARD.md": cards.workplace_card(config, table, accounts, result.teams, start)})


# --------------------------------------------------------------------------- everything

#: The synthetic datasets ``build_all`` writes, in order.
SYNTHETIC_DATASETS = ("community", "meetups", "workplace", "norms", "audit_community")


def build_all(out_dir: Path, *, small: bool = False, progress: bool = True) -> list[Path]:
    """Regenerate every synthetic dataset into ``out_dir``/<name>/; return the files written.

    ``small`` uses quick configurations (for the reproducibility test). The progress bar counts
    simulated hours.
    """
    from tqdm import tqdm

    from trustcircles.simulate.workplace import WorkplaceConfig
    community_config = CommunityConfig.small() if small else CommunityConfig()
    workplace_config = WorkplaceConfig.small() if small else WorkplaceConfig()
    total = 168 * (community_config.weeks + workplace_config.weeks
                   + len(NORMS_SCENARIOS) * norms_config(small=small).weeks + audit_config(small).weeks)
    written: list[Path] = []
    with tqdm(total=total, unit="h", desc="simulating", disable=not progress) as bar:
        community, meetups = build_community(community_config, progress=bar.update)
        written += write_dataset(community, out_dir)
        written += write_dataset(meetups, out_dir)
        workplace = build_workplace(workplace_config, progress=bar.update)
        written += write_dataset(workplace, out_dir)
        written += write_dataset(build_norms(small, progress=bar.update), out_dir)
        written += write_dataset(build_audit(small, progress=bar.update), out_dir)
    return written


def compare_build(reference: Path, *, small: bool = False, progress: bool = True) -> tuple[list[str], list[str]]:
    """Build every synthetic dataset into a temporary folder and compare each file, byte for byte,
    with the one in ``reference``: (every file built, the ones that differ or are missing), as paths
    relative to the datasets folder."""
    import tempfile

    with tempfile.TemporaryDirectory() as temporary:
        written = build_all(Path(temporary), small=small, progress=progress)
        names, different = [], []
        for path in written:
            relative = path.relative_to(temporary)
            names.append(str(relative))
            shipped = Path(reference) / relative
            if not shipped.is_file() or shipped.read_bytes() != path.read_bytes():
                different.append(str(relative))
    return names, different
