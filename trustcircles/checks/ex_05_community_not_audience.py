"""Checks and hints for assignment 05_community_not_audience (lesson 05, on the community dataset).

Part A (no code) reads lesson 05: how many of its audience the typical broadcaster talks back to
(a1, the explorer); which archetype returns the least of the attention it gets (a2, Figure 2); a
manager's judgement: which change would turn a team lead's audience into a community, each option's
gain in mutuals computed from the data (a3); and sorting five of a trust builder's contacts into the
explorer's rings (a4). The numbers come from :mod:`trustcircles.topics.audience`.

Part B (pandas): the questions are about one account (or one accounts table) as well as the
interactions, so the learner's functions take two arguments, ``function(table, account)``: each
question's ``args`` gives the account for the notebook's call (``ex.q1.account``), each variant's
``args`` the one its hidden test passes along with its table (renamed with the table when disguised).
"""
from __future__ import annotations

import pandas as pd

from trustcircles.checks import (ChoiceQuestion, Choices, Labelling, LabelsQuestion, NumberQuestion,
                                 Question, Variant, register)
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


# --------------------------------------------------------------------------- Part A

#: a2: the archetypes offered, in the order of the options
A2_OPTIONS = {"A": "transactional", "B": "broadcaster", "C": "trust_builder"}

#: a4: how many of the typical trust builder's contacts of each kind the learner sorts
A4_COUNTS = {"inner": 1, "mutual": 2, "audience": 1, "unanswered": 1}


def _frame() -> pd.DataFrame:
    """Lesson 05's table of accounts (the one its figures and explorer use)."""
    from trustcircles.topics.audience import community_table
    return community_table()


def _typical(archetype: str) -> str:
    """The explorer's 'typical' account of an archetype."""
    from trustcircles.topics.audience import typical_account
    return typical_account(_frame(), archetype)


def broadcaster_mutuals() -> int:
    """a1: how many of those who talk to the typical broadcaster it talks back to (its mutuals)."""
    return int(_frame().loc[_typical("broadcaster"), "mutuals"])


def least_returned() -> Choices:
    """a2: which archetype talks back to the smallest share of those who talk to it (Figure 2)."""
    from trustcircles.topics.archetypes import PLURALS
    medians = _frame().groupby("archetype")[["returned_share", "answered_share"]].median()
    returned = {k: float(medians.loc[a, "returned_share"]) for k, a in A2_OPTIONS.items()}
    right = min(returned, key=returned.get)
    why = {}
    for letter, archetype in A2_OPTIONS.items():
        back, answered = medians.loc[archetype, "returned_share"], medians.loc[archetype, "answered_share"]
        said = (f"the median {_one(archetype)} talks back to {back:.0%} of those who talk to "
                f"it, and {answered:.0%} of those it talks to talk back")
        if letter == right:
            why[letter] = said + ": most attention it gets goes unreturned, which is an audience."
        elif answered < back:
            why[letter] = (said + ": the low bar is the other one. Its own messages go unanswered, "
                           "but it does talk back to those who write to it.")
        else:
            why[letter] = said + ": it returns much of the attention it gets, both ways."
    return Choices({k: PLURALS[a] for k, a in A2_OPTIONS.items()}, right, why)


def _one(archetype: str) -> str:
    """One account of an archetype, in words: 'trust builder', 'transactional account'."""
    from trustcircles.topics.archetypes import label
    return "transactional account" if archetype == "transactional" else label(archetype)


#: a3's changes: letter -> (the change and its measure, its key in topics.audience.audience_changes)
A3_CHANGES = {
    "A": ("Post more, so that more people see her and write to her; it worked if more accounts talk "
          "to her (in-ties).", "more_audience"),
    "B": ("Write to people she has never talked with; it worked if she talks to more accounts "
          "(out-ties).", "cold"),
    "C": ("Nothing: more people already talk to her than to the typical trust builder; watch that "
          "number stay high (in-ties).", "nothing"),
    "D": ("Talk back to the people who already write to her, a few every week; it worked if her "
          "mutuals grow.", "answer_audience"),
}


def audience_way_out() -> Choices:
    """a3: which change would give a team lead with an audience the most mutuals, for the same
    effort (each option's gain computed with topics.audience.audience_changes)."""
    change = _changes()
    reach = change["audience"]
    gain = {letter: change[key] for letter, (_text, key) in A3_CHANGES.items()}
    right = max(gain, key=gain.get)
    why = {
        "A": (f"{reach} more people writing to her, answered at her present {change['returned_share']:.0%}, "
              f"would make about {change['more_audience']:.0f} new mutuals: a bigger audience, and "
              "in-ties count the audience, not who she talks with."),
        "B": (f"{reach} people written to cold talk back about as often as those the transactional "
              f"accounts write to ({change['cold_share']:.0%}): about {change['cold']:.0f} new mutuals, "
              "and out-ties count her messages, not the answers."),
        "C": (f"doing nothing makes no new mutual: the typical trust builder has fewer people talking to "
              f"it ({change['other_in_ties']}) but {change['other_mutuals']} mutuals to her "
              f"{change['mutuals']}. Size is not community."),
        "D": (f"{reach} people already write to her unanswered: talking back to them turns each into a "
              f"mutual, up to {change['answer_audience']:.0f} new mutuals for the same effort, the "
              "most of the four; her mutuals are the number that shows it."),
    }
    intro = (f"She looks like lesson 05's typical broadcaster: {change['in_ties']} accounts talk to her, "
             f"she talks back to {change['mutuals']} ({change['returned_share']:.0%}), so "
             f"{reach} are her audience only. The typical trust builder: {change['other_in_ties']} "
             f"talk to it, {change['other_mutuals']} are mutuals. Of the people the transactional "
             f"accounts write to, a median {change['cold_share']:.0%} talk back.\n"
             f"For the same effort, reaching {reach} people, which change would you suggest first, with "
             "the measure that would tell you it worked?")
    return Choices({k: text for k, (text, _key) in A3_CHANGES.items()}, right, why, intro=intro)


def _changes() -> dict:
    from trustcircles.topics.audience import audience_changes
    return audience_changes(_frame(), _typical("broadcaster"))


def contacts_to_sort() -> Labelling:
    """a4: five contacts of the typical trust builder, each of one of the explorer's four kinds."""
    from trustcircles.topics import community
    from trustcircles import metrics
    from trustcircles.topics.audience import CONTACT_LABELS, contact_sample
    sample = contact_sample(community()[0], _typical("trust_builder"), A4_COUNTS)
    why = []
    for _, row in sample.iterrows():
        if row["label"] in ("inner", "mutual"):
            side = "at or above" if row["label"] == "inner" else "under"
            said = (f"{row['to_it']} to it and {row['from_it']} back, {row['contact_rate']:.1f} a month "
                    f"({side} {metrics.INNER_CIRCLE_RATE:g})")
        elif row["label"] == "audience":
            said = f"{row['to_it']} to it, none back"
        else:
            said = f"{row['from_it']} from it, none back"
        why.append(f"{CONTACT_LABELS[row['label']]}: {said}.")
    return Labelling(list(sample["shown"]), dict(CONTACT_LABELS), list(sample["label"]), why)


def _part_a() -> dict:
    return {
        "a1": NumberQuestion(
            "a1", "how many of the accounts that talk to the typical broadcaster it talks back to",
            hint_text="in lesson 05's explorer, pick the typical broadcaster; the sentence under the "
                      "ego network says how many talk to it and how many of them it talks back to.",
            reasoning="The explorer's reading gives both: many accounts talk to the broadcaster, and "
                      "it talks back to a small part of them. Those it talks back to are its mutuals; "
                      "the rest are its audience.",
            value=broadcaster_mutuals, tolerance=0, unit="accounts"),
        "a2": ChoiceQuestion(
            "a2", "which archetype talks back to the smallest share of those who talk to it",
            hint_text="Figure 2 has two bars per archetype; the question is about the first one: of "
                      "those who talk to it, the share it talks back to.",
            reasoning="Read the first bar of each archetype (the share of in-ties it returns): an "
                      "audience-holder leaves most of its in-ties unanswered, while a cold pitcher's "
                      "low bar is the other one.",
            build=least_returned),
        "a3": ChoiceQuestion(
            "a3", "which change would turn most of a team lead's audience into mutuals",
            hint_text="a mutual needs a tie both ways. For each change, how many new people would end "
                      "up talking with her both ways, and does its measure count that?",
            reasoning="Her audience already talks to her: one answer each makes them mutuals, while "
                      "more visibility or cold messages mostly add one-way ties. Measure mutuals, not "
                      "in-ties or out-ties.",
            build=audience_way_out),
        "a4": LabelsQuestion(
            "a4", "which of the explorer's rings each of five contacts belongs to",
            hint_text="first: does the talk go both ways? If not, which way does it go? If it does, "
                      "is it at least the inner circle's events a month?",
            reasoning="Both ways makes a mutual, and a mutual at 4 or more conversational events a "
                      "month (both directions together) is in the inner circle; one way is audience "
                      "(they talk) or unanswered (it talks).",
            build=contacts_to_sort),
    }


@register("05_community_not_audience")
def _community_not_audience() -> dict[str, Question]:
    # what the learner is told about each table: the situation, never the rows or the names
    more_talk_to_it = "a small table, for an account that more accounts talk to than it talks to"
    talks_to_more = "a small table, for an account that talks to more accounts than talk to it"
    both_ways = "a small table, for an account that talks with two others both ways"
    attention = "a table with a self-reply, likes and a share, which make no tie"
    writes_twice = ("a table where three accounts write to one account (one of them twice) and it "
                    "answers one of them")
    silent = "a table where the account never speaks to anyone"
    absent = "a table the account does not appear in"
    return {
        **_part_a(),
        "q1": Question(
            "q1", "in-ties per out-tie of the typical broadcaster", in_per_out, _community,
            function_name="in_per_out", args=lambda: typical("broadcaster"),
            hint_text="an out-tie a→b needs a reply, mention or dm from a to b (a ≠ b); an in-tie is "
                      "the same seen from b. Count distinct partners, not events, in each direction, "
                      "then divide; an account that talks to nobody has no ratio (return None or NaN).",
            explanation="Many more accounts talk to a broadcaster than it talks to: an audience.",
            reasoning="Keep the conversational events between two different accounts; the account's "
                      "out-ties are the distinct targets of its own events, its in-ties the distinct "
                      "actors of events aimed at it (nunique); divide, unless there is no out-tie.",
            variants=[
                Variant(more_talk_to_it, _worked_example, args="ann", background=True),
                Variant(talks_to_more, _worked_example, args="cat", background=True),
                Variant(attention, _attention_only, args="ann", background=True),
                Variant(writes_twice, _audience, args="ann", background=True),
                Variant(silent, _ann_silent, args="ann", background=True)]),
        "q2": Question(
            "q2", "the number of mutuals of the typical trust builder", count_mutuals, _community,
            function_name="count_mutuals", args=lambda: typical("trust_builder"),
            hint_text="a mutual of a is an account b with a tie a→b and a tie b→a. Find the partners a "
                      "talks to and the partners who talk to a; count those in both sets. Likes, "
                      "shares and talking to oneself make no tie.",
            explanation="A trust builder talks back to most of those who talk to it.",
            reasoning="Two sets from the conversational events between different accounts: the "
                      "accounts it talks to and the accounts that talk to it. The mutuals are the "
                      "accounts in both; an account with no tie, or not in the table, has none.",
            variants=[
                Variant(both_ways, _worked_example, args="bob", background=True),
                Variant(attention, _attention_only, args="ann", background=True),
                Variant(writes_twice, _audience, args="ann", background=True),
                Variant(silent, _ann_silent, args="ann", background=True),
                Variant(absent, _worked_example, args="zed", background=True)]),
        "q3": Question(
            "q3", "the median number of mutuals per archetype", median_mutuals, _community,
            kind="values", function_name="median_mutuals", args=_accounts,
            hint_text="count each account's mutuals first (as in question 2, for every account at "
                      "once), give every account of the accounts table a count (0 if it has no "
                      "mutual or no tie at all), then take the median per archetype.",
            explanation="Broadcasters have the biggest audiences, not the most mutuals.",
            reasoning="Find the mutual pairs once (the ties merged with themselves reversed), count "
                      "them per account, map the counts onto the accounts table with 0 for the "
                      "missing, then groupby archetype and take the median.",
            variants=[
                Variant("a small table and an accounts table with two archetypes", _worked_example,
                        args=_archetypes({"ann": "trust_builder", "bob": "trust_builder",
                                          "cat": "broadcaster"}), background=True),
                Variant(writes_twice + ", with an accounts table listing an account that never "
                        "appears in the table", _audience,
                        args=_archetypes({"ann": "broadcaster", "bob": "trust_builder",
                                          "cat": "trust_builder", "dan": "newcomer",
                                          "eve": "newcomer", "fay": "listener",
                                          "gus": "listener"}), background=True)]),
    }
