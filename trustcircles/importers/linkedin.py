"""LinkedIn data export (Me > Settings & Privacy > Data privacy > Get a copy of your data).

The export is a .zip (``Basic_LinkedInDataExport_<date>.zip`` or ``Complete_...``) or the folder
it unpacks to. Read here (layout: LinkedIn's help page "Download your account data" and the column
notes of the linkedin_md reader, see datasets/examples/README.md):

* ``messages.csv``: ``CONVERSATION ID``, ``CONVERSATION TITLE``, ``FROM``, ``SENDER PROFILE URL``,
  ``TO``, ``RECIPIENT PROFILE URLS`` (several joined by ``;`` or ``,``), ``DATE`` (``2025-03-03
  09:00:00 UTC``), ``SUBJECT``, ``CONTENT`` (text, sometimes HTML), ``FOLDER`` (``INBOX``, ``SENT``,
  ``ARCHIVE``, ``SPAM``...) and, in newer exports, ``IS MESSAGE DRAFT`` and ``ATTACHMENTS``;
* ``Profile.csv`` (the owner's names) and ``Connections.csv`` (names, profile URLs and e-mail
  addresses of connections, after a few lines of notes): they only feed the scrubber and ``--me``.

Accounts are profile URLs (``https://www.linkedin.com/in/sam-sample``, lower case, without a
trailing ``/``); names are their aliases. The sender of the messages in the ``SENT`` folder is the
owner. Names whose accents came out as ``Ã©`` (UTF-8 read as Latin-1) are repaired.

Mapping (drafts and the ``SPAM`` folder are left out): a message to one person -> ``dm`` to them;
in a conversation of several people, a message -> ``dm`` to the author of the latest earlier
message by someone else, or else to its first recipient. The conversation's title, where it has
one, is kept in a ``conversation`` column, scrubbed like the text. The export holds both sides.
"""
from __future__ import annotations

import csv
import io
import re
from functools import lru_cache

import pandas as pd

from trustcircles.data import TableError
from trustcircles.importers import (IMPORTERS, Archive, RawExport, html_to_text, repair_mojibake,
                                    wrong_kind)

LEFT_OUT_FOLDERS = {"spam", "draft", "drafts"}
_SPLIT = re.compile(r"[;,]\s*")


@lru_cache(maxsize=1 << 14)
def profile_url(value) -> str | None:
    """A LinkedIn profile link as an account: lower case, no query, no trailing ``/``."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().split("?", 1)[0].rstrip("/").lower()
    return text.replace("http://", "https://").replace("://linkedin.com", "://www.linkedin.com")


def _csv(archive: Archive, member: str) -> list[dict]:
    text = archive.read_text(member)
    lines = text.splitlines(keepends=True)
    # Connections.csv opens with a few lines of notes before its header
    start = next((i for i, line in enumerate(lines[:10]) if line.count(",") >= 2), 0)
    rows = csv.reader(io.StringIO("".join(lines[start:])))
    header = [name.strip().upper() for name in next(rows, [])]
    return [_Row(header, row) for row in rows if row]


class _Row(dict):
    """One CSV row by its upper-case column names, built once per file (not per row)."""

    def __init__(self, header, values):
        super().__init__(zip(header, values))

    def get(self, key, default=""):
        value = dict.get(self, key)
        return default if value is None else value


def read(path) -> RawExport:
    archive = Archive(path, "linkedin")
    try:
        member = archive.find("messages.csv") or archive.find("Messages.csv")
        if member is None and archive.is_single_file and archive.path.suffix.lower() == ".csv":
            member = archive.members[0]
        if member is None:
            raise wrong_kind(archive.source, "linkedin", "no messages.csv found", path)
        rows = _csv(archive, member)
        profile = _csv(archive, archive.find("Profile.csv")) if archive.find("Profile.csv") else []
        connections = _csv(archive, archive.find("Connections.csv")) if archive.find("Connections.csv") else []
    finally:
        archive.close()
    if rows and "CONTENT" not in rows[0]:
        raise TableError(archive.source, f"{member} has no CONTENT column: it is not LinkedIn's "
                         "messages file.", "give the LinkedIn data export as downloaded.")
    return _build(rows, profile, connections, archive.source)


def _build(rows, profile, connections, source) -> RawExport:
    aliases: dict[str, set[str]] = {}
    names: set[str] = set()
    handles: set[str] = set()
    owners: set[str] = set()
    for person in connections:
        full = repair_mojibake(f"{person.get('FIRST NAME', '')} {person.get('LAST NAME', '')}".strip())
        url = profile_url(person.get("URL"))
        if full:
            names.add(full)
        if url:
            aliases.setdefault(url, set()).update(v for v in (full, person.get("EMAIL ADDRESS")) if v)
            handles.add(url.rsplit("/", 1)[-1])
    owner_names = {repair_mojibake(f"{p.get('FIRST NAME', '')} {p.get('LAST NAME', '')}".strip())
                   for p in profile} - {""}
    names |= owner_names
    kept = []
    for row in rows:
        if row.get("FOLDER", "").strip().lower() in LEFT_OUT_FOLDERS:
            continue
        if row.get("IS MESSAGE DRAFT", "").strip().lower() in ("yes", "true"):
            continue
        sender = profile_url(row.get("SENDER PROFILE URL"))
        if not sender:
            continue
        sender_name = repair_mojibake(row.get("FROM", "").strip())
        recipient_names = [repair_mojibake(n) for n in _SPLIT.split(row.get("TO", "").strip()) if n]
        recipients = [u for u in (profile_url(v) for v in _SPLIT.split(row.get("RECIPIENT PROFILE URLS", ""))) if u]
        aliases.setdefault(sender, set()).update([sender_name] if sender_name else [])
        names.update(n for n in [sender_name] + recipient_names if n)
        if len(recipients) == len(recipient_names):
            for url, name in zip(recipients, recipient_names):
                aliases.setdefault(url, set()).add(name)
        else:
            for url in recipients:
                aliases.setdefault(url, set())
        if row.get("FOLDER", "").strip().upper() == "SENT":
            owners.add(sender)
        content = row.get("CONTENT", "")
        text = html_to_text(content) if "<" in content and ">" in content else content.strip()
        kept.append((row.get("CONVERSATION ID", ""), repair_mojibake(row.get("CONVERSATION TITLE", "").strip()),
                     row.get("DATE", ""), sender, recipients, repair_mojibake(text)))
    if owner_names and not owners:  # no SENT folder: the owner by name, if exactly one account has it
        wanted = {n.casefold() for n in owner_names}
        named = [u for u, known in aliases.items() if {k.casefold() for k in known} & wanted]
        if len(named) == 1:
            owners.add(named[0])
    for owner in owners:
        aliases.setdefault(owner, set()).update(owner_names)
    if not kept:
        raise TableError(source, f"the export holds no messages that could be imported (expected "
                         f"{IMPORTERS['linkedin']}).", "check that the export includes Messages.")
    frame = pd.DataFrame(kept, columns=["conversation_id", "conversation", "date", "actor",
                                        "recipients", "text"])
    times = pd.to_datetime(frame["date"].str.replace(" UTC", "", regex=False), utc=True,
                           format="ISO8601", errors="coerce")
    if times.isna().any():
        first = frame[times.isna()].iloc[0]
        raise TableError(source, f"a message has no readable DATE ({first['date']!r}).",
                         "give messages.csv exactly as LinkedIn wrote it.")
    frame["timestamp"] = times
    frame["order"] = range(len(frame))
    frame = frame.sort_values(["conversation_id", "timestamp", "order"], kind="stable")
    targets, kinds = [], []
    for _, conversation in frame.groupby("conversation_id", sort=False):
        actors = list(conversation["actor"])
        people = list(dict.fromkeys(actors + [r for rs in conversation["recipients"] for r in rs]))
        group = len(people) > 2
        chat_target, chat_kind = _targets(actors, people, group)
        for recipients, target in zip(conversation["recipients"], chat_target):
            if target is None and recipients:
                target = recipients[0]
            targets.append(target)
        kinds.extend("dm" if t is not None else "post" for t in targets[len(kinds):])
    frame["target"], frame["kind"] = targets, kinds
    frame["event_id"] = [f"{c}:{n}" for c, n in zip(frame["conversation_id"], frame["order"])]
    frame["parent_id"] = None
    frame = frame.sort_values("order", kind="stable").reset_index(drop=True)
    events = frame[["event_id", "timestamp", "actor", "target", "kind", "parent_id", "text",
                    "conversation"]]
    return RawExport("linkedin", events, aliases=aliases, names=names, owners=owners,
                     handles=handles, scrub_columns=("conversation",))


def _targets(actors, people, group):
    from trustcircles.importers import chat_targets
    return chat_targets(actors, people, group)
