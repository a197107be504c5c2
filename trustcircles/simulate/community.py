"""A seeded agent-based simulation of a professional online community, with in-person meetups.

Each simulated person belongs to one *archetype* taken from the course's two source posts and acts
by that archetype's rules, hour by hour, over the simulated weeks:

* ``trust_builder``: listens first (opens contact by replying to what someone said), answers
  questions quickly, writes personally and never sells, keeps coming back to the people they know,
  and keeps a few close friends in frequent touch (room for about five, then about eight more).
* ``transactional``: pitches cold to many accounts by mention and direct message, follows up a
  few times, and drops the contact when it does not convert: the attention falls away.
* ``broadcaster``: has an audience, posts a lot, rarely replies (likes instead), and talks with a
  small inner circle.
* ``listener``: reads and likes, seldom posts, answers when asked.
* ``troll``: hostile replies aimed at the most visible accounts.
* ``newcomer``: joins part-way, asks a first question and waits for an answer; two days later
  they decide whether to come back. An answer within those two days raises the chance that they do
  (from 0.44 to 0.56, the effect Joyce and Kraut (2006) measured in newsgroups; see
  :data:`NEWCOMER_RETURN`); one who comes back stays for weeks to months, whether answered or not.
* ``outsourced``: an organisation's account run by a scheduling tool or an agency, not by a person
  who is there: posts queued in advance at fixed times of the week (on the hour or the half hour,
  weekends included), in the imperative; replies pasted from a few canned texts, only in office
  hours (Monday to Friday, 9:00 to 17:00); and never a second turn in a conversation.

*Norms* (:attr:`CommunityConfig.norms`, empty for the shipped community) add rules a community can
state and keep: ``"welcome"`` (a member makes sure each newcomer's first question gets an answer)
and ``"callout"`` (a member calls out each hostile message, and an account called out
:data:`CALLOUT_LIMIT` times is asked to leave: membership is open to anyone who keeps the rules).

Texture: a daily and weekly rhythm, heavy-tailed activity (a lognormal spread of how active
people are), long-tailed reply latencies (lognormal), threads (replies to replies), likes and
shares. Meetups happen in person every two weeks in each region; people who met get to know each
other better online too, which is how the meetups dataset relates to the interactions.

Nothing here pastes a target number: the course's story figures (reciprocity, tie lengths,
circles ...) are *measured* afterwards with :mod:`trustcircles.metrics` on what the rules produced.
Where a published study gives an effect's size, a rule's probability was set so that the measured
effect comes out near it (:mod:`trustcircles.simulate.calibration` measures it; the data card reports it).
Every other probability below was chosen by hand to make the contrast visible: the *direction* of
each lesson's result is built into these rules, its size is not evidence about people.
"""
from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from trustcircles.simulate import text as T

ARCHETYPES = ("trust_builder", "transactional", "broadcaster", "listener", "troll", "newcomer",
              "outsourced")
TB, TR, BR, LI, TL, NC, OS = range(7)
#: The rules a community can state and keep (see :attr:`CommunityConfig.norms`).
NORMS = ("welcome", "callout")

#: The spread of how active people are: each person's activity is lognormal with this sigma.
ACTIVITY_SIGMA = 1.2
#: How many hours a post stays in the feed people read.
FEED_HOURS = 72.0
#: Relative activity by hour of day (people are mostly awake 7:00-23:00), then by weekday.
HOUR_RHYTHM = np.array([0.05, 0.03, 0.02, 0.02, 0.03, 0.08, 0.3, 0.7, 1.2, 1.5, 1.4, 1.2,
                        1.3, 1.4, 1.3, 1.2, 1.1, 1.0, 0.9, 1.0, 1.1, 0.9, 0.5, 0.2])
DAY_RHYTHM = np.array([1.0, 1.05, 1.05, 1.0, 0.9, 0.55, 0.5])


@dataclass(frozen=True)
class CommunityConfig:
    """The knobs of the community simulation (the defaults make the shipped dataset).

    ``counts`` gives how many people of each archetype; ``weekly_actions`` how many things a
    typical person of each archetype does unprompted in a week (each person's own level is spread
    around it, heavy-tailed); responses to others come on top.
    """
    seed: int = 20250303
    weeks: int = 27  # so the observed window (first to last event) spans a full 26 weeks
    start: str = "2025-01-06"  # a Monday
    counts: dict = field(default_factory=lambda: {
        "trust_builder": 60, "transactional": 70, "broadcaster": 22, "listener": 164,
        "troll": 12, "newcomer": 112, "outsourced": 14})
    weekly_actions: dict = field(default_factory=lambda: {
        "trust_builder": 4.0, "transactional": 5.5, "broadcaster": 8.0, "listener": 1.3,
        "troll": 4.0, "newcomer": 4.0, "outsourced": 1.5})
    regions: tuple = ("North", "South", "East", "West")
    meetup_every_days: int = 14
    #: The rules this community states and keeps, among :data:`NORMS` (none in the shipped one).
    norms: tuple = ()

    @classmethod
    def small(cls, **changes) -> "CommunityConfig":
        """A quick configuration for tests: fewer people, fewer weeks."""
        return cls(**{"weeks": 8, "counts": {"trust_builder": 10, "transactional": 10, "broadcaster": 3,
                                             "listener": 30, "troll": 2, "newcomer": 15, "outsourced": 3},
                      **changes})


@dataclass
class CommunityResult:
    """The raw simulated community: real-looking identities, before anonymisation."""
    interactions: pd.DataFrame   # METRICS.md columns + text, is_hostile (raw handles, raw ids)
    people: pd.DataFrame         # one row per person: handle, names, archetype, attributes
    attendance: pd.DataFrame     # handle, event, date (meetups)
    meetups: pd.DataFrame        # event, date, region


# Per archetype, in ARCHETYPES order.
_VISIBILITY = np.array([1.0, 0.8, 6.0, 0.5, 0.6, 0.6, 2.0])
_INNER_CAPACITY = ((2, 6), (0, 1), (2, 4), (1, 3), (0, 1), (0, 2), (0, 0))
_CLOSE_CAPACITY = ((6, 10), (0, 2), (1, 3), (2, 5), (0, 1), (0, 3), (0, 0))
_LATENCY_MEDIAN_HOURS = np.array([1.5, 0.8, 10.0, 5.0, 0.5, 3.0, 3.0])
_LATENCY_SIGMA = np.array([1.1, 1.0, 1.4, 1.3, 0.8, 1.2, 1.0])
_MEETUP_ATTENDANCE = np.array([0.30, 0.15, 0.12, 0.08, 0.01, 0.10, 0.0])
#: Office hours of an outsourced account: Monday to Friday, from 9:00 to 17:00.
OFFICE_HOURS = (9, 17)
#: How an outsourced account answers: the chance of a canned reply to a mention or direct message,
#: and to a reply to one of its posts (a reply to its own reply, a second turn, gets none).
_OUTSOURCED_REPLY = {"addressed": 0.7, "comment": 0.45}
#: The times of the week an outsourced account's scheduling tool posts at (hours of the day).
_SCHEDULE_HOURS = (8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19)
#: Norms: the chance that a member answers a newcomer's first question ("welcome"), and that a
#: member calls out a hostile message ("callout"); an account called out CALLOUT_LIMIT times is
#: asked to leave.
WELCOME_CHANCE = 0.9
CALLOUT_CHANCE = 0.7
CALLOUT_LIMIT = 3
#: Whether a newcomer comes back after their first question, by whether someone answered it within
#: 48 hours. Set so that the shipped data measure Joyce and Kraut's (2006) "posted again" shares,
#: 0.56 and 0.44 (trustcircles.simulate.calibration.newcomer_return; a few who come back late in the window
#: never post again before it ends, hence values a little above the targets).
NEWCOMER_RETURN = {True: 0.59, False: 0.47}
_GOLDEN = (5 ** 0.5 - 1) / 2
#: How much more often a newcomer's first question is seen in the feed than another post of theirs
#: (a "new member" badge). Set so that the shipped data measure Joyce and Kraut's (2006) share of
#: first posts answered, 0.61 (trustcircles.simulate.calibration.newcomer_return).
FIRST_QUESTION_BOOST = 1.25
#: Mean weeks a newcomer who comes back stays (the same whether or not they were answered).
NEWCOMER_STAY_WEEKS = 10.0
#: The share of newcomers who address their first question to a visible account (the rest post it).
NEWCOMER_MENTION_SHARE = 0.10


class _Community:
    """The simulation state and the rules. Times are hours since the start (floats)."""

    def __init__(self, config: CommunityConfig):
        self.cfg = config
        self.rng = np.random.default_rng(config.seed)
        rng = self.rng
        arch = np.concatenate([np.full(config.counts.get(name, 0), code)
                               for code, name in enumerate(ARCHETYPES)]).astype(int)
        self.n = n = len(arch)
        self.arch = arch
        self.hours = config.weeks * 168
        self.ident = T.make_identities(n, rng)
        weekly = np.array([config.weekly_actions.get(a, 1.0) for a in ARCHETYPES])[arch]
        # heavy tail: a lognormal spread of how active people are, scaled within each archetype so
        # that its members' mean is weekly_actions (a few dozen lognormal draws would otherwise move
        # an archetype's total activity, and every contrast with it, by a quarter from seed to seed)
        spread = rng.lognormal(0.0, ACTIVITY_SIGMA, n)
        for code in np.unique(arch):
            spread[arch == code] *= math.exp(ACTIVITY_SIGMA ** 2 / 2) / spread[arch == code].mean()
        weekly = weekly * spread
        self.hourly_rate = weekly / (HOUR_RHYTHM.sum() * DAY_RHYTHM.sum())
        self.vis = _VISIBILITY[arch] * rng.lognormal(0.0, 0.5, n)
        self.region = rng.integers(len(config.regions), size=n)
        self.join = np.zeros(n)
        is_new = arch == NC
        # newcomers arrive over the weeks, not in the first or the last fortnight
        self.join[is_new] = rng.uniform(2 * 168, self.hours - 2 * 168, is_new.sum())
        self.leave = np.full(n, np.inf)
        # newcomers wait for an answer to their first question before they do anything else
        self.waiting = is_new.copy()
        self.decisions = {True: 0, False: 0}   # newcomers decided so far, answered or not
        self.inner_cap = np.array([rng.integers(lo, hi + 1) for lo, hi in
                                   (_INNER_CAPACITY[a] for a in arch)])
        self.close_cap = np.array([rng.integers(lo, hi + 1) for lo, hi in
                                   (_CLOSE_CAPACITY[a] for a in arch)])
        self.inner: list[set] = [set() for _ in range(n)]
        self.close: list[set] = [set() for _ in range(n)]
        self.said: list[dict] = [dict() for _ in range(n)]     # a -> {b: conversational events a->b}
        self.met: list[set] = [set() for _ in range(n)]
        self.pipeline: list[dict] = [dict() for _ in range(n)]  # seller -> {buyer: state}
        self.dropped: list[set] = [set() for _ in range(n)]     # seller's contacts given up on
        self.latest_post: dict[int, int] = {}
        # events, column by column
        self.t: list[float] = []
        self.actor: list[int] = []
        self.target: list[int] = []
        self.kind: list[str] = []
        self.parent: list[int] = []
        self.depth: list[int] = []
        self.question: list[bool] = []
        self.promo: list[bool] = []
        self.hostile: list[bool] = []
        self.text: list[str] = []
        self.replied_by: dict[int, set] = {}   # event -> accounts that replied to it
        self.feed: list[int] = []
        self.heap: list = []
        self.seq = 0
        self.attendance: list[tuple[int, int]] = []
        self.meetups: list[tuple[int, float, int]] = []
        unknown = set(config.norms) - set(NORMS)
        if unknown:
            raise ValueError(f"unknown norms {sorted(unknown)}; choose among {NORMS}")
        self.norms = frozenset(config.norms)
        self.called_out = np.zeros(n, dtype=int)
        self.first_questions: set[int] = set()   # newcomers' first questions

    # ------------------------------------------------------------------ helpers
    def schedule(self, time: float, action: str, *args) -> None:
        if time < self.hours:
            self.seq += 1
            heapq.heappush(self.heap, (time, self.seq, action, args))

    def awake(self, time: float) -> float:
        """Move a time that falls in the night (23:00-07:00) to the next morning."""
        hour = time % 24
        if hour >= 23:
            time += 24 - hour + 7 + self.rng.uniform(0, 3)
        elif hour < 7:
            time += 7 - hour + self.rng.uniform(0, 3)
        return time

    def office(self, time: float) -> float:
        """Move a time outside office hours (weekdays 9:00-17:00) to the next opening, plus a little."""
        start, end = OFFICE_HOURS
        for _ in range(4):
            day, hour = int(time // 24) % 7, time % 24
            if day >= 5:                      # the weekend: Monday morning
                time += (7 - day) * 24 - hour + start
            elif hour < start:
                time += start - hour
            elif hour >= end:
                time += 24 - hour + start
            else:
                return time
            time += self.rng.uniform(0, 2)
        return time

    def in_office(self, time: float) -> bool:
        return int(time // 24) % 7 < 5 and OFFICE_HOURS[0] <= time % 24 < OFFICE_HOURS[1]

    def present(self, a: int, time: float) -> bool:
        return self.join[a] <= time < self.leave[a]

    def latency(self, a: int) -> float:
        return float(self.rng.lognormal(math.log(_LATENCY_MEDIAN_HOURS[self.arch[a]]),
                                        _LATENCY_SIGMA[self.arch[a]]))

    def given(self, a: int) -> str:
        return self.ident["given_name"][a]

    def write(self, key: str, to: int = -1) -> str:
        """A message from template group ``key``, addressed to ``to`` (-1: nobody in particular)."""
        rng = self.rng
        templates = T.TEMPLATES[key]
        other = int(rng.integers(self.n))
        return T.fill(templates[int(rng.integers(len(templates)))], rng,
                      name=self.given(to) if to >= 0 else "", other=self.given(other),
                      handle=self.ident["handle"][other])

    def write_as(self, a: int, key: str, to: int = -1) -> str:
        """Like :meth:`write`, with the author's own e-mail, phone and website where asked for."""
        rng = self.rng
        templates = T.TEMPLATES[key]
        other = int(rng.integers(self.n))
        return T.fill(templates[int(rng.integers(len(templates)))], rng,
                      name=self.given(to) if to >= 0 else "", other=self.given(other),
                      handle=self.ident["handle"][other], email=self.ident["email"][a],
                      phone=self.ident["phone"][a], url=self.ident["website"][a])

    def is_friend(self, a: int, b: int) -> bool:
        return b in self.inner[a] or b in self.close[a]

    def contacts(self, a: int) -> list[int]:
        """Everyone a has spoken with, in either direction, plus people a met in person."""
        known = set(self.said[a]) | self.met[a]
        known.update(b for b in self.inner[a])
        return sorted(known)

    # ------------------------------------------------------------------ recording events
    def emit(self, time: float, actor: int, kind: str, text: str = "", target: int = -1,
             parent: int = -1, promo: bool = False, hostile: bool = False,
             question: bool | None = None) -> int:
        index = len(self.t)
        self.t.append(time)
        self.actor.append(actor)
        self.target.append(target)
        self.kind.append(kind)
        self.parent.append(parent)
        self.depth.append(self.depth[parent] + 1 if parent >= 0 else 0)
        if question is None:
            question = kind in ("post", "reply", "mention", "dm") and "?" in text
        self.question.append(bool(question))
        self.promo.append(promo)
        self.hostile.append(hostile)
        self.text.append(text)
        if hostile and "callout" in self.norms:
            self.consider_callout(index)
        if kind == "post":
            self.feed.append(index)
            self.latest_post[actor] = index
        elif kind in ("reply", "mention", "dm") and target != actor:
            self.said[actor][target] = self.said[actor].get(target, 0) + 1
            if kind == "reply":
                self.replied_by.setdefault(parent, set()).add(actor)
            self.consider_response(index)
        return index

    # ------------------------------------------------------------------ responding
    def consider_response(self, e: int) -> None:
        """Whoever an event addresses decides, by their archetype's rules, whether to respond."""
        b, a = self.target[e], self.actor[e]
        time = self.t[e]
        if not self.present(b, time) or self.waiting[b]:
            return
        rng = self.rng
        kind_b = self.arch[b]
        depth_decay = 0.72 ** self.depth[e]
        hostile, promo, question = self.hostile[e], self.promo[e], self.question[e]
        friend = self.is_friend(b, a)
        if kind_b == OS:
            self.consider_canned_reply(e)
            return
        if kind_b == TR:
            state = self.pipeline[b].get(a)
            if a in self.dropped[b]:
                p = 0.03
            elif state is not None:
                p = 0.9  # a prospect answered: the salesperson is all attention
            else:
                p = 0.5 if friend else 0.15
            if hostile:
                p = 0.05
        elif hostile:
            p = {TB: 0.08, TL: 0.35}.get(kind_b, 0.04)
        elif friend:
            p = 0.92 if kind_b in (TB, LI, BR) else 0.7
            if question:
                p = 0.97
        elif promo:
            p = {TB: 0.45 if question else 0.1, NC: 0.2, LI: 0.05, BR: 0.02, TR: 0.1,
                 TL: 0.1}[kind_b]
        elif question:
            p = {TB: 0.95, LI: 0.7, BR: 0.1, NC: 0.5, TL: 0.1}[kind_b]
        else:
            p = {TB: 0.45, LI: 0.12, BR: 0.05, NC: 0.4, TL: 0.25}[kind_b]
        if not question:
            p *= depth_decay
        if rng.random() >= p:
            if kind_b == BR and self.kind[e] == "reply" and rng.random() < 0.3:
                # broadcasters acknowledge their audience with a like rather than a reply
                self.schedule(self.awake(time + self.latency(b)), "like", b, e)
            return
        delay = self.latency(b) * (0.6 if friend else 1.0)
        self.schedule(self.awake(time + delay), "respond", b, e)

    def consider_canned_reply(self, e: int) -> None:
        """An outsourced account answers a first contact with a canned text in office hours, and
        never takes a second turn: a reply to its own reply gets nothing."""
        b, time = self.target[e], self.t[e]
        parent = self.parent[e]
        if self.hostile[e] or self.promo[e]:
            return
        if parent >= 0 and self.actor[parent] == b and self.kind[parent] == "reply":
            return  # the conversation goes on: nobody is there to follow up
        p = _OUTSOURCED_REPLY["addressed" if self.kind[e] in ("mention", "dm") else "comment"]
        if self.rng.random() < p:
            self.schedule(self.office(time + self.latency(b)), "respond", b, e)

    def act_respond(self, time: float, b: int, e: int) -> None:
        if not self.present(b, time):
            return
        a = self.actor[e]
        kind_b = self.arch[b]
        rng = self.rng
        if kind_b == OS:
            self.emit(time, b, "reply", self.write("canned_reply"), a, e, question=False)
            return
        if kind_b == TR:
            state = self.pipeline[b].get(a)
            if state is not None:
                state["rounds"] -= 1
                if state["rounds"] <= 0:
                    # the deal is done or off: the attention falls away
                    self.dropped[b].add(a)
                    del self.pipeline[b][a]
                self.emit(time, b, "reply", self.write_as(b, "sales_chat", a), a, e, promo=True)
            elif self.question[e] and not self.hostile[e]:
                self.emit(time, b, "reply", self.write_as(b, "promo_reply", a), a, e, promo=True)
            else:
                self.emit(time, b, "reply", self.write("listener_reply", a), a, e)
            return
        if self.hostile[e]:
            if kind_b == TL:
                self.emit(time, b, "reply", self.write("hostile", a), a, e, hostile=True)
            else:
                self.emit(time, b, "reply", self.write("calm_reply_to_hostile", a), a, e)
            return
        if kind_b == TL:
            self.emit(time, b, "reply", self.write("hostile", a), a, e, hostile=True)
            return
        if self.promo[e]:
            if kind_b == NC and rng.random() < 0.6:
                self.emit(time, b, "reply", "Sounds interesting, how much does it cost?", a, e)
            else:
                if self.arch[a] == TR and b in self.pipeline[a]:
                    # a clear no: the sale is off, and so is the salesperson's attention
                    del self.pipeline[a][b]
                    self.dropped[a].add(b)
                self.emit(time, b, "reply", self.write("polite_decline", a), a, e)
            return
        parent = self.parent[e]
        if self.question[e]:
            if kind_b == NC and self.depth[e] > 0:
                key = "thanks"
            elif parent >= 0 and self.kind[parent] == "dm" or self.kind[e] == "dm":
                key = "checkin_reply"
            else:
                key = "answer"
            self.emit(time, b, "reply", self.write_as(b, key, a), a, e)
        elif kind_b == NC and self.depth[e] > 0:
            self.emit(time, b, "reply", self.write("thanks", a), a, e)
        elif self.is_friend(b, a) and rng.random() < 0.5:
            self.emit(time, b, "reply", self.write("checkin_reply", a), a, e)
        elif kind_b == LI:
            self.emit(time, b, "reply", self.write("listener_reply", a), a, e)
        else:
            self.emit(time, b, "reply", self.write("personal_reply", a), a, e)

    # ------------------------------------------------------------------ the feed
    def refresh_feed(self, now: float) -> None:
        """Keep the last FEED_HOURS of posts; precompute how visible each one is now."""
        cutoff = now - FEED_HOURS
        self.feed = [e for e in self.feed if self.t[e] >= cutoff]
        ids = np.array(self.feed, dtype=int)
        self.feed_ids = ids
        if len(ids) == 0:
            return
        authors = np.array([self.actor[e] for e in ids])
        age = now - np.array([self.t[e] for e in ids])
        self.feed_authors = authors
        self.feed_weight = self.vis[authors] * np.exp(-age / 18.0)
        if self.first_questions:
            first = np.array([e in self.first_questions for e in ids])
            self.feed_weight = np.where(first, self.feed_weight * FIRST_QUESTION_BOOST, self.feed_weight)
        self.feed_open_question = np.array(
            [self.question[e] and not self.promo[e] and len(self.replied_by.get(e, ())) == 0
             for e in ids])

    def pick_post(self, a: int, *, question_boost: float = 1.0, visibility_power: float = 1.0,
                  contacts_first: float = 0.0) -> int:
        """A post from the feed that ``a`` reads and reacts to (-1 if there is none)."""
        rng = self.rng
        if contacts_first > 0 and rng.random() < contacts_first:
            cutoff = self.now - FEED_HOURS
            own = [self.latest_post[c] for c in self.contacts(a)
                   if c in self.latest_post and self.t[self.latest_post[c]] >= cutoff
                   and self.present(c, self.now)]
            if own:
                return own[int(rng.integers(len(own)))]
        if len(self.feed_ids) == 0:
            return -1
        weight = self.feed_weight ** visibility_power if visibility_power != 1 else self.feed_weight.copy()
        if question_boost != 1.0:
            weight = np.where(self.feed_open_question, weight * question_boost, weight)
        weight = np.where(self.feed_authors == a, 0.0, weight)
        total = weight.sum()
        if total <= 0:
            return -1
        return int(self.feed_ids[rng.choice(len(weight), p=weight / total)])

    # ------------------------------------------------------------------ spontaneous actions
    def act_spontaneous(self, time: float, a: int) -> None:
        if not self.present(a, time) or self.waiting[a]:
            return
        rng = self.rng
        role = self.arch[a]
        r = rng.random()
        if role == TB:
            if r < 0.40:
                p = self.pick_post(a, question_boost=60.0, contacts_first=0.4)
                if p >= 0:
                    key = "answer" if self.question[p] else "personal_reply"
                    self.emit(time, a, "reply", self.write_as(a, key, self.actor[p]),
                              self.actor[p], p)
            elif r < 0.52:
                key = "question_post" if rng.random() < 0.2 else "helpful_post"
                self.emit(time, a, "post", self.write(key))
            elif r < 0.85:
                self.like(time, a, contacts_first=0.5)
            elif r < 0.93:
                self.share(time, a, contacts_first=0.6)
            else:
                known = [c for c in self.said[a] if self.present(c, time)]
                if known:
                    b = known[int(rng.integers(len(known)))]
                    self.emit(time, a, "mention", self.write("introduction", b), b)
        elif role == TR:
            if r < 0.65:
                self.cold_pitch(time, a)
            elif r < 0.76:
                self.emit(time, a, "post", self.write_as(a, "promo_post"), promo=True)
            elif r < 0.82:
                p = self.pick_post(a, visibility_power=1.5)
                if p >= 0:
                    self.emit(time, a, "reply", self.write_as(a, "promo_reply", self.actor[p]),
                              self.actor[p], p, promo=True)
            elif r < 0.92:
                self.like(time, a)
            else:
                self.share(time, a)
        elif role == BR:
            if r < 0.72:
                self.emit(time, a, "post", self.write_as(a, "broadcast_post"))
            elif r < 0.8:
                self.share(time, a)
            elif r < 0.93:
                self.like(time, a)
            else:
                friends = sorted(self.inner[a] | self.close[a])
                if friends:
                    b = friends[int(rng.integers(len(friends)))]
                    self.check_in(time, a, b)
        elif role == LI:
            if r < 0.72:
                self.like(time, a, contacts_first=0.3)
            elif r < 0.76:
                self.share(time, a)
            elif r < 0.8:
                key = "question_post" if rng.random() < 0.4 else "helpful_post"
                self.emit(time, a, "post", self.write(key))
            else:
                # what listeners reply to is mostly what everyone sees: the visible accounts
                p = self.pick_post(a, question_boost=12.0, visibility_power=2.0, contacts_first=0.2)
                if p >= 0:
                    key = "answer" if self.question[p] else "listener_reply"
                    self.emit(time, a, "reply", self.write_as(a, key, self.actor[p]),
                              self.actor[p], p)
        elif role == TL:
            if r < 0.8:
                p = self.pick_post(a, visibility_power=2.0)
                if p >= 0:
                    self.emit(time, a, "reply", self.write("hostile", self.actor[p]),
                              self.actor[p], p, hostile=True)
            elif r < 0.9:
                self.emit(time, a, "post", self.write("hostile"), hostile=True)
            else:
                self.like(time, a)
        elif role == OS:
            # the agency's staff like and share in office hours only; the posts come from the schedule
            if not self.in_office(time):
                return
            if r < 0.6:
                self.like(time, a)
            else:
                self.share(time, a)
        else:  # newcomer
            if r < 0.45:
                self.like(time, a, contacts_first=0.5)
            elif r < 0.7:
                self.emit(time, a, "post", self.write("question_post"))
            elif r < 0.95:
                p = self.pick_post(a, visibility_power=1.5, contacts_first=0.4)
                if p >= 0:
                    self.emit(time, a, "reply", self.write("personal_reply", self.actor[p]),
                              self.actor[p], p)
            else:
                self.share(time, a)

    def like(self, time: float, a: int, contacts_first: float = 0.0) -> None:
        p = self.pick_post(a, contacts_first=contacts_first)
        if p >= 0:
            self.emit(time, a, "like", "", self.actor[p], p)

    def act_like(self, time: float, a: int, e: int) -> None:
        if self.present(a, time):
            self.emit(time, a, "like", "", self.actor[e], e)

    def share(self, time: float, a: int, contacts_first: float = 0.0) -> None:
        p = self.pick_post(a, contacts_first=contacts_first)
        if p >= 0:
            self.emit(time, a, "share", "", self.actor[p], p)

    # ------------------------------------------------------------------ transactional rules
    def cold_pitch(self, time: float, a: int) -> None:
        """Pitch someone new, chosen by how visible they are; plan a few follow-ups."""
        rng = self.rng
        # salespeople look for buyers: other salespeople are poor prospects
        weight = self.vis * np.where(self.arch == TR, 0.03, 1.0)
        weight[a] = 0
        weight[(self.join > time) | (self.leave <= time)] = 0
        for b in list(self.pipeline[a]) + list(self.dropped[a]):
            weight[b] = 0
        if weight.sum() <= 0:
            return
        b = int(rng.choice(self.n, p=weight / weight.sum()))
        kind = "dm" if rng.random() < 0.6 else "mention"
        # 0-3 follow-ups; after a reply, 2-5 rounds of sales talk before the deal is done or off
        self.pipeline[a][b] = {"followups": int(rng.choice(4, p=[0.3, 0.3, 0.25, 0.15])),
                               "rounds": int(rng.integers(2, 6)), "last": -1}
        e = self.emit(time, a, kind, self.write_as(a, "pitch", b), b, promo=True)
        self.pipeline[a][b]["last"] = e
        self.schedule(self.awake(time + rng.uniform(24, 96)), "followup", a, b)

    def act_followup(self, time: float, a: int, b: int) -> None:
        state = self.pipeline[a].get(b)
        if state is None:
            return
        if self.said[b].get(a, 0) > 0:
            return  # they answered: the conversation carries on through responses
        if state["followups"] <= 0 or not self.present(b, time):
            del self.pipeline[a][b]
            self.dropped[a].add(b)
            return
        state["followups"] -= 1
        e = self.emit(time, a, "dm", self.write_as(a, "followup", b), b, state["last"], promo=True)
        state["last"] = e
        self.schedule(self.awake(time + self.rng.uniform(24, 96)), "followup", a, b)

    # ------------------------------------------------------------------ friendships
    def check_in(self, time: float, a: int, b: int) -> None:
        """a gets in touch with a friend: a reply to their latest post, or a direct message."""
        if not (self.present(a, time) and self.present(b, time)):
            return
        p = self.latest_post.get(b, -1)
        if p >= 0 and time - self.t[p] < FEED_HOURS and self.rng.random() < 0.6:
            self.emit(time, a, "reply", self.write("personal_reply", b), b, p)
        else:
            self.emit(time, a, "dm", self.write("checkin", b), b)

    def closeness(self, a: int, b: int) -> float:
        return self.said[a].get(b, 0) + self.said[b].get(a, 0) + (4 if b in self.met[a] else 0)

    def weekly_friendships(self, time: float) -> None:
        """Friendships grow from mutual contact, until each person's room for friends is full."""
        rng = self.rng
        order = rng.permutation(self.n)
        for layer, capacity, threshold in ((self.inner, self.inner_cap, 6),
                                           (self.close, self.close_cap, 3)):
            for a in order:
                a = int(a)
                if len(layer[a]) >= capacity[a] or not self.present(a, time):
                    continue
                candidates = [b for b in self.said[a]
                              if self.said[b].get(a, 0) > 0 and not self.is_friend(a, b)
                              and self.present(b, time) and len(layer[b]) < capacity[b]
                              and self.closeness(a, b) >= threshold]
                if not candidates:
                    continue
                score = np.array([self.closeness(a, b) for b in candidates], dtype=float) ** 2
                b = candidates[int(rng.choice(len(candidates), p=score / score.sum()))]
                layer[a].add(b)
                layer[b].add(a)
        # this week's check-ins: about weekly with inner friends, monthly with close ones
        for layer, per_week in ((self.inner, 0.8), (self.close, 0.25)):
            for a in range(self.n):
                for b in layer[a]:
                    if b < a:
                        continue
                    for _ in range(rng.poisson(per_week)):
                        who, other = (a, b) if rng.random() < 0.5 else (b, a)
                        self.schedule(self.awake(time + rng.uniform(0, 168)), "checkin", who, other)

    def seed_old_friendships(self) -> None:
        """The community existed before the window: founding members already have some friends."""
        rng = self.rng
        founders = np.flatnonzero(self.arch != NC)
        same_region = self.region[:, None] == self.region[None, :]
        affinity = {TB: 3.0, LI: 1.0, BR: 1.5, TR: 0.3, TL: 0.2, OS: 0.0}
        for layer, capacity in ((self.inner, self.inner_cap), (self.close, self.close_cap)):
            for a in rng.permutation(founders):
                a = int(a)
                want = capacity[a] // 2 - len(layer[a])
                for _ in range(max(want, 0)):
                    free = np.array([len(layer[b]) < capacity[b] // 2 + 1 and b != a
                                     and not self.is_friend(a, b) for b in founders])
                    if not free.any():
                        break
                    w = np.array([affinity[self.arch[b]] for b in founders]) * free
                    w = w * np.where(same_region[a, founders], 3.0, 1.0)
                    b = int(founders[rng.choice(len(founders), p=w / w.sum())])
                    layer[a].add(b)
                    layer[b].add(a)

    # ------------------------------------------------------------------ newcomers
    def act_newcomer_arrives(self, time: float, a: int) -> None:
        rng = self.rng
        if rng.random() < NEWCOMER_MENTION_SHARE:
            # some newcomers address their first question to a visible account
            weight = self.vis * (self.join <= time)
            weight[a] = 0
            b = int(rng.choice(self.n, p=weight / weight.sum()))
            q = self.emit(time, a, "mention", self.write("newcomer_question", b), b, question=True)
        else:
            q = self.emit(time, a, "post", self.write("newcomer_question"), question=True)
        self.first_questions.add(q)
        if "welcome" in self.norms:
            self.welcome(time, q)
        self.schedule(time + 48.0, "newcomer_decides", a, q)

    # ------------------------------------------------------------------ norms
    def members_on_duty(self, time: float, exclude=()) -> np.ndarray:
        """Members who keep the norms: trust builders and listeners present at ``time``."""
        keep = ((self.arch == TB) | (self.arch == LI)) & (self.join <= time) & (self.leave > time)
        keep &= ~self.waiting
        for a in exclude:
            if a >= 0:
                keep[a] = False
        return np.flatnonzero(keep)

    def welcome(self, time: float, q: int) -> None:
        """Norm "welcome": a member makes sure a newcomer's first question gets an answer."""
        on_duty = self.members_on_duty(time, exclude=(self.actor[q], self.target[q]))
        if len(on_duty) and self.rng.random() < WELCOME_CHANCE:
            b = int(on_duty[self.rng.integers(len(on_duty))])
            self.schedule(self.awake(time + self.latency(b)), "respond", b, q)

    def consider_callout(self, e: int) -> None:
        """Norm "callout": a member (not the writer, not the person attacked) names a hostile message."""
        on_duty = self.members_on_duty(self.t[e], exclude=(self.actor[e], self.target[e]))
        if len(on_duty) and self.rng.random() < CALLOUT_CHANCE:
            b = int(on_duty[self.rng.integers(len(on_duty))])
            self.schedule(self.awake(self.t[e] + self.latency(b)), "callout", b, e)

    def act_callout(self, time: float, b: int, e: int) -> None:
        troll = self.actor[e]
        if not (self.present(b, time) and self.present(troll, time)):
            return
        self.emit(time, b, "reply", self.write("callout", troll), troll, e, question=False)
        self.called_out[troll] += 1
        if self.called_out[troll] >= CALLOUT_LIMIT:
            # free membership, as long as the rules are kept: asked to leave
            self.leave[troll] = time

    def act_newcomer_decides(self, time: float, a: int, q: int) -> None:
        """Whether the first question got an answer changes whether a newcomer comes back."""
        answered = any(b != a for b in self.replied_by.get(q, ()))
        self.waiting[a] = False
        # A Weyl sequence instead of a random draw: within each group the share who come back is
        # then within a few hundredths of NEWCOMER_RETURN, where ~50 independent draws would scatter
        # it by about +-7 points and the shipped data would show chance, not the calibrated effect.
        self.decisions[answered] += 1
        draw = (self.decisions[answered] * _GOLDEN + (0.5 if answered else 0.0)) % 1.0
        if draw < NEWCOMER_RETURN[answered]:
            self.leave[a] = time + self.rng.exponential(NEWCOMER_STAY_WEEKS * 168)
        else:
            self.leave[a] = time

    # ------------------------------------------------------------------ meetups
    def meetup(self, time: float, region: int) -> None:
        """An evening meetup in one region: who goes, and whom they meet there."""
        rng = self.rng
        event = len(self.meetups)
        self.meetups.append((event, time, region))
        local = np.flatnonzero((self.region == region) & (self.join <= time) & (self.leave > time))
        goes = rng.random(len(local)) < _MEETUP_ATTENDANCE[self.arch[local]]
        attendees = set(int(a) for a in local[goes])
        # friends bring friends
        for a in list(attendees):
            for b in self.inner[a]:
                if b in local and b not in attendees and rng.random() < 0.35:
                    attendees.add(b)
        attendees = sorted(attendees)
        for a in attendees:
            self.attendance.append((a, event))
        for a in attendees:
            # each person really talks with a few of the others there
            others = [b for b in attendees if b != a]
            if not others:
                continue
            for b in rng.choice(others, size=min(len(others), int(rng.integers(1, 4))), replace=False):
                b = int(b)
                self.met[a].add(b)
                self.met[b].add(a)
                if self.arch[a] == TR and b not in self.pipeline[a] and b not in self.dropped[a]:
                    # business cards collected at the meetup become leads
                    self.schedule(self.awake(time + rng.uniform(12, 48)), "pitch_lead", a, b)

    def act_pitch_lead(self, time: float, a: int, b: int) -> None:
        if not (self.present(a, time) and self.present(b, time)) or b in self.pipeline[a]:
            return
        self.pipeline[a][b] = {"followups": int(self.rng.integers(0, 3)),
                               "rounds": int(self.rng.integers(2, 5)), "last": -1}
        e = self.emit(time, a, "dm", self.write_as(a, "pitch", b), b, promo=True)
        self.pipeline[a][b]["last"] = e
        self.schedule(self.awake(time + self.rng.uniform(24, 96)), "followup", a, b)

    # ------------------------------------------------------------------ the scheduling tool
    def schedule_posts(self) -> None:
        """Each outsourced account's tool posts at a few fixed times of the week, every week: on
        the hour or the half hour (seconds late), weekdays and often weekends too."""
        rng = self.rng
        for a in np.flatnonzero(self.arch == OS):
            a = int(a)
            days = [0, 1, 2, 3, 4] + ([5, 6] if rng.random() < 0.6 else [])
            slots = {(int(rng.choice(days)), int(rng.choice(_SCHEDULE_HOURS)), int(rng.choice([0, 30])))
                     for _ in range(int(rng.integers(4, 11)))}
            for week in range(self.cfg.weeks):
                for day, hour, minute in sorted(slots):
                    if rng.random() < 0.95:
                        time = week * 168 + day * 24 + hour + minute / 60 + rng.uniform(0, 45) / 3600
                        self.schedule(time, "scheduled_post", a)

    def act_scheduled_post(self, time: float, a: int) -> None:
        if self.present(a, time):
            self.emit(time, a, "post", self.write_as(a, "scheduled_post"), question=False)

    # ------------------------------------------------------------------ the main loop
    def run(self, progress=None) -> None:
        rng = self.rng
        self.seed_old_friendships()
        for a in np.flatnonzero(self.arch == NC):
            self.schedule(self.awake(self.join[a] + rng.uniform(0, 24)), "newcomer_arrives", int(a))
        # meetups: every `meetup_every_days` per region, Thursday 18:30, regions staggered
        regions = len(self.cfg.regions)
        for week_offset in range(0, self.cfg.weeks * 7, self.cfg.meetup_every_days):
            for region in range(regions):
                day = week_offset + 3 + 7 * (region % 2)
                if day * 24 < self.hours:
                    self.schedule(day * 24 + 18.5, "meetup", region)
        self.schedule_posts()
        actions = {
            "callout": self.act_callout, "scheduled_post": self.act_scheduled_post,
            "respond": self.act_respond, "followup": self.act_followup,
            "checkin": self.check_in, "newcomer_arrives": self.act_newcomer_arrives,
            "newcomer_decides": self.act_newcomer_decides, "meetup": self.meetup,
            "pitch_lead": self.act_pitch_lead, "spont": self.act_spontaneous, "like": self.act_like,
        }
        for hour in range(self.hours):
            self.now = float(hour)
            if hour % 168 == 0:
                self.weekly_friendships(float(hour))
            rhythm = HOUR_RHYTHM[hour % 24] * DAY_RHYTHM[(hour // 24) % 7]
            counts = rng.poisson(self.hourly_rate * rhythm)
            for a in np.flatnonzero(counts):
                for _ in range(counts[a]):
                    self.schedule(hour + rng.random(), "spont", int(a))
            self.refresh_feed(float(hour))
            while self.heap and self.heap[0][0] < hour + 1:
                time, _, action, args = heapq.heappop(self.heap)
                self.now = time
                actions[action](time, *args)
            if progress is not None and hour % 24 == 23:
                progress(24)

    # ------------------------------------------------------------------ output
    def result(self) -> CommunityResult:
        start = pd.Timestamp(self.cfg.start, tz="UTC")
        n_events = len(self.t)
        seconds = np.round(np.array(self.t) * 3600).astype("int64")
        handles = np.array(self.ident["handle"], dtype=object)
        target = np.array(self.target)
        parent = np.array(self.parent)
        ids = np.array([f"evt{i:07d}" for i in range(n_events)], dtype=object)
        interactions = pd.DataFrame({
            "event_id": ids,
            "timestamp": start + pd.to_timedelta(seconds, unit="s"),
            "actor": handles[np.array(self.actor)],
            "target": np.where(target >= 0, handles[np.maximum(target, 0)], None),
            "kind": self.kind,
            "parent_id": np.where(parent >= 0, ids[np.maximum(parent, 0)], None),
            "is_question": self.question,
            "is_promotional": self.promo,
            "text": self.text,
            "is_hostile": self.hostile,
        })
        interactions["text"] = interactions["text"].where(interactions["text"] != "", None)
        rng = self.rng
        age = rng.choice([22, 27, 32, 37, 42, 47, 52, 58, 64], size=self.n,
                         p=[0.06, 0.14, 0.18, 0.17, 0.15, 0.12, 0.09, 0.06, 0.03])
        age = age + rng.integers(-2, 3, self.n)
        sectors = ("technology", "education", "non-profit", "health", "public sector",
                   "creative", "finance", "retail")
        sector = rng.choice(len(sectors), size=self.n, p=[0.25, 0.15, 0.12, 0.1, 0.1, 0.12, 0.08, 0.08])
        people = pd.DataFrame({
            "handle": handles, "full_name": self.ident["full_name"],
            "given_name": self.ident["given_name"], "email": self.ident["email"],
            "phone": self.ident["phone"], "website": self.ident["website"],
            "archetype": [ARCHETYPES[a] for a in self.arch],
            "region": [self.cfg.regions[r] for r in self.region],
            "age": age, "sector": [sectors[s] for s in sector],
            "joined": start + pd.to_timedelta(np.round(self.join * 3600).astype("int64"), unit="s"),
        })
        meetups = pd.DataFrame(self.meetups, columns=["event", "hour", "region"])
        meetups["date"] = (start + pd.to_timedelta(meetups["hour"] * 3600, unit="s")).dt.normalize()
        meetups["region"] = [self.cfg.regions[r] for r in meetups["region"]]
        meetups["event"] = [f"meetup{i:03d}" for i in meetups["event"]]
        attendance = pd.DataFrame(self.attendance, columns=["person", "event"])
        attendance = pd.DataFrame({
            "handle": handles[attendance["person"].to_numpy(dtype=int)] if len(attendance) else [],
            "event": meetups["event"].to_numpy()[attendance["event"].to_numpy(dtype=int)]
            if len(attendance) else [],
            "date": meetups["date"].to_numpy()[attendance["event"].to_numpy(dtype=int)]
            if len(attendance) else []})
        return CommunityResult(interactions, people, attendance, meetups[["event", "date", "region"]])


def simulate_community(config: CommunityConfig | None = None, progress=None) -> CommunityResult:
    """Run the community simulation: raw interactions, people, meetup attendance (seeded).

    ``progress`` is an optional callable receiving the number of simulated hours just done (e.g. a
    tqdm bar's ``update``). The same config always gives the same result.
    """
    simulation = _Community(config or CommunityConfig())
    simulation.run(progress)
    return simulation.result()


#: The runs of the ``norms`` dataset (lesson 11): which norms a community states and keeps in each
#: (here, not in build, so the data cards read them without importing the build)
NORMS_SCENARIOS = {
    "norms unstated": (),
    "welcome only": ("welcome",),
    "callout only": ("callout",),
    "norms kept": ("welcome", "callout"),
}
