"""Lesson 04, Every question gets an answer: who answers, how fast, and what silence does to newcomers.

The post *Creating our own circle of trust in Social Media* describes "a place where questions always
have an answer". This module measures it with the course's definitions (METRICS.md: a question is
answered when someone else replies to it within 48 hours, both ends included):

* :func:`archetype_answers`: per archetype, the median answer_rate and median_response_hours of its
  accounts (from :mod:`trustcircles.metrics`);
* :func:`newcomer_first_questions`: each newcomer's first question, how long until somebody else
  first replied (with no 48-hour limit, so the explorer can try other windows), and whether the
  newcomer was still active four weeks later;
* :func:`window_summary` and :class:`AnswerWindowExplorer` (registered for lesson "04"): slide the
  answer window from 1 hour to 7 days and see how many newcomers got an answer in time and how many
  of them stayed. The course's rule stays 48 hours; other windows are an exploration around it.
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from trustcircles import metrics, plots
from trustcircles.widgets import Explorer, register
from trustcircles.widgets.conversation import ARCHETYPE_COLOURS, ARCHETYPE_ORDER

#: how many weeks after the first question a newcomer must still act to count as having stayed
STAY_WEEKS = 4
#: the explorer's answer windows: label -> hours
WINDOWS = {"1 hour": 1, "3 hours": 3, "6 hours": 6, "12 hours": 12, "24 hours": 24,
           "48 hours (course rule)": 48, "3 days": 72, "5 days": 120, "7 days": 168}


def archetype_answers(table: pd.DataFrame, accounts: pd.DataFrame) -> pd.DataFrame:
    """Per archetype: accounts, questions put to them, median answer_rate, median median_response_hours.

    The medians are over the accounts of the archetype that had a question put to them (answer_rate)
    and that answered at least one (median_response_hours), as in METRICS.md.
    """
    per = metrics.account_metrics(table)[["answer_rate", "median_response_hours"]]
    per = per.join(accounts.set_index("account")["archetype"].astype("str"))
    put = metrics.questions(table)["target"].value_counts()
    per["questions_put"] = put.reindex(per.index).fillna(0).astype("int64")
    grouped = per.groupby("archetype")
    out = grouped[["answer_rate", "median_response_hours"]].median()
    out["accounts"] = grouped.size()
    out["questions_put"] = grouped["questions_put"].sum()
    order = [a for a in ARCHETYPE_ORDER if a in out.index] + sorted(set(out.index) - set(ARCHETYPE_ORDER))
    return out.loc[order]


def newcomer_first_questions(table: pd.DataFrame, newcomers) -> pd.DataFrame:
    """Each newcomer's first question and what followed it.

    ``newcomers``: the accounts to follow (e.g. the archetype "newcomer"). For each one that asked a
    question: its first question (earliest by time, then event_id), ``answered`` (METRICS.md:
    someone else replied within 48 hours, from :func:`trustcircles.metrics.questions`),
    ``reply_hours`` (hours to the earliest reply by someone else at any time; NaN if nobody ever
    replied), ``weeks_active`` (weeks from the question to the newcomer's last event),
    ``weeks_observed`` (weeks from the question to the end of the table) and ``stayed`` (still active
    STAY_WEEKS weeks later; missing when the table ends before that, so late joiners are not counted
    as leavers). Index: account.
    """
    q = metrics.questions(table)
    q = q[q["actor"].isin(set(newcomers))]
    first = q.groupby("actor", sort=True).head(1).set_index("actor")  # questions() is sorted by time, id
    replies = table.loc[table["kind"] == "reply", ["parent_id", "actor", "timestamp"]]
    pairs = replies.merge(first[["event_id", "timestamp"]].reset_index(), left_on="parent_id",
                          right_on="event_id", suffixes=("", "_q"))
    hours = (pairs["timestamp"] - pairs["timestamp_q"]).dt.total_seconds() / 3600
    ok = (pairs["actor"] != pairs["actor_q"]).to_numpy() & (hours >= 0).to_numpy()
    earliest = hours[ok].groupby(pairs.loc[ok, "actor_q"]).min()
    last = table.groupby("actor")["timestamp"].max().reindex(first.index)
    end = table["timestamp"].max()
    week = 7 * 86400
    out = pd.DataFrame({
        "event_id": first["event_id"], "timestamp": first["timestamp"],
        "answered": first["answered"].astype(bool),
        "reply_hours": earliest.reindex(first.index).astype(float),
        "weeks_active": (last - first["timestamp"]).dt.total_seconds() / week,
        "weeks_observed": (end - first["timestamp"]).dt.total_seconds() / week,
    })
    stayed = pd.array(out["weeks_active"] >= STAY_WEEKS, dtype="boolean")
    stayed[(out["weeks_observed"] < STAY_WEEKS).to_numpy()] = pd.NA
    out["stayed"] = stayed
    out.index.name = "account"
    return out


def window_summary(first: pd.DataFrame, hours: float) -> dict:
    """For an answer window of ``hours``: how many newcomers got a reply in time, and who stayed.

    Returns newcomers, answered (replied to within the window), share_answered; and among those
    followed long enough to tell (``stayed`` not missing): stayed / followed for the answered group
    and for the rest, and the two stay rates (NaN for an empty group).
    """
    reply = first["reply_hours"].to_numpy(dtype=float)
    in_time = reply <= hours  # NaN (never answered) compares False
    known = ~first["stayed"].isna().to_numpy()
    stayed = first["stayed"].fillna(False).to_numpy(dtype=bool)
    out = {"newcomers": len(first), "answered": int(in_time.sum()),
           "share_answered": float(in_time.mean()) if len(first) else float("nan")}
    for name, group in (("answered", in_time), ("unanswered", ~in_time)):
        followed = int((group & known).sum())
        kept = int((group & known & stayed).sum())
        out[f"{name}_followed"], out[f"{name}_stayed"] = followed, kept
        out[f"{name}_stay_rate"] = kept / followed if followed else float("nan")
    return out


# --------------------------------------------------------------------------- figures

def answer_rate_figure(by_archetype: pd.DataFrame) -> go.Figure:
    """Bars: the median answer_rate of each archetype, hover with response hours and counts."""
    colours = [ARCHETYPE_COLOURS.get(a, plots.NEUTRAL) for a in by_archetype.index]
    fig = go.Figure(go.Bar(
        x=list(by_archetype.index), y=by_archetype["answer_rate"], marker_color=colours,
        customdata=np.column_stack([by_archetype["median_response_hours"].fillna(-1),
                                    by_archetype["accounts"], by_archetype["questions_put"]]),
        hovertemplate=("%{x}<br>median answer rate %{y:.0%}<br>median response time "
                       "%{customdata[0]:.1f} hours<br>%{customdata[1]} accounts, "
                       "%{customdata[2]:,} questions put to them<extra></extra>"),
        showlegend=False))
    plots.style(fig, "Of the questions put to them, the share each archetype answers within 48 hours",
                "archetype", "median answer rate per account (0-1)")
    fig.update_yaxes(range=[0, 1.05], tickformat=".0%")
    return fig


def newcomer_weeks_figure(first: pd.DataFrame) -> go.Figure:
    """Side by side: weeks active after the first question, for newcomers answered in 48 h or not."""
    fig = go.Figure()
    for answered, label, colour in ((True, "first question answered within 48 h", plots.TRUST),
                                    (False, "no answer within 48 h", plots.TRANSACTIONAL)):
        part = first[first["answered"] == answered]
        fig.add_trace(go.Box(
            y=part["weeks_active"], name=label, marker_color=colour, boxpoints="all", jitter=0.4,
            pointpos=0, customdata=np.column_stack([part.index.to_numpy(dtype=object),
                                                    part["reply_hours"].fillna(-1)]),
            hovertemplate=("newcomer %{customdata[0]}<br>active for %{y:.1f} weeks after the first "
                           "question<extra></extra>")))
    fig.add_hline(y=STAY_WEEKS, line_dash="dash", line_color=plots.PALETTE["black"],
                  annotation_text=f"{STAY_WEEKS} weeks", annotation_position="top left")
    plots.style(fig, "Newcomers: how long they stayed active after their first question",
                "the newcomer's first question", "weeks active after the first question")
    fig.update_layout(showlegend=False)
    return fig


def newcomer_sentence(first: pd.DataFrame) -> str:
    """One sentence: how many newcomers got their first question answered, and how many stayed."""
    s = window_summary(first.assign(reply_hours=np.where(first["answered"], 0.0, np.nan)), 0)
    return (f"{s['answered']} of {s['newcomers']} newcomers ({s['share_answered']:.0%}) got an answer "
            f"to their first question within 48 hours. Of those we can follow for {STAY_WEEKS} weeks, "
            f"{s['answered_stayed']} of {s['answered_followed']} ({s['answered_stay_rate']:.0%}) were "
            f"still active {STAY_WEEKS} weeks later, against {s['unanswered_stayed']} of "
            f"{s['unanswered_followed']} ({s['unanswered_stay_rate']:.0%}) of those who got no answer.")


# --------------------------------------------------------------------------- the explorer

class AnswerWindowExplorer(Explorer):
    """Slide the answer window; watch how many newcomers are answered in time and how many stay."""

    def __init__(self, first: pd.DataFrame):
        self.first = first
        self.curve = [window_summary(first, h)["share_answered"] for h in WINDOWS.values()]
        window = widgets.SelectionSlider(options=list(WINDOWS.items()), value=48,
                                         description="answer window", continuous_update=False,
                                         style={"description_width": "initial"},
                                         layout=widgets.Layout(width="520px"))
        fig = make_subplots(rows=1, cols=2, column_widths=[0.55, 0.45], horizontal_spacing=0.14,
                            subplot_titles=("Newcomers answered within the window",
                                            f"Still active {STAY_WEEKS} weeks later"))
        hours = list(WINDOWS.values())
        fig.add_trace(go.Scatter(
            x=hours, y=self.curve, mode="lines+markers", name="answered in time",
            line={"color": plots.NEUTRAL}, text=list(WINDOWS),
            hovertemplate="within %{text}: %{y:.0%} of newcomers answered<extra></extra>"), 1, 1)
        fig.add_trace(go.Scatter(
            x=[48], y=[0], mode="markers", name="your window",
            marker={"color": plots.PALETTE["blue"], "size": 16, "symbol": "circle-open",
                    "line": {"width": 3}},
            hovertemplate="your window: %{y:.0%} answered<extra></extra>"), 1, 1)
        fig.add_trace(go.Bar(
            x=["answered in time", "not answered in time"], y=[0, 0],
            marker_color=[plots.TRUST, plots.TRANSACTIONAL], text=["", ""], textposition="none",
            hovertemplate="%{x}<br>%{y:.0%} still active<br>%{text}<extra></extra>",
            showlegend=False), 1, 2)
        fig.add_vline(x=48, line_dash="dash", line_color=plots.PALETTE["black"], row=1, col=1,
                      annotation_text="48 h: the course's rule", annotation_position="top left")
        plots.style(fig, "How fast the first answer comes, and who stays", "", "")
        fig.update_xaxes(type="log", tickvals=hours, ticktext=["1h", "3h", "6h", "12h", "1d", "2d", "3d", "5d", "7d"],
                         title_text="answer window (hours, log scale)", row=1, col=1)
        fig.update_yaxes(range=[0, 1.05], tickformat=".0%", title_text="share of newcomers (0-1)", row=1, col=1)
        fig.update_xaxes(title_text="newcomers, by their first question", row=1, col=2)
        fig.update_yaxes(range=[0, 1.05], tickformat=".0%", title_text="share still active (0-1)", row=1, col=2)
        fig.update_layout(height=420, showlegend=False)
        super().__init__({"window": window}, go.FigureWidget(fig),
                         caption="METRICS.md counts a question as answered within 48 hours; the other "
                                 "windows explore what a faster or slower answer would mean.")

    def update(self) -> str:
        hours = self.controls["window"].value
        label = self.controls["window"].label
        s = window_summary(self.first, hours)
        marker, bars = self.figure.data[1], self.figure.data[2]
        marker.x, marker.y = [hours], [s["share_answered"]]
        bars.y = [s["answered_stay_rate"], s["unanswered_stay_rate"]]
        bars.text = [f"{s['answered_stayed']} of {s['answered_followed']} newcomers",
                     f"{s['unanswered_stayed']} of {s['unanswered_followed']} newcomers"]

        def rate(x):
            return "no one" if np.isnan(x) else f"{x:.0%}"
        return (f"Within <b>{label}</b>, <b>{s['answered']}</b> of {s['newcomers']} newcomers "
                f"(<b>{s['share_answered']:.0%}</b>) got a reply to their first question. Of those we "
                f"can follow for {STAY_WEEKS} weeks, <b>{rate(s['answered_stay_rate'])}</b> of the answered "
                f"({s['answered_stayed']} of {s['answered_followed']}) were still active {STAY_WEEKS} weeks "
                f"later, against <b>{rate(s['unanswered_stay_rate'])}</b> of the rest "
                f"({s['unanswered_stayed']} of {s['unanswered_followed']}).")


@register("04")
def answer_window_explorer(table: pd.DataFrame | None = None, accounts: pd.DataFrame | None = None,
                           first: pd.DataFrame | None = None) -> AnswerWindowExplorer:
    """The lesson 04 explorer on the community dataset (or on newcomer_first_questions already computed)."""
    if first is None:
        from trustcircles.data import load_accounts, load_interactions
        table = load_interactions("community") if table is None else table
        accounts = load_accounts("community") if accounts is None else accounts
        newcomers = accounts.loc[accounts["archetype"] == "newcomer", "account"]
        first = newcomer_first_questions(table, newcomers)
    return AnswerWindowExplorer(first)
