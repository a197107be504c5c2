"""Real exports (issue 20): every case on a sample of the real layout (see export_samples.py for
where each layout comes from), and the privacy scan on every importer's output for every sample."""
from __future__ import annotations

import gzip
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import export_samples as samples  # noqa: E402

from trustcircles import cli  # noqa: E402
from trustcircles.anonymise import Pseudonymiser, TextScrubber  # noqa: E402
from trustcircles.data import TableError, read_interactions_file  # noqa: E402
from trustcircles.importers import IMPORTERS, detect_kind, import_export  # noqa: E402
from trustcircles.importers import sides  # noqa: E402

KEY = b"r" * 32
P = Pseudonymiser(KEY)


@pytest.fixture(autouse=True)
def private_config(tmp_path, monkeypatch):
    monkeypatch.setenv("TRUSTCIRCLES_CONFIG_DIR", str(tmp_path / "config"))


def imported(sample):
    return import_export(sample.kind, sample.path, sample.me, key=KEY)


# --------------------------------------------------------------------------- every sample

def _all_samples(tmp_path):
    made = {f"example-{kind}": samples.example(kind) for kind in samples.EXAMPLE_SAMPLES}
    builders = {
        "gmail-mbox": lambda d: samples.gmail_takeout(d),
        "gmail-takeout-zip": lambda d: samples.gmail_takeout(d, as_zip=True),
        "slack-corporate": lambda d: samples.slack_export(d),
        "slack-grid": lambda d: samples.slack_export(d, grid=True),
        "x-2023": lambda d: samples.x_archive(d, "2023"),
        "x-2020": lambda d: samples.x_archive(d, "2020"),
        "x-classic": lambda d: samples.x_archive(d, "classic"),
        "mastodon-tar-gz": lambda d: samples.mastodon_tar_gz(d),
        "whatsapp-german-and-ios": lambda d: (samples.whatsapp_android_german(d),
                                              samples.whatsapp_ios_zip(d),
                                              samples.Sample("whatsapp", d, "Greta Beispiel",
                                                             samples.WHATSAPP_PEOPLE))[-1],
        "telegram-single-chat": lambda d: samples.telegram_single_chat(d),
        "instagram": lambda d: samples.instagram_download(d),
    }
    for name, build in builders.items():
        folder = tmp_path / name
        folder.mkdir()
        made[name] = build(folder)
    for kind in ("linkedin", "messenger", "telegram", "whatsapp"):
        folder = tmp_path / f"zip-{kind}"
        folder.mkdir()
        made[f"example-{kind}-zip"] = samples.zipped(samples.example(kind), folder)
    return made


SAMPLE_NAMES = (["example-" + k for k in samples.EXAMPLE_SAMPLES]
                + ["gmail-mbox", "gmail-takeout-zip", "slack-corporate", "slack-grid", "x-2023",
                   "x-2020", "x-classic", "mastodon-tar-gz", "whatsapp-german-and-ios",
                   "telegram-single-chat", "instagram"]
                + [f"example-{k}-zip" for k in ("linkedin", "messenger", "telegram", "whatsapp")])


@pytest.fixture(scope="module")
def all_samples(tmp_path_factory):
    return _all_samples(tmp_path_factory.mktemp("samples"))


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_privacy_scan_every_importer_every_sample(all_samples, name, monkeypatch, tmp_path):
    """None of the sample's invented names, handles, addresses or phone numbers survives in any
    column of the imported table."""
    monkeypatch.setenv("TRUSTCIRCLES_CONFIG_DIR", str(tmp_path / "config"))
    sample = all_samples[name]
    table = imported(sample)
    assert len(table) >= 2 and (table["actor"] == "me").any(), name
    assert sides.SIDES_COLUMN in table.columns
    dump = table.astype(str).to_csv(index=False).lower()
    for text in sample.personal:
        assert text.lower() not in dump, (name, text)
    others = set(table["actor"]).union(table["target"].dropna()) - {"me"}
    assert all(a.startswith("u") and len(a) == 9 for a in others), name


def test_the_privacy_scan_can_fail():
    """The scan above finds a name that the scrubber was not given (the guard works)."""
    table = pd.DataFrame({"text": [TextScrubber(names=["Ann Lee"]).scrub("Ann Lee met Bo Quist")]})
    dump = table.astype(str).to_csv(index=False).lower()
    assert "ann lee" not in dump and "bo quist" in dump


@pytest.mark.parametrize("name", ["example-whatsapp", "example-telegram", "example-linkedin",
                                  "example-messenger"])
def test_new_formats_found_and_zip_reads_like_folder(all_samples, name):
    sample = all_samples[name]
    assert detect_kind(sample.path) == sample.kind
    assert imported(sample).equals(imported(all_samples[name + "-zip"]))


def test_kinds_registered_in_the_command(capsys):
    parser = cli.build_parser(only="import")
    assert {"whatsapp", "linkedin", "telegram", "messenger"} <= set(IMPORTERS)
    for kind in IMPORTERS:
        args = parser.parse_args(["import", kind, "export.zip", "--out", "t.csv"])
        assert args.kind == kind and args.me is None
    with pytest.raises(SystemExit):
        parser.parse_args(["import", "myspace", "export.zip", "--out", "t.csv"])
    assert "invalid choice" in capsys.readouterr().err


# --------------------------------------------------------------------------- mail

def test_gmail_labels_broadcasts_html_cc_bcc_and_several_addresses(all_samples):
    t = imported(all_samples["gmail-mbox"])
    text = " ".join(t["text"])
    for left_out in ("Claim your prize", "deleted mail", "Never sent", "away until Monday"):
        assert left_out not in text  # spam, trash, draft, auto-reply
    assert len(t) == 7
    by_text = {row.text.split()[0] if row.text else "": row for row in t.itertuples()}
    news = t[t["text"].str.contains("spring sale", case=False)].iloc[0]
    assert news["kind"] == "post" and pd.isna(news["target"]) and news["is_promotional"]
    assert "<" not in news["text"].replace("<URL>", "") and "color" not in news["text"]
    assert "& free delivery" in news["text"]  # HTML-only mail as text, entities decoded
    venue = t[t["text"].str.startswith("Does anyone")].iloc[0]
    assert venue["kind"] == "post"  # list mail: a broadcast
    answer = t[t["text"].str.contains("library has a room")].iloc[0]
    assert answer["kind"] == "reply" and answer["actor"] == "me"  # the second address is me too
    cc_only = t[t["text"].str.contains("slides are attached")].iloc[0]
    assert cc_only["kind"] == "dm" and cc_only["target"] == "me"  # Cc is a recipient
    bcc_only = t[t["text"].str.contains("only you see")].iloc[0]
    assert bcc_only["kind"] == "dm" and bcc_only["target"] == P("vik@example.com")  # Bcc too
    reply = t[t["text"].str.startswith("Yes, happy")].iloc[0]
    assert reply["kind"] == "reply" and reply["target"] == "me"  # to ada+meetup@: her mailbox
    assert by_text


def test_gmail_owner_from_sent_mail(all_samples):
    sample = all_samples["gmail-mbox"]
    assert import_export("mbox", sample.path, None, key=KEY).equals(imported(sample))
    with pytest.raises(TableError, match=r"bruno@example.net.*not the owner.*ada@example.org"):
        import_export("mbox", sample.path, "bruno@example.net", key=KEY)


def test_takeout_zip_read_as_downloaded(all_samples):
    assert imported(all_samples["gmail-takeout-zip"]).equals(imported(all_samples["gmail-mbox"]))


def test_takeout_zip_without_mail_names_the_file_to_give(tmp_path, capsys):
    takeout = tmp_path / "takeout-20250310T100000Z-001.zip"
    import zipfile
    with zipfile.ZipFile(takeout, "w") as archive:
        archive.writestr("Takeout/Drive/notes.txt", "x")
        archive.writestr("Takeout/archive_browser.html", "<html></html>")
    status = cli.main(["import", "mbox", str(takeout), "--me", "a@example.org", "--out",
                       str(tmp_path / "t.csv")])
    err = capsys.readouterr().err
    assert status == 2 and "Traceback" not in err
    assert "no .mbox mail file" in err and "Drive" in err and "All mail Including Spam and Trash.mbox" in err
    assert not (tmp_path / "t.csv").exists()


def test_mail_parallel_read_equals_serial(all_samples, monkeypatch, tmp_path):
    from trustcircles.importers import mbox, parallel
    big = tmp_path / "big.mbox"
    text = samples.gmail_mbox_text()
    big.write_text("".join(text.replace("<g", f"<r{n}g") for n in range(30)), encoding="utf-8")
    monkeypatch.setenv("TRUSTCIRCLES_SERIAL", "1")
    serial = import_export("mbox", big, ["ada@example.org", "ada@work.example"], key=KEY)
    monkeypatch.setenv("TRUSTCIRCLES_SERIAL", "0")
    monkeypatch.setattr(mbox, "PARALLEL_BYTES", 1000)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 10)
    if not parallel.available():
        pytest.skip("no fork here: the import runs serially")
    assert import_export("mbox", big, ["ada@example.org", "ada@work.example"], key=KEY).equals(serial)
    assert len(serial) == 30 * 7


def test_flags_and_scrubbing_in_the_child_equal_serial(all_samples, monkeypatch):
    """With the second core (the child scrubs and sets the flags while this process makes the
    pseudonyms) every example export imports exactly as on one core, flags included."""
    from trustcircles.importers import parallel
    names = [f"example-{kind}" for kind in samples.EXAMPLE_SAMPLES] + ["gmail-mbox"]
    monkeypatch.setenv("TRUSTCIRCLES_SERIAL", "1")
    serial = {name: imported(all_samples[name]) for name in names}
    monkeypatch.setenv("TRUSTCIRCLES_SERIAL", "0")
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    if not parallel.available():
        pytest.skip("no fork here: the import runs serially")
    for name in names:
        assert imported(all_samples[name]).equals(serial[name]), name
    assert sum(t["is_question"].sum() + t["is_promotional"].sum() for t in serial.values()) >= 5


# --------------------------------------------------------------------------- Slack

def test_slack_private_channels_dms_group_dms_subtypes_and_bots(all_samples):
    t = imported(all_samples["slack-corporate"])
    theo, quinn = P("U0BBB0003"), P("U0BBB0004")
    texts = list(t["text"])
    assert not any("Deployed" in x or "Nightly" in x or "has joined" in x for x in texts)  # bots, joins
    assert any("Friday works" in x for x in texts)  # thread_broadcast
    assert any("is watering" in x for x in texts)  # me_message
    assert any("Schedule for March" in x for x in texts)  # file_share
    dm = t[t["text"].str.contains("shed key")].iloc[0]
    assert dm["kind"] == "dm" and dm["actor"] == quinn and dm["target"] == "me"
    group = t[t["channel"].str.startswith("mpdm")]
    assert list(group["kind"]) == ["post", "dm", "dm"] and list(group["target"].fillna("")) == ["", theo, quinn]
    private = t[t["text"].str.contains("budget chat")]
    assert len(private) == 1 and "theo" not in private.iloc[0]["channel"].lower()
    assert set(t["channel"]) >= {"general", "direct message"}
    guest_reply = t[t["text"].str.contains("ask")].iloc[0]
    assert guest_reply["kind"] == "reply"


def test_slack_enterprise_grid_export(all_samples):
    t = imported(all_samples["slack-grid"])
    assert len(t) == len(imported(all_samples["slack-corporate"]))


def test_slack_shared_display_name_refused_with_candidates(all_samples):
    sample = all_samples["slack-corporate"]
    with pytest.raises(TableError) as error:
        import_export("slack", sample.path, "mira", key=KEY)
    message = str(error.value)
    assert "matches 2 people" in message and "Mira Example" in message and "Mira Stone" in message
    assert "U0BBB0001" in message and "U0BBB0002" in message
    by_id = import_export("slack", sample.path, "U0BBB0001", key=KEY)
    assert by_id.equals(imported(sample))  # by the profile e-mail, the same person
    assert import_export("slack", sample.path, "Mira Example", key=KEY).equals(by_id)


# --------------------------------------------------------------------------- X

@pytest.mark.parametrize("name", ["x-2023", "x-2020"])
def test_x_every_generation_handle_change_group_dms_entities(all_samples, name):
    t = imported(all_samples[name])
    assert (t["kind"] == "dm").sum() >= 3  # one-to-one and group direct messages
    received = t[t["text"].str.endswith("list attached")].iloc[0]
    assert received["actor"] == P("id:2002") and received["target"] == "me"
    self_reply = t[t["text"].str.contains("tell me why")].iloc[0]
    assert self_reply["kind"] == "reply" and self_reply["target"] == "me"  # old handle = the owner
    assert "<3" in self_reply["text"]
    retweet = t[t["kind"] == "share"].iloc[0]
    assert retweet["target"] == "me"
    assert any(x.startswith("Q&A tonight") for x in t["text"])  # &amp; unescaped
    group = t[t["text"].isin(["Picnic read-along Saturday?", "Yes, Una!"])]
    assert list(group["kind"]) == ["post", "dm"] and group.iloc[1]["target"] == P("id:3004")
    assert any("thanks <PERSON>" in x for x in t["text"])  # from tweets-part1.js
    if name == "x-2023":
        assert any(x.startswith("Book club community") for x in t["text"])  # community-tweet.js
    assert sides.sides_held(t) == "mixed"
    note = sides.one_sided_note(t)
    assert "direct messages" in note and "cannot be seen" in note


def test_x_classic_archive(all_samples):
    t = imported(all_samples["x-classic"])
    assert list(t["kind"]) == ["mention", "share"] and "&amp;" not in t["text"][0]


def test_x_foreign_me_refused_and_owner_default(all_samples):
    sample = all_samples["x-2023"]
    with pytest.raises(TableError, match=r"lee_reads.*not the owner.*jo_new"):
        import_export("twitter", sample.path, "lee_reads", key=KEY)
    assert import_export("twitter", sample.path, None, key=KEY).equals(imported(sample))
    assert import_export("twitter", sample.path, "jo_old", key=KEY).equals(imported(sample))


# --------------------------------------------------------------------------- Mastodon

def test_mastodon_zip_folder_and_old_tar_gz_read_alike(all_samples, tmp_path):
    folder = imported(all_samples["example-mastodon"])
    assert imported(all_samples["mastodon-tar-gz"]).equals(folder)
    as_zip = samples.zipped(all_samples["example-mastodon"], tmp_path)
    assert imported(as_zip).equals(folder)


def test_mastodon_is_one_sided_and_says_so(all_samples):
    t = imported(all_samples["example-mastodon"])
    assert set(t[sides.SIDES_COLUMN]) == {sides.OWN}
    assert not sides.can_see_answers(t)
    assert sides.one_sided_note(t) == "Your archive holds only what you wrote: who answered you cannot be seen."
    slack = imported(all_samples["example-slack"])
    assert sides.one_sided_note(slack) is None and sides.can_see_answers(slack)
    assert sides.sides_held(pd.DataFrame({"kind": ["post"]})) == "unknown"


def test_mastodon_friend_as_me_refused(all_samples):
    with pytest.raises(TableError, match=r"sam@other.example.*not the owner.*robin@example.social"):
        import_export("mastodon", all_samples["example-mastodon"].path, "sam@other.example", key=KEY)


def test_one_sided_table_round_trips_through_the_file(all_samples, tmp_path):
    out = tmp_path / "mine.csv.gz"
    sample = all_samples["example-mastodon"]
    assert cli.main(["import", "mastodon", str(sample.path), "--out", str(out)]) == 0
    table = read_interactions_file(out)
    assert sides.one_sided_note(table) == sides.ONE_SIDED_SENTENCE
    assert gzip.open(out).read().startswith(b"event_id,timestamp,actor")


# --------------------------------------------------------------------------- identity

def test_several_identities_of_one_person(all_samples):
    sample = all_samples["gmail-mbox"]
    one = import_export("mbox", sample.path, "ada@example.org", key=KEY)
    both = imported(sample)
    assert (both["actor"] == "me").sum() >= (one["actor"] == "me").sum()


def test_me_that_names_nobody_lists_candidates(all_samples):
    with pytest.raises(TableError, match=r"(?s)names nobody.*Robin Example"):
        import_export("mastodon", all_samples["example-mastodon"].path, "someone_else", key=KEY)
    with pytest.raises(TableError, match=r"does not say whose it is"):
        import_export("slack", all_samples["example-slack"].path, None, key=KEY)


# --------------------------------------------------------------------------- scrubbing

@pytest.mark.parametrize("written", ["Ann Lee", "Lee, Ann", "LEE Ann", "ann.lee", "ann_lee", "annlee",
                                     "A. Lee", "Ann L.", "(Ann)", "Ann-Marie Lee", "Jose", "José"])
def test_names_in_every_order_and_punctuation(written):
    scrubber = TextScrubber(names=["Ann-Marie Lee", "José Núñez"])
    out = scrubber.scrub(f"Thanks {written}, see you")
    assert not any(part in out.lower() for part in ("ann", "lee", "jose", "josé")), out


def test_surname_after_a_known_handle_is_scrubbed():
    scrubber = TextScrubber(handles=["sam"])
    assert scrubber.scrub("@sam Sample, thanks!") == "<HANDLE> <PERSON>, thanks!"
    assert scrubber.scrub("@sam Thanks for it") == "<HANDLE> Thanks for it"


# --------------------------------------------------------------------------- new formats

def test_whatsapp_ios_android_locales_multiline_system_and_media(all_samples):
    t = imported(all_samples["whatsapp-german-and-ios"])
    german = t[t["conversation"] == "Chor"]
    assert list(german["kind"]) == ["post", "dm", "dm", "dm"]  # two system lines left out
    assert german.iloc[3]["text"] == "" or german.iloc[2]["text"] == ""  # <Medien ausgelassen>
    last = german.iloc[-1]
    assert last["text"].endswith("bis Donnerstag") and last["timestamp"] == pd.Timestamp("2025-03-13 09:00", tz="UTC")
    ios = t[t["conversation"] != "Chor"]
    assert len(ios) == 4  # the encryption notice is a system line
    assert list(ios["timestamp"].dt.strftime("%m-%d %H:%M")) == ["03-04 09:01", "03-04 13:15",
                                                                   "03-04 13:15", "03-05 00:05"]
    assert ios.iloc[2]["text"] == ""  # <attached: ...>
    assert set(ios["kind"]) == {"dm"}


def test_whatsapp_example_both_chats(all_samples):
    t = imported(all_samples["example-whatsapp"])
    assert set(t["conversation"]) == {"Choir Friends", "<HANDLE>"}
    assert (t["text"] == "").sum() == 4  # image, document, media omitted, deleted
    assert any("\n" in x for x in t["text"])  # multi-line messages
    assert import_export("whatsapp", all_samples["example-whatsapp"].path, None, key=KEY).equals(
        imported(all_samples["example-whatsapp"]))  # the chat of two names its owner


def test_telegram_replies_and_owner(all_samples):
    t = imported(all_samples["example-telegram"])
    replies = t[t["kind"] == "reply"]
    assert len(replies) == 2 and set(replies["target"]) == {"me"}
    assert set(replies["parent_id"]) <= set(t["event_id"])
    assert "buy milk" not in " ".join(t["text"])  # saved messages left out
    single = imported(all_samples["telegram-single-chat"])
    assert list(single["kind"]) == ["dm", "reply"] and single["actor"][0] == "me"


def test_linkedin_profile_urls_folders_drafts_and_mojibake(all_samples):
    t = imported(all_samples["example-linkedin"])
    assert len(t) == 7  # the draft and the SPAM folder are left out
    renee = P("https://www.linkedin.com/in/renee-fictive")
    assert t["target"][0] == renee and t["actor"][1] == renee
    assert t["is_promotional"][3] and "<p>" not in t["text"][3]


def test_messenger_mojibake_repaired_and_notices_left_out(all_samples):
    t = imported(all_samples["example-messenger"])
    assert any("café" in x and "😀" in x for x in t["text"])
    assert not any("named the group" in x or "video call" in x for x in t["text"])
    assert len(t) == 8
    insta = imported(all_samples["instagram"])
    assert list(insta["actor"]) == [P("Björn Fiktiv"), "me"] and "Schöne" in insta["text"][0]


# --------------------------------------------------------------------------- bad input

def _bad(tmp_path):
    truncated_tar = tmp_path / "archive-20230101-ab.tar.gz"
    full = samples.mastodon_tar_gz(tmp_path).path.read_bytes()
    truncated_tar.write_bytes(full[: len(full) // 2])
    not_chat = tmp_path / "notes.txt"
    not_chat.write_text("shopping list\nmilk\n")
    broken_json = tmp_path / "tg"
    shutil.copytree(samples.EXAMPLES / "telegram", broken_json)
    result = broken_json / "DataExport_2025-03-10" / "result.json"
    result.write_text(result.read_text()[:300])
    bad_csv = tmp_path / "li"
    bad_csv.mkdir()
    (bad_csv / "messages.csv").write_text("A,B\n1,2\n")
    return [
        ("mastodon", truncated_tar, "not a readable .tar.gz"),
        ("whatsapp", not_chat, "expected a WhatsApp chat export"),
        ("whatsapp", samples.EXAMPLES / "telegram", "looks like a Telegram Desktop export"),
        ("telegram", broken_json, "not complete JSON"),
        ("telegram", samples.EXAMPLES / "linkedin", "looks like a LinkedIn data export"),
        ("linkedin", bad_csv, "no CONTENT column"),
        ("linkedin", samples.EXAMPLES / "messenger", "looks like Facebook Messenger"),
        ("messenger", samples.EXAMPLES / "whatsapp", "looks like a WhatsApp chat export"),
        ("messenger", tmp_path / "missing.zip", "no such file"),
    ]


def test_bad_input_one_message_exit_2_nothing_written(tmp_path, capsys):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    for kind, path, message in _bad(tmp_path):
        status = cli.main(["import", kind, str(path), "--me", "someone", "--out", str(out_dir / "t.csv")])
        err = capsys.readouterr().err
        assert status == 2, (kind, path, err)
        assert message in err and "Traceback" not in err and "What to do" in err, (kind, err)
        assert list(out_dir.iterdir()) == [], kind


def test_cli_several_me_and_owner_default(all_samples, tmp_path, capsys):
    sample = all_samples["gmail-mbox"]
    out = tmp_path / "mail.csv"
    assert cli.main(["import", "mbox", str(sample.path), "--me", "ada@example.org", "--me",
                     "ada@work.example", "--out", str(out)]) == 0
    assert read_interactions_file(out)["actor"].eq("me").sum() == imported(sample)["actor"].eq("me").sum()
    out2 = tmp_path / "tg.csv"
    assert cli.main(["import", "telegram", str(all_samples["example-telegram"].path), "--out", str(out2)]) == 0
    assert "8 events" in capsys.readouterr().out
