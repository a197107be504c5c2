"""The committed exercises/ are exactly what nbgrader generates from solutions/ (never edited by hand)."""
import json
from pathlib import Path

import pytest

from trustcircles.grading import EXERCISES, SOLUTIONS, generate_release, list_assignments

ASSIGNMENTS = list_assignments()


def test_there_is_at_least_the_practice_assignment():
    assert "00_welcome" in ASSIGNMENTS


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    out = tmp_path_factory.mktemp("release")
    return {name: generate_release(name, out) for name in ASSIGNMENTS}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_committed_exercises_match_a_fresh_generation(fresh, assignment):
    generated = fresh[assignment]
    committed = EXERCISES / assignment
    assert committed.is_dir(), f"exercises/{assignment}/ is missing: run `python -m trustcircles exercises`"
    names = sorted(p.relative_to(generated).as_posix() for p in generated.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(committed).as_posix() for p in committed.rglob("*") if p.is_file())
    for name in names:
        new, old = generated / name, committed / name
        if name.endswith(".ipynb"):
            assert json.loads(new.read_text()) == json.loads(old.read_text()), (
                f"exercises/{assignment}/{name} differs from solutions/: run `python -m trustcircles exercises`")
            assert new.read_bytes() == old.read_bytes(), "same notebook, different bytes: regenerate"
        else:
            assert new.read_bytes() == old.read_bytes()


def test_generation_leaves_no_gradebook_in_the_repository():
    repo = SOLUTIONS.parent
    assert not (repo / "gradebook.db").exists()
    assert not list(EXERCISES.glob(".exercises-*"))
