"""Checks and hints for assignment 05_community_not_audience (lesson 05, on the community dataset).

The questions are about one account (or one accounts table) as well as the interactions, so the
learner's functions take two arguments, ``function(table, account)``: each question's ``args`` gives
the account for the notebook's call (``ex.q1.account``), each variant's ``args`` the one its hidden
test passes along with its table.
"""
from __future__ import annotations

import pandas as pd

from trustcircles.checks import Question, Variant, register
from trustcircles.checks.tables import community as _community
from trustcircles.checks.tables import row as _row
from trustcircles.checks.tables import with_rows as _with_rows
from trustcircles.checks.tables import without as _without
from trustcircles.checks.tables import worked_example as _worked_example


# --------------------------------------------------------------------------- expected answers

def in_per_out(table: pd.DataFrame, account: str) -> float:
    """in_ties / out_ties of one account; NaN if it talks to nobody (or is not in the table)."""
    from trustcircles import metrics
    inn, out = metrics.in_ties(table), metrics.out_ties(table)
    if account not in out.index or out[account] == 0:
        return float("nan")
    return float(inn[account] / out[account])


def count_mutuals(table: pd.DataFrame, account: str) -> int:
    """mutuals(account); 0 for an account that is not in the table."""
    from trustcircles import metrics
    return int(metrics.mutuals(table).get(account, 0))


def median_mutuals(table: pd.DataFrame, accounts: pd.DataFrame) -> pd.Series:
    """Median mutuals per archetype over the accounts listed (0 for a listed account with no tie)."""
    from trustcircles import metrics
    counts = metrics.mutuals(table).reindex(accounts["account"].to_numpy(), fill_value=0)
    return pd.Series(counts.to_numpy(), index=accounts["archetype"].to_numpy()).groupby(level=0).median()


# --------------------------------------------------------------------------- the notebook's data

def _accounts() -> pd.DataFrame:
    from trustcircles.topics import community
    return community()[1].copy()


def typical(archetype: str) -> str:
    """The account of an archetype whose in-ties are closest to its archetype's median (first by
    name on a tie): the same 'typical' account lesson 05's explorer offers."""
    from trustcircles import metrics
    accounts = _accounts()
    members = accounts.loc[accounts["archetype"] == archetype, "account"].to_numpy()
    inn = metrics.in_ties(_community()).reindex(members, fill_value=0)
    gap = (inn - inn.median()).abs().sort_index(kind="stable").sort_values(kind="stable")
    return str(gap.index[0])


# --------------------------------------------------------------------------- variant tables

_attention_only = _with_rows([          # a self-reply, likes and a share: none of them a tie
    _row("x1", "2025-03-06T09:00:00Z", "ann", "ann", "reply", "e00001"),
    _row("x2", "2025-03-06T10:00:00Z", "dan", "ann", "like", "e00001"),
    _row("x3", "2025-03-06T11:00:00Z", "ann", "dan", "like", "e00003"),
    _row("x4", "2025-03-06T12:00:00Z", "eve", "ann", "share", "e00001"),
])
_audience = _with_rows([                # three newcomers talk to ann; she answers one; repeats
    _row("y1", "2025-03-06T09:00:00Z", "dan", "ann", "mention"),
    _row("y2", "2025-03-06T10:00:00Z", "eve", "ann", "reply", "e00001"),
    _row("y3", "2025-03-06T10:30:00Z", "eve", "ann", "reply", "e00003"),
    _row("y4", "2025-03-06T11:00:00Z", "fay", "ann", "dm"),
    _row("y5", "2025-03-06T12:00:00Z", "ann", "fay", "reply", "y4"),
])
_ann_silent = _without(("e00003",))     # ann never speaks to anyone: no out-ties


def _archetypes(mapping: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"account": list(mapping), "archetype": list(mapping.values())})


@register("05_community_not_audience")
def _community_not_audience() -> dict[str, Question]:
    return {
        "q1": Question(
            "q1", "in-ties per out-tie of the typical broadcaster", in_per_out, _community,
            function_name="in_per_out", args=lambda: typical("broadcaster"),
            hint_text="an out-tie a→b needs a reply, mention or dm from a to b (a ≠ b); an in-tie is "
                      "the same seen from b. Count distinct partners, not events, in each direction, "
                      "then divide; an account that talks to nobody has no ratio (return None or NaN).",
            explanation="Many more accounts talk to a broadcaster than it talks to: an audience.",
            variants=[
                Variant("the worked example, for ann", _worked_example, args="ann"),
                Variant("the worked example, for cat", _worked_example, args="cat"),
                Variant("the example with a self-reply, likes and a share added, for ann",
                        _attention_only, args="ann"),
                Variant("the example with three newcomers writing to ann (one twice), for ann",
                        _audience, args="ann"),
                Variant("the example in which ann never speaks to anyone, for ann",
                        _ann_silent, args="ann")]),
        "q2": Question(
            "q2", "the number of mutuals of the typical trust builder", count_mutuals, _community,
            function_name="count_mutuals", args=lambda: typical("trust_builder"),
            hint_text="a mutual of a is an account b with a tie a→b and a tie b→a. Find the partners a "
                      "talks to and the partners who talk to a; count those in both sets. Likes, "
                      "shares and talking to oneself make no tie.",
            explanation="A trust builder talks back to most of those who talk to it.",
            variants=[
                Variant("the worked example, for bob", _worked_example, args="bob"),
                Variant("the example with a self-reply, likes and a share added, for ann",
                        _attention_only, args="ann"),
                Variant("the example with three newcomers writing to ann (one twice), for ann",
                        _audience, args="ann"),
                Variant("the example in which ann never speaks to anyone, for ann",
                        _ann_silent, args="ann"),
                Variant("the worked example, for an account that is not in it", _worked_example,
                        args="zed")]),
        "q3": Question(
            "q3", "the median number of mutuals per archetype", median_mutuals, _community,
            kind="values", function_name="median_mutuals", args=_accounts,
            hint_text="count each account's mutuals first (as in question 2, for every account at "
                      "once), give every account of the accounts table a count (0 if it has no "
                      "mutual or no tie at all), then take the median per archetype.",
            explanation="Broadcasters have the biggest audiences, not the most mutuals.",
            variants=[
                Variant("the worked example with ann and bob as trust builders and cat as a "
                        "broadcaster", _worked_example,
                        args=_archetypes({"ann": "trust_builder", "bob": "trust_builder",
                                          "cat": "broadcaster"})),
                Variant("the example with three newcomers writing to ann, and an account "
                        "listed that never appears in the table", _audience,
                        args=_archetypes({"ann": "broadcaster", "bob": "trust_builder",
                                          "cat": "trust_builder", "dan": "newcomer",
                                          "eve": "newcomer", "fay": "listener",
                                          "gus": "listener"}))]),
    }
