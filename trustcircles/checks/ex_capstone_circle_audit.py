"""Checks and hints for the capstone, capstone_circle_audit: an audit of a community no lesson shows.

Part A (no code) reads lesson 13, which gathers the measures of lessons 01 to 12 for the
``audit_community`` dataset: newcomers answered (a1, lesson 04), the conversation left without the
five most active voices (a2, lesson 11), what kind of community this is (a3, lessons 03, 04, 05 and
11), which account is run by a scheduler or an agency (a4, lesson 12), where hostility lands (a5,
lesson 07), and which change to try first and how to know it worked (a6, lesson 11's norms
scenario, a scenario judgement). Part B (pandas) computes two of the audit's numbers. The memo is
graded by hand with its rubric. Every right answer is computed from the data without the
simulation's labels, as a real audit would have to.
"""
from __future__ import annotations

import pandas as pd

from trustcircles.checks import (ChoiceQuestion, Choices, NumberQuestion, Question, Variant, register)
from trustcircles.checks.tables import row as _row
from trustcircles.checks.tables import with_rows as _with_rows
from trustcircles.checks.tables import worked_example as _worked_example

#: a3's descriptions, by letter (the rule that picks one is trustcircles.topics.audit.kind_of_community)
KINDS = {"A": "community", "B": "stage", "C": "marketplace"}
KIND_WORDS = {
    "community": "A community: most messages personal and one to one, newcomers answered, attention returned.",
    "stage": "A stage with an audience: much posted to everyone, newcomers left unanswered, attention seldom returned.",
    "marketplace": "A marketplace: most of what is written sells something to someone.",
}
#: a6's changes, by letter (the rule that picks one is trustcircles.topics.audit.first_change)
CHANGES = {"A": "welcome", "B": "callout", "C": "agency"}


def _numbers():
    from trustcircles.topics.audit import AUDIT, audit_measures, audited
    _, mine = audited(AUDIT)
    return mine, audit_measures("community")  # the community's numbers, not its table


def _audit_table() -> pd.DataFrame:
    from trustcircles.topics.audit import AUDIT, audited
    return audited(AUDIT)[0].copy()


def _newcomers() -> tuple:
    from trustcircles.topics.audit import newcomers
    return (newcomers(_audit_table()),)


# --------------------------------------------------------------------------- Part A


def newcomers_answered_percent() -> float:
    return 100 * _numbers()[0]["newcomers_answered"]


def left_without_five_percent() -> float:
    return 100 * _numbers()[0]["left_without_5"]


def hostile_to_top_tenth_percent() -> float:
    return 100 * _numbers()[0]["hostile_to_top_tenth"]


def kind_choices() -> Choices:
    from trustcircles.topics.audit import kind_of_community
    mine, theirs = _numbers()
    kind, n = kind_of_community(mine, theirs)
    evidence = (f"here {n['to_everyone'][0]:.0%} of the messages are posts to everyone (the course's community: "
                f"{n['to_everyone'][1]:.0%}), {n['newcomers'][0]:.0%} of newcomers' first questions are answered "
                f"within 48 hours ({n['newcomers'][1]:.0%}), {n['reciprocity'][0]:.0%} of ties are returned "
                f"({n['reciprocity'][1]:.0%}), and {n['selling']:.0%} of the messages sell")
    why = {}
    for letter, name in KINDS.items():
        if name == kind:
            why[letter] = f"it fits: {evidence}."
        elif name == "marketplace":
            why[letter] = f"selling is not most of it: only {n['selling']:.0%} of the messages sell."
        elif name == "community":
            why[letter] = (f"a community would answer its newcomers and return attention; {evidence}: "
                           "further from that than the course's community.")
        else:
            why[letter] = (f"a stage would post more to everyone, answer fewer newcomers and return less "
                           f"attention than the course's community, all three: {evidence}.")
    return Choices({k: KIND_WORDS[v] for k, v in KINDS.items()}, next(k for k, v in KINDS.items() if v == kind),
                   why, intro="Which description fits the community you audit best, set beside the course's "
                              "community (lesson 13's dashboard)?")


def a4_accounts() -> dict[str, str]:
    """a4: letter -> account: the busiest poster among the scheduler suspects (B), and the two
    busiest posters that are not suspects (A, C)."""
    from trustcircles.topics.audit import blind_frame, scheduler_suspects
    table = _audit_table()
    frame = blind_frame(table)
    suspects = scheduler_suspects(table)
    people = frame[(frame["replies"] >= 10) & ~frame.index.isin(suspects.index)]
    busiest = people.sort_values(["posts", "replies"], ascending=False, kind="stable").index
    return {"A": str(busiest[0]), "B": str(suspects.index[0]), "C": str(busiest[1])}


def scheduler_choices() -> Choices:
    from trustcircles.topics.audit import blind_frame
    frame = blind_frame(_audit_table())
    picked = a4_accounts()
    pct = lambda v: "no" if pd.isna(v) else f"{v:.0%}"  # noqa: E731
    lines = ["Three busy posters of the community you audit:"]
    for letter, account in picked.items():
        r = frame.loc[account]
        lines.append(f"  {letter}. {account}: {int(r['posts'])} posts, {pct(r['clock_share'])} on the clock; "
                     f"{int(r['replies'])} replies, {pct(r['office_share'])} in office hours; "
                     f"{pct(r['personal_share'])} of its messages read as personal.")
    lines.append("Which one is run by a scheduling tool or an agency?")
    score = {k: frame.loc[a, "clock_share"] + frame.loc[a, "office_share"] for k, a in picked.items()}
    right = max(score, key=score.get)
    why = {}
    for letter, account in picked.items():
        r = frame.loc[account]
        if letter == right:
            why[letter] = (f"{pct(r['clock_share'])} of its posts on the clock and {pct(r['office_share'])} of its "
                           f"replies in office hours, and {pct(r['personal_share'])} of its messages read as "
                           "personal: a scheduler and an office, not a person.")
        else:
            why[letter] = (f"{pct(r['clock_share'])} of its posts on the clock and {pct(r['office_share'])} of its "
                           "replies in office hours: it posts at any minute and answers at any hour, like a person.")
    return Choices({k: f"account {v}" for k, v in picked.items()}, right, why, intro="\n".join(lines))


def change_choices() -> Choices:
    from trustcircles.topics import voice
    from trustcircles.topics.audit import first_change
    mine, theirs = _numbers()
    effects = voice.change_effects()
    welcome, callout = effects["welcome only"], effects["callout only"]
    change = first_change(mine, theirs)
    options = {
        "A": "Set up a welcome rota, so that someone answers every newcomer's first question within 48 hours; "
             "know it worked when the share of first questions answered, then the share of newcomers who post "
             "again, rise.",
        "B": "Call out hostile messages and ask those who keep at it to leave; know it worked when hostile "
             "messages a week fall.",
        "C": "Hire an agency to post more often at the best times; know it worked when posts a week rise.",
    }
    why = {
        "A": (f"newcomers' first questions are answered {mine['newcomers_answered']:.0%} of the time here "
              f"against {theirs['newcomers_answered']:.0%} in the course's community; in lesson 11's norms "
              f"scenario, answering every newcomer raised the share answered by {welcome['answered_points']:+.0f} "
              f"points and the share who posted again by {welcome['came_back_points']:+.0f}."),
        "B": (f"hostility here is {mine['hostile_per_100_weekly']:.1f} hostile messages a week per 100 members "
              f"against {theirs['hostile_per_100_weekly']:.1f} in the course's community; in the norms scenario "
              f"callouts ended hostility but moved the newcomers who posted again by "
              f"{callout['came_back_points']:+.0f} points."),
        "C": (f"{mine['scheduler_suspects']} accounts here already post on the clock and reply only in office "
              f"hours, and {mine['to_everyone_share']:.0%} of the messages are posts to everyone: more posting "
              "is more of what the community has, and posts a week cannot show trust."),
    }
    right = {"welcome": "A", "callout": "B"}.get(change, "A")
    return Choices(options, right, why,
                   intro="Which one change would you try first in the community you audit, and how would you know it worked?")


def _part_a() -> dict:
    return {
        "a1": NumberQuestion(
            "a1", "the share of newcomers' first questions answered within 48 hours",
            hint_text="lesson 13's dashboard, the line on newcomers' first questions (lesson 04's measure).",
            reasoning="Newcomers here are found without labels: accounts first seen at least two weeks into "
                      "the data. Their first question is answered when someone else replies within 48 hours.",
            value=newcomers_answered_percent, tolerance=2, unit="%"),
        "a2": NumberQuestion(
            "a2", "the share of the conversation left with the 5 most active voices set aside",
            hint_text="lesson 13's first explorer: choose the community to audit and set 5 voices aside.",
            reasoning="The conversation between members who are both outside the five most active: what the "
                      "others would still say to each other.",
            value=left_without_five_percent, tolerance=1, unit="%"),
        "a3": ChoiceQuestion(
            "a3", "what kind of community this is",
            hint_text="lesson 13's dashboard figure: where are the red dots furthest from the open ones, and "
                      "in which direction?",
            reasoning="The rule: a marketplace if most messages sell; a stage if, against the course's "
                      "community, more is posted to everyone, at least 10 points fewer newcomers are answered "
                      "and fewer ties are returned; a community otherwise.",
            build=kind_choices),
        "a4": ChoiceQuestion(
            "a4", "which account is run by a scheduling tool or an agency",
            hint_text="lesson 13's second explorer and lesson 12: where in the hour do the posts fall, and when "
                      "in the week are the replies written?",
            reasoning="A tool posts in the first minute of the hour or the half hour; an office answers in "
                      "office hours; a person does neither so regularly.",
            build=scheduler_choices),
        "a5": NumberQuestion(
            "a5", "the share of hostile replies aimed at the top tenth of accounts by audience",
            hint_text="lesson 13's dashboard, the line on hostile replies (lesson 07's measure).",
            reasoning="Accounts at or above the 90th percentile of in-ties (people who talk to them): the "
                      "share of all hostile replies aimed at them.",
            value=hostile_to_top_tenth_percent, tolerance=2, unit="%"),
        "a6": ChoiceQuestion(
            "a6", "which change to try first, and how you would know it worked",
            hint_text="which number is furthest from the course's community, and which change moved that "
                      "number in lesson 11's norms scenario?",
            reasoning="Start where the community differs most from one that works, with a change the scenario "
                      "showed to act on that number, and a measure that moves with it.",
            build=change_choices),
    }


# --------------------------------------------------------------------------- Part B


def _first_questions_answered(table: pd.DataFrame, newcomers) -> float:
    from trustcircles.topics.voice import newcomers_came_back
    return newcomers_came_back(table, newcomers)["answered_share"]


def _personal_share(table: pd.DataFrame) -> float:
    from trustcircles.topics.voice import message_sorts
    sorts = message_sorts(table)
    return float((sorts["sort"] == "personal, one to one").mean()) if len(sorts) else float("nan")


@register("capstone_circle_audit")
def _capstone() -> dict[str, Question]:
    two_questions = _with_rows([
        _row("n1", "2025-03-04T09:00:00Z", "dan", "", "post", question=True),
        _row("n2", "2025-03-04T10:00:00Z", "dan", "", "post", question=True),
        _row("n3", "2025-03-04T11:00:00Z", "ann", "dan", "reply", "n2"),
    ])
    answered_late = _with_rows([
        _row("n4", "2025-03-04T09:00:00Z", "dan", "", "post", question=True),
        _row("n5", "2025-03-06T09:01:00Z", "ann", "dan", "reply", "n4"),
    ])
    own_answer = _with_rows([
        _row("n6", "2025-03-04T09:00:00Z", "dan", "", "post", question=True),
        _row("n7", "2025-03-04T09:30:00Z", "dan", "dan", "reply", "n6"),
    ])
    at_48_hours = _with_rows([
        _row("n8", "2025-03-04T09:00:00Z", "dan", "", "post", question=True),
        _row("n9", "2025-03-06T09:00:00Z", "bob", "dan", "reply", "n8"),
    ])
    hostile = _with_rows([_row("p1", "2025-03-04T09:00:00Z", "dan", "ann", "reply", "e00001")])

    def with_hostile():
        table = hostile()
        table["is_hostile"] = table["event_id"] == "p1"
        return table

    selling_and_posts = _with_rows([
        _row("p2", "2025-03-04T09:00:00Z", "dan", "bob", "dm", promotional=True),
        _row("p3", "2025-03-04T10:00:00Z", "bob", "", "post"),
        _row("p4", "2025-03-04T11:00:00Z", "bob", "bob", "reply", "p3"),
        _row("p5", "2025-03-04T12:00:00Z", "cat", "bob", "like", "p3"),
    ])
    return {
        **_part_a(),
        "q1": Question(
            "q1", "the share of newcomers' first questions answered within 48 hours", _first_questions_answered,
            _audit_table, args=_newcomers, function_name="first_questions_answered",
            hint_text="for each newcomer, their first question (the earliest post, reply, mention or dm with "
                      "is_question true); it is answered when someone else's reply names it as parent_id within "
                      "48 hours, both ends included. Divide by the newcomers who asked a question.",
            explanation="Lesson 04's measure, on the community you audit.",
            reasoning="Only each newcomer's first question counts; only someone else's reply answers, and only "
                      "within 48 hours (exactly 48 still counts).",
            variants=[Variant("a table where a newcomer asks twice and only the second question is answered",
                              two_questions, args=(["dan"],), background=True),
                      Variant("a table where the answer comes 48 hours and one minute later", answered_late,
                              args=(["dan"],), background=True),
                      Variant("a table where the answer comes exactly 48 hours later", at_48_hours,
                              args=(["dan"],), background=True),
                      Variant("a table where the newcomer answers their own question", own_answer,
                              args=(["dan"],), background=True)]),
        "q2": Question(
            "q2", "the share of messages that are personal, one to one", _personal_share, _audit_table,
            function_name="personal_share",
            hint_text="messages are posts, replies, mentions and dms not written to oneself; personal ones are "
                      "replies, mentions and dms that are neither promotional nor hostile (is_hostile).",
            explanation="Lesson 11's measure: the conversation a community is made of.",
            reasoning="Posts go to everyone; a pitch to one person sells; a hostile reply attacks: none of them "
                      "is personal. Likes and self-replies are not messages.",
            variants=[Variant("a table with a pitch, a post, a self-reply and a like", selling_and_posts,
                              background=True),
                      Variant("a table with a hostile reply", with_hostile, background=True),
                      Variant("the worked example of METRICS.md", _worked_example, background=True)]),
    }
