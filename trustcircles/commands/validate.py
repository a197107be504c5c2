"""``python -m trustcircles validate PATH``: check a table against METRICS.md."""
from __future__ import annotations

TABLE_ARGUMENT = "path"


def add_arguments(parser):
    parser.add_argument("path", help="a CSV file (.csv or .csv.gz) or a shipped dataset's name")


def run(args):
    from trustcircles.data import load_interactions

    table = load_interactions(args.path)
    print(f"{args.path}: valid ({len(table):,} events, "
          f"{len(set(table['actor']).union(table['target'].dropna())):,} accounts).")
    return 0
