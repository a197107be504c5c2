"""Facebook Messenger or Instagram messages from "Download your information" (format: JSON).

Request it in the Accounts Centre > Your information and permissions > Download your information
(choose JSON, and at least Messages). The download is a .zip or the folder it unpacks to; its
messages sit in one folder per conversation (layout: Meta's help pages and the field lists of the
fbmessenger and facebook-data-export readers, see datasets/examples/README.md):

* ``messages/inbox/<name>_<number>/message_1.json`` (``message_2.json``... for long ones), also
  ``archived_threads/``, ``filtered_threads/`` and ``message_requests/`` beside ``inbox/``; newer
  downloads put ``messages/`` under ``your_facebook_activity/`` (Facebook) or
  ``your_instagram_activity/`` (Instagram);
* each file: ``participants`` (names), ``title``, ``thread_path`` and ``messages``, newest first,
  each with ``sender_name``, ``timestamp_ms``, ``content`` and a ``type`` (``Generic``, ``Share``,
  ``Call``, ``Subscribe``, ``Unsubscribe``...);
* the owner: ``personal_information/profile_information/profile_information.json`` (Facebook)
  or ``personal_information/personal_information/personal_information.json`` (Instagram).

Every string in these files is UTF-8 written as if it were Latin-1 (``CafÃ©`` for ``Café``,
``Ã°ÂŸÂ˜Â€`` for an emoji): it is repaired before anything else.

Accounts are the names the export shows (it gives no ids). The owner is the profile's name, or,
without a profile file, the one person in every conversation (when there are two or more).

Mapping: ``Generic`` and ``Share`` messages by somebody (calls, joins and leaves are left out, and
so are the notices Messenger writes in the name of whoever changed a group, "Ann named the group
Picnic.", recognised in English; a photo or a shared link without words is still a turn, with
empty text): in a conversation of two,
a ``dm`` to the other; in a group, a ``dm`` to the author of the latest earlier message by someone
else (the first, with nobody to answer yet, a ``post``). The conversation's title is kept in a
``conversation`` column, scrubbed like the text. The export holds both sides.
"""
from __future__ import annotations

import re

import pandas as pd

from trustcircles.data import TableError
from trustcircles.importers import (IMPORTERS, Archive, RawExport, chat_targets, repair_mojibake,
                                    wrong_kind)

_THREAD_FILE = re.compile(r"(?:^|/)messages/(inbox|archived_threads|filtered_threads|message_requests|"
                          r"e2ee_cutover)/([^/]+)/message_(\d+)\.json$")
KEPT_TYPES = {"Generic", "Share", None}


#: what Messenger writes, as a message of the person who did it, when a group changes (English)
_NOTICES = ("named the group", "changed the group photo", "set the nickname", "set your nickname",
            "added ", "removed ", "left the group", "created the group", "changed the theme",
            "changed the chat theme", "set the emoji", "started a video call", "started a call",
            "started sharing video", "joined the video chat", "joined the call", "sent an attachment",
            "unsent a message", "pinned a message", "reacted ")
_YOU = ("You ",)


def _is_notice(sender: str, content: str) -> bool:
    """A group notice ("Ann named the group Picnic.") rather than something Ann wrote."""
    for start in (sender + " ",) + _YOU:
        if content.startswith(start) and content[len(start):].startswith(_NOTICES):
            return True
    return False


def _repaired(value):
    """The whole JSON value with every string's mojibake repaired."""
    if isinstance(value, str):
        return repair_mojibake(value)
    if isinstance(value, list):
        return [_repaired(v) if isinstance(v, (dict, list)) else repair_mojibake(v) for v in value]
    if isinstance(value, dict):
        # a message's names, numbers and ASCII text as they are, without a call for each
        return {(k if type(k) is str and k.isascii() else repair_mojibake(k)):
                (v if type(v) is str and v.isascii() or isinstance(v, (int, float)) or v is None
                 else _repaired(v) if isinstance(v, (dict, list)) else repair_mojibake(v))
                for k, v in value.items()}
    return value


def _profile_names(archive: Archive) -> set[str]:
    found: set[str] = set()
    member = archive.find("profile_information/profile_information.json")
    if member:
        data = _repaired(archive.read_json(member))
        profile = (data.get("profile_v2") or data.get("profile") or {}) if isinstance(data, dict) else {}
        name = profile.get("name") if isinstance(profile, dict) else None
        if isinstance(name, dict) and name.get("full_name"):
            found.add(name["full_name"])
    member = archive.find("personal_information/personal_information.json")
    if member:
        data = _repaired(archive.read_json(member))
        for user in (data.get("profile_user") or []) if isinstance(data, dict) else []:
            values = (user or {}).get("string_map_data") or {}
            for key in ("Name", "Username"):
                if isinstance(values.get(key), dict) and values[key].get("value"):
                    found.add(values[key]["value"])
    return found


def read(path) -> RawExport:
    archive = Archive(path, "messenger")
    try:
        files = sorted((m for m in archive.members if _THREAD_FILE.search(m)),
                       key=lambda m: (_THREAD_FILE.search(m).group(1, 2), int(_THREAD_FILE.search(m).group(3))))
        if not files and archive.is_single_file and archive.path.suffix.lower() == ".json":
            files = list(archive.members)
        if not files:
            raise wrong_kind(archive.source, "messenger", "no messages/inbox/.../message_1.json found", path)
        threads: dict[str, dict] = {}
        for member in files:
            data = _repaired(archive.read_json(member))
            if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
                raise TableError(archive.source, f"{member} does not hold a conversation (no "
                                 "'messages' list).", "download your information again in JSON format.")
            match = _THREAD_FILE.search(member)
            key = "/".join(match.group(1, 2)) if match else member
            thread = threads.setdefault(key, {"participants": [], "messages": [], "title": None})
            thread["participants"] += [p.get("name") for p in data.get("participants") or []
                                       if isinstance(p, dict) and p.get("name")]
            thread["messages"] += [m for m in data["messages"] if isinstance(m, dict)]
            thread["title"] = thread["title"] or data.get("title")
        owner_names = _profile_names(archive)
    finally:
        archive.close()
    return _build(threads, owner_names, archive.source)


def _build(threads, owner_names, source) -> RawExport:
    aliases: dict[str, set[str]] = {}
    names: set[str] = set()
    columns = {k: [] for k in ("event_id", "timestamp", "actor", "target", "kind", "parent_id",
                               "text", "conversation")}
    memberships = []
    for key, thread in threads.items():
        messages = [m for m in thread["messages"] if m.get("sender_name") and m.get("timestamp_ms")
                    and m.get("type") in KEPT_TYPES and not m.get("is_unsent")
                    and not _is_notice(str(m["sender_name"]), str(m.get("content") or ""))]
        messages.sort(key=lambda m: int(m["timestamp_ms"]))
        actors = [str(m["sender_name"]) for m in messages]
        people = list(dict.fromkeys(list(thread["participants"]) + actors))
        memberships.append(set(people))
        for person in people:
            aliases.setdefault(person, set()).add(person)
            names.add(person)
        title = str(thread["title"] or "conversation")
        if len(people) <= 2:  # the title of a conversation of two is the other person's name
            names.add(title)
        targets, kinds = chat_targets(actors, people, len(people) > 2)
        for number, (message, actor, target, kind) in enumerate(zip(messages, actors, targets, kinds)):
            columns["event_id"].append(f"{key}:{message['timestamp_ms']}:{number}")
            columns["timestamp"].append(int(message["timestamp_ms"]))
            columns["actor"].append(actor)
            columns["target"].append(target)
            columns["kind"].append(kind)
            columns["parent_id"].append(None)
            columns["text"].append(str(message.get("content") or ""))
            columns["conversation"].append(title)
    if not columns["event_id"]:
        raise TableError(source, f"the export holds no messages that could be imported (expected "
                         f"{IMPORTERS['messenger']}).", "check that Messages was chosen for the download.")
    owners = {n for n in owner_names if n in aliases}
    if not owners and len(memberships) >= 2:  # the one person in every conversation
        common = set.intersection(*memberships)
        if len(common) == 1:
            owners = common
    for owner in owners:
        aliases[owner] |= owner_names
    names |= owner_names
    frame = pd.DataFrame(columns)
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], unit="ms", utc=True)
    return RawExport("messenger", frame, aliases=aliases, names=names, owners=owners,
                     scrub_columns=("conversation",))
