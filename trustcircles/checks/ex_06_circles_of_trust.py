"""Checks and hints for assignment 06_circles_of_trust (lesson 06: community and CollegeMsg).

Part A (no code) reads lesson 06: the median trust builder's inner circle at a lower threshold, off
the explorer (a1); which archetype has many mutuals and few close ones (a2, Figure 2); a point of
the real network's curve in Figure 4 (a3); and which explanation the evidence supports for the real
network being more reciprocal than the simulated one (a4). The numbers come from
:mod:`trustcircles.topics.circles`.

Part B (pandas): question 1's function takes an account as well as the table: the question's
``args`` gives it for the notebook's call (``ex.q1.account``), each variant's ``args`` for its
hidden test.
"""
from __future__ import annotations

import pandas as pd

from trustcircles.checks import ChoiceQuestion, Choices, NumberQuestion, Question, Variant, register
from trustcircles.checks.ex_05_community_not_audience import typical
from trustcircles.checks.tables import community as _community
from trustcircles.checks.tables import with_rows as _with_rows
from trustcircles.checks.tables import worked_example as _worked_example

#: The thresholds question 1 asks for, in conversational events per month (stricter than the
#: course's defaults of 4 and 1).
INNER, CLOSE = 8.0, 2.0


def circle_sizes(table: pd.DataFrame, account: str) -> dict:
    """The account's circles with inner ≥ 8 and close ≥ 2 events a month: inner, close, active."""
    from trustcircles import metrics
    circles = metrics.circles(table, INNER, CLOSE)
    row = circles.loc[account] if account in circles.index else pd.Series(0, index=circles.columns)
    return {"inner": int(row["circle_inner"]), "close": int(row["circle_close"]),
            "active": int(row["circle_active"])}


def reciprocity(table: pd.DataFrame) -> float:
    """Global reciprocity: the share of ties a→b with a tie b→a too; NaN with no ties."""
    from trustcircles import metrics
    return metrics.global_reciprocity(table)


def _collegemsg() -> pd.DataFrame:
    from trustcircles.data import load_interactions
    return load_interactions("collegemsg")


def _table(rows: list[dict]):
    """A small interactions table from rows (METRICS.md columns)."""
    def build():
        from trustcircles.data import as_interactions
        frame = pd.DataFrame(rows)
        for column in ("is_question", "is_promotional"):
            frame[column] = frame[column].astype(bool)
        frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
        return as_interactions(frame)
    return build


def _event(i, when, actor, target, kind="dm", parent=""):
    return dict(event_id=f"c{i:04d}", timestamp=when, actor=actor, target=target, kind=kind,
                parent_id=parent, is_question=False, is_promotional=False)


def _two_months() -> list[dict]:
    """Ann over two months: daily talk with bob, some with cat, a little with eve, one-way with dan,
    likes with gus, a self-reply; the window is 61 days (about 2 months)."""
    start = pd.Timestamp("2025-01-01T09:00:00Z")
    rows, i = [], 0

    def at(day, hour=0):
        return (start + pd.Timedelta(days=day, hours=hour)).isoformat()
    for day in range(0, 20, 2):          # ann<->bob: 20 events, about 10 a month
        rows += [_event(i, at(day), "ann", "bob"), _event(i + 1, at(day, 1), "bob", "ann")]
        i += 2
    for day in (3, 17, 33):              # ann<->cat: 5 events, about 2.5 a month
        rows.append(_event(i, at(day), "cat", "ann", "mention"))
        i += 1
    rows += [_event(i, at(34), "ann", "cat"), _event(i + 1, at(50), "ann", "cat")]
    i += 2
    rows += [_event(i, at(40), "eve", "ann"), _event(i + 1, at(41), "ann", "eve", "reply", f"c{i:04d}")]
    i += 2                               # ann<->eve: 2 events, about 1 a month
    for day in range(5, 60, 3):          # ann->dan: many, never answered
        rows.append(_event(i, at(day), "ann", "dan", "mention"))
        i += 1
    rows.append(_event(i, at(45), "gus", "ann", "like", "c0000"))
    rows.append(_event(i + 1, at(46), "ann", "gus", "like", f"c{i:04d}"))
    rows.append(_event(i + 2, at(47), "ann", "ann", "reply", "c0000"))
    rows.append(_event(i + 3, at(61), "bob", "cat"))
    return rows


_months_table = _table(_two_months())
_no_ties = _table([_event(1, "2025-01-01T09:00:00Z", "ann", "bob", "like", "p1") | {"parent_id": "p1"},
                   _event(2, "2025-01-02T09:00:00Z", "bob", "bob", "reply", "c0001")])
_attention_only = _with_rows([
    dict(event_id="x1", timestamp="2025-03-06T09:00:00Z", actor="ann", target="ann", kind="reply",
         parent_id="e00001", is_question=False, is_promotional=False),
    dict(event_id="x2", timestamp="2025-03-06T10:00:00Z", actor="ann", target="cat", kind="like",
         parent_id="e00004", is_question=False, is_promotional=False),
    dict(event_id="x3", timestamp="2025-03-06T11:00:00Z", actor="dan", target="ann", kind="mention",
         parent_id="", is_question=False, is_promotional=False),
])


# --------------------------------------------------------------------------- Part A

#: a1: the explorer's setting (events a month) the question names, with the inner threshold left at 4
A1_CLOSE = 0.75

#: a2: the archetypes offered, in the order of the options
A2_OPTIONS = {"A": "trust_builder", "B": "transactional", "C": "broadcaster"}

#: a3: the point of Figure 4 read off (Dunbar's innermost layer)
A3_MUTUALS = 5


def median_close(close: float = A1_CLOSE) -> float:
    """a1: the median trust builder's close circle with close ≥ ``close`` events a month (the
    explorer's reading for "all trust_builders (median)", inner left at its default)."""
    from trustcircles import metrics
    from trustcircles.topics.circles import community_circles
    _, archetype, rates = community_circles()
    counts = rates.counts(metrics.INNER_CIRCLE_RATE, close)
    return float(counts[archetype.to_numpy() == "trust_builder"]["circle_close"].median())


def few_close() -> Choices:
    """a2: which archetype's close circle is the smallest part of its mutuals (Figure 2's medians)."""
    from trustcircles import metrics
    from trustcircles.topics.archetypes import PLURALS
    from trustcircles.topics.circles import archetype_medians, community_circles
    table, archetype, _ = community_circles()
    medians = archetype_medians(metrics.circles(table), archetype)
    part = {k: float(medians.loc[a, "circle_close"] / medians.loc[a, "circle_active"])
            for k, a in A2_OPTIONS.items()}
    right = min(part, key=part.get)
    most = max(A2_OPTIONS, key=lambda k: medians.loc[A2_OPTIONS[k], "circle_active"])
    why = {}
    for letter, name in A2_OPTIONS.items():
        m = medians.loc[name]
        said = (f"the median {_one(name)} has {m['circle_active']:g} mutuals, {m['circle_close']:g} "
                f"of them in the close circle ({part[letter]:.0%})")
        if letter == right:
            why[letter] = said + ": many contacts who talk back for a while, few who keep talking monthly."
        elif letter == most:
            why[letter] = said + ": the most mutuals, and a larger share of them close."
        else:
            why[letter] = said + ": fewer mutuals, and a larger share of them close."
    return Choices({k: PLURALS[a] for k, a in A2_OPTIONS.items()}, right, why)


def _one(archetype: str) -> str:
    """One account of an archetype, in words: 'trust builder', 'transactional account'."""
    from trustcircles.topics.archetypes import label
    return "transactional account" if archetype == "transactional" else label(archetype)


def real_at_least_percent(mutuals: int = A3_MUTUALS) -> float:
    """a3: the share (%) of CollegeMsg students with a mutual who have ``mutuals`` or more (Figure 4)."""
    from trustcircles import metrics
    from trustcircles.topics.circles import share_with_at_least
    return 100 * share_with_at_least(metrics.circles(_collegemsg()), mutuals)


def _evidence() -> dict:
    from trustcircles.topics import community
    from trustcircles.topics.circles import reciprocity_evidence
    table, accounts = community()
    return reciprocity_evidence(table, accounts, _collegemsg())


#: a4's explanations: letter -> (the explanation, its key in reciprocity_evidence's gap_closed)
A4_EXPLANATIONS = {
    "A": ("CollegeMsg covers a longer stretch of time, so more of its ties had time to be returned.",
          "time"),
    "B": ("The community has accounts whose talk goes one way by design: cold pitchers and trolls.",
          "one_way"),
    "C": ("The community is smaller, so there are fewer people to talk back.", "size"),
}


def why_less_reciprocal() -> Choices:
    """a4: which explanation the evidence supports for the community being less reciprocal than
    CollegeMsg: the one whose test closes most of the gap (topics.circles.reciprocity_evidence)."""
    e = _evidence()
    c, r, closed = e["community"], e["collegemsg"], e["gap_closed"]
    right = max(A4_EXPLANATIONS, key=lambda k: closed[A4_EXPLANATIONS[k][1]])
    why = {
        "A": (f"the windows are nearly the same, {c['months']:.1f} and {r['months']:.1f} months, and "
              f"CollegeMsg cut to the community's window is still {e['same_window']:.0%} reciprocal: "
              f"time closes {_share(closed['time'])} of the gap."),
        "B": (f"leave out every tie to or from the transactional accounts and trolls and the community's "
              f"reciprocity rises from {c['reciprocity']:.0%} to {e['without_one_way']:.0%}, close to "
              f"CollegeMsg's {r['reciprocity']:.0%}: {closed['one_way']:.0%} of the gap, because the "
              "one-way talk was built in."),
        "C": (f"a CollegeMsg of the community's size (its {c['accounts']} most active students) is "
              f"{e['same_size']:.0%} reciprocal, more than the whole network, not less; and within the "
              f"community the median trust builder gets {e['trust_builder_median']:.0%} of its ties "
              "returned. Size does not make a network one-way."),
    }
    intro = (f"The evidence: reciprocity {c['reciprocity']:.1%} in the community and {r['reciprocity']:.1%} "
             f"in CollegeMsg; windows {c['months']:.1f} and {r['months']:.1f} months; {c['accounts']:,} and "
             f"{r['accounts']:,} accounts.\n"
             f"Each explanation tested by taking its difference away: CollegeMsg cut to the community's "
             f"window, {e['same_window']:.1%}; CollegeMsg cut to the community's size (its "
             f"{c['accounts']} most active students), {e['same_size']:.1%}; the community without any "
             f"tie to or from its transactional accounts and trolls, {e['without_one_way']:.1%}.\n"
             "Which explanation of the gap do these numbers support?")
    return Choices({k: text for k, (text, _key) in A4_EXPLANATIONS.items()}, right, why, intro=intro)


def _share(fraction: float) -> str:
    """'none' for no part (or less than half a percent), else a percentage."""
    return "none" if fraction < 0.005 else f"{fraction:.0%}"


def _part_a() -> dict:
    return {
        "a1": NumberQuestion(
            "a1", f"the median trust builder's close circle with close ≥ {A1_CLOSE:g} events a month",
            hint_text="in lesson 06's explorer, choose the trust builders' median, then move only the "
                      "close slider; the reading's second bold number is the close circle.",
            reasoning="A lower close threshold lets mutuals who talk less often than monthly into the "
                      "close circle, so it grows; the inner and active circles stay as they were.",
            value=median_close, tolerance=0, unit="mutuals"),
        "a2": ChoiceQuestion(
            "a2", "which archetype has many mutuals but few of them in its close circle",
            hint_text="in Figure 2, compare each archetype's close-circle bar with its active-circle "
                      "bar: not which bar is tallest, but how much of the active circle is close.",
            reasoning="Divide the close circle by the active circle for each archetype: a large active "
                      "circle with a small close circle is contact that does not last.",
            build=few_close),
        "a3": NumberQuestion(
            "a3", f"the share of CollegeMsg students with a mutual who have {A3_MUTUALS} or more mutuals",
            hint_text="Figure 4: hover the CollegeMsg line where it meets the dotted line at "
                      f"{A3_MUTUALS}; the hover says what share has that many mutuals or more.",
            reasoning="Each point of the curve is the share of accounts with at least that many mutuals; "
                      "read the real network's line, not the simulated one's, at Dunbar's innermost "
                      "layer: six months of one channel's messages.",
            value=real_at_least_percent, tolerance=2, unit="%"),
        "a4": ChoiceQuestion(
            "a4", "which explanation the evidence supports for the community being less reciprocal",
            hint_text="test each explanation against the numbers: would it still hold if you changed "
                      "what it blames (the time, the size, the one-way accounts)?",
            reasoning="Take away what each explanation blames and see how much of the gap closes: the "
                      "same window changes almost nothing, the same size makes the real network more "
                      "reciprocal, not less; only leaving out the accounts built to talk one way closes "
                      "most of it.",
            build=why_less_reciprocal),
    }


@register("06_circles_of_trust")
def _circles_of_trust() -> dict[str, Question]:
    # what the learner is told about each table: the situation, never the rows or the names
    two_months = ("two months of one account's talk with six others (daily, now and then, rarely, "
                  "one way only, likes only, and a reply to itself); for that account")
    two_months_daily = "the same two months, for the account it talks with daily"
    two_months_silent = "the same two months, for an account that is written to often and never answers"
    short_window = ("a table whose whole span is about two days, for an account that talks with two "
                    "others both ways")
    return {
        **_part_a(),
        "q1": Question(
            "q1", "the circles of the typical trust builder with inner ≥ 8 and close ≥ 2 events a month",
            circle_sizes, _community, kind="values", function_name="circle_sizes",
            args=lambda: typical("trust_builder"),
            hint_text="only mutuals count (a→b and b→a both ties). For each mutual, count the "
                      "conversational events between the two in both directions and divide by the "
                      "table's span in months (max(days, 1) / 30.44); then count the mutuals at or "
                      "above each threshold. Likes, shares and self-replies count for nothing.",
            explanation="A stricter definition shrinks the inner circles most; the nesting stays.",
            reasoning="Keep the conversational events between different accounts that involve the "
                      "account, find its mutuals (it talks to them and they to it), count the events "
                      "with each mutual both ways (value_counts of the other side) and divide by the "
                      "whole table's months; then count the rates at or above 8 and 2, and all.",
            # No unrelated conversations beside these tables: they would change the table's span,
            # and with it every contact rate, which is the situation itself.
            variants=[
                Variant(two_months, _months_table, args="ann"),
                Variant(two_months_daily, _months_table, args="bob"),
                Variant(two_months_silent, _months_table, args="dan"),
                Variant(short_window, _worked_example, args="bob")]),
        "q2": Question(
            "q2", "the global reciprocity of the CollegeMsg network", reciprocity, _collegemsg,
            function_name="reciprocity",
            hint_text="first the ties: distinct (actor, target) pairs from replies, mentions and dms "
                      "with actor ≠ target. Then, for each tie a→b, is b→a also a tie? The share of "
                      "ties for which it is. With no ties there is nothing to share (None or NaN).",
            explanation="The course's reference value for this network is 63.6%, computed by the course on "
                        "the SNAP file (not a figure quoted from Panzarasa, Opsahl and Carley, 2009).",
            reasoning="Make the ties once (distinct actor-target pairs of conversational events "
                      "between different accounts), merge them with themselves reversed, and divide "
                      "the matches by the number of ties, unless there are none.",
            variants=[Variant("the six-event worked example", _worked_example, background=True),
                      Variant("a small table with a self-reply, a like and a one-way mention added",
                              _attention_only, background=True),
                      Variant(two_months.split("; for")[0], _months_table, background=True),
                      Variant("a table with only a like and a self-reply (no ties)", _no_ties)]),
    }
