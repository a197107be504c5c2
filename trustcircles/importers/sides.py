"""Which side(s) of the conversation an imported table holds, and what that lets it show.

An archive of your own account holds what *you* did: a Mastodon outbox lists your posts, replies
and boosts, never the replies others wrote to you; an X archive holds your tweets but both sides of
your direct messages. A team export (Slack), a mail folder or a chat export (WhatsApp, Telegram,
LinkedIn, Messenger) holds both sides. Read from an outbox alone, "0 of 2 people talked back" is an
artefact of the export, not a finding.

So every imported table has a column ``export_holds``, one value per row:

* ``"both sides"``: the export holds what others wrote in this conversation as well;
* ``"your side only"``: it holds only what the owner wrote here: whether anyone answered cannot
  be seen.

The course's own datasets have no such column (they are complete by construction); neither does a
table made by hand: :func:`sides_held` says ``"unknown"`` for them and nothing is changed.

The report and lesson 10 call :func:`one_sided_note` (a sentence, or None when nothing is
hidden) and show it *instead of* reciprocity, mutuals, answered questions and circles for ``me``
when :func:`can_see_answers` is false; when only part of the table is one-sided
(:func:`sides_held` gives ``"mixed"``), they compute those numbers on :func:`two_sided_events`.
"""
from __future__ import annotations

import pandas as pd

SIDES_COLUMN = "export_holds"
BOTH = "both sides"
OWN = "your side only"

#: what a table whose events come only from the owner's side cannot show about its owner
HIDDEN_BY_ONE_SIDE = ("reciprocity", "mutuals", "in_ties", "answer_rate", "questions_answered_rate",
                      "circle_inner", "circle_close", "circle_active")

ONE_SIDED_SENTENCE = "Your archive holds only what you wrote: who answered you cannot be seen."


def sides_held(table: pd.DataFrame) -> str:
    """``"both"``, ``"own"`` (every row is the owner's side only), ``"mixed"``, or ``"unknown"``
    (a table without the ``export_holds`` column, such as the course's datasets)."""
    if SIDES_COLUMN not in table.columns or len(table) == 0:
        return "unknown"
    values = set(table[SIDES_COLUMN].dropna().astype(str).unique())
    if values <= {BOTH}:
        return "both" if values else "unknown"
    if values <= {OWN}:
        return "own"
    return "mixed"


def two_sided_events(table: pd.DataFrame) -> pd.DataFrame:
    """The rows whose export holds both sides (all rows when the table does not say)."""
    if SIDES_COLUMN not in table.columns:
        return table
    return table[table[SIDES_COLUMN].astype(str).eq(BOTH).to_numpy()]


def can_see_answers(table: pd.DataFrame) -> bool:
    """False when no row of the table holds the other side: nobody's answer could be in it."""
    return sides_held(table) != "own"


def _kinds_phrase(kinds: list[str]) -> str:
    words = {"post": "posts", "reply": "replies", "mention": "mentions", "dm": "direct messages",
             "share": "shares", "like": "likes"}
    named = [words.get(k, k) for k in kinds]
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]


def one_sided_note(table: pd.DataFrame) -> str | None:
    """The sentence to show in place of reciprocity when the export cannot show answers, or None.

    All rows one-sided: :data:`ONE_SIDED_SENTENCE`. Some rows (an X archive: tweets one-sided,
    direct messages both): which part is one-sided, and that the two-way numbers count only the rest.
    """
    held = sides_held(table)
    if held == "own":
        return ONE_SIDED_SENTENCE
    if held != "mixed":
        return None
    one_sided = table[table[SIDES_COLUMN].astype(str).eq(OWN).to_numpy()]
    order = ["post", "reply", "mention", "share", "like", "dm"]
    kinds = [k for k in order if k in set(one_sided["kind"])]
    both = two_sided_events(table)
    both_kinds = [k for k in order if k in set(both["kind"])]
    return (f"Your archive holds only what you wrote in your {_kinds_phrase(kinds)}: who answered "
            f"you there cannot be seen. Who talks back is counted only in your "
            f"{_kinds_phrase(both_kinds)} ({len(both):,} of {len(table):,} events), where the "
            f"archive holds both sides.")
