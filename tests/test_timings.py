"""Honest timings: one time per exercise, the same in the lesson, the exercise and TRAINERS.md.

Each assignment's exercise states ``**Exercise time:** Part A about X min · Part B about Y min
(optional) · reflection about Z min``; lesson NN says the same line, and TRAINERS.md's timings table
has the same three numbers. A test feeds the checker a lesson with another number to show it notices.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from trustcircles.grading import list_assignments

ROOT = Path(__file__).resolve().parent.parent
LINE = re.compile(r"\*\*Exercise time:\*\* Part A about (\d+) min · Part B about (\d+) min \(optional\) "
                  r"· reflection about (\d+) min")
ROW = re.compile(r"^\| (\d\d_[a-z0-9_]+) \| (\d+) min \| (\d+) min \| (\d+) min \|$", re.M)


def markdown(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def times(text: str) -> set[tuple[int, int, int]]:
    return {tuple(map(int, m)) for m in LINE.findall(text)}


def problems(assignment: str, lesson_text: str, exercise_text: str, trainers_text: str) -> list[str]:
    found = []
    in_exercise, in_lesson = times(exercise_text), times(lesson_text)
    table = {m[0]: tuple(map(int, m[1:])) for m in ROW.findall(trainers_text)}
    if len(in_exercise) != 1:
        found.append(f"{assignment}: the exercise states {len(in_exercise)} different times")
    if in_lesson != in_exercise:
        found.append(f"{assignment}: the lesson says {sorted(in_lesson)}, the exercise {sorted(in_exercise)}")
    if {table.get(assignment)} != in_exercise:
        found.append(f"{assignment}: TRAINERS.md says {table.get(assignment)}, the exercise {sorted(in_exercise)}")
    return found


def texts(assignment: str) -> tuple[str, str, str]:
    lesson = next((ROOT / "lessons").glob(f"{assignment[:2]}_*.ipynb"))
    exercise = ROOT / "exercises" / assignment / f"{assignment}.ipynb"
    return markdown(lesson), markdown(exercise), (ROOT / "TRAINERS.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("assignment", list_assignments())
def test_one_time_per_exercise_everywhere(assignment):
    assert problems(assignment, *texts(assignment)) == []


def test_the_check_notices_a_time_that_differs():
    lesson, exercise, trainers = texts("00_welcome")
    changed = LINE.sub("**Exercise time:** Part A about 99 min · Part B about 15 min (optional) · "
                       "reflection about 5 min", lesson)
    assert any("the lesson says" in p for p in problems("00_welcome", changed, exercise, trainers))
    assert any("TRAINERS.md says" in p for p in problems("00_welcome", lesson, exercise, ""))
