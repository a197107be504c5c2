"""Checks and hints for assignment 01_transactional_or_trust (lesson 01), on the community dataset.

Part A (no code) reads lesson 01: how many transactional ties are still written to a week on (a1,
the survival figure), which of three accounts described by the explorer is transactional (a2),
which archetype talks back most and why that is not trust (a3, the reciprocity figure), and how many
contacts the explorer's first account dropped (a4). Part B (pandas) computes how long each account's
ties last (q1), the share of its contacts who never wrote back (q2) and, pooled by archetype, the
share of ties that were returned (q3). Expected values come from :mod:`trustcircles.metrics` and
:mod:`trustcircles.topics.attention` (the lesson's own numbers); the hidden tests use small
variations of the worked example with an ``archetype`` column.
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from trustcircles.checks import ChoiceQuestion, Choices, NumberQuestion, Question, Variant, register
from trustcircles.checks.tables import row as _row
from trustcircles.checks.tables import with_rows as _with_rows
from trustcircles.checks.tables import without as _without
from trustcircles.checks.tables import worked_example as _worked_example

#: The archetypes given to the worked example's accounts (and to the extra accounts of the variants).
EXAMPLE_ARCHETYPES = {"ann": "trust_builder", "bob": "listener", "cat": "transactional",
                      "dan": "newcomer", "eve": "transactional"}


def with_archetypes(table: pd.DataFrame, archetypes: dict | pd.Series) -> pd.DataFrame:
    """A copy of the table with a column ``archetype``: the archetype of each row's actor."""
    table = table.copy()
    table["archetype"] = table["actor"].map(pd.Series(archetypes) if isinstance(archetypes, dict)
                                            else archetypes)
    return table


def community_with_archetypes() -> pd.DataFrame:
    """The community dataset with the actor's archetype in a column ``archetype`` (as in the notebook)."""
    from trustcircles.topics import community
    table, accounts = community()
    return with_archetypes(table, accounts.set_index("account")["archetype"])


def _example(build) -> callable:
    def table():
        return with_archetypes(build(), EXAMPLE_ARCHETYPES)
    return table


def _median_tie_days(table: pd.DataFrame) -> pd.Series:
    from trustcircles import metrics
    return metrics.median_tie_days(table).dropna()


def _never_wrote_back(table: pd.DataFrame) -> pd.Series:
    from trustcircles import metrics
    return (1 - metrics.reciprocity_by_account(table)).dropna()


def _returned_by_archetype(table: pd.DataFrame) -> pd.Series:
    from trustcircles import metrics
    ties = metrics.ties(table)
    pairs = set(zip(ties["actor"], ties["target"]))
    returned = pd.Series([(t, a) in pairs for a, t in zip(ties["actor"], ties["target"])], dtype=float)
    archetype = table.drop_duplicates("actor").set_index("actor")["archetype"]
    return returned.groupby(archetype.reindex(ties["actor"]).to_numpy()).mean()


# --------------------------------------------------------------------------- Part A

#: a1 reads the survival figure at this many weeks, on the transactional accounts' line
A1_WEEKS = 1
#: a2 describes one account of each of these archetypes, in this order of the options
A2_ARCHETYPES = {"A": "trust_builder", "B": "transactional", "C": "broadcaster"}
#: a3 offers these archetypes, in this order
A3_OPTIONS = {"A": "trust_builder", "B": "listener", "C": "broadcaster"}


@lru_cache(maxsize=1)
def _lesson():
    """The lesson's tables: (events, accounts, ties with archetype and talked_back, per account),
    computed once per session (do not modify them)."""
    from trustcircles import metrics
    from trustcircles.topics import attention, community
    events, accounts = community()
    return (events, accounts, attention.with_archetype(metrics.ties(events), accounts),
            attention.per_account(events, accounts))


def still_written_percent(archetype: str = "transactional", weeks: int = A1_WEEKS) -> float:
    """a1: the share (%) of an archetype's ties still written to ``weeks`` after the first message
    (the lesson's survival figure)."""
    from trustcircles.topics.attention import tie_survival
    _, _, ties, _ = _lesson()
    return 100 * float(tie_survival(ties)[archetype].loc[weeks])


def compared_accounts() -> dict[str, str]:
    """a2: letter -> account: for each archetype of :data:`A2_ARCHETYPES`, its third explorer-style
    example (a clear, typical account that is not among the explorer's first choices)."""
    from trustcircles.topics.attention import examples
    _, _, _, frame = _lesson()
    picks = examples(frame, per_archetype=3)
    return {letter: [a for a in picks if frame.at[a, "archetype"] == archetype][2]
            for letter, archetype in A2_ARCHETYPES.items()}


def account_summaries() -> dict[str, dict]:
    """a2: letter -> what the explorer says of that account (:func:`topics.attention.contact_summary`)."""
    from trustcircles.topics.attention import contact_summary
    _, _, ties, _ = _lesson()
    return {letter: contact_summary(ties[ties["actor"] == account])
            for letter, account in compared_accounts().items()}


def _described(said: dict) -> str:
    return (f"wrote to {said['contacts']} people; {said['dropped']} of them heard nothing more from it "
            f"once 3 weeks had passed; {said['talked_back']} talked back; its median tie lasted "
            f"{said['median_days']:.1f} days.")


def transactional_choices() -> Choices:
    """a2: which of three accounts is transactional: the one whose contacts are most often dropped
    and least often talk back (the staircase of short, one-way ties)."""
    said = account_summaries()
    dropped = {k: s["dropped"] / s["contacts"] for k, s in said.items()}
    back = {k: s["talked_back"] / s["contacts"] for k, s in said.items()}
    right = max(said, key=lambda k: dropped[k] - back[k])
    why = {}
    for letter, s in said.items():
        numbers = (f"{s['dropped']} of its {s['contacts']} contacts ({dropped[letter]:.0%}) were dropped "
                   f"within three weeks and {s['talked_back']} ({back[letter]:.0%}) talked back")
        if letter == right:
            why[letter] = (f"{numbers}: many contacts, nearly all dropped after a few days, few answering. "
                           "That staircase of short, one-way ties is the transactional signature.")
        elif back[letter] >= back[right] + 0.2 and s["median_days"] < 1:
            why[letter] = (f"{numbers}. Its ties are short (median {s['median_days']:.1f} days), but the "
                           "people it talks to answer it: short is not the mark, one-way is.")
        else:
            why[letter] = (f"{numbers}, and its median tie lasted {s['median_days']:.1f} days: much of its "
                           "attention lasts and is returned.")
    options = {letter: f"An account that {_described(s)}" for letter, s in said.items()}
    return Choices(options, right, why,
                   intro="Three accounts, as lesson 01's explorer describes them (names hidden):")


def reciprocity_medians() -> pd.DataFrame:
    """a3: per archetype, the median reciprocity and the median number of ties (out_ties)."""
    _, _, _, frame = _lesson()
    return frame.groupby("archetype")[["reciprocity", "out_ties"]].median()


def reciprocity_choices() -> Choices:
    """a3: which of three archetypes has the highest median reciprocity (the reciprocity figure)."""
    from trustcircles.topics.archetypes import PLURALS
    med = reciprocity_medians()
    values = {k: float(med.at[a, "reciprocity"]) for k, a in A3_OPTIONS.items()}
    right = max(values, key=values.get)
    why = {}
    for letter, archetype in A3_OPTIONS.items():
        r, n = values[letter], float(med.at[archetype, "out_ties"])
        if letter == right:
            why[letter] = (f"the {PLURALS[archetype]}' median reciprocity is {r:.2f}, the highest of the "
                           f"three. But they talk to a median of only {n:.0f} people, their inner circle: "
                           "read reciprocity with the number of ties before calling it trust.")
        else:
            why[letter] = (f"the {PLURALS[archetype]}' median reciprocity is {r:.2f} (with a median of "
                           f"{n:.0f} ties each): high, but another group's box sits higher.")
    options = {k: PLURALS[a] for k, a in A3_OPTIONS.items()}
    return Choices(options, right, why)


def first_example_dropped() -> int:
    """a4: how many contacts the explorer's first account (a transactional example) dropped."""
    from trustcircles.topics.attention import contact_summary, examples
    _, _, ties, frame = _lesson()
    first = examples(frame)[0]
    return contact_summary(ties[ties["actor"] == first])["dropped"]


def _part_a() -> dict:
    return {
        "a1": NumberQuestion(
            "a1", f"the share of transactional ties still written to {A1_WEEKS} week after the first message",
            hint_text="lesson 01's first figure: find the thick vermilion line (transactional) and hover "
                      "over it above 1 on the horizontal axis; the hover text gives the share.",
            reasoning="The survival figure starts every line at 100% (week 0). One week on, the "
                      "transactional line has already fallen to about an eighth of its ties, while the "
                      "trust builders' line is still above half: that fall is attention dropping away.",
            value=still_written_percent, tolerance=3, unit="%"),
        "a2": ChoiceQuestion(
            "a2", "which of three accounts is transactional",
            hint_text="transactional attention is many contacts, quickly dropped and seldom answered; "
                      "a short tie on its own is not the mark.",
            reasoning="Compare two things for each account: the share of its contacts dropped within "
                      "three weeks and the share who talked back. The transactional account is high on "
                      "the first and low on the second at once.",
            build=transactional_choices),
        "a3": ChoiceQuestion(
            "a3", "which archetype has the highest median reciprocity",
            hint_text="lesson 01's third figure (who talks back): compare the middle line of each box; "
                      "then look at how many people each group talks to.",
            reasoning="The box with the highest middle line belongs to a group that talks to very few "
                      "people, all of whom answer: high reciprocity on few ties describes an inner "
                      "circle, not a wide circle of trust.",
            build=reciprocity_choices),
        "a4": NumberQuestion(
            "a4", "how many of its contacts the explorer's first account dropped",
            hint_text="run lesson 01's explorer and leave the first account in the list; the sentence "
                      "under the picture counts the people who heard nothing more from it.",
            reasoning="The explorer's first choice is a transactional example; its sentence counts the "
                      "contacts whose every message came within three weeks of the first, nearly all "
                      "of them: the long staircase of short blue stubs.",
            value=first_example_dropped, tolerance=0, unit="people"),
    }


# --------------------------------------------------------------------------- Part B

# Small tables for the hidden tests, described to the learner in words only.
_follow_ups = _example(_with_rows([
    _row("f1", "2025-03-10T13:00:00Z", "cat", "ann", "dm", promotional=True),
    _row("f2", "2025-03-17T13:30:00Z", "cat", "ann", "mention", question=True, promotional=True),
    _row("f3", "2025-03-05T15:00:00Z", "cat", "bob", "reply", "e00006", promotional=True),
    _row("f4", "2025-03-06T08:00:00Z", "dan", "bob", "mention"),
]))
_self_and_likes = _example(_with_rows([
    _row("s1", "2025-03-04T09:00:00Z", "ann", "ann", "reply", "e00003"),
    _row("s2", "2025-03-04T10:00:00Z", "cat", "cat", "reply", "e00004"),
    _row("s3", "2025-03-09T10:00:00Z", "dan", "cat", "like", "e00004"),
    _row("s4", "2025-03-12T10:00:00Z", "bob", "ann", "share", "e00001"),
    _row("s5", "2025-03-12T11:00:00Z", "ann", "bob", "dm"),
]))
_two_sellers = _example(_with_rows([
    _row("t1", "2025-03-04T09:00:00Z", "eve", "ann", "dm", promotional=True),
    _row("t2", "2025-03-04T09:05:00Z", "eve", "bob", "dm", promotional=True),
    _row("t3", "2025-03-04T09:10:00Z", "eve", "dan", "dm", promotional=True),
]))
_only_a_post = _example(_without(("e00002", "e00003", "e00004", "e00005", "e00006")))
_plain_example = _example(_worked_example)

_FOLLOW_UPS = ("a table where a seller writes to the same people again days and weeks later, and "
               "someone mentions another account just once")
_SELF_AND_LIKES = ("a table where people reply to their own messages, with a like and a share (which "
                   "make no tie) and a direct message a week later")
_TWO_SELLERS = ("a table where two accounts of the same archetype have different numbers of ties, "
                "most of them never returned")
_ONLY_A_POST = "a table where nobody talks to anybody (a single post)"
_PLAIN = "the six-event worked example"


@register("01_transactional_or_trust")
def _transactional_or_trust() -> dict[str, Question]:
    return {
        **_part_a(),
        "q1": Question(
            "q1", "the median tie lifetime in days of every account that talks to someone",
            _median_tie_days, community_with_archetypes, kind="per_label",
            label="account", missing_ok=True, function_name="median_lifetime",
            hint_text="keep the conversational events (reply, mention, dm) with actor ≠ target; for each "
                      "pair (actor, target) take the time from the first to the last event, in days "
                      "(total seconds / 86,400); then the median of those per actor.",
            explanation="Transactional accounts' ties last days, trust builders' weeks.",
            reasoning="Filter to conversation between two different accounts, then group by the pair "
                      "(actor, target) to get each tie's first and last time; their difference in "
                      "seconds over 86,400 is the lifetime, and the median per actor summarises it.",
            variants=[Variant(_FOLLOW_UPS, _follow_ups, background=True),
                      Variant(_SELF_AND_LIKES, _self_and_likes, background=True),
                      Variant(_ONLY_A_POST, _only_a_post)]),
        "q2": Question(
            "q2", "for every account that talks to someone, the share of its contacts who never wrote back",
            _never_wrote_back, community_with_archetypes, kind="per_label",
            label="account", missing_ok=True, function_name="never_wrote_back",
            hint_text="find each account's ties a→b (conversational, a ≠ b, each pair once); a contact "
                      "wrote back when the reversed pair b→a is a tie too. Take the share of a's ties "
                      "without it.",
            explanation="For most transactional accounts, most contacts never answer.",
            reasoning="Make the list of ties once (conversational kinds, a ≠ b, each pair once) and a set "
                      "of its pairs; a tie a→b is silent when (b, a) is not in the set. The mean of that "
                      "true/false mark per actor is the share.",
            variants=[Variant(_FOLLOW_UPS, _follow_ups, background=True),
                      Variant(_SELF_AND_LIKES, _self_and_likes, background=True),
                      Variant(_TWO_SELLERS, _two_sellers, background=True),
                      Variant(_ONLY_A_POST, _only_a_post)]),
        "q3": Question(
            "q3", "for each archetype, the share of its members' ties that were returned (all ties "
                  "pooled)", _returned_by_archetype, community_with_archetypes, kind="per_label",
            label="archetype", missing_ok=True, function_name="returned_by_archetype",
            hint_text="mark each tie a→b as returned or not (as in q2), attach the archetype of a (the "
                      "table's archetype column belongs to the actor), then average the marks per "
                      "archetype over all ties, not per account.",
            explanation="Pooled over all ties, trust builders' attention is returned far more often "
                        "than transactional accounts'.",
            reasoning="Keep one row per tie with the actor's archetype, mark it returned when the "
                      "reversed pair is a tie, and take the mean per archetype over those rows: every "
                      "tie weighs the same, so a busy account counts for more than a quiet one.",
            variants=[Variant(_PLAIN, _plain_example, background=True),
                      Variant(_FOLLOW_UPS, _follow_ups, background=True),
                      Variant(_SELF_AND_LIKES, _self_and_likes, background=True),
                      Variant(_TWO_SELLERS, _two_sellers, background=True),
                      Variant(_ONLY_A_POST, _only_a_post)]),
    }
