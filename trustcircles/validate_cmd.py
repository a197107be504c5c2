"""``python -m trustcircles validate PATH``: check a table against METRICS.md."""
from trustcircles.data import load_interactions


def add_arguments(parser):
    parser.add_argument("path", help="a CSV file (.csv or .csv.gz) or a shipped dataset's name")


def run(args):
    table = load_interactions(args.path)
    print(f"{args.path}: valid ({len(table):,} events, "
          f"{len(set(table['actor']).union(table['target'].dropna())):,} accounts).")
    return 0
