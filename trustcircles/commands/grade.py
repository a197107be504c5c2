"""``python -m trustcircles grade ASSIGNMENT SUBMISSIONS``: grade a workshop's notebooks with nbgrader.

See :mod:`trustcircles.grading` for what it does and TRAINERS.md for a workshop end to end.
"""
from __future__ import annotations


def add_arguments(parser):
    from trustcircles.grading.course import DEFAULT_TIMEOUT

    parser.add_argument("assignment", metavar="ASSIGNMENT", help="e.g. 00_welcome (a folder of solutions/)")
    parser.add_argument("submissions", metavar="SUBMISSIONS",
                        help="a folder or .zip: <student>/ASSIGNMENT.ipynb or <student>_ASSIGNMENT.ipynb")
    parser.add_argument("--course", metavar="DIR", default=None,
                        help="nbgrader course directory (default: .course/ASSIGNMENT in the repository)")
    parser.add_argument("--timeout", metavar="S", type=int, default=DEFAULT_TIMEOUT,
                        help=f"seconds one cell may run before it is stopped (default {DEFAULT_TIMEOUT})")
    parser.add_argument("--jobs", metavar="N", type=int, default=1,
                        help="notebooks graded at the same time (default 1; 2 on a 2-core laptop)")
    parser.add_argument("--roster", metavar="FILE", default=None,
                        help="optional list of student ids (one a line, or a CSV with a 'student' column): "
                             "anyone on it without a notebook is reported as missing")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args):
    from trustcircles.grading import GradingError, grade

    if args.jobs < 1:
        raise GradingError("--jobs", f"{args.jobs} is not a number of worker processes.", "use 1 or more.")
    if args.timeout <= 0:
        raise GradingError("--timeout", f"{args.timeout} is not a time-out in seconds.", "use e.g. 30.")
    result = grade(args.assignment, args.submissions, course=args.course, timeout=args.timeout,
                   jobs=args.jobs, roster=args.roster, progress=not args.quiet)
    print(result.summary())
    return 0
