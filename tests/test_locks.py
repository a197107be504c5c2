"""Both locks install on the Pythons people have: Debian 12's 3.11.2 (also a Chromebook's Linux and
the Python a workshop server's hub runs on) and the newest the README names.

pip resolves the committed locks from wheels only (`pip install --dry-run --only-binary=:all:`), by
the distribution's 3.11.2 interpreter where this machine has one (pip judges environment markers by
the interpreter it runs on) and with `--python-version` for the newest. Needs the package index.
"""
from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))
import bootstrap  # noqa: E402
import lock as locking  # noqa: E402  (tools/lock.py)

pytestmark = pytest.mark.slow
FLOOR, NEWEST = locking.FLOOR_PYTHON, locking.NEWEST_PYTHON


def test_the_readme_names_the_pythons_the_locks_are_checked_on():
    readme = (ROOT / "README.md").read_text()
    assert f"Python {bootstrap.version_text(bootstrap.MIN_PYTHON)} to {NEWEST}" in readme
    assert FLOOR in readme


def test_both_locks_install_on_the_floor_and_the_newest_python():
    floor_here = locking.floor_interpreter() is not None
    pythons = (NEWEST, FLOOR) if floor_here else (NEWEST,)
    problems = locking.check_all(pythons)
    assert problems == {python: [] for python in pythons}
    if not floor_here:
        pytest.skip(f"Python {NEWEST} checked; no Python {FLOOR} interpreter here (Debian 12's "
                    f"/usr/bin/python3 is one), so the floor was not checked")


# Locks that must fail, each a few packages so that pip answers in seconds:
# (Python, learner's lock, test lock beyond `-r requirements.lock`, what the problem must say).
BROKEN = {
    "a pin that needs a newer 3.11": (FLOOR, ["soupsieve==4.1.2"], [], "soupsieve"),
    "a yanked pin": (FLOOR, ["soupsieve==3.0.1"], [], "yanked"),
    "a pin with no wheel for the newest": (NEWEST, ["numpy==1.26.4"], [], "numpy"),
    "a learner's package needing one only the tests have": (
        FLOOR, ["beautifulsoup4==4.15.0", "typing_extensions==4.16.0"], ["soupsieve==2.10"],
        "beautifulsoup4 (requirements.lock) needs soupsieve, which only a lock above it pins"),
    "a dependency no lock pins": (
        FLOOR, ["beautifulsoup4==4.15.0", "typing_extensions==4.16.0"], [], "would also install soupsieve"),
}


@pytest.fixture(scope="module")
def broken_results(tmp_path_factory):
    def check(case):
        python, runtime, tests, _ = BROKEN[case]
        folder = tmp_path_factory.mktemp("lock")
        (folder / "requirements.lock").write_text("\n".join(runtime) + "\n")
        (folder / "requirements-nodeps.lock").write_text("")
        (folder / "requirements-test.lock").write_text("\n".join(["-r requirements.lock", *tests]) + "\n")
        return locking.check_locks(python, (folder / "requirements.lock", folder / "requirements-test.lock"),
                                   folder / "requirements-nodeps.lock")
    with ThreadPoolExecutor(len(BROKEN)) as pool:
        return dict(zip(BROKEN, pool.map(check, BROKEN)))


@pytest.mark.parametrize("case", list(BROKEN))
def test_the_check_fails_on(broken_results, case):
    expected = BROKEN[case][3]
    problems = broken_results[case]
    assert any(expected in problem for problem in problems), problems
