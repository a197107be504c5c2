"""Edge cases for Part B: small tables a learner's function is tried on, made afresh from a seed.

Each :class:`Case` names one situation in words ("a table where someone replies to themselves") and
builds a small base table for it (usually the worked example with a few rows added). What the
function is given is that base *disguised* with a seed (:func:`disguise`): every account and event
gets a new name, every time moves by the same whole number of weeks, the rows come in a new order,
and, where the case allows it, a few unrelated conversations among new accounts are added. The
situation stays exactly the same, but no answer can be known in advance: a function that hard-codes
results, or that recognises a table, gets the fresh one wrong.

A learner's instant check uses a fixed seed (:data:`PRACTICE_SEED`), so it is repeatable and tries
the same situations grading does; grading uses a new seed per run.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pandas as pd

#: the seed of a learner's instant check (grading picks a new one each run)
PRACTICE_SEED = 20250303

_LETTERS = np.array(list("abcdefghijkmnpqrstuvwxyz"))


@dataclass
class Case:
    """One situation a function must handle.

    description: what the learner is told, in words; build: returns the base table, or a tuple
    (table, *args) when the function takes more arguments (an account, a second table);
    background: add unrelated conversations when disguising (see :func:`disguise`).
    """
    description: str
    build: Callable[[], Any]
    background: bool | str = False

    def base(self) -> tuple[pd.DataFrame, tuple]:
        built = self.build()
        if isinstance(built, tuple):
            return built[0], tuple(built[1:])
        return built, ()

    def fresh(self, seed: int | None) -> tuple[pd.DataFrame, tuple]:
        """The case's table and arguments, disguised with ``seed`` (None: the base itself)."""
        table, args = self.base()
        if seed is None:
            return table, args
        return disguise(table, args, seed, background=self.background)


# --------------------------------------------------------------------------- disguising


def _names(rng: np.random.Generator, count: int, prefix: str, taken: set) -> list[str]:
    """`count` new distinct names like 'pkqzt' that are not in `taken`."""
    out: list[str] = []
    while len(out) < count:
        name = prefix + "".join(rng.choice(_LETTERS, size=5))
        if name not in taken:
            taken.add(name)
            out.append(name)
    return out


def _accounts_in(table: pd.DataFrame, args: tuple) -> list[str]:
    found: set = set()
    for column in ("actor", "target", "account"):
        if column in table.columns:
            found.update(v for v in table[column].dropna().unique())
    for arg in args:
        if isinstance(arg, str):
            found.add(arg)
        elif isinstance(arg, pd.DataFrame) and "account" in arg.columns:
            found.update(arg["account"].dropna().unique())
        elif isinstance(arg, (list, tuple, set, frozenset, pd.Series, pd.Index)):
            found.update(v for v in arg if isinstance(v, str))
    return sorted(found)


def _rename_values(series: pd.Series, mapping: dict) -> pd.Series:
    return series.map(lambda v: mapping.get(v, v) if isinstance(v, str) else v).astype(series.dtype)


def _shift_times(frame: pd.DataFrame, shift: pd.Timedelta) -> pd.DataFrame:
    frame = frame.copy()
    for column in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = frame[column] + shift
    return frame


def _rename_frame(frame: pd.DataFrame, accounts: dict, events: dict) -> pd.DataFrame:
    frame = frame.copy()
    for column in ("actor", "target", "account"):
        if column in frame.columns:
            frame[column] = _rename_values(frame[column], accounts)
    for column in ("event_id", "parent_id"):
        if column in frame.columns:
            frame[column] = _rename_values(frame[column], events)
    return frame


def _rename_arg(arg, accounts: dict):
    if isinstance(arg, str):
        return accounts.get(arg, arg)
    if isinstance(arg, pd.DataFrame):
        return _rename_frame(arg, accounts, {})
    if isinstance(arg, pd.Series):
        return arg.map(lambda v: accounts.get(v, v))
    if isinstance(arg, (set, frozenset)):
        return type(arg)(accounts.get(v, v) for v in arg)
    if isinstance(arg, (list, tuple)):
        return type(arg)(accounts.get(v, v) for v in arg)
    return arg


def _background(table: pd.DataFrame, rng: np.random.Generator, taken: set, quiet: bool = False
                ) -> pd.DataFrame:
    """A few short conversations among new accounts, inside the table's time span.

    Each: a post (sometimes a question), a reply from someone else a few hours later, sometimes a
    reply back and a DM. ``quiet``: nothing in them asks or sells. Columns beyond the interaction
    table's take a value per new account from the values the table already has (e.g. an
    archetype) or False for flags.
    """
    threads = int(rng.integers(2, 5))
    people = _names(rng, 2 * threads + 1, "", taken)
    start = table["timestamp"].min() if len(table) else pd.Timestamp("2025-03-03", tz="UTC")
    span = max((table["timestamp"].max() - start).total_seconds(), 3 * 86400) if len(table) else 3 * 86400
    rows = []
    serial = iter(_names(rng, 8 * threads, "e", taken))
    for i in range(threads):
        a, b = people[2 * i], people[2 * i + 1]
        t0 = start + pd.Timedelta(seconds=int(rng.uniform(0, span)))
        post = next(serial)
        rows.append(dict(event_id=post, timestamp=t0, actor=a, target=None, kind="post", parent_id=None,
                         is_question=bool(rng.random() < 0.5), is_promotional=bool(rng.random() < 0.3)))
        reply = next(serial)
        t1 = t0 + pd.Timedelta(minutes=int(rng.uniform(30, 3600)))
        rows.append(dict(event_id=reply, timestamp=t1, actor=b, target=a, kind="reply", parent_id=post,
                         is_question=bool(rng.random() < 0.3), is_promotional=False))
        if rng.random() < 0.6:
            rows.append(dict(event_id=next(serial), timestamp=t1 + pd.Timedelta(minutes=int(rng.uniform(5, 1800))),
                             actor=a, target=b, kind="reply", parent_id=reply,
                             is_question=False, is_promotional=False))
        if rng.random() < 0.4:
            rows.append(dict(event_id=next(serial), timestamp=t0 + pd.Timedelta(hours=int(rng.uniform(24, 240))),
                             actor=people[-1], target=a, kind="dm", parent_id=None,
                             is_question=bool(rng.random() < 0.5), is_promotional=bool(rng.random() < 0.5)))
    extra = pd.DataFrame(rows)
    if quiet:
        extra["is_question"] = False
        extra["is_promotional"] = False
    extra["timestamp"] = extra["timestamp"].astype(table["timestamp"].dtype)
    for column in table.columns:
        if column in extra.columns:
            continue
        if pd.api.types.is_bool_dtype(table[column]):
            extra[column] = False
        else:
            values = table[column].dropna().unique()
            per_actor = {p: (values[int(rng.integers(len(values)))] if len(values) else None)
                         for p in extra["actor"].unique()}
            extra[column] = extra["actor"].map(per_actor)
    return extra


def disguise(table: pd.DataFrame, args: tuple, seed: int, background: bool | str = False
             ) -> tuple[pd.DataFrame, tuple]:
    """The same situation under new names and times (see the module docstring).

    ``background``: False (none), True (a few unrelated conversations among new accounts) or
    "quiet" (the same, with no questions or promotions in them). Only a case whose situation stays
    the same with unrelated conversations beside it asks for them.
    """
    from trustcircles.data import as_interactions

    rng = np.random.default_rng(seed)
    taken: set = set()
    old_accounts = _accounts_in(table, args)
    accounts = dict(zip(old_accounts, _names(rng, len(old_accounts), "", taken)))
    ids = set(table["event_id"].dropna()) if "event_id" in table.columns else set()
    if "parent_id" in table.columns:
        ids |= set(table["parent_id"].dropna())
    ids = sorted(ids)
    events = dict(zip(ids, _names(rng, len(ids), "e", taken)))
    shift = pd.Timedelta(weeks=int(rng.integers(-30, 30)))
    out = _shift_times(_rename_frame(table, accounts, events), shift)
    interactions = {"event_id", "timestamp", "actor", "target", "kind", "parent_id", "is_question",
                    "is_promotional"} <= set(out.columns)
    if background and interactions:
        extra = _background(out, rng, taken, quiet=background == "quiet")
        out = pd.concat([out, extra[[c for c in out.columns if c in extra.columns]]], ignore_index=True)
    out = out.iloc[rng.permutation(len(out))].reset_index(drop=True)
    if interactions:
        out = as_interactions(out)
    new_args = tuple(_shift_times(a, shift) if isinstance(a, pd.DataFrame) else a
                     for a in (_rename_arg(arg, accounts) for arg in args))
    return out, new_args
