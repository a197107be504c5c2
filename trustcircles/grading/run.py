"""Running nbgrader over a batch: the worker processes, merging their scores, and the whole run.

:func:`grade` is the run from start to end (see :mod:`trustcircles.grading` for its stages). nbgrader
runs in-process (its ``Autograde`` converter, one learner per call: no command-line start-up per
notebook); with ``jobs`` > 1, each worker process imports nbgrader and builds its feedback exporter
once, then takes the next learner as soon as it is free, running that notebook in its own kernel.
SQLite is not made for concurrent writers, so each worker grades into its own copy of the gradebook
and :func:`merge` copies the scores into the course gradebook from this (single) process. What a
worker hands back is a :class:`NotebookResult`, a typed record that crosses the process boundary.
"""
from __future__ import annotations

import dataclasses
import json
import os
import shutil
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from trustcircles.grading.collect import (CellScore, Submission, cells_by_id, collect, read_roster,
                                          structure_notes, unpack)
from trustcircles.grading.course import (DEFAULT_TIMEOUT, REPO, SOLUTIONS, GradingError, LogCapture,
                                         course_config, db_url, setup_course)
from trustcircles.grading.feedback import feedback_exporter, hidden_test_lines, write_feedback
from trustcircles.grading.overview import write_grades_csv, write_overview

#: precedence when several things are true of one graded notebook
_GRADED_ORDER = ("timed_out", "deleted_tests", "edited_tests", "graded")


@dataclasses.dataclass
class NotebookResult:
    """What grading one learner's notebook gave: made in a worker process, read in this one."""
    student: str
    status: str = "graded"      # graded, timed_out, kernel_died or error (see overview.STATUSES)
    reasons: list[str] = dataclasses.field(default_factory=list)
    cells: dict[str, CellScore] = dataclasses.field(default_factory=dict)   # by grade_id
    comments: dict[str, str] = dataclasses.field(default_factory=dict)      # nbgrader's, by grade_id
    needs_manual: bool = False  # a written answer waits for the trainer (formgrader)
    span: tuple[int, float, float] = (0, 0.0, 0.0)   # process id, start, end (monotonic clock)
    score: float | None = None      # set by merge(), from the course gradebook
    max_score: float | None = None


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
               hidden_lines: list[str]) -> NotebookResult:
    """Autograde one learner in this process; return scores, problems and write the feedback.

    The result also says which process graded it and when (``span``: process id, start, end on the
    monotonic clock), so that a run can show its jobs really graded at the same time. Anything that
    goes wrong with one notebook makes it an ``error`` with the reason, never stops the batch.
    """
    start = time.monotonic()
    try:
        result = _grade_notebook(course, assignment, student, timeout, hidden_lines)
    except Exception as error:  # e.g. a disk full while writing its feedback
        result = NotebookResult(student, status="error", reasons=[
            f"grading it stopped with {type(error).__name__}: {str(error)[:200]}"])
    result.span = (os.getpid(), start, time.monotonic())
    return result


def _grade_notebook(course: str, assignment: str, student: str, timeout: int,
                    hidden_lines: list[str]) -> NotebookResult:
    _quiet_warnings()
    from trustcircles.checks.modes import GRADING_ENV

    # The kernel nbgrader starts inherits this: its checks then raise on a wrong or missing answer
    # (in a learner's own kernel they only print "Not yet", so Run All goes on). Only for this
    # notebook's kernel: afterwards this process's environment is as it was.
    before = os.environ.get(GRADING_ENV)
    os.environ[GRADING_ENV] = "1"
    try:
        return _grade_started(course, assignment, student, timeout, hidden_lines)
    finally:
        if before is None:
            os.environ.pop(GRADING_ENV, None)
        else:
            os.environ[GRADING_ENV] = before


def _grade_started(course: str, assignment: str, student: str, timeout: int,
                   hidden_lines: list[str]) -> NotebookResult:
    from nbgrader.api import Gradebook
    from nbgrader.converters import Autograde
    from nbgrader.coursedir import CourseDirectory

    course_path = Path(course)
    db_url = _worker_db(course_path)
    config = course_config(course_path, assignment, db_url, timeout, student)
    converter = Autograde(coursedir=CourseDirectory(config=config), config=config)
    capture = LogCapture()
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
    result = NotebookResult(student)
    autograded = course_path / "autograded" / student / assignment / f"{assignment}.ipynb"
    if failed is not None or not autograded.is_file():
        if "DeadKernelError" in log or "Kernel died" in log or "kernel died" in log.lower():
            result.status = "kernel_died"
            result.reasons.append("the notebook stopped Python while it ran (os._exit, exit() or out "
                                    "of memory), so nothing could be graded. Ask the learner to remove "
                                    "the line that stops Python and hand in again.")
        elif "UnresponsiveKernelError" in log or "became unresponsive" in log:
            result.status = "timed_out"
            result.reasons.append(f"a cell ran past the {timeout} s time-out and could not be "
                                    "stopped, so nothing could be graded.")
        else:
            errors = [line for line in capture.records if line.startswith("[ERROR]")]
            result.status = "error"
            result.reasons.append("nbgrader could not grade it: "
                                    + (errors[0][8:200] if errors else str(failed)[:200]))
        return result
    nb = json.loads(autograded.read_text(encoding="utf-8"))
    for index, cell in enumerate(nb["cells"]):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and output.get("ename") == "CellTimeoutError":
                gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or f"cell {index + 1}"
                result.status = "timed_out"
                result.reasons.append(f"{gid} ran past the {timeout} s time-out and was stopped; "
                                        "the cells after it still ran")
    written = {c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in nb["cells"]
               if c.get("metadata", {}).get("nbgrader", {}).get("solution")}
    with Gradebook(db_url) as gb:
        submission = gb.find_submission_notebook(assignment, assignment, student)
        for grade in submission.grades:
            # (autograder score, max score, graded by hand?)
            result.cells[grade.name] = CellScore(grade.auto_score, grade.max_score, grade.name in written)
            if grade.name in written and grade.needs_manual_grade:
                result.needs_manual = True
        comments = {c.name: c.auto_comment for c in submission.comments}
    result.comments = comments
    feedback = course_path / "feedback" / student / assignment / f"{assignment}.html"
    write_feedback(nb, feedback, student, assignment, result.cells, hidden_lines)
    return result


def _worker_start() -> None:
    """Start-up of a worker process, once: the imports and the feedback exporter (its templates),
    so that every notebook the worker grades after that pays only for its own kernel and passes."""
    _quiet_warnings()
    import nbgrader.api  # noqa: F401
    import nbgrader.converters  # noqa: F401
    feedback_exporter()


def _grade_in_worker(args) -> NotebookResult:
    course, assignment, student, timeout, hidden_lines = args
    return _grade_one(course, assignment, student, timeout, hidden_lines)


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


def grade(assignment: str, submissions: str | os.PathLike, course: str | os.PathLike | None = None,
          timeout: int = DEFAULT_TIMEOUT, jobs: int = 1, roster: str | os.PathLike | None = None,
          progress: bool = True, solutions: Path = SOLUTIONS) -> GradeRun:
    """Grade a folder or zip of submissions (see :mod:`trustcircles.grading`); return the run's results."""
    import nbformat
    from tqdm import tqdm

    started = time.perf_counter()
    _quiet_warnings()
    course = Path(course) if course else REPO / ".course" / assignment
    course = course.resolve()
    submissions = Path(submissions)
    if jobs < 1:
        raise GradingError("jobs", f"{jobs} is not a number of worker processes.", "use 1 or more.")
    if timeout is None or timeout <= 0:
        raise GradingError("timeout", f"{timeout} is not a time-out in seconds.", "use e.g. 30.")
    roster_ids = read_roster(Path(roster) if roster else None)
    release_path = setup_course(course, assignment, solutions)
    release_nb = json.loads(release_path.read_text(encoding="utf-8"))
    source_nb = json.loads((solutions / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8"))
    hidden_lines = hidden_test_lines(source_nb)

    workdir = course / ".work"
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir()
    folder = unpack(submissions, workdir)
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
        if not cells_by_id(nb):
            sub.notes.append(("", "none of the exercise's cells were found (a different notebook?)"))
    from nbgrader.api import Gradebook
    with Gradebook(db_url(course)) as gb:
        for sub in to_grade:
            gb.update_or_create_student(sub.student)

    results: dict[str, NotebookResult] = {}
    bar = tqdm(total=len(to_grade), desc=f"grading {assignment}", unit="notebook",
               disable=not progress, file=sys.stderr)
    tally: dict[str, int] = {}

    def done(result: NotebookResult) -> None:
        results[result.student] = result
        tally[result.status] = tally.get(result.status, 0) + 1
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

    merge(course, assignment, results)
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
                    spans=sorted(r.span for r in results.values()))


def merge(course: Path, assignment: str, results: dict[str, NotebookResult]) -> None:
    """Copy the workers' autograder scores into the course gradebook (one writer: this process)."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url(course)) as gb:
        for student in sorted(results):
            result = results[student]
            gb.update_or_create_submission(assignment, student)
            for gid, cell in result.cells.items():
                grade = gb.find_grade(gid, assignment, assignment, student)
                grade.auto_score = cell.auto_score
                grade.needs_manual_grade = grade.manual_score is not None or cell.auto_score is None
            for gid, text in result.comments.items():
                comment = gb.find_comment(gid, assignment, assignment, student)
                comment.auto_comment = text
            if not result.cells:   # not graded: no score pretends to be one
                submission = gb.find_submission_notebook(assignment, assignment, student)
                for grade in submission.grades:
                    grade.auto_score = None
                    grade.needs_manual_grade = True
        gb.db.commit()
        for student in sorted(results):
            result = results[student]
            if result.cells:
                submission = gb.find_submission(assignment, student)
                result.score, result.max_score = float(submission.score), float(submission.max_score)


def _finish(sub: Submission, result: NotebookResult) -> None:
    """The submission's status, score and reason from its result and its structure notes."""
    sub.cells = result.cells
    reasons = list(result.reasons)
    statuses = {result.status}
    for status, note in sub.notes:
        if status:
            statuses.add(status)
        reasons.append(note)
    if result.status in ("kernel_died", "error") or not result.cells:
        sub.status = result.status if result.status != "graded" else "error"
    else:
        sub.status = next(s for s in _GRADED_ORDER if s in statuses or s == "graded")
        sub.score, sub.max_score = result.score, result.max_score
        if result.needs_manual:
            reasons.append("the written answer is to be graded by hand (formgrader), then export again")
    sub.reason = "; ".join(r for r in reasons if r)
