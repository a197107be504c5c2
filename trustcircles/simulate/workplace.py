"""A seeded agent-based simulation of an organisation adopting an internal social platform.

An organisation of several teams gets a new internal platform (posts, replies, mentions, direct
messages, likes). The teams differ in how it was rolled out (the second source post: leaders lead by
example; points and levelling up only move the competitive):

* ``leader_led``: the team's manager uses the platform from day one, posts, asks the team questions
  and mentions people who are not on it yet: being asked by name is what gets most people on;
* ``handed_over``: the platform was bought and handed to the communications team, whose
  announcements reach everyone; the manager does not lead, and uses it only once the team does.
* some teams (of both kinds) also run a *points and badges* scheme: competitive people chase the
  points and do more; the others are unmoved or a little put off.

Each person has an adoption threshold (Granovetter 1978): they start once enough of their team is
active, or sooner when someone asks them directly. Once on, their activity follows a daily and
weekly rhythm with a heavy-tailed spread between people.

Teams are *distributed*: each works from two of the organisation's sites (most people at the
team's home site, the manager among them). A person who mentions or messages a teammate picks one
at their own site three times as readily (:data:`SAME_SITE_PREFERENCE`); the team channel, where
people reply to posts, mixes the sites.

Adoption speed and the effect of points are *measured* afterwards from the events; they are not
parameters of the simulation.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from trustcircles.simulate import text as T

ROLLOUT_STYLES = ("leader_led", "handed_over")
COMPETITIVENESS = ("low", "medium", "high")
ROLES = ("junior", "mid-level", "senior")
# working hours: 8:00-18:00 mostly, a little in the evening
_WORK_HOURS = np.array([0, 0, 0, 0, 0, 0, 0.02, 0.1, 0.9, 1.3, 1.3, 1.1, 0.7, 1.0, 1.2, 1.2,
                        1.0, 0.7, 0.3, 0.1, 0.08, 0.06, 0.03, 0])
_WEEKDAY = np.array([1.0, 1.05, 1.05, 1.0, 0.8, 0.04, 0.02])
#: How much a points-and-badges scheme changes the activity of people by competitiveness band. These
#: sizes are invented (no study the course cites measures them): the least competitive do 15% less,
#: the middle band the same, the most competitive 80% more.
_POINTS_EFFECT = {"low": 0.85, "medium": 1.0, "high": 1.8}
#: The organisation's sites. Team i works from site i mod 3 (its home) and site i+1 mod 3.
SITES = ("north office", "south office", "east office")
#: The share of a team (other than its manager) at its home site.
HOME_SITE_SHARE = 0.6
#: How much more readily a person mentions or messages a teammate at their own site (an invented
#: size: people write most to those they also see; the team channel mixes the sites).
SAME_SITE_PREFERENCE = 3.0


@dataclass(frozen=True)
class WorkplaceConfig:
    """The knobs of the workplace simulation (the defaults make the shipped dataset).

    ``teams`` is a list of (rollout style, points scheme) per team; team sizes are drawn around
    ``team_size``.
    """
    seed: int = 20250404
    weeks: int = 24
    start: str = "2025-02-03"  # a Monday
    team_size: int = 34
    teams: tuple = (("leader_led", True), ("handed_over", True), ("leader_led", False),
                    ("handed_over", False)) * 3
    comms_staff: int = 5

    @classmethod
    def small(cls) -> "WorkplaceConfig":
        """A quick configuration for tests."""
        return cls(weeks=6, team_size=20, teams=(("leader_led", True), ("handed_over", False)))


@dataclass
class WorkplaceResult:
    """The raw simulated organisation: real-looking identities, before anonymisation."""
    interactions: pd.DataFrame
    people: pd.DataFrame
    teams: pd.DataFrame


class _Workplace:
    def __init__(self, config: WorkplaceConfig):
        self.cfg = config
        rng = self.rng = np.random.default_rng(config.seed)
        sizes = [int(max(8, rng.normal(config.team_size, config.team_size * 0.12)))
                 for _ in config.teams]
        self.team_names = [f"team {chr(ord('A') + i)}" for i in range(len(config.teams))]
        team = np.concatenate([np.full(s, i) for i, s in enumerate(sizes)]
                              + [np.full(config.comms_staff, -1)]).astype(int)
        self.n = n = len(team)
        self.team = team
        self.is_comms = team == -1
        self.is_manager = np.zeros(n, bool)
        for i in range(len(sizes)):
            self.is_manager[np.flatnonzero(team == i)[0]] = True
        self.style = np.array([config.teams[t][0] if t >= 0 else "comms" for t in team])
        self.points = np.array([bool(config.teams[t][1]) if t >= 0 else False for t in team])
        self.role = rng.choice(len(ROLES), size=n, p=[0.35, 0.4, 0.25])
        self.role[self.is_manager] = 2
        self.role[self.is_comms] = 1  # the communications officers share one grade
        self.band = rng.choice(len(COMPETITIVENESS), size=n, p=[0.3, 0.4, 0.3])
        self.threshold = rng.uniform(0.15, 0.85, n)
        # events a day once on the platform: heavy-tailed between people
        rate = 0.9 * rng.lognormal(0.0, 0.5, n)
        effect = np.array([_POINTS_EFFECT[COMPETITIVENESS[b]] for b in self.band])
        rate = np.where(self.points, rate * effect, rate)
        lead = self.is_manager & (self.style == "leader_led")
        rate = np.where(lead, rate * 2.5 + 1.0, rate)
        rate = np.where(self.is_manager & (self.style == "handed_over"), rate * 0.3, rate)
        rate = np.where(self.is_comms, 1.2, rate)
        self.rate = rate
        self.adopted = np.full(n, np.inf)  # day of adoption
        self.adopted[lead | self.is_comms] = 0
        self.asked = np.zeros(n)  # direct invitations waiting (by name) for each person
        self.last_active = np.full(n, -np.inf)
        self.ident = T.make_identities(n, rng)
        home = np.where(team >= 0, team % len(SITES), 0)
        away = np.zeros(n, bool)
        # drawn apart from everything else, so that the sites leave each person's other traits as they were
        site_rng = np.random.default_rng([config.seed, 1])
        for i in range(len(sizes)):
            # the same share away in every team (chosen at random among those who are not the manager)
            staff = np.flatnonzero((team == i) & ~self.is_manager)
            count = int(round((1 - HOME_SITE_SHARE) * len(staff)))
            away[site_rng.choice(staff, size=count, replace=False)] = True
        self.site = np.where(away, (home + 1) % len(SITES), home)
        self.events: list[tuple] = []
        self.recent_posts: list[list[int]] = [[] for _ in range(len(sizes) + 1)]

    def emit(self, time: float, actor: int, kind: str, target: int = -1, parent: int = -1,
             question: bool = False) -> int:
        self.events.append((time, actor, target, kind, parent, question))
        self.last_active[actor] = time / 24
        return len(self.events) - 1

    def act(self, day: int, a: int) -> None:
        rng = self.rng
        time = day * 24 + float(rng.choice(24, p=_WORK_HOURS / _WORK_HOURS.sum())) + rng.random()
        team = self.team[a]
        mates = np.flatnonzero(self.team == team)
        mates = mates[mates != a]
        on = mates[self.adopted[mates] <= day]
        channel = self.recent_posts[team]
        if self.is_comms[a]:
            # announcements to everyone
            self.emit(time, a, "post")
            return
        lead = self.is_manager[a] and self.style[a] == "leader_led"
        r = rng.random()
        if lead and r < 0.35:
            off = mates[self.adopted[mates] > day]
            if len(off) and rng.random() < 0.7:
                # the manager asks someone not yet on the platform, by name
                b = int(rng.choice(off))
                self.emit(time, a, "mention" if rng.random() < 0.6 else "dm", b, question=True)
                self.asked[b] += 1
            else:
                e = self.emit(time, a, "post", question=rng.random() < 0.6)
                channel.append(e)
            return
        if r < 0.2:
            e = self.emit(time, a, "post", question=rng.random() < 0.3)
            channel.append(e)
        elif r < 0.55 and channel:
            p = channel[-1 - int(rng.integers(min(len(channel), 8)))]
            if self.events[p][1] != a:
                self.emit(time, a, "reply", self.events[p][1], p, question=rng.random() < 0.15)
        elif r < 0.65 and len(on):
            weight = np.where(self.site[on] == self.site[a], SAME_SITE_PREFERENCE, 1.0)
            b = int(rng.choice(on, p=weight / weight.sum()))
            self.emit(time, a, "mention" if rng.random() < 0.5 else "dm", b,
                      question=rng.random() < 0.4)
            self.asked[b] += 0.5
        elif channel:
            p = channel[-1 - int(rng.integers(min(len(channel), 12)))]
            if self.events[p][1] != a:
                self.emit(time, a, "like", self.events[p][1], p)

    def run(self, progress=None) -> None:
        rng = self.rng
        days = self.cfg.weeks * 7
        teams = len(self.cfg.teams)
        for day in range(days):
            # who starts today: thresholds on the team's active share, direct asks, announcements
            active_recent = (day - self.last_active) <= 7
            for t in range(teams):
                members = np.flatnonzero(self.team == t)
                share = active_recent[members].mean()
                waiting = members[self.adopted[members] > day]
                if len(waiting) == 0:
                    continue
                p = np.full(len(waiting), 0.004)          # the comms announcements
                p = np.where(share >= self.threshold[waiting], p + 0.25, p)
                p = p + 1 - 0.65 ** self.asked[waiting]   # being asked by name
                if day % 7 >= 5:
                    p = p * 0.1
                starts = waiting[rng.random(len(waiting)) < p]
                self.adopted[starts] = day
                self.asked[waiting] = self.asked[waiting] * 0.5
            on = np.flatnonzero(self.adopted <= day)
            counts = rng.poisson(self.rate[on] * _WEEKDAY[day % 7])
            for a, count in zip(on, counts):
                for _ in range(int(count)):
                    self.act(day, int(a))
            for channel in self.recent_posts:
                del channel[:-30]
            if progress is not None:
                progress(24)

    def result(self) -> WorkplaceResult:
        start = pd.Timestamp(self.cfg.start, tz="UTC")
        events = sorted(range(len(self.events)), key=lambda i: self.events[i][0])
        time, actor, target, kind, parent, question = zip(*[self.events[i] for i in events]) \
            if events else ((),) * 6
        ids = np.array([f"wp{i:07d}" for i in range(len(self.events))], dtype=object)
        handles = np.array(self.ident["handle"], dtype=object)
        target, parent = np.array(target, dtype=int), np.array(parent, dtype=int)
        interactions = pd.DataFrame({
            "event_id": ids[np.array(events, dtype=int)],
            "timestamp": start + pd.to_timedelta(np.round(np.array(time) * 3600).astype("int64"), unit="s"),
            "actor": handles[np.array(actor, dtype=int)],
            "target": np.where(target >= 0, handles[np.maximum(target, 0)], None),
            "kind": list(kind),
            "parent_id": np.where(parent >= 0, ids[np.maximum(parent, 0)], None),
            "is_question": np.array(question, dtype=bool),
            "is_promotional": np.zeros(len(events), bool),
        })
        names = self.team_names + ["communications"]
        people = pd.DataFrame({
            "handle": handles, "full_name": self.ident["full_name"],
            "team": [names[t] for t in self.team],
            "role": [ROLES[r] for r in self.role],
            "is_manager": self.is_manager,
            "competitiveness": [COMPETITIVENESS[b] for b in self.band],
            "rollout_style": self.style,
            "site": [SITES[i] for i in self.site],
        })
        teams = pd.DataFrame({
            "team": names,
            "rollout_style": [s for s, _ in self.cfg.teams] + ["comms"],
            "points_scheme": ["yes" if p else "no" for _, p in self.cfg.teams] + ["no"],
            "staff": [int((self.team == t).sum()) for t in range(len(self.cfg.teams))]
                     + [int(self.is_comms.sum())],
        })
        return WorkplaceResult(interactions, people, teams)


def simulate_workplace(config: WorkplaceConfig | None = None, progress=None) -> WorkplaceResult:
    """Run the workplace simulation: raw interactions, people, teams (seeded, deterministic)."""
    simulation = _Workplace(config or WorkplaceConfig())
    simulation.run(progress)
    return simulation.result()


def weekly_active_share(table: pd.DataFrame, accounts: pd.DataFrame, start=None) -> pd.DataFrame:
    """Share of each team's staff active (did anything) in each week since the platform started.

    Returns a frame indexed by week (0, 1, ...) with one column per team. ``start`` defaults to the
    first event's day.
    """
    start = pd.Timestamp(start) if start is not None else table["timestamp"].min().normalize()
    week = ((table["timestamp"] - start).dt.total_seconds() // (7 * 86400)).astype(int)
    team_of = accounts.set_index("account")["team"]
    active = pd.DataFrame({"week": week, "account": table["actor"]}).drop_duplicates()
    active["team"] = active["account"].map(team_of)
    counts = active.groupby(["week", "team"]).size().unstack(fill_value=0)
    sizes = accounts.groupby("team").size()
    return counts.div(sizes.reindex(counts.columns), axis=1).sort_index()


def weeks_to_adoption(shares: pd.DataFrame, level: float = 0.5) -> pd.Series:
    """For each team, the first week (counting from 1) in which its weekly-active share reached
    ``level``; infinity if it never did."""
    reached = {}
    for team in shares.columns:
        weeks = shares.index[shares[team] >= level]
        reached[team] = float(weeks[0] + 1) if len(weeks) else float("inf")
    return pd.Series(reached, name="weeks_to_adoption")


def activity_by_band(table: pd.DataFrame, accounts: pd.DataFrame, teams: pd.DataFrame) -> pd.DataFrame:
    """Mean events per week per person once on the platform, by competitiveness band
    (rows) and whether their team runs points and badges (columns ``no``/``yes``), plus ``ratio``
    = yes / no. Managers, the communications team and suppressed bands (``*``) are left out.

    A person's weeks on the platform run from their first event to the end of the table (at
    least one week).
    """
    staff = accounts[~accounts["is_manager"].astype(str).str.lower().isin(["true", "1"])
                     & accounts["competitiveness"].isin(COMPETITIVENESS)].set_index("account")
    events = table.groupby("actor").size()
    first = table.groupby("actor")["timestamp"].min()
    weeks = ((table["timestamp"].max() - first).dt.total_seconds() / (7 * 86400)).clip(lower=1)
    rate = (events / weeks).reindex(staff.index).fillna(0.0)
    points = staff["team"].map(teams.set_index("team")["points_scheme"])
    frame = pd.DataFrame({"band": staff["competitiveness"], "points": points, "rate": rate})
    means = frame.groupby(["band", "points"])["rate"].mean().unstack()
    means = means.reindex(index=list(COMPETITIVENESS), columns=["no", "yes"])
    means["ratio"] = means["yes"] / means["no"]
    return means
