"""The two text rules an import uses to fill ``is_question`` and ``is_promotional``.

Both work on raw or already scrubbed text (``<URL>`` counts as a link) and are vectorised over a
pandas Series, so a 100,000-message export is classified in well under a second.

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

import pandas as pd

from trustcircles.anonymise import _EMAIL, _URL

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
_SELLING_PHRASE = re.compile(
    "|".join(r"(?<!\w)" + re.escape(p).replace(r"\ ", r"\s+") + r"(?!\w)" if p[0].isalpha()
             else re.escape(p).replace(r"\ ", r"\s*") for p in SELLING_PHRASES), re.IGNORECASE)
_SELLING_WORD = re.compile(r"\b(?:" + "|".join(SELLING_WORDS) + r")\b", re.IGNORECASE)
_LINK_TOKEN = re.compile(r"<URL>")


def _text(series: pd.Series) -> pd.Series:
    return series.astype("str").fillna("")


def question_flags(texts: pd.Series) -> pd.Series:
    """``is_question`` for each text by the question rule (a missing text asks nothing)."""
    text = _text(texts)
    text = text.str.replace(_QUOTED_LINE, "", regex=True)
    text = text.str.replace(_URL, " ", regex=True).str.replace(_EMAIL, " ", regex=True)
    text = text.str.replace(_LINK_TOKEN, " ", regex=True)
    text = text.str.replace(_LEADING_HANDLES, "", regex=True)
    flags = text.str.contains("?", regex=False) | text.str.contains(_STARTS_WITH_INTERROGATIVE, regex=True)
    return flags.fillna(False).astype(bool)


def promotion_flags(texts: pd.Series) -> pd.Series:
    """``is_promotional`` for each text by the promotion rule (a missing text promotes nothing)."""
    text = _text(texts)
    has_link = text.str.contains(_URL, regex=True) | text.str.contains("<URL>", regex=False)
    flags = text.str.contains(_SELLING_PHRASE, regex=True) | (
        has_link & text.str.contains(_SELLING_WORD, regex=True))
    return flags.fillna(False).astype(bool)


def is_question(text: str) -> bool:
    """The question rule for one text."""
    return bool(question_flags(pd.Series([text], dtype="str"))[0])


def is_promotional(text: str) -> bool:
    """The promotion rule for one text."""
    return bool(promotion_flags(pd.Series([text], dtype="str"))[0])
