"""Bring your own data: turn an account export into the interactions table of METRICS.md.

    table = import_export("mastodon", "archive.zip", me="@ann@example.social")
    write_table(table, "my_circle.csv.gz")

Each format has its own module (``mastodon``, ``twitter``, ``slack``, ``mbox``, ``whatsapp``,
``linkedin``, ``telegram``, ``messenger``) whose ``read(path)`` returns a :class:`RawExport`: events
with the real identities and text, the names found anywhere in the export, and who its owner is
when the export says. This module then, for every format alike:

1. sets ``is_question`` and ``is_promotional`` from the raw text (the rules in :mod:`.rules`);
2. finds the user (:mod:`.identity`): ``--me`` (one or several of your identities) is checked
   against the export's own account data. A value that names someone else, or several people, is
   refused with the candidates listed; with no ``--me``, the owner the export names is used;
3. records which side(s) of each conversation the export holds, in the column ``export_holds``
   (:mod:`.sides`: an outbox holds only what you wrote);
4. anonymises with :func:`trustcircles.anonymise.anonymise_interactions` and the user's own key
   (:func:`trustcircles.anonymise.user_key`, kept in their config directory): keyed pseudonyms, the
   user shown as ``me``, text and conversation titles scrubbed of every name, handle, address,
   phone number and link, including every name, handle and profile field the export itself holds.
   Times are not shifted: the data stays on the user's machine and its dates are theirs.

Nothing here opens a network connection, and nothing is written except by :func:`write_table`.
"""
from __future__ import annotations

import contextlib
import gc
import importlib
import json
import os
import re
import tarfile
import zipfile
from dataclasses import dataclass, field
from html import unescape as _unescape
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd

from trustcircles.anonymise import Pseudonymiser, anonymise_interactions, user_key
from trustcircles.data import REQUIRED_COLUMNS, TableError
# The one table writer: an import is written with it (imported from here by the import command).
from trustcircles.data import write_table  # noqa: F401
from trustcircles.importers.rules import asks, flags_of, sells

#: kind -> what it reads. ``list(IMPORTERS)`` gives the kinds.
IMPORTERS: dict[str, str] = {
    "mastodon": "a Mastodon account archive (folder, .zip, or the .tar.gz of versions before 4.2, "
                "with outbox.json)",
    "twitter": "an X/Twitter account archive (folder or .zip with data/tweets.js, or data/tweet.js "
               "in archives of 2019-2022)",
    "slack": "a Slack workspace export (folder or .zip with users.json or org_users.json and "
             "channels.json)",
    "mbox": "a mail file in mbox format (.mbox), or the Google Takeout .zip that holds one",
    "whatsapp": "a WhatsApp chat export (_chat.txt or 'WhatsApp Chat with ....txt', or the .zip "
                "it comes in)",
    "linkedin": "a LinkedIn data export (folder or .zip with messages.csv)",
    "telegram": "a Telegram Desktop export in JSON (result.json, or its folder or .zip)",
    "messenger": "Facebook Messenger or Instagram messages from 'Download your information' in "
                 "JSON (folder or .zip with messages/inbox/.../message_1.json)",
}

RAW_COLUMNS = ("event_id", "timestamp", "actor", "target", "kind", "parent_id", "text")


@dataclass
class RawExport:
    """What a format module reads: events with real identities, before anonymising.

    ``events`` has the columns of :data:`RAW_COLUMNS` (timestamps as UTC datetimes, missing
    target/parent as ``None``), maybe more (``channel``, ``conversation``, and ``export_holds`` when
    it differs from row to row). ``aliases`` maps an identity to the other names it goes by
    (display names, ids, addresses, e-mails of a profile): ``--me`` may use any of them.
    ``names`` are personal names to scrub from text, ``handles`` handles, ``phrases`` other
    profile fields scrubbed whole (a title, a location). ``owners`` are the identities the export
    says are its owner's (``owner`` is one of them, kept for the formats that name one).
    ``holds`` says which side(s) of the conversation the export holds (:mod:`.sides`), for every
    row without its own ``export_holds``. ``scrub_columns`` are extra text columns (channel and
    conversation titles) scrubbed like the text.
    """
    kind: str
    events: pd.DataFrame
    aliases: dict[str, set[str]] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)
    handles: set[str] = field(default_factory=set)
    owner: str | None = None
    owners: set[str] = field(default_factory=set)
    phrases: set[str] = field(default_factory=set)
    holds: str = "both sides"
    scrub_columns: tuple[str, ...] = ()

    def __post_init__(self):
        if self.owner:
            self.owners = set(self.owners) | {self.owner}


# --------------------------------------------------------------------------- reading archives

class Archive:
    """A folder, a .zip, a .tar(.gz) or a single file, read the same way: members by their path.

    A single file that is no archive (a ``result.json``, a ``_chat.txt``) is an archive of one
    member, its own name.
    """

    def __init__(self, path: str | os.PathLike, kind: str):
        self.path = Path(path)
        self.kind = kind
        self.source = str(self.path)
        if not self.path.exists():
            raise TableError(self.source, "there is no such file or folder.",
                             f"give the path of {IMPORTERS[kind]}.")
        self._zip = None
        self._tar = None
        self._single = False
        if self.path.is_dir():
            self.members = sorted(p.relative_to(self.path).as_posix()
                                  for p in self.path.rglob("*") if p.is_file())
        elif _looks_like_zip(self.path):
            try:
                self._zip = zipfile.ZipFile(self.path)
                self.members = sorted(n for n in self._zip.namelist() if not n.endswith("/"))
            except (zipfile.BadZipFile, OSError, EOFError):
                raise self._corrupt("zip") from None
        elif _looks_like_tar(self.path):
            try:
                self._tar = tarfile.open(self.path, "r:*")
                self._tar_members = {m.name.lstrip("./"): m for m in self._tar.getmembers() if m.isfile()}
                self.members = sorted(self._tar_members)
            except (tarfile.TarError, OSError, EOFError, ValueError):
                raise self._corrupt("tar") from None
            except Exception as error:  # zlib.error: a truncated .tar.gz
                raise self._corrupt("tar", error) from None
        else:
            self._single = True
            self.members = [self.path.name]
        if not self.members:
            raise TableError(self.source, "the export is empty: it holds no files.",
                             f"expected {IMPORTERS[kind]}.")

    def _corrupt(self, what: str, error: Exception | None = None) -> TableError:
        name = {"zip": ".zip", "tar": ".tar.gz"}[what]
        detail = f" ({type(error).__name__})" if error else ""
        return TableError(self.source, f"this is not a readable {name} file{detail} (it may be "
                          f"truncated or corrupt, or not a {name} at all).",
                          f"expected {IMPORTERS[self.kind]}; download the export again, "
                          "or unpack it and give the folder.")

    @property
    def is_single_file(self) -> bool:
        return self._single

    def find(self, name: str) -> str | None:
        """The member whose path is ``name`` or ends with ``/name`` (exports often add a top folder)."""
        matches = [m for m in self.members if m == name or m.endswith("/" + name)]
        return min(matches, key=len) if matches else None

    def glob(self, pattern: str) -> list[str]:
        return [m for m in self.members if PurePosixPath(m).match(pattern)]

    def open(self, member: str):
        """A binary file object for a member (read a block at a time: large mail files)."""
        try:
            if self._zip is not None:
                return self._zip.open(member)
            if self._tar is not None:
                return self._tar.extractfile(self._tar_members[member])
            if self._single:
                return open(self.path, "rb")
            return open(self.path / member, "rb")
        except (zipfile.BadZipFile, tarfile.TarError, OSError, EOFError, ValueError) as error:
            raise TableError(self.source, f"{member} cannot be read ({error}); the archive may be "
                             "truncated or corrupt.", "download the export again.") from None

    def read_bytes(self, member: str) -> bytes:
        try:
            if self._zip is not None:
                return self._zip.read(member)
            if self._tar is not None:
                return self._tar.extractfile(self._tar_members[member]).read()
            if self._single:
                return self.path.read_bytes()
            return (self.path / member).read_bytes()
        except (zipfile.BadZipFile, tarfile.TarError, OSError, EOFError, ValueError) as error:
            raise TableError(self.source, f"{member} cannot be read ({error}); the archive may be "
                             "truncated or corrupt.", "download the export again.") from None
        except Exception as error:  # zlib.error has no importable common base with the above
            raise TableError(self.source, f"{member} cannot be read ({type(error).__name__}: "
                             f"{error}); the archive may be truncated or corrupt.",
                             "download the export again.") from None

    def read_text(self, member: str) -> str:
        return self.read_bytes(member).decode("utf-8-sig", errors="replace")

    def read_json(self, member: str, js_prefix: bool = False):
        """A member's JSON; with ``js_prefix``, after an ``window.YTD... =`` assignment."""
        text = self.read_text(member)
        if js_prefix:
            start = text.find("=")
            if not text.lstrip().startswith(("window.", "Grailbird.", "var ")) or start < 0:
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
        if self._tar is not None:
            self._tar.close()


def _looks_like_zip(path: Path) -> bool:
    with open(path, "rb") as handle:
        start = handle.read(4)
    return start in (b"PK\x03\x04", b"PK\x05\x06") or path.suffix.lower() == ".zip"


def _looks_like_tar(path: Path) -> bool:
    name = path.name.lower()
    if name.endswith((".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz")):
        return True
    with open(path, "rb") as handle:
        start = handle.read(3)
    if start[:2] == b"\x1f\x8b":  # gzip: a .tar.gz renamed, or a truncated one
        return True
    try:
        return tarfile.is_tarfile(path)
    except (OSError, EOFError):
        return False


#: signature member (found anywhere in the archive) -> kind, tried in this order
_SIGNATURES = (
    ("outbox.json", "mastodon"),
    ("data/tweets.js", "twitter"), ("data/tweet.js", "twitter"), ("tweets.js", "twitter"),
    ("tweet.js", "twitter"), ("data/js/tweets", "twitter"),
    ("org_users.json", "slack"), ("result.json", "telegram"), ("messages.csv", "linkedin"),
    ("_chat.txt", "whatsapp"),
)


def detect_kind(path: str | os.PathLike) -> str | None:
    """Which kind of export ``path`` looks like (by its signature files), or None."""
    path = Path(path)
    try:
        archive = Archive(path, "mastodon")
    except TableError:
        return None
    try:
        if archive.is_single_file:
            return _kind_of_file(archive)
        for name, kind in _SIGNATURES:
            if archive.find(name) or (name.endswith("tweets") and
                                      any(m.startswith("data/js/tweets/") for m in archive.members)):
                return kind
        if archive.find("users.json") and archive.find("channels.json"):
            return "slack"
        if any(re.search(r"(?:^|/)messages/inbox/[^/]+/message_\d+\.json$", m) for m in archive.members):
            return "messenger"
        if any(PurePosixPath(m).name.startswith("WhatsApp Chat") and m.endswith(".txt")
               for m in archive.members):
            return "whatsapp"
        if any(m.lower().endswith(".mbox") for m in archive.members):
            return "mbox"
        return None
    except TableError:
        return None
    finally:
        archive.close()


def _kind_of_file(archive: Archive) -> str | None:
    """The kind of a single file, from its first bytes and name."""
    name = archive.path.name.lower()
    with open(archive.path, "rb") as handle:
        start = handle.read(4096)
    if start.startswith(b"From "):
        return "mbox"
    text = start.decode("utf-8", errors="replace").lstrip("\ufeff")
    if name.endswith(".txt") and _WHATSAPP_LINE.search(text):
        return "whatsapp"
    if name.endswith(".csv") and "CONVERSATION ID" in text.upper() and "CONTENT" in text.upper():
        return "linkedin"
    if name.endswith(".json"):
        if '"sender_name"' in text or '"participants"' in text and '"timestamp_ms"' in text:
            return "messenger"
        if '"messages"' in text or '"chats"' in text or '"personal_information"' in text:
            return "telegram"
    return None


# the start of a WhatsApp message line, iOS ("[03/03/2025, 09:00:00] ") or Android ("03/03/2025, 09:00 - ")
_WHATSAPP_LINE = re.compile(r"(?m)^\u200e?\[?\d{1,4}[./-]\d{1,2}[./-]\d{1,4},? [^\n]{3,25}?(?:\] | - )")


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

def finish(raw: RawExport, me, key: bytes, source: str) -> pd.DataFrame:
    """Flags, the user as ``me``, sides held, and anonymisation: a RawExport becomes a METRICS.md table.

    ``me`` is one identity, several (a list), or None (the owner the export names). The text (and
    the title columns) are scrubbed, and the flags set from the raw text, in a child process on the
    second core while this one makes the pseudonyms and checks the table (:mod:`.parallel`); the
    result is the same either way.
    """
    from trustcircles.importers.identity import my_identities
    from trustcircles.importers.parallel import in_child
    from trustcircles.importers.sides import SIDES_COLUMN
    events = raw.events
    if len(events) == 0:
        raise TableError(source, f"the export holds no messages that could be imported "
                         f"(expected {IMPORTERS[raw.kind]}).",
                         "check that this is the right export and that it is not empty.")
    values = [me] if isinstance(me, str) else list(me or [])
    mine = my_identities(raw, values, source)
    events = events.copy()
    me_token = "\x00me"  # cannot be an identity in any export
    for column in ("actor", "target"):
        events[column] = events[column].astype(object).where(~events[column].isin(mine), me_token)
    if SIDES_COLUMN not in events:
        events[SIDES_COLUMN] = raw.holds
    else:
        events[SIDES_COLUMN] = events[SIDES_COLUMN].fillna(raw.holds)
    names = set(raw.names)
    handles = set(raw.handles)
    for identity, aliases in raw.aliases.items():
        handles.add(identity.split("@")[0] if "@" in identity and not identity.startswith("@")
                    else identity)
        names.update(a for a in aliases if " " in a.strip())
        handles.update(a for a in aliases if " " not in a.strip())
    for value in values:
        names.add(value) if " " in value.strip() else handles.add(value)
    # every actor and target identity too (as anonymise_interactions adds them)
    people = pd.concat([events["actor"], events["target"]]).dropna().astype(str)
    handles.update(i for i in pd.unique(people.to_numpy(dtype=object)) if len(i) >= 3 and i != me_token)
    # an id such as U024BE7LH or 12345 is worth scrubbing, a two-letter one would eat words
    handles = {h for h in handles if h and len(h.strip().lstrip("@")) >= 3}
    names = {n for n in names if n and len(n.strip()) >= 2}
    phrases = {p for p in raw.phrases if p and len(p.strip()) >= 3}

    columns = [c for c in dict.fromkeys(("text",) + tuple(raw.scrub_columns)) if c in events]
    factorized = [pd.factorize(events[c].astype("str")) for c in columns]
    distinct = [np.asarray(d, dtype=object) for _, d in factorized]
    job = in_child(scrub_and_flag, names, handles, phrases, distinct, columns.index("text"),
                   items=sum(len(d) for d in distinct))
    # pseudonyms and validation go on here while the child works; the flags (false until then) and
    # the raw text columns are replaced by what it found before the table is returned
    events["is_question"] = events["is_promotional"] = False
    extra = [c for c in events.columns if c not in REQUIRED_COLUMNS and c != "text"]
    table = anonymise_interactions(events[list(REQUIRED_COLUMNS) + ["text"] + extra], key,
                                   me=me_token, scrub_columns=())
    scrubbed_columns, questions, promotions = job.result()
    # each distinct text's flags (a missing text asks and sells nothing), only for what people write
    text_codes, _ = factorized[columns.index("text")]
    written = events["kind"].isin(("post", "reply", "mention", "dm")).to_numpy()
    table["is_question"] = np.append(questions, False)[text_codes] & written
    table["is_promotional"] = np.append(promotions, False)[text_codes] & written
    for column, (codes, _), scrubbed in zip(columns, factorized, scrubbed_columns):
        values_ = np.array(list(scrubbed) + [None], dtype=object)
        table[column] = pd.Series(values_[codes], index=table.index).astype("str")
    return table


def scrub_and_flag(names, handles, phrases, columns: list, text_column: int):
    """(:func:`scrub_distinct` of ``columns``, the question and the promotion flag of each distinct
    text of ``columns[text_column]``, from the raw text)."""
    texts = columns[text_column]
    return (scrub_distinct(names, handles, phrases, columns), flags_of(texts, asks),
            flags_of(texts, sells))


def scrub_distinct(names, handles, phrases, columns: list) -> list[list]:
    """Each distinct text of each column scrubbed by one :class:`TextScrubber` of the export's
    names, handles and profile phrases (only those that occur in the texts are compiled)."""
    from trustcircles.anonymise import TextScrubber, vocabulary_of
    vocabulary: set[str] = set()
    for texts in columns:
        vocabulary |= vocabulary_of(texts)
    scrubber = TextScrubber(names, handles, phrases, vocabulary=vocabulary)
    return [[scrubber.scrub(text) for text in texts] for texts in columns]


def import_export(kind: str, path: str | os.PathLike, me=None, key: bytes | None = None) -> pd.DataFrame:
    """Read an export of ``kind`` at ``path`` and return the anonymised, validated METRICS.md table.

    ``me`` is the user's own handle, name, id or address, or a list of several of theirs; their
    events show ``me`` as actor or target. It is checked against the export's own account data;
    left out (None), the owner the export names is used (an export that names none refuses).
    ``key`` defaults to the user's own key (:func:`trustcircles.anonymise.user_key`).
    Raises :class:`trustcircles.data.TableError` with a clear message for a wrong, corrupt or
    empty export, or a ``me`` that names somebody else.
    """
    if kind not in IMPORTERS:
        raise TableError(f"import kind {kind!r}", "there is no importer of that kind.",
                         f"use one of: {', '.join(IMPORTERS)}.")
    values = [me] if isinstance(me, str) else list(me or [])
    if me is not None and not any(str(v).strip() for v in values):
        raise TableError(str(path), "--me is empty.", "give your own handle, name or address.")
    module = importlib.import_module(f"trustcircles.importers.{kind}")
    values = [str(v) for v in values if str(v).strip()]
    key = key if key is not None else user_key()
    with _no_cyclic_gc():
        raw = module.read(path)
        return finish(raw, values, key, str(path))


@contextlib.contextmanager
def _no_cyclic_gc():
    """The cycle collector paused: reading an export makes millions of dicts and lists that hold
    no cycles, and the collector would walk them again and again (it took a third of the time of
    parsing a large outbox). Memory is still freed as usual, by reference counting."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def events_frame(rows: list[dict] | dict[str, list], source: str = "export") -> pd.DataFrame:
    """The events of a RawExport from a list of dicts with the RAW_COLUMNS keys, or a dict of
    those columns as lists (ISO 8601 times)."""
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


_HTML_HIDDEN = re.compile(r"(?is)<(style|script|head|title)\b[^>]*>.*?</\1\s*>|<!--.*?-->")
_HTML_BREAK = re.compile(r"(?i)<br\s*/?>|</p>\s*<p>|</?(?:p|div|tr|li|h[1-6]|table|blockquote)\b[^>]*>")
_HTML_TAG = re.compile(r"<[^>]+>")
_HTML_HIDDEN_START = re.compile(r"(?i)<(?:style|script|head|title)")
_BLANK_LINES = re.compile(r"[ \t\u00a0]*\n(?:[ \t\u00a0]*\n)+")
_SPACES = re.compile(r"[ \t\u00a0]{2,}")


def html_to_text(html_text: str | None) -> str:
    """Plain text from HTML: a post's small HTML, or a whole HTML mail.

    Style sheets, scripts, the head and comments are dropped; paragraphs, divisions, list items,
    table rows and line breaks become new lines; entities (``&amp;``) are decoded; runs of blank
    lines and spaces are closed up.
    """
    if not html_text:
        return ""
    text = html_text
    if text.startswith("<p>") and text.endswith("</p>") and text.count("<") == 2:
        text = text[3:-4]  # a post of one paragraph, the commonest case
    elif "<" in text:  # all patterns start with "<": plain text skips them
        if "<!" in text or "</" in text and _HTML_HIDDEN_START.search(text):
            text = _HTML_HIDDEN.sub("", text)
        text = _HTML_TAG.sub("", _HTML_BREAK.sub("\n", text))
    if "&" in text:
        text = _unescape(text)
    if "\n" in text or "  " in text:
        text = _SPACES.sub(" ", _BLANK_LINES.sub("\n", text))
    return text.strip()


def chat_targets(actors: list[str], participants: list[str], group: bool) -> tuple[list, list]:
    """(targets, kinds) for the messages of one conversation, in time order, by their authors.

    In a conversation of two, each message is a ``dm`` to the other participant. In a group, a
    message is a ``dm`` to the author of the latest earlier message by someone else: the person
    most likely answered, since chat exports do not say whom a message answers, and a message to a
    group is one message, not one per member. The first, with nobody to answer yet, is a ``post``.
    """
    targets, kinds = [], []
    if not group:
        for actor in actors:
            other = next((p for p in participants if p != actor), None)
            targets.append(other)
            kinds.append("dm" if other else "post")
        return targets, kinds
    latest = None
    last_other: dict[str, str] = {}
    for actor in actors:
        answered = latest if latest is not None and latest != actor else last_other.get(actor)
        targets.append(answered)
        kinds.append("dm" if answered is not None else "post")
        if latest is not None and latest != actor:
            last_other[actor] = latest
        latest = actor
    return targets, kinds


def repair_mojibake(text):
    """Text whose UTF-8 bytes were read as Latin-1 (``CafÃ©``, Facebook's and LinkedIn's exports)
    back as it was written (``Café``); text that is no such thing comes back unchanged."""
    if not isinstance(text, str) or text.isascii():
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def strptime_utc(texts, format: str) -> np.ndarray:
    """Times in one ``strptime`` format (``%z`` offsets converted) as UTC datetime64[s], NaT where
    a text has another form: Arrow's parser, several times faster than pandas' for these."""
    import pyarrow as pa
    import pyarrow.compute as pc
    array = pa.array([t if isinstance(t, str) else None for t in texts], pa.string())
    parsed = pc.strptime(array, format=format, unit="s", error_is_null=True)
    seconds = parsed.cast(pa.int64()).fill_null(np.iinfo(np.int64).min).to_numpy()
    return seconds.astype("datetime64[s]")


