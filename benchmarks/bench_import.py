"""Speed of importing a large export: ``python benchmarks/bench_import.py [--messages N] [--repeat R]``.

Target (project issue 8): importing a 100,000-message export takes at most 10 s. The export is a
generated Mastodon outbox (invented accounts on example domains; replies, mentions, DMs, posts,
boosts, with e-mails, links and phone numbers in the text), written to a temporary folder. The
timed part is ``import_export`` (read, rules, anonymise, validate) plus ``write_table`` (.csv.gz).
Prints the median of the runs; results are recorded by hand in benchmarks/results/import.md.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from trustcircles.importers import import_export, write_table

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
PHRASES = ["Which tools do you use?", "Thanks, that helped a lot.", "Great write-up: https://blog.example.com/p/{n}",
           "Big sale, 20% off at shop.example.com with promo code X{n}", "Call me on +44 20 7946 {n:04d}",
           "Mail me at person{n}@example.org about Thursday 09:00", "Adding to the thread after 48 hours."]


def make_outbox(folder: Path, messages: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    me = "https://example.social/users/robin"
    others = [f"https://other{i % 50}.example/users/user{i}" for i in range(2000)]
    items = []
    for n in range(messages):
        status = f"{me}/statuses/{n}"
        when = f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:00Z"
        text = rng.choice(PHRASES).format(n=n % 10000)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        make_outbox(folder, args.messages)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            table = import_export("mastodon", folder, "robin", key=b"b" * 32)
            write_table(table, folder / "out.csv.gz")
            times.append(time.perf_counter() - start)
        print(f"mastodon import of {args.messages:,} messages -> {len(table):,} events: "
              f"median {statistics.median(times):.2f} s over {args.repeat} runs "
              f"(runs: {', '.join(f'{t:.2f}' for t in times)})")


if __name__ == "__main__":
    main()
