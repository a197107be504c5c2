"""Slack workspace export (Workspace settings > Import/export data > Export).

Every layout Slack makes is read, as a .zip or the folder it unpacks to (layout: Slack's help page
"How to read Slack data exports" and the slackdump and slack-export-viewer readers, see
datasets/examples/README.md):

* ``users.json`` (members: id, name, real name, display name, profile, ``is_bot``); an Enterprise
  Grid export has ``org_users.json`` instead of (or beside) it;
* ``channels.json`` (public channels), and in exports that include private conversations (Business+
  and Enterprise Grid, or an export approved for them) ``groups.json`` (private channels),
  ``dms.json`` (direct messages, ``members`` the two people) and ``mpims.json`` (group direct
  messages, named ``mpdm-ann--bo--cy-1``);
* one folder per conversation with a file per day (``general/2025-03-03.json``), named after the
  channel, or after the id for direct messages; Enterprise Grid may put them under a folder per
  workspace. A day folder that no list names is read as a channel too.

Mapping (accounts are member ids such as ``U024BE7LH``; ``--me`` may give the id, the username,
the display name, the real name or the profile e-mail; a name two members share is refused with
both listed):

* a thread reply (``thread_ts`` present and different from ``ts``) -> ``reply`` to the thread's
  first message; target = that message's author (``parent_user_id`` if the export gives it);
* in a direct message: any other message -> ``dm`` to the other member;
* in a channel or group direct message, a message mentioning members (``<@U123>``) -> ``mention``,
  one row per member mentioned (the first keeps the message id, the others add ``#2``, ``#3``...);
* in a group direct message, any other message -> ``dm`` to the author of the latest earlier
  message by someone else (the first, with nobody to answer yet, is a ``post``);
* in a channel, any other message -> ``post``.

Messages count when they are somebody talking: no subtype, or ``thread_broadcast`` (a thread
reply also sent to the channel), ``me_message`` (``/me``) or ``file_share`` (a file with a
comment). Joins, leaves, topic changes and other system subtypes are left out, and so are bots:
``bot_message``, any message with a ``bot_id`` (modern apps post with a ``user`` too), and members
marked ``is_bot`` (and Slackbot). Event ids are ``channel:ts``. A ``channel`` column keeps the
conversation's name, scrubbed like the text (a channel named after a person keeps no name);
direct messages are called ``direct message``. Names from every profile, and from the
``user_profile`` a message carries (a guest from another organisation is named only there), feed
the scrubber.
"""
from __future__ import annotations

import re

import pandas as pd

from trustcircles.data import TableError
from trustcircles.importers import Archive, RawExport, wrong_kind

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_DAY_FILE = re.compile(r"^(?:(.*)/)?([^/]+)/\d{4}-\d{2}-\d{2}\.json$")
#: subtypes that are a person talking (everything else is the system or a bot)
TALKING = {None, "", "thread_broadcast", "me_message", "file_share", "file_comment"}
_NAME_FIELDS = ("real_name", "display_name", "real_name_normalized", "display_name_normalized",
                "first_name", "last_name")


def _list(archive: Archive, root: str, name: str) -> list[dict]:
    member = archive.find(root + name) if root else archive.find(name)
    if member is None:
        return []
    data = archive.read_json(member)
    if not isinstance(data, list):
        raise TableError(archive.source, f"{member} does not hold a list.",
                         "give the export exactly as Slack made it.")
    return [d for d in data if isinstance(d, dict)]


def read(path) -> RawExport:
    archive = Archive(path, "slack")
    try:
        users_member = archive.find("users.json") or archive.find("org_users.json")
        channels_member = archive.find("channels.json")
        if users_member is None or channels_member is None:
            raise wrong_kind(archive.source, "slack", "no users.json (or org_users.json) and "
                             "channels.json found", path)
        root = channels_member[: -len("channels.json")]
        users = _list(archive, root, "users.json") + _list(archive, root, "org_users.json")
        lists = {kind: _list(archive, root, f"{kind}.json")
                 for kind in ("channels", "groups", "dms", "mpims")}
        folders: dict[str, list[str]] = {}
        for member in archive.members:
            match = _DAY_FILE.match(member)
            if match and not member.endswith(("/users.json", "/channels.json")):
                folders.setdefault(match.group(2), []).append(member)
        conversations = []  # (name shown, kind, members, day files)
        used = set()
        for kind, entries in lists.items():
            for entry in entries:
                folder = next((f for f in (entry.get("name"), entry.get("id")) if f and f in folders), None)
                if folder is None:
                    continue
                used.add(folder)
                shown = "direct message" if kind == "dms" else str(entry.get("name") or folder)
                conversations.append((folder, shown, kind, list(entry.get("members") or [])))
        for folder in sorted(set(folders) - used):
            conversations.append((folder, folder, "channels", []))
        messages = {folder: [m for member in sorted(folders[folder])
                             for m in (archive.read_json(member) or []) if isinstance(m, dict)]
                    for folder, *_ in conversations}
    finally:
        archive.close()
    return _build(users, conversations, messages, archive.source)


def _people(users: list[dict]):
    aliases: dict[str, set[str]] = {}
    names: set[str] = set()
    phrases: set[str] = set()
    handles: set[str] = set()
    bots = {"USLACKBOT"}
    for user in users:
        if not user.get("id"):
            continue
        if user.get("is_bot") or user.get("is_app_user"):
            bots.add(user["id"])
        profile = user.get("profile") or {}
        known = {user.get("name"), user.get("real_name"), profile.get("email")}
        known.update(profile.get(f) for f in _NAME_FIELDS)
        aliases.setdefault(user["id"], set()).update(v for v in known if isinstance(v, str) and v)
        names.update(v for v in [user.get("real_name")] + [profile.get(f) for f in _NAME_FIELDS]
                     if isinstance(v, str) and v)
        for field in ("title", "phone", "pronouns"):
            if isinstance(profile.get(field), str) and profile[field].strip():
                phrases.add(profile[field].strip())
        if isinstance(profile.get("skype"), str) and profile["skype"]:
            handles.add(profile["skype"])
        enterprise = user.get("enterprise_user") or {}
        if enterprise.get("id") and enterprise["id"] != user["id"]:
            aliases[user["id"]].add(enterprise["id"])
    return aliases, names, phrases, handles, bots


def _build(users, conversations, messages, source) -> RawExport:
    aliases, names, phrases, handles, bots = _people(users)
    rows = []
    for folder, shown, kind, members in conversations:
        talk = [m for m in messages[folder]
                if m.get("subtype") in TALKING and m.get("user") and m.get("ts")
                and not m.get("bot_id") and m["user"] not in bots]
        for message in messages[folder]:  # a guest from another organisation is named only here
            profile = message.get("user_profile")
            if isinstance(profile, dict) and message.get("user"):
                found = {profile.get(f) for f in ("real_name", "display_name", "name", "first_name")}
                found = {v for v in found if isinstance(v, str) and v}
                aliases.setdefault(message["user"], set()).update(found)
                names.update(v for v in found if v != profile.get("name"))
        talk.sort(key=lambda m: float(m["ts"]) if _number(m["ts"]) else 0.0)
        author_of_ts = {m.get("ts"): m.get("user") for m in messages[folder]}
        seen_members = list(dict.fromkeys(members + [m["user"] for m in talk]))
        latest = None  # (author, ts) of the latest message in a group direct message
        last_other: dict[str, str] = {}
        for message in talk:
            ts = str(message["ts"])
            author = message["user"]
            text = message.get("text") or ""
            event_id = f"{folder}:{ts}"
            base = dict(event_id=event_id, timestamp=ts, actor=author, text=text, channel=shown)
            thread = message.get("thread_ts")
            answered = latest if latest and latest != author else last_other.get(author)
            if latest and latest != author:
                last_other[author] = latest
            latest = author
            if thread and str(thread) != ts:
                parent_user = message.get("parent_user_id") or author_of_ts.get(thread)
                if parent_user:
                    rows.append(dict(base, target=parent_user, kind="reply",
                                     parent_id=f"{folder}:{thread}"))
                    continue
            if kind == "dms":
                other = next((m for m in seen_members if m != author), None)
                rows.append(dict(base, target=other, kind="dm" if other else "post", parent_id=None))
                continue
            mentioned = [m for m in dict.fromkeys(_MENTION.findall(text)) if m not in bots]
            if mentioned:
                for number, member in enumerate(mentioned):
                    suffix = "" if number == 0 else f"#{number + 1}"
                    rows.append(dict(base, event_id=event_id + suffix, target=member,
                                     kind="mention", parent_id=None))
            elif kind == "mpims" and answered:
                rows.append(dict(base, target=answered, kind="dm", parent_id=None))
            else:
                rows.append(dict(base, target=None, kind="post", parent_id=None))
    frame = pd.DataFrame(rows, columns=["event_id", "timestamp", "actor", "target", "kind",
                                        "parent_id", "text", "channel"])
    seconds = pd.to_numeric(frame["timestamp"], errors="coerce")
    if seconds.isna().any():
        first = frame[seconds.isna()].iloc[0]
        raise TableError(source, f"message {first['event_id']} has no readable ts "
                         f"(found {first['timestamp']!r}).", "give the export exactly as Slack made it.")
    # ts is seconds since 1970 with microseconds after the dot
    frame["timestamp"] = pd.to_datetime((seconds * 1_000_000).round().astype("int64"), unit="us",
                                        utc=True)
    return RawExport("slack", frame, aliases=aliases, names=names, phrases=phrases, handles=handles,
                     scrub_columns=("channel",))


def _number(value) -> bool:
    try:
        float(value)
        return True
    except (TypeError, ValueError):
        return False
