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

from trustcircles.grading.course import (EXERCISES, FUNCTION_STUB, SOLUTIONS, apply_settings,
                                         list_assignments, require_assignment, run_quietly)

#: where the worked answers of Part B go (read by ex.qN.solution() in a learner's kernel)
WORKED = Path(__file__).resolve().parent.parent / "checks" / "worked"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


def region_stub(region: str, indented: bool) -> str | None:
    """What a solution region becomes in the release, when it is not nbgrader's usual stub.

    A Part A answer (``answer_a1 = "B"``) becomes its placeholder (``answer_a1 = "?"``); a region
    inside a function (Part B) returns the "not answered yet" marker instead of raising.
    """
    from trustcircles.checks.reading import placeholder_for

    placeholder = placeholder_for(region)
    if placeholder is not None:
        return placeholder
    return FUNCTION_STUB if indented else None


def _answer_stubs_class():
    """nbgrader's ClearSolutions, with the course's stubs per region (see :func:`region_stub`)."""
    import re

    from nbgrader.preprocessors import ClearSolutions

    class AnswerStubs(ClearSolutions):
        def _replace_solution_region(self, cell, language):
            if cell.cell_type != "code" or BEGIN not in cell.source:
                return super()._replace_solution_region(cell, language)
            out, region, inside, replaced = [], [], False, False
            for line in cell.source.split("\n"):
                if BEGIN in line:
                    inside, replaced, region = True, True, []
                    indent = re.match(r"\s*", line).group(0)
                elif END in line and inside:
                    inside = False
                    stub = region_stub("\n".join(region), bool(indent)) or self.code_stub[language]
                    out.extend(indent + part for part in stub.split("\n"))
                elif inside:
                    region.append(line)
                else:
                    out.append(line)
            if inside:
                raise RuntimeError("no end solution statement found")
            cell.source = "\n".join(out)
            return replaced

    return AnswerStubs


def worked_answers(source_nb: dict) -> dict[str, str]:
    """question -> its answer cell in the solution, without the solution markers (for solution())."""
    import re

    worked = {}
    for cell in source_nb.get("cells", []):
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        match = re.match(r"^(q\d+)_answer$", gid)
        if not match or cell.get("cell_type") != "code":
            continue
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        lines = [line for line in text.split("\n") if BEGIN not in line and END not in line]
        worked[match.group(1)] = "\n".join(lines).strip() + "\n"
    return worked


def write_worked_answers(assignment: str, solutions: Path = SOLUTIONS, worked: Path = WORKED) -> Path:
    """Save the worked answers of one assignment's Part B into the package (same bytes each time)."""
    from trustcircles.data import write_atomically

    source = json.loads((solutions / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8"))
    path = worked / f"{assignment}.json"
    text = json.dumps(worked_answers(source), indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    write_atomically(path, text)
    return path

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
    stubs = _answer_stubs_class()
    coursedir = CourseDirectory(config=config)
    converter = GenerateAssignment(coursedir=coursedir, config=config)
    converter.preprocessors = [stubs if getattr(step, "__name__", "") == "ClearSolutions" else step
                               for step in converter.preprocessors]
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
        write_worked_answers(name, solutions)
        done.append(name)
    return done
