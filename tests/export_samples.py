"""Sample exports built to the layouts real exports have, with invented people only.

Each builder writes one export into a folder and returns a :class:`Sample`: the kind, the path to
give the importer, the ``--me`` to use, and every personal string of its invented people (names,
handles, addresses, phone numbers) that must not survive anonymisation anywhere in the table.
Names are chosen with letters outside a-f so they cannot turn up inside a hex pseudonym by chance.

Where each layout comes from (also in datasets/examples/README.md):

* Gmail: Google Takeout's Mail export, ``Takeout/Mail/All mail Including Spam and Trash.mbox``,
  with Gmail's ``X-Gmail-Labels`` (``Inbox``, ``Sent``, ``Spam``, ``Trash``, ``Draft``, ``Opened``,
  ``Category Promotions``...) and ``X-GM-THRID`` headers, as shown in Google's Takeout help and read
  by the mboxmux and ParseGmailMboxToMaildir tools;
* Slack: the export layout of Slack's help page "How to read Slack data exports" (users.json,
  channels.json, groups.json, dms.json, mpims.json, org_users.json for Enterprise Grid; a folder per
  conversation, a file per day; message ``subtype``, ``bot_id``, ``user_profile``), as read by
  slackdump and slack-export-viewer;
* X: the file and variable names of archives since late 2022 (``data/tweets.js``,
  ``window.YTD.tweets.part0``, ``direct-messages-group.js``, ``community-tweet.js``,
  ``screen-name-change.js``) and of 2019-2022 (``data/tweet.js``, ``window.YTD.tweet.part0``,
  ``direct-message.js``, ``direct-message-group.js``), and the classic ``data/js/tweets/YYYY_MM.js``,
  as documented by the twitter_archive crate (rust-utilities) and twitter-archive-reader (alkihis);
* Mastodon: the archive of Mastodon's "Request your archive" (outbox.json, actor.json, likes.json;
  a .zip since 4.2, ``archive-<date>-<hash>.tar.gz`` before);
* WhatsApp: "Export chat" files, ``_chat.txt`` in ``WhatsApp Chat - <name>.zip`` on iOS and
  ``WhatsApp Chat with <name>.txt`` on Android, in the line forms the whatstk, whatsapp-chat-parser
  (Pustur) and whats_json (starkdmi) readers test (locale dates, U+200E marks, U+202F before AM/PM);
* LinkedIn: ``messages.csv`` of "Get a copy of your data" with the columns listed by linkedin_md
  (thephm), ``Profile.csv`` and ``Connections.csv`` (which opens with notes);
* Telegram: Telegram Desktop's JSON export ``result.json`` (``personal_information``,
  ``chats.list``, ``date_unixtime``, ``from_id``, ``reply_to_message_id``, text as a list of
  entities), as documented by tg-parser;
* Facebook and Instagram: "Download your information" in JSON, ``messages/inbox/<name>_<id>/
  message_1.json`` under ``your_facebook_activity/`` or ``your_instagram_activity/``, every string
  UTF-8 written as Latin-1 escapes, as repaired by the readers the README names.
"""
from __future__ import annotations

import json
import tarfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "datasets" / "examples"


@dataclass
class Sample:
    kind: str
    path: Path
    me: list | str | None
    personal: list[str] = field(default_factory=list)


def _zip(folder: Path, target: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                archive.write(file, prefix + file.relative_to(folder).as_posix())
    return target


# --------------------------------------------------------------------------- the shipped examples

EXAMPLE_SAMPLES = {
    "mastodon": ("mastodon", "@robin@example.social",
                 ["robin", "Robin Example", "Sam Sample", "Sample", "@sam", "kai", "7946 0000",
                  "robin@example.org", "shop.example.com", "other.example"]),
    "twitter": ("twitter", "jo_tester",
                ["jo_tester", "Jo Tester", "Lee Reader", "lee_reads", "pat_books", "Pat Bookish",
                 "lee@example.net", "t.co", "jo@example.org"]),
    "slack": ("slack", "Mira Example",
              ["Mira", "Theo", "Quinn", "U0AAA", "notes.example.com", "theo.p"]),
    "mbox": ("mail.mbox", "ada@example.org",
             ["Ada Example", "ada@", "Ben Placeholder", "ben@example.net", "Cleo Sample", "Cleo",
              "cleo@example.com", "555 010 4477", "meetup.example.com"]),
    "whatsapp": ("whatsapp", "Tove Example",
                 ["Tove", "Wren Placeholder", "Wren", "Juno Testwood", "Juno", "Sam Sample",
                  "+44 20 7946 0321", "7946 0456", "79460456", "tove@example.org",
                  "tickets.example.com"]),
    "telegram": ("telegram", None,
                 ["Noor", "noor_example", "Oskar Fictive", "Oskar", "Yara Mockford", "Yara",
                  "yara_m", "7946 0611", "7946 0633", "notes.example.org"]),
    "linkedin": ("linkedin", None,
                 ["Lars", "lars-example", "Renée", "Renee", "RenÃ©e", "Fictive", "Milo Placeholder",
                  "Asha", "Testperson", "asha@example.net", "555 010 2233", "courses.example.com",
                  "linkedin.com/in"]),
    "messenger": ("messenger", None,
                  ["Inès", "Ines", "InÃ¨s", "Zoë", "Zoe", "ZoÃ«", "Praline", "Mateo", "Fictivo",
                   "7946 0888", "ines@example.org"]),
}


def example(kind: str) -> Sample:
    folder, me, personal = EXAMPLE_SAMPLES[kind]
    return Sample(kind, EXAMPLES / folder, me, personal)


# --------------------------------------------------------------------------- Gmail Takeout

GMAIL_PEOPLE = ["Ada Example", "ada@example.org", "ada@work.example", "Bruno Testman", "Bruno",
                "bruno@example.net", "Hilde Sampleton", "Hilde", "hilde@example.com",
                "Vik Mocker", "vik@example.com", "555 010 7788", "Spammy Spamson", "Dora Draftly",
                "Trashy Tom", "Otto Outoffice", "list.example.com"]


def _mail(headers: dict, body: str = "", parts: list | None = None) -> str:
    lines = [f"{k}: {v}" for k, v in headers.items()]
    if parts is None:
        return "\n".join(lines) + "\n\n" + body + "\n"
    boundary = "000000000000b0undary" + str(abs(hash(headers["Message-ID"])) % 1000)
    lines.append(f'Content-Type: multipart/alternative; boundary="{boundary}"')
    out = "\n".join(lines) + "\n\n"
    for content_type, text in parts:
        out += f"--{boundary}\nContent-Type: {content_type}; charset=\"UTF-8\"\n\n{text}\n"
    return out + f"--{boundary}--\n"


def gmail_mbox_text() -> str:
    """A Takeout mbox: labels, Sent mail from two addresses, spam, trash, a draft, a newsletter
    (HTML only), list mail, an auto-reply, Cc-only and Bcc-only mail, a +alias."""
    mails = [
        ({"X-GM-THRID": "1800000000000000001", "X-Gmail-Labels": "Sent,Opened",
          "From": "Ada Example <ada@example.org>", "To": "Bruno Testman <bruno@example.net>",
          "Date": "Mon, 03 Mar 2025 09:00:00 +0000", "Subject": "Spring meetup",
          "Message-ID": "<g1@example.org>"},
         "Hi Bruno, can you host the spring meetup? Call me on +1 555 010 7788."),
        ({"X-GM-THRID": "1800000000000000001", "X-Gmail-Labels": "Inbox,Important,Opened,Category Personal",
          "Delivered-To": "ada@example.org", "From": "Bruno Testman <bruno@example.net>",
          "To": "Ada Example <ada+meetup@example.org>", "Date": "Mon, 03 Mar 2025 11:00:00 +0000",
          "Subject": "Re: Spring meetup", "Message-ID": "<g2@example.net>", "In-Reply-To": "<g1@example.org>",
          "References": "<g1@example.org>"},
         "Yes, happy to, Ada.\n\n> Hi Bruno, can you host the spring meetup?"),
        ({"X-GM-THRID": "1800000000000000002", "X-Gmail-Labels": "Spam,Category Updates",
          "From": "Spammy Spamson <win@prize.example>", "To": "ada@example.org",
          "Date": "Mon, 03 Mar 2025 12:00:00 +0000", "Subject": "You won", "Message-ID": "<g3@prize.example>"},
         "Claim your prize now"),
        ({"X-GM-THRID": "1800000000000000003", "X-Gmail-Labels": "Trash,Opened",
          "From": "Trashy Tom <tom@example.com>", "To": "ada@example.org",
          "Date": "Mon, 03 Mar 2025 13:00:00 +0000", "Subject": "old", "Message-ID": "<g4@example.com>"},
         "deleted mail"),
        ({"X-GM-THRID": "1800000000000000004", "X-Gmail-Labels": "Draft",
          "From": "Ada Example <ada@example.org>", "To": "Dora Draftly <dora@example.com>",
          "Date": "Mon, 03 Mar 2025 14:00:00 +0000", "Subject": "unsent", "Message-ID": "<g5@example.org>"},
         "Never sent"),
        ({"X-GM-THRID": "1800000000000000005", "X-Gmail-Labels": "Inbox,Category Promotions,Opened",
          "Delivered-To": "ada@example.org", "From": "Garden Shop News <news@shop.example.com>",
          "To": "ada@example.org", "Date": "Tue, 04 Mar 2025 08:00:00 +0000",
          "Subject": "Spring sale", "Message-ID": "<g6@shop.example.com>",
          "List-Unsubscribe": "<https://shop.example.com/unsubscribe>", "MIME-Version": "1.0",
          "Content-Type": "text/html; charset=UTF-8"},
         "<html><head><style>p {color: red}</style></head><body><p>Big <b>spring sale</b>: 20% off &amp; free "
         "delivery!</p><p>Buy now at https://shop.example.com</p></body></html>"),
        ({"X-GM-THRID": "1800000000000000006", "X-Gmail-Labels": "Inbox,Category Forums",
          "Delivered-To": "ada@example.org", "From": "Hilde Sampleton <hilde@example.com>",
          "To": "meetups@list.example.com", "List-Id": "Meetup organisers <meetups.list.example.com>",
          "Date": "Tue, 04 Mar 2025 09:00:00 +0000", "Subject": "Venues", "Message-ID": "<g7@example.com>"},
         "Does anyone know a venue for 40 people?"),
        ({"X-GM-THRID": "1800000000000000006", "X-Gmail-Labels": "Sent",
          "From": "Ada Example <ada@work.example>", "To": "meetups@list.example.com",
          "Cc": "Hilde Sampleton <hilde@example.com>", "List-Id": "Meetup organisers <meetups.list.example.com>",
          "Date": "Tue, 04 Mar 2025 10:00:00 +0000", "Subject": "Re: Venues", "Message-ID": "<g8@work.example>",
          "In-Reply-To": "<g7@example.com>"},
         "Hilde, the library has a room for 40."),
        ({"X-GM-THRID": "1800000000000000007", "X-Gmail-Labels": "Inbox",
          "Delivered-To": "ada@example.org", "From": "Otto Outoffice <otto@example.com>",
          "To": "ada@example.org", "Auto-Submitted": "auto-replied",
          "Date": "Tue, 04 Mar 2025 11:00:00 +0000", "Subject": "Out of office", "Message-ID": "<g9@example.com>"},
         "I am away until Monday."),
        ({"X-GM-THRID": "1800000000000000008", "X-Gmail-Labels": "Inbox,Opened",
          "Delivered-To": "ada@example.org", "From": "Vik Mocker <vik@example.com>",
          "Cc": "Ada Example <ada@example.org>", "Date": "Wed, 05 Mar 2025 09:00:00 +0000",
          "Subject": "fyi", "Message-ID": "<g10@example.com>"},
         None),
        ({"X-GM-THRID": "1800000000000000009", "X-Gmail-Labels": "Sent",
          "From": "Ada Example <ada@example.org>", "Bcc": "Vik Mocker <vik@example.com>",
          "Date": "Wed, 05 Mar 2025 10:00:00 +0000", "Subject": "quiet", "Message-ID": "<g11@example.org>"},
         "Vik, only you see this one."),
    ]
    out = []
    for headers, body in mails:
        out.append(f"From 1800000000000000{len(out):03d}@xxx Mon Mar 03 09:00:00 +0000 2025\n")
        if body is None:  # a multipart mail with text and HTML, as Gmail sends
            out.append(_mail(headers, parts=[("text/plain", "Vik here: the slides are attached."),
                                             ("text/html", "<div>Vik here: the slides are attached.</div>")]))
        else:
            out.append(_mail(headers, body))
        out.append("\n")
    return "".join(out)


def gmail_takeout(folder: Path, as_zip: bool = False) -> Sample:
    mbox = folder / "Takeout" / "Mail" / "All mail Including Spam and Trash.mbox"
    mbox.parent.mkdir(parents=True)
    mbox.write_text(gmail_mbox_text(), encoding="utf-8")
    (folder / "Takeout" / "archive_browser.html").write_text("<html>Takeout</html>")
    path = mbox
    if as_zip:
        path = _zip(folder / "Takeout", folder / "takeout-20250310T100000Z-001.zip", "Takeout/")
    return Sample("mbox", path, ["ada@example.org", "ada@work.example"], GMAIL_PEOPLE)


# --------------------------------------------------------------------------- Slack

SLACK_PEOPLE = ["Mira Example", "Mira Stone", "mira.stone@example.com", "mira@example.org",
                "Theo Placeholder", "Theo", "Quinn Sample", "Quinn", "Gus Guestly", "Gus",
                "U0BBB", "W0CCC", "theo-and-mira", "mpdm-mira--theo--quinn", "Head of Gardening",
                "555 010 3344", "Releasebot"]


def slack_export(folder: Path, grid: bool = False) -> Sample:
    """A corporate (Business+) export with private channels, DMs and group DMs; with ``grid``, an
    Enterprise Grid export (org_users.json, W ids)."""
    p = "W" if grid else "U"
    mira, stone, theo, quinn, bot = (f"{p}0BBB0001", f"{p}0BBB0002", f"{p}0BBB0003",
                                     f"{p}0BBB0004", f"{p}0BBB0009")
    users = [
        {"id": mira, "team_id": "T0AAA", "name": "mira", "real_name": "Mira Example",
         "profile": {"real_name": "Mira Example", "display_name": "mira", "email": "mira@example.org",
                     "title": "Head of Gardening", "phone": "+1 555 010 3344", "first_name": "Mira",
                     "last_name": "Example"}, "is_bot": False},
        {"id": stone, "team_id": "T0AAA", "name": "mira.stone", "real_name": "Mira Stone",
         "profile": {"real_name": "Mira Stone", "display_name": "mira", "email": "mira.stone@example.com"},
         "is_bot": False},
        {"id": theo, "team_id": "T0AAA", "name": "theo", "real_name": "Theo Placeholder",
         "profile": {"real_name": "Theo Placeholder", "display_name": "theo"}, "is_bot": False},
        {"id": quinn, "team_id": "T0AAA", "name": "quinn", "real_name": "Quinn Sample",
         "profile": {"real_name": "Quinn Sample", "display_name": "quinn"}, "is_bot": False},
        {"id": bot, "team_id": "T0AAA", "name": "releasebot", "real_name": "Releasebot",
         "profile": {"real_name": "Releasebot", "bot_id": "B0RELEASE"}, "is_bot": True},
    ]
    if grid:
        for user in users:
            user["enterprise_user"] = {"id": user["id"], "enterprise_id": "E0AAA", "teams": ["T0AAA"]}
    (folder / ("org_users.json" if grid else "users.json")).write_text(json.dumps(users))
    (folder / "channels.json").write_text(json.dumps([
        {"id": "C0GENERAL", "name": "general", "created": 1740990000, "creator": mira,
         "members": [mira, stone, theo, quinn]}]))
    (folder / "groups.json").write_text(json.dumps([
        {"id": "C0PRIVATE", "name": "theo-and-mira", "created": 1740990000, "creator": mira,
         "members": [mira, theo]}]))
    (folder / "dms.json").write_text(json.dumps([{"id": "D0DIRECT1", "created": 1740990000,
                                                  "members": [mira, quinn]}]))
    (folder / "mpims.json").write_text(json.dumps([
        {"id": "C0GROUPDM", "name": "mpdm-mira--theo--quinn-1", "created": 1740990000, "creator": mira,
         "members": [mira, theo, quinn]}]))
    day = 1741003200  # 2025-03-03T12:00:00Z

    def msg(user, seconds, text, **extra):
        return {"type": "message", "user": user, "text": text, "ts": f"{day + seconds}.000100", **extra}

    files = {
        "general/2025-03-03.json": [
            msg(quinn, 0, "<@" + quinn + "> has joined the channel", subtype="channel_join"),
            msg(mira, 10, "Who can water the plants on Friday?"),
            msg(theo, 20, "I can, Mira", thread_ts=f"{day + 10}.000100", parent_user_id=mira),
            msg(theo, 30, "(also posting here) Friday works", subtype="thread_broadcast",
                thread_ts=f"{day + 10}.000100", parent_user_id=mira),
            msg(quinn, 40, "is watering on Saturday", subtype="me_message"),
            msg(mira, 50, "Schedule for March", subtype="file_share",
                files=[{"id": "F0FILE", "name": "schedule.pdf"}]),
            msg(bot, 60, "Deployed v2", bot_id="B0RELEASE"),
            {"type": "message", "subtype": "bot_message", "bot_id": "B0RELEASE", "username": "Releasebot",
             "text": "Nightly build done", "ts": f"{day + 70}.000100"},
            msg("U0GUEST01", 80, "Hello from the partner org, Gus here. Any seeds left?",
                user_profile={"real_name": "Gus Guestly", "display_name": "Gus", "name": "gus.guestly",
                              "first_name": "Gus"}),
            msg(theo, 90, "Yes Gus Guestly, ask Quinn", thread_ts=f"{day + 80}.000100",
                parent_user_id="U0GUEST01"),
        ],
        "theo-and-mira/2025-03-03.json": [msg(mira, 100, "Theo, budget chat tomorrow?"),
                                          msg(theo, 110, "Sure")],
        "D0DIRECT1/2025-03-04.json": [msg(quinn, 86400, "Quick question: is the shed key with you?"),
                                      msg(mira, 86460, "Yes, come by at 5")],
        "mpdm-mira--theo--quinn-1/2025-03-04.json": [
            msg(theo, 86500, "Lunch?"), msg(quinn, 86510, "In!"), msg(mira, 86520, "Me too")],
    }
    for name, messages in files.items():
        (folder / name).parent.mkdir(exist_ok=True)
        (folder / name).write_text(json.dumps(messages))
    return Sample("slack", folder, "mira@example.org", SLACK_PEOPLE)


# --------------------------------------------------------------------------- X/Twitter

X_PEOPLE = ["jo_new", "jo_old", "Jo Tester", "jo@example.org", "lee_reads", "Lee Reader",
            "pat_books", "Pat Bookish", "una_group", "Una Grouper", "Exampleville"]


def _js(variable: str, data) -> str:
    return f"window.YTD.{variable}.part0 = " + json.dumps(data, indent=1)


def _tweet(id_, when, text, mentions=(), reply=None, wrap=True):
    tweet = {"id_str": str(id_), "id": str(id_), "created_at": when, "full_text": text,
             "entities": {"user_mentions": [{"screen_name": s, "name": n, "id_str": i, "id": i}
                                            for s, n, i in mentions], "urls": [], "hashtags": []},
             "in_reply_to_status_id_str": None, "in_reply_to_screen_name": None}
    if reply:
        status, screen_name, user = reply
        tweet.update(in_reply_to_status_id_str=status, in_reply_to_status_id=status,
                     in_reply_to_screen_name=screen_name, in_reply_to_user_id_str=user,
                     in_reply_to_user_id=user)
    return {"tweet": tweet} if wrap else tweet


def x_archive(folder: Path, generation: str = "2023") -> Sample:
    """An X archive after a handle change (jo_old -> jo_new, id 1001). ``generation``: "2023"
    (tweets.js, direct-messages(-group).js, community-tweet.js), "2020" (tweet.js,
    direct-message(-group).js, entries without the "tweet" wrapper in one part) or "classic"."""
    data = folder / "data"
    data.mkdir(parents=True)
    me_mention = ("jo_old", "Jo Tester", "1001")
    lee = ("lee_reads", "Lee Reader", "2002")
    if generation == "classic":
        tweets = (data / "js" / "tweets")
        tweets.mkdir(parents=True)
        (data / "js" / "user_details.js").write_text("var user_details =  " + json.dumps(
            {"screen_name": "jo_new", "location": "Exampleville", "full_name": "Jo Tester", "id": "1001"}))
        (tweets / "2015_03.js").write_text("Grailbird.data.tweets_2015_03 = " + json.dumps([
            {"id_str": "11", "created_at": "2015-03-03 09:00:00 +0000", "text": "Books &amp; tea, @lee_reads?",
             "entities": {"user_mentions": [{"screen_name": "lee_reads", "name": "Lee Reader", "id_str": "2002"}]},
             "user": {"id_str": "1001", "screen_name": "jo_new", "name": "Jo Tester"}},
            {"id_str": "12", "created_at": "2015-03-04 09:00:00 +0000", "text": "RT @pat_books: new list",
             "retweeted_status": {"id_str": "99", "user": {"id_str": "2003", "screen_name": "pat_books", "name": "Pat Bookish"}},
             "entities": {"user_mentions": [{"screen_name": "pat_books", "name": "Pat Bookish", "id_str": "2003"}]},
             "user": {"id_str": "1001", "screen_name": "jo_new", "name": "Jo Tester"}}]))
        return Sample("twitter", folder, "jo_new", X_PEOPLE)
    new = generation == "2023"
    stems = ("tweets", "tweets", "direct-messages", "direct_messages", "direct-messages-group",
             "direct_messages_group") if new else ("tweet", "tweet", "direct-message", "direct_message",
                                                   "direct-message-group", "direct_message_group")
    (data / "account.js").write_text(_js("account", [{"account": {
        "email": "jo@example.org", "createdVia": "web", "username": "jo_new", "accountId": "1001",
        "createdAt": "2019-01-01T10:00:00.000Z", "accountDisplayName": "Jo Tester"}}]))
    (data / "screen-name-change.js").write_text(_js("screen_name_change", [{"screenNameChange": {
        "accountId": "1001", "screenNameChange": {"changedAt": "2024-06-01T10:00:00.000Z",
                                                  "changedFrom": "jo_old", "changedTo": "jo_new"}}}]))
    (data / "profile.js").write_text(_js("profile", [{"profile": {"description": {
        "bio": "Reader", "website": "https://t.co/xyz", "location": "Exampleville"}}}]))
    wrap = new
    part0 = [
        _tweet(501, "Mon Mar 03 09:00:00 +0000 2025", "Q&amp;A tonight: what are you reading?", wrap=wrap),
        # a self-reply made under the old handle: the thread is the owner's, not a stranger's
        _tweet(502, "Mon Mar 03 09:05:00 +0000 2025", "@jo_old and tell me why &lt;3", [me_mention],
               reply=("501", "jo_old", "1001"), wrap=wrap),
        _tweet(503, "Mon Mar 03 10:00:00 +0000 2025", "RT @jo_old: an old thought", [me_mention], wrap=wrap),
    ]
    part1 = [_tweet(504, "Tue Mar 04 10:00:00 +0000 2025", "@lee_reads thanks Lee Reader!", [lee],
                    reply=("7001", "lee_reads", "2002"), wrap=wrap)]
    (data / f"{stems[0]}.js").write_text(_js(stems[1], part0))
    (data / f"{stems[0]}-part1.js").write_text(_js(stems[1], part1).replace("part0", "part1"))
    if new:
        (data / "community-tweet.js").write_text(_js("community_tweet", [
            _tweet(505, "Wed Mar 05 10:00:00 +0000 2025", "Book club community: who joins on Friday?")]))
    (data / f"{stems[2]}.js").write_text(_js(stems[3], [{"dmConversation": {
        "conversationId": "1001-2002", "messages": [
            {"messageCreate": {"recipientId": "1001", "reactions": [], "urls": [], "text": "Hi Jo, list attached",
                               "mediaUrls": [], "senderId": "2002", "id": "9001", "createdAt": "2025-03-05T09:00:00.000Z"}},
            {"messageCreate": {"recipientId": "2002", "reactions": [], "urls": [], "text": "Thanks Lee!",
                               "mediaUrls": [], "senderId": "1001", "id": "9002", "createdAt": "2025-03-05T09:30:00.000Z"}}]}}]))
    (data / f"{stems[4]}.js").write_text(_js(stems[5], [{"dmConversation": {
        "conversationId": "5555555555", "messages": [
            {"messageCreate": {"reactions": [], "urls": [], "text": "Picnic read-along Saturday?",
                               "mediaUrls": [], "senderId": "3004", "id": "9102", "createdAt": "2025-03-06T09:10:00.000Z"}},
            {"messageCreate": {"reactions": [], "urls": [], "text": "Yes, Una!", "mediaUrls": [],
                               "senderId": "1001", "id": "9103", "createdAt": "2025-03-06T09:20:00.000Z"}},
            {"conversationNameUpdate": {"initiatingUserId": "3004", "name": "Una Grouper's readers",
                                        "createdAt": "2025-03-06T09:05:00.000Z"}},
            {"joinConversation": {"initiatingUserId": "3004", "participantsSnapshot": ["3004", "1001", "2002"],
                                  "createdAt": "2025-03-06T09:00:00.000Z"}}]}}]))
    return Sample("twitter", folder, "jo_new", X_PEOPLE)


# --------------------------------------------------------------------------- Mastodon

def mastodon_tar_gz(folder: Path) -> Sample:
    """The shipped example as a Mastodon archive made before 4.2: a .tar.gz."""
    target = folder / "archive-20230101120000-0123456789abcdef.tar.gz"
    with tarfile.open(target, "w:gz") as archive:
        for file in sorted((EXAMPLES / "mastodon").iterdir()):
            archive.add(file, file.name)
    return Sample("mastodon", target, "@robin@example.social", EXAMPLE_SAMPLES["mastodon"][2])


# --------------------------------------------------------------------------- WhatsApp

WHATSAPP_PEOPLE = ["Greta Beispiel", "Greta", "Hanno Muster", "Hanno", "Liv Dummy", "Liv",
                   "+49 30 901820", "49 30 901820"]


def whatsapp_android_german(folder: Path) -> Path:
    """An Android export of a German phone: ``03.03.25, 14:30 - Name: ...``, ``<Medien ausgelassen>``."""
    lines = [
        "03.03.25, 14:30 - Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Niemand außerhalb "
        "dieses Chats kann sie lesen oder anhören, nicht einmal WhatsApp. Tippe, um mehr zu erfahren.",
        "03.03.25, 14:31 - Greta Beispiel hat die Gruppe „Chor“ erstellt",
        "03.03.25, 14:32 - Greta Beispiel: Wer kommt am Donnerstag?",
        "03.03.25, 14:40 - Hanno Muster: Ich! Und Liv auch.",
        "03.03.25, 14:41 - \u202a+49 30 901820\u202c: <Medien ausgelassen>",
        "13.03.25, 09:00 - Greta Beispiel: Danke Hanno,",
        "bis Donnerstag",
    ]
    path = folder / "WhatsApp Chat mit Chor.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def whatsapp_ios_zip(folder: Path) -> Path:
    """An iPhone export as it comes: ``WhatsApp Chat - Liv Dummy.zip`` holding ``_chat.txt``,
    US dates (month first, 12-hour clock with a narrow no-break space before AM/PM)."""
    lrm, nn = "\u200e", "\u202f"
    chat = "\r\n".join([
        f"{lrm}[3/4/25, 9:00:00{nn}AM] Liv Dummy: {lrm}Messages and calls are end-to-end encrypted. "
        "No one outside of this chat, not even WhatsApp, can read or listen to them.",
        f"[3/4/25, 9:01:10{nn}AM] Greta Beispiel: Hi Liv, can you bring the music stand?",
        f"[3/4/25, 1:15:00{nn}PM] Liv Dummy: Yes",
        f"{lrm}[3/4/25, 1:15:30{nn}PM] Liv Dummy: {lrm}<attached: 00000007-PHOTO-2025-03-04-13-15-30.jpg>",
        f"[3/5/25, 12:05:00{nn}AM] Liv Dummy: Still awake? Call +49 30 901820",
    ]) + "\r\n"
    target = folder / "WhatsApp Chat - Liv Dummy.zip"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("_chat.txt", chat.encode("utf-8"))
        archive.writestr("00000007-PHOTO-2025-03-04-13-15-30.jpg", b"\xff\xd8\xff")
    return target


# --------------------------------------------------------------------------- Telegram

def telegram_single_chat(folder: Path) -> Sample:
    """A one-chat export (no personal_information): the chat's id is the other person."""
    export = folder / "ChatExport_2025-03-10"
    export.mkdir()
    messages = [
        {"id": 1, "type": "message", "date": "2025-03-10T12:00:00", "date_unixtime": "1741608000",
         "from": "Noor Example", "from_id": "user5550101", "text": "Are you free for a call?",
         "text_entities": [{"type": "plain", "text": "Are you free for a call?"}]},
        {"id": 2, "type": "message", "date": "2025-03-10T12:05:00", "date_unixtime": "1741608300",
         "from": "Oskar Fictive", "from_id": "user5550202", "reply_to_message_id": 1,
         "text": ["In 10 min, ", {"type": "phone", "text": "+44 20 7946 0622"}],
         "text_entities": [{"type": "plain", "text": "In 10 min, "}, {"type": "phone", "text": "+44 20 7946 0622"}]},
    ]
    (export / "result.json").write_text(json.dumps({"name": "Oskar Fictive", "type": "personal_chat",
                                                    "id": 5550202, "messages": messages}))
    return Sample("telegram", export, None, ["Oskar", "Fictive", "Noor", "7946 0622"])


# --------------------------------------------------------------------------- Instagram

def instagram_download(folder: Path) -> Sample:
    """An Instagram "Download your information" in JSON (newer layout)."""
    def moji(text: str) -> str:
        return text.encode("utf-8").decode("latin-1")
    thread = folder / "your_instagram_activity" / "messages" / "inbox" / "bjornfiktiv_178912345"
    thread.mkdir(parents=True)
    (thread / "message_1.json").write_text(json.dumps({
        "participants": [{"name": moji("Björn Fiktiv")}, {"name": "Kira Example"}],
        "messages": [
            {"sender_name": "Kira Example", "timestamp_ms": 1741608600000, "content": moji("Danke Björn ❤"),
             "is_geoblocked_for_viewer": False},
            {"sender_name": moji("Björn Fiktiv"), "timestamp_ms": 1741608000000,
             "content": moji("Schöne Fotos! Wo war das?"), "is_geoblocked_for_viewer": False}],
        "title": moji("Björn Fiktiv"), "is_still_participant": True,
        "thread_path": "inbox/bjornfiktiv_178912345"}, ensure_ascii=True))
    profile = folder / "personal_information" / "personal_information"
    profile.mkdir(parents=True)
    (profile / "personal_information.json").write_text(json.dumps({"profile_user": [{
        "media_map_data": {}, "string_map_data": {"Email": {"href": "", "value": "kira@example.org", "timestamp": 0},
                                                  "Name": {"href": "", "value": "Kira Example", "timestamp": 0},
                                                  "Username": {"href": "", "value": "kira.example", "timestamp": 0}}}]}))
    return Sample("messenger", folder, None, ["Björn", "Bjorn", "BjÃ¶rn", "Fiktiv", "Kira", "kira.example"])


def zipped(sample: Sample, folder: Path) -> Sample:
    """The same export as a .zip of its folder (as downloaded)."""
    target = folder / f"{sample.kind}-export.zip"
    _zip(sample.path, target, "export/")
    return Sample(sample.kind, target, sample.me, sample.personal)

