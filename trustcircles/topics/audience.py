"""Lesson 05, Community, not audience: who talks to an account, and whom it talks back to.

An *audience* is the people who talk to you (in-ties) whether or not you answer; it needs no work.
A *community* is made of *mutuals*: people you talk with both ways. This module measures both with the
course's metrics:

* :func:`account_table`: one row per account with its archetype, in- and out-ties, mutuals, the two
  shares of returned attention and the density of its ego network; :func:`community_tables` gives it
  for a shipped dataset, computed once per session;
* :func:`ego_densities`: :func:`trustcircles.metrics.ego_density` for every account at once (the
  same number, computed with one matrix product instead of one graph per account);
* :func:`audience_summary` and :func:`density_pair`: the lesson's numbers in words;
* :func:`typical_account` and :func:`examples`: the accounts the explorer offers.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from trustcircles import metrics
from trustcircles.topics import community
from trustcircles.topics.archetypes import AUDIENCE_ORDER, in_order, label


def ego_densities(table, names: pd.Index | None = None) -> pd.Series:
    """How well each account's contacts know each other: the ego density of every account.

    The same number as :func:`trustcircles.metrics.ego_density` (links among the account's
    neighbours in the undirected tie graph / the links there could be, k(k-1)/2), for all accounts
    in one go: the links among a node's neighbours are the triangles through it, and those are the
    diagonal of A·A·A / 2 for the adjacency matrix A. Missing (NaN) with fewer than 2 neighbours.
    """
    ties = metrics.ties(table)
    if names is None:
        names = metrics.out_ties(table).index
    names = pd.Index(names)
    a = names.get_indexer(ties["actor"])
    b = names.get_indexer(ties["target"])
    adjacency = np.zeros((len(names), len(names)), dtype=np.float64)
    adjacency[a, b] = 1.0
    adjacency[b, a] = 1.0
    degree = adjacency.sum(axis=1)
    links_among = ((adjacency @ adjacency) * adjacency).sum(axis=1) / 2
    possible = degree * (degree - 1) / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        density = np.where(degree >= 2, links_among / np.maximum(possible, 1), np.nan)
    return pd.Series(density, index=names, name="ego_density")


def account_table(table, accounts: pd.DataFrame) -> pd.DataFrame:
    """One row per account: archetype, in_ties, out_ties, mutuals, circle_inner and the shares.

    * ``returned_share`` = mutuals / in_ties: of the people who talk to the account, the share it
      talks back to (low for an audience-holder);
    * ``answered_share`` = mutuals / out_ties (the course's reciprocity): of the people it talks to,
      the share who talk back (low for a cold pitcher);
    * ``contacts``: accounts it shares a tie with, either way (in_ties + out_ties - mutuals);
    * ``ego_density``: how many of its contacts also talk with each other (see :func:`ego_densities`).
    """
    frame = metrics.account_metrics(table)[["in_ties", "out_ties", "mutuals", "circle_inner",
                                            "circle_close", "reciprocity"]]
    frame = frame.rename(columns={"reciprocity": "answered_share"})
    with np.errstate(invalid="ignore", divide="ignore"):
        frame["returned_share"] = np.where(frame["in_ties"] > 0,
                                           frame["mutuals"] / frame["in_ties"].clip(lower=1), np.nan)
    frame["contacts"] = frame["in_ties"] + frame["out_ties"] - frame["mutuals"]
    frame["ego_density"] = ego_densities(table, frame.index)
    archetype = accounts.set_index("account")["archetype"]
    frame.insert(0, "archetype", archetype.reindex(frame.index).fillna("unknown").astype(str))
    return frame


@lru_cache(maxsize=2)
def community_tables(name: str = "community") -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A shipped dataset's interactions, accounts and :func:`account_table`, computed once per
    session (shared: copy them before changing them)."""
    table, accounts = community(name, text=False)
    return table, accounts, account_table(table, accounts)


def community_table(name: str = "community") -> pd.DataFrame:
    """:func:`account_table` of a shipped dataset (loaded once per session)."""
    return community_tables(name)[2]


def community_interactions(name: str = "community") -> pd.DataFrame:
    """The interactions table of a shipped dataset, the same object the explorer uses."""
    return community_tables(name)[0]


def audience_summary(frame: pd.DataFrame) -> str:
    """Sentences with this data's medians: broadcasters and trust builders side by side."""
    med = frame.groupby("archetype")[["in_ties", "out_ties", "mutuals", "returned_share",
                                       "answered_share", "ego_density"]].median()
    lines = []
    for archetype in ("broadcaster", "trust_builder", "transactional"):
        if archetype not in med.index:
            continue
        m = med.loc[archetype]
        lines.append(
            f"A typical {label(archetype)} (median): {m['in_ties']:g} accounts talk to it, it talks to "
            f"{m['out_ties']:g}, {m['mutuals']:g} are mutuals; it talks back to {m['returned_share']:.0%} "
            f"of those who talk to it and {m['answered_share']:.0%} of those it talks to answer; "
            f"ego density {m['ego_density']:.2f}.")
    return "\n".join(lines)


def density_pair(table, frame: pd.DataFrame) -> str:
    """A sentence comparing one typical trust builder's and one typical broadcaster's ego density,
    computed with :func:`trustcircles.metrics.ego_density` (the library's own definition)."""
    out = []
    for archetype in ("trust_builder", "broadcaster"):
        account = typical_account(frame, archetype)
        if account is None:
            continue
        k = int(frame.loc[account, "contacts"])
        density = metrics.ego_density(table, account)
        out.append(f"A typical {label(archetype)} ({account}) has {k:,} contacts; {density:.0%} of the "
                   f"{k * (k - 1) // 2:,} possible links among them exist.")
    return "\n".join(out)


def typical_account(frame: pd.DataFrame, archetype: str) -> str | None:
    """The account of an archetype whose in-ties are closest to the archetype's median (first by
    name when several are as close)."""
    part = frame[frame["archetype"] == archetype]
    if part.empty:
        return None
    gap = (part["in_ties"] - part["in_ties"].median()).abs()
    return str(gap.sort_index(kind="stable").sort_values(kind="stable").index[0])


def examples(frame: pd.DataFrame) -> dict[str, str]:
    """Labelled example accounts for the explorer's dropdown: a typical account of every archetype,
    and the account with the most in-ties among broadcasters and trust builders."""
    options: dict[str, str] = {}
    for archetype in in_order(frame["archetype"], AUDIENCE_ORDER):
        account = typical_account(frame, archetype)
        if account is not None:
            options[f"{label(archetype)} · typical ({account})"] = account
        if archetype in ("broadcaster", "trust_builder"):
            part = frame[frame["archetype"] == archetype]
            busiest = str(part["in_ties"].sort_index(kind="stable")
                          .sort_values(ascending=False, kind="stable").index[0])
            options[f"{label(archetype)} · biggest audience ({busiest})"] = busiest
    return options


# --------------------------------------------------------------------------- one account's contacts (exercise 05, Part A)

#: the explorer's four kinds of contact, innermost first: label -> what it means
CONTACT_LABELS = {
    "inner": f"talks with it both ways, {metrics.INNER_CIRCLE_RATE:g} or more conversational events a "
             "month (both directions together): its inner circle",
    "mutual": f"talks with it both ways, less often than {metrics.INNER_CIRCLE_RATE:g} a month",
    "audience": "talks to it; it never talks back",
    "unanswered": "it talks to them; they never talk back",
}


def contacts(table, account: str) -> pd.DataFrame:
    """Everyone an account shares a tie with, either way, as lesson 05's explorer draws them.

    Columns: to_it (conversational events from the contact to the account), from_it (from the
    account to the contact), contact_rate (both directions together per 30.44-day month,
    :func:`trustcircles.metrics.contact_rates`) and kind (a key of :data:`CONTACT_LABELS`: a mutual
    with contact_rate ≥ the inner-circle rate is "inner"). Index: the contact.
    """
    ties = metrics.ties(table)[["actor", "target", "events"]]
    to_it = ties.loc[ties["target"] == account].set_index("actor")["events"]
    from_it = ties.loc[ties["actor"] == account].set_index("target")["events"]
    out = pd.DataFrame({"to_it": to_it, "from_it": from_it}).fillna(0).astype("int64")
    rates = metrics.contact_rates(table)
    mine = rates[(rates["a"] == account) | (rates["b"] == account)]
    other = mine["b"].where(mine["a"] == account, mine["a"])
    out["contact_rate"] = pd.Series(mine["contact_rate"].to_numpy(), index=other.to_numpy()).reindex(out.index)
    both = (out["to_it"] > 0) & (out["from_it"] > 0)
    out["kind"] = np.select([both & (out["contact_rate"] >= metrics.INNER_CIRCLE_RATE), both,
                             out["to_it"] > 0], ["inner", "mutual", "audience"], "unanswered")
    out.index.name = "contact"
    return out.sort_index()


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"


def describe_contact(contact: str, row) -> str:
    """A contact in words: who wrote to whom how often, and (both ways) how often a month."""
    if row["to_it"] and row["from_it"]:
        return (f"{contact}: wrote to it {_times(int(row['to_it']))}; it wrote back "
                f"{_times(int(row['from_it']))}: about {row['contact_rate']:.1f} conversational events "
                "a month between them")
    if row["to_it"]:
        return f"{contact}: wrote to it {_times(int(row['to_it']))}; it never wrote back"
    return f"{contact}: it wrote to them {_times(int(row['from_it']))}; they never wrote back"


def contact_sample(table, account: str, counts: dict[str, int], seed: int = 7,
                   margin: float = 0.25) -> pd.DataFrame:
    """``counts[kind]`` contacts of an account of each kind (:data:`CONTACT_LABELS`), shuffled:
    columns contact, label, to_it, from_it, contact_rate and ``shown`` (:func:`describe_contact`).

    Only clear cases: an inner contact at least ``1 + margin`` times the inner-circle rate, another
    mutual at most ``1 - margin`` times it, so a rounded rate never sits on the line. Seeded.
    """
    found = contacts(table, account)
    line = metrics.INNER_CIRCLE_RATE
    clear = ((found["kind"] == "inner") & (found["contact_rate"] >= (1 + margin) * line)) | (
        (found["kind"] == "mutual") & (found["contact_rate"] <= (1 - margin) * line)) | (
        found["kind"].isin(["audience", "unanswered"]))
    found = found[clear]
    rng = np.random.default_rng(seed)
    picked = []
    for label, want in counts.items():
        candidates = found[found["kind"] == label]
        if len(candidates) < want:
            raise ValueError(f"only {len(candidates)} contacts of the kind {label!r} for {account}")
        picked.append(candidates.iloc[np.sort(rng.choice(len(candidates), size=want, replace=False))])
    sample = pd.concat(picked).rename(columns={"kind": "label"})
    sample["shown"] = [describe_contact(c, row) for c, row in sample.iterrows()]
    sample = sample.iloc[rng.permutation(len(sample))].reset_index()
    return sample[["contact", "label", "to_it", "from_it", "contact_rate", "shown"]]


# --------------------------------------------------------------------------- an audience's way out (exercise 05, Part A)


def audience_changes(frame: pd.DataFrame, account: str, cold_from: str = "transactional",
                     compare_with: str = "trust_builder") -> dict:
    """What three changes could do for an account with an audience, for the same effort: reaching
    as many people as its audience (those who talk to it unanswered).

    * more_audience: that many more people talk to it, and it talks back to the same share as now
      (mutuals / in_ties): the mutuals it would gain;
    * answer_audience: it talks back to everyone in its audience: each becomes a mutual;
    * cold: it writes to that many new people, who talk back as often as those that the median
      ``cold_from`` account writes to do (its answered_share);
    * nothing: no change, no new mutual.

    Also the account's in_ties, mutuals, audience, returned_share, and the typical
    ``compare_with`` account's in_ties and mutuals (:func:`typical_account`).
    """
    row = frame.loc[account]
    audience = int(row["in_ties"] - row["mutuals"])
    returned = float(row["mutuals"] / row["in_ties"]) if row["in_ties"] else 0.0
    cold_share = float(frame.loc[frame["archetype"] == cold_from, "answered_share"].median())
    other = frame.loc[typical_account(frame, compare_with)]
    return {"in_ties": int(row["in_ties"]), "mutuals": int(row["mutuals"]), "audience": audience,
            "returned_share": returned, "cold_share": cold_share,
            "more_audience": audience * returned, "answer_audience": float(audience),
            "cold": audience * cold_share, "nothing": 0.0,
            "other_in_ties": int(other["in_ties"]), "other_mutuals": int(other["mutuals"])}
