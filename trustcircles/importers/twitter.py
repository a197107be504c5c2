"""X/Twitter account archive (Settings > Your account > Download an archive of your data).

The archive (a .zip, or the folder it unpacks to) holds JavaScript files that assign JSON to a
variable: ``data/tweets.js`` (``window.YTD.tweets.part0 = [{"tweet": {...}}, ...]``, large archives
add ``tweets-part1.js``...), ``data/direct-messages.js`` and ``data/account.js`` (the owner).

Mapping (accounts are screen names, without ``@``):

* a tweet starting ``RT @name:`` -> ``share``, target ``name``. The archive does not give the id of
  the retweeted tweet, so the parent is named ``retweet-of:<this tweet's id>``, an event outside
  the table (allowed by METRICS.md);
* a tweet with ``in_reply_to_status_id`` -> ``reply``, target ``in_reply_to_screen_name``, parent
  the replied-to tweet;
* a tweet with ``entities.user_mentions`` (and no reply) -> ``mention``, one row per mentioned
  account (the first keeps the tweet id, the others add ``#2``, ``#3``...);
* any other tweet -> ``post``;
* each direct message -> ``dm`` from its sender to its recipient; when the user received it, the
  sender is the actor and ``me`` the target. DMs name accounts by numeric id: an id the archive
  links to a screen name (mentions, replies, the owner) becomes that name, any other stays
  ``id:<number>``.
"""
from __future__ import annotations

import pandas as pd

from trustcircles.data import TableError
from trustcircles.importers import Archive, RawExport, wrong_kind

_TWITTER_TIME = "%a %b %d %H:%M:%S %z %Y"


def _records(archive: Archive, member: str, wrapper: str) -> list[dict]:
    data = archive.read_json(member, js_prefix=True)
    if not isinstance(data, list):
        raise TableError(archive.source, f"{member} does not hold a list of records.",
                         "give the archive exactly as X/Twitter made it.")
    return [entry.get(wrapper, entry) for entry in data if isinstance(entry, dict)]


def _parts(archive: Archive, stem: str) -> list[str]:
    first = archive.find(f"data/{stem}.js") or archive.find(f"{stem}.js")
    if first is None:
        return []
    folder = first[: -len(f"{stem}.js")]
    more = sorted(m for m in archive.members
                  if m.startswith(folder + f"{stem}-part") and m.endswith(".js"))
    return [first] + more


def read(path) -> RawExport:
    archive = Archive(path, "twitter")
    try:
        tweet_files = _parts(archive, "tweets") or _parts(archive, "tweet")
        if not tweet_files:
            raise wrong_kind(archive.source, "twitter", "no data/tweets.js found", path)
        tweets = [t for member in tweet_files for t in _records(archive, member, "tweet")]
        dm_files = _parts(archive, "direct-messages")
        conversations = [c for member in dm_files for c in _records(archive, member, "dmConversation")]
        account_member = archive.find("data/account.js")
        account = _records(archive, account_member, "account")[0] if account_member else {}
    finally:
        archive.close()

    owner = (account.get("username") or "").lower() or None
    screen_name_of_id: dict[str, str] = {}
    aliases: dict[str, set[str]] = {}
    names: set[str] = set()
    if owner:
        if account.get("accountId"):
            screen_name_of_id[str(account["accountId"])] = owner
        aliases[owner] = {v for v in (account.get("accountDisplayName"), account.get("accountId")) if v}
        names.update(v for v in (account.get("accountDisplayName"),) if v)

    rows = []
    for tweet in tweets:
        text = tweet.get("full_text") or tweet.get("text") or ""
        tweet_id = str(tweet.get("id_str") or tweet.get("id"))
        timestamp = tweet.get("created_at")  # parsed for all tweets at once below
        mentions = []
        for mention in (tweet.get("entities") or {}).get("user_mentions") or []:
            name = (mention.get("screen_name") or "").lower()
            if not name:
                continue
            mentions.append(name)
            if mention.get("id_str"):
                screen_name_of_id[str(mention["id_str"])] = name
            aliases.setdefault(name, set()).update(
                v for v in (mention.get("name"), mention.get("id_str")) if v)
            if mention.get("name"):
                names.add(mention["name"])
        reply_to = tweet.get("in_reply_to_status_id_str") or tweet.get("in_reply_to_status_id")
        reply_name = (tweet.get("in_reply_to_screen_name") or "").lower()
        if reply_name and tweet.get("in_reply_to_user_id_str"):
            screen_name_of_id[str(tweet["in_reply_to_user_id_str"])] = reply_name
        base = dict(event_id=f"tweet:{tweet_id}", timestamp=timestamp, actor=owner,
                    text=text)
        if text.startswith("RT @"):
            target = text[4:].split(":", 1)[0].strip().lower()
            rows.append(dict(base, target=target, kind="share", parent_id=f"retweet-of:{tweet_id}"))
        elif reply_to:
            rows.append(dict(base, target=reply_name or (mentions[0] if mentions else None),
                             kind="reply", parent_id=f"tweet:{reply_to}"))
        elif mentions:
            for number, name in enumerate(dict.fromkeys(mentions)):
                suffix = "" if number == 0 else f"#{number + 1}"
                rows.append(dict(base, event_id=base["event_id"] + suffix, target=name,
                                 kind="mention", parent_id=None))
        else:
            rows.append(dict(base, target=None, kind="post", parent_id=None))

    def account_of_id(user_id) -> str:
        user_id = str(user_id)
        return screen_name_of_id.get(user_id, f"id:{user_id}")

    for conversation in conversations:
        for message in conversation.get("messages") or []:
            create = message.get("messageCreate") if isinstance(message, dict) else None
            if not create:
                continue
            rows.append(dict(event_id=f"dm:{create.get('id')}", timestamp=create.get("createdAt"),
                             actor=account_of_id(create.get("senderId")),
                             target=account_of_id(create.get("recipientId")), kind="dm",
                             parent_id=None, text=create.get("text") or ""))
    frame = pd.DataFrame(rows, columns=["event_id", "timestamp", "actor", "target", "kind",
                                        "parent_id", "text"])
    is_dm = frame["kind"].eq("dm")
    times = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[us, UTC]")
    if (~is_dm).any():
        times[~is_dm] = pd.to_datetime(frame.loc[~is_dm, "timestamp"], format=_TWITTER_TIME,
                                       utc=True, errors="coerce")
    if is_dm.any():
        times[is_dm] = pd.to_datetime(frame.loc[is_dm, "timestamp"], format="ISO8601", utc=True,
                                      errors="coerce")
    bad = times.isna()
    if bad.any():
        first = frame[bad].iloc[0]
        raise TableError(archive.source, f"{int(bad.sum())} message(s) have no readable time, e.g. "
                         f"{first['event_id']} ({first['timestamp']!r}).",
                         "give the archive exactly as X/Twitter made it.")
    frame["timestamp"] = times
    return RawExport("twitter", frame, aliases=aliases, names=names, owner=owner)
