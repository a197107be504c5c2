#!/usr/bin/env python3
"""Set up and run the course with nothing but Python 3.11+ (standard library only).

    python bootstrap.py lab      create .venv, install the pinned packages, open JupyterLab on lesson 00
    python bootstrap.py test     the same set-up, then the whole test suite
    python bootstrap.py setup    only the set-up
    python bootstrap.py run CMD  run a command inside .venv (e.g. "run python -m trustcircles --help")

The Makefile calls this script, so `make lab` and `python bootstrap.py lab` do the same thing
(Windows users without make use the second form). The set-up is idempotent: when requirements.lock
and pyproject.toml have not changed since the last install it takes well under a second.
"""
from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".course-installed"
FIRST_LESSON = "lessons/00_welcome.ipynb"
MIN_PYTHON = (3, 11)


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def say(message: str) -> None:
    print(f"[course] {message}", flush=True)


def install_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in (LOCK, ROOT / "pyproject.toml"):
        digest.update(path.read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def setup() -> Path:
    """Create .venv and install the locked packages and the course package (editable), once."""
    if sys.version_info < MIN_PYTHON:
        sys.exit(f"The course needs Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]} or newer; this is "
                 f"{sys.version.split()[0]}. Install a newer Python and run this command with it.")
    python = venv_python()
    if not python.exists():
        say(f"creating the virtual environment in {VENV.name}/ ...")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    fingerprint = install_fingerprint()
    if STAMP.exists() and STAMP.read_text() == fingerprint:
        return python
    say("installing the pinned packages (first time: a few minutes) ...")
    pip = [str(python), "-m", "pip", "--disable-pip-version-check"]
    steps = [
        pip + ["install", "--quiet", "-r", str(LOCK)],
        pip + ["install", "--quiet", "--no-deps", "--no-build-isolation", "-e", str(ROOT)],
    ]
    for step in steps:
        if subprocess.call(step, cwd=ROOT) != 0:
            sys.exit("The installation failed (see the messages above). Check your internet connection "
                     "and run the same command again; it picks up where it stopped.")
    STAMP.write_text(fingerprint)
    say("packages installed.")
    return python


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def lab_command(python: Path, port: int | None = None, token: str | None = None,
                open_browser: bool = True) -> list[str]:
    """The JupyterLab command line that `make lab` runs (the tests start exactly this)."""
    command = [str(python), "-m", "jupyterlab", f"--ServerApp.root_dir={ROOT}",
               f"--port={port or 8888}"]
    if token is not None:
        command.append(f"--IdentityProvider.token={token}")
    if not open_browser:
        command.append("--no-browser")
    # Running a server as root is refused unless asked for explicitly; ask only when we are root.
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    command.append(f"--LabApp.default_url=/lab/tree/{FIRST_LESSON}")
    return command


def lab(extra: list[str]) -> int:
    python = setup()
    open_browser = "--no-browser" not in extra
    extra = [arg for arg in extra if arg != "--no-browser"]
    command = lab_command(python, port=free_port(), open_browser=open_browser) + extra
    say("starting JupyterLab; open the http://127.0.0.1:... URL printed below "
        "(the one with ?token=). Stop it with Ctrl+C.")
    try:
        return subprocess.call(command, cwd=ROOT)
    except KeyboardInterrupt:
        return 0


def test(extra: list[str]) -> int:
    """The whole suite: everything in parallel, then the browser test on a quiet machine.

    The browser test drives JupyterLab in Chromium; front-ends that draw while other notebooks
    compete for the same cores make it slow and flaky, so it runs on its own, after the rest.
    Arguments (e.g. a test path or -k) run one pytest with them instead.
    """
    python = setup()
    pytest = [str(python), "-m", "pytest"]
    if extra:
        say("running: pytest " + " ".join(extra))
        return subprocess.call(pytest + extra, cwd=ROOT)
    say("running the test suite (all but the browser test, in parallel) ...")
    first = subprocess.call(pytest + ["-m", "not browser"], cwd=ROOT)
    say("running the browser test (JupyterLab in Chromium) ...")
    second = subprocess.call(pytest + ["-n", "0", "-m", "browser", "tests/test_browser.py"], cwd=ROOT)
    if first or second:
        say(f"FAILED: suite exit {first}, browser test exit {second}")
    return first or second


def run(extra: list[str]) -> int:
    python = setup()
    if not extra:
        sys.exit("usage: python bootstrap.py run COMMAND [ARGS...]")
    if extra[0] == "python":
        extra[0] = str(python)
    env = dict(os.environ)
    bindir = str(python.parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    return subprocess.call(extra, cwd=ROOT, env=env)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__)
        return 0
    action, extra = argv[0], argv[1:]
    if action == "setup":
        setup()
        return 0
    if action == "lab":
        return lab(extra)
    if action == "test":
        return test(extra)
    if action == "run":
        return run(extra)
    print(f"Unknown action {action!r}.\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
