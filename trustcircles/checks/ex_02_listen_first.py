"""Checks and hints for assignment 02_listen_first (lesson 02), on the community dataset.

Part A (no code) reads lesson 02: how often trust builders open a tie by a reply (a1, the first
figure), which ties the other person talks back on most (a2, the second figure), how many of the
newcomers' reply-opened ties are two-way within a week (a3, the explorer) and, for a team that opens
most contacts cold, which change to try first and what would tell you it worked (a4, a scenario whose
right option is the one the data support). Part B (pandas) computes each account's share of ties
opened by a reply (q1: the events of a tie ordered by timestamp, then event_id as text) and the share
of ties that became two-way, for ties opened by a reply and for ties opened cold (q2). Expected values
come from :mod:`trustcircles.metrics` and :mod:`trustcircles.topics.listening`.
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from trustcircles.checks import ChoiceQuestion, Choices, NumberQuestion, Question, Variant, register
from trustcircles.checks.tables import community
from trustcircles.checks.tables import row as _row
from trustcircles.checks.tables import with_rows as _with_rows
from trustcircles.checks.tables import without as _without


def _opened_by_reply(table: pd.DataFrame) -> pd.Series:
    from trustcircles import metrics
    return metrics.opened_by_listening(table).dropna()


def _two_way_by_opening(table: pd.DataFrame) -> pd.Series:
    from trustcircles import metrics
    ties = metrics.ties(table)
    pairs = set(zip(ties["actor"], ties["target"]))
    two_way = pd.Series([(t, a) in pairs for a, t in zip(ties["actor"], ties["target"])], dtype=float)
    opening = (ties["first_kind"] == "reply").map({True: "reply", False: "cold"}).to_numpy()
    return two_way.groupby(opening).mean()


# --------------------------------------------------------------------------- Part A

#: a2's options: (whose ties, how they were opened), in the order of the letters
A2_OPTIONS = {"A": ("transactional", "reply"), "B": ("trust_builder", "dm"),
              "C": ("trust_builder", "reply"), "D": ("transactional", "dm")}
#: a3 reads the explorer at this wait (weeks) and for this archetype
A3_WEEKS, A3_ARCHETYPE = 1, "newcomer"
#: a4: the team of the scenario works like this archetype; answers are counted within A4_WEEKS,
#: and option A waits A4_LONGER_WEEKS instead
A4_ARCHETYPE, A4_WEEKS, A4_LONGER_WEEKS = "transactional", 1, 4

_HOW = {"reply": "by a reply", "mention": "with a cold mention", "dm": "with a direct message"}


@lru_cache(maxsize=1)
def _lesson():
    """The lesson's tables: (ties with how they were opened, per-account metrics), computed once
    per session (do not modify them)."""
    from trustcircles.topics import attention
    from trustcircles.topics import community as loaded
    from trustcircles.topics.listening import community_ties
    events, accounts = loaded()
    return community_ties(), attention.per_account(events, accounts)


def listening_median_percent(archetype: str = "trust_builder") -> float:
    """a1: the median share (%) of an archetype's ties opened by a reply (the first figure and the
    sentence above it, :func:`trustcircles.topics.attention.contrast_sentence`)."""
    _, frame = _lesson()
    return 100 * float(frame.groupby("archetype")["opened_by_listening"].median()[archetype])


def talked_back(archetype: str | None, opening: str) -> tuple[float, int]:
    """a2: (share talked back on, number of ties) for the ties an archetype opened in one way (the
    second figure; ``archetype`` None: everyone)."""
    from trustcircles.topics.listening import answered_within
    ties, _ = _lesson()
    row = answered_within(ties, None, archetype).loc[opening]
    return float(row["share_answered"]), int(row["ties"])


def talked_back_choices() -> Choices:
    """a2: which of four groups of ties was talked back on most often."""
    from trustcircles.topics.archetypes import PLURALS
    shares = {k: talked_back(a, o) for k, (a, o) in A2_OPTIONS.items()}
    right = max(shares, key=lambda k: shares[k][0])
    why = {}
    for letter, (archetype, opening) in A2_OPTIONS.items():
        share, n = shares[letter]
        said = f"{share:.0%} of the {n:,} ties {PLURALS[archetype]} opened {_HOW[opening]} were talked back on"
        if letter == right:
            why[letter] = f"{said}, the most of the four." + (
                " The same kind of message means something else between people who already talk: a "
                "DM among friends is not a cold pitch." if opening == "dm" else "")
        elif opening == "dm":
            why[letter] = (f"only {said}: direct messages that open with what the sender wants mostly "
                           "meet silence.")
        else:
            why[letter] = f"{said}: many, but another group's bar in the figure stands higher."
    options = {k: f"the ties {PLURALS[a]} opened {_HOW[o]}" for k, (a, o) in A2_OPTIONS.items()}
    return Choices(options, right, why)


def newcomers_two_way_percent() -> float:
    """a3: the share (%) of newcomers' ties opened by a reply that were two-way within a week (the
    explorer at 1 week, ties of newcomers)."""
    from trustcircles.topics.listening import two_way_shares
    ties, _ = _lesson()
    return 100 * two_way_shares(ties, A3_WEEKS, A3_ARCHETYPE)["reply"]["share"]


def scenario_effects() -> dict:
    """a4: the numbers behind each option, for the archetype the team resembles: the share of its
    ties opened cold, and the share (0-1) two-way within A4_WEEKS of ties opened by a reply, cold,
    by a mention, by a DM, and of cold ties within A4_LONGER_WEEKS; its median number of ties; and
    each option's effect in points on the share of new ties that become two-way."""
    from trustcircles.topics.listening import answered_within, two_way_shares
    ties, frame = _lesson()
    now = two_way_shares(ties, A4_WEEKS, A4_ARCHETYPE)
    later = two_way_shares(ties, A4_LONGER_WEEKS, A4_ARCHETYPE)
    by_kind = answered_within(ties, A4_WEEKS, A4_ARCHETYPE)
    cold_ties = now["cold"]["ties"]
    numbers = {"cold_share": cold_ties / (cold_ties + now["reply"]["ties"]),
               "reply": now["reply"]["share"], "cold": now["cold"]["share"],
               "cold_later": later["cold"]["share"],
               "mention": float(by_kind.at["mention", "share_answered"]),
               "dm": float(by_kind.at["dm", "share_answered"]),
               "median_ties": float(frame.loc[frame["archetype"] == A4_ARCHETYPE, "out_ties"].median())}
    numbers["effect"] = {"A": numbers["cold_later"] - numbers["cold"],   # wait longer
                         "B": numbers["reply"] - numbers["cold"],        # open by replying
                         "C": numbers["mention"] - numbers["dm"],        # mentions instead of DMs
                         "D": 0.0}                                       # more of the same: the share stays
    return numbers


def _points(delta: float) -> str:
    """A change in percentage points, in words: "+41 points", "+1 point", "no change"."""
    points = round(100 * delta)
    if points == 0:
        return "no change"
    return f"{points:+d} point{'s' if abs(points) != 1 else ''}"


def scenario_choices() -> Choices:
    """a4: a team that opens most contacts cold: which change to try first, and what would tell you
    it worked. The right option is the one with the largest effect in the data."""
    n = scenario_effects()
    effect = n["effect"]
    right = max(effect, key=effect.get)
    week = f"{A4_WEEKS} week" + ("s" if A4_WEEKS != 1 else "")
    options = {
        "A": (f"Give every cold message more time: judge it after {A4_LONGER_WEEKS} weeks instead of "
              f"{week}, and count the answers that have come in by then."),
        "B": ("Open contacts by replying to something the other person has said, and watch the share "
              f"of new ties that are two-way within {week}."),
        "C": ("Send cold public mentions instead of cold direct messages, and watch the share of them "
              "that get answered."),
        "D": "Send more cold messages each week, and count the messages sent.",
    }
    why = {
        "A": (f"waiting {A4_LONGER_WEEKS} weeks instead of {week} moves the share of these ties opened "
              f"cold that are two-way from {n['cold']:.0%} to {n['cold_later']:.0%} "
              f"({_points(effect['A'])}): an answer that does not come in the first week mostly never comes."),
        "B": (f"of the ties these accounts opened by a reply, {n['reply']:.0%} were two-way within {week}, "
              f"against {n['cold']:.0%} of those they opened cold ({_points(effect['B'])}), by far the largest "
              "difference on offer. Watching the share of new ties that become two-way tells you whether "
              "it works for your team: the data are simulated, and a reply lands in a conversation the "
              "other person started, so this is the change to try first, not a promise."),
        "C": (f"ties opened with a cold mention were two-way within {week} {n['mention']:.0%} of the time, "
              f"those opened with a cold DM {n['dm']:.0%} ({_points(effect['C'])}): the channel hardly "
              "matters while the message is cold."),
        "D": (f"these accounts already open a median of {n['median_ties']:.0f} ties each, and "
              f"{n['cold']:.0%} of the cold ones are two-way within {week}; more of the same leaves that "
              f"share where it is ({_points(effect['D'])}) while the count of messages sent rises whatever "
              "happens to the answers, so the count cannot tell you whether anything worked."),
    }
    intro = (f"A sales team works like lesson 02's transactional accounts: it opens {n['cold_share']:.0%} "
             f"of its ties cold (a mention or a direct message), and {n['cold']:.0%} of those are two-way "
             f"within {week}. Which change would you try first, and what would tell you it worked?")
    return Choices(options, right, why, intro=intro)


def _part_a() -> dict:
    return {
        "a1": NumberQuestion(
            "a1", "the trust builders' median share of ties opened by a reply, in %",
            hint_text="lesson 02's first figure and the sentence printed above it give the medians as "
                      "shares between 0 and 1; 0.50 is 50%.",
            reasoning="The sentence above the first figure gives the middle trust builder's share of ties "
                      "opened by answering; written as a percentage, it says that almost every tie they "
                      "have began with listening.",
            value=listening_median_percent, tolerance=3, unit="%"),
        "a2": ChoiceQuestion(
            "a2", "which group of ties was talked back on most often",
            hint_text="lesson 02's second figure: hover over each bar named in the options; the height is "
                      "the share of those ties the other person talked back on.",
            reasoning="Read the four bars named in the options. The tallest is a kind of message usually "
                      "called cold, sent by the group that opens almost everything by listening: whom you "
                      "write to matters as much as the kind of message.",
            build=talked_back_choices),
        "a3": NumberQuestion(
            "a3", f"the share of newcomers' ties opened by a reply that were two-way within {A3_WEEKS} week",
            hint_text="lesson 02's explorer: set the slider to 1 week and 'ties of' to newcomer; the first "
                      "bar (and the first number in the sentence) is the one for ties opened by a reply.",
            reasoning="With the wait at one week and the newcomers' ties selected, the explorer's sentence "
                      "gives the share of their reply-opened ties that were two-way by then: a newcomer "
                      "who answers someone is usually answered back at once.",
            value=newcomers_two_way_percent, tolerance=2, unit="%"),
        "a4": ChoiceQuestion(
            "a4", "which change a team that opens its contacts cold should try first",
            hint_text="for each option, find the numbers in lesson 02 that say what the change would do "
                      "(the explorer's slider, the bars by opening); then ask whether its measure could "
                      "rise while nobody answers more.",
            reasoning="Compare what each change does to the share of ties that become two-way: waiting "
                      "and switching channel barely move it, sending more does not move it at all, and "
                      "opening by a reply moves it most. A good measure is a share of answers, not a "
                      "count of effort.",
            build=scenario_choices),
    }


# --------------------------------------------------------------------------- Part B

# Small tables for the hidden tests, described to the learner in words only.
# Two events of one tie at the same instant: the one whose event_id comes first as text is first.
# Disguising gives the events new random names, so which of the two comes first is a coin toss per
# tie: eight such ties, from eight people, leave a function that ignores the event_id order about
# one chance in 256 of being right by luck, under any seed.
_SAME_SECOND = [f"n{i}" for i in range(1, 9)]
_same_instant = _with_rows(
    [r for i, who in enumerate(_SAME_SECOND, start=1) for r in (
        _row(f"x{i}a", f"2025-03-06T09:{i:02d}:00Z", who, "ann", "reply", "e00001"),
        _row(f"x{i}b", f"2025-03-06T09:{i:02d}:00Z", who, "ann", "dm", promotional=True))]
    + [_row("x11", "2025-03-06T10:00:00Z", "dan", "bob", "reply", "e00002"),
       _row("x12", "2025-03-06T12:00:00Z", "bob", "dan", "reply", "x11")])
# A later reply does not change how a tie was opened; replies to oneself and likes make no tie.
_later_reply = _with_rows([
    _row("y1", "2025-03-07T09:00:00Z", "cat", "ann", "reply", "e00001"),
    _row("y2", "2025-03-04T09:00:00Z", "cat", "cat", "reply", "e00004"),
    _row("y3", "2025-03-04T10:00:00Z", "ann", "cat", "like", "e00004"),
    _row("y4", "2025-03-08T10:00:00Z", "ann", "cat", "mention"),
    _row("y5", "2025-03-04T12:00:00Z", "dan", "ann", "reply", "e00001"),
])
_no_cold = _without(("e00004", "e00005"))
_only_a_post = _without(("e00002", "e00003", "e00004", "e00005", "e00006"))

_SAME_INSTANT = ("a table where people each send a reply and a direct message to the same person at the "
                 "same second (the one whose event_id comes first as text is the tie's first event)")
_LATER_REPLY = ("a table where someone who first wrote to a person cold replies to them later, with a "
                "reply to oneself, a like, a late mention and a reply nobody answers")
_NO_COLD = "a table where every tie is opened by a reply (nobody opens cold)"
_ONLY_A_POST = "a table where nobody talks to anybody (a single post)"


@register("02_listen_first")
def _listen_first() -> dict[str, Question]:
    return {
        **_part_a(),
        "q1": Question(
            "q1", "for every account that talks to someone, the share of its ties opened by a reply",
            _opened_by_reply, community, kind="per_label", label="account", missing_ok=True,
            function_name="opened_by_reply",
            hint_text="for each pair (actor, target) of conversational events (reply, mention, dm; "
                      "actor ≠ target) find the first event: sort by timestamp, then by event_id "
                      "(as text), and keep the first row of each pair. Then the share of first events "
                      "that are replies, per actor.",
            explanation="Transactional accounts open almost every tie cold; trust builders almost "
                        "always by answering.",
            reasoning="Keep conversation between two different accounts, sort it by timestamp and then "
                      "event_id, and drop every row of a pair but its first: what is left is one first "
                      "event per tie. Whether it is a reply, averaged per actor, is the share.",
            variants=[Variant(_SAME_INSTANT, _same_instant, background=True),
                      Variant(_LATER_REPLY, _later_reply, background=True),
                      Variant(_ONLY_A_POST, _only_a_post)]),
        "q2": Question(
            "q2", "the share of ties that became two-way, for ties opened by a reply and for ties "
                  "opened cold", _two_way_by_opening, community, kind="per_label",
            label="group", missing_ok=True, function_name="two_way_by_opening",
            hint_text="take each tie's first event as in q1 and label the tie 'reply' or 'cold'; a tie "
                      "a→b is two-way when b→a is a tie too (at any time). Average that per label, "
                      "over ties.",
            explanation="A reply joins a conversation that is already going; a cold opening seldom "
                        "starts one.",
            reasoning="Take the first events of q1 (one row per tie), mark each tie two-way when its "
                      "reversed pair is among them, label it by its first event's kind (a reply, or cold "
                      "for a mention or a dm) and average the marks per label.",
            # q2's answer pools all ties, so a function that ignores the event_id order is right by
            # luck on one such table about one time in five: three of them, disguised apart, make
            # that luck rare (about one in a hundred).
            variants=[Variant(_SAME_INSTANT, _same_instant, background=True),
                      Variant(_SAME_INSTANT, _same_instant, background=True),
                      Variant(_SAME_INSTANT, _same_instant, background=True),
                      Variant(_LATER_REPLY, _later_reply, background=True),
                      Variant(_NO_COLD, _no_cold),
                      Variant(_ONLY_A_POST, _only_a_post)]),
    }
