"""Lesson 00, Welcome: a first look at the community dataset, in numbers.

* :func:`archetype_table`: how many accounts follow each archetype, and what it does in plain words;
* :func:`weekly_kinds` and :func:`hourly_rhythm`: the rhythm of the community, week by week and hour
  by hour;
* :func:`activity_spread`, :func:`top_share` and :func:`spread_sentence`: how unevenly activity is
  spread over accounts (a few do much, many do little);
* :func:`kind_mix`: what the members of each archetype do, kind by kind, next to everyone.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from trustcircles.data import KINDS
from trustcircles.topics.archetypes import ARCHETYPES, label


#: What each kind of event is, in a few words (for hover text).
KIND_WORDS = {
    "post": "a post to nobody in particular", "reply": "an answer to someone's event",
    "mention": "naming someone in a message", "dm": "a direct message",
    "like": "a like (attention, not conversation)", "share": "a share (attention, not conversation)",
}

#: Plural names of the kinds of event, for sentences.
KIND_PLURALS = {"post": "posts", "reply": "replies", "mention": "mentions", "dm": "direct messages",
                "like": "likes", "share": "shares"}


def archetype_table(accounts: pd.DataFrame) -> pd.DataFrame:
    """How many accounts follow each archetype, with what that archetype does in plain words."""
    counts = accounts["archetype"].value_counts()
    return pd.DataFrame({"archetype": [label(a) for a in ARCHETYPES],
                         "accounts": [int(counts.get(a, 0)) for a in ARCHETYPES],
                         "what its members do": list(ARCHETYPES.values())}).set_index("archetype")


def weekly_kinds(table: pd.DataFrame) -> pd.DataFrame:
    """Events per week by kind: one row per week since the first event (week 1, 2, ...), one
    column per kind. A week is 7 days counted from the table's first timestamp."""
    start = table["timestamp"].min()
    week = ((table["timestamp"] - start) // pd.Timedelta(days=7)).to_numpy() + 1
    counts = pd.crosstab(week, table["kind"].to_numpy())
    counts = counts.reindex(columns=[k for k in KINDS if k in counts.columns], fill_value=0)
    counts.index.name, counts.columns.name = "week", "kind"
    return counts


def hourly_rhythm(table: pd.DataFrame) -> pd.DataFrame:
    """Share of all events in each hour of the day (UTC), weekdays and weekends apart (each 0-1)."""
    ts = table["timestamp"]
    weekend = np.where(ts.dt.dayofweek.to_numpy() >= 5, "weekend", "weekday")
    counts = pd.crosstab(ts.dt.hour.to_numpy(), weekend)
    counts.index.name = "hour"
    return counts / counts.sum()


def activity_spread(table: pd.DataFrame) -> pd.DataFrame:
    """Accounts from most to least active: for the top x share of accounts (0-1), the share of all
    events (0-1) they were the actor of. Accounts that never act count as doing 0 events."""
    accounts = pd.unique(pd.concat([table["actor"], table["target"].dropna()]))
    events = table["actor"].value_counts().reindex(accounts, fill_value=0)
    events = np.sort(events.to_numpy())[::-1]
    return pd.DataFrame({"share_of_accounts": np.arange(1, len(events) + 1) / len(events),
                         "share_of_events": np.cumsum(events) / max(events.sum(), 1),
                         "events": events})


def top_share(table: pd.DataFrame, fraction: float = 0.1) -> float:
    """The share of all events (0-1) done by the most active ``fraction`` of the accounts
    (rounded up to whole accounts)."""
    spread = activity_spread(table)
    n = int(np.ceil(fraction * len(spread)))
    return float(spread["share_of_events"].iloc[n - 1]) if n else 0.0


def spread_sentence(table: pd.DataFrame, fraction: float = 0.1) -> str:
    """One sentence with the top ``fraction``'s share of events, computed now."""
    spread = activity_spread(table)
    n = int(np.ceil(fraction * len(spread)))
    median = float(np.median(spread["events"]))
    return (f"The most active {n} of {len(spread)} accounts ({fraction:.0%}) did "
            f"{top_share(table, fraction):.0%} of all {len(table):,} events; the median account "
            f"did {median:g}.")


def kind_mix(table: pd.DataFrame, accounts: pd.DataFrame) -> pd.DataFrame:
    """For each archetype (rows, plus ``everyone``), the share of its members' events of each kind
    (columns, each row sums to 1), with the number of members and events."""
    who = accounts.set_index("account")["archetype"]
    arche = who.reindex(table["actor"]).fillna("unknown").to_numpy()
    counts = pd.crosstab(arche, table["kind"].to_numpy())
    counts.loc["everyone"] = counts.sum()
    counts = counts.reindex(columns=[k for k in KINDS if k in counts.columns], fill_value=0)
    mix = counts.div(counts.sum(axis=1), axis=0)
    mix["events"] = counts.sum(axis=1)
    members = who.value_counts()
    mix["members"] = [int(members.get(a, len(who) if a == "everyone" else 0)) for a in mix.index]
    return mix
