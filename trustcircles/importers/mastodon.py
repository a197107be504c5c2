"""Mastodon account archive (Settings > Import and export > Request your archive).

The archive (a .zip, or the folder it unpacks to; before Mastodon 4.2 a ``.tar.gz`` named
``archive-<date>-<hash>.tar.gz``, read the same way) holds ``outbox.json``, an ActivityPub
``OrderedCollection`` of the account's activities, ``actor.json`` (the account itself: its name,
profile fields and, after a move, ``alsoKnownAs`` its earlier accounts), ``likes.json`` and
``bookmarks.json`` (links to other people's statuses).

The owner is the account of ``actor.json`` (and its ``alsoKnownAs`` accounts): ``--me`` must name
it. The outbox holds only what the owner did, so every row is marked ``your side only``
(:mod:`trustcircles.importers.sides`): nobody's answer to you can be in it. The names, profile
fields and the accounts of liked and bookmarked statuses all feed the scrubber.

Mapping, one activity at a time (accounts are written ``name@server``; a link such as
``https://server/users/name`` or ``https://server/@name`` is turned into that form):

* ``Create`` of a ``Note`` with ``inReplyTo`` -> ``reply``, parent = the replied-to status. Target:
  the owner if the parent is in this outbox; else the first ``Mention`` tag (Mastodon mentions the
  author of the status replied to first); else the account part of the ``inReplyTo`` link.
* ``Create`` whose audience (``to`` and ``cc``) holds neither the public collection nor a followers
  collection (visibility "direct") -> ``dm``, one row per mentioned account (or ``to`` recipient).
* ``Create`` with ``Mention`` tags and no ``inReplyTo`` -> ``mention``, one row per mentioned account.
* any other ``Create`` -> ``post``.
* ``Announce`` (a boost) -> ``share``, parent = the boosted status, target = its account.
* Likes are left out: ``likes.json`` lists the liked statuses without a date, and every event in the
  table needs a time.

A message that makes several rows keeps its id on the first and adds ``#2``, ``#3``... on the others.
Text is the post's HTML turned into plain text (scrubbed later); a content warning is ignored.
"""
from __future__ import annotations

import re
from functools import lru_cache

from trustcircles.data import TableError
from trustcircles.importers import (RAW_COLUMNS, Archive, RawExport, events_frame, html_to_text,
                                    wrong_kind)
from trustcircles.importers.sides import OWN

PUBLIC = {"https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public"}
_ACCOUNT_URL = re.compile(r"^https?://([^/]+)/(?:users/|@)([^/?#]+)")


def account_of(url_or_name: str | None) -> str | None:
    """``name@server`` for an account link, a status link, or ``@name@server``."""
    if not url_or_name:
        return None
    return _account_of_text(str(url_or_name))


@lru_cache(maxsize=1 << 16)
def _account_of_text(text: str) -> str:
    # an outbox names the same few accounts over and over: each distinct link is parsed once
    text = text.strip()
    match = _ACCOUNT_URL.match(text)
    if match:
        return f"{match.group(2).lstrip('@')}@{match.group(1)}".lower()
    if text.startswith("@"):
        return text[1:].lower()
    return text.lower()


def _status_id(value) -> str | None:
    if isinstance(value, dict):
        value = value.get("id")
    return str(value) if value else None


def _audience(obj: dict, activity: dict) -> list[str]:
    audience = []
    for source in (obj, activity):
        for field_name in ("to", "cc"):
            value = source.get(field_name) or []
            audience.extend([value] if isinstance(value, str) else value)
    return audience


def read(path) -> RawExport:
    archive = Archive(path, "mastodon")
    try:
        member = archive.find("outbox.json")
        if member is None:
            raise wrong_kind(archive.source, "mastodon", "no outbox.json found", path)
        outbox = archive.read_json(member)
        actor_member = archive.find("actor.json")
        actor = archive.read_json(actor_member) if actor_member else {}
        seen = []  # links to other people's statuses: their accounts are handles to scrub
        for name in ("likes.json", "bookmarks.json"):
            found = archive.find(name)
            collection = archive.read_json(found) if found else {}
            if isinstance(collection, dict):
                seen += [str(link) for link in collection.get("orderedItems") or [] if link]
    finally:
        archive.close()
    if not isinstance(outbox, dict) or not isinstance(outbox.get("orderedItems"), list):
        raise TableError(archive.source, "outbox.json is not an ActivityPub collection "
                         "(it has no list 'orderedItems').",
                         "give the archive exactly as Mastodon made it.")
    items = outbox["orderedItems"]
    owner = account_of(actor.get("id")) if isinstance(actor, dict) and actor.get("id") else None
    if owner is None:
        owner = next((account_of(i.get("actor")) for i in items
                      if isinstance(i, dict) and i.get("actor")), None)
    aliases: dict[str, set[str]] = {}
    names: set[str] = set()
    phrases: set[str] = set()
    owners = {owner} if owner else set()
    if isinstance(actor, dict) and owner:
        aliases[owner] = {v for v in (actor.get("preferredUsername"), actor.get("name"),
                                      actor.get("id"), actor.get("url")) if isinstance(v, str) and v}
        names.update(v for v in (actor.get("name"),) if isinstance(v, str) and v)
        earlier = actor.get("alsoKnownAs") or []
        for link in [earlier] if isinstance(earlier, str) else earlier:
            if account_of(link):  # the accounts this one moved from are the owner's too
                owners.add(account_of(link))
                aliases.setdefault(account_of(link), set()).add(str(link))
        for field_ in actor.get("attachment") or []:  # profile fields: "Website", "Pronouns", ...
            if isinstance(field_, dict) and field_.get("value"):
                value = html_to_text(str(field_["value"]))
                if value and len(value) <= 80:
                    phrases.add(value)
    handles = {account_of(link).split("@")[0] for link in seen if _ACCOUNT_URL.match(link)}

    own_statuses = {_status_id(i.get("object")) for i in items
                    if isinstance(i, dict) and i.get("type") == "Create"}
    columns: dict[str, list] = {name: [] for name in RAW_COLUMNS}
    event_ids, times, actors, targets, kinds, parents, texts = columns.values()
    known: dict = {}  # link -> account_of(link): an outbox names the same accounts over and over

    def account(link):
        found = known.get(link, known) if isinstance(link, str) else known
        if found is known:
            found = account_of(link)
            if isinstance(link, str):
                known[link] = found
        return found

    def add(event_id, published, actor_id, target, kind, parent, text):
        event_ids.append(event_id), times.append(published), actors.append(actor_id)
        targets.append(target), kinds.append(kind), parents.append(parent), texts.append(text)

    for item in items:
        if not isinstance(item, dict):
            continue
        kind_of_activity = item.get("type")
        published = item.get("published")
        if kind_of_activity == "Announce":
            parent = _status_id(item.get("object"))
            add(str(item.get("id")), published, owner, account(parent), "share", parent, "")
            continue
        obj = item.get("object")
        if kind_of_activity != "Create" or not isinstance(obj, dict):
            continue
        event_id = str(obj.get("id") or item.get("id"))
        published = obj.get("published") or published
        text = html_to_text(obj.get("content"))
        mentions = []
        for tag in obj.get("tag") or []:
            if isinstance(tag, dict) and tag.get("type") == "Mention":
                mentioned = account(tag.get("href")) or account(tag.get("name"))
                if mentioned and mentioned not in mentions:
                    mentions.append(mentioned)
                    if tag.get("name"):
                        aliases.setdefault(mentioned, set()).add(str(tag["name"]))
        in_reply_to = _status_id(obj.get("inReplyTo"))
        actor_id = account(obj.get("attributedTo") or item.get("actor")) or owner
        if in_reply_to:
            if in_reply_to in own_statuses:
                target = owner
            elif mentions:
                target = mentions[0]
            else:
                target = account(in_reply_to)
            add(event_id, published, actor_id, target, "reply", in_reply_to, text)
            continue
        audience = _audience(obj, item)  # only needed for what is not a reply
        direct = not any(a in PUBLIC or str(a).endswith("/followers") for a in audience)
        if direct:
            recipients = mentions or [account(a) for a in audience if account(a) != owner]
            kind = "dm"
        elif mentions:
            recipients, kind = mentions, "mention"
        else:
            add(event_id, published, actor_id, None, "post", None, text)
            continue
        for number, recipient in enumerate(dict.fromkeys(recipients)):
            suffix = "" if number == 0 else f"#{number + 1}"
            add(event_id + suffix, published, actor_id, recipient, kind, None, text)
    return RawExport("mastodon", events_frame(columns), aliases=aliases, names=names, owner=owner,
                     owners=owners, handles=handles, phrases=phrases, holds=OWN)
