"""Tests of trustcircles.importers and the import command, on the example exports."""
from __future__ import annotations

import gzip
import importlib.util
import shutil
import socket
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from trustcircles import cli
from trustcircles.anonymise import Pseudonymiser
from trustcircles.data import TableError, read_interactions_file
from trustcircles.importers import IMPORTERS, import_export, write_table
from trustcircles.importers.rules import is_promotional, is_question

EXAMPLES = Path(__file__).resolve().parent.parent / "datasets" / "examples"
KEY = b"t" * 32
CASES = {
    "mastodon": (EXAMPLES / "mastodon", "@robin@example.social"),
    "twitter": (EXAMPLES / "twitter", "jo_tester"),
    "slack": (EXAMPLES / "slack", "Mira Example"),
    "mbox": (EXAMPLES / "mail.mbox", "ada@example.org"),
}
# strings of the example exports that must not survive anonymisation
PERSONAL = ["robin", "Sam Sample", "kai", "7946", "example.org", "jo_tester", "Lee Reader",
            "lee_reads", "pat_books", "Mira", "Theo", "Quinn", "U0AAA", "ada@", "Ben", "Cleo",
            "4477", "555 010", "shop.example.com", "t.co"]


@pytest.fixture(autouse=True)
def private_config(tmp_path, monkeypatch):
    monkeypatch.setenv("TRUSTCIRCLES_CONFIG_DIR", str(tmp_path / "config"))


@pytest.mark.parametrize("kind", list(CASES))
def test_example_imports_are_valid_anonymised_tables(kind):
    path, me = CASES[kind]
    table = import_export(kind, path, me, key=KEY)
    assert len(table) >= 4
    assert (table["actor"] == "me").any()
    others = set(table["actor"]).union(table["target"].dropna()) - {"me"}
    assert others and all(a.startswith("u") and len(a) == 9 for a in others)
    dump = table.astype(str).to_csv()
    for text in PERSONAL:
        assert text.lower() not in dump.lower(), (kind, text)


def test_mastodon_mapping():
    t = import_export("mastodon", *CASES["mastodon"], key=KEY)
    assert list(t["kind"]) == ["post", "reply", "mention", "dm", "reply", "share"]
    sam = Pseudonymiser(KEY)("sam@other.example")
    assert t["target"][1] == sam and t["target"][5] == sam
    assert t["target"][4] == "me" and t["parent_id"][4] == t["event_id"][0]
    assert list(t["is_question"]) == [True, False, False, True, False, False]
    assert list(t["is_promotional"]) == [False, False, True, False, False, False]


def test_twitter_mapping():
    t = import_export("twitter", *CASES["twitter"], key=KEY)
    assert list(t["kind"]) == ["post", "reply", "mention", "mention", "share", "dm", "dm"]
    lee = Pseudonymiser(KEY)("id:2002")  # accounts are user ids: a handle change keeps the person
    assert t["target"][1] == lee
    assert t["actor"][5] == lee and t["target"][5] == "me"  # received DM from id 2002
    assert t["event_id"].is_unique


def test_slack_mapping_skips_joins_and_follows_threads():
    t = import_export("slack", *CASES["slack"], key=KEY)
    assert list(t["kind"]) == ["mention", "reply", "post", "post", "reply"]
    assert t["parent_id"][1] == t["event_id"][0] and t["target"][1] == "me"
    assert t["parent_id"][4] == t["event_id"][3]
    assert list(t["channel"]) == ["general"] * 3 + ["help"] * 2


def test_mbox_mapping():
    t = import_export("mbox", *CASES["mbox"], key=KEY)
    assert list(t["kind"]) == ["dm", "reply", "dm", "reply"]
    assert list(t["actor"])[::2] == ["me", "me"] and t["target"][1] == "me"
    assert t["target"][2] == Pseudonymiser(KEY)("cleo@example.com")  # first To: only
    assert "Would Thursday" not in t["text"][1]  # quoted lines dropped


def test_same_key_same_pseudonyms_default_key_used():
    first = import_export("mbox", *CASES["mbox"])
    second = import_export("mbox", *CASES["mbox"])
    assert first.equals(second)
    assert not first["target"].equals(import_export("mbox", *CASES["mbox"], key=KEY)["target"])


# --------------------------------------------------------------------------- rules

@pytest.mark.parametrize("text, expected", [
    ("Any tips for a first meetup?", True), ("how do I start", True),
    ("@bob what time works", True), ("<HANDLE> could you help", True),
    ("see https://example.com/page?id=3", False), ("> did you?\nok, thanks", False),
    ("The show is great", False), ("Thanks, this helps.", False), ("", False),
])
def test_question_rule(text, expected):
    assert is_question(text) is expected


@pytest.mark.parametrize("text, expected", [
    ("Buy now while stocks last", True), ("Get 20% off today", True), ("Use promo code X", True),
    ("Link in bio!", True), ("New course launch: https://example.com/c", True),
    ("<URL> order here", True), ("Great write-up: https://example.com/post", False),
    ("we had a sale of ideas", False), ("Thanks for the answer", False),
])
def test_promotion_rule(text, expected):
    assert is_promotional(text) is expected


# --------------------------------------------------------------------------- the command

def test_cli_import_writes_a_valid_table_gz(tmp_path, capsys):
    out = tmp_path / "mine.csv.gz"
    status = cli.main(["import", "slack", str(CASES["slack"][0]), "--me", "mira", "--out", str(out)])
    assert status == 0
    assert "5 events" in capsys.readouterr().out
    table = read_interactions_file(out)
    assert len(table) == 5
    assert gzip.open(out).read().startswith(b"event_id,timestamp,actor")


def test_write_table_refuses_bad_name_and_leaves_nothing(tmp_path):
    table = import_export("mbox", *CASES["mbox"], key=KEY)
    with pytest.raises(TableError, match=r"\.csv or \.csv\.gz"):
        write_table(table, tmp_path / "mine.xlsx")
    assert list(tmp_path.iterdir()) == []


def _zip_folder(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for file in folder.rglob("*"):
            if file.is_file():
                archive.write(file, "export/" + file.relative_to(folder).as_posix())
    return target


def test_zip_archives_import_like_folders(tmp_path):
    archive = _zip_folder(CASES["twitter"][0], tmp_path / "twitter.zip")
    assert import_export("twitter", archive, "jo_tester", key=KEY).equals(
        import_export("twitter", *CASES["twitter"], key=KEY))


def _bad_inputs(tmp_path):
    truncated = tmp_path / "truncated.zip"
    data = _zip_folder(CASES["mastodon"][0], tmp_path / "full.zip").read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    broken = tmp_path / "broken"
    shutil.copytree(CASES["mastodon"][0], broken)
    text = (broken / "outbox.json").read_text()
    (broken / "outbox.json").write_text(text[: len(text) // 2])
    empty_folder = tmp_path / "empty"
    empty_folder.mkdir()
    empty_file = tmp_path / "empty.mbox"
    empty_file.write_bytes(b"")
    not_mbox = tmp_path / "notes.txt"
    not_mbox.write_text("just some notes\n")
    return [
        ("mastodon", truncated, "not a readable .zip"),
        ("mastodon", broken, "not complete JSON"),
        ("mastodon", CASES["slack"][0], "looks like a Slack workspace export"),
        ("twitter", CASES["mastodon"][0], "looks like a Mastodon account archive"),
        ("slack", CASES["twitter"][0], "looks like an X/Twitter account archive"),
        ("mbox", CASES["mastodon"][0], "folder"),
        ("mastodon", empty_folder, "empty"),
        ("mbox", empty_file, "empty"),
        ("mbox", not_mbox, "does not start with a 'From ' line"),
        ("mastodon", tmp_path / "missing.zip", "no such file"),
        ("mbox", CASES["mbox"][0], "names nobody"),
    ]


def test_bad_inputs_give_one_clear_message_and_write_nothing(tmp_path, capsys):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    for kind, path, message in _bad_inputs(tmp_path):
        me = "nobody_at_all" if message == "names nobody" else "robin"
        status = cli.main(["import", kind, str(path), "--me", me, "--out", str(out_dir / "t.csv")])
        err = capsys.readouterr().err
        assert status == 2, (kind, path, err)
        assert message in err and "Traceback" not in err, (kind, path, err)
        assert "What to do" in err
        assert list(out_dir.iterdir()) == [], (kind, path)


# --------------------------------------------------------------------------- no network

@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a network connection was attempted")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_import_opens_no_network_connection(tmp_path, no_network):
    with pytest.raises(AssertionError):  # the guard itself works
        socket.create_connection(("example.org", 80))
    for kind, (path, me) in CASES.items():
        out = tmp_path / f"{kind}.csv"
        assert cli.main(["import", kind, str(path), "--me", me, "--out", str(out)]) == 0
        assert out.exists()


@pytest.mark.skipif(importlib.util.find_spec("trustcircles.report") is None,
                    reason="trustcircles/report.py (the report command) is not written yet")
def test_report_opens_no_network_connection(tmp_path, no_network):
    out = tmp_path / "mine.csv"
    assert cli.main(["import", "mastodon", str(CASES["mastodon"][0]), "--me", "robin",
                     "--out", str(out)]) == 0
    assert cli.main(["report", str(out)]) == 0


def test_kinds_listed():
    assert list(IMPORTERS) == ["mastodon", "twitter", "slack", "mbox", "whatsapp", "linkedin",
                               "telegram", "messenger"]


# --------------------------------------------------------------------------- the mbox reader

def _tricky_messages() -> list[bytes]:
    """Messages of every shape the fast mbox reader must read as the standard library does."""
    import base64
    import quopri
    head = (b"From: Ann Lee <ann@example.org>\nTo: Bo <bo@example.net>\n"
            b"Date: Mon, 03 Mar 2025 09:00:00 +0000\n")
    text = "Café at 9? Call +44 20 7946 0958\n> quoted\nsee you".encode()
    bodies = [
        b"", b"\n", text + b"\n", text,
        b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
        + quopri.encodestring(text + b" " + b"x" * 90),
        b"Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: base64\n\n"
        + base64.encodebytes(text),
        b"Content-Type: text/plain; charset=latin-1\n\n" + "naïve".encode("latin-1"),
        b"Content-Type: text/plain; charset=x-unknown\n\n" + text,
        b"Content-Type: text/html\n\n<p>hi</p>\n",
        b"Content-Transfer-Encoding: base64\n\n!!not base64===\n",
        b"Content-Transfer-Encoding: x-uuencode\n\nbegin 644 f\n%:&5L;&\\*\n`\nend\n",
        b'Content-Type: multipart/alternative; boundary="b1"\n\npre\n--b1\nContent-Type: text/plain\n'
        b"Content-Transfer-Encoding: quoted-printable\n\nCaf=C3=A9?\n--b1\nContent-Type: text/html\n\n"
        b"<p>x</p>\n--b1--\n",
        b"Content-Type: multipart/mixed\n\nno boundary\n",
        b"Content-Type: message/rfc822\n\nFrom: x@y.example\n\ninner\n",
        b"this line is no header\n\nbody\n",
        b"Subject: form\x0cfeed\n\nbody\n",
        b"Subject: lone\r\rX-After: 1\n\nbody\n",
        b"Subject: =?utf-8?q?h=C3=A9llo?=\nIn-Reply-To:\n <m1@example.org> (folded)\n\nbody\n",
        b"Message-ID: <8bit-\xc3\xa9@example.org>\nTo:   \n\n>From the archive\n",
    ]
    bodies += _multipart_bodies()
    messages = [head + (b if b.startswith((b"Content", b"Subject", b"this", b"Message", b"MIME")) else b"\n" + b)
                for b in bodies]
    messages = [m if m.endswith(b"\n") else m + b"\n" for m in messages]
    messages += [m.replace(b"\n", b"\r\n") for m in messages[:6]]
    messages += [b"\n" + head + b"\nheaders after a blank line\n", b"From: \xff\xfe <x@y.example>\n\nhi\n"]
    return messages


def _multipart_bodies() -> list[bytes]:
    """Multipart mail as mail programs write it, and the odd shapes the fast reader must cut at its
    boundaries exactly as the stdlib's feed parser does (or leave to it)."""
    alt = (b'--b1\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n'
           b"Caf=C3=A9 at 9?\n> quoted\n--b1\nContent-Type: text/html; charset=utf-8\n\n<p>Caf\xc3\xa9</p>\n--b1--\n")
    return [
        b'MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary="b1"\n\n' + alt,
        b'Content-Type: multipart/alternative; boundary="b1"\n\npreamble text\n' + alt + b"epilogue\n",
        # an attachment with text before the body, nested alternative inside mixed
        b'Content-Type: multipart/mixed; boundary="outer"\n\n--outer\nContent-Type: text/plain\n'
        b'Content-Disposition: attachment; filename="notes.txt"\n\nattached notes\n--outer\n'
        b'Content-Type: multipart/alternative; boundary="b1"\n\n' + alt + b"\n--outer\n"
        b"Content-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0=\n--outer--\n",
        # HTML only, base64
        b'Content-Type: multipart/alternative; boundary=plainb\n\n--plainb\nContent-Type: text/html; '
        b"charset=utf-8\nContent-Transfer-Encoding: base64\n\nPGRpdj5IaSAmYW1wOyBieWU8L2Rpdj4=\n--plainb--\n",
        b'Content-Type: multipart/mixed; boundary="with space"\n\n--with space\n\nbare part\n--with space--\n',
        b'Content-Type: multipart/mixed; boundary="b2"\n\n--b2\nContent-Type: text/plain\n\nno close\n',
        b'Content-Type: multipart/mixed; boundary="b2"\n\n--b2\n--b2\nContent-Type: text/plain\n\ntwice\n--b2--\n',
        b'Content-Type: multipart/mixed; boundary="b2"\n\n--b2x\nnot a boundary\n--b2  \n\nafter spaces\n--b2--\n',
        b'Content-Type: multipart/mixed; boundary="b2"\n\nno boundary line at all\n',
        b'Content-Type: multipart/mixed; boundary="b2"\n\n--b2\rContent-Type: text/plain\r\rlone CR\n--b2--\n',
        b'Content-Type: multipart/digest; boundary="d"\n\n--d\n\nFrom: x@y.example\n\ndigest\n--d--\n',
        b'Content-Type: multipart/mixed; boundary="b3"\n\n--b3\nContent-Type: message/rfc822\n\n'
        b"From: x@y.example\nContent-Type: text/plain\n\ninner mail\n--b3--\n",
        b'Content-Type: multipart/mixed; boundary="b4"\nContent-Transfer-Encoding: base64\n\n--b4\n\nodd\n--b4--\n',
        b'Content-Type: multipart/mixed; boundary="b5"\n\n--b5\nX-Odd header no colon\n\nbody\n--b5--\n',
        b'Content-Type: multipart/alternative; boundary="b6"\n\n--b6--\n',
    ]


def _tricky_mbox(messages: list[bytes]) -> bytes:
    parts = []
    for number, message in enumerate(messages):
        gap = b"\n" if number % 3 else b""  # the blank line before a From line, or none
        parts.append(b"From sender@example.org Mon Mar  3 09:00:00 2025\n" + message + gap)
    parts.append(b"From \nFrom last\nFrom: a@b.example\n\nno newline at the end")
    return b"".join(parts)


@pytest.mark.parametrize("block", [7, 64, 1 << 20])
def test_mbox_split_matches_the_standard_library(tmp_path, monkeypatch, block):
    import mailbox
    from trustcircles.importers import mbox
    path = tmp_path / "tricky.mbox"
    path.write_bytes(_tricky_mbox(_tricky_messages()))
    box = mailbox.mbox(path, create=False)
    expected = [box.get_bytes(key) for key in box.iterkeys()]  # without the From line
    box.close()
    monkeypatch.setattr(mbox, "_BLOCK", block)  # separators straddle the blocks read
    with open(path, "rb") as handle:
        assert list(mbox._split_messages(handle)) == expected
    assert len(expected) == len(_tricky_messages()) + 2


def test_mbox_fast_parse_reads_as_the_full_parser():
    import email
    from trustcircles.importers import mbox
    for data in _tricky_messages():
        fast, full = mbox._parse(data), email.message_from_bytes(data)
        for name in ("From", "To", "Date", "Message-ID", "In-Reply-To", "References", "Subject"):
            assert str(fast.get(name)) == str(full.get(name)), (data, name)
        assert mbox._body(fast) == mbox._body(full), data
    # the plain path and the stdlib agree on header blocks of every shape
    for data in _tricky_messages():
        block = data[:mbox._header_block_end(data)]
        fields = mbox._plain_fields(block)
        if fields is not None:
            assert fields == email.parser.BytesHeaderParser().parsebytes(block)._headers, block
    assert sum(mbox._plain_fields(d[:mbox._header_block_end(d)]) is not None
               for d in _tricky_messages()) >= 10  # the fast path is taken, not only the fallback
    cut = [mbox._parse(d) for d in _tricky_messages()]
    assert sum(isinstance(m, mbox._Fast) and m.parts is not None for m in cut) >= 6  # multiparts too
    texts = [mbox._body(m) for m in cut]
    assert "Café at 9?" in texts and "Hi & bye" in texts  # text part first, HTML-only as text
    assert "attached notes" not in " ".join(texts)  # an attachment is not the body


def test_mbox_eight_bit_headers_import(tmp_path):
    path = tmp_path / "eight_bit.mbox"
    path.write_bytes(_tricky_mbox(_tricky_messages()))
    table = import_export("mbox", path, "ann@example.org", key=KEY)
    assert len(table) >= 10 and (table["actor"] == "me").any()


def test_mbox_corrupt_or_truncated_gives_one_clear_message(tmp_path, capsys):
    garbage = tmp_path / "garbage.mbox"
    garbage.write_bytes(b"From x\n" + bytes(range(256)) * 40)
    truncated = tmp_path / "truncated.mbox"
    truncated.write_bytes(CASES["mbox"][0].read_bytes()[:40])  # cut inside the first header
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    for path in (garbage, truncated):
        status = cli.main(["import", "mbox", str(path), "--me", "ada@example.org",
                           "--out", str(out_dir / "t.csv")])
        err = capsys.readouterr().err
        assert status == 2 and "Traceback" not in err, err
        assert "no messages that could be imported" in err and "a mail file in mbox format" in err
        assert list(out_dir.iterdir()) == []


def test_linkedin_rows_read_as_dicts_of_their_header():
    """The CSV rows are read by column number: a repeated column name gives its later value, a
    short row lacks the columns it does not reach, as a dict of zip(header, row) would."""
    from trustcircles.importers.linkedin import _column, _csv

    class OneFile:
        def read_text(self, member):
            return "A,B,A,C\n1,2,3,4\n5,6\n7,8,9\n"

    rows = _csv(OneFile(), "messages.csv")
    header = ["A", "B", "A", "C"]
    expected = [dict(zip(header, r)) for r in (["1", "2", "3", "4"], ["5", "6"], ["7", "8", "9"])]
    for name in ("A", "B", "C", "D"):
        assert [r.get(name) for r in rows] == [e.get(name, "") for e in expected]
        assert _column(rows, name) == [e.get(name, "") for e in expected]
        assert [name in r for r in rows] == [name in e for e in expected]


def test_rules_quick_paths_decide_as_the_plain_patterns():
    """rules.asks and rules.sells skip patterns where the characters they need are missing and
    use tries that jump to a phrase's first letters; they decide as the plain rule does (all
    phrases and words as one alternation, ignoring case, every pattern tried) on texts made of
    the pieces the rules look at."""
    import random
    import re

    from trustcircles.importers import rules
    from trustcircles.patterns import EMAIL, URL
    phrase = re.compile("|".join(r"(?<!\w)" + re.escape(p).replace(r"\ ", r"\s+") + r"(?!\w)"
                                 if p[0].isalpha() else re.escape(p).replace(r"\ ", r"\s*")
                                 for p in rules.SELLING_PHRASES), re.IGNORECASE)
    word = re.compile(r"\b(?:" + "|".join(rules.SELLING_WORDS) + r")\b", re.IGNORECASE)
    quoted = re.compile(r"(?m)^[ \t]*>.*$")

    def plain_asks(text):
        text = EMAIL.sub(" ", URL.sub(" ", quoted.sub("", text))).replace("<URL>", " ")
        text = rules._LEADING_HANDLES.sub("", text)
        return "?" in text or rules._STARTS_WITH_INTERROGATIVE.search(text) is not None

    def plain_sells(text):
        return bool(phrase.search(text)) or (word.search(text) is not None and (
            "<URL>" in text or URL.search(text) is not None))

    rng = random.Random(3)
    pieces = ["who", "How", "is", "this", "?", "buy", "BUY NOW", "buy  now", "buynow", "% off",
              "%OFF", "sale", "wholesale", "Sales", "shop", "\u212aing", "http://localhost?x", "ſale", "https://x.example/a?b",
              "www.shop.example", "shop.com", "a@b.com", "@ann", "<@U1|who?>", "<HANDLE>", "<URL>",
              "\n> quoted?\n", "\u00a0", " ", "\t", ",", ".", ":", "pre-order", "pre order", "Launch",
              "e-book", "ebook", "\n", "CAN", "anyone", "x"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 7))) for _ in range(4000)]
    for text in texts:
        assert rules.asks(text) == plain_asks(text), text
        assert rules.sells(text) == plain_sells(text), text


def test_table_text_writes_what_pandas_to_csv_writes(tmp_path):
    """table_text hands a table of text, flag and time columns straight to csv.writer; the text is
    byte for byte what DataFrame.to_csv made of it (quotes, commas, line ends, empty and missing
    values, accents), and a table with any other column still goes to to_csv."""
    import io

    import numpy as np

    from trustcircles.data import csv_columns, load_interactions, table_text

    def by_pandas(frame):  # the same columns, written by pandas
        buffer = io.StringIO()
        csv_columns(frame).to_csv(buffer, index=False, lineterminator="\n")
        return buffer.getvalue()

    awkward = ['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\rhere', 'crlf\r\n', '', None,
               ' spaced ', 'caf\u00e9 \u2603', "'single'", '"', np.nan, 'tab\there']
    n = len(awkward)
    frames = [
        pd.DataFrame({"text": pd.Series(awkward, dtype="str"), "flag": [True, False] * (n // 2),
                      "timestamp": pd.date_range("2025-01-01", periods=n, freq="37min", tz="UTC"),
                      "raw": pd.Series(awkward, dtype=object)}),
        pd.DataFrame({"only": pd.Series(["", None, "x"], dtype="str")}),
        pd.DataFrame({"text": pd.Series([], dtype="str")}),
        pd.DataFrame({"text": ["a", "b"], "count": [1, 2]}),  # a number column: to_csv
        pd.DataFrame({"text": ["a", "b"], "mixed": pd.Series(["x", 3], dtype=object)}),
        load_interactions("worked_example"),
        import_export("mastodon", EXAMPLES / "mastodon", "@robin@example.social", key=b"k" * 32),
    ]
    for frame in frames:
        assert table_text(frame) == by_pandas(frame)
    # the column-wise writer quotes exactly what csv.writer quotes: every character of the BMP
    # (but surrogates) and a few beyond, alone, inside a value and next to a missing one
    import csv

    from trustcircles.data import _csv_rows_by_arrow
    chars = [chr(c) for c in [*range(0xD800), *range(0xE000, 0x10000), 0x1F600, 0x10FFFF]]
    first = pd.Series(chars + [f"a{c}b" for c in chars[:300]], dtype="str")
    second = pd.Series([None, ""] * (len(first) // 2), dtype=object)
    expected = io.StringIO()
    csv.writer(expected, lineterminator="\n").writerows(
        zip(first.tolist(), second.to_numpy(dtype=object, na_value=None).tolist()))
    assert _csv_rows_by_arrow([first, second]) == expected.getvalue()


def test_mbox_header_block_ends_at_the_first_blank_line():
    """The body starts after the first empty line, LF or CRLF, whichever comes first (the CRLF
    one is only looked for before the LF one): every short mix of LF, CR and a letter."""
    import itertools

    from trustcircles.importers.mbox import _header_block_end

    def first_blank_line_end(data):
        if data[:1] == b"\n":
            return 1
        if data[:2] == b"\r\n":
            return 2
        ends = [f + n for f, n in ((data.find(b"\n\n"), 2), (data.find(b"\n\r\n"), 3)) if f >= 0]
        return min(ends) if ends else len(data)

    for length in range(8):
        for pieces in itertools.product([b"\n", b"\r", b"a"], repeat=length):
            data = b"".join(pieces)
            assert _header_block_end(data) == first_blank_line_end(data), data


def test_mbox_one_pass_header_check_agrees_with_the_full_check():
    """The one-pass check of an LF header block (fields counted against field lines) takes the
    same blocks as the full check by ``_PLAIN_BLOCK`` and reads them the same, and as the stdlib:
    random blocks of field-like pieces, line ends of every kind and the bytes that end a line
    for the stdlib."""
    import email.parser
    import random

    from trustcircles.importers import mbox
    rng = random.Random(11)
    odd = [b":", b": ", b" ", b"\t", b"\n", b"\r\n", b"\r", b"\x0b", b"\x0c", b"\x1c", b"\x1e",
           b"\x85", b"\xc3\xa9", b"\x00", b"\x7f", b"\n ", b"\n\t", b"::", b"\n\n", b"X-A", b"v"]
    taken = 0
    for _ in range(20_000):
        fields = []
        for _ in range(rng.randrange(0, 5)):
            fields.append(rng.choice([b"From", b"To", b"X-A", b""]) + rng.choice([b":", b": ", b":\t", b""])
                          + b"".join(rng.choice(odd[10:] + [b"x", b" y"]) for _ in range(rng.randrange(4)))
                          + rng.choice([b"\n", b"\n  more\n", b"\n\tmore\n", b"\r\n", b"\n" + rng.choice(odd)]))
        data = b"".join(fields) + rng.choice([b"\n", b"\r\n", b""]) + b"body\n"
        block = data[:mbox._header_block_end(data)]
        fast = mbox._plain_fields(block)
        assert fast == mbox._checked_fields(block), block
        if fast is not None:
            taken += b"\r" not in block
            assert fast == email.parser.BytesHeaderParser().parsebytes(block)._headers, block
    assert taken > 3000  # the one-pass path was taken, not only the full check
    # a line that is no field, a bad byte in a folded line, a name-less line: one field short
    for block in (b"A: 1\nno field here\n\n", b"A: 1\n b\x0cc\n\n", b"A: 1\n:x: 2\n\n", b" A: 1\n\n",
                  b"A: 1\nB: 2\n"):
        assert mbox._plain_fields(block) is None, block


def test_mbox_simple_addresses_read_as_email_utils_reads_them():
    """A plain "Name <address>" or bare address is read without email.utils, as email.utils
    reads it: made-up names, local parts and domains, a tenth of them with a stray character."""
    import email.utils
    import random

    from trustcircles.importers import mbox
    rng = random.Random(4)
    chars = "abcxyzABCXYZ0189"

    def word(extra="", longest=6):
        return "".join(rng.choice(chars + extra) for _ in range(rng.randint(1, longest)))

    quick = 0
    for _ in range(6000):
        name = " ".join(word() for _ in range(rng.randint(1, 3)))
        address = (".".join(word("_+-", 5) for _ in range(rng.randint(1, 3))) + "@"
                   + ".".join(word("-", 5) for _ in range(rng.randint(2, 3))))
        header = f"{name} <{address}>" if rng.random() < 0.7 else address
        if rng.random() < 0.3:
            at = rng.randrange(len(header) + 1)
            header = header[:at] + rng.choice(' ."()<>,;:@\\\t-_+') + header[at:]
        quick += mbox._SIMPLE_ADDRESS.fullmatch(header) is not None
        assert mbox._parse_address.__wrapped__(header) == email.utils.parseaddr(header), header
        assert list(mbox._parse_addresses.__wrapped__(header)) == email.utils.getaddresses([header])
    assert quick > 3000  # the quick path was taken


def test_messenger_repairs_every_string_of_the_json_once():
    """Every string of a Facebook download's JSON (keys, values, inside lists, nested) is
    repaired once, numbers, flags and null kept: as repairing each value in turn would."""
    import random

    from trustcircles.importers import repair_mojibake
    from trustcircles.importers.messenger import _repaired

    def each_value(value):
        if isinstance(value, list):
            return [each_value(v) for v in value]
        if isinstance(value, dict):
            return {repair_mojibake(k): each_value(v) for k, v in value.items()}
        return repair_mojibake(value)

    rng = random.Random(8)
    leaves = ["Caf\u00c3\u00a9", "plain", "", "\u00c3", "\u2603 snow", "Ren\u00c3\u00a9e", 3, 2.5, True,
              False, None, "\u00c3\u0083\u00c2\u00a9"]  # the last is mojibake twice: repaired once

    def value(depth):
        roll = rng.random()
        if depth > 3 or roll < 0.5:
            return rng.choice(leaves)
        if roll < 0.75:
            return [value(depth + 1) for _ in range(rng.randint(0, 4))]
        return {rng.choice(["k", "Caf\u00c3\u00a9", "sender_name", "\u00c3"]) + str(i): value(depth + 1)
                for i in range(rng.randint(0, 4))}

    for _ in range(2000):
        data = value(0)
        assert _repaired(data) == each_value(data)
    assert _repaired({"a": "\u00c3\u0083\u00c2\u00a9"}) == {"a": "\u00c3\u00a9"}
