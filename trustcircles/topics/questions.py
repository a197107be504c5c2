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


# --------------------------------------------------------------------------- reading the rule (exercise 04, Part A)

#: what a response to a question can be, by the course's rule: label -> what it means
RESPONSE_LABELS = {
    "answer": "someone else's reply within 48 hours: it answers the question",
    "late": "someone else's reply, but more than 48 hours after the question",
    "own": "the asker's own follow-up, however soon: it answers nobody",
    "not a reply": "a like, share or DM from someone else: attention, but only replies answer",
}


def responses(table: pd.DataFrame) -> pd.DataFrame:
    """Every event that responds to a question (its ``parent_id`` is a question of
    :func:`trustcircles.metrics.questions`), with the question beside it and its label.

    Columns: event_id, kind, actor, text, hours (from the question to the response), question_id,
    question_text, asker, label (a key of :data:`RESPONSE_LABELS`, from the METRICS.md rule: a reply
    by someone other than the asker within 48 hours, both ends included, answers it).
    """
    asked = metrics.questions(table)[["event_id", "actor", "timestamp"]]
    text = table.set_index("event_id")["text"] if "text" in table.columns else pd.Series(dtype=object)
    out = table[table["parent_id"].isin(set(asked["event_id"]))].merge(
        asked.rename(columns={"event_id": "question_id", "actor": "asker", "timestamp": "asked_at"}),
        left_on="parent_id", right_on="question_id")
    out["hours"] = (out["timestamp"] - out["asked_at"]).dt.total_seconds() / 3600
    out["question_text"] = out["question_id"].map(text).fillna("")
    if "text" not in out.columns:
        out["text"] = ""
    own = (out["actor"] == out["asker"]).to_numpy()
    reply = (out["kind"] == "reply").to_numpy()
    in_time = ((out["hours"] >= 0) & (out["hours"] <= 48)).to_numpy()
    out["label"] = np.select([own, ~reply, in_time], ["own", "not a reply", "answer"], "late")
    return out[["event_id", "kind", "actor", "text", "hours", "question_id", "question_text", "asker",
                "label"]].sort_values("event_id").reset_index(drop=True)


def _after(hours: float) -> str:
    """'40 minutes later' or 'about 37 hours later'."""
    if hours < 1:
        return f"{max(int(round(hours * 60)), 1)} minutes later"
    return f"about {hours:.0f} hour{'s' if round(hours) != 1 else ''} later"


def describe_response(row) -> str:
    """A response in words, as a learner reads it: the question, who responded how, and when."""
    who = "the asker itself" if row["label"] == "own" else "another account"
    doing = {"reply": "replies", "dm": "sends a direct message in the thread", "like": "likes it", "share": "shares it",
             "mention": "mentions the asker"}.get(row["kind"], row["kind"])
    said = f': "{row["text"]}"' if isinstance(row["text"], str) and row["text"].strip() else ""
    return f'Question: "{row["question_text"]}" → {_after(row["hours"])}, {who} {doing}{said}'


def response_sample(table: pd.DataFrame, counts: dict[str, int], seed: int = 7,
                    clear_hours: tuple[float, float] = (36, 60)) -> pd.DataFrame:
    """``counts[label]`` responses of each label (:data:`RESPONSE_LABELS`), shuffled: columns
    event_id, label, hours, kind and ``shown`` (the response in words, :func:`describe_response`).

    Only clear cases are picked: a late reply after ``clear_hours[1]`` hours, every other response
    within ``clear_hours[0]`` (so nobody has to judge 47 against 49 hours from a rounded time, and an
    own follow-up or a like is not an answer for who or what it is, not for when); each question
    appears once; the choice is seeded, so the same data give the same sample.
    """
    found = responses(table)
    found = found[found["question_text"].str.strip().ne("") & (found["hours"] >= 0)]
    late = found["label"] == "late"
    clear = (late & (found["hours"] >= clear_hours[1])) | (~late & (found["hours"] <= clear_hours[0]))
    found = found[clear].drop_duplicates("question_text")
    rng = np.random.default_rng(seed)
    picked = []
    for label, want in counts.items():
        if not want:
            continue
        candidates = found[(found["label"] == label) & ~found["question_id"].isin(
            [q for p in picked for q in p["question_id"]])]
        if len(candidates) < want:
            raise ValueError(f"only {len(candidates)} responses of the kind {label!r} in the table")
        picked.append(candidates.iloc[np.sort(rng.choice(len(candidates), size=want, replace=False))])
    sample = pd.concat(picked, ignore_index=True)
    sample["shown"] = [describe_response(row) for _, row in sample.iterrows()]
    sample = sample.iloc[rng.permutation(len(sample))].reset_index(drop=True)
    return sample[["event_id", "label", "hours", "kind", "shown"]]


# --------------------------------------------------------------------------- where silence falls (exercise 04, Part A)


def unanswered_first_questions(table: pd.DataFrame, accounts: pd.DataFrame, first: pd.DataFrame) -> dict:
    """Where the newcomers' first questions with no answer within 48 hours were asked.

    ``first``: :func:`newcomer_first_questions`. Returns newcomers, answered, unanswered, late (of
    the unanswered, those someone else replied to after 48 hours but within 7 days: an answer that
    came too late) and ``asked``: of the unanswered, how many were posted to everyone (no target)
    and how many put to an account of each archetype (archetype -> count).
    """
    missed = first[~first["answered"]]
    target = table.set_index("event_id")["target"].reindex(missed["event_id"]).to_numpy()
    archetype = accounts.set_index("account")["archetype"].astype(str)
    where = pd.Series(target).map(archetype).where(pd.Series(target).notna() & pd.Series(target).ne(""),
                                                   "everyone")
    late = missed["reply_hours"].between(48, 168, inclusive="right")
    return {"newcomers": len(first), "answered": int(first["answered"].sum()),
            "unanswered": len(missed), "late": int(late.sum()),
            "asked": where.fillna("unknown").value_counts().to_dict()}
