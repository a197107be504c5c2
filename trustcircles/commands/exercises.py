"""``python -m trustcircles exercises [ASSIGNMENT...]``: regenerate exercises/ from solutions/.

See :mod:`trustcircles.grading.release` (nbgrader's generate_assignment, deterministic, each
assignment swapped in one step).
"""
from __future__ import annotations


def add_arguments(parser):
    parser.add_argument("assignments", nargs="*", metavar="ASSIGNMENT",
                        help="assignment names (folders of solutions/); default: all")


def run(args):
    from trustcircles.grading.release import regenerate

    names = regenerate(args.assignments or None)
    if not names:
        print("No assignments in solutions/ (expected solutions/<name>/<name>.ipynb).")
        return 0
    for name in names:
        print(f"exercises/{name}/ regenerated from solutions/{name}/")
    return 0
