"""Checks and hints for assignment 08_leading_by_example (the workplace dataset).

Part A (no code) reads lesson 08: the week the slowest leader-led team reached half its staff
active (a1, from the weeks figure), which band points move the most (a2, from the band figure), and a
scenario: a leader choosing how to roll out a platform, judged by how fast teams rolled out each way
reached half (a3). Part B (pandas) computes weeks to half, medians per rollout style and activity by
band and points scheme.

The table is the workplace events joined with each actor's team and band
(:func:`trustcircles.topics.adoption.staff_events`); expected values come from the same functions
lesson 08 draws its figures with.
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from trustcircles.checks import ChoiceQuestion, Choices, NumberQuestion, Question, Variant, register


@lru_cache(maxsize=1)
def _workplace() -> pd.DataFrame:
    from trustcircles.topics.adoption import staff_events
    return staff_events()


def _workplace_table() -> pd.DataFrame:
    return _workplace()


def _weeks_to_half(table):
    from trustcircles.topics.adoption import weeks_to_half
    return weeks_to_half(table)


def _median_weeks(table):
    from trustcircles.topics.adoption import median_weeks_by_style
    return median_weeks_by_style(table)


def _rate_by_band(table):
    from trustcircles.topics.adoption import weekly_rate_by_band
    return weekly_rate_by_band(table)


def _staff_table(teams: dict, people: dict, events: list[tuple[str, int, int]]):
    """A small table like the exercise's: ``teams`` name -> (rollout_style, points_scheme, size);
    ``people`` actor -> (team, is_manager, competitiveness); ``events`` (actor, day, hour), day 0
    being the first day."""
    def build():
        rows = []
        for i, (actor, day, hour) in enumerate(events):
            team, manager, band = people[actor]
            style, points, size = teams[team]
            rows.append(dict(event_id=f"e{i:03d}",
                             timestamp=pd.Timestamp("2025-09-01T00:00:00Z") + pd.Timedelta(days=day, hours=hour),
                             actor=actor, target=pd.NA, kind="post", team=team, is_manager=manager,
                             competitiveness=band, rollout_style=style, points_scheme=points,
                             team_size=size))
        frame = pd.DataFrame(rows)
        frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
        frame["is_manager"] = frame["is_manager"].astype(bool)
        frame["team_size"] = frame["team_size"].astype("int64")
        for column in ("event_id", "actor", "target", "kind", "team", "competitiveness",
                       "rollout_style", "points_scheme"):
            frame[column] = frame[column].astype("str")
        return frame
    return build


# Four teams: one reaches half in week 1 exactly (2 of 4), one in week 3 (a person posting twice in
# a week counts once; an event 7 days and 8 hours after the first day's midnight is week 2), one
# never (2 of 5), and the comms team.
_TEAMS = {"team X": ("leader_led", "yes", 4), "team Y": ("handed_over", "no", 4),
          "team Z": ("handed_over", "yes", 5), "communications": ("comms", "no", 2)}
_PEOPLE = {"x1": ("team X", True, "*"), "x2": ("team X", False, "high"),
           "y1": ("team Y", False, "low"), "y2": ("team Y", False, "high"),
           "z1": ("team Z", False, "high"), "z2": ("team Z", False, "low"),
           "c1": ("communications", False, "medium")}
_ROLLOUT = _staff_table(_TEAMS, _PEOPLE, [
    ("x1", 0, 9), ("x1", 0, 10), ("x2", 6, 23), ("c1", 1, 9),
    ("y1", 1, 9), ("y1", 7, 8), ("y1", 8, 9), ("y1", 15, 9), ("y2", 16, 9),
    ("z1", 9, 9), ("z2", 10, 9), ("x2", 20, 9)])
# Two leader-led teams (half in weeks 1 and 2: an even count), one handed over.
_TEAMS_EVEN = {"team P": ("leader_led", "no", 2), "team Q": ("leader_led", "no", 3),
               "team R": ("handed_over", "yes", 2)}
_PEOPLE_EVEN = {"p1": ("team P", True, "*"), "q1": ("team Q", False, "medium"),
                "q2": ("team Q", False, "medium"), "r1": ("team R", False, "medium")}
_EVEN = _staff_table(_TEAMS_EVEN, _PEOPLE_EVEN, [
    ("p1", 0, 9), ("q1", 0, 10), ("q1", 8, 9), ("q2", 9, 9), ("r1", 30, 9), ("p1", 40, 9)])
# The first event at 9 in the morning; a team reaching half only when week 2 starts at midnight
# (an event at 8 in the morning seven days after the first day), a team that never reaches half
# beside two that do (left out of the median), and a leader-led team.
_TEAMS_DAWN = {"team W": ("handed_over", "no", 4), "team U": ("handed_over", "no", 6),
               "team T": ("handed_over", "yes", 2), "team V": ("leader_led", "no", 2)}
_PEOPLE_DAWN = {"v1": ("team V", True, "*"), "w1": ("team W", False, "low"), "w2": ("team W", False, "high"),
                "u1": ("team U", False, "medium"), "u2": ("team U", False, "medium"),
                "t1": ("team T", False, "high")}
_DAWN = _staff_table(_TEAMS_DAWN, _PEOPLE_DAWN, [
    ("v1", 0, 9), ("t1", 2, 9), ("w1", 7, 8), ("w2", 8, 9), ("u1", 9, 9), ("u2", 16, 9), ("w1", 20, 9)])
# Activity: a busy manager (left out), a busy manager whose band is known (left out too), a suppressed band (left out), someone who joined two days
# before the end (their weeks count as one), and a band seen only with points.
_TEAMS_BAND = {"team M": ("leader_led", "yes", 4), "team N": ("handed_over", "no", 3)}
_PEOPLE_BAND = {"m0": ("team M", True, "*"), "m1": ("team M", False, "high"),
                "m2": ("team M", False, "low"), "m3": ("team M", False, "*"),
                "n1": ("team N", False, "high"), "n2": ("team N", False, "high"),
                "n0": ("team N", True, "high")}
_BANDS = _staff_table(_TEAMS_BAND, _PEOPLE_BAND,
                      [("m0", d, 9) for d in range(0, 28, 2)] + [("m1", d, 10) for d in range(0, 28, 3)]
                      + [("m2", 26, 9), ("m2", 27, 9), ("m3", 3, 9), ("n1", 7, 9), ("n1", 14, 9),
                         ("n2", 0, 11), ("n2", 27, 12)] + [("n0", d, 15) for d in range(1, 28)])


# --------------------------------------------------------------------------- Part A

#: a2: the options, a band each or "about equally"
A2_OPTIONS = {"A": "low", "B": "medium", "C": "high", "D": "equally"}
#: a2: bands whose activity with points differs by less than this (relative) count as "about equally"
A2_EQUAL = 0.10

#: a3: the usual way the organisation rolls out a platform (what each plan is compared with)
A3_USUAL = ("handed_over", "no")
#: a3: each plan: its words, the (rollout_style, points_scheme) teams that were run that way, and
#: whether its measure ("what would tell you it worked") is the team being active each week
A3_PLANS = {
    "A": ("Switch on the vendor's points and badges. It worked if half your team is active each week "
          "sooner than that.", ("handed_over", "yes"), True),
    "B": ("Use the platform yourself from the first week: ask your team real questions there and answer "
          "theirs. It worked if half your team is active each week sooner than that.", ("leader_led", "no"), True),
    "C": ("Ask the communications team for a bigger launch campaign of announcements and tips. It worked "
          "if the announcements get many likes.", ("handed_over", "no"), False),
    "D": ("Switch on the vendor's points and badges. It worked if the most competitive people do more "
          "on the platform.", ("handed_over", "yes"), False),
}


def slowest_leader_led() -> float:
    """a1: the week in which the slowest leader-led team first had half its staff active."""
    from trustcircles.topics.adoption import team_rollouts
    teams = team_rollouts(_workplace())
    return float(teams.loc[teams["rollout_style"] == "leader_led", "weeks_to_half"].max())


def points_choices() -> Choices:
    """a2: which competitiveness band points change the most (or all about equally)."""
    from trustcircles.topics.adoption import points_ratio_by_band, weekly_rate_by_band
    rates = weekly_rate_by_band(_workplace())
    ratio = points_ratio_by_band(_workplace())
    change = (ratio - 1).abs()
    right = ("D" if change.max() - change.min() < A2_EQUAL
             else next(k for k, band in A2_OPTIONS.items() if band == change.idxmax()))
    why = {}
    for letter, band in A2_OPTIONS.items():
        if band == "equally":
            why[letter] = (f"the bands differ: with points their activity changed by "
                           f"{', '.join(f'{ratio[b] - 1:+.0%} ({b})' for b in ratio.index)}.")
            continue
        said = (f"with points a person in the {band} band did {rates[(band, 'yes')]:.1f} events a week, "
                f"without {rates[(band, 'no')]:.1f} ({ratio[band] - 1:+.0%})")
        why[letter] = (f"{said}: the biggest change of the three, the tall orange bar of lesson 08's third "
                       "figure. Points move the people who want to win them." if letter == right
                       else f"{said}: a smaller change than in another band.")
    options = {k: ("all three bands, about equally" if band == "equally" else f"the {band} band")
               for k, band in A2_OPTIONS.items()}
    return Choices(options, right, why)


def plan_weeks() -> dict[str, float]:
    """a3: for each plan, the median weeks to half the team active of the teams run its way."""
    from trustcircles.topics.adoption import median_weeks_by_rollout
    medians = median_weeks_by_rollout(_workplace())
    return {letter: float(medians[cell]) for letter, (_text, cell, _measure) in A3_PLANS.items()}


def rollout_choices() -> Choices:
    """a3: a leader rolling out a platform: which plan the data support, with a measure that says
    whether it worked (the team active each week, not likes or the most competitive people's
    activity)."""
    from trustcircles.topics.adoption import median_weeks_by_rollout, weekly_active
    events = _workplace()
    medians = median_weeks_by_rollout(events)
    weeks = plan_weeks()
    usual = float(medians[A3_USUAL])
    useful = {k: w for k, w in weeks.items() if A3_PLANS[k][2]}
    right = min(useful, key=useful.get)
    comms = float(weekly_active(events)["communications"].min())
    led_no, led_yes = float(medians[("leader_led", "no")]), float(medians[("leader_led", "yes")])
    over_no, over_yes = float(medians[("handed_over", "no")]), float(medians[("handed_over", "yes")])
    gains = (over_no - led_no, over_yes - led_yes)
    why = {}
    for letter, (_text, cell, measure) in A3_PLANS.items():
        style, points = cell
        if letter == right:
            why[letter] = (f"teams whose leader used the platform reached half in a median {led_no:g} weeks "
                           f"without points and {led_yes:g} with, against {over_no:g} and {over_yes:g} "
                           f"where it was handed over: {min(gains):g} to {max(gains):g} weeks "
                           "sooner either way. Watch your team's weekly-active share, as in lesson 08's "
                           "first figure.")
        elif style == "handed_over" and points == "yes" and measure:
            than = ("sooner than" if over_yes < over_no else "later than" if over_yes > over_no
                    else "no sooner than")
            why[letter] = (f"handed-over teams with points took a median {over_yes:g} weeks to have half "
                           f"the team active, against {over_no:g} without: {than} the usual way.")
        elif points == "yes":
            why[letter] = ("what the most competitive do measures who is busy, not whether the team is "
                           f"there (A2 asks whom points move): handed-over teams with points took a median "
                           f"{over_yes:g} weeks to have half the team active, against {over_no:g} without.")
        else:
            why[letter] = (f"that is how the handed-over teams were run: a median {usual:g} weeks to half "
                           "the team active. Likes measure the comms team's reach, not your team's: the "
                           + ("communications team itself was fully active from week 1." if comms >= 0.999
                              else f"communications team itself was at least {comms:.0%} active every week."))
    intro = (f"Your organisation usually hands a new platform to the communications team, without points: "
             f"teams run that way took a median of {usual:g} weeks until half the team was active each "
             "week. Which plan would you try first?")
    return Choices({k: text for k, (text, _c, _m) in A3_PLANS.items()}, right, why, intro=intro)


def _part_a() -> dict:
    return {
        "a1": NumberQuestion(
            "a1", "the week the slowest leader-led team first had half its staff active",
            hint_text="in lesson 08's second figure, the teams whose leader used the platform are one "
                      "colour; the slowest of them is its tallest bar. Hover over it or read it off the "
                      "axis.",
            reasoning="The tallest bar of that colour in the weeks figure: even the slowest team whose "
                      "leader used the platform got there before the fastest team where it was handed over.",
            value=slowest_leader_led, tolerance=1.5, unit="weeks"),
        "a2": ChoiceQuestion(
            "a2", "which competitiveness band points and badges change the most",
            hint_text="in lesson 08's third figure, compare each band's two bars (without and with points): "
                      "where is the gap biggest, relative to the bar without points?",
            reasoning="Compare each pair of bars: a points scheme pays in a currency only some people want.",
            build=points_choices),
        "a3": ChoiceQuestion(
            "a3", "which plan to try first and how to tell it worked",
            hint_text="two things to weigh: which change went with a much faster rollout in lesson 08's "
                      "weeks figure (and does it hold with and without points?), and whether the sign of "
                      "success measures your team being there, or something else.",
            reasoning="Compare the teams run each way: who went first made a difference of months, the "
                      "same with or without points, while points changed little and not always in the "
                      "same direction. And measure the thing you want: people on the platform each week.",
            build=rollout_choices),
    }


@register("08_leading_by_example")
def _leading() -> dict[str, Question]:
    # what the learner is told about each table: the situation, never the rows
    rollout = ("four small teams: one reaching exactly half in its first week, one whose person active "
               "twice in one week counts once, one that never reaches half, and the communications team")
    dawn = ("a table whose first event is at 9 in the morning, with a team that reaches half only because "
            "week 2 starts at midnight (an event at 8 in the morning seven days later), a team that never "
            "reaches half beside two that do, and a leader-led team")
    even = "three small teams, two of them leader-led (an even number of teams for the median)"
    bands = ("two small teams with two busy managers (one of them with a band), a person whose band is "
             "suppressed (*), someone who joined two days before the end, and a band seen only with points")
    return {
        **_part_a(),
        "q1": Question(
            "q1", "the week in which half of each team was first active", _weeks_to_half,
            _workplace_table, kind="values", function_name="weeks_to_half",
            hint_text="number the weeks from midnight of the first event's day: week 1 is its first "
                      "7 days. For each team and week, count the different people who did anything and "
                      "divide by the team's size (team_size, which includes people who never posted). "
                      "The answer for a team is the first week with a share of at least 0.5, or NaN.",
            explanation="Leader-led teams got there in weeks, handed-over teams in months.",
            reasoning="Give every event its week: the time since midnight of the first event's day, in "
                      "whole weeks, plus 1. Count the different actors per (team, week) with nunique, "
                      "divide by the team's team_size, keep the weeks at 0.5 or more and take the first "
                      "per team; a team with none gets NaN.",
            variants=[Variant(rollout, _ROLLOUT), Variant(dawn, _DAWN), Variant(even, _EVEN)]),
        "q2": Question(
            "q2", "the median weeks to half the team active, per rollout style", _median_weeks,
            _workplace_table, kind="values", function_name="median_weeks",
            hint_text="start from your weeks per team, find each team's rollout_style, leave out the "
                      "communications team (rollout_style comms), and take the median per style. "
                      "Teams that never reached half (NaN) are left out of the median, as pandas does.",
            explanation="The same platform, the same kind of people: the difference is who went first.",
            reasoning="Compute the weeks per team as in question 1, put each team's rollout_style beside "
                      "them, drop the comms team and take the median per style: pandas' median skips "
                      "NaN, so a team that never got there is left out.",
            variants=[Variant(rollout, _ROLLOUT), Variant(dawn, _DAWN), Variant(even, _EVEN)]),
        "q3": Question(
            "q3", "the mean events per week per person by competitiveness band and points scheme",
            _rate_by_band, _workplace_table, kind="values", function_name="weekly_rate_by_band",
            hint_text="keep staff who are not managers and whose band is low, medium or high. For each "
                      "person: events / weeks, where weeks = (the table's last timestamp - the person's "
                      "first event) in days / 7, at least 1. Then the mean per (competitiveness, "
                      "points_scheme), e.g. with groupby on both columns.",
            explanation="Points lift the highly competitive; the others barely move, or do a little less.",
            reasoning="Filter the rows first (no managers, a real band), then one row per person: their "
                      "number of events, their first timestamp, band and points scheme. Their weeks run "
                      "from that first event to the last timestamp of the whole table, clipped at 1; the "
                      "rate is events / weeks, averaged per (band, points scheme).",
            variants=[Variant(bands, _BANDS), Variant(rollout, _ROLLOUT)]),
    }
