"""The set-up: the lock, environment.yml, the Makefile and bootstrap.py agree with each other."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import bootstrap  # noqa: E402


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[canonical(name)] = version
    return pins


def environment_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "environment.yml").read_text().splitlines():
        match = re.match(r"\s*-\s*([A-Za-z0-9_.\-]+)\s*(==|=)\s*([0-9][^\s#]*)", line)
        if match:
            pins[canonical(match.group(1))] = match.group(3)
    return pins


def test_every_lock_line_is_an_exact_pin():
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            assert re.fullmatch(r"[A-Za-z0-9_.\-]+==[0-9][0-9A-Za-z.\-+]*", line), line


def test_environment_yml_agrees_with_the_lock():
    lock, env = lock_pins(), environment_pins()
    assert env, "environment.yml pins nothing"
    for name, version in env.items():
        assert name in lock, f"{name} is in environment.yml but not in requirements.lock"
        assert lock[name] == version, f"{name}: environment.yml {version} != lock {lock[name]}"
    direct = []
    for line in (ROOT / "requirements.in").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            direct.append(canonical(re.split(r"[<>=!~ ]", line)[0]))
    missing = [name for name in direct if name not in env]
    assert missing == [], f"direct dependencies missing from environment.yml: {missing}"


def test_required_versions_are_pinned():
    lock = lock_pins()
    assert lock["jupyterlab"].startswith("4.6.")
    assert lock["ipywidgets"].startswith("8.1.")
    assert lock["nbgrader"] == "0.9.6"
    assert lock["pandas"].startswith("3.")
    assert tuple(map(int, lock["sqlalchemy"].split(".")[:2])) < (2, 1)
    for name in ("plotly", "nbmake", "anywidget", "pytest-xdist", "networkx", "tqdm"):
        assert name in lock


def test_installed_versions_match_the_lock():
    """The environment the tests run in is the locked one (catches a stale .venv)."""
    from importlib.metadata import version

    lock = lock_pins()
    for name in ("pandas", "jupyterlab", "nbgrader", "ipywidgets", "plotly", "networkx"):
        assert version(name) == lock[name], name


def test_setup_is_idempotent_and_fast_when_nothing_changed():
    """A second set-up with an unchanged lock does not reinstall (it only compares a fingerprint)."""
    result = subprocess.run([sys.executable, str(ROOT / "bootstrap.py"), "setup"], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "installing" not in result.stdout
    assert bootstrap.STAMP.read_text() == bootstrap.install_fingerprint()


def test_makefile_and_ci_use_the_bootstrap():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^lab:\n\t\$\(BOOT\) lab$", makefile, re.M)
    assert re.search(r"^test:\n\t\$\(BOOT\) test$", makefile, re.M)
    ci = (ROOT / ".ci" / "run").read_text()
    assert ci.rstrip().endswith("make test")
    readme = (ROOT / "README.md").read_text()
    assert "make lab" in readme and "make test" in readme
    assert "python bootstrap.py lab" in readme


def test_lab_command_adds_allow_root_only_for_root(monkeypatch):
    monkeypatch.setattr(bootstrap.os, "geteuid", lambda: 0, raising=False)
    assert "--allow-root" in bootstrap.lab_command(Path("python"), port=1)
    monkeypatch.setattr(bootstrap.os, "geteuid", lambda: 1000, raising=False)
    command = bootstrap.lab_command(Path("python"), port=1)
    assert "--allow-root" not in command
    assert any(arg.endswith("/lab/tree/lessons/00_welcome.ipynb") for arg in command)
