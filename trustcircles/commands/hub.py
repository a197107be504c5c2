"""``trustcircles hub release|grade ASSIGNMENT``: the trainer's commands on a workshop hub.

Run as the trainer on the hub that ``sudo make hub ROSTER=roster.txt`` set up (TRAINERS.md,
"Scaling out"); see :mod:`trustcircles.hub.cycle` for what they do.
"""
from __future__ import annotations


def add_arguments(parser):
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    release = sub.add_parser("release", help="release an assignment: learners see it in their Assignments tab")
    release.add_argument("assignment", metavar="ASSIGNMENT", help="e.g. 00_welcome (a folder of solutions/)")
    grade = sub.add_parser("grade", help="collect, grade with the course's grading, and return each "
                                         "learner's feedback (without hidden tests) through the exchange")
    grade.add_argument("assignment", metavar="ASSIGNMENT", help="e.g. 00_welcome")
    grade.add_argument("--jobs", metavar="N", type=int, default=1,
                       help="notebooks graded at the same time (one per core)")
    grade.add_argument("--timeout", metavar="S", type=int, default=None,
                       help="seconds one cell may run before it is stopped")
    grade.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args):
    from trustcircles.grading import GradingError
    from trustcircles.hub import cycle
    from trustcircles.hub.settings import HubError

    try:
        if args.action == "release":
            print(cycle.release(args.assignment))
        else:
            if args.jobs < 1:
                raise GradingError("--jobs", f"{args.jobs} is not a number of worker processes.", "use 1 or more.")
            print(cycle.grade(args.assignment, jobs=args.jobs, timeout=args.timeout,
                              progress=not args.quiet).summary())
    except HubError as error:
        raise GradingError("hub", str(error), "see TRAINERS.md, \"Scaling out\".") from None
    return 0
