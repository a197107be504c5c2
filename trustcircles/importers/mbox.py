"""A mail folder in mbox format (Thunderbird, Apple Mail export, Google Takeout's ``.mbox``).

Accounts are e-mail addresses (lower case); ``--me`` is your address (or your name as it appears
in From:).

Reading, in one streaming pass (one message in memory at a time): the file is split into messages
on its ``From `` lines exactly as the standard library's :class:`mailbox.mbox` splits it on a system
with ``\n`` line ends (a line starting with ``From `` starts a message; the blank line before it
belongs to the separator; a quoted ``>From `` line is body text and is kept as it is, as ``mailbox``
keeps it). Only the header block of a message is parsed: a block of plain ``Name: value`` fields
is split as the stdlib's compat32 parser splits it, any other block goes to
:class:`email.parser.BytesHeaderParser` itself. A single-part body is attached as it stands and
decoded by :meth:`email.message.Message.get_payload` (quoted-printable, base64, charsets), or, with
neither ``Content-Type`` nor ``Content-Transfer-Encoding``, read directly as UTF-8 text, which is
what that method and :func:`_body` make of it. A multipart or ``message/*`` message, or one whose
header block does not end in a blank line, is parsed whole by :func:`email.message_from_bytes`,
as :mod:`mailbox` would. Headers, texts and so the table are the same as parsing every message in
full (the tests compare the two), at a fraction of the cost.

Mapping, one message at a time:

* a message whose ``In-Reply-To`` (or, failing that, the last of its ``References``) names a message
  in this file -> ``reply``, target = that message's sender, parent = that message;
* any other message -> ``dm`` to its first ``To:`` recipient (one row per message, not per
  recipient: a mail to twenty people is one message, and counting it twenty times would invent
  nineteen conversations); if it answers a message that is not in the file, that message is the
  parent. A message with no ``To:`` recipient is a ``post``.

Text is the first ``text/plain`` part with quoted lines (``> ...``) removed. Names in ``From:`` and
``To:`` are scrubbed from all text. Messages without a ``Date:`` or a ``From:`` are left out.
"""
from __future__ import annotations

import email
import email.message
import email.utils
import os
import re
from datetime import timezone
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from email.policy import compat32
from functools import lru_cache
from pathlib import Path

import pandas as pd

from trustcircles.data import TableError
from trustcircles.importers import IMPORTERS, RawExport, detect_kind, events_frame

_QUOTED = re.compile(r"(?m)^[ \t]*>.*\n?")


def _header(message, name: str) -> str:
    value = message.get(name)
    if value is None:
        return ""
    return _decoded_header(str(value))


@lru_cache(maxsize=1 << 14)
def _decoded_header(value: str) -> str:
    # the same From: and To: headers come back over and over: each distinct one is decoded once
    try:
        return str(make_header(decode_header(value)))
    except Exception:  # a malformed encoded word: keep the raw header rather than fail
        return value


@lru_cache(maxsize=1 << 14)
def _parse_address(header: str) -> tuple[str, str]:
    # a mail folder names the same few people over and over: each distinct header is parsed once
    return email.utils.parseaddr(header)


@lru_cache(maxsize=1 << 14)
def _parse_addresses(header: str) -> tuple[tuple[str, str], ...]:
    return tuple(email.utils.getaddresses([header]))


def _body(message) -> str:
    if isinstance(message, _PlainMessage):  # what get_payload(decode=True) gives, charset utf-8
        return _QUOTED.sub("", message.body.decode("utf-8", errors="replace")).strip()
    part = None
    if message.is_multipart():
        for candidate in message.walk():
            if candidate.get_content_type() == "text/plain" and not candidate.is_multipart():
                part = candidate
                break
    else:
        part = message
    if part is None:
        return ""
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "utf-8"
    try:
        text = payload.decode(charset, errors="replace")
    except LookupError:
        text = payload.decode("utf-8", errors="replace")
    return _QUOTED.sub("", text).strip()


_BLOCK = 1 << 20  # bytes read at a time
_SEPARATOR = b"\nFrom "
_HEADER_PARSER = BytesHeaderParser()  # policy compat32, the policy mailbox.mbox parses with


def _split_messages(handle):
    """The bytes of each message in an open mbox file, in order, read a block at a time.

    Delimited exactly as :meth:`mailbox.mbox._generate_toc` and ``get_message`` delimit them on a
    system whose line ending is ``\\n``: every line starting with ``From `` starts a message (the
    line itself is not part of it); the message runs to the next such line or the end of the file,
    less the last line if that line is empty. Text before the first ``From `` line is not a message.
    """
    pending = handle.read(_BLOCK)
    start = 0 if pending.startswith(b"From ") else None  # where the current message's From line is
    search = 0
    at_end = not pending
    while True:
        cut = pending.find(_SEPARATOR, search)
        if cut >= 0:
            if start is not None:
                yield _content(pending, start, cut + 1)
            start = search = cut + 1
            continue
        if at_end:
            if start is not None:
                yield _content(pending, start, len(pending))
            return
        block = handle.read(_BLOCK)
        at_end = not block
        if start is None:  # still before the first From line: keep only what a separator needs
            keep = max(0, len(pending) - len(_SEPARATOR) + 1)
            pending, search = pending[keep:] + block, 0
        else:
            # a separator may straddle the two blocks: search again from its longest possible start
            search = max(start, len(pending) - len(_SEPARATOR) + 1) - start
            pending, start = pending[start:] + block, 0


def _content(buffer: bytes, start: int, stop: int) -> bytes:
    """The message whose From line starts at ``start`` and which ends before ``stop``."""
    newline = buffer.find(b"\n", start, stop)
    if newline < 0:  # a From line and nothing after it
        return b""
    first = newline + 1
    # mailbox leaves out the last line when it is empty (the blank line before the next From line)
    if stop > first and buffer[stop - 1] == 10 and (stop - 1 == first or buffer[stop - 2] == 10):
        stop -= 1
    return buffer[first:stop]


def _header_block_end(data: bytes) -> int:
    """Where the body starts: after the first empty line (``\\n`` or ``\\r\\n``), else the end."""
    if data[:1] == b"\n":
        return 1
    if data[:2] == b"\r\n":
        return 2
    ends = [found + length for found, length in ((data.find(b"\n\n"), 2), (data.find(b"\n\r\n"), 3))
            if found >= 0]
    return min(ends) if ends else len(data)


# A header block of plain fields, each a name, ":" and a value on one line or folded onto lines
# starting with a space or tab, each line ending in "\n" or "\r\n", then the empty line. Characters
# that str.splitlines() would also take as a line end (\r alone, \v, \f, \x1c-\x1e) are not
# allowed: the stdlib parser splits lines on them, so such a block goes to the stdlib parser.
_PLAIN_BLOCK = re.compile(rb"(?:[\x21-\x39\x3b-\x7e]+:[^\r\n\x0b\x0c\x1c-\x1e]*\r?\n"
                          rb"(?:[ \t][^\r\n\x0b\x0c\x1c-\x1e]*\r?\n)*)*\r?\n")
_FIELD = re.compile(r"([^:\n]+):[ \t]*([^\n]*\n(?:[ \t][^\n]*\n)*)")


def _plain_fields(block: bytes) -> list[tuple[str, str]] | None:
    """The (name, value) headers of a plain header block, exactly as ``BytesHeaderParser`` reads them.

    For a block that ``_PLAIN_BLOCK`` matches, the stdlib parser (compat32) makes each field one
    header whose name is the text before the ":" and whose value is the rest with the spaces and
    tabs after the ":" removed, its folded lines joined as they are and the line ends at its end
    removed (``email._policybase.Compat32.header_source_parse``). Doing just that here takes a
    fraction of the time; any other block (``None``) goes to the stdlib parser. A test compares
    the two on every kind of block the generator of the tests makes.
    """
    if _PLAIN_BLOCK.fullmatch(block) is None:
        return None
    return [(name, value.rstrip("\r\n"))
            for name, value in _FIELD.findall(block.decode("ascii", "surrogateescape"))]


class _PlainMessage:
    """A single-part message with neither ``Content-Type`` nor ``Content-Transfer-Encoding``.

    Such a message is ``text/plain`` in us-ascii by RFC 2045, and the stdlib reads its body as the
    bytes as they stand (no transfer encoding), decoded here as UTF-8 like a part without a charset
    (see :func:`_body`). ``get`` is :meth:`email.message.Message.get`: the first header of that name,
    any case, through the compat32 policy (a value with 8-bit bytes becomes a ``Header``).
    """
    __slots__ = ("_fields", "body")

    def __init__(self, fields: dict[str, tuple[str, str]], body: bytes):
        self._fields = fields
        self.body = body

    def get(self, name: str, failobj=None):
        field = self._fields.get(name.lower())
        return failobj if field is None else compat32.header_fetch_parse(*field)


def _parse(data: bytes):
    """One message as :mod:`mailbox` would give it (an :class:`email.message.Message`, compat32),
    or a :class:`_PlainMessage` that reads the same.

    Only the header block is parsed when the message is a single part: the parser would make the
    rest of the message its payload unchanged, so the rest is attached as it is.
    """
    end = _header_block_end(data)
    block = data[:end]
    fields = _plain_fields(block)
    if fields is None:
        message = _HEADER_PARSER.parsebytes(block)
        # payload "" means the parser took the whole block as headers and its blank line as their
        # end; otherwise a line that is no header started the body earlier: parse the message whole
        if message.get_payload() != "":
            return email.message_from_bytes(data)
    else:
        first: dict[str, tuple[str, str]] = {}
        for name, value in fields:
            first.setdefault(name.lower(), (name, value))
        if "content-type" not in first and "content-transfer-encoding" not in first:
            return _PlainMessage(first, data[end:])
        message = email.message.Message()  # what the parser makes (compat32)
        for name, value in fields:
            message.set_raw(name, value)
    if message.get_content_maintype() not in ("multipart", "message"):
        message.set_payload(data[end:].decode("ascii", "surrogateescape"))  # as BytesParser does
        return message
    return email.message_from_bytes(data)


def _messages(path: Path, source: str):
    """Each message of the file in turn, parsed; only one is held at a time."""
    try:
        with open(path, "rb") as handle:
            for data in _split_messages(handle):
                yield _parse(data)
    except OSError as error:
        raise TableError(source, f"the file cannot be read ({error.strerror or error}).",
                         f"check that it is {IMPORTERS['mbox']} you may read, and give it again.") from None


def read(path) -> RawExport:
    path = Path(path)
    source = str(path)
    if not path.exists():
        raise TableError(source, "there is no such file.", f"give the path of {IMPORTERS['mbox']}.")
    if path.is_dir():
        raise TableError(source, "this is a folder; an mbox is one file.",
                         f"give the path of {IMPORTERS['mbox']}.")
    if os.path.getsize(path) == 0:
        raise TableError(source, "the file is empty.", f"expected {IMPORTERS['mbox']}.")
    with open(path, "rb") as handle:
        start = handle.read(5)
    if start != b"From ":
        found = detect_kind(path)
        what = f"it looks like {IMPORTERS[found]}" if found else \
            "it does not start with a 'From ' line as an mbox file does"
        raise TableError(source, f"expected {IMPORTERS['mbox']}, but {what}.",
                         "export the mail folder as mbox, or import the file with its own kind.")
    aliases: dict[str, set[str]] = {}
    names: set[str] = set()
    parsed = []
    seen: set[str] = set()
    named: set[tuple[str, str]] = set()  # (field, header) whose people are in aliases and names
    number = -1
    for number, message in enumerate(_messages(path, source)):
        from_header, to_header = _header(message, "From"), _header(message, "To")
        sender_name, sender = _parse_address(from_header)
        recipients = _parse_addresses(to_header)
        date = message.get("Date")
        try:
            when = email.utils.parsedate_to_datetime(str(date)) if date else None
        except (TypeError, ValueError):
            when = None
        if not sender or when is None:
            continue
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        sender = sender.lower()
        # the same header always adds the same names: each distinct one is added once
        for field, people in ((("From", from_header), ((sender_name, sender),)),
                              (("To", to_header), recipients)):
            if field in named:
                continue
            named.add(field)
            for name, address in people:
                if address:
                    aliases.setdefault(address.lower(), set()).update([name] if name else [])
                if name:
                    names.add(name)
        message_id = str(message.get("Message-ID") or "").strip() or f"<message-{number}@mbox>"
        if message_id in seen:  # the same mail saved twice is one event
            continue
        seen.add(message_id)
        in_reply_to = str(message.get("In-Reply-To") or "").strip().split()
        references = str(message.get("References") or "").split()
        parsed.append(dict(message_id=message_id, sender=sender, when=when,
                           to=[a.lower() for _, a in recipients if a],
                           parent=(in_reply_to[:1] or references[-1:] or [None])[0],
                           text=_body(message)))
    sender_of = {m["message_id"]: m["sender"] for m in parsed}
    rows = []
    for m in parsed:
        base = dict(event_id=m["message_id"], timestamp=m["when"].isoformat(), actor=m["sender"],
                    text=m["text"])
        if m["parent"] and m["parent"] in sender_of:
            rows.append(dict(base, target=sender_of[m["parent"]], kind="reply", parent_id=m["parent"]))
        elif m["to"]:
            rows.append(dict(base, target=m["to"][0], kind="dm", parent_id=m["parent"]))
        else:
            rows.append(dict(base, target=None, kind="post", parent_id=None))
    if not rows and number < 0:  # not one From line led to a message
        raise TableError(source, "the file holds no mail messages.", f"expected {IMPORTERS['mbox']}.")
    return RawExport("mbox", events_frame(rows, source), aliases=aliases, names=names)
