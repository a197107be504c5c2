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
from trustcircles.simulate.community import CommunityConfig, simulate_community

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


def build_community(config: CommunityConfig, progress=None) -> tuple[BuiltDataset, BuiltDataset]:
    """The community and meetups datasets (they share pseudonyms: the same people)."""
    result = simulate_community(config, progress)
    key = dataset_key(config.seed, "community")
    shift = time_shift(key)
    names, handles = _scrub_lists(result.people)
    table = anonymise.anonymise_interactions(result.interactions, key, time_shift=shift,
                                             names=names, handles=handles)
    table = sort_events(table)
    pseudonymiser = anonymise.Pseudonymiser(key, "u", 8)
    accounts = community_accounts(result.people, pseudonymiser.map, config.start)
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


# --------------------------------------------------------------------------- workplace

#: The quasi-identifiers of the workplace's accounts.csv (k-anonymous on them, k = K_ANONYMITY).
WORKPLACE_QUASI_IDENTIFIERS = ("team", "role")


def workplace_accounts(people: pd.DataFrame, pseudonymise: Callable[[pd.Series], pd.Series]) -> pd.DataFrame:
    """accounts.csv of the workplace: pseudonym, team, generalised role, manager, band, rollout.

    A team's manager can be singled out by ``is_manager`` (in any organisation that is public
    knowledge), so a manager's competitiveness band, which comes from a survey, is suppressed.
    """
    frame = pd.DataFrame({
        "account": pseudonymise(people["handle"]).to_numpy(),
        "team": people["team"].to_numpy(),
        "role": people["role"].to_numpy(),
        "is_manager": people["is_manager"].to_numpy(),
        "competitiveness": np.where(people["is_manager"], "*", people["competitiveness"]),
        "rollout_style": people["rollout_style"].to_numpy(),
    })
    generalised = anonymise.generalise(frame, {
        "role": [{"junior": "junior or mid-level", "mid-level": "junior or mid-level",
                  "senior": "senior"}],
        "team": [],
    }, k=K_ANONYMITY)
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
SYNTHETIC_DATASETS = ("community", "meetups", "workplace")


def build_all(out_dir: Path, *, small: bool = False, progress: bool = True) -> list[Path]:
    """Regenerate every synthetic dataset into ``out_dir``/<name>/; return the files written.

    ``small`` uses quick configurations (for the reproducibility test). The progress bar counts
    simulated hours.
    """
    from tqdm import tqdm

    from trustcircles.simulate.workplace import WorkplaceConfig
    community_config = CommunityConfig.small() if small else CommunityConfig()
    workplace_config = WorkplaceConfig.small() if small else WorkplaceConfig()
    total = community_config.weeks * 168 + workplace_config.weeks * 168
    written: list[Path] = []
    with tqdm(total=total, unit="h", desc="simulating", disable=not progress) as bar:
        community, meetups = build_community(community_config, progress=bar.update)
        written += write_dataset(community, out_dir)
        written += write_dataset(meetups, out_dir)
        workplace = build_workplace(workplace_config, progress=bar.update)
        written += write_dataset(workplace, out_dir)
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
