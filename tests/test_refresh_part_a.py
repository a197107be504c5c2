"""tools/refresh_part_a.py: Part A's literals in solutions/ follow the data.

After `make datasets` the numbers behind Part A can move; the tool rewrites each source's
``answer_aN = ...`` line to what the checks compute. Here: a stale literal is rewritten and is then
"Correct", nothing else in the notebook changes, the committed sources are all current (so every
Part A literal of every source is "Correct"), and a missing answer line is named.
"""
from __future__ import annotations

import ast
import contextlib
import importlib.util
import io
import json
import shutil
from pathlib import Path

import pytest

from trustcircles.checks import exercise, modes
from trustcircles.grading import list_assignments

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("refresh_part_a", ROOT / "tools" / "refresh_part_a.py")
refresh_part_a = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(refresh_part_a)


@pytest.fixture(autouse=True)
def learner_kernel(monkeypatch):
    monkeypatch.delenv(modes.GRADING_ENV, raising=False)


def literals(nb: dict) -> dict[str, object]:
    """answer_aN -> its literal, from each aN_answer cell of a source notebook."""
    out = {}
    for cell in nb["cells"]:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        if gid.startswith("a") and gid.endswith("_answer"):
            name = gid[: -len("_answer")]
            line = next(l for l in "".join(cell["source"]).splitlines() if l.startswith(f"answer_{name}"))
            out[name] = ast.literal_eval(line.split("=", 1)[1].strip())
    return out


def verdict(question, answer) -> str:
    said = io.StringIO()
    with contextlib.redirect_stdout(said):
        question.check(answer)
    return said.getvalue()


def test_a_stale_literal_is_rewritten_and_then_correct(tmp_path):
    shutil.copytree(ROOT / "solutions" / "00_welcome", tmp_path / "00_welcome")
    path = tmp_path / "00_welcome" / "00_welcome.ipynb"
    original = path.read_text(encoding="utf-8")
    right = literals(json.loads(original))
    stale = original.replace(f'"answer_a1 = {right["a1"]}\\n"', '"answer_a1 = 3\\n"').replace(
        f'"answer_a2 = \\"{right["a2"]}\\"\\n"', '"answer_a2 = \\"A\\"\\n"' if right["a2"] != "A"
        else '"answer_a2 = \\"B\\"\\n"')
    assert stale != original
    path.write_text(stale, encoding="utf-8")
    ex = exercise("00_welcome")
    assert verdict(ex.a1, 3).startswith("Not yet")

    report = refresh_part_a.refresh(["00_welcome"], solutions=tmp_path, release=False)
    assert {name for name, _old, _new in report["00_welcome"]} == {"a1", "a2"}
    refreshed = path.read_text(encoding="utf-8")
    assert refreshed == original                   # every other byte as it was
    for name, value in literals(json.loads(refreshed)).items():
        assert verdict(getattr(ex, name), value).startswith(f"Correct ({name})")
    # a second run finds nothing to do
    assert refresh_part_a.refresh(["00_welcome"], solutions=tmp_path, release=False) == {"00_welcome": []}


@pytest.mark.parametrize("assignment", list_assignments())
def test_the_committed_sources_are_current_so_every_literal_is_correct(assignment):
    report = refresh_part_a.refresh([assignment], write=False)
    assert report[assignment] == [], (f"run tools/refresh_part_a.py after `make datasets`: "
                                      f"{report[assignment]}")
    nb = json.loads((ROOT / "solutions" / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8"))
    ex = exercise(assignment)
    for name, value in literals(nb).items():
        assert verdict(getattr(ex, name), value).startswith(f"Correct ({name})"), (assignment, name)


def test_the_check_mode_fails_on_a_stale_literal_and_changes_nothing(tmp_path, capsys):
    shutil.copytree(ROOT / "solutions" / "00_welcome", tmp_path / "00_welcome")
    path = tmp_path / "00_welcome" / "00_welcome.ipynb"
    right = literals(json.loads(path.read_text(encoding="utf-8")))
    stale = path.read_text(encoding="utf-8").replace(f'"answer_a1 = {right["a1"]}\\n"', '"answer_a1 = 3\\n"')
    path.write_text(stale, encoding="utf-8")
    assert refresh_part_a.main(["--check", "--solutions", str(tmp_path), "00_welcome"]) == 1
    assert "00_welcome a1: answer_a1 = 3  ->  answer_a1 = " in capsys.readouterr().out
    assert path.read_text(encoding="utf-8") == stale


def test_a_missing_answer_line_is_named():
    nb = {"cells": [{"cell_type": "code", "metadata": {"nbgrader": {"grade_id": "a1_answer"}},
                     "source": ["### BEGIN SOLUTION\n", "x = 1\n", "### END SOLUTION"]}]}
    with pytest.raises(ValueError, match="a1: no line `answer_a1 = ...`"):
        refresh_part_a.refresh_notebook(nb, {"a1": exercise("00_welcome").a1})
    with pytest.raises(ValueError, match="no cell with grade_id a2_answer"):
        refresh_part_a.refresh_notebook(nb, {"a2": exercise("00_welcome").a2})
