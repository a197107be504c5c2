"""Bring your own data: turn an account export into the interactions table of METRICS.md.

    table = import_export("mastodon", "archive.zip", me="@ann@example.social")
    write_table(table, "my_circle.csv.gz")

Each format has its own module (``mastodon``, ``twitter``, ``slack``, ``mbox``) whose ``read(path)``
returns a :class:`RawExport`: events with the real identities and text, and the names found in the
export. This module then, for every format alike:

1. sets ``is_question`` and ``is_promotional`` from the raw text (the rules in :mod:`.rules`);
2. finds the user: every identity that the archive says is its owner or that ``--me`` names (a
   handle, a display name, an id or an address, compared ignoring case and a leading ``@``);
3. anonymises with :func:`trustcircles.anonymise.anonymise_interactions` and the user's own key
   (:func:`trustcircles.anonymise.user_key`, kept in their config directory): keyed pseudonyms, the
   user shown as ``me``, text scrubbed of every name, handle, address, phone number and link,
   including the names the export itself lists. Times are not shifted: the data stays on the
   user's machine and its dates are theirs.

Nothing here opens a network connection, and nothing is written except by :func:`write_table`.
"""
from __future__ import annotations

import importlib
import json
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pandas as pd

from trustcircles.anonymise import Pseudonymiser, anonymise_interactions, user_key
from trustcircles.data import REQUIRED_COLUMNS, TableError
# The one table writer: an import is written with it (imported from here by the import command).
from trustcircles.data import write_table  # noqa: F401
from trustcircles.importers.rules import promotion_flags, question_flags

#: kind -> what it reads. ``list(IMPORTERS)`` gives the kinds.
IMPORTERS: dict[str, str] = {
    "mastodon": "a Mastodon account archive (folder or .zip with outbox.json)",
    "twitter": "an X/Twitter account archive (folder or .zip with data/tweets.js)",
    "slack": "a Slack workspace export (folder or .zip with users.json and channels/*.json)",
    "mbox": "a mail file in mbox format (.mbox)",
}

RAW_COLUMNS = ("event_id", "timestamp", "actor", "target", "kind", "parent_id", "text")


@dataclass
class RawExport:
    """What a format module reads: events with real identities, before anonymising.

    ``events`` has the columns of :data:`RAW_COLUMNS` (timestamps as UTC datetimes, missing
    target/parent as ``None``). ``aliases`` maps an identity to the other names it goes by (display
    names, ids, addresses): ``--me`` may use any of them. ``names`` are personal names to scrub
    from text, ``handles`` handles to scrub. ``owner`` is the export's owner if the format says.
    """
    kind: str
    events: pd.DataFrame
    aliases: dict[str, set[str]] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)
    handles: set[str] = field(default_factory=set)
    owner: str | None = None


# --------------------------------------------------------------------------- reading archives

class Archive:
    """A folder or a .zip file, read the same way: members by their path inside it."""

    def __init__(self, path: str | os.PathLike, kind: str):
        self.path = Path(path)
        self.kind = kind
        self.source = str(self.path)
        if not self.path.exists():
            raise TableError(self.source, "there is no such file or folder.",
                             f"give the path of {IMPORTERS[kind]}.")
        self._zip = None
        if self.path.is_dir():
            self.members = sorted(p.relative_to(self.path).as_posix()
                                  for p in self.path.rglob("*") if p.is_file())
        else:
            try:
                self._zip = zipfile.ZipFile(self.path)
                self.members = sorted(n for n in self._zip.namelist() if not n.endswith("/"))
            except zipfile.BadZipFile:
                raise TableError(self.source, "this is not a readable .zip file (it may be "
                                 "truncated or corrupt, or not a zip at all).",
                                 f"expected {IMPORTERS[kind]}; download the export again, "
                                 "or unpack it and give the folder.") from None
        if not self.members:
            raise TableError(self.source, "the export is empty: it holds no files.",
                             f"expected {IMPORTERS[kind]}.")

    def find(self, name: str) -> str | None:
        """The member whose path is ``name`` or ends with ``/name`` (exports often add a top folder)."""
        matches = [m for m in self.members if m == name or m.endswith("/" + name)]
        return min(matches, key=len) if matches else None

    def glob(self, pattern: str) -> list[str]:
        return [m for m in self.members if PurePosixPath(m).match(pattern)]

    def read_bytes(self, member: str) -> bytes:
        try:
            if self._zip is not None:
                return self._zip.read(member)
            return (self.path / member).read_bytes()
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:  # zlib errors too
            raise TableError(self.source, f"{member} cannot be read ({error}); the archive may be "
                             "truncated or corrupt.", "download the export again.") from None
        except Exception as error:  # zlib.error has no importable common base with the above
            raise TableError(self.source, f"{member} cannot be read ({type(error).__name__}: "
                             f"{error}); the archive may be truncated or corrupt.",
                             "download the export again.") from None

    def read_json(self, member: str, js_prefix: bool = False):
        """A member's JSON; with ``js_prefix``, after an ``window.YTD... =`` assignment."""
        text = self.read_bytes(member).decode("utf-8-sig", errors="replace")
        if js_prefix:
            start = text.find("=")
            if not text.lstrip().startswith("window.") or start < 0:
                raise TableError(self.source, f"{member} does not start with 'window.YTD... = ' "
                                 "as an X/Twitter archive file does.",
                                 "give the unpacked archive folder or the archive .zip as downloaded.")
            text = text[start + 1:]
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise TableError(self.source, f"{member} is not complete JSON ({error.msg} at line "
                             f"{error.lineno}); the file may be truncated or corrupt.",
                             "download the export again and import the untouched file.") from None

    def close(self):
        if self._zip is not None:
            self._zip.close()


def detect_kind(path: str | os.PathLike) -> str | None:
    """Which kind of export ``path`` looks like (by its signature files), or None."""
    path = Path(path)
    if path.is_file() and not zipfile.is_zipfile(path):
        with open(path, "rb") as handle:
            return "mbox" if handle.read(5) == b"From " else None
    try:
        archive = Archive(path, "mastodon")
    except TableError:
        return None
    try:
        if archive.find("outbox.json"):
            return "mastodon"
        if archive.find("data/tweets.js") or archive.find("tweets.js") or archive.find("data/tweet.js"):
            return "twitter"
        if archive.find("users.json") and archive.find("channels.json"):
            return "slack"
        return None
    finally:
        archive.close()


def wrong_kind(source: str, kind: str, expected: str, path) -> TableError:
    """The error for an export that is not ``kind``: says what was expected and what was found."""
    found = detect_kind(path)
    if found and found != kind:
        what = f"it looks like {IMPORTERS[found]}"
        fix = f"import it with: python -m trustcircles import {found} {source} --me ... --out ..."
    else:
        what = "it is not one"
        fix = f"give {IMPORTERS[kind]}."
    return TableError(source, f"expected {IMPORTERS[kind]} ({expected}), but {what}.", fix)


# --------------------------------------------------------------------------- import

def _norm(value: str) -> str:
    return Pseudonymiser.normalise_identity(value)


def _my_identities(raw: RawExport, me: str, source: str) -> set[str]:
    wanted = _norm(me)
    mine = set()
    identities = set(raw.events["actor"].dropna().unique()) | set(raw.events["target"].dropna().unique())
    for identity in identities | set(raw.aliases):
        names = {identity} | raw.aliases.get(identity, set())
        if wanted in {_norm(n) for n in names} or wanted == _norm(identity).split("@")[0]:
            mine.add(identity)
    if raw.owner:
        mine.add(raw.owner)
    if not mine:
        examples = ", ".join(sorted(identities)[:5])
        raise TableError(source, f"--me {me!r} names nobody in this export.",
                         f"give your own handle, name or address as it appears in the export "
                         f"(for example one of: {examples}).")
    return mine


def finish(raw: RawExport, me: str, key: bytes, source: str) -> pd.DataFrame:
    """Flags, the user as ``me``, and anonymisation: a RawExport becomes a METRICS.md table."""
    events = raw.events
    if len(events) == 0:
        raise TableError(source, f"the export holds no messages that could be imported "
                         f"(expected {IMPORTERS[raw.kind]}).",
                         "check that this is the right export and that it is not empty.")
    events = events.copy()
    events["is_question"] = question_flags(events["text"]).to_numpy()
    events["is_promotional"] = promotion_flags(events["text"]).to_numpy()
    events.loc[~events["kind"].isin(("post", "reply", "mention", "dm")),
               ["is_question", "is_promotional"]] = False
    mine = _my_identities(raw, me, source)
    me_token = "\x00me"  # cannot be an identity in any export
    for column in ("actor", "target"):
        events[column] = events[column].astype(object).where(~events[column].isin(mine), me_token)
    names = set(raw.names)
    handles = set(raw.handles)
    for identity, aliases in raw.aliases.items():
        handles.add(identity.split("@")[0] if "@" in identity and not identity.startswith("@")
                    else identity)
        names.update(a for a in aliases if " " in a.strip())
        handles.update(a for a in aliases if " " not in a.strip())
    names.add(me) if " " in me.strip() else handles.add(me)
    # an id such as U024BE7LH or 12345 is worth scrubbing, a two-letter one would eat words
    handles = {h for h in handles if h and len(h.strip().lstrip("@")) >= 3}
    names = {n for n in names if n and len(n.strip()) >= 2}
    extra = [c for c in events.columns if c not in REQUIRED_COLUMNS and c != "text"]
    table = anonymise_interactions(events[list(REQUIRED_COLUMNS) + ["text"] + extra], key, names=names,
                                   handles=handles, me=me_token)
    return table


def import_export(kind: str, path: str | os.PathLike, me: str, key: bytes | None = None) -> pd.DataFrame:
    """Read an export of ``kind`` at ``path`` and return the anonymised, validated METRICS.md table.

    ``me`` is the user's own handle, name, id or address; their events show ``me`` as actor or
    target. ``key`` defaults to the user's own key (:func:`trustcircles.anonymise.user_key`).
    Raises :class:`trustcircles.data.TableError` with a clear message for a wrong, corrupt or
    empty export.
    """
    if kind not in IMPORTERS:
        raise TableError(f"import kind {kind!r}", "there is no importer of that kind.",
                         f"use one of: {', '.join(IMPORTERS)}.")
    if not me or not str(me).strip():
        raise TableError(str(path), "--me is empty.", "give your own handle, name or address.")
    module = importlib.import_module(f"trustcircles.importers.{kind}")
    raw = module.read(path)
    return finish(raw, str(me), key if key is not None else user_key(), str(path))


def events_frame(rows: list[dict], source: str = "export") -> pd.DataFrame:
    """The events of a RawExport from a list of dicts with the RAW_COLUMNS keys (ISO 8601 times)."""
    frame = pd.DataFrame(rows, columns=list(RAW_COLUMNS))
    times = pd.to_datetime(frame["timestamp"], utc=True, format="ISO8601", errors="coerce")
    bad = times.isna()
    if bad.any():
        first = frame[bad].iloc[0]
        raise TableError(source, f"{int(bad.sum())} message(s) have no readable time, e.g. "
                         f"{first['event_id']} ({first['timestamp']!r}).",
                         "give the export exactly as it was downloaded.")
    frame["timestamp"] = times
    return frame


_HTML_BREAK = re.compile(r"(?i)<br\s*/?>|</p>\s*<p>|</p>")
_HTML_TAG = re.compile(r"<[^>]+>")


def html_to_text(html_text: str | None) -> str:
    """Plain text from the small HTML of a post (paragraphs and line breaks become new lines)."""
    import html
    if not html_text:
        return ""
    text = html_text
    if "<" in text:  # both patterns start with "<": plain text skips them
        text = _HTML_TAG.sub("", _HTML_BREAK.sub("\n", text))
    return html.unescape(text).strip()
