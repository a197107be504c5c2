"""X/Twitter account archive (Settings > Your account > Download an archive of your data).

The archive (a .zip, or the folder it unpacks to) holds JavaScript files that assign JSON to a
variable. Their names changed over the years; all of these are read (large archives split a file
into ``-part1``, ``-part2``...):

=====================  ==========================================  ===================================
what                   archives since late 2022                    archives of 2019-2022
=====================  ==========================================  ===================================
tweets                 ``data/tweets.js`` (``window.YTD.tweets``)  ``data/tweet.js`` (``window.YTD.tweet``)
community tweets       ``data/community-tweet.js``                 (none)
direct messages        ``data/direct-messages.js``                 ``data/direct-message.js``
group direct messages  ``data/direct-messages-group.js``           ``data/direct-message-group.js``
the owner              ``data/account.js``, ``data/profile.js``, ``data/screen-name-change.js``
=====================  ==========================================  ===================================

Archives made before 2019 ("classic") hold ``data/js/tweets/YYYY_MM.js`` (``Grailbird.data...``)
and ``data/js/user_details.js``; their tweets are read too. (Layouts: the field lists of the
``twitter-archive-reader`` and ``twitter_archive`` parsers, see datasets/examples/README.md.)

Accounts are numeric user ids (written ``id:<number>``) whenever the archive gives one, so a person
who changed their handle stays one account; the handles and display names each id went by are its
aliases. The owner is the account of ``account.js``; its earlier handles (``screen-name-change.js``)
are the owner's too, so an old self-reply or a retweet naming an old handle is never a stranger.

Mapping:

* a tweet starting ``RT @name:`` -> ``share``, target ``name``'s account. The archive does not give
  the id of the retweeted tweet, so the parent is named ``retweet-of:<this tweet's id>``, an event
  outside the table (allowed by METRICS.md);
* a tweet with ``in_reply_to_status_id`` -> ``reply``, target the replied-to account, parent the
  replied-to tweet;
* a tweet with ``entities.user_mentions`` (and no reply) -> ``mention``, one row per mentioned
  account (the first keeps the tweet id, the others add ``#2``, ``#3``...);
* any other tweet -> ``post``. Tweet text has its HTML entities decoded (``&amp;`` -> ``&``);
* a direct message -> ``dm`` from its sender to its recipient; in a group conversation (no
  recipient), to the author of the latest earlier message by someone else in it (the person most
  likely answered; a group message is one message, not one per member), and the first message of a
  group, with nobody to answer yet, is a ``post``.

Tweets are only the owner's side (``your side only``); direct messages hold both sides.
"""
from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd

from trustcircles.data import TableError
from trustcircles.importers import Archive, RawExport, strptime_utc, wrong_kind
from trustcircles.importers.sides import BOTH, OWN

_TWITTER_TIME = "%a %b %d %H:%M:%S %z %Y"
_CLASSIC_TIME = "%Y-%m-%d %H:%M:%S %z"
_RETWEET = re.compile(r"^RT @(\w+):")


def _records(archive: Archive, member: str, wrapper: str) -> list[dict]:
    data = archive.read_json(member, js_prefix=True)
    if not isinstance(data, list):
        raise TableError(archive.source, f"{member} does not hold a list of records.",
                         "give the archive exactly as X/Twitter made it.")
    return [entry.get(wrapper, entry) if isinstance(entry.get(wrapper), dict) else entry
            for entry in data if isinstance(entry, dict)]


def _parts(archive: Archive, stem: str) -> list[str]:
    """``data/<stem>.js`` and its ``-partN`` siblings, in order."""
    first = archive.find(f"data/{stem}.js") or archive.find(f"{stem}.js")
    folder = first[: -len(f"{stem}.js")] if first else None
    if folder is None:
        others = [m for m in archive.members if re.search(rf"(?:^|/){re.escape(stem)}-part\d+\.js$", m)]
        if not others:
            return []
        folder = others[0][: others[0].rindex("/") + 1] if "/" in others[0] else ""
    more = sorted((m for m in archive.members if m.startswith(folder + f"{stem}-part") and m.endswith(".js")),
                  key=lambda m: int(re.sub(r"\D", "", m[len(folder + stem):]) or 0))
    return ([first] if first else []) + more


def _all_records(archive: Archive, stems: tuple[str, ...], wrapper: str) -> list[dict]:
    return [r for stem in stems for member in _parts(archive, stem)
            for r in _records(archive, member, wrapper)]


def read(path) -> RawExport:
    archive = Archive(path, "twitter")
    try:
        tweets = _all_records(archive, ("tweets", "tweet"), "tweet")
        tweets += _all_records(archive, ("community-tweet", "community-tweets"), "tweet")
        classic = sorted(m for m in archive.members if re.search(r"(?:^|/)data/js/tweets/\d{4}_\d{2}\.js$", m))
        for member in classic:
            tweets += _records(archive, member, "tweet")
        if not tweets and not (_parts(archive, "tweets") or _parts(archive, "tweet") or classic):
            raise wrong_kind(archive.source, "twitter", "no data/tweets.js or data/tweet.js found", path)
        conversations = _all_records(archive, ("direct-messages", "direct-message"), "dmConversation")
        groups = _all_records(archive, ("direct-messages-group", "direct-message-group"), "dmConversation")
        account_member = archive.find("data/account.js")
        account = (_records(archive, account_member, "account") or [{}])[0] if account_member else {}
        if not account and archive.find("data/js/user_details.js"):
            details = archive.read_json(archive.find("data/js/user_details.js"), js_prefix=True)
            if isinstance(details, dict):
                account = {"username": details.get("screen_name"), "accountId": details.get("id"),
                           "accountDisplayName": details.get("full_name")}
        changes = _all_records(archive, ("screen-name-change",), "screenNameChange")
        profile_member = archive.find("data/profile.js")
        profile = (_records(archive, profile_member, "profile") or [{}])[0] if profile_member else {}
    finally:
        archive.close()
    return _build(tweets, conversations, groups, account, changes, profile, archive.source)


class _People:
    """Accounts by user id when known; handles and display names as their aliases."""

    def __init__(self):
        self.id_of_handle: dict[str, str] = {}
        self.aliases: dict[str, set[str]] = {}
        self.names: set[str] = set()

    def learn(self, user_id, handle=None, name=None, overwrite: bool = True) -> str | None:
        handle = (handle or "").lstrip("@").lower() or None
        if user_id:
            identity = f"id:{user_id}"
            if handle and (overwrite or handle not in self.id_of_handle):
                self.id_of_handle[handle] = identity
        elif handle:
            identity = self.id_of_handle.get(handle, handle)
        else:
            return None
        known = self.aliases.setdefault(identity, set())
        known.update(v for v in (handle, name, str(user_id) if user_id else None) if v)
        if name:
            self.names.add(name)
        return identity

    def of_handle(self, handle: str) -> str:
        handle = handle.lstrip("@").lower()
        return self.id_of_handle.get(handle) or self.learn(None, handle)


def _build(tweets, conversations, groups, account, changes, profile, source) -> RawExport:
    people = _People()
    owner_id = str(account.get("accountId") or "") or None
    owner_handle = (account.get("username") or "").lower() or None
    old_handles = set()
    for change in changes:
        detail = change.get("screenNameChange") if isinstance(change.get("screenNameChange"), dict) else change
        if not owner_id and change.get("accountId"):
            owner_id = str(change["accountId"])
        old_handles.update(h.lower() for h in (detail.get("changedFrom"), detail.get("changedTo")) if h)
    if not owner_id and not owner_handle:
        # an archive without account.js: the owner is the user of the tweets, if they say
        owner_id = next((str(t["user"]["id_str"]) for t in tweets
                         if isinstance(t.get("user"), dict) and t["user"].get("id_str")), None)
    owner = people.learn(owner_id, owner_handle, account.get("accountDisplayName"))
    phrases = set()
    if owner:
        for handle in old_handles:
            if owner_id:  # the owner's handles, whoever is mentioned under them later
                people.id_of_handle[handle] = owner
            people.aliases[owner].add(handle)
        if account.get("email"):
            people.aliases[owner].add(str(account["email"]))
        description = profile.get("description") if isinstance(profile.get("description"), dict) else {}
        for value in (description.get("location"),):
            if value and len(value) <= 80:
                phrases.add(str(value))
    owner_handles = {h for h, i in people.id_of_handle.items() if i == owner}

    # first pass: every id the archive links to a handle (the owner's handles stay the owner's).
    # Learning the same (id, handle, name) again changes nothing (overwrite=False), and tweets
    # name the same people over and over: each is learnt once, in the order they first appear.
    learnt: set[tuple] = set()
    for tweet in tweets:
        for mention in (tweet.get("entities") or {}).get("user_mentions") or []:
            handle = (mention.get("screen_name") or "").lower()
            if handle in owner_handles and owner_id:
                continue
            person = (mention.get("id_str") or mention.get("id"), handle, mention.get("name"))
            if person not in learnt:
                learnt.add(person)
                people.learn(*person, overwrite=False)
        reply_handle = (tweet.get("in_reply_to_screen_name") or "").lower()
        reply_user = tweet.get("in_reply_to_user_id_str") or tweet.get("in_reply_to_user_id")
        if reply_handle and reply_user and not (reply_handle in owner_handles and owner_id):
            if (reply_user, reply_handle, None) not in learnt:
                learnt.add((reply_user, reply_handle, None))
                people.learn(reply_user, reply_handle, overwrite=False)

    columns: dict[str, list] = {name: [] for name in ("event_id", "timestamp", "actor", "target",
                                                      "kind", "parent_id", "text", "export_holds")}
    event_ids, stamps, actors, targets, kinds, parents, texts, holds = columns.values()

    def add(event_id, stamp, actor, target, kind, parent, text, held):  # one row, column by column
        event_ids.append(event_id), stamps.append(stamp), actors.append(actor)
        targets.append(target), kinds.append(kind), parents.append(parent), texts.append(text)
        holds.append(held)

    for tweet in tweets:
        text = html.unescape(tweet.get("full_text") or tweet.get("text") or "")
        tweet_id = str(tweet.get("id_str") or tweet.get("id"))
        event_id, stamp = f"tweet:{tweet_id}", tweet.get("created_at")
        mentions = []
        for mention in (tweet.get("entities") or {}).get("user_mentions") or []:
            handle = (mention.get("screen_name") or "").lower()
            if handle:
                user_id = mention.get("id_str") or mention.get("id")
                mentions.append(people.of_handle(handle) if not user_id
                                else owner if handle in owner_handles and owner_id
                                else f"id:{user_id}")
        retweet = _RETWEET.match(text)
        reply_to = tweet.get("in_reply_to_status_id_str") or tweet.get("in_reply_to_status_id")
        if retweet or isinstance(tweet.get("retweeted_status"), dict):
            original = tweet.get("retweeted_status") if isinstance(tweet.get("retweeted_status"), dict) else {}
            user = original.get("user") or {}
            target = (people.learn(user.get("id_str"), user.get("screen_name"), user.get("name"))
                      if user.get("id_str") else people.of_handle(retweet.group(1)) if retweet else None)
            add(event_id, stamp, owner, target, "share", f"retweet-of:{tweet_id}", text, OWN)
        elif reply_to:
            handle = (tweet.get("in_reply_to_screen_name") or "").lower()
            user = tweet.get("in_reply_to_user_id_str") or tweet.get("in_reply_to_user_id")
            if handle in owner_handles or (user and owner_id and str(user) == owner_id):
                target = owner
            elif user:
                target = f"id:{user}"
            elif handle:
                target = people.of_handle(handle)
            else:
                target = mentions[0] if mentions else None
            add(event_id, stamp, owner, target, "reply", f"tweet:{reply_to}", text, OWN)
        elif mentions:
            for number, name in enumerate(dict.fromkeys(mentions)):
                suffix = "" if number == 0 else f"#{number + 1}"
                add(event_id + suffix, stamp, owner, name, "mention", None, text, OWN)
        else:
            add(event_id, stamp, owner, None, "post", None, text, OWN)
    tweet_rows = len(event_ids)

    def account_of_id(user_id) -> str:
        return owner if owner_id and str(user_id) == owner_id else f"id:{user_id}"

    for conversation, is_group in [(c, False) for c in conversations] + [(g, True) for g in groups]:
        created = [m["messageCreate"] for m in conversation.get("messages") or []
                   if isinstance(m, dict) and isinstance(m.get("messageCreate"), dict)]
        created.sort(key=lambda m: (str(m.get("createdAt")), str(m.get("id"))))
        participants = {account_of_id(i) for m in conversation.get("messages") or [] if isinstance(m, dict)
                        for event in m.values() if isinstance(event, dict)
                        for i in (event.get("participantsSnapshot") or []) + (event.get("userIds") or [])}
        group = is_group or len({m.get("senderId") for m in created} | {m.get("recipientId") for m in created
                                                                         if m.get("recipientId")}) > 2
        last_other: dict[str, tuple[str, str]] = {}  # sender -> (latest other sender, their message)
        latest: tuple[str, str] | None = None
        for create in created:
            sender = account_of_id(create.get("senderId"))
            people.aliases.setdefault(sender, set())
            event_id = f"dm:{create.get('id')}"
            stamp, text = create.get("createdAt"), html.unescape(create.get("text") or "")
            if create.get("recipientId") and not group:
                add(event_id, stamp, sender, account_of_id(create["recipientId"]), "dm", None,
                    text, BOTH)
            else:
                answered = latest if latest and latest[0] != sender else last_other.get(sender)
                if answered:
                    add(event_id, stamp, sender, answered[0], "dm", None, text, BOTH)
                else:
                    add(event_id, stamp, sender, None, "post", None, text, BOTH)
                if latest and latest[0] != sender:
                    last_other[sender] = latest
            latest = (sender, event_id)
        for participant in participants:
            people.aliases.setdefault(participant, set())
    frame = pd.DataFrame(columns)
    times = np.full(len(frame), np.datetime64("NaT"), dtype="datetime64[us]")
    if tweet_rows:
        parsed = strptime_utc(stamps[:tweet_rows], _TWITTER_TIME).astype("datetime64[us]")
        missing = np.isnat(parsed)
        if missing.any():  # classic archives: "2015-03-03 09:00:00 +0000"
            classic = pd.to_datetime(pd.Series(stamps[:tweet_rows])[missing], format=_CLASSIC_TIME,
                                     utc=True, errors="coerce")
            parsed[missing] = classic.dt.tz_localize(None).to_numpy().astype("datetime64[us]")
        times[:tweet_rows] = parsed
    if len(frame) > tweet_rows:
        direct = pd.to_datetime(pd.Series(stamps[tweet_rows:]), format="ISO8601", utc=True, errors="coerce")
        times[tweet_rows:] = direct.dt.tz_localize(None).to_numpy().astype("datetime64[us]")
    bad = np.isnat(times)
    if bad.any():
        first = frame[bad].iloc[0]
        raise TableError(source, f"{int(bad.sum())} message(s) have no readable time, e.g. "
                         f"{first['event_id']} ({first['timestamp']!r}).",
                         "give the archive exactly as X/Twitter made it.")
    frame["timestamp"] = pd.to_datetime(times).tz_localize("UTC")
    if owner is None:
        raise TableError(source, "the archive has no data/account.js, so its owner is unknown.",
                         "give the archive exactly as X/Twitter made it (the whole .zip).")
    return RawExport("twitter", frame, aliases=people.aliases, names=people.names, owner=owner,
                     phrases=phrases, handles=owner_handles)
