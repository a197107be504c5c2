"""Speed of importing a large export: ``python benchmarks/bench_import.py [--kind K] [--messages N] [--repeat R]``.

Target (issue 20, after issue 8's 10 s): importing a 100,000-message export of any format takes at
most 5 s on the course's 2-core machine. Each export is generated (invented accounts on example
domains; replies, mentions, direct messages, posts and shares, with e-mails, links and phone
numbers in the text) and written to a temporary folder:

* ``mastodon``: an ``outbox.json`` and ``actor.json``;
* ``twitter``: ``data/tweets.js`` (tweets) and ``data/direct-messages.js`` (one DM in ten);
* ``slack``: ``users.json``, ``channels.json`` and one file per channel and day;
* ``mbox``: one mail file, a third of the messages answering an earlier one; with
  ``--mime-share S`` that share of them MIME (quoted-printable, base64, multipart/alternative);
* ``whatsapp``: Android chat files, a group and one-to-one chats with 400 people;
* ``linkedin``: a messages.csv of conversations with 2,000 people;
* ``telegram``: a whole-account result.json, 300 personal chats and 5 groups, with replies;
* ``messenger``: a Facebook download of 500 conversations, strings in Facebook's Latin-1 escapes.

The timed part is ``import_export`` (read, rules, anonymise, validate) plus ``write_table``
(.csv.gz, ``fast=True`` as the ``trustcircles import`` command writes it: ISA-L's deflate). For each kind it prints the median wall-clock time and the median CPU time of this
process and its child (a large import puts part of its work on the second core; the CPU time
hardly changes when other jobs share the machine, the wall-clock time does). Results are recorded by hand in benchmarks/results/import.md, with the machine's load.
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import quopri
import random
import statistics
import tempfile
import time
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
from pathlib import Path

from trustcircles.importers import import_export, write_table

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
PHRASES = ["Which tools do you use?", "Thanks, that helped a lot.", "Great write-up: https://blog.example.com/p/{n}",
           "Big sale, 20% off at shop.example.com with promo code X{n}", "Call me on +44 20 7946 {n:04d}",
           "Mail me at person{n}@example.org about Thursday 09:00", "Adding to the thread after 48 hours."]
START = datetime(2025, 1, 1, tzinfo=timezone.utc)


def _text(rng: random.Random, n: int) -> str:
    return rng.choice(PHRASES).format(n=n % 10000)


def make_outbox(folder: Path, messages: int, seed: int = 1) -> str:
    """A Mastodon archive with ``messages`` activities; returns the owner to pass as ``me``."""
    rng = random.Random(seed)
    me = "https://example.social/users/robin"
    others = [f"https://other{i % 50}.example/users/user{i}" for i in range(2000)]
    items = []
    for n in range(messages):
        status = f"{me}/statuses/{n}"
        when = f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:00Z"
        text = _text(rng, n)
        roll = rng.random()
        if roll < 0.05:
            items.append({"id": status + "/activity", "type": "Announce", "actor": me, "published": when,
                          "to": [PUBLIC], "object": rng.choice(others) + f"/statuses/{n}"})
            continue
        other = rng.choice(others)
        tag = [{"type": "Mention", "href": other, "name": "@" + other.rsplit("/", 1)[1]}]
        obj = {"id": status, "type": "Note", "published": when, "attributedTo": me,
               "to": [PUBLIC], "cc": [me + "/followers"], "inReplyTo": None, "tag": [],
               "content": f"<p>{text}</p>"}
        if roll < 0.45:
            obj.update(inReplyTo=other + f"/statuses/{n}", tag=tag)
        elif roll < 0.65:
            obj.update(tag=tag)
        elif roll < 0.8:
            obj.update(to=[other], cc=[], tag=tag)
        items.append({"id": status + "/activity", "type": "Create", "actor": me, "published": when,
                      "to": obj["to"], "cc": obj["cc"], "object": obj})
    (folder / "outbox.json").write_text(json.dumps(
        {"type": "OrderedCollection", "totalItems": len(items), "orderedItems": items}))
    (folder / "actor.json").write_text(json.dumps({"id": me, "preferredUsername": "robin",
                                                   "name": "Robin Example"}))
    return "robin"


def make_twitter(folder: Path, messages: int, seed: int = 1) -> str:
    """An X/Twitter archive: nine tweets in ten, one direct message in ten."""
    rng = random.Random(seed)
    data = folder / "data"
    data.mkdir()
    others = [(f"user{i}", str(10_000 + i), f"Person {i}") for i in range(2000)]
    tweets, conversations = [], {}
    for n in range(messages):
        when = START + timedelta(minutes=7 * n)
        text = _text(rng, n)
        name, user_id, display = rng.choice(others)
        roll = rng.random()
        if roll < 0.1:
            conversation = conversations.setdefault(user_id, {"conversationId": f"1-{user_id}",
                                                              "messages": []})
            sender, recipient = ("1", user_id) if rng.random() < 0.5 else (user_id, "1")
            conversation["messages"].append({"messageCreate": {
                "id": str(n), "senderId": sender, "recipientId": recipient, "text": text,
                "createdAt": when.strftime("%Y-%m-%dT%H:%M:%S.000Z")}})
            continue
        tweet = {"id_str": str(n), "created_at": when.strftime("%a %b %d %H:%M:%S +0000 %Y"),
                 "full_text": text, "entities": {"user_mentions": []}}
        mention = {"screen_name": name, "name": display, "id_str": user_id}
        if roll < 0.15:
            tweet["full_text"] = f"RT @{name}: {text}"
        elif roll < 0.5:
            tweet.update(in_reply_to_status_id_str=str(n + 1_000_000), in_reply_to_screen_name=name,
                         in_reply_to_user_id_str=user_id, full_text=f"@{name} {text}")
            tweet["entities"]["user_mentions"] = [mention]
        elif roll < 0.7:
            tweet["full_text"] = f"@{name} {text}"
            tweet["entities"]["user_mentions"] = [mention]
        tweets.append({"tweet": tweet})
    (data / "tweets.js").write_text("window.YTD.tweets.part0 = " + json.dumps(tweets))
    (data / "direct-messages.js").write_text("window.YTD.direct_messages.part0 = " + json.dumps(
        [{"dmConversation": c} for c in conversations.values()]))
    (data / "account.js").write_text("window.YTD.account.part0 = " + json.dumps(
        [{"account": {"username": "robin_example", "accountId": "1",
                      "accountDisplayName": "Robin Example"}}]))
    return "robin_example"


def make_slack(folder: Path, messages: int, seed: int = 1) -> str:
    """A Slack export: 20 channels, 300 members, threads and <@U...> mentions."""
    rng = random.Random(seed)
    users = [{"id": f"U{i:06d}", "name": f"member{i}", "real_name": f"Member {i} Example",
              "profile": {"display_name": f"member{i}", "real_name": f"Member {i} Example"}}
             for i in range(300)]
    channels = [f"channel{c}" for c in range(20)]
    (folder / "users.json").write_text(json.dumps(users))
    (folder / "channels.json").write_text(json.dumps([{"id": f"C{c}", "name": c} for c in channels]))
    days: dict[tuple[str, str], list] = {}
    threads: dict[str, list] = {c: [] for c in channels}
    for n in range(messages):
        channel = channels[n % len(channels)]
        when = START + timedelta(seconds=60 * n + n % 60, microseconds=n % 1000)
        ts = f"{when.timestamp():.6f}"
        user = rng.choice(users)["id"]
        message = {"type": "message", "user": user, "ts": ts, "text": _text(rng, n)}
        roll = rng.random()
        if roll < 0.4 and threads[channel]:
            message["thread_ts"] = rng.choice(threads[channel][-20:])
        elif roll < 0.6:
            message["text"] = f"<@{rng.choice(users)['id']}> " + message["text"]
        else:
            threads[channel].append(ts)
        days.setdefault((channel, when.strftime("%Y-%m-%d")), []).append(message)
    for (channel, day), day_messages in days.items():
        (folder / channel).mkdir(exist_ok=True)
        (folder / channel / f"{day}.json").write_text(json.dumps(day_messages))
    return "U000000"


def _mime_body(rng: random.Random, n: int, text: str) -> tuple[list[str], str]:
    """Extra headers and body of a MIME mail: quoted-printable, base64 or multipart/alternative."""
    roll = rng.random()
    if roll < 0.3:
        return (["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable"],
                quopri.encodestring(f"{text} caf\u00e9\n> quoted earlier mail\n".encode()).decode())
    if roll < 0.5:
        return (["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64"],
                base64.encodebytes(f"{text}\n> quoted earlier mail\n".encode()).decode())
    boundary = f"b{n}"
    return (["MIME-Version: 1.0", f'Content-Type: multipart/alternative; boundary="{boundary}"'],
            f"--{boundary}\nContent-Type: text/plain; charset=utf-8\n\n{text}\n> quoted earlier mail\n"
            f"--{boundary}\nContent-Type: text/html; charset=utf-8\n\n<p>{text}</p>\n--{boundary}--\n")


def make_mbox(folder: Path, messages: int, seed: int = 1, mime_share: float = 0.0) -> str:
    """An mbox file; returns its path's name. A third of the mails answer an earlier one.

    With ``mime_share``, that share of the mails are MIME: quoted-printable or base64 text, or
    multipart/alternative (text and HTML), as mail programs write them; the rest are plain text.
    """
    rng = random.Random(seed)
    mime = random.Random(seed + 1)  # its own stream: mime_share=0 gives the same file as before
    me = "robin@example.social"
    others = [(f"Person {i}", f"person{i}@other{i % 50}.example") for i in range(2000)]
    with open(folder / "mail.mbox", "w", encoding="utf-8") as out:
        for n in range(messages):
            name, address = rng.choice(others)
            sender, recipient = ((f"Robin Example <{me}>", f"{name} <{address}>") if n % 2 == 0
                                 else (f"{name} <{address}>", f"Robin Example <{me}>"))
            when = START + timedelta(minutes=11 * n)
            headers = [f"From: {sender}", f"To: {recipient}", f"Date: {format_datetime(when)}",
                       f"Message-ID: <m{n}@example.social>", "Subject: hello"]
            if n and rng.random() < 0.33:
                headers.append(f"In-Reply-To: <m{rng.randrange(max(0, n - 50), n)}@example.social>")
            text = _text(rng, n)
            body = f"{text}\n> quoted earlier mail\n"
            if mime_share and mime.random() < mime_share:
                extra, body = _mime_body(mime, n, text)
                headers += extra
            out.write(f"From - {when:%a %b %d %H:%M:%S %Y}\n" + "\n".join(headers) + f"\n\n{body}\n")
    return me


def make_whatsapp(folder: Path, messages: int, seed: int = 1) -> str:
    """WhatsApp exports: an Android group chat of 30 people (a tenth of the messages) and
    one-to-one chats with 400 people, some messages over two lines, media and system lines."""
    rng = random.Random(seed)
    people = [f"Person {i} Example" for i in range(400)]
    group, chats = [], {}
    for n in range(messages):
        when = START + timedelta(minutes=7 * n)
        stamp = f"{when:%d/%m/%Y}, {when:%H:%M}"
        text = _text(rng, n)
        if rng.random() < 0.05:
            text = "<Media omitted>"
        elif rng.random() < 0.1:
            text += "\nand a second line"
        if n % 10 == 0:
            sender = "Robin Example" if rng.random() < 0.2 else rng.choice(people[:30])
            group.append(f"{stamp} - {sender}: {text}")
        else:
            other = rng.choice(people)
            sender = "Robin Example" if rng.random() < 0.5 else other
            chats.setdefault(other, []).append(f"{stamp} - {sender}: {text}")
    notice = "01/01/2025, 00:00 - Messages and calls are end-to-end encrypted. No one outside of this chat can read them."
    (folder / "WhatsApp Chat with Garden Group.txt").write_text("\n".join([notice] + group) + "\n")
    for other, lines in chats.items():
        (folder / f"WhatsApp Chat with {other}.txt").write_text("\n".join([notice] + lines) + "\n")
    return "Robin Example"


def make_linkedin(folder: Path, messages: int, seed: int = 1) -> str:
    """A LinkedIn messages.csv: conversations with 2,000 people, a few of them groups."""
    import csv
    rng = random.Random(seed)
    me = ("Robin Example", "https://www.linkedin.com/in/robin-example")
    people = [(f"Person {i} Example", f"https://www.linkedin.com/in/person-{i}") for i in range(2000)]
    with open(folder / "messages.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO",
                         "RECIPIENT PROFILE URLS", "DATE", "SUBJECT", "CONTENT", "FOLDER"])
        for n in range(messages):
            number = rng.randrange(len(people))
            other = people[number]
            sender, recipient = (me, other) if rng.random() < 0.5 else (other, me)
            when = START + timedelta(minutes=7 * n)
            writer.writerow([f"2-conv{number}", "", sender[0], sender[1], recipient[0], recipient[1],
                             f"{when:%Y-%m-%d %H:%M:%S} UTC", "", _text(rng, n),
                             "SENT" if sender == me else "INBOX"])
    return me[1]


def make_telegram(folder: Path, messages: int, seed: int = 1) -> str:
    """A Telegram Desktop whole-account export: 300 personal chats and 5 groups, replies."""
    rng = random.Random(seed)
    chats = {}
    for n in range(messages):
        when = START + timedelta(minutes=7 * n)
        if n % 5 == 0:
            chat_id, kind = 9000 + (n // 5) % 5, "private_supergroup"
            sender = 1 if rng.random() < 0.2 else 10 + rng.randrange(300)
        else:
            chat_id, kind = 10 + rng.randrange(300), "personal_chat"
            sender = 1 if rng.random() < 0.5 else chat_id
        chat = chats.setdefault(chat_id, {"name": f"Person {chat_id} Example" if kind == "personal_chat"
                                          else f"Group {chat_id}", "type": kind, "id": chat_id, "messages": []})
        message = {"id": n, "type": "message", "date": f"{when:%Y-%m-%dT%H:%M:%S}",
                   "date_unixtime": str(int(when.timestamp())), "from": f"Person {sender} Example",
                   "from_id": f"user{sender}", "text": _text(rng, n)}
        if chat["messages"] and rng.random() < 0.3:
            message["reply_to_message_id"] = chat["messages"][-1]["id"]
        chat["messages"].append(message)
    (folder / "result.json").write_text(json.dumps({
        "personal_information": {"user_id": 1, "first_name": "Robin", "last_name": "Example"},
        "chats": {"about": "", "list": list(chats.values())}}))
    return "user1"


def make_messenger(folder: Path, messages: int, seed: int = 1) -> str:
    """A Facebook "Download your information" in JSON: 500 conversations, every string written
    as Latin-1 escapes of its UTF-8 as Facebook writes it, some of them groups."""
    rng = random.Random(seed)
    threads: dict[int, list] = {}
    for n in range(messages):
        thread = rng.randrange(500)
        sender = "Robin Example" if rng.random() < 0.5 else f"Pers\u00f6n {thread} Example"
        threads.setdefault(thread, []).append({"sender_name": sender, "timestamp_ms": int(
            (START + timedelta(minutes=7 * n)).timestamp() * 1000), "content": _text(rng, n) + " caf\u00e9",
            "type": "Generic"})
    inbox = folder / "your_facebook_activity" / "messages" / "inbox"
    for thread, items in threads.items():
        names = ["Robin Example", f"Pers\u00f6n {thread} Example"] + (["Third Example"] if thread % 10 == 0 else [])
        data = {"participants": [{"name": x} for x in names], "messages": items[::-1],
                "title": names[1], "thread_path": f"inbox/person{thread}_{thread}"}
        text = json.dumps(data, ensure_ascii=False).encode("utf-8").decode("latin-1")
        (inbox / f"person{thread}_{thread}").mkdir(parents=True)
        (inbox / f"person{thread}_{thread}" / "message_1.json").write_text(json.dumps(json.loads(text)))
    return "Robin Example"


MAKERS = {"mastodon": (make_outbox, "."), "twitter": (make_twitter, "."),
          "slack": (make_slack, "."), "mbox": (make_mbox, "mail.mbox"),
          "whatsapp": (make_whatsapp, "."), "linkedin": (make_linkedin, "."),
          "telegram": (make_telegram, "."), "messenger": (make_messenger, ".")}


def run(kind: str, messages: int, repeat: int, mime_share: float = 0.0) -> dict:
    """Generate one export and time ``repeat`` imports of it; wall and CPU seconds per run (CPU of
    this process and of the child process that works on the second core, see importers.parallel)."""
    make, member = MAKERS[kind]
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp) / "export"
        folder.mkdir()
        me = make(folder, messages, mime_share=mime_share) if kind == "mbox" else make(folder, messages)
        path = folder / member
        walls, cpus = [], []
        for _ in range(repeat):
            start, start_cpu, start_children = time.perf_counter(), time.process_time(), _children_cpu()
            table = import_export(kind, path, me, key=b"b" * 32)
            write_table(table, Path(temp) / "out.csv.gz", fast=True)  # as `trustcircles import` does
            walls.append(time.perf_counter() - start)
            cpus.append(time.process_time() - start_cpu + _children_cpu() - start_children)
    return {"kind": kind, "messages": messages, "events": len(table), "wall": walls, "cpu": cpus}


def _children_cpu() -> float:
    """CPU seconds of this process's finished children (the second core's share of the work)."""
    usage = os.times()
    return usage.children_user + usage.children_system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=[*MAKERS, "all"], default="all",
                        help="one format, or all of them (then mbox twice: plain and half MIME)")
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--mime-share", type=float, default=0.0,
                        help="mbox: share of MIME mails (quoted-printable, base64, multipart); default 0")
    args = parser.parse_args()
    runs = [(kind, args.mime_share) for kind in MAKERS] if args.kind == "all" else [(args.kind, args.mime_share)]
    if args.kind == "all" and not args.mime_share:
        runs.insert(runs.index(("mbox", 0.0)) + 1, ("mbox", 0.5))
    for kind, mime_share in runs:
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        result = run(kind, args.messages, args.repeat, mime_share)
        mix = f" ({mime_share:.0%} MIME)" if kind == "mbox" and mime_share else ""
        print(f"{kind}{mix} import of {args.messages:,} messages -> {result['events']:,} events: "
              f"median {statistics.median(result['wall']):.2f} s wall, "
              f"{statistics.median(result['cpu']):.2f} s CPU over {args.repeat} runs "
              f"(wall: {', '.join(f'{t:.2f}' for t in result['wall'])}; "
              f"CPU: {', '.join(f'{t:.2f}' for t in result['cpu'])}; load before {load:.1f})",
              flush=True)


if __name__ == "__main__":
    main()
