"""Lesson 09, Online and in person: do ties whose people also meet face to face last longer?

Two datasets describe the same simulated people: ``community`` (what they write to each other online)
and ``meetups`` (who went to which evening meetup). Two accounts who attended the same meetup at least
once "also meet in person"; every other pair is "online only".

* :func:`met_pairs`: one row per pair of accounts who attended at least one meetup together, with how
  many meetups they shared and the day of the first;
* :func:`ties_with_meetings`: the course's ties (:func:`trustcircles.metrics.ties`), each marked with
  how often its two people met, whether the other talked back, their contact rate and the speaker's
  archetype;
* :func:`compare`: the met ties and the online-only ties side by side (median lifetime, share
  returned, median contact rate); :func:`comparison_sentence`, :func:`timing_sentence` and
  :func:`archetype_table` say it in words and per archetype; :func:`survival` gives the share of
  ties still written to after d days;
* :func:`meetups_by_archetype` (who goes to meetups, and how often) and :func:`share_began_before`
  (met ties that began online before the pair first met) are two reasons an association is not a
  cause, in numbers (exercise 09's Part A reads them).

A difference between the groups is an association, not proof that meeting causes it: people who
already get on may go to the same meetups, and some archetypes go far more often than others.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from trustcircles import metrics
from trustcircles.data import load_table
from trustcircles.topics.archetypes import IN_PERSON_ORDER, PLURALS, label


#: Groups smaller than this are flagged as "few ties: read with care" in readings.
FEW = 30


@lru_cache(maxsize=1)
def attendance() -> pd.DataFrame:
    """The meetups attendance table (account, event, date), loaded once per session."""
    return load_table("meetups", "attendance.csv")


def met_pairs(attendance: pd.DataFrame) -> pd.DataFrame:
    """Every pair of accounts who attended at least one meetup together.

    One row per unordered pair (``a`` < ``b`` as text), sorted, with ``meetings`` (how many different
    meetups both attended) and ``first_met`` (the day of the first of them, UTC midnight). An account
    listed twice for one meetup counts once; an account never pairs with itself.
    """
    seen = attendance[["account", "event", "date"]].drop_duplicates(["account", "event"])
    seen = seen.astype({"account": "str", "event": "str"})
    both = seen.merge(seen, on="event", suffixes=("_a", "_b"))
    both = both[(both["account_a"] < both["account_b"]).to_numpy()]
    pairs = (both.assign(day=pd.to_datetime(both["date_a"], utc=True))
             .groupby(["account_a", "account_b"], sort=True)
             .agg(meetings=("event", "nunique"), first_met=("day", "min")).reset_index()
             .rename(columns={"account_a": "a", "account_b": "b"}))
    pairs["meetings"] = pairs["meetings"].astype(np.int64)
    return pairs


def _pair_key(x, y) -> pd.MultiIndex:
    x = np.asarray(x, dtype=object)
    y = np.asarray(y, dtype=object)
    low = np.where(x < y, x, y)
    high = np.where(x < y, y, x)
    return pd.MultiIndex.from_arrays([low, high])


def ties_with_meetings(table: pd.DataFrame, attendance: pd.DataFrame,
                       accounts: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ties of the table (METRICS.md), each with what its two people did offline.

    Columns of :func:`trustcircles.metrics.ties` (actor, target, events, first_time, last_time,
    lifetime_days, first_kind) plus: ``meetings`` (meetups both attended, 0 = online only), ``met``
    (at least one), ``first_met`` (day of the first shared meetup), ``days_after_meeting`` (days from
    that day to the tie's first message; negative = they talked online before they met),
    ``talked_back`` (the tie target→actor exists too), ``contact_rate`` (conversational events
    between the two per month, METRICS.md) and ``archetype`` (the actor's, if accounts are given).
    """
    ties = metrics.ties(table).copy()
    key = _pair_key(ties["actor"], ties["target"])
    pairs = met_pairs(attendance).set_index(["a", "b"])
    ties["meetings"] = pairs["meetings"].reindex(key).fillna(0).astype(np.int64).to_numpy()
    ties["met"] = ties["meetings"].to_numpy() > 0
    ties["first_met"] = pd.to_datetime(pd.Series(pairs["first_met"].reindex(key).to_numpy(),
                                                 index=ties.index, dtype=object), utc=True)
    ties["days_after_meeting"] = (ties["first_time"] - ties["first_met"]) / pd.Timedelta(days=1)
    forward = pd.MultiIndex.from_arrays([ties["actor"], ties["target"]])
    ties["talked_back"] = pd.MultiIndex.from_arrays([ties["target"], ties["actor"]]).isin(forward)
    rates = metrics.contact_rates(table).set_index(["a", "b"])["contact_rate"]
    ties["contact_rate"] = rates.reindex(key).to_numpy()
    if accounts is not None:
        ties["archetype"] = accounts.set_index("account")["archetype"].reindex(ties["actor"]).to_numpy()
    return ties


def group_names(min_meetings: int = 1) -> tuple[str, str]:
    """The two groups' names in words."""
    met = "met in person" if min_meetings <= 1 else f"met at {min_meetings}+ meetups"
    return met, "online only"


def compare(ties: pd.DataFrame, min_meetings: int = 1, archetype: str | None = None) -> pd.DataFrame:
    """Met ties (people who shared at least ``min_meetings`` meetups) and online-only ties side by
    side: how many ties, median lifetime (days), share returned (0-1), median contact rate (per
    month). ``archetype`` keeps only ties spoken by that archetype."""
    if archetype:
        ties = ties[(ties["archetype"] == archetype).to_numpy()]
    groups = {name: ties[mask] for name, mask in zip(
        group_names(min_meetings), (ties["meetings"].to_numpy() >= min_meetings,
                                    ties["meetings"].to_numpy() == 0))}
    rows = {name: {"ties": len(g), "median_lifetime_days": g["lifetime_days"].median(),
                   "share_returned": g["talked_back"].mean() if len(g) else np.nan,
                   "median_contact_rate": g["contact_rate"].median()}
            for name, g in groups.items()}
    frame = pd.DataFrame(rows).T
    frame["ties"] = frame["ties"].astype(np.int64)
    frame.index.name = "group"
    return frame


def comparison_sentence(ties: pd.DataFrame, min_meetings: int = 1, archetype: str | None = None) -> str:
    """The comparison of :func:`compare` in one or two plain sentences."""
    frame = compare(ties, min_meetings, archetype)
    who = f"spoken by {PLURALS[archetype]}" if archetype else "in the whole community"
    parts = []
    for name, row in frame.iterrows():
        if row["ties"] == 0:
            parts.append(f"no tie {who} is in the group “{name}”")
            continue
        few = " (few ties: read with care)" if row["ties"] < FEW else ""
        parts.append(f"{int(row['ties']):,} ties {name} lasted a median of "
                     f"{row['median_lifetime_days']:.1f} days and {row['share_returned']:.0%} of them "
                     f"were returned{few}")
    return f"Of the ties {who}: " + "; ".join(parts) + "."


def survival(days: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Share of ties (0-1) whose lifetime is at least each value of ``grid`` (days)."""
    days = np.sort(np.asarray(days, dtype=float))
    if not len(days):
        return np.full(len(grid), np.nan)
    return 1 - np.searchsorted(days, grid, side="left") / len(days)


def timing_sentence(ties: pd.DataFrame) -> str:
    """How many met ties began online before the pair's first shared meetup, in words."""
    days = ties.loc[ties["met"], "days_after_meeting"]
    before = int((days < 0).sum())
    within = int(((days >= 0) & (days <= 14)).sum())
    return (f"Of {len(days):,} ties whose people met, {before:,} ({before / max(len(days), 1):.0%}) began "
            f"online before the day of their first shared meetup, and {within:,} "
            f"({within / max(len(days), 1):.0%}) began within two weeks after it.")


def archetype_table(ties: pd.DataFrame, min_meetings: int = 1, order=IN_PERSON_ORDER) -> pd.DataFrame:
    """Median lifetime (days) and number of ties, met vs online only, for each speaker archetype."""
    rows = []
    for archetype in order:
        frame = compare(ties, min_meetings, archetype)
        row = {"archetype": label(archetype)}
        for name, values in frame.iterrows():
            row[f"ties {name}"] = int(values["ties"])
            row[f"median days, {name}"] = round(float(values["median_lifetime_days"]), 1)
        rows.append(row)
    return pd.DataFrame(rows).set_index("archetype")


def meetups_by_archetype(attendance: pd.DataFrame, accounts: pd.DataFrame) -> pd.DataFrame:
    """For each archetype: how many accounts, the mean number of different meetups one of them
    attended (0 for those who never went) and the share who went to at least one."""
    went = attendance.drop_duplicates(["account", "event"]).groupby("account").size()
    people = accounts[["account", "archetype"]].assign(
        meetups=lambda f: went.reindex(f["account"]).fillna(0).to_numpy())
    return (people.groupby("archetype")
            .agg(accounts=("account", "size"), mean_meetups=("meetups", "mean"),
                 share_went=("meetups", lambda m: float((m > 0).mean())))
            .sort_values("mean_meetups", ascending=False))


def share_began_before(ties: pd.DataFrame) -> float:
    """Of the ties whose people met (:func:`ties_with_meetings`), the share whose first message came
    before the day of the pair's first shared meetup (as :func:`timing_sentence` says); missing if
    no pair met."""
    days = ties.loc[ties["met"], "days_after_meeting"]
    return float((days < 0).mean()) if len(days) else float("nan")
