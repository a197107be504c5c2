"""Lesson 10, Your own circle: an account export, anonymised on this machine, in numbers.

The lesson walks through the small example exports in ``datasets/examples/`` (invented people, see
its README) and then tells the learner how to do the same with their own file. Everything here runs
on the learner's machine; nothing opens a network connection.

* :func:`example_table` imports one example with :func:`trustcircles.importers.import_export` and a
  fixed, public lesson key (:data:`EXAMPLE_KEY`), so running the lesson never creates or reads the
  learner's own secret key;
* :func:`scrubbed_tokens` and :func:`who_wrote` show what anonymising removed and which side of the
  conversation an export can see;
* :func:`own_circle` counts the circles of trust around ``me`` for any inner-circle threshold (with
  :class:`trustcircles.topics.circles.MutualRates`, as lesson 06 counts everyone's), and
  :func:`circle_reading` says it in words;
* :func:`import_own_export` is the one call for the learner's own file: with no file it explains
  what to do instead of failing; :func:`facts_sentence` sums up what it holds.
"""
from __future__ import annotations

import re
import textwrap
from functools import lru_cache
from pathlib import Path

import pandas as pd

from trustcircles import metrics
from trustcircles.anonymise import TOKENS, config_dir
from trustcircles.data import DATASETS_DIR, TableError
from trustcircles.importers import IMPORTERS, detect_kind, import_export
from trustcircles.importers.sides import can_see_answers, one_sided_note, two_sided_events
from trustcircles.topics.circles import MutualRates


#: The key the lesson pseudonymises the examples with. It is public (it is written here), which is
#: fine for invented people and wrong for real ones: your own export uses your own secret key.
EXAMPLE_KEY = b"example-key-for-the-lesson"

#: kind -> (file or folder in datasets/examples, who "me" is in it, what it is)
EXAMPLES = {
    "mastodon": ("mastodon", "@robin@example.social", "Robin's Mastodon archive (a gardener)"),
    "twitter": ("twitter", "jo_tester", "Jo's X/Twitter archive (a reader)"),
    "slack": ("slack", "Mira Example", "a small Slack workspace export (Mira's team)"),
    "mbox": ("mail.mbox", "ada@example.org", "Ada's mail folder (a meetup organiser)"),
    "whatsapp": ("whatsapp", "Tove Example", "Tove's WhatsApp chats (a choir organiser)"),
    "telegram": ("telegram", None, "Noor's Telegram export (the export names its owner)"),
    "linkedin": ("linkedin", None, "Lars's LinkedIn messages (the export names its owner)"),
    "messenger": ("messenger", None, "Inès's Messenger download (the export names its owner)"),
}

#: where each kind of export comes from, in one line (lesson 10 lists them; the examples' README says more)
HOW_TO_GET = {
    "mastodon": "Preferences > Import and export > Request your archive; download the .zip.",
    "twitter": "Settings > Your account > Download an archive of your data; download the .zip.",
    "slack": "a workspace admin: Settings & administration > Workspace settings > Import/Export Data "
             "> Export (a standard export holds public channels only).",
    "mbox": "Thunderbird (ImportExportTools NG) or Google Takeout (choose Mail): an .mbox file, or "
            "the Takeout .zip itself.",
    "whatsapp": "in a chat, More > Export chat (without media is enough): a .zip or a .txt per chat.",
    "telegram": "Telegram Desktop: Settings > Advanced > Export Telegram data, format "
                "'Machine-readable JSON'.",
    "linkedin": "Me > Settings & Privacy > Data privacy > Get a copy of your data (Messages is in "
                "the fast archive): a .zip.",
    "messenger": "Accounts Centre > Your information and permissions > Download your information, "
                 "format JSON, with Messages: a .zip (Facebook or Instagram).",
}

#: inner-circle thresholds offered by the explorer, in conversational events per month
INNER_CHOICES = (1, 2, 4, 8, 15, 30, 60)


def example_path(kind: str) -> Path:
    """Where the example export of ``kind`` lives (inside the course's datasets folder)."""
    if kind not in EXAMPLES:
        raise KeyError(f"no example export of kind {kind!r}; choose one of: {', '.join(EXAMPLES)}")
    return DATASETS_DIR / "examples" / EXAMPLES[kind][0]


@lru_cache(maxsize=None)
def _example_table(kind: str) -> pd.DataFrame:
    path = example_path(kind)
    return import_export(kind, path, EXAMPLES[kind][1], key=EXAMPLE_KEY)


def example_table(kind: str = "mastodon") -> pd.DataFrame:
    """The example export of ``kind`` imported and anonymised with the lesson key (you are ``me``)."""
    return _example_table(kind).copy()


def scrubbed_tokens(table: pd.DataFrame) -> pd.Series:
    """How many times each kind of personal detail was replaced in the text, e.g. ``<URL>``: 3."""
    text = table["text"].astype("str").fillna("") if "text" in table else pd.Series([], dtype="str")
    counts = {token: int(text.str.count(re.escape(token)).sum()) for token in TOKENS.values()}
    return pd.Series(counts, name="replaced")


def who_wrote(table: pd.DataFrame) -> dict[str, int]:
    """Events written by you, written by others to you, and between others (or to nobody)."""
    by_me = table["actor"].eq("me")
    to_me = table["target"].eq("me") & ~by_me
    return {"by you": int(by_me.sum()), "to you": int(to_me.sum()),
            "between others": int((~by_me & ~to_me).sum())}


def partners(table: pd.DataFrame) -> pd.DataFrame:
    """One row per person you talk with or who talks with you: your events to them, theirs to you,
    and whether you are mutuals (both of you talk to each other)."""
    ties = metrics.ties(table)
    out = ties[ties["actor"].eq("me") & ties["target"].ne("me")].set_index("target")["events"]
    back = ties[ties["target"].eq("me") & ties["actor"].ne("me")].set_index("actor")["events"]
    people = out.index.union(back.index)
    frame = pd.DataFrame({"you_to_them": out.reindex(people, fill_value=0).astype(int),
                          "them_to_you": back.reindex(people, fill_value=0).astype(int)},
                         index=people)
    frame["mutual"] = (frame["you_to_them"] > 0) & (frame["them_to_you"] > 0)
    return frame


class OwnCircle:
    """Everything needed to count your circles for any thresholds, worked out once per table:
    your mutual ties with their contact rates (:class:`~trustcircles.topics.circles.MutualRates`)
    and the people you talk with either way (:func:`partners`).

    An export that holds only your side (:mod:`trustcircles.importers.sides`) cannot show who talks
    back: ``note`` says so and ``visible`` is False; where only part of it is one-sided, the circles
    are counted on the part that holds both sides, and ``note`` says that too."""

    def __init__(self, table: pd.DataFrame):
        self.note = one_sided_note(table)
        self.visible = can_see_answers(table)
        if self.visible and self.note:
            table = two_sided_events(table)
        self.rates = MutualRates(table)
        self.partners = partners(table)

    def count(self, inner: float = metrics.INNER_CIRCLE_RATE,
              close: float = metrics.CLOSE_CIRCLE_RATE) -> dict[str, int]:
        """See :func:`own_circle`."""
        circles = self.rates.counts_of("me", inner, close)
        mutual = self.partners["mutual"].to_numpy()
        spoke = self.partners["you_to_them"].to_numpy() > 0
        return {"inner": circles["circle_inner"], "close": circles["circle_close"],
                "active": circles["circle_active"], "spoke_to": int(spoke.sum()),
                "no_answer": int((spoke & ~mutual).sum()), "audience": int((~spoke).sum())}


def own_circle(table: pd.DataFrame, inner: float = metrics.INNER_CIRCLE_RATE,
               close: float = metrics.CLOSE_CIRCLE_RATE) -> dict[str, int]:
    """Your circles of trust, counted as ``metrics.circles`` counts them for ``me``.

    ``inner``: mutuals you are in contact with at least ``inner`` times a month; ``close``: at least
    ``close`` times a month; ``active``: all mutuals (both of you talk to each other). Also
    ``spoke_to`` (people you addressed), ``no_answer`` (of those, the ones who never talked back)
    and ``audience`` (people who talk to you without an answer from you).
    """
    return OwnCircle(table).count(inner, close)


def _people(n: int) -> str:
    return f"{n} {'person' if n == 1 else 'people'}"


def circle_reading(circle: dict[str, int], inner: float, note: str | None = None,
                   visible: bool = True) -> str:
    """The circle in words, e.g. "You talk with 12 people who talk back; 3 of them about weekly".

    ``note`` and ``visible`` (from :class:`OwnCircle`): for an export that holds only your side,
    the note alone, since nobody's answer could be in it; for a partly one-sided one, the note too."""
    if not visible:
        return (f"{note} You spoke to {_people(circle['spoke_to'])} here; whether they talked back "
                "is not in this export.")
    often = {1: "about monthly or more", 4: "about weekly or more", 30: "about daily or more"}.get(
        inner, f"at least {inner:g} times a month")
    text = (f"You talk with {_people(circle['active'])} who talk back; {circle['inner']:,} of them "
            f"{often} (your inner circle at this threshold).")
    if circle["spoke_to"]:
        text += (f" You spoke to {_people(circle['spoke_to'])}: {circle['no_answer']:,} never talked "
                 "back in this export.")
    else:
        text += " You addressed nobody in conversation here (posts and shares only)."
    if circle["audience"]:
        text += f" {_people(circle['audience'])} talked to you and got no conversation back."
    return f"{text} {note}" if note else text


def key_file() -> Path:
    """Where your own secret key is (or will be) kept: ``config_dir() / "key"``. Nothing is created."""
    return config_dir() / "key"


def import_own_export(path: str | Path | None, me: str | None, kind: str | None = None,
                      key: bytes | None = None) -> pd.DataFrame | None:
    """Import your own export with your own key; with no ``path`` yet, say what to do and return None.

    ``kind`` is found from the file when left out. ``me`` (your handle, name, id or address, or a
    list of them) may be left out when the export names its owner. ``key``
    defaults to your own secret key (:func:`trustcircles.anonymise.user_key`, created on first use
    in :func:`key_file`). A wrong path, kind or ``me`` raises one clear error that says how to fix it.
    """
    if path is None:
        # wrapped between words: a notebook would otherwise break the long line anywhere
        print(textwrap.fill("No export given yet, so nothing was imported. Set MY_EXPORT to the path "
                            "of your export (a folder, .zip or .mbox kept outside the course folder) "
                            "and ME to your own handle, name or address, then run this cell again. "
                            f"Your key would be kept in {key_file()}.", 88, break_long_words=False))
        return None
    path = Path(path).expanduser()
    if kind is None:
        kind = detect_kind(path) if path.exists() else None
        if kind is None:
            raise TableError(str(path), "this is not an export trustcircles recognises (or it does "
                             "not exist).", "check the path; or set MY_KIND to one of: "
                             + ", ".join(f"{k} ({v})" for k, v in IMPORTERS.items()) + ".")
    table = import_export(kind, path, me, key=key)
    others = set(table["actor"]).union(table["target"].dropna()) - {"me"}
    print(textwrap.fill(f"Imported {len(table):,} events ({kind}) with {len(others):,} other people, "
                        f"all pseudonymised; you are 'me'. Your key: "
                        f"{key_file() if key is None else 'the key you gave'}.", 88, break_long_words=False))
    note = one_sided_note(table)
    if note:
        print(textwrap.fill(note, 88, break_long_words=False))
    return table


def facts_sentence(table: pd.DataFrame) -> str:
    """A one-line summary of an imported table: events, people, days covered, questions to you."""
    questions = metrics.questions(table)
    to_me = questions[questions["target"].eq("me")]
    others = set(table["actor"]).union(table["target"].dropna()) - {"me"}
    return (f"{len(table):,} events over {metrics.window_days(table):.1f} days with "
            f"{_people(len(others))} besides you; {int(table['actor'].eq('me').sum()):,} written by "
            f"you; {len(to_me):,} question{'' if len(to_me) == 1 else 's'} put to you, {int(to_me['answered_by_target'].sum()):,} "
            "answered by you within 48 hours.")


def sides_notes(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    """For each export that holds only part of the conversation, the sentence that says so."""
    return {kind: note for kind, table in tables.items() if (note := one_sided_note(table))}
