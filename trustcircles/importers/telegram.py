"""Telegram Desktop export in JSON (Settings > Advanced > Export Telegram data, or a chat's ... >
Export chat history; choose "Machine-readable JSON").

The export is ``result.json`` (in a folder such as ``DataExport_2025-03-10/`` or
``ChatExport_2025-03-10/``, which may be zipped). Layout (Telegram Desktop's exporter, as documented
by the tg-parser and telegram-analysis readers, see datasets/examples/README.md):

* a whole-account export: ``personal_information`` (the owner: ``user_id``, names, ``username``,
  ``phone_number``), ``contacts.list`` (names and phone numbers) and ``chats.list``, each chat with
  ``name``, ``type`` and ``messages``; a single-chat export: one such chat at the top level;
* a message: ``id``, ``type`` (``message`` or ``service``), ``date`` and ``date_unixtime``, ``from``
  and ``from_id`` (``user123``), ``text`` (a string or a list of strings and entities) and, for a
  reply, ``reply_to_message_id``.

Accounts are ``from_id`` values (``user123``); display names and usernames are their aliases. The
owner is ``personal_information``'s user; in a single-chat export of a personal chat, the chat's
``id`` is the other person, so the owner is the one who is not.

Mapping (service messages, saved messages and chats with bots are left out):

* a message with ``reply_to_message_id`` naming a message of the same chat -> ``reply`` to that
  message's author, parent that message;
* in a personal chat, any other message -> ``dm`` to the other person;
* in a group, any other message -> ``dm`` to the author of the latest earlier message by someone
  else (the first, with nobody to answer yet, a ``post``);
* in a channel, every message -> ``post`` (a channel broadcasts).

Times are ``date_unixtime`` (UTC). The chat's name is kept in a ``conversation`` column, scrubbed
like the text. The export holds both sides.
"""
from __future__ import annotations

import pandas as pd

from trustcircles.data import TableError
from trustcircles.importers import IMPORTERS, Archive, RawExport, chat_targets, wrong_kind

SKIPPED_CHATS = {"saved_messages", "bot_chat"}
CHANNELS = {"public_channel", "private_channel"}
PERSONAL = {"personal_chat"}


def _text(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(v if isinstance(v, str) else str(v.get("text", "")) for v in value
                       if isinstance(v, (str, dict)))
    return ""


def read(path) -> RawExport:
    archive = Archive(path, "telegram")
    try:
        members = [m for m in archive.members if m.rsplit("/", 1)[-1] == "result.json"]
        if not members and archive.is_single_file and archive.path.suffix.lower() == ".json":
            members = list(archive.members)
        if not members:
            raise wrong_kind(archive.source, "telegram", "no result.json found", path)
        exports = [archive.read_json(m) for m in members]
    finally:
        archive.close()
    chats, owner_info, contacts = [], {}, []
    for data in exports:
        if not isinstance(data, dict):
            raise TableError(archive.source, "result.json does not hold a Telegram export object.",
                             "export again from Telegram Desktop with the format 'Machine-readable JSON'.")
        if isinstance(data.get("chats"), dict):
            chats += [c for c in data["chats"].get("list") or [] if isinstance(c, dict)]
            if isinstance(data.get("left_chats"), dict):
                chats += [c for c in data["left_chats"].get("list") or [] if isinstance(c, dict)]
        elif isinstance(data.get("messages"), list):
            chats.append(data)
        else:
            raise TableError(archive.source, "result.json holds neither chats nor messages (this "
                             "is not a Telegram Desktop JSON export).",
                             "export again from Telegram Desktop with the format 'Machine-readable JSON'.")
        if isinstance(data.get("personal_information"), dict):
            owner_info = data["personal_information"]
        if isinstance(data.get("contacts"), dict):
            contacts += [c for c in data["contacts"].get("list") or [] if isinstance(c, dict)]
    return _build(chats, owner_info, contacts, archive.source)


def _build(chats, owner_info, contacts, source) -> RawExport:
    aliases: dict[str, set[str]] = {}
    names: set[str] = set()
    phrases: set[str] = set()
    handles: set[str] = set()
    owners: set[str] = set()
    if owner_info.get("user_id"):
        owner = f"user{owner_info['user_id']}"
        owners.add(owner)
        full = " ".join(str(owner_info.get(k) or "") for k in ("first_name", "last_name")).strip()
        aliases[owner] = {v for v in (full, owner_info.get("username"), owner_info.get("phone_number"),
                                      str(owner_info["user_id"])) if v}
        if full:
            names.add(full)
    for contact in contacts:
        full = " ".join(str(contact.get(k) or "") for k in ("first_name", "last_name")).strip()
        if full:
            names.add(full)
        if contact.get("phone_number"):
            phrases.add(str(contact["phone_number"]))
    columns = {k: [] for k in ("event_id", "timestamp", "actor", "target", "kind", "parent_id",
                               "text", "conversation")}
    personal_peers = []
    for chat in chats:
        kind_of_chat = str(chat.get("type") or "")
        if kind_of_chat in SKIPPED_CHATS:
            continue
        title = str(chat.get("name") or "chat")
        chat_id = chat.get("id")
        messages = [m for m in chat.get("messages") or []
                    if isinstance(m, dict) and m.get("type") == "message" and m.get("from_id")]
        messages.sort(key=lambda m: (int(m.get("date_unixtime") or 0), int(m.get("id") or 0)))
        author = {m.get("id"): str(m["from_id"]) for m in messages}
        actors = [str(m["from_id"]) for m in messages]
        for message in messages:
            actor = str(message["from_id"])
            known = aliases.setdefault(actor, set())
            if message.get("from"):
                known.add(str(message["from"]))
                names.add(str(message["from"]))
            for entity in message.get("text_entities") or (message.get("text") if isinstance(message.get("text"), list) else []):
                if isinstance(entity, dict) and entity.get("type") in ("mention", "mention_name"):
                    handles.add(str(entity.get("text", "")).lstrip("@"))
        participants = list(dict.fromkeys(actors))
        if kind_of_chat in PERSONAL and chat_id is not None:
            peer = f"user{chat_id}"
            if peer not in participants:
                participants.append(peer)
            aliases.setdefault(peer, set()).add(title)
            names.add(title)
            personal_peers.append((peer, set(participants) - {peer}))
        if kind_of_chat in CHANNELS:
            targets, kinds = [None] * len(actors), ["post"] * len(actors)
        else:
            targets, kinds = chat_targets(actors, participants, kind_of_chat not in PERSONAL)
        for message, actor, target, kind in zip(messages, actors, targets, kinds):
            parent = message.get("reply_to_message_id")
            parent_id = None
            if parent is not None and parent in author and kind_of_chat not in CHANNELS:
                target, kind, parent_id = author[parent], "reply", f"{chat_id}:{parent}"
            columns["event_id"].append(f"{chat_id}:{message.get('id')}")
            columns["timestamp"].append(message.get("date_unixtime") or message.get("date"))
            columns["actor"].append(actor)
            columns["target"].append(target)
            columns["kind"].append(kind)
            columns["parent_id"].append(parent_id)
            columns["text"].append(_text(message.get("text")))
            columns["conversation"].append(title)
    if not columns["event_id"]:
        raise TableError(source, f"the export holds no messages that could be imported (expected "
                         f"{IMPORTERS['telegram']}).", "check that the export includes your chats.")
    if not owners:  # a single personal chat: the one who is not its peer is the owner
        others = {frozenset(rest) for _, rest in personal_peers}
        if len(others) == 1 and len(next(iter(others))) == 1:
            owners = set(next(iter(others)))
    frame = pd.DataFrame(columns)
    stamps = frame["timestamp"].astype(str)
    numeric = pd.to_numeric(stamps, errors="coerce")
    times = pd.to_datetime(numeric, unit="s", utc=True)
    if numeric.isna().any():  # only "date": local time without a zone, kept as it is
        times = times.fillna(pd.to_datetime(stamps.where(numeric.isna()), format="ISO8601", utc=True,
                                            errors="coerce"))
    if times.isna().any():
        first = frame[times.isna()].iloc[0]
        raise TableError(source, f"message {first['event_id']} has no readable date "
                         f"({first['timestamp']!r}).", "give the export exactly as Telegram made it.")
    frame["timestamp"] = times
    return RawExport("telegram", frame, aliases=aliases, names=names, owners=owners,
                     phrases=phrases, handles=handles, scrub_columns=("conversation",))
