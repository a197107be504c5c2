"""The nbgrader course directory and the settings every use of nbgrader shares.

The exercises command (:mod:`trustcircles.grading.release`), the repository's nbgrader_config.py and
grading (:mod:`trustcircles.grading.run`) all configure nbgrader with :func:`apply_settings`, so that
a released exercise and a graded one agree (code stubs, time-outs, deleted test cells put back).
:func:`setup_course` makes a course directory with a SQLite gradebook for one assignment.
"""
from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

from trustcircles.data import TableError

REPO = Path(__file__).resolve().parents[2]
SOLUTIONS = REPO / "solutions"
#: The committed learner versions of the assignments (``make exercises`` writes them).
EXERCISES = REPO / "exercises"
DEFAULT_TIMEOUT = 30
#: what a Part B solution region becomes in the release: inside a function (every Part B answer is
#: one) it returns the "not answered yet" marker, so Run All never stops on it; elsewhere it raises
CODE_STUB = 'raise NotImplementedError("Replace this line with your code.")'
FUNCTION_STUB = "return NOT_ANSWERED  # Replace this line with your code."


class GradingError(TableError):
    """Something the trainer must fix before grading can start (exit status 2, no traceback)."""


def list_assignments(solutions: Path = SOLUTIONS) -> list[str]:
    """Assignments in solutions/: folders holding a notebook named like the folder."""
    if not solutions.is_dir():
        return []
    return sorted(p.name for p in solutions.iterdir()
                  if p.is_dir() and (p / f"{p.name}.ipynb").is_file())


def require_assignment(assignment: str, solutions: Path = SOLUTIONS) -> Path:
    """The source notebook ``solutions/<assignment>/<assignment>.ipynb``, or GradingError naming the
    assignments there are."""
    source = solutions / assignment / f"{assignment}.ipynb"
    if not source.is_file():
        raise GradingError(f"assignment {assignment!r}",
                           f"there is no solutions/{assignment}/{assignment}.ipynb.",
                           f"use one of: {', '.join(list_assignments(solutions)) or 'none yet'}.")
    return source


def ensure_tools_on_path() -> None:
    """nbgrader's gradebook runs the ``alembic`` command: make the one beside this Python findable
    (a virtualenv's bin/ is not on PATH when its python is run directly)."""
    bindir = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if bindir not in parts:
        os.environ["PATH"] = os.pathsep.join([bindir] + [p for p in parts if p])


def apply_settings(config, timeout: int | None = None):
    """The nbgrader settings shared by exercises, the repo's nbgrader_config.py and grading."""
    ensure_tools_on_path()
    config.ClearSolutions.code_stub = {"python": CODE_STUB}
    config.ClearSolutions.text_stub = "YOUR ANSWER HERE"
    config.Execute.timeout = int(timeout or DEFAULT_TIMEOUT)
    config.Execute.interrupt_on_timeout = True
    # Deleted test cells are put back and graded with the original tests (not silently skipped).
    config.OverwriteCells.add_missing_cells = True
    return config


class LogCapture(logging.Handler):
    """Keeps an nbgrader app's log records as text, to report them when something fails."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[str] = []

    def emit(self, record):
        try:
            self.records.append(f"[{record.levelname}] {record.getMessage()}")
        except Exception:  # a log message that cannot be formatted must not stop grading
            self.records.append(f"[{record.levelname}] {record.msg}")


def run_quietly(app, what: str) -> list[str]:
    """Run an nbgrader app/converter, keeping its log; raise GradingError with the log if it fails."""
    capture = LogCapture()
    app.log.addHandler(capture)
    old_propagate = app.log.propagate
    app.log.propagate = False
    handlers = [h for h in app.log.handlers if h is not capture]
    for handler in handlers:
        app.log.removeHandler(handler)
    try:
        app.start()
    except BaseException as error:
        if isinstance(error, KeyboardInterrupt):
            raise
        errors = [r.splitlines()[0] for r in capture.records if r.startswith(("[ERROR]", "[CRITICAL]"))]
        tracebacks = [r.strip().splitlines()[-1] for r in capture.records if "Traceback" in r]
        detail = " | ".join(tracebacks[-1:] + errors[-1:]) or f"{type(error).__name__}: {error}"
        raise GradingError(what, "nbgrader failed: " + detail,
                           "check the source notebook's nbgrader cells (unique grade_ids; test cells "
                           "read-only; BEGIN/END markers in pairs) and run `nbgrader validate` on it.") from None
    finally:
        app.log.removeHandler(capture)
        for handler in handlers:
            app.log.addHandler(handler)
        app.log.propagate = old_propagate
    return capture.records


def course_config(course: Path, assignment: str, db_url: str, timeout: int, student: str = "*"):
    from traitlets.config import Config

    config = Config()
    config.CourseDirectory.root = str(course)
    config.CourseDirectory.assignment_id = assignment
    config.CourseDirectory.student_id = student
    config.CourseDirectory.db_url = db_url
    config.GenerateAssignment.force = True
    config.Autograde.force = True
    config.Autograde.create_student = True
    # The graded notebook is complete once its last cell has answered: stop the kernel at once
    # instead of nbclient's graceful shutdown, which waits about 0.3 s per notebook for nothing.
    config.Execute.shutdown_kernel = "immediate"
    # Each kernel would print ipykernel's start-up warning (TCP without encryption: the kernel talks
    # only to this process) across the progress bar; errors still show.
    config.Execute.extra_arguments = ["--IPKernelApp.log_level=ERROR"]
    apply_settings(config, timeout)
    return config


def setup_course(course: Path, assignment: str, solutions: Path = SOLUTIONS) -> Path:
    """Create or refresh the course directory; return the path of the released notebook."""
    from nbgrader.converters import GenerateAssignment
    from nbgrader.coursedir import CourseDirectory

    source = require_assignment(assignment, solutions).parent
    course.mkdir(parents=True, exist_ok=True)
    target = course / "source" / assignment
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    config = course_config(course, assignment, db_url(course), DEFAULT_TIMEOUT)
    app = GenerateAssignment(coursedir=CourseDirectory(config=config), config=config)
    run_quietly(app, f"setting up {assignment} in the course directory")
    return course / "release" / assignment / f"{assignment}.ipynb"


def db_url(course: Path, name: str = "gradebook.db") -> str:
    """The SQLite URL of a gradebook file in the course directory."""
    return "sqlite:///" + str((course / name).resolve())
