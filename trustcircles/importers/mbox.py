"""A mail folder in mbox format (Thunderbird, Apple Mail export, Google Takeout's ``.mbox``).

Accounts are e-mail addresses (lower case); ``--me`` is your address (or your name as it appears
in From:), given once per address you use; ``+`` aliases of an address are the same mailbox.
A Google Takeout ``.zip`` is read as downloaded: every ``.mbox`` in it (``Takeout/Mail/All mail
Including Spam and Trash.mbox``) is read, a mail saved in two of them counts once. A folder is read
the same way.

**Whose it is.** The sender of every mail Gmail labels ``Sent`` and every ``Delivered-To:`` address
are the owner's: then ``--me`` must be one of them (or left out). A file with neither (most mail
programs' exports) names no owner, and ``--me`` must name exactly one correspondent.

**What is left out, what is a broadcast** (Gmail's ``X-Gmail-Labels`` header and the standard
list and bulk headers):

* left out: mail labelled ``Spam``, ``Trash`` or ``Draft``/``Drafts`` (junk, deleted, never sent),
  automatic replies (``Auto-Submitted: auto-replied``: out-of-office notes are nobody answering),
  and mail without a ``Date:`` or a ``From:``;
* kept as a broadcast, a ``post`` by its sender with no target: newsletters, notifications and
  list mail, that is mail labelled ``Category Promotions``, ``Category Updates``,
  ``Category Social`` or ``Category Forums``, or with a ``List-Id:`` or ``List-Unsubscribe:``
  header, ``Precedence: bulk``/``list``/``junk``, or ``Auto-Submitted: auto-generated``. A sender
  who writes to everyone talks to nobody in particular; an answer to it still counts (below).

Reading, in one streaming pass (one message in memory at a time): the file is split into messages
on its ``From `` lines exactly as the standard library's :class:`mailbox.mbox` splits it on a system
with ``\n`` line ends (a line starting with ``From `` starts a message; the blank line before it
belongs to the separator; a quoted ``>From `` line is body text and is kept as it is, as ``mailbox``
keeps it). Only the header block of a message is parsed: a block of plain ``Name: value`` fields
is split as the stdlib's compat32 parser splits it, any other block goes to
:class:`email.parser.BytesHeaderParser` itself. A single-part body is attached as it stands and
decoded by :meth:`email.message.Message.get_payload` (quoted-printable, base64, charsets), or, with
neither ``Content-Type`` nor ``Content-Transfer-Encoding``, read directly as UTF-8 text, which is
what that method and :func:`_body` make of it. A multipart body is cut into its parts at its
boundary lines as the stdlib's feed parser cuts it (the line end before a boundary belongs to the
boundary, the preamble and epilogue are not parts), each part read the same way, nested
multiparts too; anything unusual (no boundary, no first boundary line, two boundary lines in a
row, a lone carriage return, a ``message/*`` part) is parsed whole by
:func:`email.message_from_bytes`, as :mod:`mailbox` would. Headers, texts and so the table are the
same as parsing every message in full (the tests compare the two), at a fraction of the cost.

Mapping, one message at a time:

* a message whose ``In-Reply-To`` (or, failing that, the last of its ``References``) names a message
  in this file -> ``reply``, target = that message's sender, parent = that message;
* a broadcast (above) -> ``post``;
* any other message -> ``dm`` to its first recipient (``To:``, else ``Cc:``, else ``Bcc:``: a mail
  you sent only in Bcc still went to someone). One row per message, not per recipient: a mail to
  twenty people is one message, and counting it twenty times would invent nineteen conversations;
  if it answers a message that is not in the file, that message is the parent. A message with no
  recipient at all is a ``post``.

Text is the first ``text/plain`` part that is not an attachment, or, for HTML-only mail, the first
``text/html`` part as plain text (style sheets and markup dropped), with quoted lines (``> ...``)
removed. Names in ``From:``, ``To:``, ``Cc:``, ``Bcc:``, ``Reply-To:`` and ``Sender:`` are scrubbed
from all text. The same ``Message-ID`` twice counts once.
"""
from __future__ import annotations

import base64
import binascii
import email
import email.message
import email.utils
import os
import quopri
import re
from datetime import timezone
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from email.policy import compat32
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from trustcircles.data import TableError
from trustcircles.importers import IMPORTERS, Archive, RawExport, detect_kind, html_to_text

_QUOTED = re.compile(r"(?m)^[ \t]*>.*\n?")


def _header(message, name: str) -> str:
    value = message.get(name)
    if value is None:
        return ""
    return _decoded_header(str(value))


@lru_cache(maxsize=1 << 14)
def _decoded_header(value: str) -> str:
    # the same From: and To: headers come back over and over: each distinct one is decoded once
    if not value:
        return ""
    try:
        return str(make_header(decode_header(value)))
    except Exception:  # a malformed encoded word: keep the raw header rather than fail
        return value


# "Ann Lee <ann.lee@example.org>" or "ann@example.org": a name of letters and digits in words
# joined by single spaces, an address of plain characters. email.utils reads these as the name
# and the address as they stand (a test compares the two on many made-up headers); anything
# else (quotes, comments, groups, several addresses, encoded words) goes to email.utils.
_SIMPLE_ADDRESS = re.compile(r"(?:([A-Za-z0-9]+(?: [A-Za-z0-9]+)*) <)?"
                             r"([A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)(?(1)>)")


@lru_cache(maxsize=1 << 14)
def _parse_address(header: str) -> tuple[str, str]:
    # a mail folder names the same few people over and over: each distinct header is parsed once
    simple = _SIMPLE_ADDRESS.fullmatch(header)
    if simple:
        return simple.group(1) or "", simple.group(2)
    return email.utils.parseaddr(header)


@lru_cache(maxsize=1 << 14)
def _parse_addresses(header: str) -> tuple[tuple[str, str], ...]:
    simple = _SIMPLE_ADDRESS.fullmatch(header)
    if simple:
        return ((simple.group(1) or "", simple.group(2)),)
    return tuple(email.utils.getaddresses([header]))


def _walk(message):
    """The parts of a message in the order :meth:`email.message.Message.walk` gives them."""
    if isinstance(message, _Fast):
        yield message
        if message.parts is not None:
            for number in range(len(message.parts)):
                yield from _walk(message.part(number))
    else:
        yield from message.walk()


def _is_attachment(part) -> bool:
    return str(part.get("Content-Disposition") or "").strip().lower().startswith("attachment")


def _payload_text(part) -> str:
    if isinstance(part, _Fast):
        payload, charset = part.decoded_payload(), part.charset()
    else:
        payload = part.get_payload(decode=True) or b""
        charset = part.get_content_charset()
    try:
        return payload.decode(charset or "utf-8", errors="replace")
    except LookupError:
        return payload.decode("utf-8", errors="replace")


def _body(message) -> str:
    """The text of a mail: its first text/plain part (not an attachment), or else its first
    text/html part as plain text; quoted lines removed."""
    if isinstance(message, _Fast) and message.parts is None:  # one part: what the walk below finds
        if message.plain:
            text = message.body.decode("utf-8", errors="replace")
        else:
            kind = message.get_content_type()
            if kind not in ("text/plain", "text/html"):
                return ""
            text = _payload_text(message)
            if kind == "text/html":
                text = html_to_text(text)
        return (_QUOTED.sub("", text) if ">" in text else text).strip()
    plain = html = None
    for number, part in enumerate(_walk(message)):
        if part.is_multipart() or (number and _is_attachment(part)):
            continue
        kind = part.get_content_type()
        if kind == "text/plain":
            plain = part
            break
        if kind == "text/html" and html is None:
            html = part
    if plain is not None:
        text = _payload_text(plain)
    elif html is not None:
        text = html_to_text(_payload_text(html))
    else:
        return ""
    return (_QUOTED.sub("", text) if ">" in text else text).strip()


_BLOCK = 1 << 20  # bytes read at a time
_SEPARATOR = b"\nFrom "
_HEADER_PARSER = BytesHeaderParser()  # policy compat32, the policy mailbox.mbox parses with


def _split_messages(handle, offsets: bool = False, base: int = 0):
    """The bytes of each message in an open mbox file, in order, read a block at a time.

    Delimited exactly as :meth:`mailbox.mbox._generate_toc` and ``get_message`` delimit them on a
    system whose line ending is ``\\n``: every line starting with ``From `` starts a message (the
    line itself is not part of it); the message runs to the next such line or the end of the file,
    less the last line if that line is empty. Text before the first ``From `` line is not a message.
    With ``offsets``, (where its From line starts, counted from ``base``, bytes) pairs.
    """
    pending = handle.read(_BLOCK)
    start = 0 if pending.startswith(b"From ") else None  # where the current message's From line is
    search = 0
    dropped = base  # bytes of the file before pending[0]
    at_end = not pending
    while True:
        cut = pending.find(_SEPARATOR, search)
        if cut >= 0:
            if start is not None:
                data = _content(pending, start, cut + 1)
                yield (dropped + start, data) if offsets else data
            start = search = cut + 1
            continue
        if at_end:
            if start is not None:
                data = _content(pending, start, len(pending))
                yield (dropped + start, data) if offsets else data
            return
        block = handle.read(_BLOCK)
        at_end = not block
        if start is None:  # still before the first From line: keep only what a separator needs
            keep = max(0, len(pending) - len(_SEPARATOR) + 1)
            pending, search = pending[keep:] + block, 0
            dropped += keep
        else:
            # a separator may straddle the two blocks: search again from its longest possible start
            search = max(start, len(pending) - len(_SEPARATOR) + 1) - start
            pending, dropped, start = pending[start:] + block, dropped + start, 0


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
    blank = data.find(b"\n\n")
    # a CRLF blank line counts only before the first LF one (it ends before that one's end): look
    # no further, not through the whole body
    crlf = data.find(b"\n\r\n", 0, len(data) if blank < 0 else blank + 1)
    if crlf >= 0:
        return crlf + 3
    return blank + 2 if blank >= 0 else len(data)


# A header block of plain fields, each a name, ":" and a value on one line or folded onto lines
# starting with a space or tab, each line ending in "\n" or "\r\n", then the empty line. Characters
# that str.splitlines() would also take as a line end (\r alone, \v, \f, \x1c-\x1e) are not
# allowed: the stdlib parser splits lines on them, so such a block goes to the stdlib parser.
_PLAIN_BLOCK = re.compile(rb"(?:[\x21-\x39\x3b-\x7e]+:[^\r\n\x0b\x0c\x1c-\x1e]*\r?\n"
                          rb"(?:[ \t][^\r\n\x0b\x0c\x1c-\x1e]*\r?\n)*)*\r?\n")
# a field: its name, then its value without the spaces after the ":" and without its last line end
_FIELD = re.compile(r"([^:\n]+):[ \t]*([^\n]*(?:\n[ \t][^\n]*)*)\n")
# a whole plain field of an LF block, from the start of a line to the line end after its value and
# its folded lines, in a block that holds no CR nor any other line end than LF (_OTHER_LINE_ENDS):
# the name is what _PLAIN_BLOCK allows, so a line that is no such field leaves one field fewer than
# the block has field lines
_LF_FIELD = re.compile(r"(?m)^([\x21-\x39\x3b-\x7e]+):[ \t]*([^\n]*(?:\n[ \t][^\n]*)*)\n(?![ \t])")
_OTHER_LINE_ENDS = b"\r\x0b\x0c\x1c\x1d\x1e"


def _plain_fields(block: bytes) -> list[tuple[str, str]] | None:
    """The (name, value) headers of a plain header block, exactly as ``BytesHeaderParser`` reads them.

    For a block that ``_PLAIN_BLOCK`` matches, the stdlib parser (compat32) makes each field one
    header whose name is the text before the ":" and whose value is the rest with the spaces and
    tabs after the ":" removed, its folded lines joined as they are and the line ends at its end
    removed (``email._policybase.Compat32.header_source_parse``). Doing just that here takes a
    fraction of the time; any other block (``None``) goes to the stdlib parser. A test compares
    the two on every kind of block the generator of the tests makes.

    An LF block (the usual case) is checked without a second regex pass over it: with no other line
    end than LF in it, ``_LF_FIELD`` matches only whole valid fields at line starts, so the block is
    plain when it ends in its empty line and every line that is not folded (nor that empty line)
    starts one of the fields found.
    """
    if (block.endswith(b"\n\n") or block == b"\n") and \
            len(block.translate(None, _OTHER_LINE_ENDS)) == len(block):
        fields = _LF_FIELD.findall(block.decode("ascii", "surrogateescape"))
        if len(fields) == block.count(b"\n") - 1 - block.count(b"\n ") - block.count(b"\n\t"):
            return fields
    return _checked_fields(block)


def _checked_fields(block: bytes) -> list[tuple[str, str]] | None:
    """:func:`_plain_fields` of any block (CRLF too), checked against ``_PLAIN_BLOCK`` first."""
    if _PLAIN_BLOCK.fullmatch(block) is None:
        return None
    fields = _FIELD.findall(block.decode("ascii", "surrogateescape"))
    # a CRLF line end leaves its CR (the only one a plain block may hold at a value's end)
    return [(name, value.rstrip("\r")) for name, value in fields] if b"\r" in block else fields


# a boundary parameter of plain characters (RFC 2046's bchars less the space), quoted or not
_SIMPLE_BOUNDARY = re.compile(r"""(?i)(;[ \t]*boundary=)("?)([A-Za-z0-9'()+_,./:=?-]{1,70})\2(?=[ \t]*(?:;|$))""")


def _content_info(value: str | None) -> tuple[str, str | None, str | None]:
    """(content type, charset, boundary) of a raw ``Content-Type`` value, exactly as
    :class:`email.message.Message` reads them.

    Every multipart mail has a boundary of its own, so a plain boundary is set aside and the rest
    of the value (``multipart/alternative; boundary="X"``) read once for all mails that share it.
    """
    if value is None:
        return "text/plain", None, None
    if "oundary" in value and value.isascii():
        match = _SIMPLE_BOUNDARY.search(value)
        if match and match.group(3) != "X" and _SIMPLE_BOUNDARY.search(value, match.end()) is None:
            template = value[:match.start(3)] + "X" + value[match.end(3):]
            content_type, charset, boundary = _read_content_type(template)
            if boundary == "X":
                return content_type, charset, match.group(3)
    return _read_content_type(value)


@lru_cache(maxsize=1 << 12)
def _read_content_type(value: str) -> tuple[str, str | None, str | None]:
    message = email.message.Message()
    message.set_raw("Content-Type", value)
    return message.get_content_type(), message.get_content_charset(), message.get_boundary()


class _Fast:
    """A message (or part) whose header block is plain fields, read without the stdlib parser.

    ``get`` is :meth:`email.message.Message.get`: the first header of that name, any case, through
    the compat32 policy (a value with 8-bit bytes becomes a ``Header``); ``get_all`` every one;
    ``text`` the ``str`` of ``get``. ``headers``: lower-case name -> raw value of the first header
    of each name, which is what ``text`` gives when ``ascii`` (no value holds an 8-bit byte).
    ``info``: (content type, charset, boundary), read once. A single part keeps its body bytes
    (``body``); a multipart its parts (``parts``), each cut out as bytes and read the same way when
    the walk first reaches it (``part``): the text of most mail is in its first part. ``plain``:
    neither ``Content-Type`` nor ``Content-Transfer-Encoding``, so by RFC 2045 text/plain whose
    bytes stand as they are (decoded as UTF-8, like a part without a charset).
    """
    __slots__ = ("_all", "headers", "ascii", "info", "body", "parts", "plain", "_depth")

    def __init__(self, fields, headers: dict, ascii: bool, info: tuple, body: bytes | None,
                 parts: list | None = None, depth: int = 0):
        self._all = fields
        self.headers = headers
        self.ascii = ascii
        self.info = info
        self.body = body
        self.parts = parts
        self._depth = depth
        self.plain = "content-type" not in headers and "content-transfer-encoding" not in headers

    def _name(self, lower_name: str) -> str:
        """The name of the first header called ``lower_name``, as written."""
        return next(name for name, _ in self._all if name.lower() == lower_name)

    def get(self, name: str, failobj=None):
        value = self.headers.get(name.lower())
        if value is None:
            return failobj
        # compat32 gives an ASCII value back as it is (only 8-bit bytes make a Header)
        return value if value.isascii() else compat32.header_fetch_parse(self._name(name.lower()), value)

    def text(self, lower_name: str) -> str | None:
        value = self.headers.get(lower_name)
        if value is None or value.isascii():
            return value
        return str(compat32.header_fetch_parse(self._name(lower_name), value))

    def get_all(self, name: str, failobj=None):
        name = name.lower()
        found = [compat32.header_fetch_parse(n, v) for n, v in self._all if n.lower() == name]
        return found or failobj

    def is_multipart(self) -> bool:
        return self.parts is not None

    def part(self, number: int):
        """Part ``number`` of a multipart, read when first asked for."""
        part = self.parts[number]
        if part.__class__ is bytes:
            part = self.parts[number] = _parse(part, self._depth + 1)
        return part

    def get_content_type(self) -> str:
        return self.info[0]

    def charset(self) -> str | None:
        return self.info[1]

    def decoded_payload(self) -> bytes:
        """What :meth:`email.message.Message.get_payload` gives with ``decode=True``."""
        encoding = (self.text("content-transfer-encoding") or "").lower()
        if encoding not in ("quoted-printable", "base64", "x-uuencode", "uuencode", "uue", "x-uue"):
            return self.body
        if encoding == "quoted-printable":
            return quopri.decodestring(self.body)  # what get_payload calls
        if encoding == "base64":
            try:  # well-formed base64 decodes the same in one call; anything else goes the long way
                return base64.b64decode(b"".join(self.body.splitlines()), validate=True)
            except (binascii.Error, ValueError):
                pass
        message = email.message.Message()
        message.set_raw(self._name("content-transfer-encoding"), self.headers["content-transfer-encoding"])
        message.set_payload(self.body.decode("ascii", "surrogateescape"))
        return message.get_payload(decode=True) or b""


_LONE_CR = re.compile(rb"\r(?!\n)")


def _split_parts(body: bytes, boundary: str) -> list[bytes] | None:
    """The parts of a multipart body, as the stdlib's feed parser delimits them, or None when the
    body is unusual enough to leave to that parser.

    A boundary line is ``--boundary``, maybe ``--`` after it (the last), maybe spaces or tabs, then
    the line end (or the end of the body). The text before the first one (preamble) and after
    the last (epilogue) is no part; each part loses the one line end before the next boundary.
    """
    try:
        separator = b"--" + boundary.encode("ascii", "surrogateescape")
    except UnicodeEncodeError:
        return None
    if b"\r" in body and _LONE_CR.search(body):
        return None  # the stdlib also ends lines at a lone CR: leave such a body to it
    delimiters = []  # (line start, line end, is the closing one)
    search = 0
    while True:
        found = body.find(separator, search)
        if found < 0:
            break
        search = found + 1
        if found and body[found - 1] != 10:
            continue
        at = found + len(separator)
        closing = body.startswith(b"--", at)
        if closing:
            at += 2
        while at < len(body) and body[at] in (32, 9):
            at += 1
        if at < len(body) and body[at] != 10 and not body.startswith(b"\r\n", at):
            continue
        end = at if at >= len(body) else at + (2 if body[at] == 13 else 1)
        delimiters.append((found, end, closing))
        if closing:
            break
        search = end
    if not delimiters or delimiters[0][2]:
        return None
    parts = []
    for (start, end, _), following in zip(delimiters, delimiters[1:] + [None]):
        stop = following[0] if following else len(body)
        if following and stop == end:
            return None  # two boundary lines in a row: the stdlib skips them its own way
        part = body[end:stop]
        if part.endswith(b"\r\n"):
            part = part[:-2]
        elif part.endswith((b"\n", b"\r")):
            part = part[:-1]
        parts.append(part)
        if following is None or following[2]:
            break
    return parts


def _parse(data: bytes, depth: int = 0):
    """One message as :mod:`mailbox` would give it (an :class:`email.message.Message`, compat32),
    or a :class:`_Fast` that reads the same.

    Only the header block of a single part is parsed: the parser would make the rest of the
    message its payload unchanged, so the rest is attached as it is. A multipart body is cut into
    parts at its boundary lines and each part parsed the same way (up to 8 levels deep).
    """
    end = _header_block_end(data)
    block = data[:end]
    fields = _plain_fields(block)
    if fields is None:
        message = _HEADER_PARSER.parsebytes(block)
        # payload "" means the parser took the whole block as headers and its blank line as their
        # end; otherwise a line that is no header started the body earlier: parse the message whole
        if message.get_payload() != "" or message.get_content_maintype() in ("multipart", "message"):
            return email.message_from_bytes(data)
        message.set_payload(data[end:].decode("ascii", "surrogateescape"))  # as BytesParser does
        return message
    # the first field of each name (read backwards, the first one is written last)
    headers = {name.lower(): value for name, value in reversed(fields)}
    info = _content_info(headers.get("content-type"))
    content_type, _, boundary = info
    maintype = content_type.partition("/")[0]
    if maintype not in ("multipart", "message"):
        return _Fast(fields, headers, block.isascii(), info, data[end:])
    if maintype == "multipart" and depth < 8 and content_type != "multipart/digest" and boundary:
        message = _Fast(fields, headers, block.isascii(), info, None, None, depth)
        encoding = message.text("content-transfer-encoding")
        if encoding is None or encoding.lower() in ("7bit", "8bit", "binary"):
            message.parts = _split_parts(data[end:], boundary)
            if message.parts is not None:
                return message
    return email.message_from_bytes(data)


def _messages(handle, source: str, base: int = 0):
    """(offset, message) for each message of an open mbox file in turn, parsed; one at a time."""
    try:
        for offset, data in _split_messages(handle, offsets=True, base=base):
            yield offset, _parse(data)
    except OSError as error:
        raise TableError(source, f"the file cannot be read ({error.strerror or error}).",
                         f"check that it is {IMPORTERS['mbox']} you may read, and give it again.") from None
    except Exception as error:  # a corrupt .zip member (zlib.error, BadZipFile) read a block at a time
        if type(error).__module__ in ("zlib", "zipfile") or "zip" in type(error).__name__.lower():
            raise TableError(source, f"the mail file in the archive cannot be read ({error}); the "
                             "archive may be truncated or corrupt.", "download the export again.") from None
        raise


class _Limited:
    """A file object that ends ``limit`` bytes on (one half of an mbox for each core)."""

    def __init__(self, handle, limit: int | None):
        self._handle, self._left = handle, limit

    def read(self, size: int) -> bytes:
        if self._left is None:
            return self._handle.read(size)
        data = self._handle.read(min(size, self._left))
        self._left -= len(data)
        return data


class _Mail:
    """What the messages of an mbox say, column by column (see :func:`read`)."""

    def __init__(self):
        self.aliases: dict[str, set[str]] = {}
        self.names: set[str] = set()
        self.owners: set[str] = set()
        # one (id, sender, date, first recipient, broadcast, parent, text) per mail kept; read()
        # turns them into columns
        self.rows: list[tuple] = []
        self.messages = 0
        self._named: set[tuple[str, str]] = set()  # (field, header) already in aliases and names
        self._people: dict[tuple[str, ...], tuple[str, list[str]]] = {}

    def add(self, file_number: int, offset: int, message) -> None:
        self.messages += 1
        headers = _header_strings(message)
        get = headers.get
        labels = get("x-gmail-labels")
        labels = _NO_LABELS if labels is None else _label_set(labels)
        if labels and labels & LEFT_OUT_LABELS:
            return
        if "auto-submitted" in headers and \
                headers["auto-submitted"].strip().lower().startswith("auto-replied"):
            return
        key = (get("from", ""), get("to", ""), get("cc", ""), get("bcc", ""), get("reply-to", ""),
               get("sender", ""))  # the _NAME_FIELDS
        people_of_mail = self._people.get(key)
        if people_of_mail is None:  # the same correspondents come back over and over
            people_of_mail = self._people[key] = self._read_people(key)
        sender, recipients = people_of_mail
        date = get("date")
        if not sender or not date:
            return
        if "sent" in labels:
            self.owners.add(sender)
        if "delivered-to" in headers:
            for delivered in _all_values(message, "delivered-to"):
                address = _parse_address(_decoded_header(delivered))[1].lower()
                if address:
                    self.owners.add(address)
                    self.aliases.setdefault(address, set())
        # a mail without a Message-ID is named after where it is in the file
        message_id = get("message-id", "").strip() or f"<message-{file_number}-{offset}@mbox>"
        parent = get("in-reply-to")
        parent = parent.split() if parent is not None else None
        if parent:
            parent = parent[0]
        else:
            references = get("references", "").split()
            parent = references[-1] if references else None
        # a broadcast needs a label or one of the list and bulk headers (most mail has none)
        broadcast = bool(labels or not headers.keys().isdisjoint(_BROADCAST_HEADERS)) and \
            _is_broadcast(headers, labels)
        self.rows.append((message_id, sender, date, recipients[0] if recipients else None,
                          broadcast, parent, _body(message)))

    def _read_people(self, raw: tuple[str, ...]) -> tuple[str, list[str]]:
        """(sender, recipients) of the name headers ``raw`` (From, To, Cc, Bcc, Reply-To, Sender);
        their names and addresses go into ``aliases`` and ``names``."""
        recipients = []
        sender = ""
        for field, value in zip(_NAME_FIELDS, raw):
            header = _decoded_header(value)
            if not header:
                continue
            if field == "from":
                sender_name, sender = _parse_address(header)
                sender = sender.lower()
                people = ((sender_name, sender),)
            else:
                people = _parse_addresses(header)
            if field in _RECIPIENT_FIELDS:
                recipients += [a.lower() for _, a in people if a]
            # the same header always adds the same names: each distinct one is added once
            if (field, header) in self._named:
                continue
            self._named.add((field, header))
            for person, address in people:
                if address:
                    self.aliases.setdefault(address.lower(), set()).update([person] if person else [])
                if person:
                    self.names.add(person)
        return sender, recipients

    def extend(self, other: "_Mail") -> "_Mail":
        for address, people in other.aliases.items():
            self.aliases.setdefault(address, set()).update(people)
        self.names |= other.names
        self.owners |= other.owners
        self.rows.extend(other.rows)
        self.messages += other.messages
        return self


def _read_range(path: str, start: int, stop: int | None, source: str) -> _Mail:
    """The messages whose From lines lie from byte ``start`` of an mbox file to ``stop``."""
    mail = _Mail()
    with open(path, "rb") as handle:
        handle.seek(start)
        for offset, message in _messages(_Limited(handle, None if stop is None else stop - start),
                                         source, base=start):
            mail.add(0, offset, message)
    mail._people, mail._named = {}, set()  # caches: not worth sending back from a child
    return mail


def _middle(path: Path) -> int | None:
    """Where a From line starts near the middle of an mbox file (after a line end), or None."""
    size = os.path.getsize(path)
    with open(path, "rb") as handle:
        handle.seek(size // 2)
        chunk = handle.read(1 << 22)
    found = chunk.find(_SEPARATOR)
    return None if found < 0 else size // 2 + found + 1


def _mail_files(path: Path, source: str):
    """(name, opener) for each mbox file to read: the file itself, or every .mbox in a folder or
    a .zip (a Google Takeout archive as downloaded)."""
    if not path.exists():
        raise TableError(source, "there is no such file.", f"give the path of {IMPORTERS['mbox']}.")
    if path.is_file() and os.path.getsize(path) == 0:
        raise TableError(source, "the file is empty.", f"expected {IMPORTERS['mbox']}.")
    if path.is_file():
        with open(path, "rb") as handle:
            start = handle.read(5)
        if start == b"From ":
            return [(path.name, lambda: open(path, "rb"))], None
        if start[:4] not in (b"PK\x03\x04", b"PK\x05\x06"):
            found = detect_kind(path)
            what = f"it looks like {IMPORTERS[found]}" if found else \
                "it does not start with a 'From ' line as an mbox file does"
            raise TableError(source, f"expected {IMPORTERS['mbox']}, but {what}.",
                             "export the mail folder as mbox, or import the file with its own kind.")
    archive = Archive(path, "mbox")
    files = [m for m in archive.members if m.lower().endswith(".mbox")]
    if not files:
        found = detect_kind(path)
        archive.close()
        if path.is_dir() and found is None:
            raise TableError(source, "this is a folder with no .mbox file in it; an mbox is one file.",
                             f"give the path of {IMPORTERS['mbox']}.")
        if found and found != "mbox":
            raise TableError(source, f"expected {IMPORTERS['mbox']}, but it looks like {IMPORTERS[found]}.",
                             f"import it with: python -m trustcircles import {found} {source} --me ... --out ...")
        listed = ", ".join(sorted({m.split("/")[1] if m.startswith("Takeout/") and m.count("/") > 1
                                   else m.split("/")[0] for m in archive.members})[:6])
        raise TableError(source, f"this archive holds no .mbox mail file (it holds: {listed}).",
                         "if it is a Google Takeout archive, create it again with Mail selected; then "
                         "give the .zip as downloaded, or the file Takeout/Mail/All mail Including "
                         "Spam and Trash.mbox inside it.")
    return [(m, (lambda m=m: archive.open(m))) for m in files], archive


def _header_strings(message) -> dict[str, str]:
    """Lower-case header name -> ``str(message.get(name))``: the first header of each name, as
    :meth:`email.message.Message.get` gives it (compat32), built once per message."""
    if isinstance(message, _Fast):
        return message.headers if message.ascii else {key: message.text(key) for key in message.headers}
    found: dict[str, str] = {}
    for name, value in message.items():
        found.setdefault(name.lower(), str(value))
    return found


def _all_values(message, name: str) -> list[str]:
    """Every header called ``name`` (lower case), as strings."""
    if isinstance(message, _Fast):
        return [str(v) for v in message.get_all(name) or []]
    return [str(v) for v in message.get_all(name) or []]


@lru_cache(maxsize=1 << 12)
def _label_set(value: str) -> frozenset[str]:
    return frozenset(label.strip().strip('"').lower() for label in _LABEL.findall(_decoded_header(value)))


_LABEL = re.compile(r'"[^"]*"|[^,]+')
_NO_LABELS: frozenset[str] = frozenset()
#: the headers that make a mail without a Gmail label a broadcast (see _is_broadcast)
_BROADCAST_HEADERS = frozenset({"list-id", "list-unsubscribe", "precedence", "auto-submitted"})
#: Gmail labels of mail that was never mail between people (junk, deleted, unsent)
LEFT_OUT_LABELS = frozenset({"spam", "trash", "draft", "drafts"})
#: Gmail's categories of newsletters, notifications and list mail: kept as broadcasts
BROADCAST_LABELS = frozenset({"category promotions", "category updates", "category social",
                              "category forums"})
_RECIPIENT_FIELDS = ("to", "cc", "bcc")
_NAME_FIELDS = ("from", "to", "cc", "bcc", "reply-to", "sender")


def _is_broadcast(headers: dict[str, str], labels: frozenset[str]) -> bool:
    if labels and labels & BROADCAST_LABELS:
        return True
    if "list-id" in headers or "list-unsubscribe" in headers:
        return True
    if "precedence" in headers and headers["precedence"].strip().lower() in ("bulk", "list", "junk"):
        return True
    return headers.get("auto-submitted", "").strip().lower().startswith("auto-generated")


_DATE_FORMAT = "%a, %d %b %Y %H:%M:%S %z"


def _times(dates: list[str]) -> np.ndarray:
    """The UTC time of each Date: header (NaT if unreadable), as datetime64[s]: parsed together by
    Arrow where they have the usual form, one by one (as :func:`email.utils.parsedate_to_datetime`)
    otherwise (obsolete zones such as ``GMT``, comments, two-digit years)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    parsed = pc.strptime(pa.array(dates, pa.string()), format=_DATE_FORMAT, unit="s",
                         error_is_null=True)
    out = parsed.cast(pa.int64()).to_numpy(zero_copy_only=False).astype("float64")
    for number in np.flatnonzero(np.isnan(out)):
        date = dates[number]
        try:
            when = email.utils.parsedate_to_datetime(date) if date else None
        except (TypeError, ValueError, IndexError, OverflowError):
            when = None
        if when is not None:
            if when.tzinfo is None:
                when = when.replace(tzinfo=timezone.utc)
            out[number] = when.timestamp()
    seconds = np.where(np.isnan(out), np.iinfo(np.int64).min, np.round(out)).astype(np.int64)
    return seconds.astype("datetime64[s]")


#: an mbox file this large is read in two halves, one on each core (see .parallel)
PARALLEL_BYTES = 16 << 20


def read(path) -> RawExport:
    from trustcircles.importers import parallel
    path = Path(path)
    source = str(path)
    files, archive = _mail_files(path, source)
    middle = None
    if archive is None and path.stat().st_size >= PARALLEL_BYTES and parallel.available():
        middle = _middle(path)
    if middle is not None:  # the second half in a child process while this one reads the first
        second = parallel.in_child(_read_range, str(path), middle, None, source,
                                   items=parallel.MIN_ITEMS)
        mail = _read_range(str(path), 0, middle, source).extend(second.result())
    else:
        mail = _Mail()
        try:
            for file_number, (name, opener) in enumerate(files):
                with opener() as handle:
                    for offset, message in _messages(handle, source):
                        mail.add(file_number, offset, message)
        finally:
            if archive is not None:
                archive.close()
    if mail.messages == 0:  # not one From line led to a message
        raise TableError(source, "the file holds no mail messages.", f"expected {IMPORTERS['mbox']}.")
    ids, senders, dates, firsts, broadcasts, parents, texts = (
        list(column) for column in zip(*mail.rows)) if mail.rows else ([],) * 7
    aliases, names, owners = mail.aliases, mail.names, mail.owners
    times = _times(dates)
    readable = ~np.isnat(times)
    keep = []  # the mails with a readable date, the first of each Message-ID
    seen: set[str] = set()
    for number, message_id in enumerate(ids):
        if readable[number] and message_id not in seen:  # the same mail saved twice is one event
            seen.add(message_id)
            keep.append(number)
    sender_of = {ids[n]: senders[n] for n in keep}
    targets, kinds, parent_ids = [], [], []
    for number in keep:
        parent = parents[number]
        if parent and parent in sender_of:
            targets.append(sender_of[parent]), kinds.append("reply"), parent_ids.append(parent)
        elif broadcasts[number] or firsts[number] is None:
            targets.append(None), kinds.append("post"), parent_ids.append(None)
        else:
            targets.append(firsts[number]), kinds.append("dm"), parent_ids.append(parent)
    frame = pd.DataFrame({
        "event_id": [ids[n] for n in keep],
        "timestamp": pd.to_datetime(times[keep]).tz_localize("UTC"),
        "actor": [senders[n] for n in keep], "target": targets, "kind": kinds,
        "parent_id": parent_ids, "text": [texts[n] for n in keep]})
    return RawExport("mbox", frame, aliases=aliases, names=names, owners=owners)
