"""The two text rules an import uses to fill ``is_question`` and ``is_promotional``.

Both work on raw or already scrubbed text (``<URL>`` counts as a link). Over a pandas Series each
distinct text is classified once, in one pass that skips the checks a text cannot need (no ``@``,
no e-mail address), so the 60,000 distinct texts of a 100,000-message export are classified by
both rules in about half a second (benchmarks/bench_import.py).

**Question rule.** A message asks something when, after removing quoted lines (lines starting with
``>``), links and e-mail addresses (a ``?`` inside a URL asks nothing) and the @handles it opens with,

* it contains a question mark, or
* its first word is an interrogative: who, what, when, where, which, why, how, can, could, would,
  should, will, is, are, do, does, did, any, anyone (any case).

**Promotion rule.** A message sells or promotes when

* it contains a selling phrase on its own: buy now, discount, % off, promo code, coupon, free trial,
  link in bio, sign up, register now, webinar, book a demo, limited time, limited offer, special
  offer, on sale, pre-order, early bird, use code; or
* it contains a link *and* a selling word: buy, offer, sale, register, demo, limited, deal, launch,
  order, shop, subscribe, pricing, price, discount, course, ebook, checkout (whole words, any case).

A link with ordinary words ("great write-up: <link>") is sharing, not selling.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from trustcircles.anonymise import trie_pattern
from trustcircles.patterns import EMAIL, EMAIL_CLUE, URL, URL_CLUE

INTERROGATIVES = ("who", "what", "when", "where", "which", "why", "how", "can", "could", "would",
                  "should", "will", "is", "are", "do", "does", "did", "any", "anyone")
SELLING_PHRASES = ("buy now", "discount", "% off", "promo code", "coupon", "free trial",
                   "link in bio", "sign up", "register now", "webinar", "book a demo",
                   "limited time", "limited offer", "special offer", "on sale", "pre-order",
                   "early bird", "use code")
SELLING_WORDS = ("buy", "offer", "sale", "register", "demo", "limited", "deal", "launch", "order",
                 "shop", "subscribe", "pricing", "price", "discount", "course", "ebook", "checkout")

_QUOTED_LINE = re.compile(r"(?m)^[ \t]*>.*$")
_LEADING_HANDLES = re.compile(r"^\s*(?:(?:@[\w.@-]+|<HANDLE>|<@[A-Z0-9]+(?:\|[^>]*)?>)[\s,:]*)+")
_STARTS_WITH_INTERROGATIVE = re.compile(r"^\W*(?:" + "|".join(INTERROGATIVES) + r")\b", re.IGNORECASE)
# The phrases and words as character tries compiled by anonymise.trie_pattern: the same matches
# as a plain list of alternatives ignoring case, but the engine follows one branch per character
# instead of trying all 18 phrases at every position, and skips to the letters a phrase can start
# with. Spaces inside a phrase match any run of white space; "% off" also "%off". A text holds a
# selling phrase when either pattern finds one in it.
_WORD_PHRASES = [p for p in SELLING_PHRASES if p[0].isalpha()]
_OTHER_PHRASES = [p for p in SELLING_PHRASES if not p[0].isalpha()]
_SELLING_PHRASE = trie_pattern(_WORD_PHRASES, before=r"\w", after=r"\w")
_SELLING_SIGN = re.compile("|".join(re.escape(p).replace(r"\ ", r"\s*") for p in _OTHER_PHRASES),
                           re.IGNORECASE)
_SIGN_STARTS = tuple(sorted({p[0] for p in _OTHER_PHRASES}))  # signs such as "%": no case forms
assert all(c.lower() == c.upper() and not c.isspace() for c in _SIGN_STARTS)
# every selling word is letters only, so "\b" before and after it is "no word character there"
_SELLING_WORD = trie_pattern(SELLING_WORDS, before=r"\w", after=r"\w")


def _text(series: pd.Series) -> pd.Series:
    return series.astype("str").fillna("")


def _per_distinct_text(texts: pd.Series, rule) -> pd.Series:
    """``rule(text)`` for each text (missing counts as ""), worked out once per distinct text."""
    codes, distinct = pd.factorize(_text(texts))
    flags = flags_of(np.asarray(distinct, dtype=object), rule)  # iterating Arrow strings is slow
    return pd.Series(flags[codes] if len(codes) else np.zeros(0, dtype=bool), index=texts.index)


def flags_of(texts, rule) -> np.ndarray:
    """``rule(text)`` for each of ``texts`` (distinct texts, as an importer has them), as booleans;
    ``rule`` is :func:`asks` or :func:`sells`."""
    return np.fromiter((rule(text) for text in texts), dtype=bool, count=len(texts))


def asks(text: str) -> bool:
    """The question rule for one text (see the module docstring)."""
    if ">" in text:
        text = _QUOTED_LINE.sub("", text)
    # each pattern only where the characters it needs are (a URL has "." or ":", see
    # patterns.URL_CLUE; an e-mail address "@"; a leading handle starts with "@" or "<")
    if ("." in text or ":" in text) and URL_CLUE.search(text):
        text = URL.sub(" ", text)
    if "@" in text and EMAIL_CLUE.search(text):
        text = EMAIL.sub(" ", text)
    text = text.replace("<URL>", " ")
    if text.lstrip()[:1] in ("@", "<"):  # str.lstrip strips what \s matches
        text = _LEADING_HANDLES.sub("", text)
    return "?" in text or _STARTS_WITH_INTERROGATIVE.search(text) is not None


def sells(text: str) -> bool:
    """The promotion rule for one text (see the module docstring)."""
    if _SELLING_PHRASE.search(text) or (
            any(sign in text for sign in _SIGN_STARTS) and _SELLING_SIGN.search(text)):
        return True
    return _SELLING_WORD.search(text) is not None and (
        "<URL>" in text or URL.search(text) is not None)


def question_flags(texts: pd.Series) -> pd.Series:
    """``is_question`` for each text by the question rule (a missing text asks nothing)."""
    return _per_distinct_text(texts, asks)


def promotion_flags(texts: pd.Series) -> pd.Series:
    """``is_promotional`` for each text by the promotion rule (a missing text promotes nothing)."""
    return _per_distinct_text(texts, sells)


def is_question(text: str) -> bool:
    """The question rule for one text."""
    return bool(question_flags(pd.Series([text], dtype="str"))[0])


def is_promotional(text: str) -> bool:
    """The promotion rule for one text."""
    return bool(promotion_flags(pd.Series([text], dtype="str"))[0])
