"""``python -m trustcircles grade ASSIGNMENT SUBMISSIONS``: grade a workshop's notebooks with nbgrader.

See trustcircles.grading for what it does and TRAINERS.md for a workshop end to end.
"""
from trustcircles.grading import DEFAULT_TIMEOUT, grade


def add_arguments(parser):
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
    result = grade(args.assignment, args.submissions, course=args.course, timeout=args.timeout,
                   jobs=args.jobs, roster=args.roster, progress=not args.quiet)
    print(result.summary())
    return 0
