"""Lesson 08, Leading by example: how teams took up an internal platform, and a model of why.

The post *Building Circles of Trust* contrasts a platform bought, handed to the comms team and left
to get on with, with a boss who uses it and leads by example; and it notes that points and levelling
up only move those driven by competition. This module reads both in the ``workplace`` dataset and
lets the learner play with a threshold model (:mod:`trustcircles.simulate.adoption`):

* :func:`staff_events` joins each event with its actor's team, role and the team's rollout;
* :func:`weekly_active` (share of each team active each week), :func:`weeks_to_half` (first week
  with half the team active) and :func:`weekly_rate_by_band` (events per week per person, by
  competitiveness band, with and without points) are the lesson's and the exercise's numbers;
* :func:`curves_figure`, :func:`weeks_figure`, :func:`band_figure` draw them;
* :class:`AdoptionExplorer` (registered for lesson "08") runs the model with and without a leader.
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from trustcircles import plots
from trustcircles.simulate import adoption as model
from trustcircles.widgets import Explorer, register

STYLE_COLOURS = {"leader_led": plots.TRUST, "handed_over": plots.TRANSACTIONAL, "comms": plots.NEUTRAL}
STYLE_LABELS = {"leader_led": "leader uses it", "handed_over": "handed over to comms", "comms": "comms team"}
BANDS = ("low", "medium", "high")
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


def curves_figure(events: pd.DataFrame) -> go.Figure:
    """One line per team: the share of its staff active each week, coloured by rollout style, with
    the 50% line."""
    shares = weekly_active(events)
    style = events.groupby("team")["rollout_style"].first()
    fig = go.Figure()
    shown = set()
    for team in shares.columns:
        kind = style.get(team, "comms")
        fig.add_trace(go.Scatter(
            x=shares.index, y=shares[team], mode="lines", name=STYLE_LABELS.get(kind, kind),
            legendgroup=kind, showlegend=kind not in shown,
            line={"color": STYLE_COLOURS.get(kind, plots.NEUTRAL), "width": 2,
                  "dash": "dot" if kind == "comms" else "solid"},
            hovertemplate=f"{team} ({STYLE_LABELS.get(kind, kind)})<br>week %{{x}}: "
                          "%{y:.0%} of staff active<extra></extra>"))
        shown.add(kind)
    fig.add_hline(y=0.5, line_dash="dash", line_color=plots.PALETTE["black"],
                  annotation_text="half the team", annotation_position="top left")
    plots.style(fig, "Weekly-active share of each team", "week since launch (weeks)",
                "share of staff active that week (0-1)")
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02])
    fig.update_layout(height=440)
    return fig


def weeks_figure(events: pd.DataFrame) -> go.Figure:
    """Bars: weeks until half of each team was active, coloured by rollout style."""
    weeks = weeks_to_half(events)
    teams = events.groupby("team")[["rollout_style", "points_scheme"]].first()
    teams = teams[teams["rollout_style"] != "comms"].join(weeks).sort_values(["weeks_to_half"])
    fig = go.Figure()
    for kind in ("leader_led", "handed_over"):
        part = teams[teams["rollout_style"] == kind]
        fig.add_trace(go.Bar(
            x=part.index, y=part["weeks_to_half"], name=STYLE_LABELS[kind], marker_color=STYLE_COLOURS[kind],
            customdata=part["points_scheme"],
            hovertemplate="%{x}: half active in week %{y}<br>points scheme: %{customdata}<extra></extra>"))
    plots.style(fig, "How long until half the team was on it?", "team (fastest first)",
                "weeks until half the team was active (weeks)")
    fig.update_layout(height=400)
    return fig


def band_figure(events: pd.DataFrame) -> go.Figure:
    """Grouped bars: mean events per week per person in each competitiveness band, without and
    with a points-and-badges scheme."""
    rates = weekly_rate_by_band(events)
    fig = go.Figure()
    for points, name, colour in (("no", "no points scheme", plots.NEUTRAL),
                                 ("yes", "points and badges", plots.PALETTE["orange"])):
        values = [rates.get((band, points), np.nan) for band in BANDS]
        fig.add_trace(go.Bar(x=list(BANDS), y=values, name=name, marker_color=colour,
                             hovertemplate=f"%{{x}} competitiveness, {name}: "
                                           "%{y:.2f} events per week<extra></extra>"))
    plots.style(fig, "Who do points move?", "competitiveness band (staff survey)",
                "events per week per person (mean)")
    fig.update_layout(barmode="group", height=400)
    return fig


# --------------------------------------------------------------------------- the model explorer

class AdoptionExplorer(Explorer):
    """The threshold model: a leader toggle, the mean threshold and the rewiring (clustered to
    random). The figure shows the team's adoption curve for the setting, and the same team with the
    leader toggled the other way, dotted, for comparison."""

    WEEK = 12

    def __init__(self):
        leader = widgets.ToggleButtons(options=[("leader uses it", True), ("no leader", False)],
                                       value=True, description="leader")
        threshold = widgets.FloatSlider(value=0.35, min=0.0, max=0.6, step=0.05, readout_format=".2f",
                                        description="mean threshold", continuous_update=False,
                                        style={"description_width": "initial"})
        rewiring = widgets.FloatSlider(value=0.0, min=0.0, max=1.0, step=0.1, readout_format=".1f",
                                       description="rewiring (0 clustered, 1 random)",
                                       continuous_update=False, style={"description_width": "initial"},
                                       layout=widgets.Layout(width="380px"))
        weeks = np.arange(model.WEEKS + 1)
        figure = go.FigureWidget()
        figure.add_trace(go.Scatter(x=weeks, y=np.zeros(len(weeks)), mode="lines+markers", name="this setting",
                                    line={"width": 3},
                                    hovertemplate="week %{x}: %{y:.0%} on the platform<extra></extra>"))
        figure.add_trace(go.Scatter(x=weeks, y=np.zeros(len(weeks)), mode="lines", name="leader toggled",
                                    line={"width": 2, "dash": "dot", "color": plots.NEUTRAL},
                                    hovertemplate="week %{x}: %{y:.0%} (other leader setting)<extra></extra>"))
        figure.add_hline(y=0.5, line_dash="dash", line_color=plots.PALETTE["black"])
        plots.style(figure, "Threshold model of a 200-person team", "week since launch (weeks)",
                    "share of the team on the platform (0-1)")
        figure.update_yaxes(tickformat=".0%", range=[0, 1.02])
        figure.update_layout(height=400)
        super().__init__({"leader": leader, "threshold": threshold, "rewiring": rewiring}, figure,
                         caption="Same people, same thresholds: change one thing at a time.")

    def update(self) -> str:
        leader = bool(self.controls["leader"].value)
        threshold = round(float(self.controls["threshold"].value), 2)
        rewiring = round(float(self.controls["rewiring"].value), 1)
        runs = model.compare(threshold, rewiring)
        this, other = (runs["leader"], runs["no leader"]) if leader else (runs["no leader"], runs["leader"])
        self.figure.data[0].y = this.curve
        self.figure.data[0].line.color = plots.TRUST if leader else plots.TRANSACTIONAL
        self.figure.data[0].name = "leader uses it" if leader else "no leader"
        self.figure.data[1].y = other.curve
        self.figure.data[1].name = "no leader (for comparison)" if leader else "leader uses it (for comparison)"
        with_l, without = runs["leader"], runs["no leader"]
        half = this.weeks_to(0.5)
        network = "clustered" if rewiring <= 0.2 else "random" if rewiring >= 0.8 else "partly rewired"
        return (f"In a {network} team with mean threshold {threshold:.2f}: with a leader who uses it, "
                f"<b>{with_l.share_by(self.WEEK):.0%}</b> were on the platform by week {self.WEEK}; "
                f"without, <b>{without.share_by(self.WEEK):.0%}</b>. "
                + (f"This setting reaches half the team in week {half}." if half is not None
                   else f"This setting never reaches half the team in {model.WEEKS} weeks "
                        f"({this.final_share:.0%} at the end)."))


@register("08")
def adoption_explorer() -> AdoptionExplorer:
    """The lesson's threshold-model explorer with its default settings."""
    return AdoptionExplorer()
