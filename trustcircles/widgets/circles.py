"""Lesson 06, Circles of trust: nested layers of closeness, in the synthetic community and real data.

The course counts an account's circles among its mutuals by how often they talk
(:func:`trustcircles.metrics.circles`): the *inner* circle at about weekly contact or more, the
*close* circle at about monthly or more, the *active* circle all mutuals. This module gives the
lesson what it needs around that:

* :class:`MutualRates`: every mutual tie with its contact rate, so circles can be recounted for any
  thresholds in a millisecond (the same counts as ``metrics.circles``);
* :func:`rings_figure`, :func:`archetype_circles_figure`: the lesson's figures of circles;
* :class:`CirclesExplorer` (registered for lesson "06"): sliders for the two thresholds and a choice
  of archetype or account, with the nested rings and a reading;
* :func:`reply_within`, :func:`compare_with_published`, :func:`comparison_figure`,
  :func:`circle_size_figure`: the real UC Irvine message network (CollegeMsg; Panzarasa, Opsahl and
  Carley, 2009) beside the synthetic community and the published figures.
"""
from __future__ import annotations

from functools import lru_cache

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from trustcircles import metrics, plots
from trustcircles.widgets import Explorer, register

#: Published figures (facts, with their sources) used for comparison in the lesson.
PUBLISHED = {
    "reciprocity": (0.636, "CollegeMsg: 63.6% of directed ties reciprocated (Panzarasa, Opsahl and Carley, 2009)"),
    "reply_within_7_days": (0.42, "CollegeMsg: 42% of pairs started by one side got a reply within 7 days "
                                  "(Panzarasa, Opsahl and Carley, 2009)"),
}
#: Layers of closeness about 5, 15, 50 and 150 people, found online too (Dunbar, Arnaboldi, Conti
#: and Passarella, 2015).
DUNBAR_LAYERS = (5, 15, 50, 150)
#: Archetypes in the order the lesson shows them.
ARCHETYPES = ("trust_builder", "listener", "broadcaster", "newcomer", "transactional", "troll")
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


def rings_figure(counts, title: str, inner: float = metrics.INNER_CIRCLE_RATE,
                 close: float = metrics.CLOSE_CIRCLE_RATE) -> go.Figure:
    """Nested rings (plots.circle_rings) for three circle sizes, innermost first."""
    descriptions = (f"mutuals with {inner:g} or more conversational events a month (both ways)",
                    f"mutuals with {close:g} or more conversational events a month",
                    "everyone who talks with this account both ways")
    return plots.circle_rings(list(counts), LABELS, title, descriptions, value_format="{:g}")


def archetype_medians(circles: pd.DataFrame, archetype: pd.Series) -> pd.DataFrame:
    """Median circle sizes per archetype (rows in the lesson's order)."""
    frame = circles.join(archetype.rename("archetype"))
    order = [a for a in ARCHETYPES if a in set(frame["archetype"])]
    return frame.groupby("archetype")[["circle_inner", "circle_close", "circle_active"]].median().reindex(order)


def archetype_circles_figure(medians: pd.DataFrame) -> go.Figure:
    """Grouped bars: the median inner, close and active circle of each archetype."""
    fig = go.Figure()
    for column, label, colour in zip(medians.columns, LABELS, plots.CIRCLE_COLOURS):
        fig.add_trace(go.Bar(x=medians.index, y=medians[column], name=label, marker_color=colour,
                             hovertemplate="%{x}<br>" + label + ": median %{y:g} accounts<extra></extra>"))
    plots.style(fig, "Circles of trust by archetype (medians, default thresholds)", "archetype",
                "accounts in the circle (count)")
    fig.update_layout(barmode="group", height=440)
    return fig


@lru_cache(maxsize=1)
def _community():
    from trustcircles.data import load_accounts, load_interactions
    table = load_interactions("community")
    accounts = load_accounts("community")
    rates = MutualRates(table)
    archetype = accounts.set_index("account")["archetype"].reindex(rates.accounts).fillna("unknown")
    return table, archetype.astype(str), rates


def community():
    """The community table, each account's archetype and its :class:`MutualRates` (loaded once)."""
    return _community()


def examples(rates: MutualRates, archetype: pd.Series) -> dict[str, str]:
    """Dropdown choices: each archetype's median, then one typical account of each archetype (the
    one whose number of mutuals is closest to its archetype's median, first by name on a tie)."""
    active = rates.counts()["circle_active"]
    options = {f"all {a}s (median)": f"archetype:{a}" for a in ARCHETYPES if a in set(archetype)}
    for a in ARCHETYPES:
        part = active[archetype == a]
        if len(part):
            gap = (part - part.median()).abs().sort_index(kind="stable").sort_values(kind="stable")
            options[f"{a} · typical ({gap.index[0]})"] = str(gap.index[0])
    return options


class CirclesExplorer(Explorer):
    """Move the inner and close thresholds; watch an archetype's (or an account's) circles change."""

    def __init__(self, rates: MutualRates, archetype: pd.Series):
        self.rates, self.archetype = rates, archetype
        controls = {
            "who": widgets.Dropdown(options=examples(rates, archetype), description="whose circles",
                                    style={"description_width": "initial"},
                                    layout=widgets.Layout(width="360px")),
            "inner": widgets.FloatSlider(value=metrics.INNER_CIRCLE_RATE, min=2, max=20, step=1,
                                         description="inner ≥ (events/month)", readout_format=".0f",
                                         style={"description_width": "initial"}),
            "close": widgets.FloatSlider(value=metrics.CLOSE_CIRCLE_RATE, min=0.25, max=2, step=0.25,
                                         description="close ≥ (events/month)", readout_format=".2f",
                                         style={"description_width": "initial"}),
        }
        base = rings_figure([1, 2, 3], "Circles of trust")
        figure = go.FigureWidget(base)
        super().__init__(controls, figure, caption="The close threshold stays below the inner one, "
                                                   "so the circles always nest.")

    def sizes(self, who: str, inner: float, close: float) -> tuple[list[float], str]:
        """Circle sizes (inner, close, active) for an archetype's median or one account."""
        counts = self.rates.counts(inner, close)
        if who.startswith("archetype:"):
            name = who.split(":", 1)[1]
            part = counts[self.archetype.to_numpy() == name]
            return part.median().tolist(), f"the median {name} ({len(part)} accounts)"
        return counts.loc[who].tolist(), f"{who} ({self.archetype[who]})"

    def update(self) -> str:
        inner, close = self.controls["inner"].value, self.controls["close"].value
        sizes, whom = self.sizes(self.controls["who"].value, inner, close)
        # Redraw the rings in place with plots.circle_rings' geometry (area in proportion to the
        # count, a minimum radius so an empty circle still shows, nested); building a whole new
        # figure per move would take longer than the 0.1 s a callback may use.
        radii = _ring_radii(sizes)
        angle = np.linspace(0, 2 * np.pi, 181)
        descriptions = (f"mutuals with {inner:g} or more conversational events a month (both ways)",
                        f"mutuals with {close:g} or more conversational events a month",
                        "everyone who talks with this account both ways")
        for j, i in enumerate(reversed(range(len(sizes)))):
            label = f"{LABELS[i]}: {sizes[i]:g}"
            trace = self.figure.data[j]
            trace.x, trace.y = radii[i] * np.cos(angle), radii[i] * np.sin(angle)
            trace.name = label
            trace.text = f"<b>{LABELS[i]}</b>: {sizes[i]:g}<br>{descriptions[i]}"
            self.figure.layout.annotations[j].update(y=radii[i] - 0.06 if i else 0, text=label)
        self.figure.layout.title.text = f"Circles of trust of {whom}"
        per_week = inner / (metrics.DAYS_PER_MONTH / 7)
        return (f"For {whom}: <b>{sizes[0]:g}</b> mutuals share {inner:g} or more conversational "
                f"events a month with it (about {per_week:.1f} a week): the inner circle; "
                f"<b>{sizes[1]:g}</b> share {close:g} or more a month: the close circle; "
                f"<b>{sizes[2]:g}</b> talk with it both ways at all. (Over this {self.rates.months:.1f}-month window, {inner:g} a month means "
                f"{inner * self.rates.months:.0f} or more conversational events between the two.)")


def _ring_radii(counts) -> list[float]:
    """The radii plots.circle_rings gives nested rings of these counts (innermost first)."""
    counts = [float(c) for c in counts]
    biggest = max(counts + [1e-9])
    radii = [max(np.sqrt(c / biggest), 0.12 + 0.1 * i) for i, c in enumerate(counts)]
    return list(np.maximum.accumulate(radii))


@register("06")
def circles_explorer() -> CirclesExplorer:
    """The lesson's explorer on the community dataset."""
    _, archetype, rates = _community()
    return CirclesExplorer(rates, archetype)


# --------------------------------------------------------------------------- the real network

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


def comparison_figure(comparison: pd.DataFrame) -> go.Figure:
    """Grouped bars: reciprocity and replies within 7 days, synthetic vs real vs published."""
    colours = (plots.PALETTE["orange"], plots.PALETTE["blue"], plots.PALETTE["black"])
    fig = go.Figure()
    measures = ["reciprocity", "reply_within_7_days"]
    labels = ["ties reciprocated", "pairs answered within 7 days"]
    for (name, row), colour in zip(comparison.iterrows(), colours):
        fig.add_trace(go.Bar(x=labels, y=row[measures].astype(float), name=name, marker_color=colour,
                             hovertemplate=name + "<br>%{x}: %{y:.1%}<extra></extra>"))
    plots.style(fig, "Two-way talk: synthetic community, real CollegeMsg, published figures",
                "measure", "share (0-1)")
    fig.update_yaxes(range=[0, 1])
    fig.update_layout(barmode="group", height=440)
    return fig


def circle_size_figure(named_circles: dict[str, pd.DataFrame]) -> go.Figure:
    """Share of accounts (with at least one mutual) whose active circle has at least N mutuals, on a
    log scale, one line per dataset, with Dunbar's layers 5, 15, 50, 150 marked."""
    colours = (plots.PALETTE["orange"], plots.PALETTE["blue"], plots.TRUST)
    fig = go.Figure()
    for (name, circles), colour in zip(named_circles.items(), colours):
        sizes = np.sort(circles["circle_active"].to_numpy())
        sizes = sizes[sizes > 0]
        values = np.unique(sizes)
        at_least = 1 - np.searchsorted(sizes, values, side="left") / len(sizes)
        fig.add_trace(go.Scatter(x=values, y=at_least, mode="lines+markers", name=name,
                                 line={"color": colour, "shape": "hv"}, marker={"size": 4},
                                 hovertemplate=(name + "<br>%{y:.1%} of accounts have %{x} or more "
                                                "mutuals<extra></extra>")))
    for layer in DUNBAR_LAYERS:
        fig.add_vline(x=layer, line_dash="dot", line_color=plots.PALETTE["black"],
                      annotation_text=f"{layer}", annotation_position="top")
    plots.style(fig, "How big are active circles? (dotted: Dunbar's layers 5, 15, 50, 150)",
                "mutuals of an account (count, log scale)",
                "share of accounts with at least that many (0-1)")
    fig.update_xaxes(type="log")
    fig.update_layout(height=460)
    return fig


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
