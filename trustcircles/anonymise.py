"""Turning raw interaction data into the shipped, anonymised form.

The same functions serve the course's simulated datasets and a learner's own export (lesson 10), so
that both are anonymised the same way, on the machine where the raw data lives:

* :class:`Pseudonymiser` replaces an identity (a handle, an e-mail address, a user id) by a *keyed*
  pseudonym: HMAC-SHA256 with a secret key. Without the key nobody can test a guessed name against
  a pseudonym, which a bare hash would allow.
* :class:`TextScrubber` removes e-mail addresses, URLs, phone numbers, @handles and given names from
  message text, replacing each with a token such as ``<EMAIL>`` or ``<PERSON>``.
* :func:`shift_times` moves every timestamp by one fixed offset, hiding the real dates while keeping
  every duration (response times, tie lengths) exactly as it was.
* :func:`generalise` coarsens account attributes until each combination of them is shared by at
  least *k* accounts (k-anonymity).
* :func:`anonymise_interactions` applies all of this to an interactions table (METRICS.md).
* :func:`user_key` is the learner's own secret key, kept in their config directory, never in the
  repository.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import sys
import tempfile
import unicodedata
from pathlib import Path
from typing import Callable, Iterable, Mapping

import numpy as np
import pandas as pd

from trustcircles.data import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, TableError, as_interactions
from trustcircles.patterns import EMAIL, EMAIL_CLUE, HANDLE, PHONE, URL, URL_CLUE, trie_regex

__all__ = [
    "Pseudonymiser", "PseudonymCollisionError", "TextScrubber", "scrub_text", "shift_times",
    "generalise", "is_k_anonymous", "smallest_group", "anonymise_interactions", "user_key",
    "config_dir", "TOKENS", "EMAIL", "EMAIL_CLUE", "URL", "URL_CLUE", "trie_regex", "trie_pattern",
    "name_variants",
]

#: The tokens scrubbed text may contain, by kind of thing removed.
TOKENS = {"email": "<EMAIL>", "url": "<URL>", "phone": "<PHONE>", "handle": "<HANDLE>",
          "person": "<PERSON>"}

_REPO_ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- pseudonyms

class PseudonymCollisionError(TableError):
    """Two different identities received the same pseudonym: the pseudonyms are too short."""


class Pseudonymiser:
    """Keyed pseudonyms: ``prefix`` + the first ``length`` hex digits of HMAC-SHA256(key, identity).

    The identity is normalised first (surrounding spaces removed, case folded, one leading ``@``
    removed), so ``"@Ann"`` and ``"ann "`` are the same account and get the same pseudonym. Pass
    ``normalise=False`` for identifiers whose case matters, such as message ids.

    The same key always gives the same pseudonym (so two files anonymised with one key can be
    joined); another key gives unrelated pseudonyms. Without the key a pseudonym cannot be traced
    back, not even by hashing guessed names, because it is not a bare hash.
    """

    def __init__(self, key: bytes, prefix: str = "u", length: int = 8, *, normalise: bool = True):
        if not isinstance(key, (bytes, bytearray)) or len(key) == 0:
            raise TypeError("key must be non-empty bytes, e.g. trustcircles.anonymise.user_key()")
        if not 1 <= int(length) <= 64:
            raise ValueError("length must be between 1 and 64 hex digits")
        self._key = bytes(key)
        self.prefix = prefix
        self.length = int(length)
        self.normalise = normalise
        # the key set up once; each identity continues a copy (hmac.digest sets it up every time)
        self._mac = hmac.new(self._key, digestmod=hashlib.sha256)

    @staticmethod
    def normalise_identity(identity: str) -> str:
        """The form of an identity that is hashed: stripped, case-folded, without a leading ``@``."""
        text = str(identity).strip().casefold()
        return text[1:] if text.startswith("@") else text

    def _digest(self, normalised: str) -> str:
        mac = self._mac.copy()
        mac.update(normalised.encode("utf-8"))
        return self.prefix + mac.hexdigest()[:self.length]

    def __call__(self, identity: str) -> str:
        text = self.normalise_identity(identity) if self.normalise else str(identity)
        return self._digest(text)

    def __repr__(self) -> str:  # never show the key
        return f"Pseudonymiser(prefix={self.prefix!r}, length={self.length})"

    def mapping(self, identities: Iterable[str]) -> dict[str, str]:
        """identity -> pseudonym for each distinct identity; raises if two collide."""
        if isinstance(identities, (pd.Series, pd.Index, pd.api.extensions.ExtensionArray)):
            identities = identities.to_numpy(dtype=object)  # iterating a numpy array is faster
        unique = list(dict.fromkeys(i if type(i) is str else str(i) for i in identities))
        normalised = [self.normalise_identity(i) for i in unique] if self.normalise else unique
        keyed, prefix, length = self._mac, self.prefix, self.length
        pseudonyms = []
        for text in normalised:  # _digest, written out: this loop runs once per message id
            mac = keyed.copy()
            mac.update(text.encode("utf-8"))
            pseudonyms.append(prefix + mac.hexdigest()[:length])
        # one text always gets one pseudonym, so there is a collision exactly when there are
        # fewer distinct pseudonyms than distinct texts
        if len(set(pseudonyms)) != len(set(normalised)):
            by_pseudonym: dict[str, str] = {}
            for text, pseudonym in zip(normalised, pseudonyms):
                if by_pseudonym.setdefault(pseudonym, text) != text:
                    raise PseudonymCollisionError(
                        "pseudonymising", f"two different identities got the same pseudonym "
                        f"{pseudonym!r} ({len(unique):,} identities, {self.length} hex digits).",
                        f"use a longer pseudonym, e.g. Pseudonymiser(key, length={self.length + 4}).")
        return dict(zip(unique, pseudonyms))

    def map(self, series: pd.Series) -> pd.Series:
        """Pseudonymise a Series; missing values stay missing. Each distinct value is hashed once."""
        present = series.dropna()
        table = self.mapping(pd.unique(present.astype(str)))
        out = series.astype(object).where(series.isna(), series.astype(str).map(table))
        return out.astype("str")


# --------------------------------------------------------------------------- text scrubbing

_DIGIT = re.compile(r"\d")


def _phone_or_keep(match: re.Match) -> str:
    digits = len(_DIGIT.findall(match.group(0)))
    return TOKENS["phone"] if 7 <= digits <= 15 else match.group(0)


def _fold_accents(text: str) -> str:
    """``José Müller`` -> ``Jose Muller``: letters without their accents (NFKD, marks dropped)."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_variants(name: str) -> set[str]:
    """The ways people write a name, in lower case, for the scrubber.

    ``"Ann-Marie Lee"`` gives the name itself, each part of two letters or more (``ann-marie``,
    ``ann``, ``marie``, ``lee``: so ``Lee, Ann`` and ``Ann L.`` are caught part by part), the parts
    run together as handles and addresses write them (``annmarielee``, ``ann.marie.lee``,
    ``ann_marie_lee``, ``ann-marie-lee``, also first and last part only: ``annlee``, ``ann.lee``...),
    and all of these without accents (``José`` also as ``jose``). Punctuation around a name
    (quotes, brackets, a trailing comma) is dropped first.
    """
    text = " ".join(str(name).replace("\u00a0", " ").split()).lower().strip(" \"'()[]{}<>,;:")
    if len(text) < 2:
        return set()
    variants = {text}
    words = [w.strip(".,;:\"'()[]") for w in text.replace(",", " ").split()]
    words = [w for w in words if w]
    parts: list[str] = []
    for word in words:
        parts.append(word)
        if "-" in word or "." in word:
            parts.extend(p for p in re.split(r"[-.]", word) if p)
    variants.update(p for p in parts if len(p) >= 2 and not p.isdigit())
    letters = [re.sub(r"[^\w]", "", w) for w in words]
    letters = [w for w in letters if len(w) >= 2 and not w.isdigit()]
    if len(letters) >= 2:
        first_parts = [p for p in re.split(r"[-.]", words[0]) if p] or [letters[0]]
        for chosen in (letters, [letters[0], letters[-1]], [first_parts[0], letters[-1]]):
            for glue in ("", ".", "_", "-"):
                variants.add(glue.join(chosen))
    variants |= {_fold_accents(v) for v in variants}
    return {v for v in variants if len(v) >= 2}


def _clean_words(values: Iterable[str], strip_at: bool = False) -> set[str]:
    words = set()
    for value in values:
        if value is None or (isinstance(value, float) and pd.isna(value)):
            continue
        text = " ".join(str(value).split()).lower()
        if strip_at:
            text = text.lstrip("@")
        if len(text) >= 2:
            words.add(text)
    return words


# Capitalised words that follow a name at the start of a sentence and are no names themselves
_NOT_NAMES = frozenset("""
a an and are as at be but by can could did do does for from had has have he her here hi his how
i i'm i've if in is it it's its just let me my no not now of oh ok okay on or our she so thank
thanks that the their then there these they this to too was we well were what when where which
who why will with would yes you your great good nice hello hey dear congrats congratulations
sorry please cheers welcome happy best love see sure agreed exactly true wow haha lol morning
evening night today tomorrow yesterday also re fwd fw
""".split())
# a token, spaces, and a capitalised word (an upper-case letter, then lower-case letters)
_NAME_AFTER_TOKEN = re.compile(r"(<PERSON>|<HANDLE>)([ \t]+)([^\W\d_a-z][^\W\d_A-Z]+(?:['’-][^\W\d_]+)?)(?![\w>])")


def _rest_of_name(match: re.Match) -> str:
    word = match.group(3)
    if word.lower() in _NOT_NAMES or not word[0].isupper():
        return match.group(0)
    return match.group(1) + match.group(2) + TOKENS["person"]


_WORD_RUN = re.compile(r"\w+")


def _occurs(word: str, vocabulary: set[str]) -> bool:
    runs = _WORD_RUN.findall(word)
    return bool(runs) and all(run in vocabulary for run in runs)


# every ASCII byte that is no word character (\w: letters, digits, "_") -> a space
_ASCII_NON_WORD = bytes(b if chr(b).isalnum() or b == ord("_") else 32 for b in range(128)).ljust(256, b" ")


def vocabulary_of(texts) -> set[str]:
    """Every whole word (run of letters, digits and ``_``) of the texts, in lower case.

    ASCII texts are split on a copy whose other characters are spaces (one C call each for
    the copy and the split, instead of a match object per word); the others by the regex.
    """
    texts = [t for t in texts if isinstance(t, str) and t]
    plain = "\n".join(t for t in texts if t.isascii()).lower()
    words = set(plain.encode("ascii").translate(_ASCII_NON_WORD).decode("ascii").split())
    other = "\n".join(t for t in texts if not t.isascii())
    return words | set(_WORD_RUN.findall(other.lower())) if other else words


def _case_forms(char: str) -> set[str]:
    """The ASCII letters that ``char`` may match ignoring case, ``char`` among them if ASCII:
    its upper and lower case and theirs (``ı`` and ``ſ`` match ``I``/``i`` and ``S``/``s``)."""
    forms = {char}
    for _ in range(2):
        forms |= {f for c in forms for f in (c.lower(), c.upper()) if len(f) == 1}
    return {f for f in forms if f.isascii()}


def trie_pattern(words: Iterable[str], before: str, after: str,
                 at_sign: bool = False) -> re.Pattern:
    """``(?<!before)`` + (``@?`` if ``at_sign``) + :func:`trie_regex` of ``words`` +
    ``(?!after)``, ignoring case: the same matches, compiled so that the regex engine jumps to
    the places where a word can start instead of trying every position of a text.

    ``before`` and ``after`` are classes of one character. The pattern starts with a class of
    every character that can start a match (each word's first letter in both cases, ``@``, and
    any non-ASCII character: the ASCII-only text of most messages is skipped quickly); the look-
    behind then looks at the character before that one; and the word's first letter is checked,
    ignoring case, by a look-behind on the character just taken, in the trie's own order, before
    the rest of the trie. A test compares it with the plain pattern.
    """
    words = sorted(set(words))
    firsts = sorted({w[0] for w in words})
    if not words or " " in firsts:  # a word starting with a space: the plain pattern
        plain = (r"(?<!" + before + r")" + ("@?" if at_sign else "") + trie_regex(words)
                 + r"(?!" + after + r")")
        return re.compile(plain, re.IGNORECASE)
    starts: set[str] = {"@"} if at_sign else set()
    for first in firsts:
        starts |= _case_forms(first)
    start_class = "[" + "".join(re.escape(c) for c in sorted(starts)) + "\x80-\U0010ffff]"
    # what "@?" then the trie tries at a position, in that order: "@" and the whole trie after
    # it; then the trie from the character itself, one branch per first letter
    branches = ["(?<=@)" + trie_regex(words)] if at_sign else []
    branches += ["(?<=" + re.escape(first) + ")" + trie_regex([w[1:] for w in words if w[0] == first])
                 for first in firsts]
    return re.compile(start_class + r"(?<!" + before + r"[\s\S])(?i:(?:" + "|".join(branches)
                      + r"))(?!" + after + r")")


class TextScrubber:
    """Remove personal details from message text, replacing them with tokens.

    In this order (each step sees the previous step's output):

    1. e-mail addresses -> ``<EMAIL>`` (before handles, so ``ann@example.com`` is not read as a
       handle ``@example``; a fediverse handle ``@ann@example.social`` is left to step 4);
    2. URLs -> ``<URL>``: ``http(s)://...``, ``www....`` and bare domains with a common top-level
       domain (``example.com/shop``);
    3. phone numbers -> ``<PHONE>``: 7 to 15 digits in groups joined by spaces, dots or dashes, with
       an optional leading ``+`` or ``00`` and parentheses (``+44 20 7946 0958``, ``(555) 123-4567``,
       ``06.12.34.56.78``). Dates (``2025-03-03``, ``03/03/2025``), times (``09:00``) and short numbers
       (``48 hours``) are left alone; so is a number glued to letters;
    4. @handles -> ``<HANDLE>`` (``@ann_lee``, ``@ann@example.social``, Slack's ``<@U024BE7LH>``),
       and the given ``handles`` even when written without the ``@``;
    5. the given ``names`` -> ``<PERSON>``: each full name and each of its parts (first, last name)
       as whole words, ignoring case, in the forms of :func:`name_variants` (run together as in
       ``annlee`` or ``ann.lee``, without accents); and each of the given ``phrases`` (profile
       fields) whole. Longer matches win: "Ann Lee" becomes one ``<PERSON>``;
    6. the rest of a name the export does not list: a capitalised word right after a
       ``<PERSON>`` or ``<HANDLE>`` ("@sam Sample" -> ``<HANDLE> <PERSON>``), unless it is a common
       word that starts sentences ("@sam Thanks ...").

    Matching names ignores case, so a person called "Will" also removes the word "will": the scrubber
    errs on the side of privacy. Single letters are never treated as names or handles.
    """

    def __init__(self, names: Iterable[str] = (), handles: Iterable[str] = (),
                 phrases: Iterable[str] = (), vocabulary: set[str] | None = None):
        names = list(names)
        words = _clean_words(names)
        for name in list(words):
            words.update(name_variants(name))
        # a phrase (a profile field such as a job title or a location) is removed whole
        words.update(_clean_words(phrases))
        handle_words = _clean_words(handles, strip_at=True)
        handle_words |= {_fold_accents(h) for h in handle_words}
        if vocabulary is not None:
            # only what can occur: a name or handle matches, as a whole word, only where each of its
            # runs of letters and digits is a whole word of some text, so the others need not be
            # compiled (thousands of names make a pattern that takes a second to compile)
            words = {w for w in words if _occurs(w, vocabulary)}
            handle_words = {h for h in handle_words if _occurs(h, vocabulary)}
        # (pattern, replacement, clues) applied in order; replacement may be a function. A step can
        # only match a text holding one of its clues (an e-mail address or a handle always has an
        # "@", a URL "://", "www." or a dot before a letter, a phone number a digit), so it is
        # skipped for other texts; clues are strings or a pattern to search; none: always tried.
        self._steps: list[tuple[re.Pattern, str | Callable[[re.Match], str], tuple | re.Pattern]] = [
            (EMAIL, TOKENS["email"], EMAIL_CLUE),
            (URL, TOKENS["url"], URL_CLUE),
            (PHONE, _phone_or_keep, _DIGIT),
            (HANDLE, TOKENS["handle"], ("@",)),
        ]
        # not inside a word nor inside a token such as <PERSON> (a person named "Email" exists)
        if handle_words:
            pattern = trie_pattern(handle_words, before=r"[\w<@]", after=r"[\w>]", at_sign=True)
            self._steps.append((pattern, TOKENS["handle"], ()))
        if words:
            pattern = trie_pattern(words, before=r"[\w<]", after=r"[\w>]")
            self._steps.append((pattern, TOKENS["person"], ()))
        # the rest of a name the export does not list: "@sam Sample" -> "<HANDLE> <PERSON>"
        self._steps.append((_NAME_AFTER_TOKEN, _rest_of_name, ("<PERSON>", "<HANDLE>")))

    def scrub(self, text: str) -> str:
        """The text with e-mails, URLs, phones, handles and names replaced by tokens."""
        if text is None or (not isinstance(text, str) and pd.isna(text)):
            return text
        for pattern, replacement, clues in self._steps:
            # what the clue itself needs, tested quicker than the clue: "@" for an e-mail
            # address, "." or ":" for a URL
            if clues is EMAIL_CLUE and "@" not in text or (
                    clues is URL_CLUE and "." not in text and ":" not in text):
                continue
            if (clues.search(text) is not None if isinstance(clues, re.Pattern)
                    else not clues or any(clue in text for clue in clues)):
                before, text = text, pattern.sub(replacement, text)
                # "Ann Marie Lee" after a token: word by word (a pass that changed nothing would
                # change nothing again)
                if pattern is _NAME_AFTER_TOKEN and text != before:
                    for _ in range(3):
                        again = pattern.sub(replacement, text)
                        if again == text:
                            break
                        text = again
        return text

    def scrub_series(self, series: pd.Series) -> pd.Series:
        """Scrub every text of a Series (missing values stay missing); each distinct text once."""
        texts = series.astype("str")
        codes, distinct = pd.factorize(texts)  # missing values get code -1
        distinct = np.asarray(distinct, dtype=object)  # iterating Arrow strings is slow
        scrubbed = np.array([self.scrub(text) for text in distinct] + [None], dtype=object)
        return pd.Series(scrubbed[codes], index=series.index, name=series.name).astype("str")


def scrub_text(text: str, names: Iterable[str] = (), handles: Iterable[str] = ()) -> str:
    """Scrub one text; see :class:`TextScrubber` (build a TextScrubber once for many texts)."""
    return TextScrubber(names, handles).scrub(text)


# --------------------------------------------------------------------------- time shift

def shift_times(timestamps: pd.Series, shift: pd.Timedelta) -> pd.Series:
    """Every timestamp moved by the same ``shift``, as UTC datetimes.

    Durations between events are unchanged, so every metric stays the same; only the calendar
    dates move. Text timestamps are parsed as ISO 8601 (no offset means UTC).
    """
    shift = pd.Timedelta(shift)
    if pd.isna(shift):
        raise ValueError("shift must be a duration, e.g. pd.Timedelta(days=-17)")
    if pd.api.types.is_datetime64_any_dtype(timestamps):
        times = timestamps if timestamps.dt.tz is not None else timestamps.dt.tz_localize("UTC")
        times = times.dt.tz_convert("UTC")
    else:
        times = pd.to_datetime(timestamps, utc=True, format="ISO8601")
    return times + shift


# --------------------------------------------------------------------------- k-anonymity

def smallest_group(frame: pd.DataFrame, columns: Iterable[str]) -> int:
    """How many rows share the rarest combination of values in ``columns`` (0 for an empty frame).

    Missing values count as a value of their own.
    """
    columns = list(columns)
    if len(frame) == 0:
        return 0
    if not columns:
        return len(frame)
    return int(frame.groupby(columns, dropna=False, sort=False).size().min())


def is_k_anonymous(frame: pd.DataFrame, columns: Iterable[str], k: int) -> bool:
    """True when every combination of values in ``columns`` occurs in at least ``k`` rows.

    An empty frame is k-anonymous (there is no row to single out).
    """
    return len(frame) == 0 or smallest_group(frame, columns) >= k


def _apply_level(values: pd.Series, level) -> pd.Series:
    if isinstance(level, str):
        return pd.Series(level, index=values.index, dtype=object)
    if isinstance(level, Mapping):
        # a value the mapping does not know is fully generalised: safe rather than revealing
        return values.map(lambda v: level.get(v, "*")).astype(object)
    if callable(level):
        uniques = pd.unique(values)
        table = {v: level(v) for v in uniques if not pd.isna(v)}
        return values.map(table).astype(object)
    raise TypeError(f"a generalisation level must be a function, a mapping or a string, "
                    f"not {type(level).__name__}")


def generalise(accounts: pd.DataFrame, quasi_identifiers: dict[str, list], k: int = 5,
               max_suppressed: float = 0.05) -> pd.DataFrame:
    """Coarsen the quasi-identifier columns of ``accounts`` until the table is k-anonymous.

    ``quasi_identifiers`` maps a column to its generalisation hierarchy: a list of levels, each a
    function or a mapping from the column's *original* value to a coarser value (a mapping sends a
    value it does not list to ``"*"``). For example
    ``{"age": [lambda a: f"{a // 10 * 10}s", lambda a: "under 40" if a < 40 else "40+"]}``. A final
    level ``"*"`` (nothing said) is always added after the given ones.

    Greedy: while more than ``max_suppressed`` of the rows sit in groups smaller than ``k``, the
    column that currently has the most distinct values climbs one level. Then the rows still in
    groups smaller than ``k`` are suppressed: all their quasi-identifiers become ``"*"``; if that
    would leave fewer than ``k`` suppressed rows, rows of the next smallest groups are suppressed with
    them, so the suppressed rows form a group of at least ``k`` too.

    Guarantee: the result has the same rows, index and other columns; in it, every combination of
    quasi-identifier values is shared by at least ``k`` rows (``is_k_anonymous`` is true), provided
    the table has at least ``k`` rows. A table with fewer than ``k`` rows raises ``ValueError``.
    The quasi-identifier columns come back as text (pandas ``object``), missing values stay missing.
    This protects against singling out by these columns only; it says nothing about other columns.
    """
    k = int(k)
    if k < 1:
        raise ValueError("k must be at least 1")
    missing = [c for c in quasi_identifiers if c not in accounts.columns]
    if missing:
        raise KeyError(f"quasi-identifier column(s) not in the table: {', '.join(missing)}")
    columns = list(quasi_identifiers)
    if len(accounts) and len(accounts) < k:
        raise ValueError(f"a table of {len(accounts)} rows cannot be {k}-anonymous: "
                         f"it needs at least {k} rows")
    result = accounts.copy()
    if not columns or len(accounts) == 0:
        return result
    originals = {c: accounts[c] for c in columns}
    hierarchies = {c: list(quasi_identifiers[c]) + ["*"] for c in columns}
    level = {c: 0 for c in columns}
    for c in columns:
        result[c] = accounts[c].astype(object)

    def rows_in_small_groups() -> pd.Series:
        sizes = result.groupby(columns, dropna=False, sort=False)[columns[0]].transform("size")
        return sizes < k

    allowed = int(max_suppressed * len(result))
    small = rows_in_small_groups()
    while int(small.sum()) > allowed:
        climbable = [c for c in columns if level[c] < len(hierarchies[c])]
        if not climbable:
            break
        # most distinct values first; ties go to the column listed first
        column = max(climbable, key=lambda c: (result[c].nunique(dropna=False), -columns.index(c)))
        result[column] = _apply_level(originals[column], hierarchies[column][level[column]])
        level[column] += 1
        small = rows_in_small_groups()

    if small.any():
        suppressed = small.copy()
        if int(suppressed.sum()) < k:
            sizes = result.groupby(columns, dropna=False, sort=False)[columns[0]].transform("size")
            order = sizes[~suppressed].sort_values(kind="stable")
            for start in range(0, len(order)):
                if int(suppressed.sum()) >= k:
                    break
                # suppress whole groups, so no group is left smaller than k
                row = order.index[start]
                if suppressed[row]:
                    continue
                key = tuple(result.loc[row, c] for c in columns)
                same = pd.Series(True, index=result.index)
                for c, v in zip(columns, key):
                    same &= result[c].isna() if pd.isna(v) else (result[c] == v)
                suppressed |= same
        for c in columns:
            result[c] = result[c].astype(object)
            result.loc[suppressed, c] = "*"
    for c in columns:
        result[c] = result[c].map(lambda v: v if pd.isna(v) else str(v)).astype(object)
    return result


# --------------------------------------------------------------------------- interactions

def _missing_as_na(series: pd.Series) -> pd.Series:
    values = series.astype(object)
    return values.where(values.notna() & (values.astype(str) != ""), None)


def anonymise_interactions(raw: pd.DataFrame, key: bytes, *,
                           time_shift: pd.Timedelta = pd.Timedelta(0),
                           names: Iterable[str] = (), handles: Iterable[str] = (),
                           me: str | None = None, account_prefix: str = "u",
                           event_prefix: str = "e", phrases: Iterable[str] = (),
                           scrub_columns: Iterable[str] = ("text",)) -> pd.DataFrame:
    """An interactions table with real identities turned into the shipped, anonymised form.

    * ``actor`` and ``target``: keyed pseudonyms (``u`` + 8 hex digits); the identity equal to ``me``
      (after normalising, see :class:`Pseudonymiser`) becomes literally ``me``;
    * ``event_id`` and ``parent_id``: keyed pseudonyms (``e`` + 12 hex digits, so a million events
      practically never collide; a collision raises an error rather than merging events). A
      parent outside the table gets the same pseudonym its own row would have had;
    * ``timestamp``: moved by ``time_shift`` (UTC);
    * ``text`` (if present), and every other column in ``scrub_columns`` (e.g. a ``channel`` or
      ``conversation`` title): scrubbed by :class:`TextScrubber` with the given ``names``,
      ``handles`` and ``phrases`` plus every actor and target identity of 3 characters or more;
    * other columns are kept as they are. A missing (or empty) target or parent stays missing.

    The result is validated against METRICS.md (:func:`trustcircles.data.as_interactions`).
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    if missing:
        raise TableError("raw table", f"required column(s) missing: {', '.join(missing)}.",
                         f"the raw table needs the columns {', '.join(REQUIRED_COLUMNS)}.")
    accounts = Pseudonymiser(key, account_prefix, 8)
    events = Pseudonymiser(key, event_prefix, 12, normalise=False)

    actor = _missing_as_na(raw["actor"])
    target = _missing_as_na(raw["target"])
    identities = pd.unique(pd.concat([actor.dropna(), target.dropna()]).astype(str))
    account_map = accounts.mapping(identities)
    if me is not None:
        me_normal = Pseudonymiser.normalise_identity(me)
        for identity in account_map:
            if Pseudonymiser.normalise_identity(identity) == me_normal:
                account_map[identity] = "me"

    event_id = _missing_as_na(raw["event_id"])
    parent_id = _missing_as_na(raw["parent_id"])
    event_map = events.mapping(pd.unique(pd.concat([event_id.dropna(), parent_id.dropna()]).astype(str)))

    def mapped(values: pd.Series, table: dict) -> pd.Series:
        # a dict lookup per value (the tables' keys are text, every value has one, see above);
        # missing (None, from _missing_as_na) stays missing
        out = [None if value is None else table[value if type(value) is str else str(value)]
               for value in values.to_numpy(dtype=object)]
        return pd.Series(out, index=values.index, dtype="str")

    out = pd.DataFrame({
        "event_id": mapped(event_id, event_map),
        "timestamp": shift_times(raw["timestamp"], time_shift),
        "actor": mapped(actor, account_map),
        "target": mapped(target, account_map),
        "kind": raw["kind"],
        "parent_id": mapped(parent_id, event_map),
        "is_question": raw["is_question"],
        "is_promotional": raw["is_promotional"],
    }, index=raw.index)
    to_scrub = [c for c in dict.fromkeys(scrub_columns) if c in raw.columns]
    if to_scrub:
        distinct = [pd.unique(raw[c].dropna().astype(str).to_numpy(dtype=object)) for c in to_scrub]
        vocabulary = set()
        for texts in distinct:
            vocabulary |= vocabulary_of(texts)
        scrubber = TextScrubber(names, list(handles) + [i for i in identities if len(i) >= 3],
                                phrases, vocabulary=vocabulary)
        for column in to_scrub:
            out[column] = scrubber.scrub_series(raw[column])
    for column in raw.columns:
        if column not in out.columns:
            out[column] = raw[column]
    out = out.reset_index(drop=True)
    return as_interactions(out, source="anonymised table")


# --------------------------------------------------------------------------- the user's key

def config_dir() -> Path:
    """The folder for trustcircles' per-user settings (and secret key).

    ``$TRUSTCIRCLES_CONFIG_DIR`` if set; otherwise ``%APPDATA%\\trustcircles`` on Windows,
    ``~/Library/Application Support/trustcircles`` on macOS and
    ``$XDG_CONFIG_HOME/trustcircles`` (default ``~/.config/trustcircles``) elsewhere.
    """
    override = os.environ.get("TRUSTCIRCLES_CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    if sys.platform.startswith("win"):
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "trustcircles"


KEY_BYTES = 32


def user_key(path: Path | None = None) -> bytes:
    """The user's secret pseudonymisation key (32 random bytes), created on first use.

    Stored in ``config_dir() / "key"`` (or ``path``) with permissions 0600, so that only this user
    can read it; never inside the course repository (such a path is refused), so it cannot be
    committed or shared by accident. The same key gives the same pseudonyms every time, so two
    imports of one account can be compared; deleting the key changes every pseudonym.
    """
    path = Path(path) if path is not None else config_dir() / "key"
    resolved = path.expanduser().resolve()
    if resolved == _REPO_ROOT or _REPO_ROOT in resolved.parents:
        raise TableError(str(path), "the secret key may not be kept inside the course repository "
                         "(it could be committed or shared by accident).",
                         "use the default location (leave the path out) or a path in your "
                         "home or config directory.")
    if resolved.exists():
        data = resolved.read_bytes()
        if len(data) != KEY_BYTES:
            raise TableError(str(path), f"this is not a trustcircles key (it has {len(data)} bytes, "
                             f"a key has {KEY_BYTES}).",
                             "move the file away; a new key will be made on the next run "
                             "(pseudonyms made with the old key will not match the new ones).")
        return data
    resolved.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_bytes(KEY_BYTES)
    handle, temp_name = tempfile.mkstemp(dir=resolved.parent, prefix=".key-")
    try:
        os.chmod(temp_name, 0o600)
        with os.fdopen(handle, "wb") as temp:
            temp.write(key)
            temp.flush()
            os.fsync(temp.fileno())
        try:
            # a hard link never replaces a key another process created a moment ago
            os.link(temp_name, resolved)
        except FileExistsError:
            return user_key(resolved)
        except OSError:
            os.replace(temp_name, resolved)
            return key
    finally:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
    return key
