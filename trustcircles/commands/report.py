"""``python -m trustcircles report PATH``: the circle-of-trust report of a table, as JSON, HTML or text.

See :mod:`trustcircles.report` for the three formats. ``--account ID`` narrows the report to one
account (the window and global figures stay whole-table). Output goes to standard output, or with
``--out FILE`` to that file, written atomically: a bad table or a bad account leaves no file behind,
not even an empty one.
"""
from __future__ import annotations

import sys
from pathlib import Path

TABLE_ARGUMENT = "path"
#: The report's formats (trustcircles.report.BUILDERS has one builder for each).
FORMATS = ("json", "html", "text")


def add_arguments(parser):
    parser.add_argument("path", help="an interactions CSV file (.csv or .csv.gz, see METRICS.md) "
                                     "or a shipped dataset's name, e.g. worked_example")
    parser.add_argument("--format", choices=FORMATS, default="json",
                        help="json: the METRICS.md object (default); html: a page of figures; "
                             "text: a short summary")
    parser.add_argument("--out", metavar="FILE",
                        help="write the report to FILE instead of printing it")
    parser.add_argument("--account", metavar="ID",
                        help="report on this account only (global figures stay whole-table)")


def run(args) -> int:
    from trustcircles.data import TableError, load_interactions, write_atomically
    from trustcircles.report import BUILDERS

    if args.out:
        folder = Path(args.out).resolve().parent
        if not folder.is_dir():
            raise TableError(str(args.out), f"the folder {folder.name!r} does not exist.",
                             "create the folder first, or choose another --out path.")
    table = load_interactions(args.path)
    content = BUILDERS[args.format](table, account=args.account, source=str(args.path))
    if args.out:
        write_atomically(args.out, content)
        print(f"wrote {args.format} report to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(content)
    return 0
