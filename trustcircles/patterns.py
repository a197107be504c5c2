"""Regular expressions for the personal details in message text, and for lists of words.

Shared by :mod:`trustcircles.anonymise` (which replaces each match with a token such as ``<EMAIL>``)
and :mod:`trustcircles.importers.rules` (which looks for questions and selling in the same text), so
that both read an e-mail address, a URL or a handle the same way.

* :data:`EMAIL`, :data:`URL`, :data:`PHONE` (a candidate: 7 to 15 digits make it a phone number) and
  :data:`HANDLE` (``@ann``, ``@ann@example.social``, Slack's ``<@U024BE7LH>``);
* :data:`URL_CLUE`, :data:`EMAIL_CLUE`: what every match of URL or EMAIL contains (a quick test
  before the pattern);
* :func:`trie_regex`: one fast regex for thousands of names or phrases.
"""
from __future__ import annotations

import re
from typing import Iterable

#: Common top-level domains: a bare domain (example.com/shop) counts as a URL with one of them.
_TLDS = ("com|org|net|io|co|dev|app|ai|me|info|biz|edu|gov|uk|de|fr|nl|es|it|eu|ca|au|us|ch|se|"
         "no|dk|fi|be|at|pl|in|jp|ly|gl|gg|tv|fm|xyz|site|online|shop|store|tech|social|blog|page|"
         "link|club|news|cloud|email")

EMAIL = re.compile(r"(?<![\w.+@-])(?=[\w.+-]*@)[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")

_URL_TAIL = r"[^\s<>\"']*[^\s<>\"'.,;:!?)\]}]"

URL = re.compile(
    rf"(?<![\w@])(?:https?://|www\.){_URL_TAIL}"
    # a bare domain (example.com/path); not after @ or a dot, so handles and e-mails are left alone
    rf"|(?<![\w@.-])(?=[a-z0-9-]+\.[a-z])(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+(?:{_TLDS})(?![\w-])(?:[/?#]{_URL_TAIL})?",
    re.IGNORECASE)

# A phone candidate: groups of digits joined by single spaces, dots or dashes, maybe a leading +
# or 00 and parentheses. Whether it counts (7 to 15 digits) the caller decides. It may not
# start inside a word, a number, a time (after ':') or a path, nor at a date like 2025-03-03 or
# 03.03.2025, and may not end before a ':' (09:00 is a time, not part of a number).
PHONE = re.compile(r"""
    (?<![\w+/:.,-])
    (?=[+(\d])
    (?!\d{4}([-./])\d{1,2}\1\d{1,2}(?![-./]?\d))
    (?!\d{1,2}([-./])\d{1,2}\2\d{2,4}(?![-./]?\d))
    (?:\+|00)?\s?
    \(?\d{1,5}\)?
    (?:[ .-]?\(?\d{1,5}\)?){1,8}
    (?![\w:])
    """, re.VERBOSE)

#: What every URL that URL matches contains: "://" or "www." (its first form) or a dot before a
#: letter (a bare domain); a text without any of them holds no URL, and the pattern need not be tried.
URL_CLUE = re.compile(r"://|www\.|\.[a-z]", re.IGNORECASE)
#: What every address EMAIL matches contains: a letter, digit, "_", ".", "+" or "-" right before an
#: "@" ("@ann" opening a reply is a handle, not an address, and needs no address pattern).
EMAIL_CLUE = re.compile(r"[\w.+-]@")

# @handle, @user@instance (fediverse) and Slack's <@U123ABC> / <@U123ABC|name> mentions
HANDLE = re.compile(r"(?<![\w@/<])@[A-Za-z0-9_](?:[\w.-]*\w)?(?:@[\w-]+(?:\.[\w-]+)+)?"
                     r"|<@[A-Z0-9]+(?:\|[^>]*)?>")


def trie_regex(words: Iterable[str]) -> str:
    """One regex matching any of ``words`` (lower case), as a character trie.

    A trie keeps matching fast with thousands of names: the engine follows one branch per character
    instead of trying every name at every position. Longer words are tried before their prefixes.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = []
        for char in sorted(c for c in node if c):
            head = r"\s+" if char == " " else re.escape(char)
            branches.append(head + build(node[char]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return "(?:" + body + ")?"
        return body

    return build(trie)
