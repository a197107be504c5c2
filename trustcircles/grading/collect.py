"""What was handed in: the files of a batch, whose they are, and whether each is a usable notebook.

* :func:`unpack` reads SUBMISSIONS, a folder or a .zip (unpacked safely, file times kept);
* :func:`student_from_path` tells whose a file is from its name: ``<student>/<assignment>.ipynb`` or
  ``<student>_<assignment>.ipynb`` at any folder depth, with Moodle's and Canvas's export names and
  nbgrader's collected layout ``<student>/<assignment>/<assignment>.ipynb`` (its ``timestamp.txt``
  dates the submission and, with ``submission_secret.txt``, travels with it: :data:`EXCHANGE_FILES`);
* :func:`collect` makes every file a :class:`Submission`; bad ones already carry their status
  (``misnamed``, ``not_a_notebook``, ``invalid``, ``duplicate``) and a reason that says what to do;
* :func:`read_roster` reads the optional list of students (to report who handed in nothing);
* :func:`structure_notes` compares a notebook with the released exercise: test cells deleted or
  edited, extra cells.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import re
import shutil
import time
import zipfile
from pathlib import Path

from trustcircles.grading.course import GradingError


@dataclasses.dataclass(frozen=True)
class CellScore:
    """One autograded or hand-graded cell of a graded notebook (crosses from a worker process)."""
    auto_score: float | None   # the autograder's score; None when it could not tell
    max_score: float
    manual: bool               # a written answer, graded by hand in formgrader

    @property
    def passed(self) -> bool:
        return self.auto_score is not None and self.auto_score >= self.max_score


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
    cells: dict[str, CellScore] = dataclasses.field(default_factory=dict)   # by grade_id
    notes: list = dataclasses.field(default_factory=list)
    findings: list = dataclasses.field(default_factory=list)   # (kind, text): what grading found
    exchange_files: dict[str, Path] = dataclasses.field(default_factory=dict)  # EXCHANGE_FILES beside it


#: What nbgrader's exchange writes beside a submitted notebook: when it was submitted, and the secret
#: that names the learner's feedback in the exchange. Never a submission of its own; copied with the
#: notebook into the course directory, so that ``nbgrader release_feedback`` finds them.
EXCHANGE_FILES = ("timestamp.txt", "submission_secret.txt")


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
    if folder == assignment and len(relative.parts) >= 3:
        folder = relative.parts[-3]   # nbgrader's collected layout: <student>/<assignment>/<file>
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


def unpack(submissions: Path, workdir: Path) -> Path:
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


def submitted_at(timestamp_file: Path) -> float | None:
    """When nbgrader's exchange says a submission was made (seconds since 1970), or None."""
    from dateutil import parser, tz

    try:
        when = parser.parse(timestamp_file.read_text(encoding="utf-8").strip())
    except (OSError, ValueError, OverflowError):
        return None
    return (when if when.tzinfo else when.replace(tzinfo=tz.UTC)).timestamp()


def _other_assignment(relative: Path, assignment: str, others: set[str]) -> bool:
    """A file of another assignment in nbgrader's collected layout (``<student>/<other>/...``)."""
    return len(relative.parts) >= 3 and relative.parts[-2] != assignment and relative.parts[-2] in others


def collect(folder: Path, assignment: str, others: set[str] = frozenset()) -> list[Submission]:
    """Every file of the batch as a Submission; bad ones already carry their status and reason.

    ``others``: the names of the other assignments; their files in nbgrader's collected layout
    (``submitted/<student>/<other>/``) belong to another batch and are left out.
    """
    found: list[Submission] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder)
        if _ignored(relative) or _other_assignment(relative, assignment, set(others) - {assignment}):
            continue
        if path.name in EXCHANGE_FILES and len(relative.parts) >= 2:
            continue   # nbgrader's bookkeeping, read with the notebook beside it
        student, problem = student_from_path(relative, assignment)
        sub = Submission(student or sanitise_student(relative.stem), relative.as_posix(), path,
                         path.stat().st_mtime)
        if len(relative.parts) >= 2:
            sub.exchange_files = {name: path.parent / name for name in EXCHANGE_FILES
                                  if (path.parent / name).is_file()}
            if "timestamp.txt" in sub.exchange_files:
                sub.mtime = submitted_at(sub.exchange_files["timestamp.txt"]) or sub.mtime
        if problem == "not_a_notebook":
            sub.status, sub.reason = problem, (
                f"{sub.name} is not a notebook (.ipynb). Ask for {assignment}.ipynb "
                "(in Jupyter: File > Download).")
        elif problem == "misnamed":
            sub.status, sub.reason = problem, (
                f"{sub.name}: expected <student>/{assignment}.ipynb or <student>_{assignment}.ipynb. "
                "Rename it and grade again.")
        found.append(sub)
    # one notebook per learner: the newest by nbgrader's timestamp.txt or else file time, then the last by name
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


def read_roster(roster: Path | None) -> list[str]:
    """The student ids of a roster file (one a line, or a CSV with a 'student' column); [] for none."""
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


def cells_by_id(nb: dict) -> dict[str, dict]:
    """A notebook's nbgrader cells by grade_id."""
    out = {}
    for cell in nb.get("cells", []):
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id:
            out[grade_id] = cell
    return out


def cell_source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def structure_notes(submission_nb: dict, release_nb: dict,
                    source_nb: dict | None = None) -> tuple[list[str], list[str], list[str]]:
    """(deleted test cells, edited test cells, notes) of a submission compared with the release.

    A test cell counts as edited when its source is neither the released one nor the source one
    (the source version, with hidden tests, is what nbgrader runs anyway).
    """
    released = cells_by_id(release_nb)
    original = cells_by_id(source_nb or {})
    tests = [gid for gid, cell in released.items()
             if cell["metadata"]["nbgrader"].get("grade") and not cell["metadata"]["nbgrader"].get("solution")]
    submitted = cells_by_id(submission_nb)
    deleted = [gid for gid in tests if gid not in submitted]
    edited = [gid for gid in tests if gid in submitted
              and cell_source(submitted[gid]).strip() not in (
                  cell_source(released[gid]).strip(), cell_source(original.get(gid, released[gid])).strip())]
    notes = []
    extra = len(submission_nb.get("cells", [])) - len(release_nb.get("cells", [])) + len(deleted)
    if extra > 0:
        notes.append(f"{extra} extra cell{'s' if extra != 1 else ''} (kept; they ran too)")
    return deleted, edited, notes
