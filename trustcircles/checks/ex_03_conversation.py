"""Checks and hints for the assignment 03_conversation (lesson 03, From information to conversation).

Part A (no code) reads lesson 03: sorting six real-looking messages from the community into pitch,
listening reply, broadcast and hostile (a1, labels from the table's own columns,
:data:`trustcircles.topics.messages.BEHAVIOURS`), the share of replies that mostly-broadcasting
accounts answer back (a2, the explorer), what the scatter says about broadcasters (a3) and, for a team
whose posts sell, which change to try first and what would tell you it worked (a4, a scenario whose
right option is the one the data support). Part B (pandas): q1, each account's broadcast ratio
(METRICS.md, via trustcircles.metrics.broadcast_ratio); q2, the share of promotional and of personal
messages that got a reply from someone else (the lesson's own function,
trustcircles.topics.conversation.reply_share_by_promotion).
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from trustcircles.checks import (ChoiceQuestion, Choices, Labelling, LabelsQuestion, NumberQuestion,
                                 Question, Variant, register)
from trustcircles.checks.tables import community as _community
from trustcircles.checks.tables import row as _row
from trustcircles.checks.tables import with_rows as _with_rows
from trustcircles.checks.tables import without as _without


def _broadcast_ratios(table: pd.DataFrame) -> pd.Series:
    from trustcircles import metrics
    return metrics.broadcast_ratio(table).dropna()


def _reply_shares(table: pd.DataFrame) -> dict:
    from trustcircles.topics.conversation import reply_share_by_promotion
    return reply_share_by_promotion(table)


# --------------------------------------------------------------------------- Part A

#: a1: how many messages of each behaviour the learner sorts
A1_COUNTS = {"pitch": 2, "reply": 2, "broadcast": 1, "hostile": 1}
#: a1's sample seed: the same six messages every time, among them a pitch written as a reply
A1_SEED = 3
#: a2 reads the explorer at this cut-off, showing the replies answered back
A2_CUTOFF = 0.5
#: a3 compares these two archetypes in the table under the scatter
A3_PAIR = ("broadcaster", "trust_builder")
#: a4: what the team sends now, and what each option would send instead: (kind, sort)
A4_NOW = ("post", "promotional")
A4_CHANGES = {"A": ("dm", "promotional"), "B": ("post", "personal"), "C": ("mention", "promotional"),
              "D": ("post", "promotional")}


@lru_cache(maxsize=1)
def _lesson():
    """The lesson's tables: (events, per-account conversation table, replies by kind and sort),
    computed once per session (do not modify them)."""
    from trustcircles.topics import community
    from trustcircles.topics.conversation import conversation_by_account, reply_share_by_kind
    events, accounts = community()
    return events, conversation_by_account(events, accounts), reply_share_by_kind(events)


def message_sample() -> pd.DataFrame:
    """a1: the six messages to sort (event_id, text, label, kind), the same for the same data."""
    from trustcircles.topics.messages import BEHAVIOURS, sorting_sample
    events, _, _ = _lesson()
    sample = sorting_sample(events, BEHAVIOURS, A1_COUNTS, seed=A1_SEED)
    kinds = events.set_index("event_id")["kind"]
    return sample.assign(kind=kinds.reindex(sample["event_id"]).astype(str).to_numpy())


def behaviour_labelling() -> Labelling:
    """a1: each message's behaviour, as the table's columns say (kind, is_promotional, is_hostile)."""
    from trustcircles.topics.messages import BEHAVIOURS
    sample = message_sample()
    why = {"pitch": "a {kind} with is_promotional true: it sells something{inside}.",
           "reply": "a reply with is_promotional false: it takes up what someone else said and sells nothing.",
           "broadcast": "a post (to everyone and no one in particular) with is_promotional false.",
           "hostile": "a {kind} with is_hostile true: it attacks or belittles someone."}
    as_reply = ", though it is written as a reply"
    return Labelling([f'"{text}"' for text in sample["text"]],
                     {label: meaning for label, (meaning, _rule) in BEHAVIOURS.items()},
                     list(sample["label"]),
                     [why[label].format(kind=kind, inside=as_reply if kind == "reply" else "")
                      for label, kind in zip(sample["label"], sample["kind"])])


def broadcasters_answered_back_percent() -> float:
    """a2: the share (%) of the replies they received that mostly-broadcasting accounts answered
    back, at the explorer's cut-off (:func:`trustcircles.topics.conversation.group_summary`)."""
    from trustcircles.topics.conversation import group_summary
    _, per_account, _ = _lesson()
    measured = per_account[per_account["broadcast_ratio"].notna()]
    return 100 * group_summary(measured, A2_CUTOFF)["broadcast"]["answered_back_share"]


def pair_medians() -> pd.DataFrame:
    """a3: the medians printed under the scatter (replies per message, share answered back) for the
    two archetypes compared."""
    from trustcircles.topics.conversation import archetype_medians
    _, per_account, _ = _lesson()
    return archetype_medians(per_account, ["replies_per_message", "answered_back_share"]).loc[list(A3_PAIR)]


def broadcaster_choices() -> Choices:
    """a3: four statements, one for each way the two comparisons could go; the data pick one."""
    from trustcircles.topics.archetypes import PLURALS
    med = pair_medians()
    a, b = A3_PAIR
    more_replies = bool(med.at[a, "replies_per_message"] > med.at[b, "replies_per_message"])
    more_back = bool(med.at[a, "answered_back_share"] >= med.at[b, "answered_back_share"])
    statements = {"A": (False, False), "B": (True, False), "C": (True, True), "D": (False, True)}
    first = {True: "more replies per message than", False: "fewer replies per message than"}
    second = {True: "answer back as many of them or more", False: "answer back fewer of them"}
    replies = (f"{PLURALS[a]}' median is {med.at[a, 'replies_per_message']:.2f} replies per message, "
               f"{PLURALS[b]}' {med.at[b, 'replies_per_message']:.2f}")
    back = (f"{PLURALS[a]} answered back a median {med.at[a, 'answered_back_share']:.0%} of the replies "
            f"they got, {PLURALS[b]} {med.at[b, 'answered_back_share']:.0%}")
    options, why = {}, {}
    right = next(k for k, s in statements.items() if s == (more_replies, more_back))
    for letter, (says_more, says_back) in statements.items():
        joint = "and" if says_more == says_back else "but"
        options[letter] = (f"{PLURALS[a].capitalize()} get {first[says_more]} {PLURALS[b]}, {joint} "
                           f"{second[says_back]}.")
        wrong = []
        if says_more != more_replies:
            wrong.append(f"the first half does not fit ({replies})")
        if says_back != more_back:
            wrong.append(f"the second half does not fit ({back})")
        if letter == right:
            why[letter] = (f"{replies}; {back}. An audience replies, but the conversation stops with the "
                           "broadcaster.")
        else:
            why[letter] = "; ".join(wrong) + "."
    return Choices(options, right, why, intro=f"Statements about {PLURALS[a]} and {PLURALS[b]}:")


def scenario_shares() -> dict[str, tuple[float, int]]:
    """a4: (share that got a reply from someone else, number of messages) for what the team sends
    now (key "now") and for each option's kind and sort of message (lesson 03's third figure)."""
    _, _, by_kind = _lesson()
    table = by_kind.set_index(["kind", "sort"])
    look = lambda key: (float(table.at[key, "share"]), int(table.at[key, "messages"]))  # noqa: E731
    return {"now": look(A4_NOW), **{letter: look(key) for letter, key in A4_CHANGES.items()}}


def _points(delta: float) -> str:
    """A change in percentage points, in words: "+15 points", "no change"."""
    points = round(100 * delta)
    return "no change" if points == 0 else f"{points:+d} point{'s' if abs(points) != 1 else ''}"


def scenario_choices() -> Choices:
    """a4: a team whose posts sell: which change to try first, and what would tell you it worked.
    The right option is the change whose messages got a reply most often in the data (option D
    changes nothing about the messages, only their number)."""
    shares = scenario_shares()
    now, count_now = shares["now"]
    effect = {k: shares[k][0] - now for k in A4_CHANGES}
    right = max(effect, key=effect.get)
    options = {
        "A": ("Send the same offer as direct messages to people instead, and watch the share of them "
              "that get a reply."),
        "B": ("Write posts that open a topic up for discussion, with no sales pitch in them, and watch the "
              "share of posts that get a reply from someone else."),
        "C": "Tag people in the offer with @mentions, and watch the share of mentions that get a reply.",
        "D": "Post the same offer twice as often, and count the replies in total.",
    }
    said = {k: f"{shares[k][0]:.0%} of the {shares[k][1]:,}" for k in A4_CHANGES}
    why = {
        "A": (f"{said['A']} promotional direct messages got a reply ({_points(effect['A'])} against the "
              f"posts' {now:.0%}): a pitch in a private message meets even more silence."),
        "B": (f"{said['B']} personal posts got a reply from someone else, against {now:.0%} of promotional "
              f"ones ({_points(effect['B'])}), the only change on offer that raises the share. Watching "
              "the share of posts that get a reply tells you whether it works for your team: the data are "
              "simulated, so this is the change to try first, not a promise."),
        "C": (f"{said['C']} promotional mentions got a reply ({_points(effect['C'])} against the posts' "
              f"{now:.0%}): tagging people in a pitch does not make them answer it."),
        "D": (f"twice the posts at the same {now:.0%} would roughly double the count of replies (the "
              f"{count_now:,} promotional posts got about {round(now * count_now):,}), while the share "
              f"that gets answered stays where it is ({_points(effect['D'])}): a count of replies grows "
              "with volume alone, so it cannot tell you whether anything worked."),
    }
    intro = (f"A team's posts mostly sell. In lesson 03's community, {now:.0%} of the {count_now:,} "
             "promotional posts got a reply from someone else. Which change would you try first, and "
             "what would tell you it worked?")
    return Choices(options, right, why, intro=intro)


def _part_a() -> dict:
    return {
        "a1": LabelsQuestion(
            "a1", "the behaviour of each message: pitch, listening reply, broadcast or hostile",
            hint_text="ask of each message, in this order: does it attack someone (hostile)? does it "
                      "sell or promote anything, even politely inside a reply (pitch)? does it answer "
                      "what someone said (reply)? or is it said to everyone (broadcast)?",
            reasoning="Each label comes from the table's own columns: is_hostile, then is_promotional, "
                      "then the kind of message (a reply, or a post to everyone). A reply that sells is "
                      "a pitch: what it does matters more than where it sits.",
            build=behaviour_labelling),
        "a2": NumberQuestion(
            "a2", "the share of the replies they got that mostly-broadcasting accounts answered back",
            hint_text="lesson 03's explorer: leave the cut-off at 50%, choose 'replies they answered back', "
                      "and read the first bar (or the first share in the sentence).",
            reasoning="With the cut-off at 50% and 'replies they answered back' chosen, the sentence gives "
                      "the share of their replies the mostly-broadcast group answered: about one in five, "
                      "against nearly half for the conversational accounts.",
            value=broadcasters_answered_back_percent, tolerance=2, unit="%"),
        "a3": ChoiceQuestion(
            "a3", "what the scatter and the table under it say about broadcasters",
            hint_text="the table printed under lesson 03's scatter gives, per archetype, the median "
                      "replies received per message and the median share answered back: compare the "
                      "broadcasters' row with the trust builders' on both columns.",
            reasoning="Read both columns: broadcasters are not ignored (their audience replies), but they "
                      "answer few of those replies, so the talk goes one way.",
            build=broadcaster_choices),
        "a4": ChoiceQuestion(
            "a4", "which change a team whose posts sell should try first",
            hint_text="lesson 03's third figure (selling versus talking) gives, for each kind of message, "
                      "the share of promotional and of personal ones that got a reply; then ask whether "
                      "an option's measure could rise while nobody answers more often.",
            reasoning="Look up each option's kind of message in the figure: moving the pitch into DMs or "
                      "mentions lowers the share answered, sending more changes only the count, and "
                      "dropping the pitch raises the share. A good measure is a share, not a count.",
            build=scenario_choices),
    }


# --------------------------------------------------------------------------- Part B


@register("03_conversation")
def _conversation() -> dict[str, Question]:
    # Small variant tables for the hidden tests, described in words only.
    self_like_and_post = _with_rows([
        _row("x1", "2025-03-06T09:00:00Z", "ann", "ann", "reply", "e00001"),
        _row("x2", "2025-03-06T10:00:00Z", "cat", "ann", "like", "e00001"),
        _row("x3", "2025-03-06T11:00:00Z", "dan", "", "post", promotional=True),
        _row("x4", "2025-03-06T12:00:00Z", "eve", "dan", "share", "x3"),
    ])
    first_post_missing = _without(("e00001",))
    replies_that_do_not_count = _with_rows([
        _row("y1", "2025-03-04T09:00:00Z", "cat", "cat", "reply", "e00004"),
        _row("y2", "2025-03-04T10:00:00Z", "bob", "ann", "like", "e00003"),
        _row("y3", "2025-03-04T11:00:00Z", "dan", "ann", "reply", "e00001"),
        _row("y4", "2025-03-04T12:00:00Z", "dan", "", "post", promotional=True),
        _row("y5", "2025-03-04T13:00:00Z", "ann", "dan", "reply", "y4"),
    ])
    no_promotion = _without(("e00004", "e00005"))
    self_like_post_share = "a table with a reply to oneself, a like, a promotional post and a share added"
    missing_parent = ("a table whose first post is missing, so a reply answers a message that is not "
                      "in the table")
    return {
        **_part_a(),
        "q1": Question(
            "q1", "the broadcast ratio of every account that wrote something", _broadcast_ratios,
            _community, kind="per_label", label="account", missing_ok=True,
            function_name="broadcast_ratios",
            hint_text="the messages an account wrote are its posts, replies, mentions and DMs, leaving "
                      "out anything addressed to itself (actor = target); likes and shares are not "
                      "written. The broadcast ratio is the share of those that are posts.",
            explanation="Broadcasters post most of what they write; most others mostly talk to someone.",
            reasoning="Keep the written kinds and drop rows whose actor is their own target (a post has "
                      "no target, so it stays); whether each remaining row is a post, averaged per actor, "
                      "is the ratio. Accounts that only like or share never appear.",
            variants=[Variant(self_like_post_share, self_like_and_post, background=True),
                      Variant(missing_parent, first_post_missing, background=True)]),
        "q2": Question(
            "q2", "the share of promotional and of personal messages that got a reply", _reply_shares,
            _community, kind="values", function_name="reply_shares",
            hint_text="for each message written (post, reply, mention, dm; not addressed to oneself), "
                      "ask whether some reply names it as parent_id and comes from another account. "
                      "Count each message once, however many replies it got; likes are not replies.",
            explanation="Promotional messages mostly meet silence; personal ones are answered far more often.",
            reasoning="Merge the written messages with the replies on event_id = parent_id, keep the "
                      "pairs whose reply comes from someone else, and mark a message answered when its "
                      "event_id is among them (isin counts it once). The mean of that mark among "
                      "promotional and among personal messages gives the two shares.",
            variants=[Variant("the worked example", _without(()), background=True),
                      Variant("a table with a reply to oneself, a like, a second reply to the same "
                              "message and a promotional post that got a reply", replies_that_do_not_count,
                              background=True),
                      Variant("a table without any promotional message", no_promotion,
                              background="quiet")]),
    }
