"""The learner's version of an assignment: ``exercises/<assignment>/`` from ``solutions/<assignment>/``.

:func:`generate_release` runs nbgrader's generate_assignment on ``solutions/<assignment>/`` (solutions
and hidden tests removed, outputs cleared, checksums computed) into a temporary folder, without any
gradebook; :func:`regenerate` then replaces ``exercises/<assignment>/`` in one step. The result is
deterministic: running it twice gives byte-identical files (tests/test_exercises_build.py checks that
the committed exercises/ are what solutions/ generate).
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from trustcircles.grading.course import (EXERCISES, SOLUTIONS, apply_settings, list_assignments,
                                         require_assignment, run_quietly)

#: The kernel every committed notebook names.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def clear_outputs(nb: dict) -> dict:
    """A notebook's committed form, in place: no outputs or execution counts, kernel python3."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        cell.get("metadata", {}).pop("execution", None)
    nb.setdefault("metadata", {})["kernelspec"] = KERNELSPEC
    return nb


def _normalise(path: Path) -> None:
    """Committed form (see clear_outputs), written with indent 1, sorted keys, newline at end."""
    nb = clear_outputs(json.loads(path.read_text(encoding="utf-8")))
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                    encoding="utf-8")


def generate_release(assignment: str, dest: Path, solutions: Path = SOLUTIONS) -> Path:
    """Generate the learner version of one assignment into ``dest/<assignment>/``; return that folder."""
    from nbgrader.converters import GenerateAssignment
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    require_assignment(assignment, solutions)
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    config = Config()
    config.CourseDirectory.root = str(dest)
    config.CourseDirectory.source_directory = str(solutions.resolve())
    config.CourseDirectory.release_directory = str(dest.resolve())
    config.CourseDirectory.assignment_id = assignment
    # nbgrader's SaveCells step needs a gradebook holding the assignment: a throw-away one, so
    # nothing in the repository changes besides exercises/.
    config.GenerateAssignment.create_assignment = True
    config.CourseDirectory.db_url = "sqlite:///" + str((dest / "scratch-gradebook.db").resolve())
    config.GenerateAssignment.force = True
    apply_settings(config)
    coursedir = CourseDirectory(config=config)
    converter = GenerateAssignment(coursedir=coursedir, config=config)
    run_quietly(converter, f"generating exercises/{assignment} from solutions/{assignment}")
    out = dest / assignment
    (dest / "scratch-gradebook.db").unlink(missing_ok=True)
    for notebook in sorted(out.glob("*.ipynb")):
        _normalise(notebook)
    return out


def regenerate(assignments: list[str] | None = None, solutions: Path = SOLUTIONS,
               exercises: Path = EXERCISES) -> list[str]:
    """Regenerate exercises/<assignment>/ for each assignment (all in solutions/ by default)."""
    names = assignments or list_assignments(solutions)
    exercises.mkdir(parents=True, exist_ok=True)
    done = []
    for name in names:
        with tempfile.TemporaryDirectory(prefix=".exercises-", dir=exercises) as tmp:
            fresh = generate_release(name, Path(tmp) / "out", solutions)
            target = exercises / name
            old = Path(tmp) / "old"
            if target.exists():
                os.replace(target, old)   # swap in one step each: never a half-written folder
            os.replace(fresh, target)
        done.append(name)
    return done
