"""Lesson 07, Trolls and trust: who receives hostility, and who feeds it.

The post *Building Circles of Trust* observes that people with an audience get ranted at by people
who do not know them, and that communities built on trust give trolls little to hate. This module
measures both in an interactions table that has an ``is_hostile`` column (the ``community`` dataset):

* :func:`hostile_replies` lists the hostile replies with what happened next: did anyone respond
  (reply, like or share), did the account that was targeted reply or like it;
* :func:`hostility_by_account` gives one row per account: its audience (``in_ties``: how many people
  talk to it), how many hostile replies it received and how many of those it engaged with
  (:func:`community_per_account`: of a shipped dataset, computed once);
* :func:`audience_share` is the key number: the share of hostile replies aimed at accounts above an
  audience size; :func:`top_tenth_share`, :func:`responded_share` and :func:`key_numbers` the others;
* :func:`engagement_by_archetype`: per archetype of the target, what the hostile replies got back;
  :func:`receivers_by_archetype`: per archetype, the hostility received and the audience behind it;
* :func:`hostile_responses` lists every response trolls got (who gave it, of what kind), and
  :func:`fed_share_without` says how many hostile replies would still get one if a habit
  (:func:`habit_mask`) stopped.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from trustcircles import metrics
from trustcircles.topics import community


RESPONSE_KINDS = ("reply", "like", "share")


def _hostile_mask(table: pd.DataFrame) -> np.ndarray:
    if "is_hostile" not in table.columns:
        return np.zeros(len(table), dtype=bool)
    values = table["is_hostile"]
    if not pd.api.types.is_bool_dtype(values):
        values = values.astype(str).str.strip().str.lower().isin(["true", "1"])
    return values.to_numpy(dtype=bool)


def hostile_replies(table: pd.DataFrame) -> pd.DataFrame:
    """The hostile replies (``is_hostile`` true, kind ``reply``, not to oneself), one row each, with:

    ``responded``: someone other than its writer replied to it, liked it or shared it (the troll got
    the attention it wanted); ``target_replied`` / ``target_liked``: the account it was aimed at
    replied to it / liked it.
    """
    hostile = table.loc[_hostile_mask(table) & (table["kind"] == "reply").to_numpy()
                        & (table["actor"] != table["target"]).to_numpy(),
                        ["event_id", "timestamp", "actor", "target"]].reset_index(drop=True)
    responses = table.loc[table["kind"].isin(RESPONSE_KINDS) & table["parent_id"].isin(hostile["event_id"]),
                          ["parent_id", "actor", "kind"]]
    joined = responses.merge(hostile[["event_id", "actor", "target"]], left_on="parent_id",
                             right_on="event_id", suffixes=("", "_hostile"))
    by_other = joined[joined["actor"] != joined["actor_hostile"]]
    by_target = by_other[by_other["actor"] == by_other["target"]]
    hostile["responded"] = hostile["event_id"].isin(by_other["parent_id"])
    hostile["target_replied"] = hostile["event_id"].isin(by_target.loc[by_target["kind"] == "reply", "parent_id"])
    hostile["target_liked"] = hostile["event_id"].isin(by_target.loc[by_target["kind"] == "like", "parent_id"])
    return hostile


def hostility_by_account(table: pd.DataFrame, accounts: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per account: ``archetype`` (if ``accounts`` is given), ``in_ties`` (people who talk
    to it: its audience), ``mutuals``, ``hostile_received`` (hostile replies aimed at it),
    ``hostile_responded`` (of those, how many got a reply, like or share from anyone) and
    ``wrote_hostile`` (hostile messages it wrote)."""
    ins = metrics.in_ties(table)
    frame = pd.DataFrame({"in_ties": ins, "mutuals": metrics.mutuals(table).reindex(ins.index)})
    hostile = hostile_replies(table)
    frame["hostile_received"] = hostile.groupby("target").size().reindex(frame.index, fill_value=0)
    frame["hostile_responded"] = (hostile[hostile["responded"]].groupby("target").size()
                                  .reindex(frame.index, fill_value=0))
    written = table.loc[_hostile_mask(table), "actor"].value_counts()
    frame["wrote_hostile"] = written.reindex(frame.index, fill_value=0)
    if accounts is not None:
        kinds = accounts.set_index("account")["archetype"]
        frame["archetype"] = kinds.reindex(frame.index).fillna("unknown").astype(str)
    frame.index.name = "account"
    return frame


def audience_share(per_account: pd.DataFrame, min_in_ties: float) -> dict:
    """Accounts with more than ``min_in_ties`` people talking to them: how many they are, and the
    share of all hostile replies they received (missing if there were none)."""
    big = per_account["in_ties"] > min_in_ties
    total = per_account["hostile_received"].sum()
    return {"accounts": int(big.sum()), "account_share": float(big.mean()) if len(big) else float("nan"),
            "hostile": int(per_account.loc[big, "hostile_received"].sum()),
            "hostile_share": float(per_account.loc[big, "hostile_received"].sum() / total) if total else float("nan")}


def top_tenth_share(table: pd.DataFrame) -> float:
    """The share of hostile replies aimed at the top tenth of accounts by audience: accounts whose
    ``in_ties`` is at least the 90th percentile (``quantile(0.9)``) of all accounts' in_ties.
    Missing if the table has no hostile replies."""
    ins = metrics.in_ties(table)
    hostile = hostile_replies(table)
    if len(hostile) == 0:
        return float("nan")
    top = ins.index[ins >= ins.quantile(0.9)]
    return float(hostile["target"].isin(top).mean())


def responded_share(table: pd.DataFrame) -> float:
    """The share of hostile replies that got any response (reply, like or share) from someone other
    than their writer. Missing if the table has no hostile replies."""
    hostile = hostile_replies(table)
    return float(hostile["responded"].mean()) if len(hostile) else float("nan")


def key_numbers(table: pd.DataFrame, accounts: pd.DataFrame) -> str:
    """The lesson's headline numbers, in a few plain sentences."""
    per = hostility_by_account(table, accounts)
    hostile = hostile_replies(table)
    writers = int((per["wrote_hostile"] > 0).sum())
    written = int(per["wrote_hostile"].sum())
    targets = int((per["hostile_received"] > 0).sum())
    return (f"{writers:,} of {len(per):,} accounts ({writers / len(per):.1%}) wrote all {written:,} hostile "
            f"messages; {len(hostile):,} of them were replies aimed at someone, and they reached only "
            f"{targets:,} accounts.\n"
            f"The top tenth of accounts by audience received {top_tenth_share(table):.0%} of the hostile "
            f"replies.\n"
            f"{hostile['responded'].mean():.1%} of hostile replies got any response (reply, like or share); "
            f"the targets replied to {hostile['target_replied'].mean():.1%} of them and liked "
            f"{hostile['target_liked'].mean():.1%}.")


def engagement_by_archetype(table: pd.DataFrame, accounts: pd.DataFrame) -> pd.DataFrame:
    """For each archetype of the targeted account: hostile replies received, and the share that got
    a response from anyone, a reply from the target, a like from the target."""
    hostile = hostile_replies(table)
    kinds = accounts.set_index("account")["archetype"]
    hostile["archetype"] = kinds.reindex(hostile["target"]).fillna("unknown").to_numpy()
    return (hostile.groupby("archetype")
            .agg(received=("event_id", "size"), responded=("responded", "mean"),
                 target_replied=("target_replied", "mean"), target_liked=("target_liked", "mean"))
            .sort_values("received", ascending=False))


@lru_cache(maxsize=2)
def community_per_account(name: str = "community") -> pd.DataFrame:
    """:func:`hostility_by_account` of a shipped dataset, computed once per session (shared: copy
    it before changing it)."""
    return hostility_by_account(*community(name, text=False))


def receivers_by_archetype(per_account: pd.DataFrame) -> pd.DataFrame:
    """For each archetype (of :func:`hostility_by_account` with accounts): how many accounts, the
    hostile replies they received in all, and their median audience (``in_ties``: people who talk
    to them) and median ``mutuals`` (people who also talk back)."""
    return (per_account.groupby("archetype")
            .agg(accounts=("in_ties", "size"), received=("hostile_received", "sum"),
                 median_in_ties=("in_ties", "median"), median_mutuals=("mutuals", "median"))
            .sort_values("received", ascending=False))


def hostile_responses(table: pd.DataFrame, accounts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every response (reply, like or share) to a hostile reply (:func:`hostile_replies`) by someone
    other than its writer, one row each: ``parent_id`` (the hostile reply), ``actor`` (who
    responded), ``kind``, ``by_target`` (the account the hostile reply was aimed at responded) and,
    if ``accounts`` is given, the responder's ``archetype``."""
    hostile = hostile_replies(table)
    responses = table.loc[table["kind"].isin(RESPONSE_KINDS) & table["parent_id"].isin(hostile["event_id"]),
                          ["parent_id", "actor", "kind"]]
    joined = responses.merge(hostile[["event_id", "actor", "target"]].rename(
        columns={"event_id": "parent_id", "actor": "writer"}), on="parent_id")
    joined = joined[joined["actor"] != joined["writer"]].reset_index(drop=True)
    joined["by_target"] = (joined["actor"] == joined["target"]).to_numpy()
    if accounts is not None:
        kinds = accounts.set_index("account")["archetype"]
        joined["archetype"] = kinds.reindex(joined["actor"]).fillna("unknown").astype(str).to_numpy()
    return joined[[c for c in ("parent_id", "actor", "kind", "by_target", "archetype") if c in joined]]


def habit_mask(responses: pd.DataFrame, archetypes=None, kinds=RESPONSE_KINDS,
               by_target: bool | None = None) -> np.ndarray:
    """Which rows of :func:`hostile_responses` belong to one habit: responses of the given ``kinds``
    by accounts of the given ``archetypes`` (None: any), made by the account targeted (``by_target``
    True), by anyone else (False) or by either (None)."""
    mask = responses["kind"].isin(kinds).to_numpy(copy=True)
    if archetypes is not None:
        mask &= responses["archetype"].isin(archetypes).to_numpy()
    if by_target is not None:
        mask &= (responses["by_target"] == by_target).to_numpy()
    return mask


def fed_share_without(table: pd.DataFrame, accounts: pd.DataFrame, archetypes=None,
                      kinds=RESPONSE_KINDS, by_target: bool | None = None) -> float:
    """The share of hostile replies that would still get any response if one habit stopped (the
    responses :func:`habit_mask` picks are taken away). With nothing taken away this is
    :func:`responded_share`. Missing if there are no hostile replies."""
    hostile = hostile_replies(table)
    if len(hostile) == 0:
        return float("nan")
    responses = hostile_responses(table, accounts)
    still = responses.loc[~habit_mask(responses, archetypes, kinds, by_target), "parent_id"]
    return float(hostile["event_id"].isin(still).mean())
