"""A small threshold model of how a team takes up a new platform (lesson 08, Leading by example).

The idea (Granovetter, 1978): each person has a *threshold*, the share of the people they work with
who must already use the platform before they start too. Someone with threshold 0 starts on day
one; someone with 0.5 waits until half of their colleagues are on it. Whether a whole team gets
there depends on how thresholds and colleagues line up, and on who goes first.

The model, week by week:

* people sit on a team network: a ring where everyone works with their ``k`` nearest colleagues,
  with a share ``rewiring`` of those links moved to random people (``networkx``'s
  ``connected_watts_strogatz_graph``): 0 is *clustered* (your colleagues also work with each
  other), 1 is *random*. Centola (Science, 2010) found that behaviour that needs encouragement from
  several people spreads further in clustered networks (54% adopted) than in random ones (38%);
* each person's threshold is drawn once from a normal distribution around ``mean_threshold``
  (clipped to 0..1), the same people and thresholds whatever else changes;
* a few *early adopters* (``early`` colleagues who sit next to each other on the ring, say the
  comms team's enthusiasts) start in week 0, and every week each person
  who has not started yet may try it on their own with a small chance ``trickle`` (the comms team's
  announcements);
* with ``leader=True`` the team's leader (the best-connected person, who also works with a share
  ``leader_reach`` of the team) uses the platform from week 0, and colleagues weigh the leader
  ``leader_weight`` times as much as anyone else when they look at who is on it;
* a person starts when the weighted share of their colleagues already on it reaches their threshold.
  Nobody stops. The simulation runs ``weeks`` weeks (it can stop changing earlier).

Calibration: at the default settings without a leader, averaged over 20 seeded teams
(:func:`trustcircles.simulate.calibration.adoption_gap`), about 55% of a clustered team and 38% of a random
one end up on the platform, the sizes Centola reported (54% and 38%). One seeded run, as the lesson's
explorer shows, can land far from that average: a single team tips or stalls.

:func:`simulate_adoption` returns the share of the team on the platform in each week. Everything is
seeded and vectorised with numpy (a 200-person team takes about a millisecond per run); networks are
cached per setting.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

#: Defaults: a 200-person team, 8 colleagues each, half a year.
PEOPLE = 200
COLLEAGUES = 8
WEEKS = 24


@dataclass(frozen=True)
class AdoptionResult:
    """The outcome of one run: ``curve[w]`` is the share of people on the platform at the end of
    week ``w`` (week 0 = launch); ``adopted_week[i]`` the week person ``i`` started (-1: never)."""
    curve: np.ndarray
    adopted_week: np.ndarray
    leader: int | None

    @property
    def final_share(self) -> float:
        """The share of the team on the platform at the end."""
        return float(self.curve[-1])

    def share_by(self, week: int) -> float:
        """The share on the platform by the end of ``week`` (the last week if beyond)."""
        return float(self.curve[min(max(week, 0), len(self.curve) - 1)])

    def weeks_to(self, level: float = 0.5) -> int | None:
        """The first week in which at least ``level`` of the team was on it; None if never."""
        reached = np.flatnonzero(self.curve >= level)
        return int(reached[0]) if len(reached) else None


@lru_cache(maxsize=64)
def team_network(people: int = PEOPLE, colleagues: int = COLLEAGUES, rewiring: float = 0.0,
                 seed: int = 1978) -> np.ndarray:
    """The team's network as a 0/1 matrix (people x people, symmetric, no self-links): a ring of
    ``colleagues`` nearest neighbours with a share ``rewiring`` of links moved at random (connected,
    seeded). Cached: the same arguments give the same (read-only) matrix."""
    import networkx as nx

    graph = nx.connected_watts_strogatz_graph(people, colleagues, float(rewiring), tries=100, seed=seed)
    matrix = np.zeros((people, people), dtype=np.float64)
    edges = np.array(graph.edges(), dtype=np.int64).reshape(-1, 2)
    matrix[edges[:, 0], edges[:, 1]] = 1.0
    matrix[edges[:, 1], edges[:, 0]] = 1.0
    matrix.setflags(write=False)
    return matrix


@lru_cache(maxsize=64)
def _with_leader(people: int, colleagues: int, rewiring: float, seed: int, reach: float,
                 weight: float) -> tuple[np.ndarray, int]:
    """The network with the leader's extra links and weight: returns (weights, leader).

    The leader is the best-connected person (the lowest number among ties); they are also linked to
    a share ``reach`` of the team, spread evenly round the ring, and count ``weight`` times."""
    base = team_network(people, colleagues, rewiring, seed)
    leader = int(np.argmax(base.sum(axis=1)))
    matrix = base.copy()
    extra = np.unique(np.linspace(0, people, max(int(round(reach * people)), 0), endpoint=False).astype(int))
    extra = extra[extra != leader]
    matrix[leader, extra] = matrix[extra, leader] = 1.0
    matrix[:, leader] *= weight
    matrix.setflags(write=False)
    return matrix, leader


def simulate_adoption(mean_threshold: float = 0.35, rewiring: float = 0.0, leader: bool = False, *,
                      spread: float = 0.1, people: int = PEOPLE, colleagues: int = COLLEAGUES,
                      weeks: int = WEEKS, early: int = 4, trickle: float = 0.003,
                      leader_reach: float = 0.25, leader_weight: float = 3.0,
                      seed: int = 1978) -> AdoptionResult:
    """Run the threshold model once and return the adoption curve (see the module's description).

    ``mean_threshold`` and ``spread``: the centre and standard deviation of people's thresholds
    (share of colleagues who must be on it first, 0..1); ``rewiring``: 0 clustered .. 1 random;
    ``leader``: a leader who uses it from week 0 and whom colleagues weigh more. The same ``seed``
    gives the same people, thresholds, early adopters and chances, so two runs that differ in one
    setting differ only because of it.
    """
    if not 0 <= rewiring <= 1:
        raise ValueError("rewiring is a share of links, between 0 (clustered) and 1 (random)")
    rng = np.random.default_rng(seed)
    thresholds = np.clip(rng.normal(mean_threshold, spread, people), 0.0, 1.0)
    first = int(rng.integers(people))
    starters = (first + np.arange(min(early, people))) % people
    chances = rng.random((weeks, people))
    if leader:
        weights, leader_id = _with_leader(people, colleagues, float(rewiring), seed,
                                          float(leader_reach), float(leader_weight))
    else:
        weights, leader_id = team_network(people, colleagues, float(rewiring), seed), None
    total = weights.sum(axis=1)
    total[total == 0] = 1.0
    on = np.zeros(people, dtype=bool)
    on[starters] = True
    on[thresholds <= 0] = True
    if leader_id is not None:
        on[leader_id] = True
    adopted = np.where(on, 0, -1)
    curve = np.empty(weeks + 1)
    curve[0] = on.mean()
    for week in range(1, weeks + 1):
        share = (weights @ on) / total
        new = ~on & ((share >= thresholds) | (chances[week - 1] < trickle))
        on = on | new
        adopted[new] = week
        curve[week] = on.mean()
    return AdoptionResult(curve=curve, adopted_week=adopted, leader=leader_id)


def compare(mean_threshold: float = 0.35, rewiring: float = 0.0, **settings) -> dict[str, AdoptionResult]:
    """The same team with and without a leader who uses the platform: {"leader": ..., "no leader": ...}."""
    return {"leader": simulate_adoption(mean_threshold, rewiring, True, **settings),
            "no leader": simulate_adoption(mean_threshold, rewiring, False, **settings)}
