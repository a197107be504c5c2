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

import numpy as np
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
    positions: dict[str, tuple[int, ...]] = {}
    for number, name in enumerate(header):
        positions[name] = (number,) + positions.get(name, ())
    return [_Row(positions, row) for row in rows if row]


class _Row:
    """One CSV row, read by its upper-case column names as a dict of ``zip(header, values)``
    would be: a name that appears twice gives its later value, a short row lacks the rest."""
    __slots__ = ("positions", "values")

    def __init__(self, positions: dict[str, tuple[int, ...]], values: list[str]):
        self.positions = positions  # name -> its column numbers, the last first
        self.values = values

    def _position(self, key) -> int | None:
        return next((p for p in self.positions.get(key, ()) if p < len(self.values)), None)

    def __contains__(self, key) -> bool:
        return self._position(key) is not None

    def get(self, key, default=""):
        position = self._position(key)
        return default if position is None else self.values[position]


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


def _column(rows: list[dict], name: str) -> list[str]:
    """One column of a file read by :func:`_csv` ("" where a row lacks it), as a list."""
    if not rows:
        return []
    positions = rows[0].positions.get(name)
    if positions is None:
        return [""] * len(rows)
    last = positions[0]
    return [row.values[last] if last < len(row.values) else row.get(name) for row in rows]


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
    # column by column, and each distinct value of a column worked out once: a conversation
    # repeats its people, folder and title in every row
    folders = _column(rows, "FOLDER")
    drafts = _column(rows, "IS MESSAGE DRAFT")
    left_out = _per_value(folders, lambda f: f.strip().lower() in LEFT_OUT_FOLDERS)
    sent = _per_value(folders, lambda f: f.strip().upper() == "SENT")
    draft = _per_value(drafts, lambda d: d.strip().lower() in ("yes", "true"))
    senders = _per_value(_column(rows, "SENDER PROFILE URL"), profile_url)
    sender_names = _per_value(_column(rows, "FROM"), lambda n: repair_mojibake(n.strip()))
    to_names = _per_value(_column(rows, "TO"), lambda to: [
        repair_mojibake(n) for n in _SPLIT.split(to.strip()) if n])
    to_urls = _per_value(_column(rows, "RECIPIENT PROFILE URLS"), lambda urls: [
        u for u in (profile_url(v) for v in _SPLIT.split(urls)) if u])
    titles = _per_value(_column(rows, "CONVERSATION TITLE"), lambda t: repair_mojibake(t.strip()))
    texts = _per_value(_column(rows, "CONTENT"), lambda content: repair_mojibake(
        html_to_text(content) if "<" in content and ">" in content else content.strip()))
    conversation_ids = _column(rows, "CONVERSATION ID")
    dates = _column(rows, "DATE")
    kept = []
    known: set[tuple] = set()  # (sender, name, names, urls) already in aliases and names
    for number in range(len(rows)):
        if left_out[number] or draft[number]:
            continue
        sender = senders[number]
        if not sender:
            continue
        sender_name, recipient_names, recipients = (sender_names[number], to_names[number],
                                                    to_urls[number])
        people = (sender, sender_name, id(recipient_names), id(recipients))
        if people not in known:  # the same people add the same aliases and names: once
            known.add(people)
            aliases.setdefault(sender, set()).update([sender_name] if sender_name else [])
            names.update(n for n in [sender_name] + recipient_names if n)
            if len(recipients) == len(recipient_names):
                for url, name in zip(recipients, recipient_names):
                    aliases.setdefault(url, set()).add(name)
            else:
                for url in recipients:
                    aliases.setdefault(url, set())
        if sent[number]:
            owners.add(sender)
        kept.append(number)
    if owner_names and not owners:  # no SENT folder: the owner by name, if exactly one account has it
        wanted = {n.casefold() for n in owner_names}
        named = [u for u, known_names in aliases.items() if {k.casefold() for k in known_names} & wanted]
        if len(named) == 1:
            owners.add(named[0])
    for owner in owners:
        aliases.setdefault(owner, set()).update(owner_names)
    if not kept:
        raise TableError(source, f"the export holds no messages that could be imported (expected "
                         f"{IMPORTERS['linkedin']}).", "check that the export includes Messages.")
    conversation_of = [conversation_ids[n] for n in kept]
    times = pd.to_datetime(pd.Series([dates[n] for n in kept], dtype="str").str.replace(
        " UTC", "", regex=False), utc=True, format="ISO8601", errors="coerce")
    if times.isna().any():
        first = [dates[n] for n in kept][int(np.flatnonzero(times.isna().to_numpy())[0])]
        raise TableError(source, f"a message has no readable DATE ({first!r}).",
                         "give messages.csv exactly as LinkedIn wrote it.")
    actors = [senders[n] for n in kept]
    recipients_of = [to_urls[n] for n in kept]
    # each conversation in time order (ties in file order), conversations in the order of their ids
    order = pd.DataFrame({"conversation_id": pd.Series(conversation_of, dtype="str"),
                          "timestamp": times, "order": np.arange(len(kept))}).sort_values(
        ["conversation_id", "timestamp", "order"], kind="stable")["order"].to_numpy()
    targets: list = [None] * len(kept)
    start = 0
    while start < len(order):
        stop = start + 1
        conversation = conversation_of[order[start]]
        while stop < len(order) and conversation_of[order[stop]] == conversation:
            stop += 1
        positions = order[start:stop]
        chat_actors = [actors[i] for i in positions]
        people = list(dict.fromkeys(chat_actors + [r for i in positions for r in recipients_of[i]]))
        chat_target, _ = _targets(chat_actors, people, len(people) > 2)
        for position, target in zip(positions, chat_target):
            recipients = recipients_of[position]
            targets[position] = recipients[0] if target is None and recipients else target
        start = stop
    events = pd.DataFrame({
        "event_id": [f"{c}:{n}" for n, c in enumerate(conversation_of)],
        "timestamp": times, "actor": actors, "target": targets,
        "kind": ["dm" if t is not None else "post" for t in targets], "parent_id": None,
        "text": [texts[n] for n in kept], "conversation": [titles[n] for n in kept]})
    return RawExport("linkedin", events, aliases=aliases, names=names, owners=owners,
                     handles=handles, scrub_columns=("conversation",))


def _per_value(values: list[str], function) -> list:
    """``[function(v) for v in values]``, each distinct value worked out once (and its result
    shared by every row that has it)."""
    done: dict = {}
    out = []
    for value in values:
        result = done.get(value, done)
        if result is done:
            result = done[value] = function(value)
        out.append(result)
    return out


def _targets(actors, people, group):
    from trustcircles.importers import chat_targets
    return chat_targets(actors, people, group)
