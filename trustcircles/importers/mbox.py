"""A mail folder in mbox format (Thunderbird, Apple Mail export, Google Takeout's ``.mbox``).

Read with the standard library's :mod:`mailbox`. Accounts are e-mail addresses (lower case);
``--me`` is your address (or your name as it appears in From:).

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

import email.utils
import mailbox
import os
import re
from email.header import decode_header, make_header
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
    try:
        return str(make_header(decode_header(str(value))))
    except Exception:  # a malformed encoded word: keep the raw header rather than fail
        return str(value)


@lru_cache(maxsize=1 << 14)
def _parse_address(header: str) -> tuple[str, str]:
    # a mail folder names the same few people over and over: each distinct header is parsed once
    return email.utils.parseaddr(header)


@lru_cache(maxsize=1 << 14)
def _parse_addresses(header: str) -> tuple[tuple[str, str], ...]:
    return tuple(email.utils.getaddresses([header]))


def _body(message) -> str:
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
    box = mailbox.mbox(path, create=False)
    messages = []
    try:
        for message in box:
            messages.append(message)
    finally:
        box.close()

    aliases: dict[str, set[str]] = {}
    names: set[str] = set()
    parsed = []
    seen: set[str] = set()
    for number, message in enumerate(messages):
        sender_name, sender = _parse_address(_header(message, "From"))
        recipients = list(_parse_addresses(_header(message, "To")))
        date = message.get("Date")
        try:
            when = email.utils.parsedate_to_datetime(str(date)) if date else None
        except (TypeError, ValueError):
            when = None
        if not sender or when is None:
            continue
        if when.tzinfo is None:
            when = when.replace(tzinfo=__import__("datetime").timezone.utc)
        sender = sender.lower()
        for name, address in [(sender_name, sender)] + recipients:
            if address:
                aliases.setdefault(address.lower(), set()).update([name] if name else [])
            if name:
                names.add(name)
        message_id = (message.get("Message-ID") or "").strip() or f"<message-{number}@mbox>"
        if message_id in seen:  # the same mail saved twice is one event
            continue
        seen.add(message_id)
        in_reply_to = (message.get("In-Reply-To") or "").strip().split()
        references = (message.get("References") or "").split()
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
    if not rows and not messages:
        raise TableError(source, "the file holds no mail messages.", f"expected {IMPORTERS['mbox']}.")
    return RawExport("mbox", events_frame(rows, source), aliases=aliases, names=names)
