"""Lesson 08, Leading by example: how teams took up an internal platform, in numbers.

The post *Building Circles of Trust* contrasts a platform bought, handed to the comms team and left
to get on with, with a boss who uses it and leads by example; and it notes that points and levelling
up only move those driven by competition. This module reads both in the ``workplace`` dataset:

* :func:`staff_events` joins each event with its actor's team, role and the team's rollout;
* :func:`weekly_active` (share of each team active each week), :func:`weeks_to_half` (first week
  with half the team active), :func:`median_weeks_by_style` and :func:`weekly_rate_by_band` (events
  per week per person, by competitiveness band, with and without points) are the lesson's and the
  exercise's numbers; :func:`summary` says them in words;
* :func:`team_rollouts` (each team's rollout and weeks to half), :func:`median_weeks_by_rollout`
  (per rollout style and points scheme) and :func:`points_ratio_by_band` (how much points changed
  each band's activity) are the numbers exercise 08's Part A reads off the lesson's figures.

The threshold model the explorer runs is :mod:`trustcircles.simulate.adoption`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


#: Each rollout style in words.
STYLE_LABELS = {"leader_led": "leader uses it", "handed_over": "handed over to comms", "comms": "comms team"}

#: The competitiveness bands, lowest first.
BANDS = ("low", "medium", "high")

#: Seconds in a week.
WEEK_SECONDS = 7 * 86400


def staff_events(table: pd.DataFrame | None = None, accounts: pd.DataFrame | None = None,
                 teams: pd.DataFrame | None = None) -> pd.DataFrame:
    """The workplace events, each with its actor's ``team``, ``is_manager``, ``competitiveness``,
    ``rollout_style``, and the team's ``points_scheme`` (yes/no) and ``team_size`` (staff).
    With no arguments, the shipped ``workplace`` dataset."""
    from trustcircles.data import load_accounts, load_interactions, load_table
    table = load_interactions("workplace") if table is None else table
    accounts = load_accounts("workplace") if accounts is None else accounts
    teams = load_table("workplace", "teams.csv") if teams is None else teams
    people = accounts[["account", "team", "is_manager", "competitiveness"]].merge(
        teams.rename(columns={"staff": "team_size"})[["team", "rollout_style", "points_scheme", "team_size"]],
        on="team", how="left")
    columns = ["event_id", "timestamp", "actor", "target", "kind"]
    return table[columns].merge(people, left_on="actor", right_on="account", how="left").drop(columns="account")


def weekly_active(events: pd.DataFrame) -> pd.DataFrame:
    """Share of each team's staff who did anything on the platform in each week (rows: week 1, 2,
    ... counted from midnight of the first event's day; columns: teams). A week in which nobody in
    a team was active counts as 0."""
    start = events["timestamp"].min().normalize()
    week = ((events["timestamp"] - start).dt.total_seconds() // WEEK_SECONDS).astype(int) + 1
    active = pd.DataFrame({"week": week, "team": events["team"], "actor": events["actor"]}).drop_duplicates()
    counts = active.groupby(["week", "team"]).size().unstack(fill_value=0)
    counts = counts.reindex(range(1, int(week.max()) + 1), fill_value=0)
    sizes = events.groupby("team")["team_size"].first()
    return counts.div(sizes.reindex(counts.columns), axis=1)


def weeks_to_half(events: pd.DataFrame, level: float = 0.5) -> pd.Series:
    """For each team, the first week (counting from 1) in which at least ``level`` (half) of its
    staff were active; missing (NaN) if that never happened."""
    shares = weekly_active(events)
    reached = shares.ge(level)
    first = reached.idxmax().astype(float)
    return first.where(reached.any(), np.nan).rename("weeks_to_half")


def median_weeks_by_style(events: pd.DataFrame) -> pd.Series:
    """The median of :func:`weeks_to_half` over the teams of each rollout style (leader_led,
    handed_over; the comms team left out)."""
    weeks = weeks_to_half(events)
    style = events.groupby("team")["rollout_style"].first()
    frame = pd.DataFrame({"weeks": weeks, "style": style.reindex(weeks.index)})
    frame = frame[frame["style"].isin(["leader_led", "handed_over"])]
    return frame.groupby("style")["weeks"].median()


def weekly_rate_by_band(events: pd.DataFrame) -> pd.Series:
    """Mean events per week per person, by competitiveness band and points scheme (a Series indexed
    by (competitiveness, points_scheme)). Staff who are not managers and have a band (low, medium,
    high); a person's weeks run from their first event to the table's last event (at least one)."""
    staff = events[~events["is_manager"].astype(bool) & events["competitiveness"].isin(BANDS)]
    people = staff.groupby("actor").agg(events=("event_id", "size"), first=("timestamp", "min"),
                                        competitiveness=("competitiveness", "first"),
                                        points_scheme=("points_scheme", "first"))
    weeks = ((events["timestamp"].max() - people["first"]).dt.total_seconds() / WEEK_SECONDS).clip(lower=1)
    people["rate"] = people["events"] / weeks
    return people.groupby(["competitiveness", "points_scheme"])["rate"].mean()


def summary(events: pd.DataFrame) -> str:
    """The lesson's headline numbers in plain sentences."""
    medians = median_weeks_by_style(events)
    rates = weekly_rate_by_band(events)
    lines = [f"Median weeks until half the team was active each week: {medians.get('leader_led'):g} "
             f"where the leader used it, {medians.get('handed_over'):g} where it was handed over."]
    for band in BANDS:
        no, yes = rates.get((band, "no"), np.nan), rates.get((band, "yes"), np.nan)
        lines.append(f"{band.capitalize()} competitiveness: {no:.1f} events a week per person without "
                     f"points, {yes:.1f} with points ({yes / no - 1:+.0%}).")
    return "\n".join(lines)


def team_rollouts(events: pd.DataFrame) -> pd.DataFrame:
    """One row per team (the comms team left out): its ``rollout_style``, ``points_scheme``,
    ``team_size`` and :func:`weeks_to_half` (``weeks_to_half``, missing if never), fastest first."""
    teams = events.groupby("team")[["rollout_style", "points_scheme", "team_size"]].first()
    teams = teams[teams["rollout_style"] != "comms"].join(weeks_to_half(events))
    return teams.sort_values(["weeks_to_half"])


def median_weeks_by_rollout(events: pd.DataFrame) -> pd.Series:
    """The median :func:`weeks_to_half` of the teams of each (rollout_style, points_scheme): how fast
    each combination of who went first and points reached half the team active."""
    return team_rollouts(events).groupby(["rollout_style", "points_scheme"])["weeks_to_half"].median()


def points_ratio_by_band(events: pd.DataFrame) -> pd.Series:
    """For each competitiveness band (low, medium, high): the mean events per week per person in
    teams with points divided by the same in teams without (1 = points changed nothing; from
    :func:`weekly_rate_by_band`)."""
    rates = weekly_rate_by_band(events)
    return pd.Series({band: rates.get((band, "yes"), np.nan) / rates.get((band, "no"), np.nan)
                      for band in BANDS}, name="points_ratio")
