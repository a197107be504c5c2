"""Pin the course's packages: the one command that writes the locks (`make lock`).

    python tools/lock.py                        re-resolve, keeping today's pins wherever they still fit
    python tools/lock.py --upgrade-package X    the same, but X may move to its newest version
    python tools/lock.py --upgrade              every package to the newest version that fits
    python tools/lock.py --check                resolve the committed locks again; change nothing

The one source of truth is four input files, one line per direct dependency with its reason:

    requirements.in          what a learner's install needs (`make lab`); lines marked [no-deps] are
                             installed without their dependencies
    requirements-trainer.in  grading and `make exercises` (nbgrader), on top
    requirements-hub.in      a workshop's JupyterHub (`make hub`), on top of the trainer's
    requirements-test.in     the test tools that `make test` and CI add on top of that

From them this script writes

    requirements.lock          every package of a learner's install, exact versions
    requirements-nodeps.lock   the [no-deps] packages (pip install --no-deps -r ...)
    requirements-trainer.lock  `-r requirements.lock` plus the trainer's packages
    requirements-hub.lock      `-r requirements-trainer.lock` plus JupyterHub and the idle culler
    requirements-test.lock     `-r requirements-hub.lock` plus the test tools
    environment.yml, binder/environment.yml   their version numbers, copied from requirements.lock

Every pin must install on the oldest Python the course supports, FLOOR_PYTHON (Debian 12's and a
Chromebook's python3), and on the newest it names (bootstrap.NEWEST_PYTHON), from ready-made wheels,
and every learner's pin must have a wheel for Windows, macOS and Linux on ARM too (PLATFORMS). So the
locks are resolved by a FLOOR_PYTHON interpreter when this machine has one (pip judges environment
markers by the interpreter it runs on), else by this one told `--python-version`, and then checked.
tests/test_locks.py runs the same checks in `make test`.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import bootstrap  # noqa: E402

RUNTIME_IN = ROOT / "requirements.in"
TRAINER_IN = ROOT / "requirements-trainer.in"
HUB_IN = ROOT / "requirements-hub.in"
TEST_IN = ROOT / "requirements-test.in"
RUNTIME_LOCK, NODEPS_LOCK = bootstrap.LOCK, bootstrap.NODEPS_LOCK
TRAINER_LOCK, HUB_LOCK, TEST_LOCK = bootstrap.TRAINER_LOCK, bootstrap.HUB_LOCK, bootstrap.TEST_LOCK
# (input, lock) of each layer, each lock on top of the one before (it starts with `-r` of it).
LAYERS = ((RUNTIME_IN, RUNTIME_LOCK), (TRAINER_IN, TRAINER_LOCK), (HUB_IN, HUB_LOCK), (TEST_IN, TEST_LOCK))
ENVIRONMENTS = (ROOT / "environment.yml", ROOT / "binder" / "environment.yml")
# Debian 12's python3 (also the Linux of Chromebooks, and the Python a workshop server's hub runs on).
FLOOR_PYTHON = "3.11.2"
NEWEST_PYTHON = bootstrap.version_text(bootstrap.NEWEST_PYTHON)
# Where a throwaway venv of the FLOOR_PYTHON interpreter is kept between runs (inside .venv/).
FLOOR_VENV = bootstrap.VENV / "floor-python"
# Interpreters that may be FLOOR_PYTHON, besides $COURSE_FLOOR_PYTHON: the distribution's own.
FLOOR_CANDIDATES = ("/usr/bin/python3", "/usr/bin/python3.11", "python3.11", "python3")
NO_DEPS_TAG = "[no-deps]"


class LockError(Exception):
    """A set of requirements that pip cannot install; the message is pip's reason."""


@dataclass(frozen=True)
class Line:
    requirement: str  # as written, without the comment
    name: str  # canonical
    no_deps: bool


def read_inputs(path: Path) -> list[Line]:
    lines = []
    for raw in path.read_text().splitlines():
        requirement, _, comment = raw.partition("#")
        requirement = requirement.strip()
        if requirement:
            name = canonicalize_name(Requirement(requirement).name)
            lines.append(Line(requirement, name, comment.strip().startswith(NO_DEPS_TAG)))
    return lines


def read_pins(path: Path) -> dict[str, tuple[str, str]]:
    """canonical name -> (name as written, version) of a lock file (its `-r` lines are skipped)."""
    pins = {}
    if path.exists():
        for raw in path.read_text().splitlines():
            line = raw.split("#")[0].strip()
            if line and not line.startswith("-"):
                name, version = line.split("==")
                pins[canonicalize_name(name)] = (name, version)
    return pins


# --------------------------------------------------------------------------- which pip resolves

def _version_of(python: str) -> str | None:
    try:
        result = subprocess.run([python, "-c", "import platform; print(platform.python_version())"],
                                capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def floor_interpreter() -> str | None:
    """A FLOOR_PYTHON interpreter on this machine, or None."""
    candidates = [os.environ.get("COURSE_FLOOR_PYTHON"), *FLOOR_CANDIDATES]
    for candidate in filter(None, candidates):
        found = candidate if os.path.isabs(candidate) else shutil.which(candidate)
        if found and os.path.exists(found) and _version_of(found) == FLOOR_PYTHON:
            return found
    return None


def _checker_pip_version() -> str | None:
    """The pip version the test lock pins (or requirements-test.in asks for before the first lock)."""
    pinned = read_pins(TEST_LOCK).get("pip")
    if pinned:
        return pinned[1]
    for line in read_inputs(TEST_IN):
        if line.name == "pip" and "==" in line.requirement:
            return line.requirement.split("==")[1].strip()
    return None


def _venv_python(folder: Path) -> Path:
    return folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def floor_pip() -> list[str] | None:
    """A pip that runs on the FLOOR_PYTHON interpreter, or None when there is no such interpreter.

    It lives in a venv of its own (kept in .venv/floor-python), with the pip version the test lock
    pins: the distribution's own pip is old and much slower, and may not be installed at all.
    """
    interpreter = floor_interpreter()
    if interpreter is None:
        return None
    python, wanted = _venv_python(FLOOR_VENV), _checker_pip_version()
    if python.exists():
        current = subprocess.run([str(python), "-m", "pip", "--version"], capture_output=True, text=True)
        if current.returncode == 0 and (wanted is None or current.stdout.split()[1] == wanted):
            return [str(python), "-m", "pip"]
    FLOOR_VENV.parent.mkdir(exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix="floor-python-", dir=FLOOR_VENV.parent))
    try:
        made = subprocess.run([interpreter, "-m", "venv", "--clear", str(building)],
                              capture_output=True, text=True)
        if made.returncode != 0:  # no ensurepip (Debian without python3-venv): its own pip, if any
            shutil.rmtree(building, ignore_errors=True)
            own = subprocess.run([interpreter, "-m", "pip", "--version"], capture_output=True)
            return [interpreter, "-m", "pip"] if own.returncode == 0 else None
        if wanted:
            subprocess.run([str(_venv_python(building)), "-m", "pip", "install", "--quiet",
                            "--disable-pip-version-check", f"pip=={wanted}"], check=True)
        shutil.rmtree(FLOOR_VENV, ignore_errors=True)
        building.rename(FLOOR_VENV)  # a venv run as `python -m pip` does not mind its folder's name
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return [str(_venv_python(FLOOR_VENV)), "-m", "pip"]


def resolvers(python: str) -> tuple[list[str], str | None]:
    """(pip command, --python-version to pass or None) that resolves for the given Python version."""
    if python == FLOOR_PYTHON:
        pip = floor_pip()
        if pip is not None:
            return pip, None
    return [sys.executable, "-m", "pip"], python


# --------------------------------------------------------------------------- resolving

def dry_run(pip: list[str], args: list[str], python_version: str | None = None,
            no_deps: bool = False) -> dict:
    """What pip would install (its --report), from wheels only; LockError with pip's reason if nothing."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        command = pip + ["install", "--dry-run", "--ignore-installed", "--only-binary=:all:",
                         "--disable-pip-version-check", "--quiet", "--report", str(report)]
        if python_version:
            # pip judges Requires-Python and wheel tags by this version (markers by the interpreter).
            command += ["--python-version", python_version, "--target", str(Path(tmp) / "target")]
        if no_deps:
            command.append("--no-deps")
        result = subprocess.run(command + args, capture_output=True, text=True, cwd=ROOT)
        if result.returncode != 0:
            errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
            raise LockError("\n".join(errors[-6:]) or result.stderr[-2000:])
        resolved = json.loads(report.read_text())
    yanked = [item["metadata"]["name"] + "==" + item["metadata"]["version"]
              for item in resolved["install"] if item.get("is_yanked")]
    if yanked:
        reasons = [line for line in result.stderr.splitlines() if line.startswith("Reason for being yanked")]
        raise LockError(f"yanked on PyPI: {', '.join(yanked)}. " + " ".join(reasons))
    return resolved


def installed(report: dict) -> dict[str, tuple[str, str]]:
    return {canonicalize_name(item["metadata"]["name"]): (item["metadata"]["name"], item["metadata"]["version"])
            for item in report["install"]}


def needs(report: dict, names: set[str]) -> dict[str, set[str]]:
    """For each package of `names` in a report: the packages it needs (extras asked for included)."""
    environment = report["environment"]
    items = {canonicalize_name(item["metadata"]["name"]): item for item in report["install"]}
    extras: dict[str, set[str]] = {name: {""} for name in items}
    requirements: dict[str, list[Requirement]] = {
        name: [Requirement(text) for text in item["metadata"].get("requires_dist", [])]
        for name, item in items.items()}
    # Extras asked for by any package (e.g. jsonschema[format-nongpl]) add requirements of their own.
    changed = True
    while changed:
        changed = False
        for name, reqs in requirements.items():
            for req in reqs:
                if _applies(req, environment, extras[name]):
                    target = canonicalize_name(req.name)
                    if target in extras and not set(req.extras) <= extras[target]:
                        extras[target] |= set(req.extras)
                        changed = True
    return {name: {canonicalize_name(req.name) for req in requirements[name]
                   if _applies(req, environment, extras[name])}
            for name in names if name in items}


def _applies(requirement: Requirement, environment: dict, extras: set[str]) -> bool:
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({**environment, "extra": extra}) for extra in extras)


def check_locks(python: str, locks: tuple[Path, ...] = (RUNTIME_LOCK, TRAINER_LOCK, HUB_LOCK, TEST_LOCK),
                nodeps_lock: Path = NODEPS_LOCK) -> list[str]:
    """Problems installing the locks on the given Python version ([] when none).

    `locks` go from the learner's to the top one, each starting with `-r` of the one before.
    Resolves the top lock (so all of them) and the no-deps lock from wheels only, refuses yanked
    pins, checks that each layer's packages need nothing from a layer above it (a learner's install
    is complete without the trainer's and test tools), and that pip would install nothing unpinned.
    """
    pip, python_version = resolvers(python)
    layers, nodeps = [read_pins(path) for path in locks], read_pins(nodeps_lock)
    problems = []
    with ThreadPoolExecutor(2) as pool:
        jobs = {locks[-1].name: pool.submit(dry_run, pip, ["-r", str(locks[-1])], python_version)}
        if nodeps:
            jobs[nodeps_lock.name] = pool.submit(dry_run, pip, ["-r", str(nodeps_lock)], python_version, True)
        for label, job in jobs.items():
            try:
                job.result()
            except LockError as error:
                problems.append(f"{label} does not install on Python {python}: {error}")
    if problems:
        return problems
    report = jobs[locks[-1].name].result()
    pinned = set().union(*layers)
    extra = sorted(set(installed(report)) - pinned)
    if extra:
        problems.append(f"pip would also install {', '.join(extra)}, which no lock pins")
    below = set(nodeps)
    for path, layer in zip(locks, layers):
        below |= set(layer)
        for name, wanted in sorted(needs(report, set(layer)).items()):
            outside = sorted(wanted - below)
            if outside:
                problems.append(f"{layer[name][0]} ({path.name}) needs {', '.join(outside)}, which only "
                                "a lock above it pins: run tools/lock.py")
    return problems


# Where learners run the course besides Linux x86_64: each learner's pin needs a wheel for these
# too. pip widens a macOS tag to the older macOS versions by itself, but not a manylinux one, hence
# the list. Platform-only dependencies (pywinpty on Windows, appnope on macOS) are not in the lock:
# pip resolves them there at install time.
PLATFORMS = {
    "Windows x64": ["win_amd64"],
    "macOS Apple silicon": ["macosx_14_0_arm64"],
    "macOS Intel": ["macosx_12_0_x86_64"],
    "Linux ARM (Chromebooks, Raspberry Pi)": ["manylinux2014_aarch64"]
    + [f"manylinux_2_{minor}_aarch64" for minor in range(17, 37)],
}


def check_platforms(python: str = FLOOR_PYTHON, platforms: dict[str, list[str]] = PLATFORMS,
                    locks: tuple[Path, ...] = (RUNTIME_LOCK, NODEPS_LOCK)) -> list[str]:
    """Problems finding a wheel of each learner's pin for each platform (no dependencies followed)."""
    def one(item):
        label, tags = item
        pins = [f"{name}=={version}" for lock_file in locks for name, version in read_pins(lock_file).values()]
        with tempfile.TemporaryDirectory() as tmp:
            requirements = _requirements_file(tmp, "pins.txt", pins)
            try:
                platform_args = [arg for tag in tags for arg in ("--platform", tag)]
                dry_run([sys.executable, "-m", "pip"], [*platform_args, "-r", requirements], python, no_deps=True)
            except LockError as error:
                return [f"{label} ({tags[0]}), Python {python}: {error}"]
        return []
    with ThreadPoolExecutor(len(platforms)) as pool:
        return [problem for found in pool.map(one, platforms.items()) for problem in found]


def check_all(pythons: tuple[str, ...] = (FLOOR_PYTHON, NEWEST_PYTHON)) -> dict[str, list[str]]:
    """check_locks for each Python version, side by side (pip mostly waits for the index)."""
    with ThreadPoolExecutor(len(pythons)) as pool:
        return dict(zip(pythons, pool.map(check_locks, pythons)))


# --------------------------------------------------------------------------- writing the locks

HEADERS = {
    RUNTIME_LOCK: "Every package of a learner's install (`make lab`), pinned. Installed with `pip install -r`.",
    NODEPS_LOCK: "Installed without their dependencies (`pip install --no-deps -r`), after requirements.lock.",
    TRAINER_LOCK: "The trainer's tools (grading, `make exercises`, a hub) on top of requirements.lock.",
    HUB_LOCK: "A workshop's JupyterHub (`make hub`) on top of the trainer's. Never in a learner's install.",
    TEST_LOCK: "The test tools (`make test`, CI) on top of the hub's. Never in a learner's install.",
}


def write_lock(path: Path, pins: dict[str, tuple[str, str]], notes: list[str] = (), first: list[str] = ()):
    lines = [f"# {HEADERS[path]}",
             f"# Written by `python tools/lock.py` (make lock) from the requirements*.in files: edit those.",
             f"# Installs on Python {FLOOR_PYTHON} to {NEWEST_PYTHON} from wheels (tests/test_locks.py)."]
    lines += [f"# {note}" for note in notes] + list(first)
    lines += [f"{name}=={version}" for name, version in sorted(pins.values(), key=lambda p: p[0].lower())]
    path.write_text("\n".join(lines) + "\n")


ENV_LINE = re.compile(r"^(\s*-\s*)([A-Za-z0-9_.\-]+)(\s*)(==|=)(\s*)([^\s#]+)(.*)$")


def sync_environment(path: Path, pins: dict[str, tuple[str, str]]) -> list[str]:
    """Set every `- name=version` (conda) and `- name==version` (pip) line to the lock's version."""
    problems, out = [], []
    for line in path.read_text().splitlines():
        match = ENV_LINE.match(line)
        if match and canonicalize_name(match.group(2)) != "python":
            name = canonicalize_name(match.group(2))
            if name not in pins:
                problems.append(f"{path.relative_to(ROOT)} lists {match.group(2)}, which requirements.lock does not pin")
            else:
                groups = list(match.groups())
                groups[5] = pins[name][1]
                line = "".join(groups)
        out.append(line)
    path.write_text("\n".join(out) + "\n")
    return problems


def _requirements_file(folder: str, name: str, lines: list[str]) -> str:
    path = Path(folder) / name
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def lock(upgrade: bool = False, upgrade_packages: set[str] = frozenset()) -> list[str]:
    """Write the locks and the environment files' versions; return problems found."""
    inputs = [read_inputs(path) for path, _ in LAYERS]
    runtime_in = inputs[0]
    direct = {line.name for lines in inputs for line in lines}
    pip, python_version = resolvers(FLOOR_PYTHON)
    print(f"resolving for Python {FLOOR_PYTHON} with "
          + (f"{pip[0]}" if python_version is None else f"--python-version {python_version} (no {FLOOR_PYTHON} interpreter here)"))
    keep = {} if upgrade else {name: pin for _, path in LAYERS for name, pin in read_pins(path).items()}
    keep = {name: pin for name, pin in keep.items()
            if name not in direct and name not in {canonicalize_name(n) for n in upgrade_packages}}
    problems, notes, layers = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        prefer = _requirements_file(tmp, "prefer.txt", [f"{name}=={version}" for name, version in keep.values()])
        normal = _requirements_file(tmp, "runtime.in", [line.requirement for line in runtime_in if not line.no_deps])
        try:
            layers.append(installed(dry_run(pip, ["-r", normal, "-c", prefer], python_version)))
        except LockError as error:
            raise LockError(f"{error}\nKeeping today's pins did not work: run again with --upgrade-package "
                            "NAME for a package named above, or --upgrade.") from None
        nodeps_lines = [line.requirement for line in runtime_in if line.no_deps]
        nodeps_report = dry_run(pip, ["-r", _requirements_file(tmp, "nodeps.in", nodeps_lines)],
                                python_version, no_deps=True)
        nodeps = installed(nodeps_report)
        for index, (path, _) in enumerate(LAYERS[1:], start=1):
            so_far = {name: pin for layer in layers for name, pin in layer.items()}
            below = _requirements_file(tmp, f"below{index}.lock", [f"{n}=={v}" for n, v in so_far.values()])
            resolved = installed(dry_run(pip, ["-r", str(path), "-r", below, "-c", prefer], python_version))
            changed = sorted(name for name in so_far if name in resolved and resolved[name] != so_far[name])
            if changed:
                problems.append(f"{path.name} would change the pins below it: {changed}")
            layers.append({name: pin for name, pin in resolved.items() if name not in so_far})
    for name, wanted in needs(nodeps_report, set(nodeps)).items():
        missing = sorted(wanted - set(layers[0]))
        notes.append(f"{nodeps[name][0]} is installed without: {', '.join(missing) or 'nothing'}.")
        for req in (Requirement(r) for r in _requires(nodeps_report, name)):
            dep = canonicalize_name(req.name)
            if dep in layers[0] and not req.specifier.contains(layers[0][dep][1], prereleases=True):
                problems.append(f"{nodeps[name][0]} needs {req}, but requirements.lock pins {layers[0][dep][1]}")
    write_lock(NODEPS_LOCK, nodeps, notes)
    previous = None
    for (_, path), pins in zip(LAYERS, layers):
        write_lock(path, pins, first=[f"-r {previous.name}"] if previous else [])
        previous = path
    for environment in ENVIRONMENTS:
        problems += sync_environment(environment, layers[0])
    print("; ".join(f"{path.name}: {len(pins)}" for (_, path), pins in zip(LAYERS, layers))
          + f"; {NODEPS_LOCK.name}: {len(nodeps)}")
    return problems


def _requires(report: dict, name: str) -> list[str]:
    for item in report["install"]:
        if canonicalize_name(item["metadata"]["name"]) == name:
            return item["metadata"].get("requires_dist", [])
    return []


# --------------------------------------------------------------------------- offline agreement

TEST_TOOLS = ("pytest", "pytest-xdist", "pytest-timeout", "nbmake", "hypothesis", "playwright",
              "jupyter-repo2docker")  # never in a learner's install, whatever the inputs say


def environment_pins(path: Path) -> tuple[dict[str, str], list[str]]:
    """(canonical name -> version, the dependency lines in order) of an environment.yml."""
    pins, lines = {}, []
    in_dependencies = False
    for raw in path.read_text().splitlines():
        if re.match(r"^dependencies:", raw):
            in_dependencies = True
            continue
        if in_dependencies and raw.strip().startswith("-"):
            lines.append(raw.split("#")[0].rstrip())
            match = ENV_LINE.match(raw)
            if match:
                pins[canonicalize_name(match.group(2))] = match.group(6)
    return pins, lines


def file_problems(root: Path = ROOT) -> list[str]:
    """Where the pinned files disagree with each other or with the rules (no network needed).

    The inputs are pinned in their layer's lock at versions they allow; a [no-deps] line only in the
    no-deps lock; each lock above the learner's starts from the one below and shares no package
    with it; no test tool below the test lock; environment.yml and binder/environment.yml hold the
    lock's versions of the learner's packages only and pin Python to the course's oldest;
    binder/postBuild installs the no-deps lock, the package and the course's kernel; pyproject's
    dependencies are in the learner's locks, its `trainer` extra in the trainer's, its
    requires-python is bootstrap's.
    """
    import tomllib

    problems = []
    inputs = [root / path.name for path, _ in LAYERS]
    locks = [root / path.name for _, path in LAYERS]
    runtime_lock, trainer_lock, hub_lock, test_lock = locks
    nodeps_lock = root / NODEPS_LOCK.name
    for index, path in enumerate(locks + [nodeps_lock]):
        below = f"-r {locks[index - 1].name}" if 0 < index < len(locks) else None
        lines = [raw.split("#")[0].strip() for raw in path.read_text().splitlines()]
        for line in lines:
            if line and line != below and not re.fullmatch(r"[A-Za-z0-9_.\-]+==[0-9][0-9A-Za-z.\-+]*", line):
                problems.append(f"{path.name}: not an exact pin: {line}")
        if below and below not in lines:
            problems.append(f"{path.name} must start from `{below}`")
    layers = [read_pins(path) for path in locks]
    runtime, trainer, hub, tests = layers
    nodeps = read_pins(nodeps_lock)
    learner = {**runtime, **nodeps}

    def pinned(line: Line, pins: dict, where: str):
        requirement = Requirement(line.requirement)
        if line.name not in pins:
            problems.append(f"{line.requirement} is not pinned in {where}: run tools/lock.py")
        elif not requirement.specifier.contains(pins[line.name][1], prereleases=True):
            problems.append(f"{where} pins {line.name}=={pins[line.name][1]}, outside {line.requirement}")

    runtime_in = read_inputs(inputs[0])
    for line in runtime_in:
        pinned(line, nodeps if line.no_deps else runtime, nodeps_lock.name if line.no_deps else runtime_lock.name)
        if line.no_deps and line.name in runtime:
            problems.append(f"{line.name} is marked [no-deps] but {runtime_lock.name} pins it, so pip "
                            "would install its dependencies")
    for path, lock_path, pins in zip(inputs[1:], locks[1:], layers[1:]):
        for line in read_inputs(path):
            pinned(line, pins, lock_path.name)
    for i, upper in enumerate(layers):
        for lower in [learner, *layers[1:]][:i]:
            for name in sorted(set(upper) & set(lower)):
                problems.append(f"{name} is in {locks[i].name} and in a lock below it")
    for name in TEST_TOOLS:
        for pins, whose in ((learner, "a learner"), (trainer, "the trainer"), (hub, "the hub")):
            if name in pins:
                problems.append(f"the test tool {name} is in {whose}'s lock")

    environments = [root / path.relative_to(ROOT) for path in ENVIRONMENTS]
    floor = bootstrap.version_text(bootstrap.MIN_PYTHON)
    for path in environments:
        pins, lines = environment_pins(path)
        label = str(path.relative_to(root))
        if not any(re.fullmatch(rf"\s*-\s*python\s*=\s*{re.escape(floor)}", line) for line in lines):
            problems.append(f"{label} must pin `python={floor}` (repo2docker and conda read it)")
        for name, version in pins.items():
            if name == "python":
                continue
            if name in tests or name in TEST_TOOLS:
                problems.append(f"{label} lists the test tool {name}")
            elif name in trainer or name in hub:
                problems.append(f"{label} lists the {'trainer' if name in trainer else 'hub'}'s {name} "
                                "(a learner's environment)")
            elif name not in runtime:
                problems.append(f"{label} lists {name}, which {runtime_lock.name} does not pin")
            elif runtime[name][1] != version:
                problems.append(f"{label}: {name} {version} but {runtime_lock.name} pins {runtime[name][1]}")
        for line in runtime_in:
            if not line.no_deps and line.name not in pins:
                problems.append(f"{label} lacks the direct dependency {line.name}")
            if line.no_deps and line.name in pins:
                problems.append(f"{label} lists {line.name}, which must be installed without its dependencies")
    if len(environments) == 2 and environment_pins(environments[0])[1] != environment_pins(environments[1])[1]:
        problems.append("binder/environment.yml and environment.yml list different packages")
    post_build = root / "binder" / "postBuild"
    text = post_build.read_text() if post_build.exists() else ""
    if not re.search(rf"pip install .*--no-deps .*-r {re.escape(nodeps_lock.name)}", text):
        problems.append(f"binder/postBuild must install {nodeps_lock.name} with --no-deps")
    if not re.search(r"pip install .*--no-deps .*-e \.", text):
        problems.append("binder/postBuild must install the course package (pip install --no-deps -e .)")
    if not re.search(r"^python -m trustcircles\.kernel install$", text, re.M):
        problems.append("binder/postBuild must install the course's kernel (python -m trustcircles.kernel install)")

    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    if project.get("requires-python") != f">={floor}":
        problems.append(f"pyproject.toml requires-python must be \">={floor}\" like bootstrap.MIN_PYTHON")
    wanted = [(text, learner, "a learner's lock") for text in project.get("dependencies", [])]
    wanted += [(text, {**learner, **trainer}, "the trainer's locks")
               for text in project.get("optional-dependencies", {}).get("trainer", [])]
    for text, pins, where in wanted:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        if name not in pins:
            problems.append(f"pyproject.toml depends on {name}, which {where} does not pin")
        elif not requirement.specifier.contains(pins[name][1], prereleases=True):
            problems.append(f"pyproject.toml wants {text}, the lock pins {pins[name][1]}")
    return problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="resolve the committed locks; change nothing")
    parser.add_argument("--upgrade", action="store_true", help="newest versions that fit, for everything")
    parser.add_argument("--upgrade-package", action="append", default=[], metavar="NAME",
                        help="let NAME move to its newest version that fits (repeatable)")
    args = parser.parse_args(argv)
    problems = []
    if not args.check:
        try:
            problems += lock(args.upgrade, set(args.upgrade_package))
        except LockError as error:
            print(f"tools/lock.py: {error}", file=sys.stderr)
            return 1
    problems += file_problems()
    for python, found in check_all().items():
        print(f"Python {python}: " + ("every pin installs" if not found else "PROBLEMS"))
        problems += found
    for python in (FLOOR_PYTHON, NEWEST_PYTHON):
        found = check_platforms(python)
        print(f"Python {python} on {', '.join(PLATFORMS)}: " + ("a wheel for every learner's pin" if not found else "PROBLEMS"))
        problems += found
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
