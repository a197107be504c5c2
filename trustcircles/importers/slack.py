"""Slack workspace export (Workspace settings > Import/export data > Export).

The export (a .zip, or the folder it unpacks to) holds ``users.json`` (members: id, name,
real_name, display name), ``channels.json`` and one folder per channel with a file per day
(``general/2025-03-03.json``), each a list of messages with ``user``, ``text``, ``ts`` and, in a
thread, ``thread_ts`` (and often ``parent_user_id``).

Mapping (accounts are Slack member ids such as ``U024BE7LH``; ``--me`` may give the id, the
username, the display name or the real name):

* a thread reply (``thread_ts`` present and different from ``ts``) -> ``reply`` to the thread's
  first message; target = that message's author (``parent_user_id`` if the export gives it);
* a message mentioning members (``<@U123>``) -> ``mention``, one row per member mentioned (the
  first keeps the message id, the others add ``#2``, ``#3``...);
* any other message -> ``post``.

Messages with a ``subtype`` (joins, leaves, topic changes, bot and system messages) are left out:
they are not anybody talking. Event ids are ``channel:ts``. Only channels are read: a standard
export holds no direct messages. A ``channel`` column keeps the channel's name.
"""
from __future__ import annotations

import re

import pandas as pd

from trustcircles.data import TableError
from trustcircles.importers import Archive, RawExport, wrong_kind

_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")


def read(path) -> RawExport:
    archive = Archive(path, "slack")
    try:
        users_member = archive.find("users.json")
        channels_member = archive.find("channels.json")
        if users_member is None or channels_member is None:
            raise wrong_kind(archive.source, "slack", "no users.json and channels.json found", path)
        users = archive.read_json(users_member)
        channels = archive.read_json(channels_member)
        root = users_member[: -len("users.json")]
        channel_names = [c.get("name") for c in channels if isinstance(c, dict) and c.get("name")]
        day_files = {name: sorted(m for m in archive.members
                                  if m.startswith(f"{root}{name}/") and m.endswith(".json"))
                     for name in channel_names}
        messages = {name: [m for member in files for m in (archive.read_json(member) or [])
                           if isinstance(m, dict)]
                    for name, files in day_files.items()}
    finally:
        archive.close()
    if not isinstance(users, list):
        raise TableError(archive.source, "users.json does not hold a list of members.",
                         "give the export exactly as Slack made it.")

    aliases: dict[str, set[str]] = {}
    names: set[str] = set()
    for user in users:
        if not isinstance(user, dict) or not user.get("id"):
            continue
        profile = user.get("profile") or {}
        known = {user.get("name"), user.get("real_name"), profile.get("real_name"),
                 profile.get("display_name")}
        aliases[user["id"]] = {v for v in known if v}
        names.update(v for v in (user.get("real_name"), profile.get("real_name"),
                                 profile.get("display_name")) if v)

    rows = []
    for channel, channel_messages in messages.items():
        author_of_ts = {m.get("ts"): m.get("user") for m in channel_messages}
        for message in channel_messages:
            if message.get("subtype") or not message.get("user") or not message.get("ts"):
                continue
            ts = str(message["ts"])
            text = message.get("text") or ""
            event_id = f"{channel}:{ts}"
            base = dict(event_id=event_id, timestamp=ts, actor=message["user"], text=text,
                        channel=channel)
            thread = message.get("thread_ts")
            if thread and str(thread) != ts:
                parent_user = message.get("parent_user_id") or author_of_ts.get(thread)
                if parent_user:
                    rows.append(dict(base, target=parent_user, kind="reply",
                                     parent_id=f"{channel}:{thread}"))
                    continue
            mentioned = list(dict.fromkeys(_MENTION.findall(text)))
            if mentioned:
                for number, member in enumerate(mentioned):
                    suffix = "" if number == 0 else f"#{number + 1}"
                    rows.append(dict(base, event_id=event_id + suffix, target=member,
                                     kind="mention", parent_id=None))
            else:
                rows.append(dict(base, target=None, kind="post", parent_id=None))
    frame = pd.DataFrame(rows, columns=["event_id", "timestamp", "actor", "target", "kind",
                                        "parent_id", "text", "channel"])
    seconds = pd.to_numeric(frame["timestamp"], errors="coerce")
    if seconds.isna().any():
        first = frame[seconds.isna()].iloc[0]
        raise TableError(archive.source, f"message {first['event_id']} has no readable ts "
                         f"(found {first['timestamp']!r}).", "give the export exactly as Slack made it.")
    # ts is seconds since 1970 with microseconds after the dot
    frame["timestamp"] = pd.to_datetime((seconds * 1_000_000).round().astype("int64"), unit="us",
                                        utc=True)
    return RawExport("slack", frame, aliases=aliases, names=names)
