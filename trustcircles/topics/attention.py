"""Lesson 01, Transactional or trust-building?: attention that lasts, and attention that drops away.

* :func:`per_account` gives the report's per-account metrics with each account's archetype;
  :func:`contrast_sentence` says the medians of transactional accounts and trust builders;
* :func:`with_archetype` marks each tie with the speaker's archetype and whether the contact talked
  back;
* :func:`tie_survival`: of the ties an archetype opens, the share still being written to k weeks
  after the first message;
* :func:`examples`: a few typical accounts of each archetype, for the explorer;
* :func:`contact_summary`: what the explorer says of one account (how many people it wrote to, how
  many it dropped, how many talked back, how long its ties lasted).

All numbers come from :mod:`trustcircles.metrics` (ties, median_tie_days, reciprocity), so they agree
with the report and the exercises.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from trustcircles import metrics
from trustcircles.topics.archetypes import CONTRAST_ORDER, PLURALS


#: A contact whose every message from an account fell within this many days of the first one
#: "never heard from it again" after that (three weeks).
DROPPED_AFTER_DAYS = 21


def per_account(table: pd.DataFrame, accounts: pd.DataFrame) -> pd.DataFrame:
    """The tie metrics of the report (METRICS.md) for each account: out_ties, mutuals, reciprocity,
    median_tie_days, opened_by_listening, plus each account's archetype."""
    frame = pd.concat([metrics.out_ties(table), metrics.mutuals(table),
                       metrics.reciprocity_by_account(table), metrics.median_tie_days(table),
                       metrics.opened_by_listening(table)], axis=1)
    frame["archetype"] = accounts.set_index("account")["archetype"].reindex(frame.index)
    frame.index.name = "account"
    return frame


def with_archetype(ties: pd.DataFrame, accounts: pd.DataFrame) -> pd.DataFrame:
    """The ties table with the archetype of the account that speaks (``archetype``) and whether the
    contact ever talked back (``talked_back``: the tie target→actor exists too)."""
    who = accounts.set_index("account")["archetype"]
    out = ties.copy()
    out["archetype"] = who.reindex(out["actor"]).to_numpy()
    pairs = pd.MultiIndex.from_arrays([out["actor"], out["target"]])
    reverse = pd.MultiIndex.from_arrays([out["target"], out["actor"]])
    out["talked_back"] = reverse.isin(pairs)
    return out


def contrast_sentence(frame: pd.DataFrame, column: str, words: str, unit: str = "",
                      value_format: str = ".2f") -> str:
    """One sentence with the medians of ``column`` for transactional accounts and trust builders."""
    medians = frame.groupby("archetype")[column].median()
    counts = frame.dropna(subset=[column]).groupby("archetype").size()
    parts = [f"{PLURALS[a]} ({counts.get(a, 0)} accounts): {medians.get(a, float('nan')):{value_format}}{unit}"
             for a in ("transactional", "trust_builder")]
    return f"Median {words}: " + "; ".join(parts) + "."


def tie_survival(ties: pd.DataFrame, weeks: int = 26, order=CONTRAST_ORDER) -> pd.DataFrame:
    """For each archetype (columns), the share of its ties (0-1) whose last message came at least
    k weeks after the first (rows k = 0, 1, ..., weeks): how long the attention lasts."""
    k = np.arange(weeks + 1)
    result = {}
    for archetype in order:
        days = np.sort(ties.loc[ties["archetype"] == archetype, "lifetime_days"].to_numpy())
        if len(days):
            result[archetype] = 1 - np.searchsorted(days, 7 * k, side="left") / len(days)
    frame = pd.DataFrame(result, index=pd.Index(k, name="weeks"))
    return frame


def examples(frame: pd.DataFrame, per_archetype: int = 2, order=CONTRAST_ORDER) -> list[str]:
    """A few clear, typical accounts of each archetype: those with many contacts, near the 75th
    percentile of their archetype's out_ties (enough contacts to see a pattern, not the extreme)."""
    chosen = []
    for archetype in order:
        members = frame[(frame["archetype"] == archetype) & (frame["out_ties"] > 0)]
        if members.empty:
            continue
        target = members["out_ties"].quantile(0.75)
        distance = (members["out_ties"] - target).abs()
        ranked = pd.DataFrame({"d": distance, "a": members.index}).sort_values(["d", "a"])
        chosen.extend(ranked["a"].head(per_archetype))
    return chosen


def contact_summary(account_ties: pd.DataFrame) -> dict:
    """What lesson 01's explorer says of one account, from its ties (rows of :func:`with_archetype`
    whose actor is the account): ``contacts``, the people it wrote to; ``dropped``, those who heard
    nothing more from it once :data:`DROPPED_AFTER_DAYS` had passed since its first message to them
    (the tie's lifetime is at most that); ``talked_back``, those who wrote to it at least once; and
    ``median_days``, its median tie lifetime in days (NaN when it wrote to nobody)."""
    days = account_ties["lifetime_days"].to_numpy(dtype=float)
    return {"contacts": len(days),
            "dropped": int((days <= DROPPED_AFTER_DAYS).sum()),
            "talked_back": int(account_ties["talked_back"].to_numpy(dtype=bool).sum()),
            "median_days": float(np.median(days)) if len(days) else float("nan")}
