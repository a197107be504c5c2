"""WhatsApp chat export (a chat > More > Export chat; "Without media" is enough).

The phone makes a text file: on an iPhone ``_chat.txt`` inside ``WhatsApp Chat - <name>.zip``, on
Android ``WhatsApp Chat with <name>.txt`` (in a .zip when media are included). Give the .txt, the
.zip, or a folder holding one or several of them (each is one conversation). Layout (the line forms
of the whatstk, whatsapp-chat-parser and whats_json readers, see datasets/examples/README.md):

* iOS: ``[03/03/2025, 09:00:00] Sam Sample: Hello``; Android: ``03/03/2025, 09:00 - Sam Sample:
  Hello``. The date and time are in the phone's own format: day or month first (``03/03/2025``,
  ``3/3/25``), dots or dashes (``03.03.25``, ``2025-03-03``), 24-hour or 12-hour (``9:00 AM``,
  with an ordinary or a narrow space, ``p. m.``), seconds or not, Finnish ``klo``. Which of day
  and month comes first is worked out from the whole file (a value over 12, else the order in
  which the messages run). Times are the phone's local time, kept as they are (written as UTC).
* A line that does not start with a date continues the message before it (multi-line messages).
* System lines are left out: on Android a line with no ``Name:`` after the date ("Messages and
  calls are end-to-end encrypted", "Sam added Kai"), on iOS a text starting with an invisible
  left-to-right mark (U+200E), which also marks iOS media lines.
* Media placeholders (``<Media omitted>``, ``image omitted``, ``<attached: ...>``, and their
  translations) and deleted messages are still somebody's turn in the conversation: they are kept,
  with empty text.

Accounts are the names the phone shows (its contacts) or phone numbers (the invisible marks
around them removed). The chat's name comes from the file name (``WhatsApp Chat with Sam
Sample``), is kept in a ``conversation`` column, scrubbed like the text. In a chat between two
people whose name is one of them, the other is the owner (``--me`` must be them, or may be left
out); in a group, ``--me`` must name one of the people in it.

Mapping: in a chat of two, each message -> ``dm`` to the other; in a group, each message -> ``dm``
to the author of the latest earlier message by someone else (the person most likely answered; the
export does not say whom a message answers), the first, with nobody to answer yet, a ``post``.
The export holds both sides.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePosixPath

import numpy as np
import pandas as pd

from trustcircles.data import TableError
from trustcircles.importers import IMPORTERS, Archive, RawExport, chat_targets, wrong_kind
from trustcircles.importers.identity import normalise

_MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_LINE = re.compile(
    r"^(?P<mark>\u200e?)\[?(?P<a>\d{1,4})[./-](?P<b>\d{1,2})[./-](?P<c>\d{1,4})\.?,?[ \u202f\u00a0]"
    r"(?:klo )?(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:[:.](?P<second>\d{2}))?"
    r"(?:[ \u202f\u00a0]?(?P<ampm>[AaPp]\.?[ \u202f\u00a0]?[Mm]\.?))?\]?(?: - | )(?P<rest>.*)$")
_MEDIA = re.compile(
    r"^\u200e?(?:<Media omitted>|<Medien ausgelassen>|<Médias omis>|<Multimedia omitido>|"
    r"<Media weggelaten>|<Media omessi>|<Arquivo de mídia oculto>|<attached: [^>]*>|"
    r"(?:image|video|audio|sticker|GIF|document|Contact card) omitted|"
    r"This message was deleted|You deleted this message|null)\s*$", re.IGNORECASE)
_TITLE = re.compile(r"^WhatsApp Chat (?:with|-|mit|avec|con|com|met) (.+?)(?:\.txt|\.zip)?$", re.IGNORECASE)
_QUOTES = set("\"“”„«»'‘’")


def _chat_files(archive: Archive) -> list[str]:
    names = [m for m in archive.members if m.lower().endswith(".txt")
             and (PurePosixPath(m).name == "_chat.txt" or PurePosixPath(m).name.startswith("WhatsApp Chat"))]
    if not names and archive.is_single_file and archive.path.suffix.lower() == ".txt":
        names = list(archive.members)
    return names


def _title(archive: Archive, member: str) -> str | None:
    name = PurePosixPath(member).name
    if name == "_chat.txt":  # iOS: the chat's name is the .zip's (or the folder's)
        parent = PurePosixPath(member).parent.name or archive.path.name
        name = parent
    match = _TITLE.match(name)
    return match.group(1).strip() if match else None


def read(path) -> RawExport:
    archive = Archive(path, "whatsapp")
    try:
        chats = [(m, _title(archive, m), archive.read_text(m)) for m in _chat_files(archive)]
        # a folder of several exports as they came: the iPhone's .zip files inside it
        for member in archive.members:
            name = PurePosixPath(member).name
            if name.lower().endswith(".zip") and name.startswith("WhatsApp Chat"):
                chats += _zipped_chats(archive, member)
        if not chats:
            raise wrong_kind(archive.source, "whatsapp", "no _chat.txt or 'WhatsApp Chat with ....txt' "
                             "found", path)
    finally:
        archive.close()
    return _build(chats, archive.source)


def _zipped_chats(archive: Archive, member: str) -> list:
    try:
        with zipfile.ZipFile(io.BytesIO(archive.read_bytes(member))) as inner:
            texts = [n for n in inner.namelist() if PurePosixPath(n).name == "_chat.txt"
                     or (PurePosixPath(n).name.startswith("WhatsApp Chat") and n.endswith(".txt"))]
            title_match = _TITLE.match(PurePosixPath(member).name)
            return [(f"{member}/{n}", title_match.group(1).strip() if title_match else None,
                     inner.read(n).decode("utf-8-sig", errors="replace")) for n in texts]
    except (zipfile.BadZipFile, OSError, EOFError):
        raise TableError(archive.source, f"{member} is not a readable .zip file (it may be truncated "
                         "or corrupt).", "export the chat again, or unpack it and give the folder.") from None


def _messages(text: str):
    """(line number, date parts, time parts, sender or None, text) for each message of a chat."""
    messages = []
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        match = _LINE.match(line)
        if match is None:
            if messages and line.strip(_MARKS + " "):
                messages[-1][4].append(line)
            continue
        rest = match.group("rest")
        sender, body = None, rest
        head, colon, tail = rest.partition(": ")
        if colon and len(head) <= 60 and not (_QUOTES & set(head)):
            sender, body = head, tail
        media = _MEDIA.match(body) is not None
        if body.startswith("\u200e") and not media:
            sender = None  # an iOS system line ("Messages and calls are end-to-end encrypted")
        messages.append([number, match, sender, body, [body], media])
    out = []
    for number, match, sender, body, lines, media in messages:
        if sender is None:
            continue
        full = "" if media and len(lines) == 1 else "\n".join(lines).strip(_MARKS)
        out.append((number, match, sender.strip(_MARKS + " "), full))
    return out


def _dates(year, month, day):
    """datetime64[s] of day, month and year arrays; NaT where no such day exists (31/02)."""
    months = (year - 1970) * 12 + (month - 1)
    first = months.astype("datetime64[M]").astype("datetime64[D]")
    dates = first + (day - 1).astype("timedelta64[D]")
    valid = (month >= 1) & (month <= 12) & (day >= 1) & \
        (dates.astype("datetime64[M]") == months.astype("datetime64[M]"))
    return np.where(valid, dates, np.datetime64("NaT")).astype("datetime64[s]")


def _parse_times(matches, source: str) -> np.ndarray:
    """The times of the messages of one chat, day and month order worked out from them all."""
    parts = np.array([[int(m.group("a")), int(m.group("b")), int(m.group("c")), int(m.group("hour")),
                       int(m.group("minute")), int(m.group("second") or 0)] for m in matches],
                     dtype=np.int64).reshape(-1, 6)
    a, b, c, hour, minute, second = parts.T
    twelve_hour = [(m.group("ampm") or "").lower().translate(_AMPM_NOISE) for m in matches]
    if len(a) and (a > 31).any():  # 2025-03-03
        dates = _dates(a, b, c)
    else:
        year = np.where(c < 100, c + 2000, c)
        day_first, month_first = _dates(year, b, a), _dates(year, a, b)
        if (a > 12).any() and not (b > 12).any():
            dates = day_first
        elif (b > 12).any() and not (a > 12).any():
            dates = month_first
        else:  # both fit: the order in which the messages run decides, then the common one
            backwards_day = int((np.diff(day_first) < np.timedelta64(0)).sum())
            backwards_month = int((np.diff(month_first) < np.timedelta64(0)).sum())
            if backwards_month < backwards_day or (backwards_month == backwards_day and any(twelve_hour)):
                dates = month_first
            else:
                dates = day_first
    pm = np.array([x == "pm" for x in twelve_hour], dtype=bool)
    am = np.array([x == "am" for x in twelve_hour], dtype=bool)
    hour = np.where(pm & (hour < 12), hour + 12, np.where(am & (hour == 12), 0, hour))
    times = dates + (hour * 3600 + minute * 60 + second).astype("timedelta64[s]")
    bad = np.isnat(times) | (hour > 23) | (minute > 59) | (second > 59)
    if bad.any():
        first = matches[int(np.flatnonzero(bad)[0])]
        raise TableError(source, f"a message has a date that is no date ({first.group(0)[:40]!r}).",
                         "give the chat export exactly as WhatsApp wrote it.")
    return times


_AMPM_NOISE = str.maketrans("", "", ". \u202f\u00a0")


def _build(chats, source: str) -> RawExport:
    columns: dict[str, list] = {k: [] for k in ("event_id", "actor", "target", "kind", "text",
                                                "conversation")}
    times = []
    aliases: dict[str, set[str]] = {}
    owners: set[str] = set()
    owner_votes = []
    names: set[str] = set()
    for member, title, text in chats:
        messages = _messages(text)
        if not messages:
            continue
        times.append(_parse_times([m[1] for m in messages], source))
        senders = [m[2] for m in messages]
        identity = {s: normalise(s) for s in set(senders)}
        people = list(dict.fromkeys(identity[s] for s in senders))
        for sender in set(senders):
            aliases.setdefault(identity[sender], set()).add(sender)
            if not sender.lstrip("+").replace(" ", "").replace("-", "").isdigit():
                names.add(sender)
        group = len(people) > 2
        if title:
            if not group:  # the name of a chat of two is the other person's
                names.add(title)
                titled = normalise(title)
                if titled in people and len(people) == 2:
                    owner_votes.append(next(p for p in people if p != titled))
                elif titled not in people:
                    people.append(titled)  # the other person, who has not written yet
                    aliases.setdefault(titled, set()).add(title)
        actors = [identity[s] for s in senders]
        targets, kinds = chat_targets(actors, people, group)
        # named by the chat and the line, not by where the file sits (a folder or a .zip)
        chat = title or PurePosixPath(member).name
        columns["event_id"] += [f"{chat}:{m[0]}" for m in messages]
        columns["actor"] += actors
        columns["target"] += targets
        columns["kind"] += kinds
        columns["text"] += [m[3] for m in messages]
        columns["conversation"] += [title or "chat"] * len(messages)
    if not times:
        raise TableError(source, f"no chat messages were found (expected {IMPORTERS['whatsapp']}).",
                         "export the chat again from WhatsApp (More > Export chat) and give the file "
                         "as it came.")
    if owner_votes and len(set(owner_votes)) == 1:
        owners.add(owner_votes[0])
    frame = pd.DataFrame({"event_id": columns["event_id"],
                          "timestamp": pd.to_datetime(np.concatenate(times)).tz_localize("UTC"),
                          "actor": columns["actor"], "target": columns["target"],
                          "kind": columns["kind"], "parent_id": None, "text": columns["text"],
                          "conversation": columns["conversation"]})
    return RawExport("whatsapp", frame, aliases=aliases, names=names, owners=owners,
                     scrub_columns=("conversation",))
