"""Lesson 11, Voice and democracy: who gets to speak, who is heard, and what stated norms change.

*Creating our own circle of trust in Social Media* ends its norms with "from dictatorship to
democracy": personal, one-to-one messages instead of imperative ones from a single voice, and every
member contributing; and it opens them with free membership under shared rules. This module
measures both in interactions tables (METRICS.md), pandas only:

* how evenly a community's **voice** is spread: :func:`messages_by_account` (messages each member
  wrote), :func:`gini`, :func:`lorenz`, :func:`top_share` and :func:`voice_summary` (with the share of
  members who were ever answered);
* :func:`message_sorts` and :func:`one_to_one_by_archetype`: personal messages to one person
  against posts to everyone (and pitches and attacks), and what came back to each;
* :func:`thread_roots` and :func:`around_the_starter`: in the threads an archetype starts, do the
  others talk with each other, or only to the one voice at the centre?
* :func:`without_top_voices`: how much of the conversation remains among the others when the most
  active voices leave (a community holds, an audience empties);
* the ``norms`` dataset (one community run four times with other norms): :func:`scenario_tables`,
  :func:`newcomers_came_back`, :func:`hostile_per_week`, :func:`scenario_summary` and
  :func:`change_effects` (what each change did, for a scenario judgement).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from trustcircles import metrics
from trustcircles.data import AUTHORED_KINDS, CONVERSATIONAL_KINDS
from trustcircles.topics.archetypes import CONVERSATION_ORDER, in_order

#: The runs of the ``norms`` dataset, in the order the lesson shows them.
SCENARIOS = ("norms unstated", "welcome only", "callout only", "norms kept")
#: Each run in words.
SCENARIO_WORDS = {
    "norms unstated": "no norm stated or kept",
    "welcome only": "every newcomer's first question gets an answer",
    "callout only": "hostility is called out, and whoever keeps at it is asked to leave",
    "norms kept": "both: newcomers answered and hostility called out",
}


#: The real mailing lists the lesson and its explorer offer (the largest, and a small developers'
#: list): name -> the list's ``channel`` in the ``mailing_lists`` dataset.
REAL_LISTS = {"real: the largest mailing list (ilug)": "ilug.linux.ie",
              "real: a small developers' list (exmh-workers)": "exmh-workers.spamassassin.taint.org"}
#: The name of the course's community among :func:`communities`.
COMMUNITY = "the community (lessons 00-10)"


def communities(kept: bool = True) -> dict[str, pd.DataFrame]:
    """The tables lesson 11 compares: the course's community, the four runs of the norms scenario
    and two real mailing lists (name -> interactions table). ``kept=False`` reads the scenario's
    tables for this call only (an exercise's checks, which need them once)."""
    from trustcircles.data import load_interactions
    from trustcircles.topics import community
    tables = {COMMUNITY: community(text=False)[0]}
    scenarios = scenario_tables() if kept else read_scenario_tables()
    tables.update({f"norms scenario: {s}": t for s, t in scenarios.items()})
    lists = load_interactions("mailing_lists")
    for name, channel in REAL_LISTS.items():
        tables[name] = lists[lists["channel"] == channel].reset_index(drop=True)
    return tables


# --------------------------------------------------------------------------- voice


def _authored(table: pd.DataFrame) -> pd.DataFrame:
    """Messages written to others or to everyone: post, reply, mention, dm, self-interactions left out."""
    not_self = (table["actor"] != table["target"]).fillna(True).astype(bool)
    return table[table["kind"].isin(AUTHORED_KINDS) & not_self]


def members(table: pd.DataFrame) -> pd.Index:
    """Every account the table names, as actor or as target (sorted)."""
    named = pd.unique(pd.concat([table["actor"], table["target"].dropna()], ignore_index=True))
    return pd.Index(named, name="account").sort_values()


def messages_by_account(table: pd.DataFrame) -> pd.Series:
    """How many messages each member wrote (post, reply, mention, dm; not to oneself). Every member
    named anywhere in the table has a value, 0 for those who never wrote: the silent count too."""
    written = _authored(table)["actor"].value_counts()
    return written.reindex(members(table), fill_value=0).astype("int64").rename("messages")


def gini(values) -> float:
    """How unequally something is shared out, from 0 (everyone has the same) to nearly 1 (one has it
    all): half the mean absolute difference between two members, divided by the mean.

    With the values sorted from smallest to largest, x_1 ... x_n, it is
    2 · Σ i·x_i / (n · Σ x) − (n + 1) / n. Missing (NaN) with no value or a total of 0.
    """
    x = np.sort(np.asarray(values, dtype=float))
    n, total = len(x), float(np.sum(x)) if len(x) else 0.0
    if n == 0 or total <= 0:
        return float("nan")
    i = np.arange(1, n + 1)
    return float(2 * np.sum(i * x) / (n * total) - (n + 1) / n)


def lorenz(values) -> pd.DataFrame:
    """The Lorenz curve: members from the quietest to the most active; for the first x share of them
    (0-1), the share y (0-1) of everything they did together. Starts at (0, 0)."""
    x = np.sort(np.asarray(values, dtype=float))
    total = max(float(x.sum()), 1e-12)
    share_members = np.r_[0.0, np.arange(1, len(x) + 1) / max(len(x), 1)]
    share_values = np.r_[0.0, np.cumsum(x) / total]
    return pd.DataFrame({"share_of_members": share_members, "share_of_messages": share_values})


def top_share(values, fraction: float = 0.1) -> float:
    """The share (0-1) of everything done by the most active ``fraction`` of the members, rounded up
    to whole members (as lesson 00 counts events)."""
    x = np.sort(np.asarray(values, dtype=float))[::-1]
    n = int(np.ceil(fraction * len(x)))
    return float(x[:n].sum() / x.sum()) if n and x.sum() > 0 else float("nan")


def parent_positions(table: pd.DataFrame) -> np.ndarray:
    """For every row, the row of the event its ``parent_id`` names (-1: none, or not in the table).

    Worked on codes (``pd.factorize`` of the ids), not on the ids as Python strings: a string per
    row of a 100,000-row table left the kernel's memory some MiB larger after each call (issue 17)."""
    n = len(table)
    codes = pd.factorize(pd.concat([table["event_id"], table["parent_id"]], ignore_index=True))[0]
    row_of = np.full(int(codes.max(initial=-1)) + 2, -1, dtype=np.int64)
    row_of[codes[:n]] = np.arange(n)
    return row_of[codes[n:]]  # a missing parent has code -1: the last entry, -1


def message_replies(table: pd.DataFrame) -> pd.DataFrame:
    """Every message written (post, reply, mention, dm; not to oneself) and whether somebody else
    replied to it, at any time: the same table as
    :func:`trustcircles.topics.conversation.message_replies` (tests/test_voice.py checks it),
    computed on positions rather than by joining ids. Columns: event_id, actor, kind,
    is_promotional, got_reply."""
    not_self = (table["actor"] != table["target"]).fillna(True).to_numpy(dtype=bool)
    written = table["kind"].isin(list(AUTHORED_KINDS)).to_numpy(dtype=bool) & not_self
    replies = np.flatnonzero((table["kind"] == "reply").to_numpy(dtype=bool) & not_self)
    parent = parent_positions(table)[replies]
    found = parent >= 0
    replies, parent = replies[found], parent[found]
    actor = pd.factorize(table["actor"])[0]
    got = np.zeros(len(table), bool)
    got[parent[actor[replies] != actor[parent]]] = True
    keep = np.flatnonzero(written)
    out = table.iloc[keep][["event_id", "actor", "kind", "is_promotional"]]
    return out.assign(got_reply=got[keep])


def answered_by_account(table: pd.DataFrame, got: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per member: ``messages`` written and ``answered``, how many of them got a reply from someone
    else (at any time; only replies answer). Every member named in the table has a row. ``got``:
    :func:`message_replies` of the table, if already computed."""
    got = message_replies(table) if got is None else got
    answered = got.loc[got["got_reply"], "actor"].value_counts()
    frame = messages_by_account(table).to_frame()
    frame["answered"] = answered.reindex(frame.index, fill_value=0).astype("int64")
    return frame


def voice_summary(table: pd.DataFrame, got: pd.DataFrame | None = None) -> dict:
    """The lesson's numbers for one community: members, the share who wrote anything, the Gini of
    messages, the share written by the most active tenth, and the share of the members who wrote
    something that were ever answered (someone replied to at least one of their messages)."""
    frame = answered_by_account(table, got)
    writers = frame[frame["messages"] > 0]
    return {
        "members": int(len(frame)),
        "writers": int(len(writers)),
        "writers_share": float(len(writers) / len(frame)) if len(frame) else float("nan"),
        "gini": gini(frame["messages"]),
        "top_tenth_share": top_share(frame["messages"], 0.1),
        "answered_share": float((writers["answered"] > 0).mean()) if len(writers) else float("nan"),
        "messages": int(frame["messages"].sum()),
    }


def voice_sentence(name: str, summary: dict) -> str:
    """One sentence with :func:`voice_summary`'s numbers."""
    return (f"In {name}, {summary['writers']} of {summary['members']} members wrote something; the most "
            f"active tenth wrote {summary['top_tenth_share']:.0%} of the {summary['messages']:,} messages "
            f"(Gini {summary['gini']:.2f}), and {summary['answered_share']:.0%} of those who wrote were "
            "ever answered.")


def quiet_half(table: pd.DataFrame, got: pd.DataFrame | None = None) -> dict:
    """The quieter half of the members who wrote something (fewest messages; ties by name): how many
    they are, the share of all messages they wrote, and the share of them who were ever answered."""
    frame = answered_by_account(table, got)
    writers = frame[frame["messages"] > 0].sort_values("messages", kind="stable")
    quiet = writers.iloc[: len(writers) // 2]
    return {"members": int(len(quiet)),
            "message_share": float(quiet["messages"].sum() / writers["messages"].sum()) if len(writers) else float("nan"),
            "answered_share": float((quiet["answered"] > 0).mean()) if len(quiet) else float("nan")}


# --------------------------------------------------------------------------- one to one


#: The sorts of message :func:`message_sorts` tells apart, in the order figures stack them.
SORTS = {
    "personal, one to one": "a reply, mention or direct message to one person that sells nothing",
    "selling, one to one": "a message to one person that sells or promotes",
    "hostile": "a message that attacks someone",
    "to everyone": "a post addressed to nobody in particular",
}


def message_sorts(table: pd.DataFrame, got: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every message written (as :func:`trustcircles.topics.conversation.message_replies`: with
    ``got_reply``), with its ``sort`` among :data:`SORTS`: posts go to everyone; a reply, mention or
    direct message is hostile (``is_hostile``), selling (``is_promotional``) or personal."""
    got = message_replies(table) if got is None else got
    flags = table.set_index("event_id").reindex(got["event_id"])
    hostile = (flags["is_hostile"].fillna(False).astype(bool).to_numpy()
               if "is_hostile" in flags.columns else np.zeros(len(got), bool))
    promo = got["is_promotional"].to_numpy(dtype=bool)
    post = (got["kind"] == "post").to_numpy()
    sort = np.select([post, hostile, promo], ["to everyone", "hostile", "selling, one to one"],
                     "personal, one to one")
    return got.assign(sort=sort)


def one_to_one_by_archetype(table: pd.DataFrame, accounts: pd.DataFrame) -> pd.DataFrame:
    """Per archetype (rows) and sort of message (:data:`SORTS`): the share of the archetype's
    messages of that sort (columns named after the sorts, each row sums to 1), the share of each sort
    that got a reply from someone else (columns "<sort> answered"), and ``messages``."""
    sorts = message_sorts(table)
    sorts["archetype"] = (sorts["actor"].map(accounts.set_index("account")["archetype"])
                          .fillna("unknown").to_numpy())
    shares = pd.crosstab(sorts["archetype"], sorts["sort"], normalize="index")
    answered = sorts.groupby(["archetype", "sort"])["got_reply"].mean().unstack()
    out = shares.reindex(columns=list(SORTS), fill_value=0.0)
    for sort in SORTS:
        out[f"{sort} answered"] = answered.get(sort, pd.Series(dtype=float)).reindex(out.index)
    out["messages"] = sorts.groupby("archetype").size()
    out.columns.name = None
    return out.loc[in_order(out.index, CONVERSATION_ORDER)]


# --------------------------------------------------------------------------- around one voice


def thread_roots(table: pd.DataFrame) -> pd.Series:
    """For every event, the event at the top of its thread (itself for a post or anything with no
    parent in the table), by following ``parent_id`` up. Index: event_id."""
    ids = pd.Index(table["event_id"].array)  # the column's own text, not a Python string per row
    parent = parent_positions(table)   # -1: none in the table
    root = np.arange(len(ids))
    for _ in range(len(ids)):                   # as many steps as the deepest thread needs
        up = parent[root]
        moved = up >= 0
        if not moved.any():
            break
        root = np.where(moved, up, root)
    return pd.Series(ids.take(root).array, index=ids, name="root")


def thread_table(table: pd.DataFrame, accounts: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per thread started by a post that got at least one reply: its ``starter`` (and the
    starter's ``archetype``), ``replies``, ``voices`` (other accounts that replied), the share of
    replies aimed at the starter (``to_starter``) and the share the starter wrote (``by_starter``)."""
    roots = thread_roots(table)
    replies = table[table["kind"] == "reply"].copy()
    replies["root"] = roots.reindex(replies["event_id"]).to_numpy()
    posts = table.loc[table["kind"] == "post", ["event_id", "actor"]].rename(
        columns={"event_id": "root", "actor": "starter"})
    replies = replies.merge(posts, on="root")
    replies["to_starter"] = replies["target"] == replies["starter"]
    replies["by_starter"] = replies["actor"] == replies["starter"]
    out = replies.groupby(["root", "starter"]).agg(
        replies=("event_id", "size"), to_starter=("to_starter", "mean"), by_starter=("by_starter", "mean"))
    others = replies[~replies["by_starter"]].groupby("root")["actor"].nunique()
    out = out.reset_index().set_index("root")
    out["voices"] = others.reindex(out.index, fill_value=0).astype("int64")
    if accounts is not None:
        out["archetype"] = out["starter"].map(accounts.set_index("account")["archetype"]).fillna("unknown")
    return out


def around_the_starter(table: pd.DataFrame, accounts: pd.DataFrame) -> pd.DataFrame:
    """Per archetype of the thread's starter, pooled over its threads: threads, replies per thread,
    other voices per thread (mean), the share of replies aimed at the starter, and the share written
    by the starter (an audience around one voice: most replies go to it, few come from it)."""
    threads = thread_table(table, accounts)
    rows = {}
    for archetype, part in threads.groupby("archetype"):
        total = part["replies"].sum()
        rows[archetype] = {
            "threads": len(part), "replies_per_thread": float(part["replies"].mean()),
            "voices_per_thread": float(part["voices"].mean()),
            "to_starter": float((part["to_starter"] * part["replies"]).sum() / total),
            "by_starter": float((part["by_starter"] * part["replies"]).sum() / total)}
    out = pd.DataFrame.from_dict(rows, orient="index")
    return out.loc[in_order(out.index, CONVERSATION_ORDER)]


def without_top_voices(table: pd.DataFrame, most: int = 20) -> pd.DataFrame:
    """For k = 0, 1, ..., ``most``: with the k members who wrote most set aside, the share (0-1) of the
    conversation (replies, mentions and direct messages between two others) that remains, and how
    many members still have a two-way tie among the others. Index: k."""
    ranked = messages_by_account(table).sort_values(ascending=False, kind="stable").index
    talk = table[table["kind"].isin(CONVERSATIONAL_KINDS) & (table["actor"] != table["target"])]
    pairs = talk[["actor", "target"]].drop_duplicates()
    back = pairs.merge(pairs, left_on=["actor", "target"], right_on=["target", "actor"],
                       suffixes=("", "_back"))[["actor", "target"]]
    rank = pd.Index(ranked)
    talk_rank = np.minimum(rank.get_indexer(talk["actor"]), rank.get_indexer(talk["target"]))
    back_rank = np.minimum(rank.get_indexer(back["actor"]), rank.get_indexer(back["target"]))
    back_actor = rank.get_indexer(back["actor"])
    rows = []
    for k in range(most + 1):
        kept = talk_rank >= k
        rows.append({"k": k, "conversation_left": float(kept.mean()) if len(talk) else float("nan"),
                     "members_with_a_mutual": int(len(np.unique(back_actor[back_rank >= k])))})
    return pd.DataFrame(rows).set_index("k")


# --------------------------------------------------------------------------- the norms scenario


@lru_cache(maxsize=1)
def scenario_tables() -> dict[str, pd.DataFrame]:
    """The ``norms`` dataset split into its four runs (scenario -> interactions table), loaded once
    per session (shared: copy a table before changing it): :func:`read_scenario_tables`, kept."""
    return read_scenario_tables()


def read_scenario_tables() -> dict[str, pd.DataFrame]:
    """The ``norms`` dataset split into its four runs, read anew and kept by nobody. Without the
    messages' texts: nothing shows them (a third of the table's memory)."""
    from trustcircles.data import load_interactions
    table = load_interactions("norms", keep=False)  # only its four parts are kept
    return {s: table[table["scenario"] == s].drop(columns=["scenario", "text"], errors="ignore")
            .reset_index(drop=True) for s in SCENARIOS}


@lru_cache(maxsize=1)
def scenario_accounts() -> pd.DataFrame:
    """The accounts of the ``norms`` dataset (the same in its four runs)."""
    from trustcircles.data import load_accounts
    return load_accounts("norms")


def newcomers_came_back(table: pd.DataFrame, newcomers) -> dict:
    """For the given newcomers: how many asked a first question, the share answered (someone else
    replied within 48 hours, METRICS.md), and the share who posted again (wrote anything after it),
    overall and for the answered and the unanswered apart."""
    asked = metrics.questions(table)
    first = asked[asked["actor"].isin(set(newcomers))].groupby("actor", sort=True).head(1)
    authored = table[table["kind"].isin(AUTHORED_KINDS)]
    after = authored.merge(first[["actor", "timestamp", "event_id"]], on="actor", suffixes=("", "_first"))
    later = (after["timestamp"] > after["timestamp_first"]) | (
        (after["timestamp"] == after["timestamp_first"]) & (after["event_id"] > after["event_id_first"]))
    again = first["actor"].isin(set(after.loc[later, "actor"])).to_numpy()
    answered = first["answered"].to_numpy(dtype=bool)
    share = lambda keep: float(again[keep].mean()) if keep.any() else float("nan")  # noqa: E731
    return {"newcomers": int(len(first)), "answered": int(answered.sum()),
            "answered_share": float(answered.mean()) if len(first) else float("nan"),
            "came_back_share": share(np.ones(len(first), bool)),
            "came_back_if_answered": share(answered), "came_back_if_not": share(~answered)}


def hostile_per_week(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Hostile messages per week (rows: week 1, 2, ..., counted from each table's first event;
    columns: the tables' names)."""
    out = {}
    for name, table in tables.items():
        week = ((table["timestamp"] - table["timestamp"].min()) // pd.Timedelta(days=7)) + 1
        hostile = table["is_hostile"].astype(bool).to_numpy()
        out[name] = pd.Series(hostile).groupby(week.to_numpy()).sum()
    frame = pd.DataFrame(out).fillna(0).astype("int64")
    frame.index.name = "week"
    return frame


def scenario_summary(tables: dict[str, pd.DataFrame] | None = None,
                     accounts: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per run of the norms scenario: newcomers answered and came back, hostile messages a
    week in the first and the last four weeks, the members still writing in the last four weeks, and
    :func:`voice_summary`'s Gini and answered share. Without ``tables``, the summary of the
    dataset's four runs, computed once per session (:func:`scenario_tables` if a lesson keeps them,
    else read for it and not kept: an exercise's checks need only this summary)."""
    if tables is None and accounts is None:
        return _dataset_summary().copy()
    tables = scenario_tables() if tables is None else tables
    accounts = scenario_accounts() if accounts is None else accounts
    newcomers = accounts.loc[accounts["archetype"] == "newcomer", "account"]
    hostile = hostile_per_week(tables)
    rows = {}
    for name, table in tables.items():
        came = newcomers_came_back(table, newcomers)
        voice = voice_summary(table)
        end = table["timestamp"].max()
        late = _authored(table[table["timestamp"] > end - pd.Timedelta(weeks=4)])
        weeks = hostile[name]
        rows[name] = {
            "newcomers_answered": came["answered_share"], "newcomers_came_back": came["came_back_share"],
            "hostile_first_weeks": float(weeks.iloc[:4].mean()), "hostile_last_weeks": float(weeks.iloc[-4:].mean()),
            "writing_at_the_end": int(late["actor"].nunique()), "gini": voice["gini"],
            "answered_share": voice["answered_share"], "events_per_week": len(table) / max(len(weeks), 1)}
    return pd.DataFrame.from_dict(rows, orient="index")


@lru_cache(maxsize=1)
def _dataset_summary() -> pd.DataFrame:
    kept = scenario_tables.cache_info().currsize > 0
    return scenario_summary(scenario_tables() if kept else read_scenario_tables(), scenario_accounts())


def change_effects(summary: pd.DataFrame | None = None) -> dict:
    """What each change did, against the run with no norms (percentage points or per week): the
    newcomers answered and coming back, and hostility in the last four weeks, for "welcome only" and
    "callout only"; and the change in events per week, which both move little."""
    summary = scenario_summary() if summary is None else summary
    base = summary.loc["norms unstated"]
    out = {}
    for name in ("welcome only", "callout only"):
        row = summary.loc[name]
        out[name] = {
            "answered_points": 100 * (row["newcomers_answered"] - base["newcomers_answered"]),
            "came_back_points": 100 * (row["newcomers_came_back"] - base["newcomers_came_back"]),
            "hostile_change": row["hostile_last_weeks"] - base["hostile_last_weeks"],
            "events_change_share": row["events_per_week"] / base["events_per_week"] - 1}
    out["base"] = dict(base)
    return out


def quiet_sentence(name: str, table: pd.DataFrame) -> str:
    """One sentence with :func:`quiet_half`'s numbers."""
    q = quiet_half(table)
    return (f"In {name}, the quieter half of those who wrote ({q['members']} members) wrote "
            f"{q['message_share']:.0%} of the messages, and {q['answered_share']:.0%} of them were ever answered.")


def scenario_sentences(summary: pd.DataFrame) -> str:
    """One line per run of the norms scenario, with its newcomers and its hostility."""
    lines = []
    for name, row in summary.iterrows():
        lines.append(f"{name} ({SCENARIO_WORDS.get(name, name)}): {row['newcomers_answered']:.0%} of newcomers' "
                     f"first questions answered within 48 hours, {row['newcomers_came_back']:.0%} of newcomers "
                     f"posted again; {row['hostile_first_weeks']:.0f} hostile messages a week in the first four "
                     f"weeks, {row['hostile_last_weeks']:.0f} in the last four.")
    return "\n".join(lines)
