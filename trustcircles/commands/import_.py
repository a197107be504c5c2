"""``python -m trustcircles import KIND PATH --me HANDLE --out FILE``: bring your own data.

Reads an export (see :mod:`trustcircles.importers`), anonymises it on this machine with your own key,
and writes the METRICS.md table, ready for ``python -m trustcircles report FILE``.
(The module is ``import_`` because ``import`` is a Python keyword.)
"""
from __future__ import annotations


def add_arguments(parser):
    from trustcircles.importers import IMPORTERS  # the kinds there are, each with what it reads

    parser.add_argument("kind", choices=list(IMPORTERS),
                        help="; ".join(f"{k}: {v}" for k, v in IMPORTERS.items()))
    parser.add_argument("path", help="the export as downloaded: a folder, .zip or .tar.gz, or the "
                        "one file (.mbox, _chat.txt, result.json, messages.csv)")
    parser.add_argument("--me", action="append",
                        help="your own handle, name, id or address as it appears in the export; "
                        "give it again for another identity of yours; may be left out when the "
                        "export names its owner")
    parser.add_argument("--out", required=True, help="the table to write (.csv or .csv.gz)")


def run(args):
    from trustcircles.importers import import_export, write_table

    table = import_export(args.kind, args.path, args.me)
    write_table(table, args.out, fast=True)
    accounts = set(table["actor"]).union(table["target"].dropna())
    print(f"{args.out}: {len(table):,} events, {len(accounts):,} accounts, anonymised "
          f"(you are 'me'). Next: python -m trustcircles report {args.out}")
    return 0
