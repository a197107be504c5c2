"""Lesson 13 and the capstone: a circle-of-trust audit of a community, with every lesson's measures.

An audit reads a community it has no labels for: the measures here use the interactions table only
(a real audit has no archetypes), and set each number beside the same number for the course's own
community, so a reader can see what stands out. The audit community's ``accounts.csv`` holds the
simulation's answer key; nothing here reads it.

* :func:`newcomers` finds newcomers without labels: accounts first seen at least
  :data:`SETTLE_DAYS` days after the table begins;
* :func:`dashboard`: one row per measure (lessons 01 to 12), the audited community beside the
  course's (:func:`dashboard_sentences` says them in words);
* :func:`kind_of_community`: which of three descriptions the numbers fit, and why (a stated rule);
* :func:`scheduler_suspects`: accounts whose posts sit on the clock and whose replies keep office hours;
* :func:`first_change`: which change to try first, from the dashboard and the norms scenario.
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from trustcircles import metrics

#: The capstone's dataset.
AUDIT = "audit_community"
#: A newcomer, without labels: first seen (as the actor of any event) at least this many days after
#: the table's first event.
SETTLE_DAYS = 14
#: The measures of :func:`dashboard`: key -> (what it is, the lesson that teaches it).
MEASURES = {
    "top_tenth_share": ("messages written by the most active tenth of members", "11"),
    "gini": ("Gini coefficient of messages per member (0 = everyone writes as much)", "11"),
    "left_without_5": ("conversation left with the 5 most active voices set aside", "11"),
    "personal_share": ("messages that are personal, one to one", "03, 11"),
    "to_everyone_share": ("messages that are posts to everyone", "03, 11"),
    "selling_share": ("messages that sell, one to one", "01, 03"),
    "reciprocity": ("ties returned (reciprocity)", "01, 05"),
    "questions_answered": ("questions answered within 48 hours", "04"),
    "newcomers_answered": ("newcomers' first questions answered within 48 hours", "04"),
    "newcomers_came_back": ("newcomers who posted again after their first question", "04"),
    "quiet_half_answered": ("of the quieter half of members, the share ever answered", "11"),
    "hostile_per_100_weekly": ("hostile messages a week per 100 members", "07"),
    "hostile_to_top_tenth": ("hostile replies aimed at the top tenth of accounts by audience", "07"),
    "scheduler_suspects": ("accounts posting on the clock and replying only in office hours", "12"),
}
#: The measures that are shares (shown as percentages).
SHARES = tuple(k for k in MEASURES if k not in ("gini", "hostile_per_100_weekly", "scheduler_suspects"))


def newcomers(table: pd.DataFrame, settle_days: int = SETTLE_DAYS) -> list[str]:
    """Accounts whose first event as actor comes at least ``settle_days`` days after the table's
    first event (sorted). The rest were there from the start."""
    first = table.groupby("actor")["timestamp"].min()
    start = table["timestamp"].min()
    return sorted(first.index[first >= start + pd.Timedelta(days=settle_days)])


def scheduler_suspects(table: pd.DataFrame, min_posts: int = 10, min_replies: int = 3) -> pd.DataFrame:
    """Accounts with at least ``min_posts`` posts and ``min_replies`` replies of which at least 90% of
    the posts are on the clock and at least 90% of the replies in office hours (lesson 12's
    measures), most posts first."""
    from trustcircles.topics.presence import presence_by_account
    frame = presence_by_account(table)
    keep = ((frame["posts"] >= min_posts) & (frame["replies"] >= min_replies)
            & (frame["clock_share"] >= 0.9) & (frame["office_share"] >= 0.9))
    return frame[keep].sort_values(["posts", "replies"], ascending=False, kind="stable")


def measures(table: pd.DataFrame) -> dict:
    """Every measure of :data:`MEASURES` for one interactions table (no labels used)."""
    from trustcircles.topics import trolls, voice
    got = voice.message_replies(table)
    summary = voice.voice_summary(table, got)
    sorts = voice.message_sorts(table, got)["sort"].value_counts(normalize=True)
    came = voice.newcomers_came_back(table, newcomers(table))
    hostile = table["is_hostile"].astype(bool) if "is_hostile" in table.columns else pd.Series(False, index=table.index)
    weeks = max(metrics.window_days(table) / 7, 1.0)
    return {
        "top_tenth_share": summary["top_tenth_share"], "gini": summary["gini"],
        "left_without_5": float(voice.without_top_voices(table, 5).loc[5, "conversation_left"]),
        "personal_share": float(sorts.get("personal, one to one", 0.0)),
        "to_everyone_share": float(sorts.get("to everyone", 0.0)),
        "selling_share": float(sorts.get("selling, one to one", 0.0)),
        "reciprocity": metrics.global_reciprocity(table),
        "questions_answered": metrics.questions_answered_rate(table),
        "newcomers_answered": came["answered_share"], "newcomers_came_back": came["came_back_share"],
        "quiet_half_answered": voice.quiet_half(table, got)["answered_share"],
        "hostile_per_100_weekly": float(hostile.sum()) / weeks / max(summary["members"], 1) * 100,
        "hostile_to_top_tenth": trolls.top_tenth_share(table),
        "scheduler_suspects": int(len(scheduler_suspects(table))),
    }


@lru_cache(maxsize=2)
def audited(name: str = AUDIT) -> tuple[pd.DataFrame, dict]:
    """A shipped dataset's interactions and :func:`measures`, computed once per session."""
    from trustcircles.data import load_interactions
    table = load_interactions(name)
    return table, audit_measures(name)


@lru_cache(maxsize=4)
def audit_measures(name: str = AUDIT) -> dict:
    """A shipped dataset's :func:`measures`, computed once per session; its table is kept only if
    the kernel keeps it anyway (a reference's numbers need no table in memory)."""
    from trustcircles.data import load_interactions
    return measures(load_interactions(name, keep=False))


def dashboard(name: str = AUDIT, reference: str = "community") -> pd.DataFrame:
    """One row per measure: what it is, the lesson, its value in ``name`` and in ``reference``."""
    _, mine = audited(name)
    theirs = audit_measures(reference)
    rows = [{"measure": words, "lessons": lesson, name: mine[key], reference: theirs[key]}
            for key, (words, lesson) in MEASURES.items()]
    return pd.DataFrame(rows, index=list(MEASURES))


def _fmt(key: str, value) -> str:
    if pd.isna(value):
        return "n/a"
    if key in SHARES:
        return f"{value:.0%}"
    return f"{value:.2f}" if key == "gini" else f"{value:.1f}" if key == "hostile_per_100_weekly" else f"{int(value)}"


def dashboard_table(name: str = AUDIT, reference: str = "community") -> pd.DataFrame:
    """:func:`dashboard` with its values written out (percentages, counts), for reading."""
    frame = dashboard(name, reference)
    for column in (name, reference):
        frame[column] = [_fmt(k, v) for k, v in frame[column].items()]
    words = {name: "the community to audit" if name == AUDIT else name,
             reference: "the course's community" if reference == "community" else reference}
    return frame.rename(columns=words).set_index("measure")


def kind_of_community(mine: dict, theirs: dict) -> tuple[str, dict]:
    """Which description the numbers fit, by a stated rule, and the numbers behind each:

    * "marketplace" if more than half of the messages sell;
    * "stage" (an audience around a few voices, where newcomers go unheard) if, against the course's
      community, more of the messages are posts to everyone, at least 10 points fewer newcomers are
      answered and fewer ties are returned;
    * "community" otherwise.
    """
    stage = (mine["to_everyone_share"] > theirs["to_everyone_share"]
             and mine["newcomers_answered"] <= theirs["newcomers_answered"] - 0.10
             and mine["reciprocity"] < theirs["reciprocity"])
    kind = "marketplace" if mine["selling_share"] > 0.5 else "stage" if stage else "community"
    return kind, {"selling": mine["selling_share"], "to_everyone": (mine["to_everyone_share"], theirs["to_everyone_share"]),
                  "newcomers": (mine["newcomers_answered"], theirs["newcomers_answered"]),
                  "reciprocity": (mine["reciprocity"], theirs["reciprocity"])}


def first_change(mine: dict, theirs: dict) -> str:
    """The change to try first (a stated rule): "welcome" (answer every newcomer's first question)
    when newcomers are answered at least 10 points less often than in the course's community; else
    "callout" when hostility is at least 1.5 times the course's; else "lead" (answer in person)."""
    if mine["newcomers_answered"] <= theirs["newcomers_answered"] - 0.10:
        return "welcome"
    if mine["hostile_per_100_weekly"] >= 1.5 * theirs["hostile_per_100_weekly"]:
        return "callout"
    return "lead"


def dashboard_sentences(name: str = AUDIT, reference: str = "community") -> str:
    """The dashboard's most telling lines, in words: where the audited community differs most."""
    _, mine = audited(name)
    theirs = audit_measures(reference)
    gaps = {k: abs(mine[k] - theirs[k]) for k in SHARES if not (pd.isna(mine[k]) or pd.isna(theirs[k]))}
    lines = [f"{MEASURES[k][0]}: {_fmt(k, mine[k])} here, {_fmt(k, theirs[k])} in the course's community "
             f"(lesson {MEASURES[k][1]})" for k in sorted(gaps, key=gaps.get, reverse=True)[:5]]
    return "The five shares furthest from the course's community:\n" + "\n".join(f"- {l}" for l in lines)


def blind_frame(table: pd.DataFrame) -> pd.DataFrame:
    """Lesson 12's per-account traces for an audit: no archetypes (every account is an "account")."""
    from trustcircles.topics.presence import presence_by_account
    return presence_by_account(table).assign(archetype="account")


def busiest_posters(frame: pd.DataFrame, count: int = 8) -> dict[str, str]:
    """The ``count`` accounts with the most posts that also replied: label -> account (for an explorer)."""
    part = frame[(frame["posts"] > 0) & (frame["replies"] > 0)]
    top = part.sort_values(["posts", "replies"], ascending=False, kind="stable").head(count)
    return {f"{account} ({int(row['posts'])} posts)": account for account, row in top.iterrows()}

