"""Checks and hints for assignment 07_trolls_and_trust (the community dataset's hostile replies).

Expected values come from :mod:`trustcircles.topics.trolls` (which counts audiences with
:func:`trustcircles.metrics.in_ties`), the same functions lesson 07 uses.
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from trustcircles.checks import Question, Variant, register
from trustcircles.checks.tables import community

#: The community table, loaded once for this exercise's checks.
_community = lru_cache(maxsize=1)(community)


def _top_tenth_share(table: pd.DataFrame) -> float:
    from trustcircles.topics.trolls import top_tenth_share
    return top_tenth_share(table)


def _responded_share(table: pd.DataFrame) -> float:
    from trustcircles.topics.trolls import responded_share
    return responded_share(table)


def _row(event_id, hour, actor, target, kind, parent="", hostile=False, question=False):
    return dict(event_id=event_id, timestamp=f"2025-03-03T{hour:02d}:00:00Z", actor=actor,
                target=target, kind=kind, parent_id=parent, is_question=question,
                is_promotional=False, is_hostile=hostile)


def _table(rows: list[dict]):
    """A small interactions table with an ``is_hostile`` column, typed like the shipped data."""
    def build():
        from trustcircles.data import as_interactions
        frame = pd.DataFrame(rows)
        hostile = frame.pop("is_hostile").astype(bool).to_numpy()
        for column in ("is_question", "is_promotional"):
            frame[column] = frame[column].astype(bool)
        frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
        typed = as_interactions(frame)
        typed["is_hostile"] = hostile
        return typed
    return build


# A star with an audience, two friends who talk with each other, a troll, and bystanders.
_STAR = [
    _row("p1", 1, "star", "", "post"),
    *[_row(f"r{i}", 2, fan, "star", "reply", "p1") for i, fan in enumerate("abcdefgh")],
    _row("s1", 3, "star", "a", "reply", "r0"),
    _row("f1", 3, "ann", "bob", "mention"),
    _row("f2", 4, "bob", "ann", "reply", "f1"),
    _row("h1", 5, "troll", "star", "reply", "p1", hostile=True),
    _row("h2", 5, "troll", "star", "reply", "p1", hostile=True),
    _row("h3", 6, "troll", "ann", "reply", "f2", hostile=True),
    _row("h4", 6, "troll", "", "post", hostile=True),                # hostile, but aimed at nobody
    _row("h5", 7, "troll", "troll", "reply", "h4", hostile=True),    # to itself: not aimed at anyone
    _row("l1", 8, "star", "troll", "like", "h1"),                     # the star likes a rant
    _row("l2", 8, "troll", "troll", "like", "h3"),                    # the troll likes its own rant
    _row("x1", 9, "carl", "troll", "reply", "h2", hostile=False),     # a bystander answers
    _row("x2", 9, "dana", "troll", "share", "h2"),
    _row("z1", 10, "zed", "ann", "like", "f1"),                       # zed only likes: 0 in-ties
]
# Nobody wrote anything hostile.
_CALM = [row for row in _STAR if not row["is_hostile"] and row["event_id"] not in ("l1", "l2", "x1", "x2")]
# Many accounts nobody talks to (they only like): the top tenth is counted over every account.
_LURKERS = _STAR + [_row(f"k{i}", 11, f"lurker{i}", "star", "like", "p1") for i in range(12)] + [
    _row("h6", 12, "troll", "bob", "reply", "f2", hostile=True),
    _row("x3", 12, "bob", "troll", "reply", "h6")]


@register("07_trolls_and_trust")
def _trolls() -> dict[str, Question]:
    star = _table(_STAR)
    calm = _table(_CALM)
    lurkers = _table(_LURKERS)
    return {
        "q1": Question(
            "q1", "the share of hostile replies aimed at the top tenth of accounts by audience",
            _top_tenth_share, _community, function_name="top_tenth_share",
            hint_text="count in_ties for every account (every value in actor or target; one that "
                      "nobody talks to has 0): how many different people spoke to it in a reply, "
                      "mention or dm, not counting itself. The top tenth are those with in_ties at least "
                      "in_ties.quantile(0.9). Then ask which hostile replies have their target among them.",
            explanation="A tenth of the accounts, the biggest audiences, received most of the hostility.",
            variants=[Variant("a small table with a star, two friends, a troll and bystanders", star),
                      Variant("the same with twelve accounts that only like (they have 0 in-ties) "
                              "and one more hostile reply", lurkers),
                      Variant("a table with no hostile messages at all", calm)]),
        "q2": Question(
            "q2", "the share of hostile replies that got any response (reply, like or share) "
                  "from someone other than their writer",
            _responded_share, _community, function_name="responded_share",
            hint_text="a response names the hostile reply in its parent_id and has kind reply, like or "
                      "share; the troll answering or liking its own message does not count. Count each "
                      "hostile reply once, however many responses it got.",
            explanation="Most hostile replies went unanswered: the responses trolls got were mostly likes "
                        "from accounts with big audiences.",
            variants=[Variant("a small table with a star, two friends, a troll and bystanders", star),
                      Variant("the same with twelve accounts that only like and one more hostile reply, "
                              "which was answered", lurkers),
                      Variant("a table with no hostile messages at all", calm)]),
    }
