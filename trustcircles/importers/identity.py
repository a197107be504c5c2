"""Who is ``me`` in an export: ``--me`` checked against the export's own account data.

An export knows people by identities (a member id, a screen name, an address, a phone number) and
the names each goes by (its *aliases*: display names, real names, old handles, profile e-mails).
``--me`` may be any of these, and may be given several times for several identities of the same
person (a work and a home address, an old and a new handle).

* A value is compared with every identity and alias, ignoring case, a leading ``@``, the invisible
  direction marks WhatsApp puts around phone numbers, and the spacing of a phone number. A bare
  name such as ``ada`` also matches the address ``ada@example.org`` (the part before the ``@``).
* An address also matches its ``+`` aliases (``ada+lists@example.org`` is ``ada@example.org``'s
  mailbox), and for Gmail its dotted forms (``a.da@gmail.com``), as the mail provider delivers them.
* When the export names its owner (Mastodon's ``actor.json``, X's ``account.js``, the sender of
  Gmail's Sent mail, Telegram's personal information...), a value must name the owner: one that
  names somebody else is refused, with the owner shown, so a typo can never make a friend "you".
  With no ``--me`` at all, the owner is used.
* When the export does not say whose it is (a Slack workspace, a Thunderbird mbox, a WhatsApp
  chat), a value must name exactly one person: one that fits several (a display name two members
  share) is refused with the candidates listed, each with its ids, so the user can give one.
"""
from __future__ import annotations

import re
import unicodedata

import pandas as pd

from trustcircles.data import TableError

#: the invisible direction marks exports put around names and phone numbers (WhatsApp does)
_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"))
_PHONE_LIKE = re.compile(r"^\+?[\d\s().\-\u00a0]{7,}$")
_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_GMAIL = {"gmail.com", "googlemail.com"}


def normalise(value) -> str:
    """The form identities are compared in: no direction marks, case folded, no leading ``@``,
    a phone number as its digits (with a leading ``+`` if it had one)."""
    text = unicodedata.normalize("NFKC", str(value).translate(_MARKS)).strip().casefold()
    if text.startswith("@"):
        text = text[1:]
    if _PHONE_LIKE.match(text) and sum(c.isdigit() for c in text) >= 7:
        text = ("+" if text.startswith("+") else "") + "".join(c for c in text if c.isdigit())
    return text


def canonical_address(value) -> str | None:
    """The mailbox an address delivers to: without its ``+`` suffix, Gmail without dots; else None."""
    text = normalise(value)
    if text.startswith("mailto:"):
        text = text[7:]
    if not _ADDRESS.match(text) or text.count("@") != 1:
        return None
    local, domain = text.split("@")
    local = local.split("+", 1)[0]
    if domain in _GMAIL:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}" if local else None


def describe(identity: str, aliases: dict[str, set[str]]) -> str:
    """``Mira Example (U0AAA, mira@example.org)``: a person as the error messages list them."""
    others = sorted(aliases.get(identity, set()) - {identity},
                    key=lambda a: (a.isdigit(), "@" in a or "/" in a, a.lower()))
    names = [a for a in others if " " in a.strip()][:2]
    ids = [identity] + [a for a in others if " " not in a.strip() and a != identity][:3]
    return f"{names[0]} ({', '.join(ids + names[1:])})" if names else ", ".join(ids)


def my_identities(raw, values: list[str], source: str) -> set[str]:
    """The identities of ``raw`` (a RawExport) that are the user, from ``values`` (``--me``).

    Raises :class:`TableError` for a value that names nobody, somebody other than the owner the
    export names, or several people; and for no value at all when the export names no owner.
    """
    aliases = raw.aliases
    events = raw.events
    activity = events["actor"].dropna().astype(str).value_counts(sort=True) if len(events) else None
    active = list(activity.index) if activity is not None else []
    targets = pd.unique(events["target"].dropna().astype(str).to_numpy(dtype=object)) if len(events) else []
    people = list(dict.fromkeys([*raw.owners, *active, *targets, *aliases]))
    mailbox = {p: canonical_address(p) for p in people if "@" in p}
    owners = set(raw.owners)
    owner_addresses = {canonical_address(o) for o in owners} - {None}
    if owner_addresses:
        owners |= {p for p, box in mailbox.items() if box in owner_addresses}

    exact: dict[str, str] = {}
    index: dict[str, set[str]] = {}
    for identity in people:
        exact.setdefault(normalise(identity), identity)
        forms = {identity} | set(aliases.get(identity, ()))
        for form in forms:
            index.setdefault(normalise(form), set()).add(identity)
        text = normalise(identity)
        if "@" in text:  # "ada" for ada@example.org, "robin" for robin@example.social
            index.setdefault(text.split("@")[0], set()).add(identity)

    def listed(identities, limit: int = 6) -> str:
        ordered = [p for p in people if p in identities][:limit]
        more = len(identities) - len(ordered)
        return "; ".join(describe(p, aliases) for p in ordered) + (f"; and {more} more" if more > 0 else "")

    mine: set[str] = set()
    for value in values:
        wanted = normalise(value)
        found = {exact[wanted]} if wanted in exact else set(index.get(wanted, ()))
        address = canonical_address(value)
        if address:
            found |= {p for p, box in mailbox.items() if box == address}
        if not found:
            candidates = owners or set(people[:6])
            raise TableError(source, f"--me {value!r} names nobody in this export.",
                             f"give your own handle, name, id or address as it appears in the "
                             f"export, for example: {listed(candidates) or 'none found'}.")
        if owners:
            own = found & owners
            if not own:
                raise TableError(source, f"--me {value!r} names {listed(found)}, who is not the owner "
                                 f"of this export; it belongs to {listed(raw.owners)}.",
                                 "give one of your own identities listed there, or leave --me out "
                                 "to use the owner the export names.")
            mine |= own
            continue
        people_found = {canonical_address(p) or p for p in found}
        if len(people_found) > 1:
            raise TableError(source, f"--me {value!r} matches {len(people_found)} people: "
                             f"{listed(found)}.",
                             "give the id or address of the one that is you (copy it from the "
                             "list); --me may be given several times for several identities of "
                             "yours.")
        mine |= found
    if not values and not owners:
        raise TableError(source, "this export does not say whose it is, so --me is needed.",
                         f"give your own handle, name, id or address, for example one of: "
                         f"{listed(set(people[:6])) or 'none found'}.")
    return mine | owners
