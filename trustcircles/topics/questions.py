"""Lesson 04, Every question gets an answer: who answers, how fast, and what silence does to newcomers.

The post *Creating our own circle of trust in Social Media* describes "a place where questions always
have an answer". This module measures it with the course's definitions (METRICS.md: a question is
answered when someone else replies to it within 48 hours, both ends included):

* :func:`archetype_answers`: per archetype, the median answer_rate and median_response_hours of its
  accounts (from :mod:`trustcircles.metrics`);
* :func:`newcomer_first_questions`: each newcomer's first question, how long until somebody else
  first replied (with no 48-hour limit, so the explorer can try other windows), and whether the
  newcomer was still active four weeks later; :func:`newcomer_sentence` says it in words;
* :func:`window_summary`: for an answer window from 1 hour to 7 days, how many newcomers got an
  answer in time and how many of them stayed. The course's rule stays 48 hours; other windows are an
  exploration around it.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from trustcircles import metrics
from trustcircles.topics.archetypes import CONVERSATION_ORDER, in_order


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
    return out.loc[in_order(out.index, CONVERSATION_ORDER)]


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


def newcomer_sentence(first: pd.DataFrame) -> str:
    """One sentence: how many newcomers got their first question answered, and how many stayed."""
    s = window_summary(first.assign(reply_hours=np.where(first["answered"], 0.0, np.nan)), 0)
    return (f"{s['answered']:,} of {s['newcomers']:,} newcomers ({s['share_answered']:.0%}) got an answer "
            f"to their first question within 48 hours. Of those we can follow for {STAY_WEEKS} weeks, "
            f"{s['answered_stayed']:,} of {s['answered_followed']:,} ({s['answered_stay_rate']:.0%}) were "
            f"still active {STAY_WEEKS} weeks later, against {s['unanswered_stayed']:,} of "
            f"{s['unanswered_followed']:,} ({s['unanswered_stay_rate']:.0%}) of those who got no answer.")
