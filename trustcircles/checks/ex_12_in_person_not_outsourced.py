"""Checks and hints for assignment 12_in_person_not_outsourced.

Part A (no code) reads lesson 12: which of three accounts is run by a scheduler or an agency, from
its traces (a1, material shown by ``ex.a1.show()``), what reads as personal in five messages (a2, a
sorting question), the share of cross-site ties returned in leader-led teams (a3, the distributed
teams figure) and which evidence could test an agency's claim to build trust (a4, a scenario
judgement on the lesson's case). Part B (pandas) computes the three traces for one account.
"""
from __future__ import annotations

import pandas as pd

from trustcircles.checks import (ChoiceQuestion, Choices, Labelling, LabelsQuestion, NumberQuestion,
                                 Question, Variant, register)
from trustcircles.checks.tables import community as _community
from trustcircles.checks.tables import row as _row
from trustcircles.checks.tables import with_rows as _with_rows
from trustcircles.checks.tables import worked_example as _worked_example

#: a1: the archetypes of the three accounts offered, by letter (the accounts are picked from the data)
A1_ARCHETYPES = {"A": "broadcaster", "B": "outsourced", "C": "transactional"}


def _presence():
    from trustcircles.topics import community, presence
    events, accounts = community()
    return events, accounts, presence.presence_by_account(events, accounts)


def _pct(value) -> str:
    return "no" if pd.isna(value) else f"{value:.0%}"


# --------------------------------------------------------------------------- Part A


def a1_accounts() -> dict[str, str]:
    """a1: letter -> account: for each archetype, its account with the most posts among those the
    lesson's explorer does not show (so the explorer's labels do not give the answer)."""
    from trustcircles.topics.presence import example_accounts
    _, _, frame = _presence()
    shown = set(example_accounts(frame).values())
    picked = {}
    for letter, archetype in A1_ARCHETYPES.items():
        part = frame[(frame["archetype"] == archetype) & ~frame.index.isin(shown) & (frame["replies"] > 0)]
        picked[letter] = str(part.sort_values(["second_turns_offered", "posts"], ascending=False,
                                              kind="stable").index[0])
    return picked


def outsourced_choices() -> Choices:
    events, _, frame = _presence()
    picked = a1_accounts()
    texts = events[events["kind"].isin(["post", "reply"]) & events["text"].notna()]
    lines = ["Three accounts of the community, as the lesson's measures see them:"]
    numbers = {}
    for letter, account in picked.items():
        row = frame.loc[account]
        numbers[letter] = row
        sample = texts[texts["actor"] == account].sort_values("event_id")["text"].head(2).tolist()
        lines.append(f"  {letter}. {account}: {int(row['posts'])} posts, {_pct(row['clock_share'])} on the clock; "
                     f"{int(row['replies'])} replies, {_pct(row['office_share'])} in office hours; took "
                     f"{_pct(row['follow_up_rate'])} of {int(row['second_turns_offered'])} second "
                     f"turn{'' if int(row['second_turns_offered']) == 1 else 's'} offered.")
        lines += [f"       \"{t}\"" for t in sample]
    lines.append("Which one is run by a scheduling tool or an agency?")
    score = {k: (r["clock_share"] if pd.notna(r["clock_share"]) else 0) + r["office_share"]
             for k, r in numbers.items()}
    right = max(score, key=score.get)
    why = {}
    for letter, row in numbers.items():
        if letter == right:
            why[letter] = (f"{_pct(row['clock_share'])} of its posts fall in the first minute of an hour or a half "
                           f"hour and {_pct(row['office_share'])} of its replies in office hours, and it took "
                           f"{_pct(row['follow_up_rate'])} of its second turns: a tool's clock, an office's hours, "
                           "nobody there to carry on.")
        else:
            why[letter] = (f"only {_pct(row['clock_share'])} of its posts are on the clock and "
                           f"{_pct(row['office_share'])} of its replies in office hours (a person posts at any "
                           f"minute and answers at any hour), and it took {_pct(row['follow_up_rate'])} of its "
                           "second turns.")
    return Choices({k: f"account {v}" for k, v in picked.items()}, right, why, intro="\n".join(lines))


def realness_labelling() -> Labelling:
    """a2: five messages: personal, canned or a pitch (the author's archetype, the kind, the flags)."""
    from trustcircles.topics.messages import REALNESS, sorting_sample
    events, accounts, _ = _presence()
    table = events.assign(archetype=events["actor"].map(accounts.set_index("account")["archetype"]))
    sample = sorting_sample(table, REALNESS, {"personal": 2, "canned": 2, "pitch": 1}, seed=12)
    meaning = {label: text for label, (text, _rule) in REALNESS.items()}
    source = {"personal": "a trust builder or listener replying to someone by name, selling nothing",
              "canned": "an outsourced account's reply", "pitch": "a message marked is_promotional"}
    why = [f"in the data it is {source[label]}." for label in sample["label"]]
    return Labelling([f'"{text}"' for text in sample["text"]], meaning, list(sample["label"]), why)


def cross_site_returned_percent() -> float:
    """a3: the share (%) of ties across sites returned, pooled over the leader-led teams."""
    from trustcircles.topics import presence
    summary = presence.style_summary(presence.site_ties(*presence.workplace_tables()))
    return 100 * float(summary.loc["leader_led", "returned_cross_site"])


def evidence_choices() -> Choices:
    """a4: which evidence could tell whether an account builds relationships (the lesson's case)."""
    from trustcircles.topics.presence import archetype_presence
    _, _, frame = _presence()
    medians = archetype_presence(frame)
    out, tb = medians.loc["outsourced"], medians.loc["trust_builder"]
    weeks = 26
    posts_week = frame.loc[frame["archetype"] == "outsourced", "posts"].median() / weeks
    options = {
        "A": "How many posts a week the account publishes and how many comments get a reply.",
        "B": "How often the account takes the second turn: when someone answers its reply, does it answer back?",
        "C": "The share of its posts published at the best times of the week.",
    }
    why = {
        "A": (f"activity is what the agency can supply: the outsourced accounts here publish about "
              f"{posts_week:.0f} posts a week and answer first comments, which says nothing about whether "
              "anyone is there for the people who write back."),
        "B": (f"the outsourced accounts take {out['follow_up_rate']:.0%} of their second turns, trust builders "
              f"{tb['follow_up_rate']:.0%}: the second turn is where a relationship begins, and it is the one "
              "thing a schedule and a canned reply cannot do."),
        "C": (f"the outsourced accounts post {out['clock_share']:.0%} of the time on the clock: timing measures "
              "the scheduling tool, not a relationship."),
    }
    return Choices(options, "B", why,
                   intro="The agency in lesson 12's case says its scheduled posts and office-hours replies "
                         "'build trust'. Which evidence could tell whether your account builds relationships?")


def _part_a() -> dict:
    return {
        "a1": ChoiceQuestion(
            "a1", "which account is run by a scheduling tool or an agency",
            hint_text="lesson 12's Figures 1 and 2: where do scheduled posts fall in the hour, when does an "
                      "office answer, and who takes the second turn?",
            reasoning="Read when and how each account answers, not how much it posts: a tool posts on the "
                      "minute, an office answers in office hours, and a canned reply never carries on.",
            build=outsourced_choices),
        "a2": LabelsQuestion(
            "a2", "whether each message is personal, canned or a pitch",
            hint_text="who could have written it to anyone at all? Does it sell? Does it ask about the person "
                      "or carry on what they said?",
            reasoning="A pitch names you too; a canned reply has the same words for everyone; a personal "
                      "message is about the person it answers.",
            build=realness_labelling),
        "a3": NumberQuestion(
            "a3", "the share of ties across sites returned in leader-led teams",
            hint_text="lesson 12's distributed teams section: the sentence printed above the figure, for "
                      "leader-led teams.",
            reasoning="Pooled over the leader-led teams: of the ties between teammates at different sites, "
                      "the share whose tie back exists.",
            value=cross_site_returned_percent, tolerance=2, unit="%"),
        "a4": ChoiceQuestion(
            "a4", "which evidence could test the agency's claim",
            hint_text="which of the three could an agency produce without anyone being there?",
            reasoning="Measures the agency controls (activity, timing) cannot test its claim; the second turn "
                      "can, because only someone who is there takes it. Whether truthfulness pays in the long "
                      "run stays argument: no number here measures it.",
            build=evidence_choices),
    }


# --------------------------------------------------------------------------- Part B


def _office_share(table: pd.DataFrame, account: str) -> float:
    from trustcircles.topics.presence import presence_by_account
    frame = presence_by_account(table)
    return float(frame.loc[account, "office_share"]) if account in frame.index else float("nan")


def _clock_share(table: pd.DataFrame, account: str) -> float:
    from trustcircles.topics.presence import presence_by_account
    frame = presence_by_account(table)
    return float(frame.loc[account, "clock_share"]) if account in frame.index else float("nan")


def _second_turns(table: pd.DataFrame, account: str) -> float:
    from trustcircles.topics.presence import follow_ups
    turns = follow_ups(table)
    mine = turns[turns["account"] == account]
    return float(mine["followed_up"].mean()) if len(mine) else float("nan")


def _trust_builder() -> tuple:
    """The notebook's account: the trust builder the lesson's explorer shows."""
    from trustcircles.topics.presence import example_accounts
    _, _, frame = _presence()
    return (next(v for k, v in example_accounts(frame).items() if k.startswith("trust builder")),)


@register("12_in_person_not_outsourced")
def _presence_questions() -> dict[str, Question]:
    at_five = _with_rows([_row("h1", "2025-03-04T17:00:00Z", "ann", "bob", "reply", "e00002")])
    saturday = _with_rows([_row("h2", "2025-03-08T10:00:00Z", "ann", "bob", "reply", "e00002")])
    early = _with_rows([_row("h3", "2025-03-05T08:59:00Z", "ann", "bob", "reply", "e00002"),
                        _row("h4", "2025-03-05T09:00:00Z", "ann", "bob", "reply", "e00006")])
    evening_post = _with_rows([_row("h5", "2025-03-04T20:00:00Z", "ann", "", "post")])
    on_the_minute = _with_rows([_row("c1", "2025-03-04T10:00:59Z", "ann", "", "post"),
                                _row("c2", "2025-03-04T10:01:00Z", "ann", "", "post"),
                                _row("c3", "2025-03-04T14:30:10Z", "ann", "", "post")])
    reply_on_clock = _with_rows([_row("c4", "2025-03-04T11:30:00Z", "ann", "bob", "reply", "e00002"),
                                 _row("c5", "2025-03-04T15:17:00Z", "ann", "", "post")])
    answered_back = _with_rows([_row("t1", "2025-03-04T09:00:00Z", "dan", "ann", "reply", "e00003"),
                                _row("t2", "2025-03-04T10:00:00Z", "ann", "dan", "reply", "t1")])
    two_answers = _with_rows([_row("t3", "2025-03-04T09:00:00Z", "dan", "ann", "reply", "e00003"),
                              _row("t4", "2025-03-04T09:30:00Z", "eve", "ann", "reply", "e00003"),
                              _row("t5", "2025-03-04T10:00:00Z", "ann", "dan", "reply", "t3")])
    own_reply = _with_rows([_row("t6", "2025-03-04T09:00:00Z", "ann", "ann", "reply", "e00003")])
    return {
        **_part_a(),
        "q1": Question(
            "q1", "the share of the account's replies written in office hours", _office_share, _community,
            args=_trust_builder, function_name="office_hours_share",
            hint_text="keep the account's replies (kind reply, actor the account); office hours are Monday to "
                      "Friday (day_of_week 0-4) from 9:00 up to, not including, 17:00 (timestamp.dt.hour 9 to 16).",
            explanation="A person answers at any hour; an office, only in its hours.",
            reasoning="Only replies count (posts can be scheduled); 17:00 is after hours; the weekend is never "
                      "office hours; with no replies there is nothing to divide by.",
            variants=[Variant("a table where the account replies at 17:00 exactly", at_five, args=("ann",), background=True),
                      Variant("a table where the account replies on a Saturday morning", saturday, args=("ann",), background=True),
                      Variant("a table with replies at 8:59 and at 9:00", early, args=("ann",), background=True),
                      Variant("a table where the account also posts in the evening (posts are not replies)",
                              evening_post, args=("ann",), background=True),
                      Variant("an account with no replies at all (the answer is missing)", _worked_example,
                              args=("cat",), background=True)]),
        "q2": Question(
            "q2", "the share of the account's posts made on the clock", _clock_share, _community,
            args=_trust_builder, function_name="clock_share",
            hint_text="keep the account's posts; a post is on the clock when its minute "
                      "(timestamp.dt.minute) is 0 or 30, whatever its seconds.",
            explanation="A person lands in those two minutes about 2 times in 60; a scheduling tool almost always.",
            reasoning="Only posts count; 10:00:59 is still in the first minute, 10:01:00 is not; with no posts "
                      "there is nothing to divide by.",
            variants=[Variant("a table with posts at 10:00:59, 10:01:00 and 14:30:10", on_the_minute,
                              args=("ann",), background=True),
                      Variant("a table where a reply falls on the half hour (replies are not posts)",
                              reply_on_clock, args=("ann",), background=True),
                      Variant("an account with no posts (the answer is missing)", _worked_example,
                              args=("bob",), background=True)]),
        "q3": Question(
            "q3", "the share of second turns the account took", _second_turns, _community,
            args=_trust_builder, function_name="second_turns_taken",
            hint_text="find the replies someone else wrote to one of the account's replies (their parent_id is "
                      "a reply by the account); for each, did the account reply to it (at any time)?",
            explanation="Of the answers to its replies, the share it answered in turn: who carries on.",
            reasoning="A reply to the account's post is a first turn, not a second; its own reply to itself is "
                      "no answer; with no answers to its replies there is nothing to divide by.",
            variants=[Variant("a table where someone answers the account's reply and it answers back",
                              answered_back, args=("ann",), background=True),
                      Variant("a table where two people answer its reply and it answers one of them",
                              two_answers, args=("ann",), background=True),
                      Variant("a table where only its posts get replies (no second turn offered: missing)",
                              _worked_example, args=("ann",), background=True),
                      Variant("a table where the account replies to its own reply", own_reply,
                              args=("ann",), background=True),
                      Variant("an account whose reply was answered and who did not answer back",
                              _worked_example, args=("bob",), background=True)]),
    }
