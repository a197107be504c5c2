"""Grading a workshop's submissions with nbgrader: ``python -m trustcircles grade ASSIGNMENT SUBMISSIONS``.

What happens, in order (see :func:`grade`):

1. **Collect.** SUBMISSIONS is a folder or a .zip. A notebook counts for a learner when it is named
   ``<student>/<assignment>.ipynb`` or ``<student>_<assignment>.ipynb`` (any folder depth; common LMS
   exports are recognised, see :func:`student_from_path`). Anything else gets a row in grades.csv
   with its status and reason: ``misnamed``, ``not_a_notebook``, ``invalid`` (empty file, not JSON,
   not a notebook), ``duplicate`` (an older second submission from the same learner: the newest by
   file time, then by name, is graded).
2. **Set up** an nbgrader course directory (default ``.course/<assignment>/`` in the repository,
   git-ignored; or ``--course DIR``) with a SQLite gradebook: ``source/<assignment>/`` is a copy of
   ``solutions/<assignment>/`` and ``generate_assignment`` registers its cells and points.
3. **Import** copies of the submissions into ``submitted/<student>/<assignment>/`` (the originals
   are only read, never modified).
4. **Check the structure** against the released exercise: test cells deleted (``deleted_tests``) or
   edited (``edited_tests``). nbgrader grades both with the original tests: it restores edited
   read-only cells from the gradebook and, with ``OverwriteCells.add_missing_cells``, puts deleted
   test cells back. Extra cells are kept and run, and noted in the reason.
5. **Autograde** with nbgrader, a per-cell time-out (``Execute.timeout``), ``--jobs N`` worker
   processes. nbgrader runs in-process (its ``Autograde`` converter, one learner per call: no
   command-line start-up per notebook); each worker imports nbgrader and builds its feedback exporter
   once, then takes the next learner as soon as it is free, running that notebook in its own kernel,
   so N notebooks run at the same time. SQLite is not made for concurrent writers, so each worker
   grades into its own copy of the gradebook and the results are merged into the course gradebook by
   this (single) process. A progress bar counts notebooks (with the statuses so far) and
   :meth:`GradeRun.summary` is the one line that ends the command.
   A cell that runs past the time-out is interrupted (``timed_out``; the rest still counts); a
   notebook that stops its kernel (``os._exit``, out of memory) cannot be graded (``kernel_died``).
6. **Feedback** per learner: HTML made from the autograded notebook with nbconvert, after removing
   the hidden tests from the cell sources and replacing tracebacks of hidden checks by a sentence
   naming the check that failed (nbgrader's own feedback shows both: nbgrader issues #917, #1363).
7. **Write** ``grades.csv`` (student, assignment, score, max_score, status, reason) and
   ``overview.html`` (plotly: score distribution, pass rate per question, most missed questions;
   no ranking of people), both written atomically.

Running it again re-grades every submission of the batch from scratch and gives the same files.
"""
from __future__ import annotations

import csv
import dataclasses
import html
import io
import json
import logging
import os
import re
import shutil
import sys
import time
import warnings
import zipfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Iterable

from trustcircles.data import TableError, write_atomically

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = REPO / "solutions"
DEFAULT_TIMEOUT = 30
CODE_STUB = 'raise NotImplementedError("Replace this line with your code.")'
HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"
HIDDEN_PLACEHOLDER = "# (hidden checks: they run when your work is graded; their code is not shown)"

#: status -> what it means (TRAINERS.md lists the same)
STATUSES = {
    "graded": "graded by nbgrader; the score counts",
    "timed_out": "graded, but a cell ran past the time-out and was stopped",
    "edited_tests": "graded with the original tests: the learner had edited a test cell",
    "deleted_tests": "graded with the original tests: the learner had deleted a test cell",
    "kernel_died": "not graded: the notebook stopped Python (e.g. os._exit, exit(), out of memory)",
    "invalid": "not graded: the file is empty, not JSON or not a notebook",
    "misnamed": "not graded: the file name does not say whose work it is or which assignment",
    "not_a_notebook": "not graded: not an .ipynb file",
    "duplicate": "not graded: the same learner handed in a newer notebook, which was graded",
    "missing": "no submission from a learner on the roster",
    "error": "not graded: nbgrader failed on it (see the reason)",
}
#: precedence when several things are true of one graded notebook
_GRADED_ORDER = ("timed_out", "deleted_tests", "edited_tests", "graded")


class GradingError(TableError):
    """Something the trainer must fix before grading can start (exit status 2, no traceback)."""


# --------------------------------------------------------------------------- nbgrader settings


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


class _LogCapture(logging.Handler):
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
    capture = _LogCapture()
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


# --------------------------------------------------------------------------- collecting


@dataclasses.dataclass
class Submission:
    """One file of the batch, and what became of it."""
    student: str
    name: str                 # its path inside SUBMISSIONS, as the trainer sees it
    path: Path | None         # where it was read from (a copy for zips)
    mtime: float = 0.0
    status: str = ""          # "" while it is still a candidate for grading
    reason: str = ""
    score: float | None = None
    max_score: float | None = None
    cells: dict = dataclasses.field(default_factory=dict)   # grade_id -> (auto_score, max_score)
    notes: list = dataclasses.field(default_factory=list)


_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")
_MOODLE = re.compile(r"^(?P<name>.+?)_\d+_assignsubmission_[a-z]+_?$")
_CANVAS = re.compile(r"^(?P<name>[^_]+)(?:_late)?_\d+_\d+_(?P<file>.+)$")
_RESUBMISSION = re.compile(r"^(?P<stem>.+?)(?:-\d+| \(\d+\))$")


def sanitise_student(text: str) -> str:
    """A student id nbgrader and file systems accept: letters, digits, '_', '.', '-'."""
    text = _MOODLE.sub(r"\g<name>", text.strip())
    text = _SAFE.sub("_", text).strip("._-")
    return text or "unknown"


def student_from_path(relative: Path, assignment: str) -> tuple[str | None, str]:
    """(student, problem) for a file inside SUBMISSIONS; student None when it cannot be told.

    Accepted: ``<student>/<assignment>.ipynb`` (any depth: the folder holding the notebook names the
    student; Moodle's ``Name_123_assignsubmission_file_`` folders become ``Name``) and
    ``<student>_<assignment>.ipynb`` (Canvas's ``name_123_456_<assignment>.ipynb`` and its ``-1``
    resubmission suffix become ``name``).
    """
    name = relative.name
    stem, suffix = os.path.splitext(name)
    folder = relative.parts[-2] if len(relative.parts) >= 2 else None
    if suffix.lower() != ".ipynb":
        who = sanitise_student(folder) if folder else None
        return who, "not_a_notebook"
    canvas = _CANVAS.match(stem)
    if canvas and _RESUBMISSION.sub(r"\g<stem>", canvas["file"]) == assignment:
        return sanitise_student(canvas["name"]), ""
    base = _RESUBMISSION.sub(r"\g<stem>", stem) if stem != assignment else stem
    if base == assignment:
        return (sanitise_student(folder), "") if folder else (None, "misnamed")
    if base.endswith("_" + assignment) and len(base) > len(assignment) + 1:
        return sanitise_student(base[: -len(assignment) - 1]), ""
    return (sanitise_student(folder) if folder else None), "misnamed"


def _unpack(submissions: Path, workdir: Path) -> Path:
    """The folder to read: SUBMISSIONS itself, or a zip unpacked safely into workdir."""
    if submissions.is_dir():
        return submissions
    if not submissions.exists():
        raise GradingError(str(submissions), "there is no such file or folder.",
                           "give the folder of submissions or the .zip your LMS exported.")
    if not zipfile.is_zipfile(submissions):
        raise GradingError(str(submissions), "this is neither a folder nor a .zip file.",
                           "give the folder of submissions or the .zip your LMS exported.")
    target = workdir / "unzipped"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    with zipfile.ZipFile(submissions) as archive:
        for info in archive.infolist():
            parts = Path(info.filename).parts
            if info.is_dir() or not parts or info.filename.startswith("/") or ".." in parts:
                continue
            out = target.joinpath(*parts)
            out.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as src, open(out, "wb") as dst:
                shutil.copyfileobj(src, dst)
            stamp = time.mktime(info.date_time + (0, 0, -1))
            os.utime(out, (stamp, stamp))
    return target


def _ignored(relative: Path) -> bool:
    return any(part.startswith((".", "__MACOSX")) or part == ".ipynb_checkpoints"
               for part in relative.parts)


def collect(folder: Path, assignment: str) -> list[Submission]:
    """Every file of the batch as a Submission; bad ones already carry their status and reason."""
    found: list[Submission] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder)
        if _ignored(relative):
            continue
        student, problem = student_from_path(relative, assignment)
        sub = Submission(student or sanitise_student(relative.stem), relative.as_posix(), path,
                         path.stat().st_mtime)
        if problem == "not_a_notebook":
            sub.status, sub.reason = problem, (
                f"{sub.name} is not a notebook (.ipynb). Ask for {assignment}.ipynb "
                "(in Jupyter: File > Download).")
        elif problem == "misnamed":
            sub.status, sub.reason = problem, (
                f"{sub.name}: expected <student>/{assignment}.ipynb or <student>_{assignment}.ipynb. "
                "Rename it and grade again.")
        found.append(sub)
    # one notebook per learner: the newest by file time, then the last by name
    by_student: dict[str, list[Submission]] = {}
    for sub in found:
        if not sub.status:
            by_student.setdefault(sub.student, []).append(sub)
    for student, subs in by_student.items():
        subs.sort(key=lambda s: (s.mtime, s.name))
        kept = subs[-1]
        for older in subs[:-1]:
            older.status, older.reason = "duplicate", (
                f"{student} handed in {len(subs)} notebooks; {kept.name} is newer and was graded.")
    for sub in found:
        if not sub.status:
            problem = _notebook_problem(sub.path)
            if problem:
                sub.status, sub.reason = "invalid", f"{sub.name}: {problem}"
    return found


def _notebook_problem(path: Path) -> str:
    """Why a file is not a usable notebook, or ''."""
    import nbformat

    data = path.read_bytes()
    if not data.strip():
        return "the file is empty (0 bytes of notebook). Ask the learner to save and hand it in again."
    try:
        content = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return "the file is not text (UTF-8), so it is not a notebook. Ask for the .ipynb file again."
    except json.JSONDecodeError as error:
        return (f"not valid notebook JSON (line {error.lineno}, column {error.colno}: {error.msg}); "
                "the file is damaged or cut off. Ask the learner to download it again.")
    if not isinstance(content, dict) or "cells" not in content:
        return "valid JSON but not a notebook (no cells). Ask for the .ipynb file."
    try:
        nb = nbformat.reads(data.decode("utf-8-sig"), as_version=4)
        nbformat.validate(nb)
    except Exception as error:  # nbformat raises several unrelated types
        first = str(error).strip().splitlines()[0][:160] if str(error).strip() else type(error).__name__
        return f"not a valid notebook ({first}). Ask the learner to download it again."
    return ""


# --------------------------------------------------------------------------- structure checks


def _cells_by_id(nb: dict) -> dict[str, dict]:
    out = {}
    for cell in nb.get("cells", []):
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id:
            out[grade_id] = cell
    return out


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def structure_notes(submission_nb: dict, release_nb: dict,
                    source_nb: dict | None = None) -> tuple[list[str], list[str], list[str]]:
    """(deleted test cells, edited test cells, notes) of a submission compared with the release.

    A test cell counts as edited when its source is neither the released one nor the source one
    (the source version, with hidden tests, is what nbgrader runs anyway).
    """
    released = _cells_by_id(release_nb)
    original = _cells_by_id(source_nb or {})
    tests = [gid for gid, cell in released.items()
             if cell["metadata"]["nbgrader"].get("grade") and not cell["metadata"]["nbgrader"].get("solution")]
    submitted = _cells_by_id(submission_nb)
    deleted = [gid for gid in tests if gid not in submitted]
    edited = [gid for gid in tests if gid in submitted
              and _source(submitted[gid]).strip() not in (
                  _source(released[gid]).strip(), _source(original.get(gid, released[gid])).strip())]
    notes = []
    extra = len(submission_nb.get("cells", [])) - len(release_nb.get("cells", [])) + len(deleted)
    if extra > 0:
        notes.append(f"{extra} extra cell{'s' if extra != 1 else ''} (kept; they ran too)")
    return deleted, edited, notes


# --------------------------------------------------------------------------- the course directory


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

    source = solutions / assignment
    if not (source / f"{assignment}.ipynb").is_file():
        from trustcircles.exercises_cmd import list_assignments
        raise GradingError(f"assignment {assignment!r}",
                           f"there is no solutions/{assignment}/{assignment}.ipynb.",
                           f"use one of: {', '.join(list_assignments(solutions)) or 'none yet'}.")
    course.mkdir(parents=True, exist_ok=True)
    target = course / "source" / assignment
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    config = course_config(course, assignment, _db_url(course), DEFAULT_TIMEOUT)
    app = GenerateAssignment(coursedir=CourseDirectory(config=config), config=config)
    run_quietly(app, f"setting up {assignment} in the course directory")
    return course / "release" / assignment / f"{assignment}.ipynb"


def _db_url(course: Path, name: str = "gradebook.db") -> str:
    return "sqlite:///" + str((course / name).resolve())


# --------------------------------------------------------------------------- grading (workers)

_WORKER_DB: dict[str, str] = {}


def _worker_db(course: Path) -> str:
    """This process's own copy of the gradebook (SQLite and parallel writers do not mix)."""
    key = str(course)
    if key not in _WORKER_DB:
        work = course / ".work"
        work.mkdir(exist_ok=True)
        path = work / f"gradebook-{os.getpid()}.db"
        shutil.copyfile(course / "gradebook.db", path)
        _WORKER_DB[key] = "sqlite:///" + str(path.resolve())
    return _WORKER_DB[key]


def _quiet_warnings() -> None:
    """nbgrader's gradebook emits SQLAlchemy warnings about its own sessions: not the trainer's concern."""
    warnings.filterwarnings("ignore", module="nbgrader")
    warnings.filterwarnings("ignore", module="nbformat")
    try:
        from sqlalchemy.exc import SAWarning
        warnings.filterwarnings("ignore", category=SAWarning)
    except ImportError:  # pragma: no cover
        pass


def _grade_one(course: str, assignment: str, student: str, timeout: int,
               hidden_lines: list[str]) -> dict:
    """Autograde one learner in this process; return scores, problems and write the feedback.

    The result also says which process graded it and when (``span``: process id, start, end on the
    monotonic clock), so that a run can show its jobs really graded at the same time. Anything that
    goes wrong with one notebook makes it an ``error`` with the reason, never stops the batch.
    """
    start = time.monotonic()
    try:
        result = _grade_notebook(course, assignment, student, timeout, hidden_lines)
    except Exception as error:  # e.g. a disk full while writing its feedback
        result = {"student": student, "cells": {}, "status": "error", "log_tail": "",
                  "reason": [f"grading it stopped with {type(error).__name__}: {str(error)[:200]}"]}
    result["span"] = (os.getpid(), start, time.monotonic())
    return result


def _grade_notebook(course: str, assignment: str, student: str, timeout: int,
                    hidden_lines: list[str]) -> dict:
    _quiet_warnings()
    from nbgrader.api import Gradebook
    from nbgrader.converters import Autograde
    from nbgrader.coursedir import CourseDirectory

    course_path = Path(course)
    db_url = _worker_db(course_path)
    config = course_config(course_path, assignment, db_url, timeout, student)
    converter = Autograde(coursedir=CourseDirectory(config=config), config=config)
    capture = _LogCapture()
    converter.log.addHandler(capture)
    converter.log.propagate = False
    for handler in [h for h in converter.log.handlers if h is not capture]:
        converter.log.removeHandler(handler)
    failed = None
    try:
        converter.start()
    except Exception as error:  # nbgrader reports per-notebook failures by raising at the end
        failed = error
    finally:
        converter.log.removeHandler(capture)
    log = "\n".join(capture.records)
    result = {"student": student, "cells": {}, "status": "graded", "reason": [], "log_tail": ""}
    autograded = course_path / "autograded" / student / assignment / f"{assignment}.ipynb"
    if failed is not None or not autograded.is_file():
        if "DeadKernelError" in log or "Kernel died" in log or "kernel died" in log.lower():
            result["status"] = "kernel_died"
            result["reason"].append("the notebook stopped Python while it ran (os._exit, exit() or out "
                                    "of memory), so nothing could be graded. Ask the learner to remove "
                                    "the line that stops Python and hand in again.")
        elif "UnresponsiveKernelError" in log or "became unresponsive" in log:
            result["status"] = "timed_out"
            result["reason"].append(f"a cell ran past the {timeout} s time-out and could not be "
                                    "stopped, so nothing could be graded.")
        else:
            errors = [line for line in capture.records if line.startswith("[ERROR]")]
            result["status"] = "error"
            result["reason"].append("nbgrader could not grade it: "
                                    + (errors[0][8:200] if errors else str(failed)[:200]))
        return result
    nb = json.loads(autograded.read_text(encoding="utf-8"))
    for index, cell in enumerate(nb["cells"]):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and output.get("ename") == "CellTimeoutError":
                gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or f"cell {index + 1}"
                result["status"] = "timed_out"
                result["reason"].append(f"{gid} ran past the {timeout} s time-out and was stopped; "
                                        "the cells after it still ran")
    written = {c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in nb["cells"]
               if c.get("metadata", {}).get("nbgrader", {}).get("solution")}
    with Gradebook(db_url) as gb:
        submission = gb.find_submission_notebook(assignment, assignment, student)
        for grade in submission.grades:
            # (autograder score, max score, graded by hand?)
            result["cells"][grade.name] = (grade.auto_score, grade.max_score, grade.name in written)
            if grade.name in written and grade.needs_manual_grade:
                result["needs_manual"] = True
        comments = {c.name: c.auto_comment for c in submission.comments}
    result["comments"] = comments
    feedback = course_path / "feedback" / student / assignment / f"{assignment}.html"
    write_feedback(nb, feedback, student, assignment, result["cells"], hidden_lines)
    return result


def _worker_start() -> None:
    """Start-up of a worker process, once: the imports and the feedback exporter (its templates),
    so that every notebook the worker grades after that pays only for its own kernel and passes."""
    _quiet_warnings()
    import nbgrader.api  # noqa: F401
    import nbgrader.converters  # noqa: F401
    _feedback_exporter()


def _grade_in_worker(args) -> dict:
    course, assignment, student, timeout, hidden_lines = args
    return _grade_one(course, assignment, student, timeout, hidden_lines)


# --------------------------------------------------------------------------- feedback


def hidden_test_lines(source_nb: dict) -> list[str]:
    """Every non-empty line inside a hidden-tests region of the source notebook."""
    lines = []
    for cell in source_nb.get("cells", []):
        inside = False
        for line in _source(cell).splitlines():
            if HIDDEN_BEGIN in line:
                inside = True
                continue
            if HIDDEN_END in line:
                inside = False
                continue
            if inside and line.strip():
                lines.append(line.strip())
    return lines


def _question_of(grade_id: str) -> str:
    match = re.match(r"^(q\d+)", grade_id)
    return match.group(1) if match else grade_id


def _strip_hidden(text: str, hidden_lines: list[str]) -> str:
    out, inside = [], False
    for line in text.splitlines(keepends=True):
        if HIDDEN_BEGIN in line:
            inside = True
            out.append(line.split(HIDDEN_BEGIN)[0] + HIDDEN_PLACEHOLDER + "\n")
            continue
        if HIDDEN_END in line:
            inside = False
            continue
        if inside:
            continue
        if line.strip() and any(h in line for h in hidden_lines):
            continue
        out.append(line)
    return "".join(out)


def sanitise_feedback_nb(nb: dict, hidden_lines: list[str]) -> dict:
    """The autograded notebook without hidden tests: sources cut, hidden tracebacks put in words."""
    nb = json.loads(json.dumps(nb))
    for cell in nb["cells"]:
        source = _source(cell)
        had_hidden = HIDDEN_BEGIN in source or any(h in source for h in hidden_lines)
        cell["source"] = _strip_hidden(source, hidden_lines)
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                ename, evalue = output.get("ename", "Error"), str(output.get("evalue", ""))
                if had_hidden:
                    if ename == "CheckFailed":
                        words = evalue
                    else:
                        words = (f"the hidden check of {_question_of(gid)} could not run "
                                 f"({ename}: {evalue[:160]})")
                    words = _strip_hidden(words, hidden_lines)
                    output["traceback"] = [f"A check failed: {line}" if i == 0 else f"  {line}"
                                           for i, line in enumerate(words.splitlines() or [ename])]
                    output["evalue"] = words
                else:
                    output["traceback"] = [_strip_hidden(t, hidden_lines) for t in output.get("traceback", [])]
            elif output.get("output_type") == "stream":
                output["text"] = _strip_hidden(_source({"source": output.get("text", "")}), hidden_lines)
            for key in ("data",):
                if key in output and "text/plain" in output[key]:
                    output[key]["text/plain"] = _strip_hidden(
                        _source({"source": output[key]["text/plain"]}), hidden_lines)
        if gid and cell.get("cell_type") == "code" and not cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            cell.setdefault("metadata", {})["tags"] = ["check"]
    return nb


_EXPORTER = []


def _feedback_exporter():
    """One nbconvert HTMLExporter per process, reused for every learner: a new one compiles its
    Jinja templates again (about a third of a second per notebook). Rendering keeps no state between
    notebooks, so reusing it gives the same HTML."""
    if not _EXPORTER:
        from nbconvert import HTMLExporter

        exporter = HTMLExporter(template_name="lab")
        exporter.exclude_input_prompt = True
        exporter.exclude_output_prompt = True
        _EXPORTER.append(exporter)
    return _EXPORTER[0]


def write_feedback(nb: dict, path: Path, student: str, assignment: str, cells: dict,
                   hidden_lines: list[str]) -> Path:
    """Feedback HTML for one learner (hidden tests never included)."""
    import nbformat

    clean = sanitise_feedback_nb(nb, hidden_lines)
    lines = [f"# Feedback: {assignment}", "", f"For **{html.escape(student)}**.", ""]
    auto = [(gid, v) for gid, v in cells.items() if not v[2]]
    got = sum((v[0] or 0) for _, v in auto)
    possible = sum(v[1] for gid, v in cells.items() if not v[2])
    lines.append(f"Checked automatically: {got:g} of {possible:g} marks"
                 + (" (your written answer is read by your trainer)." if any(v[2] for v in cells.values()) else "."))
    lines.append("")
    lines.append("| check | result |")
    lines.append("|---|---|")
    for gid, (score, max_score, manual) in sorted(cells.items()):
        if manual:
            result = "read by your trainer"
        elif score is not None and score >= max_score:
            result = "passed"
        else:
            result = "not yet: see the message under the check below"
        label = gid.replace("_check", ": the check under your answer").replace(
            "_hidden", ": your function on other tables")
        lines.append(f"| {label} | {result} |")
    header = nbformat.v4.new_markdown_cell("\n".join(lines))
    notebook = nbformat.from_dict(clean)
    notebook.cells.insert(0, header)
    body, _ = _feedback_exporter().from_notebook_node(notebook)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, body)
    return path


# --------------------------------------------------------------------------- the whole run


@dataclasses.dataclass
class GradeRun:
    assignment: str
    course: Path
    submissions: list[Submission]
    seconds: float
    grades_csv: Path
    overview: Path
    jobs: int = 1             # worker processes that graded (0: nothing to grade)
    notebooks: int = 0        # notebooks run through nbgrader
    spans: list = dataclasses.field(default_factory=list)   # (process id, start, end) per notebook

    def summary(self) -> str:
        counts: dict[str, int] = {}
        for sub in self.submissions:
            counts[sub.status] = counts.get(sub.status, 0) + 1
        parts = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        graded = sum(1 for s in self.submissions if s.score is not None)
        pace = (f", {self.seconds / self.notebooks:.1f} s per notebook with {self.jobs} "
                f"job{'s' if self.jobs != 1 else ''}" if self.notebooks else "")
        return (f"{self.assignment}: {len(self.submissions)} files, {graded} scored ({parts}) in "
                f"{self.seconds:.1f} s{pace}. Grades: {self.grades_csv}; class overview: {self.overview}")


def _read_roster(roster: Path | None) -> list[str]:
    if roster is None:
        return []
    if not roster.is_file():
        raise GradingError(str(roster), "there is no such roster file.",
                           "give a text file with one student id per line (or a CSV with a 'student' column).")
    text = roster.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    if rows and "student" in [c.strip().lower() for c in rows[0]]:
        column = [c.strip().lower() for c in rows[0]].index("student")
        names = [r[column] for r in rows[1:] if len(r) > column]
    else:
        names = [r[0] for r in rows if r]
    return [sanitise_student(n) for n in names if n.strip()]


def grade(assignment: str, submissions: str | os.PathLike, course: str | os.PathLike | None = None,
          timeout: int = DEFAULT_TIMEOUT, jobs: int = 1, roster: str | os.PathLike | None = None,
          progress: bool = True, solutions: Path = SOLUTIONS) -> GradeRun:
    """Grade a folder or zip of submissions; see the module docstring. Returns the run's results."""
    import nbformat
    from tqdm import tqdm

    started = time.perf_counter()
    _quiet_warnings()
    course = Path(course) if course else REPO / ".course" / assignment
    course = course.resolve()
    submissions = Path(submissions)
    if jobs < 1:
        raise GradingError("--jobs", f"{jobs} is not a number of worker processes.", "use 1 or more.")
    if timeout is None or timeout <= 0:
        raise GradingError("--timeout", f"{timeout} is not a time-out in seconds.", "use e.g. 30.")
    roster_ids = _read_roster(Path(roster) if roster else None)
    release_path = setup_course(course, assignment, solutions)
    release_nb = json.loads(release_path.read_text(encoding="utf-8"))
    source_nb = json.loads((solutions / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8"))
    hidden_lines = hidden_test_lines(source_nb)

    workdir = course / ".work"
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir()
    folder = _unpack(submissions, workdir)
    subs = collect(folder, assignment)
    to_grade = [s for s in subs if not s.status]

    # import copies; a re-run starts each learner of the batch from scratch
    for sub in to_grade:
        for step in ("submitted", "autograded", "feedback"):
            old = course / step / sub.student / assignment
            if old.exists():
                shutil.rmtree(old)
        target = course / "submitted" / sub.student / assignment / f"{assignment}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(sub.path, target)
        nb = nbformat.read(str(target), as_version=4)
        deleted, edited, notes = structure_notes(nb, release_nb, source_nb)
        if deleted:
            sub.notes.append(("deleted_tests", "test cell(s) deleted: " + ", ".join(deleted)
                              + "; put back and graded with the original tests"))
        if edited:
            sub.notes.append(("edited_tests", "test cell(s) edited: " + ", ".join(edited)
                              + "; graded with the original tests"))
        sub.notes.extend(("", note) for note in notes)
        if not _cells_by_id(nb):
            sub.notes.append(("", "none of the exercise's cells were found (a different notebook?)"))
    from nbgrader.api import Gradebook
    with Gradebook(_db_url(course)) as gb:
        for sub in to_grade:
            gb.update_or_create_student(sub.student)

    results: dict[str, dict] = {}
    bar = tqdm(total=len(to_grade), desc=f"grading {assignment}", unit="notebook",
               disable=not progress, file=sys.stderr)
    tally: dict[str, int] = {}

    def done(result: dict) -> None:
        results[result["student"]] = result
        tally[result["status"]] = tally.get(result["status"], 0) + 1
        bar.set_postfix_str(", ".join(f"{n} {k}" for k, n in sorted(tally.items())), refresh=False)
        bar.update(1)

    workers = min(jobs, len(to_grade))
    try:
        if workers <= 1:
            for sub in to_grade:
                done(_grade_one(str(course), assignment, sub.student, timeout, hidden_lines))
        else:
            # `workers` long-lived processes, one notebook per task: each worker imports nbgrader and
            # builds its feedback exporter once, then takes the next learner as soon as it is free
            # (a notebook that runs into the time-out does not hold up a fixed share of the batch).
            # Each runs its own kernel, so `workers` notebooks execute at the same time.
            import multiprocessing
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                     initializer=_worker_start) as pool:
                futures = [pool.submit(_grade_in_worker,
                                       (str(course), assignment, sub.student, timeout, hidden_lines))
                           for sub in to_grade]
                for future in as_completed(futures):
                    done(future.result())
    finally:
        bar.close()
        _WORKER_DB.pop(str(course), None)

    _merge(course, assignment, results)
    for sub in to_grade:
        _finish(sub, results[sub.student])
    present = {s.student for s in subs if s.status not in ("duplicate",)}
    for student in roster_ids:
        if student not in present:
            subs.append(Submission(student, "", None, status="missing",
                                   reason=f"on the roster, but no {assignment} notebook in this batch."))
    subs.sort(key=lambda s: (s.student.lower(), s.student, s.status == "duplicate", s.name))
    shutil.rmtree(workdir, ignore_errors=True)
    grades_csv = course / "grades.csv"
    write_grades_csv(grades_csv, assignment, subs)
    overview = course / "overview.html"
    write_overview(overview, assignment, subs, source_nb)
    return GradeRun(assignment, course, subs, time.perf_counter() - started, grades_csv, overview,
                    jobs=workers if to_grade else 0, notebooks=len(to_grade),
                    spans=sorted(r["span"] for r in results.values()))


def _merge(course: Path, assignment: str, results: dict[str, dict]) -> None:
    """Copy the workers' autograder scores into the course gradebook (one writer: this process)."""
    from nbgrader.api import Gradebook

    with Gradebook(_db_url(course)) as gb:
        for student in sorted(results):
            result = results[student]
            gb.update_or_create_submission(assignment, student)
            for gid, (auto, _max, _manual) in result["cells"].items():
                grade = gb.find_grade(gid, assignment, assignment, student)
                grade.auto_score = auto
                grade.needs_manual_grade = grade.manual_score is not None or auto is None
            for gid, text in result.get("comments", {}).items():
                comment = gb.find_comment(gid, assignment, assignment, student)
                comment.auto_comment = text
            if not result["cells"]:   # not graded: no score pretends to be one
                submission = gb.find_submission_notebook(assignment, assignment, student)
                for grade in submission.grades:
                    grade.auto_score = None
                    grade.needs_manual_grade = True
        gb.db.commit()
        for student in sorted(results):
            result = results[student]
            if result["cells"]:
                submission = gb.find_submission(assignment, student)
                result["score"], result["max_score"] = float(submission.score), float(submission.max_score)


def _finish(sub: Submission, result: dict) -> None:
    sub.cells = result["cells"]
    reasons = list(result["reason"])
    statuses = {result["status"]}
    for status, note in sub.notes:
        if status:
            statuses.add(status)
        reasons.append(note)
    if result["status"] in ("kernel_died", "error") or not result["cells"]:
        sub.status = result["status"] if result["status"] != "graded" else "error"
    else:
        sub.status = next(s for s in _GRADED_ORDER if s in statuses or s == "graded")
        sub.score, sub.max_score = result.get("score"), result.get("max_score")
        if result.get("needs_manual"):
            reasons.append("the written answer is to be graded by hand (formgrader), then export again")
    sub.reason = "; ".join(r for r in reasons if r)


def _number(value) -> str:
    return "" if value is None else f"{value:g}"


def write_grades_csv(path: Path, assignment: str, subs: Iterable[Submission]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", "assignment", "score", "max_score", "status", "reason"])
    for sub in subs:
        writer.writerow([sub.student, assignment, _number(sub.score), _number(sub.max_score),
                         sub.status, sub.reason])
    write_atomically(path, buffer.getvalue())


def question_table(subs: Iterable[Submission]) -> list[dict]:
    """Per autograded check: how many scored submissions passed it (no names: questions, not people)."""
    scored = [s for s in subs if s.score is not None]
    rows: dict[str, dict] = {}
    for sub in scored:
        for gid, (auto, max_score, manual) in sub.cells.items():
            if manual:
                continue
            row = rows.setdefault(gid, {"check": gid, "question": _question_of(gid), "passed": 0, "total": 0})
            row["total"] += 1
            row["passed"] += int(auto is not None and auto >= max_score)
    out = sorted(rows.values(), key=lambda r: r["check"])
    for row in out:
        row["pass_rate"] = row["passed"] / row["total"] if row["total"] else float("nan")
    return out


def write_overview(path: Path, assignment: str, subs: list[Submission], source_nb: dict) -> None:
    """The class overview for the debrief: distributions and questions, never a list of people."""
    import plotly.graph_objects as go
    from plotly.io import to_html

    scored = [s for s in subs if s.score is not None]
    table = question_table(subs)
    prompts = {}
    for cell in source_nb.get("cells", []):
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        if gid.endswith("_prompt") and cell.get("cell_type") == "markdown":
            first = _source(cell).strip().splitlines()[0].lstrip("# ").strip()
            prompts[_question_of(gid)] = first
    scores = [s.score / s.max_score if s.max_score else 0 for s in scored]
    fig1 = go.Figure(go.Histogram(x=[100 * x for x in scores], xbins=dict(start=0, end=100.01, size=10),
                                  marker_color="#0072B2",
                                  hovertemplate="%{x}% of the marks: %{y} notebooks<extra></extra>"))
    fig1.update_layout(title="How far the class got (share of autograded marks)",
                       xaxis_title="share of marks (%)", yaxis_title="notebooks", bargap=0.05)
    labels = [f"{r['check']}" for r in table]
    fig2 = go.Figure(go.Bar(x=labels, y=[100 * r["pass_rate"] for r in table], marker_color="#009E73",
                            customdata=[[r["passed"], r["total"]] for r in table],
                            hovertemplate="%{x}: %{y:.0f}% passed (%{customdata[0]} of %{customdata[1]})<extra></extra>"))
    fig2.update_layout(title="Pass rate per check", yaxis_title="passed (%)", yaxis_range=[0, 100],
                       xaxis_title="check (qN_check: the visible check; qN_hidden: other tables)")
    missed = sorted(table, key=lambda r: (r["pass_rate"], r["check"]))[:5]
    counts: dict[str, int] = {}
    for sub in subs:
        counts[sub.status] = counts.get(sub.status, 0) + 1
    rows = "".join(f"<tr><td>{html.escape(r['check'])}</td><td>{html.escape(prompts.get(r['question'], ''))}</td>"
                   f"<td>{100 * (1 - r['pass_rate']):.0f}% missed ({r['total'] - r['passed']} of {r['total']})</td></tr>"
                   for r in missed if r["pass_rate"] < 1)
    status_rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{v}</td><td>{html.escape(STATUSES.get(k, ''))}</td></tr>"
                          for k, v in sorted(counts.items()))
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Class overview: {html.escape(assignment)}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}td,th{{padding:.2em .8em;text-align:left}}</style>
</head><body>
<h1>Class overview: {html.escape(assignment)}</h1>
<p>{len(scored)} notebooks scored out of {len(subs)} files. This page shows questions, not people:
use it to pick what to talk through in the debrief.</p>
<h2>The most missed questions</h2>
<table><tr><th>check</th><th>question</th><th>missed</th></tr>{rows or '<tr><td colspan=3>none: every check was passed by everyone</td></tr>'}</table>
{to_html(fig2, include_plotlyjs=True, full_html=False)}
<p>Each bar is one check: how many of the scored notebooks passed it.</p>
{to_html(fig1, include_plotlyjs=False, full_html=False)}
<p>How many notebooks reached each share of the autograded marks (written answers are not included).</p>
<h2>Files handed in</h2>
<table><tr><th>status</th><th>files</th><th>meaning</th></tr>{status_rows}</table>
</body></html>
"""
    write_atomically(path, page)
