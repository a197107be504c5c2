"""Checks and hints for assignment 08_leading_by_example (the workplace dataset).

The table is the workplace events joined with each actor's team and band
(:func:`trustcircles.topics.adoption.staff_events`); expected values come from the same functions
lesson 08 draws its figures with.
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from trustcircles.checks import Question, Variant, register


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
# Activity: a busy manager (left out), a suppressed band (left out), someone who joined two days
# before the end (their weeks count as one), and a band seen only with points.
_TEAMS_BAND = {"team M": ("leader_led", "yes", 4), "team N": ("handed_over", "no", 3)}
_PEOPLE_BAND = {"m0": ("team M", True, "*"), "m1": ("team M", False, "high"),
                "m2": ("team M", False, "low"), "m3": ("team M", False, "*"),
                "n1": ("team N", False, "high"), "n2": ("team N", False, "high")}
_BANDS = _staff_table(_TEAMS_BAND, _PEOPLE_BAND,
                      [("m0", d, 9) for d in range(0, 28, 2)] + [("m1", d, 10) for d in range(0, 28, 3)]
                      + [("m2", 26, 9), ("m2", 27, 9), ("m3", 3, 9), ("n1", 7, 9), ("n1", 14, 9),
                         ("n2", 0, 11), ("n2", 27, 12)])


@register("08_leading_by_example")
def _leading() -> dict[str, Question]:
    return {
        "q1": Question(
            "q1", "the week in which half of each team was first active", _weeks_to_half,
            _workplace_table, kind="values", function_name="weeks_to_half",
            hint_text="number the weeks from midnight of the first event's day: week 1 is its first "
                      "7 days. For each team and week, count the different people who did anything and "
                      "divide by the team's size (team_size, which includes people who never posted). "
                      "The answer for a team is the first week with a share of at least 0.5, or NaN.",
            explanation="Leader-led teams got there in weeks, handed-over teams in months.",
            variants=[Variant("four small teams: one reaching exactly half in week 1, one later, "
                              "one never, and the comms team", _ROLLOUT),
                      Variant("three small teams that reach half in weeks 1, 2 and 5", _EVEN)]),
        "q2": Question(
            "q2", "the median weeks to half the team active, per rollout style", _median_weeks,
            _workplace_table, kind="values", function_name="median_weeks",
            hint_text="start from your weeks per team, find each team's rollout_style, leave out the "
                      "communications team (rollout_style comms), and take the median per style. "
                      "Teams that never reached half (NaN) are left out of the median, as pandas does.",
            explanation="The same platform, the same kind of people: the difference is who went first.",
            variants=[Variant("four small teams: one reaching exactly half in week 1, one later, "
                              "one never, and the comms team", _ROLLOUT),
                      Variant("three small teams, two of them leader-led (an even count)", _EVEN)]),
        "q3": Question(
            "q3", "the mean events per week per person by competitiveness band and points scheme",
            _rate_by_band, _workplace_table, kind="values", function_name="weekly_rate_by_band",
            hint_text="keep staff who are not managers and whose band is low, medium or high. For each "
                      "person: events / weeks, where weeks = (the table's last timestamp - the person's "
                      "first event) in days / 7, at least 1. Then the mean per (competitiveness, "
                      "points_scheme), e.g. with groupby on both columns.",
            explanation="Points lift the highly competitive; the others barely move, or do a little less.",
            variants=[Variant("two small teams with a busy manager, a suppressed band and a late "
                              "starter", _BANDS),
                      Variant("four small teams: one reaching exactly half in week 1, one later, "
                              "one never, and the comms team", _ROLLOUT)]),
    }
