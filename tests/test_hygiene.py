"""Notebook hygiene: committed notebooks carry no outputs, use the python3 kernel and open with a title."""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_FOLDERS = ("lessons", "solutions", "exercises")


def course_notebooks() -> list[Path]:
    found = []
    for folder in NOTEBOOK_FOLDERS:
        found += [p for p in (ROOT / folder).rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts]
    return sorted(found)


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_there_are_notebooks_to_check():
    assert (ROOT / "lessons" / "00_welcome.ipynb").exists()
    assert (ROOT / "lessons" / "_template.ipynb").exists()


@pytest.mark.parametrize("path", course_notebooks(), ids=relative)
def test_notebook_is_clean(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert notebook["metadata"]["kernelspec"]["name"] == "python3", "kernel must be python3"
    cells = notebook["cells"]
    first = cells[0]
    assert first["cell_type"] == "markdown" and "".join(first["source"]).lstrip().startswith("# "), \
        "the first cell is a markdown title (# ...)"
    for cell in cells:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"outputs left in a cell: strip with tools/nbtools.py"
            assert cell.get("execution_count") is None, "execution counts left: strip the notebook"


@pytest.mark.parametrize("path", course_notebooks(), ids=relative)
def test_notebook_uses_no_relative_data_paths(path):
    """Data come through trustcircles.data: nbgrader runs notebooks from another folder."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    source = "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code")
    assert not re.search(r"""read_(csv|json|parquet)\(\s*['"]\.{0,2}/?(datasets|\.\.)""", source)
    assert "../datasets" not in source and "datasets/" not in source.replace("trustcircles", "")


def test_no_points_badges_or_leaderboards_in_learner_material():
    """The source post: points and levelling up move only the competitive. None in the course."""
    pattern = re.compile(r"leaderboard|\bbadges? (earned|unlocked|awarded)|level(led|ling)? up!|"
                         r"you (earned|scored) \d+ (points|xp)", re.I)
    files = course_notebooks() + sorted((ROOT / "trustcircles").rglob("*.py"))
    offenders = [relative(p) for p in files if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_no_machine_paths_in_tracked_files():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    # built from pieces so that this file does not match itself
    pattern = re.compile("/" + "work/|/" + r"root/|/home/\w+/")
    offenders = []
    for name in tracked:
        path = ROOT / name
        if path.suffix in {".gz", ".png", ".zip", ".mbox"} or not path.is_file():
            continue
        try:
            if pattern.search(path.read_text(encoding="utf-8")):
                offenders.append(name)
        except UnicodeDecodeError:
            continue
    assert offenders == []
