"""Checks and hints for assignment 07_trolls_and_trust (the community dataset's hostile replies).

Part A (no code) reads lesson 07: the share of hostile replies the accounts with the biggest
audiences received (a1, from the explorer), which kind of account receives most of them (a2, from
the first figure), hostile replies told apart from other replies (a3, real-looking messages from the
data) and which one change would starve trolls of the most attention (a4, a scenario judged by the
responses in the data). Part B (pandas) computes the top tenth's share and the share of hostile
replies that got any response.

Expected values come from :mod:`trustcircles.topics.trolls` (which counts audiences with
:func:`trustcircles.metrics.in_ties`), the same functions lesson 07 uses.
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from trustcircles.checks import (ChoiceQuestion, Choices, Labelling, LabelsQuestion, NumberQuestion,
                                 Question, Variant, register)
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


# --------------------------------------------------------------------------- Part A

#: a1: the explorer's slider setting the question names (people talking to the account)
A1_THRESHOLD = 150

#: a2: the four kinds of account it offers, in the order of its options
A2_OPTIONS = {"A": "newcomer", "B": "trust_builder", "C": "broadcaster", "D": "transactional"}

#: a4: each option's change, as the responses it takes away (fed_share_without's arguments)
A4_CHANGES = {
    "A": ("Tell the whole community \"don't feed the trolls\": members who are not the target stop "
          "replying to, liking or sharing hostile replies.", dict(by_target=False)),
    "B": ("Ask the broadcasters (the accounts with the biggest audiences) to stop liking replies in "
          "bulk: they like only what they have read.", dict(archetypes=("broadcaster",), kinds=("like",))),
    "C": ("Ask the broadcasters never to reply to a hostile reply (they may go on liking replies as "
          "they do now).", dict(archetypes=("broadcaster",), kinds=("reply",))),
    "D": ("Ask trust builders and listeners never to answer a hostile reply aimed at them.",
          dict(archetypes=("trust_builder", "listener"), kinds=("reply",))),
}

#: a3: how many messages of each label it shows, and the seed of the pick (one whose sample has one
#: message of each phrasing: the simulator repeats phrasings, and a sample of one phrasing teaches little)
A3_COUNTS = {"hostile": 3, "reply": 3, "pitch": 1}
A3_SEED = 34


def top_audience_percent() -> float:
    """a1: the share (%) of hostile replies received by accounts with more than A1_THRESHOLD people
    talking to them, as the explorer reads it out."""
    from trustcircles.topics.trolls import audience_share, community_per_account
    return 100 * audience_share(community_per_account(), A1_THRESHOLD)["hostile_share"]


def receiver_choices() -> Choices:
    """a2: which kind of account receives most hostile replies (and its audience shows why)."""
    from trustcircles.topics.archetypes import PLURALS
    from trustcircles.topics.trolls import community_per_account, receivers_by_archetype
    per = community_per_account()
    groups = receivers_by_archetype(per)
    total = int(per["hostile_received"].sum())
    received = {letter: int(groups.loc[a, "received"]) for letter, a in A2_OPTIONS.items()}
    right = max(received, key=received.get)
    why = {}
    for letter, archetype in A2_OPTIONS.items():
        row = groups.loc[archetype]
        numbers = (f"the {int(row['accounts'])} {PLURALS[archetype]} received {received[letter]} of the "
                   f"{total} hostile replies; the median one has {row['median_in_ties']:g} people talking "
                   f"to it and {row['median_mutuals']:g} who talk back")
        if letter == right:
            why[letter] = (f"{numbers}. That is the far right of the first figure: trolls aim at the "
                           "biggest audiences, not at the people who know each other best.")
        else:
            why[letter] = f"{numbers}: {received[letter] / total:.0%} of the hostility."
    return Choices({k: PLURALS[a] for k, a in A2_OPTIONS.items()}, right, why)


def hostile_or_not() -> Labelling:
    """a3: seven replies from the community, each hostile, a pitch or another reply (the table's
    is_hostile and is_promotional columns say which)."""
    from trustcircles.topics import community
    from trustcircles.topics.messages import HOSTILE_OR_NOT, sorting_sample
    events, _ = community()
    sample = sorting_sample(events, HOSTILE_OR_NOT, A3_COUNTS, seed=A3_SEED)
    meaning = {label: text for label, (text, _rule) in HOSTILE_OR_NOT.items()}
    flags = {"hostile": "is_hostile is true", "pitch": "is_promotional is true (and is_hostile false)",
             "reply": "neither is_hostile nor is_promotional is true"}
    why = [f"the table says {flags[label]}: it {meaning[label]}." for label in sample["label"]]
    return Labelling([f'"{text}"' for text in sample["text"]], meaning, list(sample["label"]), why)


def fed_after(letter: str) -> float:
    """a4: the share of hostile replies that would still get any response after option ``letter``."""
    from trustcircles.topics import community
    from trustcircles.topics.trolls import fed_share_without
    events, accounts = community()
    return fed_share_without(events, accounts, **A4_CHANGES[letter][1])


def starve_choices() -> Choices:
    """a4: which one change leaves the fewest hostile replies with any response."""
    from trustcircles.topics import community
    from trustcircles.topics.trolls import habit_mask, hostile_responses, responded_share
    events, accounts = community()
    now = responded_share(events)
    responses = hostile_responses(events, accounts)
    after = {letter: fed_after(letter) for letter in A4_CHANGES}
    right = min(after, key=after.get)
    why = {}
    for letter, (_text, change) in A4_CHANGES.items():
        stopped = habit_mask(responses, **change)
        said = (f"{int(stopped.sum())} of the {len(responses)} responses trolls got came that way; "
                f"without them {after[letter]:.0%} of hostile replies would still get one (now "
                f"{now:.0%})")
        if letter == right:
            why[letter] = (f"{said}. Watch that share, the 'any response' bars of lesson 07, in the "
                           "weeks after: it should fall, with nobody asked to stop talking to people.")
        else:
            why[letter] = f"{said}: little would change."
    intro = ("Each is one change a community manager could ask for. It worked if the share of hostile "
             "replies that get any response (reply, like or share) falls.")
    return Choices({k: text for k, (text, _c) in A4_CHANGES.items()}, right, why, intro=intro)


def _part_a() -> dict:
    return {
        "a1": NumberQuestion(
            "a1", f"the share of hostile replies received by accounts with more than {A1_THRESHOLD} "
                  "people talking to them",
            hint_text="in lesson 07's explorer, move the slider until it reads the number the question "
                      "names; the sentence under the figure reads out the share of the hostile replies "
                      "those accounts received (the red bar on the left).",
            reasoning="The explorer's sentence gives it at that setting: a handful of accounts, about one "
                      "in a hundred, receive most of the hostility.",
            value=top_audience_percent, tolerance=2, unit="%"),
        "a2": ChoiceQuestion(
            "a2", "which kind of account receives most hostile replies",
            hint_text="in lesson 07's first figure, look at where the dots high up (many hostile replies "
                      "received) sit, and what colour they are; hover over them.",
            reasoning="The first figure puts each account by its audience and the hostility it received: "
                      "the high dots are far right, where many people talk to an account.",
            build=receiver_choices),
        "a3": LabelsQuestion(
            "a3", "whether each reply is hostile, a pitch or another reply",
            hint_text="hostile attacks or belittles the person it answers; a pitch tries to sell "
                      "(a product, an offer, a call to talk business); everything else that takes up "
                      "what was said is a reply, even when it is short or blunt.",
            reasoning="These labels are the table's is_hostile and is_promotional columns: it is what "
                      "lesson 07 counts as a hostile reply.",
            build=hostile_or_not),
        "a4": ChoiceQuestion(
            "a4", "which one change would leave the fewest hostile replies with any response",
            hint_text="lesson 07's third figure splits hostile replies by who they were aimed at: which "
                      "bars are tall, and who gave those responses? A change helps only as much as the "
                      "responses it takes away.",
            reasoning="Count where the responses trolls got came from: almost all were likes from the "
                      "accounts they were aimed at, given in bulk. Stopping a habit nobody has changes "
                      "nothing.",
            build=starve_choices),
    }


@register("07_trolls_and_trust")
def _trolls() -> dict[str, Question]:
    star = _table(_STAR)
    calm = _table(_CALM)
    lurkers = _table(_LURKERS)
    # what the learner is told about each table: the situation, never the rows
    small_community = ("a small community: one account with a big audience, two friends who talk, a troll "
                       "whose hostile messages include a post and a reply to itself, the troll liking its "
                       "own reply, and a hostile reply that two bystanders answer and share")
    only_like = ("the same with twelve accounts that only like (nobody talks to them: 0 in-ties) and one "
                 "more hostile reply, which gets an answer")
    no_hostility = "a table with no hostile messages at all"
    return {
        **_part_a(),
        "q1": Question(
            "q1", "the share of hostile replies aimed at the top tenth of accounts by audience",
            _top_tenth_share, _community, function_name="top_tenth_share",
            hint_text="count in_ties for every account (every value in actor or target; one that "
                      "nobody talks to has 0): how many different people spoke to it in a reply, "
                      "mention or dm, not counting itself. The top tenth are those with in_ties at least "
                      "in_ties.quantile(0.9). Then ask which hostile replies have their target among them.",
            explanation="A tenth of the accounts, the biggest audiences, received most of the hostility.",
            reasoning="First the audiences: keep the conversational events between two different "
                      "accounts, count each (actor, target) pair once and count the pairs per target, "
                      "then give every other account in the table 0. The top tenth is everyone at or "
                      "above the 90th percentile of those counts. The hostile replies are the rows that "
                      "are hostile, replies, and aimed at someone else; the answer is the share whose "
                      "target is in the top tenth (none at all: missing).",
            variants=[Variant(small_community, star, background=True),
                      Variant(only_like, lurkers, background=True),
                      Variant(no_hostility, calm, background=True)]),
        "q2": Question(
            "q2", "the share of hostile replies that got any response (reply, like or share) "
                  "from someone other than their writer",
            _responded_share, _community, function_name="responded_share",
            hint_text="a response names the hostile reply in its parent_id and has kind reply, like or "
                      "share; the troll answering or liking its own message does not count. Count each "
                      "hostile reply once, however many responses it got.",
            explanation="Most hostile replies went unanswered: the responses trolls got were mostly likes "
                        "from accounts with big audiences.",
            reasoning="Find the hostile replies as in question 1. Merge the replies, likes and shares "
                      "onto them by parent_id, drop the rows whose actor is the hostile reply's own "
                      "writer, and ask of each hostile reply whether any row is left (isin counts it "
                      "once, however many there are). The mean of that yes/no is the share.",
            variants=[Variant(small_community, star, background=True),
                      Variant(only_like, lurkers, background=True),
                      Variant(no_hostility, calm, background=True)]),
    }
