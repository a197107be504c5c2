#!/usr/bin/env python3
"""Set up and run the course with nothing but Python 3.11+ (standard library only).

    python bootstrap.py lab              create .venv, install a learner's packages, open JupyterLab on lesson 00
    python bootstrap.py lab --trainer    the trainer's lab: also nbgrader's tools and solutions/ (lab/trainer.py)
    python bootstrap.py test             the same set-up plus the trainer's and test tools, then every test
    python bootstrap.py setup            only a learner's set-up (`--trainer`: also grading; `--tests`: all)
    python bootstrap.py run [--trainer] CMD   run a command inside .venv (e.g. "run python -m trustcircles --help")
    sudo python3 bootstrap.py hub --roster roster.txt   set up a workshop's JupyterHub and run it (TRAINERS.md)

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
HUB_LOCK = ROOT / "requirements-hub.lock"  # a workshop's JupyterHub (`make hub`), on top of the trainer's
TEST_LOCK = ROOT / "requirements-test.lock"  # the test tools, on top of the hub's, by `test`
# The kinds of install, each on top of the one before: its lock files and its stamp (the
# fingerprint of what was installed last time).
KINDS = ("learner", "trainer", "hub", "tests")
KIND_LOCKS = {"learner": (LOCK, NODEPS_LOCK), "trainer": (TRAINER_LOCK,), "hub": (HUB_LOCK,),
              "tests": (TEST_LOCK,)}
STAMP_NAMES = {"learner": ".course-installed", "trainer": ".course-trainer-installed",
               "hub": ".course-hub-installed", "tests": ".course-tests-installed"}
STAMP = VENV / STAMP_NAMES["learner"]
TRAINER_STAMP = VENV / STAMP_NAMES["trainer"]
HUB_STAMP = VENV / STAMP_NAMES["hub"]
TEST_STAMP = VENV / STAMP_NAMES["tests"]
KIND_STAMPS = {"learner": STAMP, "trainer": TRAINER_STAMP, "hub": HUB_STAMP, "tests": TEST_STAMP}
FIRST_LESSON = "lessons/00_welcome.ipynb"
MIN_PYTHON = (3, 11)
# The newest Python for which every pinned package has a ready-made build (tools/lock.py checks it).
NEWEST_PYTHON = (3, 14)


def venv_python(venv_dir: "Path | None" = None) -> Path:
    venv_dir = venv_dir or VENV
    if os.name == "nt":
        return venv_dir / "Scripts" / "python.exe"
    return venv_dir / "bin" / "python"


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


def setup(kind: str = "learner", venv_dir: "Path | None" = None, source: "Path | None" = None) -> Path:
    """Create .venv and install the locked packages and the course package (editable), once.

    ``kind`` "trainer" adds nbgrader and what grading needs, "hub" also JupyterHub, "tests" also the
    test tools; a learner gets none of them. Each kind is installed at most once for the same locks
    (its stamp says so). ``venv_dir`` and ``source`` (where the editable package is installed from)
    default to this checkout's .venv and folder; a hub installs into its own system-wide ones.
    """
    problem = python_problem()
    if problem:
        sys.exit(problem)
    venv_dir, source = venv_dir or VENV, source or ROOT
    python = venv_python(venv_dir)
    if not python.exists():
        say(f"creating the virtual environment in {venv_dir.name}/ ...")
        try:
            venv.EnvBuilder(with_pip=True, clear=True).create(venv_dir)
        except (subprocess.CalledProcessError, OSError) as error:
            shutil.rmtree(venv_dir, ignore_errors=True)  # no half-made .venv for the next run to trust
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
            pip + ["--no-deps", "-e", str(source)],
        ]),
        "trainer": ("the trainer's tools (nbgrader)", [pip + binary + ["-r", str(TRAINER_LOCK)]]),
        "hub": ("JupyterHub and its idle culler", [pip + binary + ["-r", str(HUB_LOCK)]]),
        "tests": ("the test tools", [pip + binary + ["-r", str(TEST_LOCK)]]),
    }
    for each in KINDS[:KINDS.index(kind) + 1]:
        fingerprint = install_fingerprint(each) + ("" if source == ROOT else f" {source}")
        stamp = venv_dir / STAMP_NAMES[each]
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
    install_course_kernel(python, venv_dir)
    return python


def install_course_kernel(python: Path, venv_dir: Path) -> None:
    """Make the course's kernel (trustcircles/kernel.py: ipykernel without its debugger, 7-8 MiB less
    in every kernel) the environment's `python3`, the kernel every notebook names. Checked on every
    set-up: reinstalling ipykernel brings its own kernelspec back."""
    spec = venv_dir / "share" / "jupyter" / "kernels" / "python3" / "kernel.json"
    if spec.is_file() and '"trustcircles.kernel"' in spec.read_text(encoding="utf-8"):
        return
    _install([[str(python), "-m", "trustcircles.kernel", "install", str(venv_dir)]])


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


def readable_by_everyone(path: Path) -> bool:
    """Can any account read and run this file (every folder above it open to others)?"""
    path = Path(path).resolve()
    if not path.exists() or not os.stat(path).st_mode & 0o005:
        return False
    return all(os.stat(parent).st_mode & 0o001 for parent in path.parents)


def hub_python() -> "str | None":
    """A Python 3.11+ that every learner's server can run: this one, else the distribution's."""
    candidates = [sys.executable, "/usr/bin/python3", "/usr/bin/python3.11", "/usr/local/bin/python3"]
    for candidate in candidates:
        if not candidate or not os.path.exists(candidate) or not readable_by_everyone(candidate):
            continue
        if candidate == sys.executable:
            version, base = tuple(sys.version_info[:2]), sys.base_prefix
        else:
            answer = subprocess.run([candidate, "-c", "import sys; print(sys.version_info[0], "
                                     "sys.version_info[1]); print(sys.base_prefix)"],
                                    capture_output=True, text=True)
            if answer.returncode != 0:
                continue
            first, base = answer.stdout.splitlines()[:2]
            version = tuple(int(part) for part in first.split())
        if version >= MIN_PYTHON and readable_by_everyone(Path(base) / "lib"):
            return candidate
    return None


def hub(extra: "list[str]") -> int:
    """`sudo make hub ROSTER=roster.txt`: set up a workshop's JupyterHub, then run it (TRAINERS.md)."""
    import argparse

    parser = argparse.ArgumentParser(prog="sudo python3 bootstrap.py hub", description=hub.__doc__)
    parser.add_argument("--roster", metavar="FILE", help="the learners' account names, one a line")
    parser.add_argument("--port", type=int, default=8000, help="the port learners open (default 8000)")
    parser.add_argument("--ip", default="", help="the address to listen on (default: all)")
    parser.add_argument("--trainer", default="trainer", help="the trainer's account (default: trainer)")
    parser.add_argument("--auth", choices=("accounts", "shared"), default=None,
                        help="accounts: each learner their own password (default); shared: one workshop "
                             "password (anyone who has it can log in as any learner)")
    parser.add_argument("--password-file", metavar="FILE", help="the shared workshop password (implies --auth shared)")
    parser.add_argument("--memory", default=None, help="memory per learner (default 1.5G)")
    parser.add_argument("--cpus", type=float, default=None, help="CPU cores per learner (default 1)")
    parser.add_argument("--idle-minutes", type=int, default=None, help="stop a server idle this long (default 60)")
    parser.add_argument("--tls-cert", metavar="FILE", help="a TLS certificate (with --tls-key): the hub speaks https")
    parser.add_argument("--tls-key", metavar="FILE")
    parser.add_argument("--prefix", default="/opt/online-in-person", help="where everything goes")
    parser.add_argument("--background", action="store_true", help="start the hub and return (its log in PREFIX/hub/)")
    parser.add_argument("--stop", action="store_true", help="stop the running hub")
    parser.add_argument("--teardown", action="store_true", help="stop the hub and remove what the set-up made")
    args = parser.parse_args(extra)
    if os.name == "nt" or not sys.platform.startswith("linux"):
        sys.exit("A workshop hub runs on a Linux server.")
    python = hub_python()
    if python is None:
        sys.exit("Every learner's server must be able to run the hub's Python, and this one is in a folder "
                 "others cannot read (e.g. under /root). Install the distribution's Python "
                 "(`sudo apt install python3 python3-venv`) and run `sudo python3 bootstrap.py hub ...` again.")
    if os.path.realpath(python) != os.path.realpath(sys.executable):
        say(f"using {python} (every account can run it), not {sys.executable}")
        os.execv(python, [python, str(Path(__file__).resolve()), "hub", *extra])
    sys.path.insert(0, str(ROOT))
    from trustcircles.hub import settings as hub_settings
    from trustcircles.hub import system

    prefix = Path(args.prefix).resolve()
    try:
        if args.teardown or args.stop:
            try:
                current = hub_settings.load(prefix)
            except hub_settings.HubError:
                manifest = system.Manifest(prefix)
                if not manifest.entries:
                    say(f"nothing to remove: no hub at {prefix}")
                    return 0
                current = hub_settings.HubSettings(str(prefix), args.trainer, [])
            if args.stop:
                system.stop(current)
                say("the hub is stopped.")
                return 0
            problems = system.teardown(current)
            for problem in problems:
                say(f"could not remove: {problem}")
            say("removed what the set-up had made." if not problems else "teardown finished with problems.")
            return 1 if problems else 0
        if not args.roster:
            parser.error("--roster FILE is needed (the learners' account names, one a line)")
        try:
            previous = hub_settings.load(prefix)
        except hub_settings.HubError:
            previous = None
        auth = args.auth or ("shared" if args.password_file else (previous.auth if previous else "accounts"))
        if (args.tls_cert is None) != (args.tls_key is None):
            parser.error("--tls-cert and --tls-key go together")
        settings = hub_settings.HubSettings(
            str(prefix), args.trainer, hub_settings.read_roster(Path(args.roster)), port=args.port, ip=args.ip,
            auth=auth, memory=args.memory or hub_settings.DEFAULT_MEMORY,
            cpus=args.cpus or hub_settings.DEFAULT_CPUS,
            idle_minutes=args.idle_minutes or hub_settings.DEFAULT_IDLE_MINUTES,
            tls_cert=str(Path(args.tls_cert).resolve()) if args.tls_cert else "",
            tls_key=str(Path(args.tls_key).resolve()) if args.tls_key else "")
        passwords = system.up(ROOT, settings, lambda venv_dir, source: setup("hub", venv_dir, source),
                              Path(args.password_file) if args.password_file else None)
        process = system.start(settings, background=args.background)
    except hub_settings.HubError as error:
        sys.exit(f"[hub] {error}")
    say(f"the hub is up: {settings.url}")
    if settings.auth == "shared":
        say("learners log in with their account name (the roster's) and the workshop password: "
            f"{passwords['(every learner)']}; the trainer {settings.trainer} with: {passwords[settings.trainer]}")
        say("(anyone with the workshop password can log in as any learner: for a short workshop only)")
    else:
        say(f"each person logs in with their account name and their own password; hand out the lines of "
            f"{settings.state / 'passwords'} (root only), one slip each:")
        for name, password in passwords.items():
            print(f"    {name:<20} {password}")
    say(f"the trainer's commands, as {settings.trainer}: `trustcircles hub release 00_welcome`, "
        "then `trustcircles hub grade 00_welcome` (TRAINERS.md, \"Scaling out\")")
    if args.background:
        say(f"running in the background (process {process.pid}); stop: `sudo python3 bootstrap.py hub --stop "
            f"--prefix {prefix}`, remove everything: `--teardown`")
        return 0
    say("Ctrl+C stops the hub (every learner's server with it).")
    try:
        return process.wait()
    except KeyboardInterrupt:
        system.stop(settings)
        return 0


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
    if action == "hub":
        return hub(extra)
    print(f"Unknown action {action!r}.\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
