"""Tests of trustcircles.anonymise: keyed pseudonyms, scrubbing, time shift, k-anonymity, user key."""
from __future__ import annotations

import hashlib
import os
import stat
import sys

import numpy as np
import pandas as pd
import pytest

from trustcircles.anonymise import (PseudonymCollisionError, Pseudonymiser, TextScrubber,
                                    anonymise_interactions, config_dir, generalise, is_k_anonymous,
                                    scrub_text, shift_times, smallest_group, user_key)
from trustcircles.data import TableError, as_interactions

KEY = b"k" * 32


# --------------------------------------------------------------------------- pseudonyms

def test_pseudonym_is_keyed_and_not_a_bare_hash():
    name = "ann_lee"
    first = Pseudonymiser(KEY)(name)
    assert first.startswith("u") and len(first) == 9
    assert Pseudonymiser(b"another key")(name) != first
    assert first[1:] != hashlib.sha256(name.encode()).hexdigest()[:8]
    assert first[1:] not in hashlib.sha256(name.encode()).hexdigest()


@pytest.mark.parametrize("key", [b"k", KEY, b"x" * 64, b"y" * 65, bytes(range(256)) * 2])
def test_pseudonym_is_hmac_sha256_of_the_normalised_identity(key):
    # the pseudonymiser sets the key up once and continues copies of it: the same digests as
    # hmac.digest for keys shorter than, as long as, and longer than a block
    import hmac
    for length, normalise in ((8, True), (12, False), (64, False)):
        p = Pseudonymiser(key, "u", length, normalise=normalise)
        for identity in ("ann", "@Ann_Lee ", "Jos\u00e9 M\u00fcller", "", "x" * 300, "e\u2603\U0001f600"):
            text = Pseudonymiser.normalise_identity(identity) if normalise else identity
            expected = hmac.digest(key, text.encode("utf-8"), "sha256").hex()[:length]
            assert p(identity) == "u" + expected
        assert p.mapping(["ann", "bob"]) == {"ann": p("ann"), "bob": p("bob")}


def test_pseudonym_is_stable_and_normalised():
    p = Pseudonymiser(KEY, prefix="x", length=12)
    assert p("@Ann_Lee ") == p("ann_lee") == Pseudonymiser(KEY, prefix="x", length=12)("ANN_LEE")
    assert len(p("ann")) == 13 and p("ann").startswith("x")
    assert p("ann") != p("bob")
    assert "k" * 8 not in repr(p)


def test_map_keeps_missing_and_matches_single_calls():
    p = Pseudonymiser(KEY)
    series = pd.Series(["ann", None, "bob", "@ANN"])
    out = p.map(series)
    assert out[0] == out[3] == p("ann")
    assert out[2] == p("bob")
    assert pd.isna(out[1])


def test_collision_is_detected_and_suggests_longer():
    p = Pseudonymiser(KEY, length=1)  # 16 possible pseudonyms: 40 names must collide
    with pytest.raises(PseudonymCollisionError, match="length=5"):
        p.map(pd.Series([f"name{i}" for i in range(40)]))
    # with the default length they do not
    assert Pseudonymiser(KEY).map(pd.Series([f"name{i}" for i in range(40)])).nunique() == 40


def test_unnormalised_pseudonyms_keep_case_apart():
    p = Pseudonymiser(KEY, "e", 12, normalise=False)
    assert p("AbC") != p("abc")


# --------------------------------------------------------------------------- scrubbing

@pytest.mark.parametrize("text, expected", [
    ("write to ann.lee+work@example.co.uk today", "write to <EMAIL> today"),
    ("mail ann@example.com, not @ann", "mail <EMAIL>, not <HANDLE>"),
    ("see https://example.com/a?b=1.", "see <URL>."),
    ("see http://shop.example.org/path and www.example.net!", "see <URL> and <URL>!"),
    ("my site example.com/shop is new", "my site <URL> is new"),
    ("call +44 20 7946 0958 now", "call <PHONE> now"),
    ("call (555) 123-4567 or 555.123.4567", "call <PHONE> or <PHONE>"),
    ("ring 06.12.34.56.78 or 0033 6 12 34 56 78", "ring <PHONE> or <PHONE>"),
    ("thanks @ann_lee and @bob", "thanks <HANDLE> and <HANDLE>"),
    ("cc @ann@mastodon.social please", "cc <HANDLE> please"),
    ("hey <@U024BE7LH> look", "hey <HANDLE> look"),
])
def test_scrub_each_kind(text, expected):
    assert scrub_text(text) == expected


@pytest.mark.parametrize("text", [
    "Meet on 2025-03-03 09:00 for 48 hours",
    "from 03/03/2025 to 10.03.2025, 10:30-12:00",
    "it took 48 hours and 1,000,000 views; version 3.5.1",
    "room 12, 3 people, 2025",
    "no personal details here at all",
])
def test_scrub_leaves_dates_times_and_numbers(text):
    assert scrub_text(text) == text


def test_scrub_names_whole_words_case_insensitive():
    scrubber = TextScrubber(names=["Ann Lee", "Bob Stone"], handles=["bobby_s"])
    assert scrubber.scrub("Hi Ann Lee and ann, bob STONE") == "Hi <PERSON> and <PERSON>, <PERSON>"
    assert scrubber.scrub("Lee said bobby_s is here") == "<PERSON> said <HANDLE> is here"
    # whole words only
    assert scrubber.scrub("Anne from Leeds plays bobsleigh") == "Anne from Leeds plays bobsleigh"


def test_scrub_name_that_looks_like_a_token():
    scrubber = TextScrubber(names=["Email Url"])
    assert scrubber.scrub("Email wrote to a@b.com") == "<PERSON> wrote to <EMAIL>"


def test_scrub_series_matches_scrub_and_keeps_missing():
    scrubber = TextScrubber(names=["Ann Lee"])
    texts = ["Ann: a@b.com +1 555 123 4567", None, "see example.org", ""]
    out = scrubber.scrub_series(pd.Series(texts, dtype="str"))
    assert out[0] == scrubber.scrub(texts[0]) == "<PERSON>: <EMAIL> <PHONE>"
    assert pd.isna(out[1])
    assert out[2] == "see <URL>"
    assert out[3] == ""


def test_scrub_many_names_uses_them_all():
    names = [f"Person{i} Family{i}" for i in range(2000)]
    scrubber = TextScrubber(names=names)
    assert scrubber.scrub("person1999 met FAMILY7 and Person12 Family12") == \
        "<PERSON> met <PERSON> and <PERSON>"


# --------------------------------------------------------------------------- time shift

def test_shift_times_keeps_durations():
    times = pd.Series(["2025-03-03T09:00:00Z", "2025-03-04T10:30:00+01:00"])
    shifted = shift_times(times, pd.Timedelta(days=-10, hours=3))
    assert str(shifted[0]) == "2025-02-21 12:00:00+00:00"
    original = pd.to_datetime(times, utc=True)
    assert (shifted.diff()[1] == original.diff()[1])
    naive = pd.Series(pd.to_datetime(["2025-01-01 00:00"]))
    assert str(shift_times(naive, pd.Timedelta(0))[0]) == "2025-01-01 00:00:00+00:00"


# --------------------------------------------------------------------------- k-anonymity

def _random_accounts(n, seed):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "account": [f"a{i}" for i in range(n)],
        "age": rng.integers(18, 80, n),
        "city": rng.choice(["Leeds", "York", "Hull", "Bath", "Ely", "Wells", "Derby"], n),
        "role": rng.choice(["manager", "engineer", "designer", "sales", "founder"], n),
    })


REGION = {"Leeds": "North", "York": "North", "Hull": "North", "Bath": "South", "Wells": "South",
          "Ely": "East"}  # Derby is missing on purpose: unknown values become "*"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_generalise_reaches_k_anonymity(seed):
    accounts = _random_accounts(300, seed)
    qi = {"age": [lambda a: f"{a // 10 * 10}s", lambda a: "under 40" if a < 40 else "40+"],
          "city": [REGION], "role": []}
    assert not is_k_anonymous(accounts, qi, 5)
    out = generalise(accounts, qi, k=5)
    assert is_k_anonymous(out, list(qi), 5)
    assert smallest_group(out, list(qi)) >= 5
    assert len(out) == len(accounts) and (out["account"] == accounts["account"]).all()
    # the original table is untouched
    assert accounts["age"].dtype.kind == "i"
    # values are generalised, never invented: each is "*" or a value of some hierarchy level
    assert set(out["city"]) <= set(REGION.values()) | set(accounts["city"]) | {"*"}


def test_generalise_suppresses_a_few_outliers():
    accounts = pd.DataFrame({"role": ["a"] * 20 + ["b"] * 10 + ["rare"], "x": range(31)})
    out = generalise(accounts, {"role": []}, k=5, max_suppressed=0.1)
    assert is_k_anonymous(out, ["role"], 5)
    # 'a' and 'b' keep their values: the rare row and some others are suppressed, not everyone
    assert (out["role"] == "a").sum() + (out["role"] == "b").sum() >= 20
    assert (out["role"] == "*").sum() >= 5


def test_generalise_too_small_table():
    with pytest.raises(ValueError, match="at least 5 rows"):
        generalise(pd.DataFrame({"a": [1, 2]}), {"a": []}, k=5)


def test_smallest_group_and_empty():
    frame = pd.DataFrame({"a": [1, 1, 2], "b": ["x", "x", None]})
    assert smallest_group(frame, ["a", "b"]) == 1
    assert smallest_group(frame, ["a"]) == 1
    assert not is_k_anonymous(frame, ["a"], 2)
    assert is_k_anonymous(frame.iloc[:0], ["a"], 5)


# --------------------------------------------------------------------------- interactions

def _raw():
    return pd.DataFrame({
        "event_id": ["m1", "m2", "m3", "m4", "m5"],
        "timestamp": ["2025-03-03T09:00:00Z", "2025-03-03T11:00:00Z", "2025-03-03T12:00:00Z",
                      "2025-03-03T13:00:00Z", "2025-03-04T13:00:00Z"],
        "actor": ["ann_lee", "bob", "Ann_Lee", "cat", "bob"],
        "target": ["", "ann_lee", "bob", "ann_lee", "cat"],
        "kind": ["post", "reply", "reply", "mention", "like"],
        "parent_id": ["", "m1", "m2", "", "outside"],
        "is_question": ["true", "false", "false", "false", "false"],
        "is_promotional": [False, False, False, True, False],
        "text": ["Any tips? Ann Lee here, ann@example.com", "ask ann_lee on +1 555 123 4567",
                 None, "Buy now at shop.example.com @ann_lee", ""],
        "channel": ["general"] * 5,
    })


def test_anonymise_interactions_round_trip():
    raw = _raw()
    out = anonymise_interactions(raw, KEY, time_shift=pd.Timedelta(days=-3), names=["Ann Lee"],
                                 me="@ann_lee")
    again = as_interactions(out)
    assert list(again.columns[:8]) == ["event_id", "timestamp", "actor", "target", "kind",
                                       "parent_id", "is_question", "is_promotional"]
    assert list(out["actor"]) == ["me", Pseudonymiser(KEY)("bob"), "me", Pseudonymiser(KEY)("cat"),
                                  Pseudonymiser(KEY)("bob")]
    assert out["target"][1] == "me" and pd.isna(out["target"][0])
    events = Pseudonymiser(KEY, "e", 12, normalise=False)
    assert out["event_id"][0] == events("m1") and len(out["event_id"][0]) == 13
    assert out["parent_id"][1] == out["event_id"][0]
    assert out["parent_id"][4] == events("outside")
    assert pd.isna(out["parent_id"][0])
    assert str(out["timestamp"][0]) == "2025-02-28 09:00:00+00:00"
    assert out["text"][0] == "Any tips? <PERSON> here, <EMAIL>"
    assert out["text"][1] == "ask <HANDLE> on <PHONE>"
    assert out["text"][3] == "Buy now at <URL> <HANDLE>"
    assert out["text"][2] == "" or pd.isna(out["text"][2])  # missing text: empty, as when loaded
    assert list(out["channel"]) == ["general"] * 5
    assert bool(out["is_question"][0]) and bool(out["is_promotional"][3])
    for raw_value in ("ann", "bob", "cat", "m1", "example"):
        assert not out.astype(str).apply(lambda col: col.str.contains(raw_value)).to_numpy().any()


def test_anonymise_interactions_refuses_bad_tables():
    with pytest.raises(TableError, match="kind"):
        anonymise_interactions(_raw().drop(columns="kind"), KEY)
    bad = _raw()
    bad.loc[1, "target"] = ""
    with pytest.raises(TableError, match="needs a target"):
        anonymise_interactions(bad, KEY)


# --------------------------------------------------------------------------- user key

def test_user_key_created_once_private(tmp_path, monkeypatch):
    monkeypatch.setenv("TRUSTCIRCLES_CONFIG_DIR", str(tmp_path / "conf"))
    assert config_dir() == tmp_path / "conf"
    key = user_key()
    assert len(key) == 32 and user_key() == key
    path = tmp_path / "conf" / "key"
    assert path.read_bytes() == key
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["key"]  # no temp file left


def test_user_key_default_locations(monkeypatch, tmp_path):
    monkeypatch.delenv("TRUSTCIRCLES_CONFIG_DIR", raising=False)
    if sys.platform.startswith("linux"):
        monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
        assert config_dir() == tmp_path / "trustcircles"


def test_user_key_refuses_repository_and_bad_file(tmp_path):
    repo_file = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "key")
    with pytest.raises(TableError, match="inside the course repository"):
        user_key(repo_file)
    assert not os.path.exists(repo_file)
    bad = tmp_path / "key"
    bad.write_bytes(b"short")
    with pytest.raises(TableError, match="not a trustcircles key"):
        user_key(bad)


def test_different_user_keys_differ(tmp_path):
    assert user_key(tmp_path / "a") != user_key(tmp_path / "b")


def test_scrubber_compiles_only_names_that_occur_and_scrubs_the_same():
    """The vocabulary shortcut (names whose words occur in no text are not compiled) changes
    nothing: the same texts come out as with every name compiled."""
    import random
    from trustcircles.anonymise import vocabulary_of
    rng = random.Random(5)
    first = ["Ann", "Bo", "José", "Lee", "Mira", "O'Brien", "Ann-Marie", "Kai", "Zoë"]
    last = ["Lee", "Stone", "Núñez", "Quist", "Example", "Smith-Jones"]
    names = [f"{rng.choice(first)} {rng.choice(last)}" for _ in range(40)] + ["Person 12"]
    handles = ["ann_lee", "bo.q", "kai@garden.example", "mira"]
    words = ["thanks", "ann", "ANN LEE", "lee,", "jose", "josé", "annlee", "ann.lee", "o'brien", "obrien",
             "@bo.q", "kai", "12", "person", "Person 12", "smith-jones", "Zoe", "zoë", "mira's", "\n", "Stone"]
    texts = [" ".join(rng.choice(words) for _ in range(rng.randrange(1, 8))) for _ in range(3000)]
    full = TextScrubber(names, handles)
    quick = TextScrubber(names, handles, vocabulary=vocabulary_of(texts))
    assert [quick.scrub(t) for t in texts] == [full.scrub(t) for t in texts]


@pytest.mark.parametrize("at_sign", [False, True])
def test_trie_pattern_matches_as_the_plain_pattern(at_sign):
    """trie_pattern starts with a class of the letters that can start a word so that the regex
    engine skips the rest; its matches are those of the plain look-behind, trie, look-ahead
    pattern ignoring case, on words and texts made to find a difference (case forms that are no
    ASCII letters, words inside words and tokens, an @ before a word, accents, prefixes)."""
    import random
    import re

    from trustcircles.anonymise import trie_pattern
    from trustcircles.patterns import trie_regex
    rng = random.Random(7)
    letters = "aiksxzé@ıſ\u212a\u0130K-._' <>"
    words = {"ann", "ann lee", "anne", "ik", "sam", "kim", "ımre", "ſo", "él", "x.y", "a-b", "zz",
             "@odd", "ka", "i"} | {"".join(rng.choice(letters[:10]) for _ in range(rng.randint(2, 4)))
                                   for _ in range(60)}
    words = {w for w in words if w.strip() == w and len(w) >= 2}
    before, after = (r"[\w<@]", r"[\w>]") if at_sign else (r"[\w<]", r"[\w>]")
    plain = re.compile(r"(?<!" + before + r")" + ("@?" if at_sign else "") + trie_regex(words)
                       + r"(?!" + after + r")", re.IGNORECASE)
    fast = trie_pattern(words, before, after, at_sign=at_sign)
    texts = ["".join(rng.choice(letters + "AEIOUS") for _ in range(rng.randint(0, 30)))
             for _ in range(3000)]
    texts += ["Ann LEE", "\u212aim", "KIM", "İK", "IMRE", "SO", "ſam", "@ann", "x@ann", "<ann",
              "ann>", "anne", "Élan", "ÉL", "a-b", "X.Y", "@@odd", "@odd"]
    for text in texts:
        assert fast.sub("<T>", text) == plain.sub("<T>", text), (text, words)
    # letters whose case forms reach ASCII only in two steps (ı -> I -> i, ſ -> S -> s)
    odd = {"ımre", "ſo"}
    plain = re.compile(r"(?<!" + before + r")" + ("@?" if at_sign else "") + trie_regex(odd)
                       + r"(?!" + after + r")", re.IGNORECASE)
    for text in ("imre", "IMRE", "so", "SO", "ımre", "ſo"):
        assert trie_pattern(odd, before, after, at_sign).sub("<T>", text) == plain.sub("<T>", text) == "<T>"
    # the quick start is there: the pattern opens with a class the engine can scan for
    assert fast.pattern.startswith("[") and not fast.flags & re.IGNORECASE


def test_vocabulary_is_every_regex_word_in_lower_case():
    """vocabulary_of splits ASCII texts without the regex; its words are those of \\w+ over the
    lower-cased texts, for every ASCII character and mixes with letters outside ASCII."""
    import random
    import re

    from trustcircles.anonymise import vocabulary_of

    def by_regex(texts):
        joined = "\n".join(t for t in texts if isinstance(t, str) and t)
        return set(re.findall(r"\w+", joined.lower()))

    rng = random.Random(11)
    alphabet = [chr(c) for c in range(128)] + list("éßİſΣ\u212a٣\u00a0ǅ")
    assert all(vocabulary_of([chr(c)]) == by_regex([chr(c)]) for c in range(128))
    for _ in range(300):
        texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
                 for _ in range(rng.randint(0, 30))] + [None, float("nan"), ""]
        assert vocabulary_of(texts) == by_regex(texts)
