"""The trust metrics of the course: every definition of METRICS.md, computed from an interactions table.

Each function takes the interactions table (as :func:`trustcircles.data.load_interactions` returns
it) and answers one question about trust, in the course's vocabulary. The lessons, the exercises and
the report all call these functions, so a number means the same everywhere.

Words used throughout (from METRICS.md):

* *conversational* events are ``reply``, ``mention`` and ``dm``: someone speaks to someone.
  *Authored* events are posts plus the conversational kinds. Likes and shares are attention, not
  conversation: they make no tie.
* a *self-interaction* (actor = target, e.g. replying to yourself) counts for nothing except the
  ``events`` counts, the list of accounts and the time window.
* a *tie* a→b exists when a (not b) spoke to b at least once in a conversational event.
  a→b and b→a are two different ties; when both exist, a and b are *mutuals*.
* a *month* is 30.44 days; rates "per month" are averages over the whole table's time span.

All functions are deterministic: rows come out sorted (accounts alphabetically, events by time then
``event_id``). Missing values (a rate with nothing to divide by) are ``NaN``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from trustcircles.data import (AUTHORED_KINDS, CONVERSATIONAL_KINDS, FLAG_COLUMNS, KINDS,
                               REQUIRED_COLUMNS, TableError, as_interactions)

#: Days in the course's "month" (the mean length of a Gregorian month).
DAYS_PER_MONTH = 30.44
#: A question counts as answered if a reply comes within this many hours (both ends included).
ANSWER_WINDOW_HOURS = 48
#: Default circle thresholds in conversational events per month (both directions together).
INNER_CIRCLE_RATE = 4.0   # about weekly
CLOSE_CIRCLE_RATE = 1.0   # about monthly

#: The 14 per-account keys of the report, in the order of METRICS.md.
ACCOUNT_KEYS = ("events", "out_ties", "in_ties", "mutuals", "reciprocity", "broadcast_ratio",
                "promotional_share", "answer_rate", "median_response_hours", "median_tie_days",
                "opened_by_listening", "circle_inner", "circle_close", "circle_active")
#: The per-account keys that are counts (integers); the others are rates or durations (floats).
COUNT_KEYS = ("events", "out_ties", "in_ties", "mutuals", "circle_inner", "circle_close",
              "circle_active")
#: The 6 whole-table keys of the report, in the order of METRICS.md.
GLOBAL_KEYS = ("events", "accounts", "ties", "reciprocity", "questions", "questions_answered_rate")

_KIND_CODE = {kind: code for code, kind in enumerate(KINDS)}
_CONVERSATIONAL_CODES = np.array([_KIND_CODE[k] for k in CONVERSATIONAL_KINDS])
_AUTHORED_CODES = np.array([_KIND_CODE[k] for k in AUTHORED_KINDS])
#: Indexed by kind code + 1 (code -1: not a kind): is the kind conversational, authored?
_IS_CONVERSATIONAL = np.isin(np.arange(-1, len(KINDS)), _CONVERSATIONAL_CODES)
_IS_AUTHORED = np.isin(np.arange(-1, len(KINDS)), _AUTHORED_CODES)
_TICKS_PER_SECOND = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}


# --------------------------------------------------------------------------- preparing a table

def _is_typed(table: pd.DataFrame) -> bool:
    """True if the table already has the types load_interactions gives (so needs no re-checking)."""
    if any(column not in table.columns for column in REQUIRED_COLUMNS):
        return False
    stamps = table["timestamp"]
    return (isinstance(stamps.dtype, pd.DatetimeTZDtype)
            and all(pd.api.types.is_bool_dtype(table[c]) for c in FLAG_COLUMNS)
            and not table["actor"].isna().any())


def _check_table(table) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise TableError("the metrics", f"expected an interactions table (a pandas DataFrame), "
                         f"got {type(table).__name__}.",
                         "pass the table itself, e.g. metrics.ties(load_interactions('community')).")
    return table if _is_typed(table) else as_interactions(table)


@dataclass(frozen=True, eq=False)
class Prepared:
    """The table as numpy arrays with accounts as integer codes, plus derived pieces computed once.

    Account codes follow the sorted account names, so sorting by code sorts by name. Every function
    here takes a Prepared table as well as a plain one: prepare a table once (:func:`prepare`) to
    compute several metrics of it without checking and encoding it again each time.
    ``ties`` and ``questions`` are :func:`ties` and :func:`questions` with the account codes as
    extra columns (``_actor``, ``_target``; ``_mutual`` for ties).
    """

    table: pd.DataFrame
    accounts: pd.Index          # sorted account names
    actor: np.ndarray           # account code of each event's actor
    target: np.ndarray          # account code of the target, -1 where there is none
    kind: np.ndarray            # index into KINDS
    ticks: np.ndarray           # timestamp as integer ticks since 1970 (unit below)
    ticks_per_second: int

    @property
    def n_accounts(self) -> int:
        return len(self.accounts)

    @cached_property
    def not_self(self) -> np.ndarray:
        """Events that are not self-interactions (only these count in the metrics)."""
        return self.actor != self.target

    @cached_property
    def conversational(self) -> np.ndarray:
        """Conversational events between two different accounts: the events that make ties."""
        return _IS_CONVERSATIONAL[self.kind + 1] & self.not_self

    @cached_property
    def authored(self) -> np.ndarray:
        """Posts and conversational events, self-interactions left out."""
        return _IS_AUTHORED[self.kind + 1] & self.not_self

    @cached_property
    def window_days(self) -> float:
        if len(self.ticks) == 0:
            return 0.0
        return float(self.ticks.max() - self.ticks.min()) / (self.ticks_per_second * 86400)

    @cached_property
    def months(self) -> float:
        return max(self.window_days, 1.0) / DAYS_PER_MONTH

    @cached_property
    def ids_ascending(self) -> bool:
        """True if the event_ids rise (as text) from row to row: then row order is event_id order."""
        ids = _as_arrow(self.table["event_id"])
        if ids is None or len(ids) < 2 or ids.null_count:
            return False
        import pyarrow.compute as pc
        return bool(pc.all(pc.less(ids[:-1], ids[1:])).as_py())

    @cached_property
    def tie_core(self) -> dict:
        """The ties as numpy arrays (codes, counts, first and last rows): what the metrics need."""
        return _compute_tie_core(self)

    @cached_property
    def ties(self) -> pd.DataFrame:
        return _ties_frame(self)

    @cached_property
    def question_core(self) -> dict:
        """The questions as numpy arrays (rows, target codes, answers): what the metrics need."""
        return _compute_question_core(self)

    @cached_property
    def questions(self) -> pd.DataFrame:
        return _questions_frame(self)


def _as_arrow(values: pd.Series):
    """The pyarrow array behind a pandas ``str`` column (None for other storage: the callers then
    take the general, slower pandas path)."""
    dtype = values.dtype
    if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"):
        return None
    import pyarrow as pa
    return pa.array(values.array)


def prepare(table) -> Prepared:
    """The table checked (as :func:`trustcircles.data.as_interactions` checks it) and encoded once
    for the metrics; a Prepared table is returned as it is."""
    if isinstance(table, Prepared):
        return table
    table = _check_table(table)
    target = table["target"]
    if target.dtype == object or pd.api.types.is_string_dtype(target):
        target = target.mask(target == "")
    both = pd.concat([table["actor"], target], ignore_index=True)
    codes, accounts = pd.factorize(both, sort=True)
    n = len(table)
    stamps = table["timestamp"].dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()
    unit = np.datetime_data(stamps.dtype)[0]
    if unit not in _TICKS_PER_SECOND:  # e.g. minute resolution: bring it to seconds
        stamps, unit = stamps.astype("datetime64[s]"), "s"
    kind_text = _as_arrow(table["kind"])
    if kind_text is not None:  # quicker than a Categorical for arrow-backed text
        import pyarrow as pa
        import pyarrow.compute as pc
        kind = np.asarray(pc.index_in(kind_text, value_set=pa.array(KINDS)).fill_null(-1)
                          .to_numpy(), dtype=np.int64)
    else:
        kind = pd.Categorical(table["kind"], categories=KINDS).codes.astype(np.int64)
    return Prepared(table=table, accounts=pd.Index(accounts, name="account"),
                     actor=codes[:n].astype(np.int64), target=codes[n:].astype(np.int64),
                     kind=kind, ticks=stamps.view(np.int64),
                     ticks_per_second=_TICKS_PER_SECOND[unit])


def _by_account(p: Prepared, values, name: str) -> pd.Series:
    """A per-account Series (all accounts, sorted) from an array indexed by account code."""
    return pd.Series(values, index=p.accounts.copy(), name=name)


def _group_mean(p: Prepared, codes: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Mean of values per account code; NaN for accounts with no values."""
    count = np.bincount(codes, minlength=p.n_accounts)
    total = np.bincount(codes, weights=values.astype(float), minlength=p.n_accounts)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _group_median(p: Prepared, codes: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Median of values per account code (mean of the two middle ones for an even count); NaN if none."""
    result = np.full(p.n_accounts, np.nan)
    if len(codes):
        medians = pd.Series(values, dtype=float).groupby(codes).median()
        result[medians.index.to_numpy()] = medians.to_numpy()
    return result


# --------------------------------------------------------------------------- ties

def _compute_tie_core(p: Prepared) -> dict:
    n = p.n_accounts
    rows = np.flatnonzero(p.conversational)
    pair = p.actor[rows] * n + p.target[rows]
    # Order the events of each tie by timestamp, then event_id as text (METRICS.md). Both sorts are
    # stable, so events at the same instant stay in row order, which is event_id order when the ids
    # rise row by row. Otherwise rank the event_ids, but only of events of one tie at the same
    # instant (ranking all of them is slow).
    ticks = p.ticks[rows]
    if (ticks[1:] >= ticks[:-1]).all():  # rows in time order (most tables): sort on the tie alone
        order = _stable_order_of_pairs(p.actor[rows], p.target[rows], pair, n)
    else:
        order = np.lexsort((ticks, pair))
    same = (np.zeros(1, bool) if p.ids_ascending else
            np.r_[False, (pair[order][1:] == pair[order][:-1])
                  & (ticks[order][1:] == ticks[order][:-1])])
    if same.any():
        tied = np.zeros(len(rows), bool)
        tied[order[same]] = True
        tied[order[np.flatnonzero(same) - 1]] = True
        id_rank = np.zeros(len(rows), np.int64)
        id_rank[tied] = pd.factorize(p.table["event_id"].iloc[rows[tied]], sort=True)[0]
        order = np.lexsort((id_rank, p.ticks[rows], pair))
    rows, pair = rows[order], pair[order]
    # Each run of equal pair keys is one tie; its first row is its first event, its last the last.
    starts = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]]) if len(pair) else np.zeros(0, np.int64)
    lasts = np.r_[starts[1:], len(pair)].astype(np.int64) - 1 if len(pair) else starts
    first_rows, last_rows = rows[starts], rows[lasts]
    tie_pair = pair[starts]
    actor, target = (tie_pair // n, tie_pair % n) if n else (tie_pair, tie_pair)
    # The tie b->a, if it exists, sits where the reversed key would be in the sorted tie keys.
    reverse = target * n + actor
    where = np.minimum(np.searchsorted(tie_pair, reverse), max(len(tie_pair) - 1, 0))
    mutual = tie_pair[where] == reverse if len(tie_pair) else np.zeros(0, bool)
    events = (lasts - starts + 1).astype(np.int64)
    reverse_events = np.where(mutual, events[where], 0) if len(events) else events
    return {"actor": actor, "target": target, "events": events, "first_rows": first_rows,
            "last_rows": last_rows,
            "lifetime_days": (p.ticks[last_rows] - p.ticks[first_rows]) / (p.ticks_per_second * 86400),
            "first_kind": p.kind[first_rows], "mutual": mutual, "reverse_events": reverse_events}


def _stable_order_of_pairs(actor: np.ndarray, target: np.ndarray, pair: np.ndarray,
                           n: int) -> np.ndarray:
    """The stable sort order of the events by tie (actor, then target; ``pair`` = actor * n + target).
    With fewer than 65,536 accounts the codes fit in 16 bits, and two stable passes of numpy's radix
    sort (target, then actor) give the same order about twice as fast as one sort of ``pair``."""
    if n > 1 << 16:
        return np.argsort(pair, kind="stable")
    order = np.argsort(target.astype(np.uint16), kind="stable")
    return order[np.argsort(actor[order].astype(np.uint16), kind="stable")]


def _ties_frame(p: Prepared) -> pd.DataFrame:
    t = p.tie_core
    return pd.DataFrame({
        "actor": pd.array(p.accounts.to_numpy()[t["actor"]], dtype="str"),
        "target": pd.array(p.accounts.to_numpy()[t["target"]], dtype="str"),
        "events": t["events"],
        "first_time": p.table["timestamp"].iloc[t["first_rows"]].array,
        "last_time": p.table["timestamp"].iloc[t["last_rows"]].array,
        "lifetime_days": t["lifetime_days"],
        "first_kind": pd.array(np.asarray(KINDS, dtype=object)[t["first_kind"]], dtype="str"),
        # Internal columns (dropped by the public ties()): codes, and the reverse tie's facts.
        "_actor": t["actor"], "_target": t["target"], "_mutual": t["mutual"],
        "_reverse_events": t["reverse_events"],
    })


def ties(table) -> pd.DataFrame:
    """Every tie a→b: who spoke to whom in conversation, and for how long.

    Course idea: conversation, not broadcast. A tie is the smallest unit of a relationship: a (not b)
    replied to, mentioned or messaged b at least once. Likes and shares make no tie.

    One row per tie, sorted by actor then target, with columns:

    * ``actor``, ``target``: the tie a→b;
    * ``events``: how many conversational events a addressed to b;
    * ``first_time``, ``last_time``: the first and last of them (UTC);
    * ``lifetime_days`` = (last_time − first_time) in days (0 for a single event);
    * ``first_kind``: the kind of the first a→b event (``reply`` means a first spoke to b by
      answering b), the events ordered by timestamp, then by event_id compared as text.
    """
    frame = prepare(table).ties
    return frame.drop(columns=[c for c in frame.columns if c.startswith("_")])


def global_reciprocity(table) -> float:
    """When someone talks to someone, how often does the other talk back? (whole table)

    Course idea: trust relationships are two-way; transactional attention is one-way.
    Formula: (ties a→b for which b→a is also a tie) / (all ties). NaN when there are no ties.
    This is what ``networkx.reciprocity`` gives for the directed graph of ties.
    """
    return _global_reciprocity(prepare(table))


def _global_reciprocity(p: Prepared) -> float:
    mutual = p.tie_core["mutual"]
    return float(mutual.mean()) if len(mutual) else float("nan")


def out_ties(table) -> pd.Series:
    """How many people each account speaks to: the number of ties a→b leaving a."""
    return _out_ties(prepare(table))


def _out_ties(p: Prepared) -> pd.Series:
    return _by_account(p, np.bincount(p.tie_core["actor"], minlength=p.n_accounts), "out_ties")


def in_ties(table) -> pd.Series:
    """How many people speak to each account: the number of ties b→a reaching a."""
    return _in_ties(prepare(table))


def _in_ties(p: Prepared) -> pd.Series:
    return _by_account(p, np.bincount(p.tie_core["target"], minlength=p.n_accounts), "in_ties")


def mutuals(table) -> pd.Series:
    """How many mutuals each account has: accounts b with both a→b and b→a ties.

    Course idea: community, not audience. An audience listens; mutuals talk back and forth.
    """
    return _mutuals(prepare(table))


def _mutuals(p: Prepared) -> pd.Series:
    ties_ = p.tie_core
    counts = np.bincount(ties_["actor"], weights=ties_["mutual"].astype(float),
                         minlength=p.n_accounts)
    return _by_account(p, counts.astype(np.int64), "mutuals")


def reciprocity_by_account(table) -> pd.Series:
    """Of the people an account talks to, the share who talk back.

    Course idea: care, not follow-backs; attention that is returned.
    Formula: reciprocity(a) = mutuals(a) / out_ties(a). NaN if a talks to nobody.
    """
    return _reciprocity_by_account(prepare(table))


def _reciprocity_by_account(p: Prepared) -> pd.Series:
    ties_ = p.tie_core
    return _by_account(p, _group_mean(p, ties_["actor"], ties_["mutual"]),
                       "reciprocity")


def median_tie_days(table) -> pd.Series:
    """How long an account's relationships last: the median lifetime of its out-ties, in days.

    Course idea: trust lasts; transactional attention vanishes once the sale is off.
    Formula: for each tie a→b, days from the first to the last a→b conversational event (0 for a
    single event); the median over a's out-ties. NaN if a has no out-ties.
    """
    return _median_tie_days(prepare(table))


def _median_tie_days(p: Prepared) -> pd.Series:
    ties_ = p.tie_core
    return _by_account(p, _group_median(p, ties_["actor"], ties_["lifetime_days"]), "median_tie_days")


def opened_by_listening(table) -> pd.Series:
    """How often an account first spoke to someone by answering them, not with a cold pitch.

    Course idea: listen before you speak.
    Formula: (out-ties a→b whose first a→b conversational event is a ``reply``) / out_ties(a); the
    events of a tie ordered by timestamp, then event_id as text. NaN if a has no out-ties.
    """
    return _opened_by_listening(prepare(table))


def _opened_by_listening(p: Prepared) -> pd.Series:
    ties_ = p.tie_core
    opened = ties_["first_kind"] == _KIND_CODE["reply"]
    return _by_account(p, _group_mean(p, ties_["actor"], opened), "opened_by_listening")


# --------------------------------------------------------------------------- what accounts write

def events_by_account(table) -> pd.Series:
    """How many rows each account is the actor of (every kind, self-interactions included)."""
    return _events_by_account(prepare(table))


def _events_by_account(p: Prepared) -> pd.Series:
    return _by_account(p, np.bincount(p.actor, minlength=p.n_accounts).astype(np.int64), "events")


def broadcast_ratio(table) -> pd.Series:
    """How much of what an account writes is broadcast (posts to nobody in particular).

    Course idea: conversation over broadcast.
    Formula: a's posts / a's authored events (posts, replies, mentions, DMs; self-interactions
    left out). NaN if a authored nothing.
    """
    return _broadcast_ratio(prepare(table))


def _broadcast_ratio(p: Prepared) -> pd.Series:
    rows = p.authored
    is_post = p.kind[rows] == _KIND_CODE["post"]
    return _by_account(p, _group_mean(p, p.actor[rows], is_post), "broadcast_ratio")


def promotional_share(table) -> pd.Series:
    """How much of what an account writes sells or promotes something.

    Course idea: engagement over self-promotion.
    Formula: a's authored events with ``is_promotional`` / a's authored events. NaN if none.
    """
    return _promotional_share(prepare(table))


def _promotional_share(p: Prepared) -> pd.Series:
    rows = p.authored
    promo = p.table["is_promotional"].to_numpy(dtype=bool)[rows]
    return _by_account(p, _group_mean(p, p.actor[rows], promo), "promotional_share")


# --------------------------------------------------------------------------- questions

def _compute_question_core(p: Prepared) -> dict:
    is_question = p.table["is_question"].to_numpy(dtype=bool)
    q_rows = np.flatnonzero(p.authored & is_question)
    event_ids = p.table["event_id"]
    # Order questions by time, then event_id as text, so the output is deterministic (row order
    # is event_id order when the ids rise row by row; a stable sort keeps it).
    if p.ids_ascending:
        q_rows = q_rows[np.argsort(p.ticks[q_rows], kind="stable")]
    else:
        id_rank = pd.factorize(event_ids.iloc[q_rows], sort=True)[0]
        q_rows = q_rows[np.lexsort((id_rank, p.ticks[q_rows]))]
    # Candidate answers: replies (not to oneself) whose parent is one of the questions.
    reply_rows = np.flatnonzero((p.kind == _KIND_CODE["reply"]) & p.not_self)
    q_pos = _positions_of_parents(p, reply_rows, q_rows)
    found = q_pos >= 0
    reply_rows, q_pos = reply_rows[found], q_pos[found]
    delay = p.ticks[reply_rows] - p.ticks[q_rows[q_pos]]
    limit = ANSWER_WINDOW_HOURS * 3600 * p.ticks_per_second
    answers = (p.actor[reply_rows] != p.actor[q_rows[q_pos]]) & (delay >= 0) & (delay <= limit)
    q_pos, delay, reply_rows = q_pos[answers], delay[answers], reply_rows[answers]
    ticks_per_hour = 3600 * p.ticks_per_second

    def earliest(positions, delays):
        hours = np.full(len(q_rows), np.nan)
        if len(positions):
            first = pd.Series(delays).groupby(positions).min()
            hours[first.index.to_numpy()] = first.to_numpy() / ticks_per_hour
        return hours

    first_answer = earliest(q_pos, delay)
    by_target = p.actor[reply_rows] == p.target[q_rows[q_pos]]
    target_answer = earliest(q_pos[by_target], delay[by_target])
    return {"rows": q_rows, "target": p.target[q_rows], "answered": ~np.isnan(first_answer),
            "first_answer_hours": first_answer, "answered_by_target": ~np.isnan(target_answer),
            "target_response_hours": target_answer}


def _positions_of_parents(p: Prepared, reply_rows: np.ndarray, q_rows: np.ndarray) -> np.ndarray:
    """For each reply row, the position in q_rows of the event its parent_id names; -1 if none."""
    ids, parents = _as_arrow(p.table["event_id"]), _as_arrow(p.table["parent_id"])
    if ids is not None and parents is not None:  # a pyarrow hash lookup: quicker than pandas'
        import pyarrow as pa
        import pyarrow.compute as pc
        questions_ = ids.take(pa.array(q_rows))
        if isinstance(questions_, pa.ChunkedArray):
            questions_ = questions_.combine_chunks()
        found = pc.index_in(parents.take(pa.array(reply_rows)), value_set=questions_)
        return np.asarray(found.fill_null(-1).to_numpy(), dtype=np.int64)
    question_index = pd.Index(p.table["event_id"].iloc[q_rows])
    return question_index.get_indexer(p.table["parent_id"].iloc[reply_rows])


def _questions_frame(p: Prepared) -> pd.DataFrame:
    q = p.question_core
    q_rows = q["rows"]
    table = p.table
    return pd.DataFrame({
        "event_id": table["event_id"].iloc[q_rows].array,
        "timestamp": table["timestamp"].iloc[q_rows].array,
        "actor": table["actor"].iloc[q_rows].array,
        "target": pd.array(np.where(q["target"] >= 0,
                                    p.accounts.to_numpy()[np.maximum(q["target"], 0)]
                                    if p.n_accounts else np.zeros(0, object), None), dtype="str"),
        "kind": pd.array(np.asarray(KINDS, dtype=object)[p.kind[q_rows]], dtype="str"),
        "answered": q["answered"],
        "first_answer_hours": q["first_answer_hours"],
        "answered_by_target": q["answered_by_target"],
        "target_response_hours": q["target_response_hours"],
        "_target": q["target"],
    })


def questions(table) -> pd.DataFrame:
    """Every question, and whether and how fast it was answered.

    Course idea: every question gets an answer; newcomers whose questions meet silence leave.
    A question is an authored event with ``is_question`` true (self-interactions left out). It is
    *answered* when someone other than the asker replies to it (``reply`` with ``parent_id`` = the
    question) within 48 hours, both ends included. Only replies answer; a DM does not.

    One row per question, sorted by timestamp then event_id, with columns ``event_id``,
    ``timestamp``, ``actor``, ``target`` (missing for a question post), ``kind``, ``answered``
    (by anyone), ``first_answer_hours`` (hours to the earliest answer, NaN if none),
    ``answered_by_target`` (the account the question was put to answered it) and
    ``target_response_hours`` (hours to that account's earliest answer, NaN if none).
    """
    return prepare(table).questions.drop(columns=["_target"])


def _questions_answered_rate(p: Prepared) -> float:
    answered = p.question_core["answered"]
    return float(answered.mean()) if len(answered) else float("nan")


def questions_answered_rate(table) -> float:
    """Did anyone answer? The share of all questions answered within 48 hours by anyone.

    Course idea: a place where every question gets an answer.
    Formula: answered questions / questions. NaN if there are no questions.
    """
    return _questions_answered_rate(prepare(table))


def answer_rate(table) -> pd.Series:
    """Of the questions put to an account, the share it answered itself within 48 hours.

    Course idea: every question gets an answer, and you answer the ones put to you.
    Formula: over questions whose ``target`` is a (question posts have no target and never count),
    (those a replied to within 48 hours) / (all of them). NaN if no question targeted a.
    Not the same as questions_answered_rate, which accepts anyone's answer.
    """
    return _answer_rate(prepare(table))


def _answer_rate(p: Prepared) -> pd.Series:
    q = p.question_core
    put = q["target"] >= 0
    return _by_account(p, _group_mean(p, q["target"][put], q["answered_by_target"][put]),
                       "answer_rate")


def median_response_hours(table) -> pd.Series:
    """How fast an account answers the questions put to it: the median hours to its answer.

    Course idea: every question gets an answer, and soon.
    Formula: over the questions targeting a that a answered (within 48 hours), the hours from the
    question to a's earliest reply; the median of those. NaN if none.
    """
    return _median_response_hours(prepare(table))


def _median_response_hours(p: Prepared) -> pd.Series:
    q = p.question_core
    answered = q["answered_by_target"]
    return _by_account(p, _group_median(p, q["target"][answered], q["target_response_hours"][answered]),
                       "median_response_hours")


# --------------------------------------------------------------------------- time and circles

def window_days(table) -> float:
    """The span of the table: (latest − earliest timestamp) in days; 0 for an empty table."""
    return prepare(table).window_days


def months(table) -> float:
    """The span of the table in months: max(window_days, 1) / 30.44 (a short table counts as 1 day)."""
    return prepare(table).months


def contact_rates(table) -> pd.DataFrame:
    """How often each pair of accounts talk, per month, both directions together.

    Course idea: closeness is frequent, two-way conversation.
    One row per unordered pair (``a`` < ``b``) that had at least one conversational event, with
    ``events_between`` (conversational events a→b plus b→a) and
    ``contact_rate`` = events_between / months (the average per month over the table's span).
    """
    p = prepare(table)
    n = p.n_accounts
    rows = p.conversational
    low = np.minimum(p.actor[rows], p.target[rows])
    high = np.maximum(p.actor[rows], p.target[rows])
    keys, counts = np.unique(low * n + high, return_counts=True)
    names = p.accounts.to_numpy()
    return pd.DataFrame({
        "a": pd.array(names[keys // n] if n else names[:0], dtype="str"),
        "b": pd.array(names[keys % n] if n else names[:0], dtype="str"),
        "events_between": counts.astype(np.int64),
        "contact_rate": _contact_rate(counts, p.months),
    })


def _contact_rate(events_between: np.ndarray, months_: float) -> np.ndarray:
    """contact_rate = conversational events between two accounts / months."""
    return np.asarray(events_between, dtype=float) / months_


def circles(table, inner: float = INNER_CIRCLE_RATE, close: float = CLOSE_CIRCLE_RATE) -> pd.DataFrame:
    """Each account's circles of trust: nested layers of mutuals by how often they talk.

    Course idea: circles of trust, nested layers of closeness (Dunbar's 5, 15, 50, 150).
    Counting only mutuals b of a (a→b and b→a both ties), with contact_rate(a, b) the conversational
    events between them per month:

    * ``circle_inner``: mutuals with contact_rate ≥ ``inner`` (default 4: about weekly);
    * ``circle_close``: mutuals with contact_rate ≥ ``close`` (default 1: about monthly);
    * ``circle_active``: all mutuals.

    With inner ≥ close the circles nest: circle_inner ≤ circle_close ≤ circle_active = mutuals.
    """
    return _circles(prepare(table), inner, close)


def _circles(p: Prepared, inner: float, close: float) -> pd.DataFrame:
    ties_ = p.tie_core
    mutual = ties_["mutual"]
    actor = ties_["actor"][mutual]
    rate = _contact_rate(ties_["events"][mutual] + ties_["reverse_events"][mutual], p.months)
    count = lambda keep: np.bincount(actor[keep], minlength=p.n_accounts).astype(np.int64)  # noqa: E731
    return pd.DataFrame({"circle_inner": count(rate >= inner), "circle_close": count(rate >= close),
                         "circle_active": count(np.ones(len(actor), bool))},
                        index=p.accounts.copy())


# --------------------------------------------------------------------------- all together

def account_metrics(table) -> pd.DataFrame:
    """All 14 per-account metrics of the report, one row per account (sorted), in METRICS.md order.

    Counts are integers; rates and durations are floats, NaN where METRICS.md says "missing".
    """
    return _account_metrics(prepare(table))


def _account_metrics(p: Prepared) -> pd.DataFrame:
    frame = pd.concat([
        _events_by_account(p), _out_ties(p), _in_ties(p), _mutuals(p), _reciprocity_by_account(p),
        _broadcast_ratio(p), _promotional_share(p), _answer_rate(p), _median_response_hours(p),
        _median_tie_days(p), _opened_by_listening(p),
        _circles(p, INNER_CIRCLE_RATE, CLOSE_CIRCLE_RATE)], axis=1)
    frame.index.name = "account"
    return frame[list(ACCOUNT_KEYS)]


def global_metrics(table) -> dict:
    """The six whole-table figures of the report: events, accounts, ties, reciprocity, questions,
    questions_answered_rate (NaN where missing)."""
    return _global_metrics(prepare(table))


def _global_metrics(p: Prepared) -> dict:
    return {"events": int(len(p.table)), "accounts": int(p.n_accounts), "ties": int(len(p.tie_core["actor"])),
            "reciprocity": _global_reciprocity(p), "questions": int(len(p.question_core["rows"])),
            "questions_answered_rate": _questions_answered_rate(p)}


def _missing_to_none(value):
    return None if isinstance(value, float) and np.isnan(value) else value


def report(table, account: str | None = None, frame: pd.DataFrame | None = None) -> dict:
    """The report of METRICS.md as a plain dict (what ``report --format json`` prints).

    ``{"window_days": ..., "global": {6 keys}, "accounts": {account: {14 keys}}}``, with ``None``
    for missing values, Python ints for counts and unrounded floats. With ``account``, only that
    account is listed under "accounts" (window_days and "global" still describe the whole table).
    ``frame``: :func:`account_metrics` of the same table, if the caller has it (so nothing is
    computed twice).
    """
    p = prepare(table)
    names, columns, glob = _report_columns(p, account, frame)
    accounts = {name: dict(zip(ACCOUNT_KEYS, row)) for name, row in zip(names, zip(*columns))}
    return {"window_days": p.window_days, "global": glob, "accounts": accounts}


def _report_columns(p: Prepared, account: str | None = None,
                    frame: pd.DataFrame | None = None) -> tuple[list, list, dict]:
    """The report's pieces as plain Python values: the account names, one list per key of
    ACCOUNT_KEYS (ints for counts, floats or None), and the global dict. ``frame`` is
    account_metrics(p) if the caller already has it (so nothing is computed twice)."""
    names, arrays, glob = report_arrays(p, account, frame)
    columns = []
    for values in arrays:
        if values.dtype.kind == "f":
            as_objects = values.astype(object)
            as_objects[np.isnan(values)] = None
            values = as_objects
        columns.append(values.tolist())
    return names, columns, glob


def report_arrays(table, account: str | None = None,
                  frame: pd.DataFrame | None = None) -> tuple[list, list[np.ndarray], dict]:
    """The report's pieces, for writing it quickly: the account names, one numpy array per key of
    ACCOUNT_KEYS (int64 for counts, float64 with NaN for missing for the rest) and the global dict
    (None for missing). ``frame``: :func:`account_metrics` of the table, if the caller has it."""
    p = prepare(table)
    if account is not None and account not in p.accounts:
        raise UnknownAccountError(account, p.accounts)
    if frame is None:
        frame = _account_metrics(p)
    if account is not None:
        frame = frame.loc[[account]]
    names = frame.index.tolist()
    arrays = [frame[key].to_numpy().astype(np.int64 if key in COUNT_KEYS else np.float64)
              for key in ACCOUNT_KEYS]
    glob = {key: _missing_to_none(value) for key, value in _global_metrics(p).items()}
    return names, arrays, glob


class UnknownAccountError(TableError):
    """An account ID that does not occur in the table."""

    def __init__(self, account: str, accounts: pd.Index):
        wanted = str(account).lower()
        close = [a for a in accounts[:5000]
                 if wanted in str(a).lower() or str(a).lower() in wanted][:5]
        hint = f" Similar IDs: {', '.join(close)}." if close else ""
        super().__init__(f"account {account!r}", "no event in the table has this account as actor "
                         f"or target ({len(accounts):,} accounts in the table).{hint}",
                         "list the account IDs with `python -m trustcircles report PATH --format "
                         "json` (the keys of \"accounts\") or, in Python, "
                         "metrics.account_metrics(table).index.")


def ego_density(table, account: str) -> float:
    """How well an account's contacts know each other: the density of its ego network without it.

    Course idea: community, not audience. In a community the people you talk with also talk with
    each other; an audience is a star of strangers connected only through you.
    Take the undirected tie graph (a—b if a→b or b→a is a tie). The account's neighbours are the
    accounts it shares a tie with. Result: the density of the graph induced on those neighbours
    (what ``networkx.density`` gives for it; tests/test_metrics.py checks), leaving the account
    itself out (with it in, every neighbour would be linked to it and the density would say more
    about its size than its community): density = links among the neighbours / (k(k−1)/2) for k
    neighbours. NaN with fewer than 2 neighbours.
    """
    # Counted with numpy: importing networkx for one density made lesson 05's kernel ~10 MiB larger.
    p = prepare(table)
    if account not in p.accounts:
        raise UnknownAccountError(account, p.accounts)
    code = p.accounts.get_loc(account)
    ties_ = p.tie_core
    actor, target = ties_["actor"], ties_["target"]
    neighbours = np.union1d(target[actor == code], actor[target == code])
    if len(neighbours) < 2:
        return float("nan")
    among = np.isin(actor, neighbours) & np.isin(target, neighbours)
    # each undirected link once, however many ties (a→b, b→a) make it
    links = len(np.unique(np.minimum(actor[among], target[among]) * p.n_accounts
                          + np.maximum(actor[among], target[among])))
    k = len(neighbours)
    return float(links / (k * (k - 1)) * 2) if links else 0.0
