"""Lesson 12, In person, not outsourced: who is there, what reads as personal, and teams across sites.

*Building Circles of Trust* asks us to be online "in person", "as opposed to outsourcing your
Twitter account", and says that relationships need realness: personality, individuality, emotion.
This module measures presence in an interactions table (METRICS.md), pandas only:

* :func:`presence_by_account`: per account, the traces of a scheduling tool or an agency: posts on
  the clock (``clock_share``), replies only in office hours (``office_share``), no second turn in a
  conversation (``follow_up_rate``), and what its messages read like (``personal_share``,
  ``impersonal_share``); :func:`archetype_presence` gives the medians per archetype;
  :func:`hour_minute` places one account's posts and replies in the week, for the explorer;
* :func:`text_markers` and :func:`realness_by_archetype`: what in a message's text reads as personal
  (a name, "I", a question about the other person, a feeling) and what reads as a template (a link,
  an order to the reader, "our team");
* :func:`site_ties` and :func:`site_summary`: in the ``workplace`` dataset, the ties within teams
  that cross sites, and whether they are returned, by how the platform was rolled out.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from trustcircles.data import AUTHORED_KINDS, CONVERSATIONAL_KINDS
from trustcircles.topics.archetypes import CONVERSATION_ORDER, in_order

#: Office hours: Monday to Friday, from 9:00 up to (not including) 17:00, in the table's time (UTC).
OFFICE_HOURS = (9, 17)
#: A post is "on the clock" when it comes in the first minute of an hour or a half hour (mm:ss in
#: 00:00-00:59 or 30:00-30:59): where scheduling tools put posts. A person lands there 2 times in 60.
CLOCK_MINUTES = (0, 30)

#: What reads as personal in a message's text: name -> pattern (case ignored). Names have been
#: scrubbed to <PERSON>, which still shows that the writer addressed someone by name.
PERSONAL_MARKERS = {
    "names the person": r"<PERSON>",
    "speaks as I": r"\b(?:I|I'm|I'd|I'll|I've|me|my)\b",
    "asks about them": r"\b(?:how are you|how did it go|how about you|how are things|what made you)\b",
    "shows a feeling": r"\b(?:love|sorry|grateful|glad|congratulations|hard|thinking of you|so good)\b",
}
#: What reads as a template: a link, an order to the reader, the voice of an organisation.
IMPERSONAL_MARKERS = {
    "a link": r"<URL>",
    "an order to the reader": r"^(?:don't miss|join|download|follow|register|sign up|save the date|"
                              r"book|check|read|find out|stop|want more|last chance)\b|\b(?:sign up|register now|book a demo)\b",
    "the voice of an organisation": r"\b(?:our team|we appreciate|our community|send us|our website|follow us)\b",
}


def _text(table: pd.DataFrame) -> pd.Series:
    return table["text"].fillna("").astype(str) if "text" in table.columns else pd.Series("", index=table.index)


def text_markers(texts: pd.Series) -> pd.DataFrame:
    """For each text, which markers of :data:`PERSONAL_MARKERS` and :data:`IMPERSONAL_MARKERS` it
    shows (one boolean column per marker), plus ``personal`` (any personal marker) and ``impersonal``
    (any impersonal one). A message can show both."""
    texts = texts.fillna("").astype(str)
    out = pd.DataFrame(index=texts.index)
    for name, pattern in {**PERSONAL_MARKERS, **IMPERSONAL_MARKERS}.items():
        out[name] = texts.str.contains(pattern, case=False, regex=True).to_numpy(dtype=bool)
    out["personal"] = out[list(PERSONAL_MARKERS)].any(axis=1)
    out["impersonal"] = out[list(IMPERSONAL_MARKERS)].any(axis=1)
    return out


def _office(ts: pd.Series) -> np.ndarray:
    hour = ts.dt.hour.to_numpy()
    return (ts.dt.day_of_week.to_numpy() < 5) & (hour >= OFFICE_HOURS[0]) & (hour < OFFICE_HOURS[1])


def _on_clock(ts: pd.Series) -> np.ndarray:
    return np.isin(ts.dt.minute.to_numpy(), CLOCK_MINUTES)


def follow_ups(table: pd.DataFrame) -> pd.DataFrame:
    """Every second turn an account was offered: someone else replied to one of its replies. One row
    each: ``account`` (whose reply was answered), the answer's ``event_id``, and ``followed_up``
    (the account replied to that answer in turn, at any time)."""
    replies = table.loc[table["kind"] == "reply", ["event_id", "actor", "parent_id"]]
    own = replies[["event_id", "actor"]].rename(columns={"event_id": "parent_id", "actor": "account"})
    answers = replies.merge(own, on="parent_id")
    answers = answers[answers["actor"] != answers["account"]]
    turned = replies[["parent_id", "actor"]].drop_duplicates().rename(
        columns={"parent_id": "event_id", "actor": "account"}).assign(followed_up=True)
    out = answers[["account", "event_id"]].merge(turned, on=["event_id", "account"], how="left")
    out["followed_up"] = out["followed_up"].fillna(False).astype(bool)
    return out


def presence_by_account(table: pd.DataFrame, accounts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per account that wrote something: ``posts``, ``replies``, ``clock_share`` (posts on the clock,
    see :data:`CLOCK_MINUTES`), ``weekend_post_share``, ``office_share`` (replies written in office
    hours, :data:`OFFICE_HOURS`), ``follow_up_rate`` (of the answers to its replies, the share it
    answered in turn: NaN if nobody answered any), ``personal_share`` and ``impersonal_share`` (of its
    messages, those showing a marker of :func:`text_markers`), plus ``archetype`` when given."""
    written = table[table["kind"].isin(AUTHORED_KINDS)]
    posts, replies = written[written["kind"] == "post"], written[written["kind"] == "reply"]
    frame = pd.DataFrame({"posts": posts["actor"].value_counts(),
                          "replies": replies["actor"].value_counts()}).fillna(0).astype("int64")
    frame["clock_share"] = pd.Series(_on_clock(posts["timestamp"]), index=posts.index).groupby(posts["actor"]).mean()
    weekend = posts["timestamp"].dt.day_of_week.to_numpy() >= 5
    frame["weekend_post_share"] = pd.Series(weekend, index=posts.index).groupby(posts["actor"]).mean()
    frame["office_share"] = pd.Series(_office(replies["timestamp"]), index=replies.index).groupby(replies["actor"]).mean()
    turns = follow_ups(table)
    frame["follow_up_rate"] = turns.groupby("account")["followed_up"].mean()
    frame["second_turns_offered"] = turns.groupby("account").size()
    frame["second_turns_offered"] = frame["second_turns_offered"].fillna(0).astype("int64")
    markers = text_markers(_text(written))
    frame["personal_share"] = markers["personal"].groupby(written["actor"]).mean()
    frame["impersonal_share"] = markers["impersonal"].groupby(written["actor"]).mean()
    frame.index.name = "account"
    if accounts is not None:
        frame["archetype"] = (accounts.set_index("account")["archetype"].reindex(frame.index)
                              .fillna("unknown").astype(str))
    return frame.sort_index()


#: The measures :func:`archetype_presence` sums up, with their names in words.
MEASURES = {
    "clock_share": "posts on the clock",
    "office_share": "replies in office hours",
    "follow_up_rate": "second turns taken",
    "personal_share": "messages that read as personal",
}


def archetype_presence(frame: pd.DataFrame) -> pd.DataFrame:
    """The median of each of :data:`MEASURES` per archetype (over its accounts that have a value),
    with the number of accounts."""
    grouped = frame.groupby("archetype")
    out = grouped[list(MEASURES)].median()
    out["accounts"] = grouped.size()
    return out.loc[in_order(out.index, ("outsourced",) + CONVERSATION_ORDER)]


def hour_minute(table: pd.DataFrame, account: str) -> pd.DataFrame:
    """One account's posts and replies placed in the week: ``hour_of_week`` (0 = Monday 0:00 to
    167 = Sunday 23:00, plus the fraction of the hour), ``minute`` past the hour, ``kind``."""
    mine = table[(table["actor"] == account) & table["kind"].isin(["post", "reply"])]
    ts = mine["timestamp"]
    return pd.DataFrame({
        "hour_of_week": (ts.dt.day_of_week * 24 + ts.dt.hour + ts.dt.minute / 60).to_numpy(),
        "minute": (ts.dt.minute + ts.dt.second / 60).to_numpy(),
        "kind": mine["kind"].to_numpy(), "in_office": _office(ts)})


def example_accounts(frame: pd.DataFrame, order=("outsourced", "broadcaster", "trust_builder",
                                                  "transactional", "listener")) -> dict[str, str]:
    """Labelled accounts for the explorer: for each archetype in ``order``, among its accounts with
    posts, replies and at least 3 second turns offered (fewer if none has), the one whose posts and
    replies together are nearest the 75th percentile of them (enough to see a pattern)."""
    options = {}
    for archetype in order:
        part = frame[(frame["archetype"] == archetype) & (frame["posts"] > 0) & (frame["replies"] > 0)]
        if (part["second_turns_offered"] >= 3).any():
            part = part[part["second_turns_offered"] >= 3]
        if part.empty:
            continue
        total = part["posts"] + part["replies"]
        gap = (total - total.quantile(0.75)).abs()
        account = str(pd.DataFrame({"gap": gap, "name": part.index}).sort_values(["gap", "name"]).index[0])
        options[f"{archetype.replace('_', ' ')} ({account})"] = account
    return options


def presence_sentence(frame: pd.DataFrame, account: str) -> str:
    """What one account's traces say, in numbers."""
    row = frame.loc[account]
    fmt = lambda v: "n/a" if pd.isna(v) else f"{v:.0%}"  # noqa: E731
    turns = int(row["second_turns_offered"])
    return (f"{account} wrote {int(row['posts'])} posts, {fmt(row['clock_share'])} of them in the first minute "
            f"of an hour or half hour, and {int(row['replies'])} replies, {fmt(row['office_share'])} of them in "
            f"office hours (weekdays 9:00-17:00). When someone answered one of its replies ({turns} times), "
            f"it took the next turn {fmt(row['follow_up_rate'])} of the time; {fmt(row['personal_share'])} "
            "of its messages read as personal.")


def realness_by_archetype(table: pd.DataFrame, accounts: pd.DataFrame) -> pd.DataFrame:
    """Per archetype, the share of its messages (post, reply, mention, dm) showing each marker of
    :func:`text_markers`, and ``personal`` / ``impersonal`` (any marker of either sort)."""
    written = table[table["kind"].isin(AUTHORED_KINDS)]
    markers = text_markers(_text(written))
    markers["archetype"] = (written["actor"].map(accounts.set_index("account")["archetype"])
                            .fillna("unknown").to_numpy())
    out = markers.groupby("archetype").mean()
    out["messages"] = markers.groupby("archetype").size()
    return out.loc[in_order(out.index, ("outsourced",) + CONVERSATION_ORDER)]


# --------------------------------------------------------------------------- distributed teams


def site_ties(table: pd.DataFrame, accounts: pd.DataFrame) -> pd.DataFrame:
    """The ties (METRICS.md: someone spoke to someone else in a reply, mention or direct message)
    within a team, each with ``team``, ``rollout_style``, ``cross_site`` (the two work at different
    sites) and ``returned`` (the tie back exists). Accounts with a suppressed site (``*``) are left
    out."""
    people = accounts.set_index("account")
    talk = table[table["kind"].isin(CONVERSATIONAL_KINDS) & (table["actor"] != table["target"])]
    ties = talk[["actor", "target"]].drop_duplicates()
    pairs = pd.MultiIndex.from_frame(ties)
    back = pd.MultiIndex.from_arrays([ties["target"], ties["actor"]]).isin(pairs)
    ties = ties.assign(returned=back)
    for end in ("actor", "target"):
        ties[f"team_{end}"] = ties[end].map(people["team"]).to_numpy()
        ties[f"site_{end}"] = ties[end].map(people["site"]).to_numpy()
    keep = ((ties["team_actor"] == ties["team_target"]) & (ties["site_actor"] != "*")
            & (ties["site_target"] != "*") & ties["team_actor"].notna())
    ties = ties[keep]
    style = people.groupby("team")["rollout_style"].first()
    return pd.DataFrame({"actor": ties["actor"].to_numpy(), "target": ties["target"].to_numpy(),
                         "team": ties["team_actor"].to_numpy(),
                         "rollout_style": ties["team_actor"].map(style).to_numpy(),
                         "cross_site": (ties["site_actor"] != ties["site_target"]).to_numpy(),
                         "returned": ties["returned"].to_numpy(dtype=bool)})


def site_summary(ties: pd.DataFrame) -> pd.DataFrame:
    """Per team (rows, with its rollout style): ties within the team, the share that cross sites,
    and the share returned of the ties within a site and across sites."""
    rows = {}
    for team, part in ties.groupby("team"):
        cross, same = part[part["cross_site"]], part[~part["cross_site"]]
        rows[team] = {"rollout_style": part["rollout_style"].iloc[0], "ties": len(part),
                      "cross_share": float(part["cross_site"].mean()),
                      "returned_same_site": float(same["returned"].mean()) if len(same) else float("nan"),
                      "returned_cross_site": float(cross["returned"].mean()) if len(cross) else float("nan")}
    return pd.DataFrame.from_dict(rows, orient="index").sort_index()


def style_summary(ties: pd.DataFrame) -> pd.DataFrame:
    """Per rollout style, pooled over its teams: the share of ties crossing sites and the share
    returned within a site and across sites."""
    rows = {}
    for style, part in ties.groupby("rollout_style"):
        rows[style] = {"teams": part["team"].nunique(), "ties": len(part),
                       "cross_share": float(part["cross_site"].mean()),
                       "returned_same_site": float(part.loc[~part["cross_site"], "returned"].mean()),
                       "returned_cross_site": float(part.loc[part["cross_site"], "returned"].mean())}
    return pd.DataFrame.from_dict(rows, orient="index")


def workplace_tables():
    """The ``workplace`` interactions and accounts (loaded through trustcircles.data)."""
    from trustcircles.data import load_accounts, load_interactions
    return load_interactions("workplace"), load_accounts("workplace")


def marker_names() -> list[str]:
    """Every marker's name, personal first."""
    return list(PERSONAL_MARKERS) + list(IMPERSONAL_MARKERS)



def site_sentence(by_style: pd.DataFrame) -> str:
    """One sentence per rollout style from :func:`style_summary`."""
    words = {"leader_led": "In leader-led teams", "handed_over": "In handed-over teams"}
    return "\n".join(
        f"{words.get(style, style)}, {row['cross_share']:.0%} of the {int(row['ties']):,} ties within a team "
        f"cross sites; {row['returned_same_site']:.0%} of the ties within a site are returned, and "
        f"{row['returned_cross_site']:.0%} of those across sites." for style, row in by_style.iterrows())
