#!/usr/bin/env python3
"""Set up and run the course with nothing but Python 3.11+ (standard library only).

    python bootstrap.py lab              create .venv, install a learner's packages, open JupyterLab on lesson 00
    python bootstrap.py lab --trainer    the trainer's lab: also nbgrader's tools and solutions/ (lab/trainer.py)
    python bootstrap.py test             the same set-up plus the trainer's and test tools, then every test
    python bootstrap.py setup            only a learner's set-up (`--trainer`: also grading; `--tests`: all)
    python bootstrap.py run [--trainer] CMD   run a command inside .venv (e.g. "run python -m trustcircles --help")

The Makefile calls this script, so `make lab` and `python bootstrap.py lab` do the same thing
(Windows users without make use the second form). A learner's install is requirements.lock plus
requirements-nodeps.lock (packages installed without their dependencies); a trainer's adds
requirements-trainer.lock (nbgrader, for grading and `make exercises`), the tests add
requirements-test.lock on top. The set-up is idempotent: when those files and pyproject.toml have not
changed since the last install it takes well under a second.
"""
# No `from __future__ import annotations` and no annotation evaluated at import time that needs a new
# Python: an old Python (3.6 to 3.10) must get the message saying what to install, not a SyntaxError.
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"  # every package of a learner's install, pinned
NODEPS_LOCK = ROOT / "requirements-nodeps.lock"  # pinned packages installed without their dependencies
TRAINER_LOCK = ROOT / "requirements-trainer.lock"  # grading and `make exercises` (nbgrader), on top
TEST_LOCK = ROOT / "requirements-test.lock"  # the test tools, on top of the trainer's, by `test`
# The kinds of install, each on top of the one before: its lock files and its stamp (the
# fingerprint of what was installed last time).
KINDS = ("learner", "trainer", "tests")
KIND_LOCKS = {"learner": (LOCK, NODEPS_LOCK), "trainer": (TRAINER_LOCK,), "tests": (TEST_LOCK,)}
STAMP = VENV / ".course-installed"
TRAINER_STAMP = VENV / ".course-trainer-installed"
TEST_STAMP = VENV / ".course-tests-installed"
KIND_STAMPS = {"learner": STAMP, "trainer": TRAINER_STAMP, "tests": TEST_STAMP}
FIRST_LESSON = "lessons/00_welcome.ipynb"
MIN_PYTHON = (3, 11)
# The newest Python for which every pinned package has a ready-made build (tools/lock.py checks it).
NEWEST_PYTHON = (3, 14)


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def say(message: str) -> None:
    print(f"[course] {message}", flush=True)


def version_text(version: tuple) -> str:
    return ".".join(str(part) for part in version)


def python_problem(version: tuple = tuple(sys.version_info[:3])) -> "str | None":
    """Why this Python cannot run the course (None when it can), with the fix."""
    if tuple(version[:2]) >= MIN_PYTHON:
        return None
    newest = version_text(NEWEST_PYTHON)
    return (f"The course needs Python {version_text(MIN_PYTHON)} or newer; this is Python "
            f"{version_text(version)}. Install Python {newest} from python.org/downloads (on Linux your "
            f"package manager's python3.11 or newer also does), then run this command with it, e.g. "
            f"`python{newest} bootstrap.py lab` (Windows: `py -{newest} bootstrap.py lab`).")


def newer_than_tested(version: tuple = tuple(sys.version_info[:3])) -> bool:
    return tuple(version[:2]) > NEWEST_PYTHON


def install_fingerprint(kind: str = "learner") -> str:
    """What an install of this kind depends on: its locks and those below it, pyproject.toml, this Python."""
    digest = hashlib.sha256()
    digest.update((ROOT / "pyproject.toml").read_bytes())
    for below in KINDS[:KINDS.index(kind) + 1]:
        for path in KIND_LOCKS[below]:
            digest.update(path.read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def _install(steps: "list[list[str]]") -> None:
    for step in steps:
        if subprocess.call(step, cwd=ROOT) != 0:
            hint = ""
            if newer_than_tested():
                newest = version_text(NEWEST_PYTHON)
                hint = (f" If pip found no matching distribution, Python {sys.version.split()[0]} is too "
                        f"new for some package: install Python {newest} and run the command with it "
                        f"(`python{newest} bootstrap.py ...`, on Windows `py -{newest} bootstrap.py ...`).")
            sys.exit("The installation failed (see the messages above). Check your internet connection "
                     "and run the same command again; it picks up where it stopped." + hint)


def setup(kind: str = "learner") -> Path:
    """Create .venv and install the locked packages and the course package (editable), once.

    ``kind`` "trainer" adds nbgrader and what grading needs, "tests" also the test tools; a learner
    gets neither. Each kind is installed at most once for the same locks (its stamp says so).
    """
    problem = python_problem()
    if problem:
        sys.exit(problem)
    python = venv_python()
    if not python.exists():
        say(f"creating the virtual environment in {VENV.name}/ ...")
        try:
            venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
        except (subprocess.CalledProcessError, OSError) as error:
            shutil.rmtree(VENV, ignore_errors=True)  # no half-made .venv for the next run to trust
            sys.exit(f"Could not create the virtual environment ({error}). On Debian or Ubuntu the "
                     "Python venv module is a package of its own: `sudo apt install python3-venv`, then "
                     "run the same command again.")
        # Python 3.11's venv also brings setuptools (11 MB with its bytecode). Nothing a learner runs
        # needs it (3.12's venv has none); the package is built in pip's own isolated environment.
        subprocess.call([str(python), "-m", "pip", "uninstall", "--yes", "--quiet", "setuptools"], cwd=ROOT)
    pip = [str(python), "-m", "pip", "--disable-pip-version-check", "install", "--quiet"]
    # Pythons newer than the tested ones may lack ready-made packages: fail fast instead of compiling.
    binary = ["--only-binary=:all:"] if newer_than_tested() else []
    steps = {
        "learner": ("the pinned packages (first time: a few minutes)", [
            pip + binary + ["-r", str(LOCK)],
            pip + binary + ["--no-deps", "-r", str(NODEPS_LOCK)],
            pip + ["--no-deps", "-e", str(ROOT)],
        ]),
        "trainer": ("the trainer's tools (nbgrader)", [pip + binary + ["-r", str(TRAINER_LOCK)]]),
        "tests": ("the test tools", [pip + binary + ["-r", str(TEST_LOCK)]]),
    }
    for each in KINDS[:KINDS.index(kind) + 1]:
        fingerprint = install_fingerprint(each)
        stamp = KIND_STAMPS[each]
        if stamp.exists() and stamp.read_text() == fingerprint:
            continue
        if each == "learner" and newer_than_tested():
            say(f"Python {sys.version.split()[0]} is newer than the course has been tested with "
                f"({version_text(MIN_PYTHON)} to {version_text(NEWEST_PYTHON)}); trying anyway.")
        what, commands = steps[each]
        say(f"installing {what} ...")
        _install(commands)
        stamp.write_text(fingerprint)
        say("installed.")
    return python


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def lab_command(python: Path, port: "int | None" = None, token: "str | None" = None,
                open_browser: bool = True, trainer: bool = False) -> "list[str]":
    """The JupyterLab command line that `make lab` runs (the tests start exactly this).

    Its settings are in lab/learner.py (no instructor tools, solutions/ not listed, kernels shut
    down when their tab closes or after an idle hour); ``trainer`` uses lab/trainer.py instead,
    with nbgrader's tools and solutions/ (`make lab ROLE=trainer`)."""
    config = ROOT / "lab" / ("trainer.py" if trainer else "learner.py")
    command = [str(python), "-m", "jupyterlab", f"--config={config}", f"--ServerApp.root_dir={ROOT}",
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


def lab(extra: "list[str]") -> int:
    trainer = "--trainer" in extra
    python = setup("trainer" if trainer else "learner")
    open_browser = "--no-browser" not in extra
    extra = [arg for arg in extra if arg not in ("--no-browser", "--trainer")]
    command = lab_command(python, port=free_port(), open_browser=open_browser, trainer=trainer) + extra
    say("starting JupyterLab; open the http://127.0.0.1:... URL printed below "
        "(the one with ?token=). Stop it with Ctrl+C.")
    try:
        return subprocess.call(command, cwd=ROOT)
    except KeyboardInterrupt:
        return 0


def test(extra: "list[str]") -> int:
    """The whole suite: everything in parallel, then the browser test on a quiet machine.

    The browser test drives JupyterLab in Chromium; front-ends that draw while other notebooks
    compete for the same cores make it slow and flaky, so it runs on its own, after the rest.
    Arguments (e.g. a test path or -k) run one pytest with them instead.
    """
    python = setup("tests")
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


def run(extra: "list[str]") -> int:
    kind = "learner"
    if extra[:1] == ["--trainer"]:
        kind, extra = "trainer", extra[1:]
    if not extra:
        sys.exit("usage: python bootstrap.py run [--trainer] COMMAND [ARGS...]")
    python = setup(kind)
    if extra[0] == "python":
        extra[0] = str(python)
    env = dict(os.environ)
    bindir = str(python.parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    return subprocess.call(extra, cwd=ROOT, env=env)


def main(argv: "list[str]") -> int:
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__)
        return 0
    action, extra = argv[0], argv[1:]
    if action == "setup":
        options = {(): "learner", ("--trainer",): "trainer", ("--tests",): "tests"}
        if tuple(extra) not in options:
            print(f"usage: python bootstrap.py setup [--trainer | --tests]\n{__doc__}", file=sys.stderr)
            return 2
        setup(options[tuple(extra)])
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
