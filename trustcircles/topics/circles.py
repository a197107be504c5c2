"""Lesson 06, Circles of trust: nested layers of closeness, in the synthetic community and real data.

The course counts an account's circles among its mutuals by how often they talk
(:func:`trustcircles.metrics.circles`): the *inner* circle at about weekly contact or more, the
*close* circle at about monthly or more, the *active* circle all mutuals. This module gives the
lesson what it needs around that:

* :class:`MutualRates`: every mutual tie with its contact rate, so circles can be recounted for any
  thresholds in a millisecond (the same counts as ``metrics.circles``; lesson 10 counts yours with it
  too); :func:`community_circles` gives it for the community dataset, computed once;
* :func:`archetype_medians` and :func:`examples`: circles per archetype, and whose to look at;
* :func:`reply_within`, :func:`circle_summary`, :func:`compare_with_published` and
  :func:`comparison_sentences`: the real UC Irvine message network (CollegeMsg; Panzarasa, Opsahl
  and Carley, 2009) beside the synthetic community and the published figures.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from trustcircles import metrics
from trustcircles.topics import community
from trustcircles.topics.archetypes import CIRCLES_ORDER, PLURALS, label


#: Published figures (facts, with their sources) used for comparison in the lesson.
PUBLISHED = {
    "reciprocity": (0.636, "CollegeMsg: 63.6% of directed ties reciprocated (Panzarasa, Opsahl and Carley, 2009)"),
    "reply_within_7_days": (0.42, "CollegeMsg: 42% of pairs started by one side got a reply within 7 days "
                                  "(Panzarasa, Opsahl and Carley, 2009)"),
}

#: Layers of closeness about 5, 15, 50 and 150 people, found online too (Dunbar, Arnaboldi, Conti
#: and Passarella, 2015).
DUNBAR_LAYERS = (5, 15, 50, 150)

#: The three circles' names, innermost first.
LABELS = ("inner circle", "close circle", "active circle (all mutuals)")


class MutualRates:
    """Every mutual tie a→b (a and b talk both ways) with contact_rate(a, b), per account a.

    ``counts(inner, close)`` gives each account's circles for any thresholds, matching
    :func:`trustcircles.metrics.circles` (mutuals with contact_rate ≥ inner, ≥ close, all).
    """

    def __init__(self, table, accounts: pd.Index | None = None):
        ties = metrics.ties(table)[["actor", "target"]]
        reverse = ties.rename(columns={"actor": "target", "target": "actor"})
        mutual = ties.merge(reverse, on=["actor", "target"])
        first = mutual["actor"] < mutual["target"]
        mutual["a"] = mutual["actor"].where(first, mutual["target"])
        mutual["b"] = mutual["target"].where(first, mutual["actor"])
        mutual = mutual.merge(metrics.contact_rates(table)[["a", "b", "contact_rate"]], on=["a", "b"])
        self.accounts = pd.Index(accounts if accounts is not None else metrics.out_ties(table).index)
        self.account = self.accounts.get_indexer(mutual["actor"])
        self.rate = mutual["contact_rate"].to_numpy(dtype=float)
        self.months = metrics.months(table)

    def counts(self, inner: float = metrics.INNER_CIRCLE_RATE,
               close: float = metrics.CLOSE_CIRCLE_RATE) -> pd.DataFrame:
        """circle_inner, circle_close and circle_active per account (all accounts, sorted)."""
        n = len(self.accounts)
        count = lambda keep: np.bincount(self.account[keep], minlength=n)  # noqa: E731
        return pd.DataFrame({"circle_inner": count(self.rate >= inner),
                             "circle_close": count(self.rate >= close),
                             "circle_active": np.bincount(self.account, minlength=n)},
                            index=self.accounts)

    def counts_of(self, account: str, inner: float = metrics.INNER_CIRCLE_RATE,
                  close: float = metrics.CLOSE_CIRCLE_RATE) -> dict[str, int]:
        """One account's row of :meth:`counts` as a dict (all 0 for an account not in the table)."""
        row = self.counts(inner, close).reindex([account], fill_value=0).iloc[0]
        return {key: int(value) for key, value in row.items()}


def archetype_medians(circles: pd.DataFrame, archetype: pd.Series) -> pd.DataFrame:
    """Median circle sizes per archetype (rows in the lesson's order)."""
    frame = circles.join(archetype.rename("archetype"))
    order = [a for a in CIRCLES_ORDER if a in set(frame["archetype"])]
    return frame.groupby("archetype")[["circle_inner", "circle_close", "circle_active"]].median().reindex(order)


@lru_cache(maxsize=1)
def community_circles() -> tuple[pd.DataFrame, pd.Series, MutualRates]:
    """The community table, each account's archetype and its :class:`MutualRates` (computed once
    per session; shared: copy them before changing them)."""
    table, accounts = community(text=False)
    rates = MutualRates(table)
    archetype = accounts.set_index("account")["archetype"].reindex(rates.accounts).fillna("unknown")
    return table, archetype.astype(str), rates


def examples(rates: MutualRates, archetype: pd.Series) -> dict[str, str]:
    """Dropdown choices: each archetype's median, then one typical account of each archetype (the
    one whose number of mutuals is closest to its archetype's median, first by name on a tie)."""
    active = rates.counts()["circle_active"]
    options = {f"all {PLURALS[a]} (median)": f"archetype:{a}" for a in CIRCLES_ORDER
               if a in set(archetype)}
    for a in CIRCLES_ORDER:
        part = active[archetype == a]
        if len(part):
            gap = (part - part.median()).abs().sort_index(kind="stable").sort_values(kind="stable")
            options[f"{label(a)} · typical ({gap.index[0]})"] = str(gap.index[0])
    return options


def reply_within(table, days: float = 7.0) -> float:
    """Of the pairs of accounts where one side spoke first, the share where the other side spoke
    back within ``days`` days of that first event.

    A pair counts once: the side whose first conversational event to the other came first started
    it; it got a reply if the other side's first event to the starter came no later than ``days``
    days after. (Two first events at the same instant count as a reply.) NaN with no pairs.
    """
    ties = metrics.ties(table)[["actor", "target", "first_time"]]
    back = ties.rename(columns={"actor": "target", "target": "actor", "first_time": "back_time"})
    pairs = ties.merge(back, on=["actor", "target"], how="left")
    # Keep one row per unordered pair: the starter's (the earlier first event; on equal times the
    # alphabetically first actor).
    starter = pairs["back_time"].isna() | (pairs["first_time"] < pairs["back_time"]) | (
        (pairs["first_time"] == pairs["back_time"]) & (pairs["actor"] < pairs["target"]))
    pairs = pairs[starter]
    if pairs.empty:
        return float("nan")
    delay = (pairs["back_time"] - pairs["first_time"]) / pd.Timedelta(days=1)
    return float((delay <= days).mean())


def circle_summary(table) -> dict:
    """Median and largest active circle (mutuals) among accounts with at least one mutual, and the
    median close and inner circles of those accounts (default thresholds)."""
    circles = metrics.circles(table)
    some = circles[circles["circle_active"] > 0]
    return {"accounts_with_mutuals": int(len(some)),
            "median_active": float(some["circle_active"].median()),
            "median_close": float(some["circle_close"].median()),
            "median_inner": float(some["circle_inner"].median()),
            "largest_active": int(circles["circle_active"].max()),
            "circles": circles}


def compare_with_published(community_table, real_table) -> pd.DataFrame:
    """A table of measures: the synthetic community and CollegeMsg as computed here, and the
    published figure where there is one (NaN where there is none)."""
    rows = {}
    for name, table in (("community (synthetic)", community_table), ("collegemsg (computed here)", real_table)):
        g = metrics.global_metrics(table)
        c = circle_summary(table)
        rows[name] = {"accounts": g["accounts"], "ties": g["ties"], "months": metrics.months(table),
                      "reciprocity": g["reciprocity"], "reply_within_7_days": reply_within(table, 7),
                      "median_active_circle": c["median_active"], "median_close_circle": c["median_close"],
                      "median_inner_circle": c["median_inner"], "largest_active_circle": c["largest_active"]}
    rows["published (CollegeMsg)"] = {"accounts": 1899, "ties": np.nan, "months": np.nan,
                                      "reciprocity": PUBLISHED["reciprocity"][0],
                                      "reply_within_7_days": PUBLISHED["reply_within_7_days"][0]}
    return pd.DataFrame(rows).T[list(rows["community (synthetic)"])]


def comparison_sentences(comparison: pd.DataFrame) -> str:
    """The comparison in words, with the numbers computed at run time."""
    c, r = comparison.iloc[0], comparison.iloc[1]
    p = comparison.iloc[2]
    return (f"CollegeMsg as computed here: reciprocity {r['reciprocity']:.1%} "
            f"(published {p['reciprocity']:.1%}); {r['reply_within_7_days']:.1%} of pairs answered "
            f"within 7 days (published {p['reply_within_7_days']:.0%}).\n"
            f"Synthetic community: reciprocity {c['reciprocity']:.1%}; {c['reply_within_7_days']:.1%} "
            f"of pairs answered within 7 days.\n"
            f"Median active circle (accounts with a mutual): community {c['median_active_circle']:g}, "
            f"CollegeMsg {r['median_active_circle']:g}; largest: {c['largest_active_circle']:g} and "
            f"{r['largest_active_circle']:g}. Windows: {c['months']:.1f} and {r['months']:.1f} months.")


def at_least_shares(circles: pd.DataFrame) -> pd.Series:
    """Figure 4's curve: for each active-circle size that occurs, the share of accounts (among those
    with at least one mutual) whose active circle has at least that many mutuals. Index: size."""
    sizes = np.sort(circles["circle_active"].to_numpy())
    sizes = sizes[sizes > 0]
    values = np.unique(sizes)
    return pd.Series(1 - np.searchsorted(sizes, values, side="left") / max(len(sizes), 1),
                     index=pd.Index(values, name="mutuals"), name="share_with_at_least")


def share_with_at_least(circles: pd.DataFrame, mutuals: int) -> float:
    """The share of accounts with at least one mutual whose active circle has ``mutuals`` or more
    (a point of Figure 4); NaN when no account has a mutual."""
    active = circles["circle_active"]
    active = active[active > 0]
    return float((active >= mutuals).mean()) if len(active) else float("nan")


#: the archetypes whose attention goes one way by design: cold pitchers and trolls
ONE_WAY = ("transactional", "troll")


def reciprocity_without(table, accounts: pd.DataFrame, archetypes=ONE_WAY) -> float:
    """Global reciprocity of the table once every event by or to an account of ``archetypes`` is
    left out (the same number as the community's data card reports for its ties without sellers)."""
    archetype = accounts.set_index("account")["archetype"]
    left_out = set(archetype[archetype.isin(archetypes)].index)
    keep = ~table["actor"].isin(left_out) & ~table["target"].isin(left_out)
    return metrics.global_reciprocity(table[keep])


def reciprocity_evidence(community_table, accounts: pd.DataFrame, real_table) -> dict:
    """What lesson 06's comparison rests on, for judging why the two networks differ.

    Each network's reciprocity, window (months) and accounts, and three tests of an explanation for
    the community being less reciprocal, each the real network (or the community) with the blamed
    difference taken away:

    * ``same_window``: CollegeMsg cut to the community's window (its first events only);
    * ``same_size``: CollegeMsg cut to the community's size (its most active students, ties among
      them only);
    * ``without_one_way``: the community without its one-way archetypes (:func:`reciprocity_without`).

    ``gap_closed`` says, per explanation ("time", "size", "one_way"), how much of the gap between
    the two reciprocities that test closes (1: all of it; 0 or less: none). Also the community's
    median trust builder's own reciprocity (the share of its ties returned, METRICS.md).
    """
    archetype = accounts.set_index("account")["archetype"]
    own = metrics.reciprocity_by_account(community_table)
    builders = own[own.index.isin(archetype[archetype == "trust_builder"].index)]
    out = {}
    for name, table in (("community", community_table), ("collegemsg", real_table)):
        g = metrics.global_metrics(table)
        out[name] = {"reciprocity": g["reciprocity"], "months": metrics.months(table),
                     "accounts": g["accounts"]}
    span = community_table["timestamp"].max() - community_table["timestamp"].min()
    same_window = real_table[real_table["timestamp"] <= real_table["timestamp"].min() + span]
    busiest = set(real_table["actor"].value_counts().index[:out["community"]["accounts"]])
    same_size = real_table[real_table["actor"].isin(busiest) & real_table["target"].isin(busiest)]
    out["same_window"] = metrics.global_reciprocity(same_window)
    out["same_size"] = metrics.global_reciprocity(same_size)
    out["without_one_way"] = reciprocity_without(community_table, accounts)
    out["trust_builder_median"] = float(builders.median())
    community, real = out["community"]["reciprocity"], out["collegemsg"]["reciprocity"]
    gap = real - community
    out["gap_closed"] = {"time": (real - out["same_window"]) / gap,
                         "size": (real - out["same_size"]) / gap,
                         "one_way": (out["without_one_way"] - community) / gap}
    return out
