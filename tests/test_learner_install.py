"""A learner's install has no nbgrader (it is the trainer's) and no scipy (networkx-temporal comes
without it): every exercise, with its instant checks, must run without them.

The solution notebooks run here in a kernel where importing nbgrader, SQLAlchemy, alembic or scipy
fails (an IPython start-up file blocks them), so a check that needed one would fail here even though
`make test` has the trainer's tools installed. The lessons run without scipy in every `make test`
(nothing of the three locks installs it); benchmarks/bench_install.py --after-use runs every lesson
and solution in a real learner's install.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
NOT_A_LEARNERS = ("nbgrader", "sqlalchemy", "alembic", "scipy")
BLOCK = f'''
import importlib.abc, sys
class NotInALearnersInstall(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {NOT_A_LEARNERS!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}} (not in a learner's install)")
sys.meta_path.insert(0, NotInALearnersInstall())
'''
SOLUTIONS = sorted(ROOT.glob("solutions/*/*.ipynb"))


@pytest.fixture()
def learners_kernel(tmp_path, monkeypatch):
    startup = tmp_path / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-learners-install.py").write_text(BLOCK)
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    return tmp_path


def run(notebook, folder: Path) -> None:
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()


@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.parent.name for p in SOLUTIONS])
def test_the_exercise_runs_without_the_trainers_tools_or_scipy(learners_kernel, path):
    run(nbformat.read(path, as_version=4), learners_kernel)


def test_the_block_works(learners_kernel):
    """The guard itself: with it, importing nbgrader in a notebook fails."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import nbgrader")])
    with pytest.raises(CellExecutionError, match="not in a learner's install"):
        run(notebook, learners_kernel)
