"""``python -m trustcircles datasets [list|build]``: the shipped datasets."""
from trustcircles.data import list_datasets


def add_arguments(parser):
    parser.add_argument("action", nargs="?", default="list", choices=["list"],
                        help="list: the datasets that can be loaded by name")


def run(args):
    for name in list_datasets():
        print(name)
    return 0
