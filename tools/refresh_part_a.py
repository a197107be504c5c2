"""Refresh Part A's answer literals in solutions/ after the data changed (used by authors).

    python tools/refresh_part_a.py [ASSIGNMENT ...]        rewrite the literals, regenerate exercises/
    python tools/refresh_part_a.py --check [ASSIGNMENT ...] only say which literals are out of date

A Part A answer in a source notebook is a literal (``answer_a1 = 49``), because that is what a
learner types; its right value is computed from the data by the assignment's checks
(:mod:`trustcircles.checks`). When the datasets are rebuilt with other numbers (``make datasets``),
the literals go stale. This tool builds each assignment's questions with
:func:`trustcircles.checks.exercise` and rewrites the one ``answer_aN = ...`` line inside the
solution region of each ``aN_answer`` cell to the question's ``answer_text()``, leaving every other
byte of the notebook as it was; then it regenerates the releases (``exercises/``) of the assignments
it changed (nbgrader: the trainer's install, ``python bootstrap.py setup --trainer``).

``--check`` changes nothing and exits with status 1 when some literal is out of date.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


def _grade_id(cell: dict) -> str:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")


def _lines(cell: dict) -> list[str]:
    source = cell["source"]
    return list(source) if isinstance(source, list) else source.splitlines(keepends=True)


def refresh_notebook(nb: dict, questions: dict) -> list[tuple[str, str, str]]:
    """Rewrite, in place, the literal of every Part A question (``a1``, ``a2``, ...) of ``questions``
    in notebook ``nb``; return (question, old line, new line) for each line that changed.

    Raises ValueError naming the question when its answer cell or its ``answer_aN = ...`` line
    inside the solution region is missing.
    """
    changed = []
    cells = {_grade_id(c): c for c in nb.get("cells", [])}
    for name, question in questions.items():
        if not re.fullmatch(r"a\d+", name):
            continue
        cell = cells.get(f"{name}_answer")
        if cell is None:
            raise ValueError(f"{name}: the notebook has no cell with grade_id {name}_answer.")
        lines, inside, found = _lines(cell), False, False
        for i, line in enumerate(lines):
            if BEGIN in line:
                inside = True
            elif END in line:
                inside = False
            elif inside and re.match(rf"answer_{name}\s*=", line):
                ending = "\n" if line.endswith("\n") else ""
                new = f"answer_{name} = {question.answer_text()}{ending}"
                found = True
                if new != line:
                    changed.append((name, line.rstrip("\n"), new.rstrip("\n")))
                    lines[i] = new
        if not found:
            raise ValueError(f"{name}: no line `answer_{name} = ...` inside the solution region of "
                             f"{name}_answer.")
        cell["source"] = lines if isinstance(cell["source"], list) else "".join(lines)
    return changed


def refresh(assignments: list[str] | None = None, *, write: bool = True, release: bool = True,
            solutions: Path = SOLUTIONS) -> dict[str, list[tuple[str, str, str]]]:
    """Refresh every assignment (all of solutions/ by default): assignment -> the lines changed.
    With ``write`` the source notebooks are rewritten, with ``release`` their exercises regenerated."""
    from trustcircles.checks import exercise
    from trustcircles.grading.course import list_assignments

    names = assignments or list_assignments(solutions)
    report = {}
    for assignment in names:
        path = solutions / assignment / f"{assignment}.ipynb"
        text = path.read_text(encoding="utf-8")
        nb = json.loads(text)
        changed = refresh_notebook(nb, exercise(assignment).questions)
        report[assignment] = changed
        if changed and write:
            path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    stale = [name for name, changed in report.items() if changed]
    if write and release and stale:
        from trustcircles.grading.release import regenerate
        regenerate(stale, solutions)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("assignments", nargs="*", metavar="ASSIGNMENT")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a literal is stale")
    parser.add_argument("--no-release", action="store_true", help="do not regenerate exercises/")
    parser.add_argument("--solutions", metavar="DIR", default=str(SOLUTIONS),
                        help="the source notebooks' folder (default: solutions/)")
    args = parser.parse_args(argv)
    report = refresh(args.assignments or None, write=not args.check, release=not args.no_release,
                     solutions=Path(args.solutions))
    stale = 0
    for assignment, changed in report.items():
        for name, old, new in changed:
            stale += 1
            print(f"{assignment} {name}: {old}  ->  {new}")
    verb = "out of date" if args.check else "rewritten"
    print(f"{stale} Part A literal(s) {verb} in {sum(bool(c) for c in report.values())} of "
          f"{len(report)} assignment(s).")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
