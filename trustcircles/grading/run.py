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
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from trustcircles.grading.collect import (EXCHANGE_FILES, CellScore, Submission, cells_by_id, collect,
                                          read_roster, structure_notes, unpack)
from trustcircles.grading.course import (DEFAULT_TIMEOUT, REPO, SOLUTIONS, GradingError, LogCapture,
                                         course_config, db_url, list_assignments, setup_course)
from trustcircles.grading.feedback import feedback_exporter, hidden_test_lines, write_feedback
from trustcircles.grading.overview import write_grades_csv, write_overview
from trustcircles.grading.sandbox import KernelPlan, Limits, Sandbox, find_sandbox, sandbox_uid

#: precedence when several things are true of one graded notebook
_GRADED_ORDER = ("tampered", "used_reference", "kernel_died", "over_limit", "timed_out", "deleted_tests",
                 "edited_tests", "graded")


@dataclasses.dataclass(frozen=True)
class GradeSettings:
    """How every notebook of a run is graded (crosses to the worker processes)."""
    sandbox: Sandbox
    limits: Limits = Limits()
    reference: str = "keep"       # "keep" the mark of an answer that uses the reference, or "zero" it
    extra_ro: tuple = ()          # more read-only folders inside the sandbox (tests only)


@dataclasses.dataclass
class NotebookResult:
    """What grading one learner's notebook gave: made in a worker process, read in this one."""
    student: str
    status: str = "graded"      # graded, timed_out, kernel_died or error (see overview.STATUSES)
    reasons: list[str] = dataclasses.field(default_factory=list)
    cells: dict[str, CellScore] = dataclasses.field(default_factory=dict)   # by grade_id
    comments: dict[str, str] = dataclasses.field(default_factory=dict)      # nbgrader's, by grade_id
    needs_manual: bool = False  # a written answer waits for the trainer (formgrader)
    findings: list = dataclasses.field(default_factory=list)   # (kind, text) pairs, see judge.FINDING_KINDS
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
               hidden_lines: list[str], settings: GradeSettings) -> NotebookResult:
    """Autograde one learner in this process; return scores, problems and write the feedback.

    The result also says which process graded it and when (``span``: process id, start, end on the
    monotonic clock), so that a run can show its jobs really graded at the same time. Anything that
    goes wrong with one notebook makes it an ``error`` with the reason, never stops the batch.
    """
    start = time.monotonic()
    try:
        result = _grade_notebook(course, assignment, student, timeout, hidden_lines, settings)
    except GradingError:
        raise
    except Exception as error:  # e.g. a disk full while writing its feedback
        result = NotebookResult(student, status="error", reasons=[
            f"grading it stopped with {type(error).__name__}: {str(error)[:200]}"])
    result.span = (os.getpid(), start, time.monotonic())
    return result


_JUDGES: dict = {}


class GradingState(dict):
    """What the course's steps of one notebook's grading share through nbgrader's resources; nbconvert
    deep-copies resources between steps, so this stays one object."""

    def __deepcopy__(self, memo):
        return self

    def __copy__(self):
        return self


def _judge(course: Path, assignment: str):
    """This process's Judge of the assignment (its questions, built once)."""
    from trustcircles.grading.judge import Judge

    source = course / "source" / assignment / f"{assignment}.ipynb"
    key = (str(source), source.stat().st_mtime_ns)
    if key not in _JUDGES:
        _JUDGES.clear()
        _JUDGES[key] = Judge(assignment, json.loads(source.read_text(encoding="utf-8")))
    return _JUDGES[key]


def _autograde_class():
    """nbgrader's Autograde with the course's steps: test cells out and shell escapes neutralised,
    the notebook run in its sandbox with the probe after it, the marks decided outside."""
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor
    from nbgrader.converters import Autograde
    from traitlets import Bool
    from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, IgnorePattern, LimitOutput,
                                        SaveAutoGrades)

    from trustcircles.grading.execute import SandboxedExecute
    from trustcircles.grading.judge import DecideOutside, PrepareForGrading

    class CourseAutograde(Autograde):
        grading_state: dict = {}

        def init_single_notebook_resources(self, notebook_filename):
            resources = super().init_single_notebook_resources(notebook_filename)
            resources["trustcircles"] = self.grading_state
            return resources

    class JoinStreams(CoalesceStreamsPreprocessor):
        """A print's text and its newline can reach the kernel's channel as two messages, or as
        one, by timing alone; joined, a re-run writes the same feedback page. (nbconvert's own step
        is off unless enabled, and nbgrader registers its steps as they are: it did nothing.)"""
        enabled = Bool(True)

    # nbgrader's list, without nbconvert's ClearMetadataPreprocessor: nbgrader registers it off,
    # so it never ran (and on, it would clear the nbgrader metadata the grades are saved by)
    CourseAutograde.autograde_preprocessors = [
        PrepareForGrading, SandboxedExecute, JoinStreams, DecideOutside, IgnorePattern,
        LimitOutput, SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
    return CourseAutograde


def _grade_notebook(course: str, assignment: str, student: str, timeout: int,
                    hidden_lines: list[str], settings: GradeSettings) -> NotebookResult:
    import tempfile

    _quiet_warnings()
    from nbgrader.api import Gradebook
    from nbgrader.coursedir import CourseDirectory

    from trustcircles.grading.judge import FINDING_KINDS, seed_for

    course_path = Path(course)
    db_url = _worker_db(course_path)
    config = course_config(course_path, assignment, db_url, timeout, student)
    judge = _judge(course_path, assignment)
    private = Path(tempfile.mkdtemp(prefix="tcg-"))
    try:
        plan = KernelPlan(settings.sandbox, settings.limits, private, assignment,
                          uid=sandbox_uid() if settings.sandbox.mode == "root" else None,
                          extra_ro=settings.extra_ro)
        plan.inputs.mkdir()
        plan.write_identity_files()
        submitted = course_path / "submitted" / student / assignment / f"{assignment}.ipynb"
        shutil.copyfile(submitted, plan.inputs / "notebook.ipynb")
        state = GradingState(plan=plan, judge=judge, seed=seed_for(course_path, assignment, student),
                             student=student, reference_policy=settings.reference)
        converter_class = _autograde_class()
        converter_class.grading_state = state
        converter = converter_class(coursedir=CourseDirectory(config=config), config=config)
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
    finally:
        shutil.rmtree(private, ignore_errors=True)
    log = "\n".join(capture.records)
    result = NotebookResult(student)
    autograded = course_path / "autograded" / student / assignment / f"{assignment}.ipynb"
    if failed is not None or not autograded.is_file() or "decisions" not in state:
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
                if state.get("stopped_at") == index:
                    continue     # stopped by the notebook's wall time: said by its finding
                result.status = "timed_out"
                result.reasons.append(f"{gid} ran past the {timeout} s time-out and was stopped; "
                                      "the cells after it still ran")
    died = state.get("died_at")
    if died is not None and not state.get("hard_killed"):
        where = ("while its functions were being tried" if died == "probe" else
                 "as its kernel started" if died == "start" else
                 f"in {nb['cells'][died].get('metadata', {}).get('nbgrader', {}).get('grade_id') or f'cell {died + 1}'}"
                 if isinstance(died, int) and died < len(nb["cells"]) else "")
        result.status = "kernel_died"
        result.reasons.append(f"the notebook stopped Python {where} (os._exit, exit() or out of memory): "
                              "Part A was read from its answers, its functions could not be tried. Ask the "
                              "learner to remove the line that stops Python and hand in again.")
    statuses = {result.status}
    for finding in state["findings"]:
        statuses.add(FINDING_KINDS.get(finding.kind, ("", ""))[0] or "graded")
        result.findings.append((finding.kind, finding.text))
        result.reasons.append(finding.text)
    result.status = min(statuses, key=_GRADED_ORDER.index)
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
    decided = {gid: d.decided_on for gid, d in state["decisions"].items()}
    notes = [text for kind, text in result.findings if kind in ("shell", "output_trimmed", "answer_below_check",
                                                                "local_path", "missing_function", "wall_time")]
    for text in write_feedback(nb, feedback, student, assignment, result.cells, hidden_lines, decided, notes):
        result.findings.append(("output_trimmed", text))
        result.reasons.append(text)
    # `nbgrader release_feedback` names each learner's page by the secret of their submission and
    # reads its timestamp: both sit beside the feedback, as nbgrader's own feedback step puts them
    for name in EXCHANGE_FILES:
        handed_in = course_path / "submitted" / student / assignment / name
        if handed_in.is_file():
            shutil.copyfile(handed_in, feedback.parent / name)
    return result


def _worker_start() -> None:
    """Start-up of a worker process, once: the imports and the feedback exporter (its templates),
    so that every notebook the worker grades after that pays only for its own kernel and passes."""
    _quiet_warnings()
    import nbgrader.api  # noqa: F401
    import nbgrader.converters  # noqa: F401
    feedback_exporter()


_STARTED = []


def _worker_start_with(queue) -> None:
    _STARTED.append(queue)
    _worker_start()


def _grade_in_worker(args) -> NotebookResult:
    course, assignment, student, timeout, hidden_lines, settings = args
    if _STARTED:
        _STARTED[0].put(student)
    return _grade_one(course, assignment, student, timeout, hidden_lines, settings)


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
    sandbox: Sandbox | None = None

    def summary(self) -> str:
        from trustcircles.grading.judge import FINDING_KINDS

        counts: dict[str, int] = {}
        notes: dict[str, int] = {}
        for sub in self.submissions:
            counts[sub.status] = counts.get(sub.status, 0) + 1
            for kind in dict.fromkeys(kind for kind, _ in sub.findings):
                notes[kind] = notes.get(kind, 0) + 1
        parts = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        graded = sum(1 for s in self.submissions if s.score is not None)
        pace = (f", {self.seconds / self.notebooks:.1f} s per notebook with {self.jobs} "
                f"job{'s' if self.jobs != 1 else ''}" if self.notebooks else "")
        said = [f"{notes[k]} {words}" for k, (_, words) in FINDING_KINDS.items()
                if k in notes and not FINDING_KINDS[k][0]]
        reasons = f"; notebooks with a reason in grades.csv: {', '.join(said)}" if said else ""
        where = "" if self.sandbox is None else (" in sandboxes" if self.sandbox.active else " WITHOUT a sandbox")
        return (f"{self.assignment}: {len(self.submissions)} files, {graded} scored ({parts}){reasons} in "
                f"{self.seconds:.1f} s{pace}{where}. Grades: {self.grades_csv}; class overview: {self.overview}")


def grade(assignment: str, submissions: str | os.PathLike, course: str | os.PathLike | None = None,
          timeout: int = DEFAULT_TIMEOUT, jobs: int = 1, roster: str | os.PathLike | None = None,
          progress: bool = True, solutions: Path = SOLUTIONS, sandbox: str = "auto",
          limits: Limits | None = None, reference: str = "keep", announce=None,
          extra_ro: tuple = ()) -> GradeRun:
    """Grade a folder or zip of submissions (see :mod:`trustcircles.grading`); return the run's results.

    ``sandbox``: "auto" (bubblewrap when it works here, else none, said first), "require" (refuse to
    grade without one) or "off"; ``limits``: per notebook (:class:`~trustcircles.grading.sandbox.Limits`);
    ``reference``: "keep" the marks of answers that use the course's reference (flagged
    ``used_reference``) or "zero" them; ``announce``: called first with the line saying whether
    notebooks run in a sandbox.
    """
    import nbformat
    from tqdm import tqdm

    from trustcircles.grading.judge import REFERENCE_POLICIES

    started = time.perf_counter()
    _quiet_warnings()
    if reference not in REFERENCE_POLICIES:
        raise GradingError("--reference", f"{reference!r} is not a policy.", "use keep or zero.")
    try:
        found = find_sandbox(sandbox)
    except ValueError as error:
        raise GradingError("--sandbox", str(error), "use auto, require or off.") from None
    if sandbox == "require" and not found.active:
        raise GradingError("--sandbox require", f"there is no sandbox here: {found.why}",
                           "install bubblewrap on Linux (Debian/Ubuntu: apt-get install bubblewrap), or grade "
                           "with --sandbox auto knowing that notebooks then run with your rights.")
    settings = GradeSettings(found, limits or Limits(), reference, tuple(extra_ro))
    if announce is not None:
        announce(found.first_line())
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
    from trustcircles.grading.judge import checks_of
    checks_of(source_nb)   # every test cell one ex.qN.check(...) call, or one clear message now

    workdir = course / ".work"
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir()
    folder = unpack(submissions, workdir)
    if folder.resolve() == course or course in folder.resolve().parents or folder.resolve() in course.parents:
        # e.g. nbgrader's own `submitted/` in this course directory, which the import below rewrites:
        # grade a snapshot of it instead
        snapshot = workdir / "batch"
        shutil.copytree(folder, snapshot, ignore=shutil.ignore_patterns(".work", ".ipynb_checkpoints"),
                        copy_function=shutil.copy2)
        folder = snapshot
    subs = collect(folder, assignment, set(list_assignments(solutions)))
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
        for name, path in sub.exchange_files.items():   # nbgrader's timestamp and feedback secret
            shutil.copyfile(path, target.parent / name)
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
    running: list[str] = []

    def show_running() -> None:
        counts = ", ".join(f"{n} {k}" for k, n in sorted(tally.items()))
        now = f"running: {', '.join(running[-workers:])}" if running else ""
        bar.set_postfix_str("; ".join(p for p in (counts, now) if p), refresh=True)

    try:
        if workers <= 1:
            for sub in to_grade:
                running[:] = [sub.student]
                show_running()
                done(_grade_one(str(course), assignment, sub.student, timeout, hidden_lines, settings))
                running.clear()
        else:
            # `workers` long-lived processes, one notebook per task: each worker imports nbgrader and
            # builds its feedback exporter once, then takes the next learner as soon as it is free
            # (a notebook that runs into the time-out does not hold up a fixed share of the batch).
            # Each runs its own kernel, so `workers` notebooks execute at the same time.
            import multiprocessing
            import queue as queues
            from concurrent.futures import FIRST_COMPLETED, wait
            context = multiprocessing.get_context("spawn")
            started_queue = context.Queue()
            with ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                     initializer=_worker_start_with, initargs=(started_queue,)) as pool:
                pending = {pool.submit(_grade_in_worker,
                                       (str(course), assignment, sub.student, timeout, hidden_lines, settings))
                           for sub in to_grade}
                while pending:
                    finished, pending = wait(pending, timeout=1.0, return_when=FIRST_COMPLETED)
                    while True:
                        try:
                            running.append(started_queue.get_nowait())
                        except queues.Empty:
                            break
                    for future in finished:
                        result = future.result()
                        if result.student in running:
                            running.remove(result.student)
                        done(result)
                    show_running()
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
                    spans=sorted(r.span for r in results.values()), sandbox=found)


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
    sub.findings = list(result.findings)
    reasons = list(result.reasons)
    statuses = {result.status}
    for status, note in sub.notes:
        if status:
            statuses.add(status)
        reasons.append(note)
    if result.status == "error" or not result.cells:
        sub.status = result.status if result.status != "graded" else "error"
    else:
        sub.status = next(s for s in _GRADED_ORDER if s in statuses or s == "graded")
        sub.score, sub.max_score = result.score, result.max_score
        if result.needs_manual:
            reasons.append("the written answer is to be graded by hand (formgrader), then export again")
    sub.reason = "; ".join(r for r in reasons if r)
