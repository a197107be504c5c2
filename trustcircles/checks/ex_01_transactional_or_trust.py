"""Checks and hints for assignment 01_transactional_or_trust (lesson 01), on the community dataset.

The learner computes, with pandas, how long each account's ties last (q1), the share of its contacts
who never wrote back (q2) and, pooled by archetype, the share of ties that were returned (q3).
Expected values come from :mod:`trustcircles.metrics`; the hidden tests use small variations of the
worked example with an ``archetype`` column.
"""
from __future__ import annotations

import pandas as pd

from trustcircles.checks import Question, Variant, register
from trustcircles.checks.tables import with_rows as _with_rows
from trustcircles.checks.tables import without as _without
from trustcircles.checks.tables import worked_example as _worked_example

#: The archetypes given to the worked example's accounts (and to the extra accounts of the variants).
EXAMPLE_ARCHETYPES = {"ann": "trust_builder", "bob": "listener", "cat": "transactional",
                      "dan": "newcomer"}


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


# Small tables for the hidden tests, described to the learner in words only.
_follow_ups = _example(_with_rows([
    dict(event_id="f1", timestamp="2025-03-10T13:00:00Z", actor="cat", target="ann", kind="dm",
         parent_id="", is_question=False, is_promotional=True),
    dict(event_id="f2", timestamp="2025-03-17T13:30:00Z", actor="cat", target="ann", kind="mention",
         parent_id="", is_question=True, is_promotional=True),
    dict(event_id="f3", timestamp="2025-03-05T15:00:00Z", actor="cat", target="bob", kind="reply",
         parent_id="e00006", is_question=False, is_promotional=True),
    dict(event_id="f4", timestamp="2025-03-06T08:00:00Z", actor="dan", target="bob", kind="mention",
         parent_id="", is_question=False, is_promotional=False),
]))
_self_and_likes = _example(_with_rows([
    dict(event_id="s1", timestamp="2025-03-04T09:00:00Z", actor="ann", target="ann", kind="reply",
         parent_id="e00003", is_question=False, is_promotional=False),
    dict(event_id="s2", timestamp="2025-03-09T10:00:00Z", actor="ann", target="cat", kind="like",
         parent_id="e00004", is_question=False, is_promotional=False),
    dict(event_id="s3", timestamp="2025-03-12T10:00:00Z", actor="bob", target="ann", kind="share",
         parent_id="e00001", is_question=False, is_promotional=False),
    dict(event_id="s4", timestamp="2025-03-12T11:00:00Z", actor="ann", target="bob", kind="dm",
         parent_id="", is_question=False, is_promotional=False),
]))
_only_a_post = _example(_without(("e00002", "e00003", "e00004", "e00005", "e00006")))
_plain_example = _example(_worked_example)

_FOLLOW_UPS = "the worked example with follow-up pitches from cat a week or two later and a newcomer's mention"
_SELF_AND_LIKES = "the worked example with a self-reply, a like, a share and a later DM from ann to bob"
_ONLY_A_POST = "a table with a single post (nobody talks to anybody)"
_PLAIN = "the six-event worked example"


@register("01_transactional_or_trust")
def _transactional_or_trust() -> dict[str, Question]:
    return {
        "q1": Question(
            "q1", "the median tie lifetime in days of every account that talks to someone",
            _median_tie_days, community_with_archetypes, kind="per_label",
            label="account", missing_ok=True, function_name="median_lifetime",
            hint_text="keep the conversational events (reply, mention, dm) with actor ≠ target; for each "
                      "pair (actor, target) take the time from the first to the last event, in days "
                      "(total seconds / 86,400); then the median of those per actor.",
            explanation="Transactional accounts' ties last days, trust builders' weeks.",
            variants=[Variant(_FOLLOW_UPS, _follow_ups), Variant(_SELF_AND_LIKES, _self_and_likes),
                      Variant(_ONLY_A_POST, _only_a_post)]),
        "q2": Question(
            "q2", "for every account that talks to someone, the share of its contacts who never wrote back",
            _never_wrote_back, community_with_archetypes, kind="per_label",
            label="account", missing_ok=True, function_name="never_wrote_back",
            hint_text="find each account's ties a→b (conversational, a ≠ b, each pair once); a contact "
                      "wrote back when the reversed pair b→a is a tie too. Take the share of a's ties "
                      "without it.",
            explanation="For most transactional accounts, most contacts never answer.",
            variants=[Variant(_FOLLOW_UPS, _follow_ups), Variant(_SELF_AND_LIKES, _self_and_likes),
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
            variants=[Variant(_PLAIN, _plain_example), Variant(_FOLLOW_UPS, _follow_ups),
                      Variant(_SELF_AND_LIKES, _self_and_likes), Variant(_ONLY_A_POST, _only_a_post)]),
    }
