"""Setting up a workshop's JupyterHub as root, running it, and removing it again.

:func:`up` is ``sudo python3 bootstrap.py hub --roster roster.txt``: it records everything it makes in
a manifest (``<prefix>/manifest.json``), written after every step, so that :func:`teardown` removes
exactly that and nothing else (accounts that existed before are reused and never deleted; what it
changed in them is put back). Running it again changes nothing that is already right.

Permissions (what keeps learners apart):

* the prefix, the course and the environment are root's and world-readable (every learner's server
  runs from them), except ``course/solutions/``, which only the trainer may open;
* every home on the roster is 0700; the trainer's course directory (gradebook, submissions,
  grades) is in the trainer's home;
* the exchange root is 1777 (nbgrader needs it writable; the sticky bit stops anyone renaming
  another's folder), and its course folder with ``inbound/`` (2733: learners may add a submission
  but not list the others), ``outbound/`` (0755) and ``feedback/`` (0711) is made here, owned by the
  trainer and the trainers' group, before any learner could make it their own;
* each submission is 0750 with the trainers' group (:mod:`trustcircles.hub.exchange`): another
  learner cannot open it even knowing its name.

Standard library only: bootstrap.py runs this before the hub's environment exists.
"""
from __future__ import annotations

import grp
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Callable

from trustcircles.hub import limits
from trustcircles.hub.settings import (COURSE_ID, HOME_FOLDER, TRAINER_COURSE, TRAINERS_GROUP, HubError,
                                       HubSettings, settings_file)

#: what of the repository a hub needs (no .git: its history holds the solutions; no tests)
COURSE_ITEMS = ("trustcircles", "datasets", "lessons", "exercises", "solutions", "hub", "pyproject.toml",
                "README.md", "TRAINERS.md", "LICENSE", "nbgrader_config.py")
#: the nbgrader parts a learner never sees (nbgrader's docs: "multiple users")
TRAINER_LAB_EXTENSIONS = ("nbgrader:formgrader", "nbgrader:create-assignment", "nbgrader:course-list")
TRAINER_SERVER_EXTENSIONS = ("nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list")
FIRST_UID = 1000


def say(message: str) -> None:
    print(f"[hub] {message}", flush=True)


# --------------------------------------------------------------------------- the manifest

class Manifest:
    """What the set-up created, in order; saved after every change (a crash loses nothing)."""

    def __init__(self, prefix: Path):
        self.path = Path(prefix) / "manifest.json"
        self.entries: list[dict] = json.loads(self.path.read_text()) if self.path.is_file() else []

    def has(self, kind: str, key: str) -> bool:
        return any(e["kind"] == kind and e["key"] == key for e in self.entries)

    def add(self, kind: str, key: str, **data) -> None:
        if self.has(kind, key):
            return
        self.entries.append({"kind": kind, "key": key, **data})
        self.save()

    def save(self) -> None:
        if not self.path.parent.is_dir():
            return
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.entries, indent=1) + "\n")
        os.chmod(temporary, 0o600)
        os.replace(temporary, self.path)


# --------------------------------------------------------------------------- small helpers

def run(command: list[str], check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, timeout=kwargs.pop("timeout", 900),
                            **kwargs)
    if check and result.returncode != 0:
        raise HubError(f"`{' '.join(command)}` failed: {(result.stderr or result.stdout).strip()[-600:]}")
    return result


def make_dir(path: Path, manifest: Manifest, mode: int = 0o755, owner: str | None = None,
             group: str | None = None) -> Path:
    if not path.exists():
        path.mkdir(parents=True)
        manifest.add("dir", str(path))
    os.chmod(path, mode)
    if owner or group:
        shutil.chown(path, owner, group)
    return path


def account(name: str) -> pwd.struct_passwd | None:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def check_machine() -> None:
    """Linux, root, the account tools and Node.js's npm: or one message saying what to install."""
    if not sys.platform.startswith("linux"):
        raise HubError("a workshop hub runs on a Linux server (JupyterHub's local accounts and spawner).")
    if os.geteuid() != 0:
        raise HubError("setting up a hub creates accounts: run it as root (`sudo make hub ROSTER=roster.txt`).")
    for tool in ("useradd", "userdel", "groupadd", "usermod", "chpasswd", "runuser"):
        if not shutil.which(tool):
            raise HubError(f"`{tool}` is missing: install the distribution's account tools (Debian: passwd, util-linux).")
    if not shutil.which("npm") or not shutil.which("node"):
        raise HubError("the hub's proxy needs Node.js and npm: `sudo apt install nodejs npm`, then run the same command again.")


# --------------------------------------------------------------------------- accounts

def ensure_account(name: str, manifest: Manifest) -> pwd.struct_passwd:
    """The account, created if missing (with its own group and a 0700 home); an existing one is
    reused as it is, once checked to be a person's account (not a system one)."""
    found = account(name)
    if found is None:
        run(["useradd", "--create-home", "--shell", "/bin/bash", "--user-group", name])
        manifest.add("user", name)
        found = account(name)
    elif found.pw_uid < FIRST_UID:
        raise HubError(f"{name!r} is a system account (uid {found.pw_uid}): it cannot be a learner or the "
                       "trainer. Use another name in the roster.")
    home = Path(found.pw_dir)
    if not home.is_dir():
        raise HubError(f"{name}'s home {home} does not exist; create it or use another account.")
    mode = home.stat().st_mode & 0o7777
    if mode & 0o077:
        if not manifest.has("user", name):
            manifest.add("home_mode", str(home), mode=mode)
        os.chmod(home, mode & 0o7700)   # nobody else may read or enter a home on the roster
    return found


def set_password(name: str, password: str) -> None:
    run(["chpasswd"], input=f"{name}:{password}\n")


def new_password(length: int = 12) -> str:
    """Easy to read aloud and type: no 0/O, 1/l/I."""
    alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(length))


def read_secret(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    return dict(line.split(" ", 1) for line in path.read_text().splitlines() if " " in line)


def write_secret(path: Path, values: dict[str, str]) -> None:
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write("".join(f"{k} {v}\n" for k, v in values.items()))
    os.replace(temporary, path)


# --------------------------------------------------------------------------- the course and its files

def copy_course(source: Path, settings: HubSettings, manifest: Manifest) -> None:
    """The course, world-readable, under the prefix (solutions: the trainer's only)."""
    target = settings.course
    if source.resolve() == target.resolve():
        return
    fresh = settings.root / ".course-new"
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir()
    for item in COURSE_ITEMS:
        path = source / item
        if path.is_dir():
            shutil.copytree(path, fresh / item, ignore=shutil.ignore_patterns(
                "__pycache__", ".ipynb_checkpoints", "node_modules", "*.egg-info"))
        elif path.is_file():
            shutil.copy2(path, fresh / item)
    if target.exists():
        shutil.rmtree(target)
    else:
        manifest.add("dir", str(target))
    os.replace(fresh, target)


def protect_solutions(settings: HubSettings) -> None:
    trainer = pwd.getpwnam(settings.trainer)
    for folder, dirs, files in os.walk(settings.course / "solutions"):
        os.chown(folder, trainer.pw_uid, trainer.pw_gid)
        os.chmod(folder, 0o700)
        for name in files:
            os.chown(Path(folder) / name, trainer.pw_uid, trainer.pw_gid)
            os.chmod(Path(folder) / name, 0o600)


def install_proxy(source: Path, settings: HubSettings, manifest: Manifest) -> None:
    """configurable-http-proxy from npm, at the version of hub/package-lock.json (`npm ci`)."""
    folder = make_dir(settings.root / "proxy", manifest)
    lock = (source / "hub" / "package-lock.json").read_bytes()
    if settings.proxy.exists() and (folder / "package-lock.json").is_file() \
            and (folder / "package-lock.json").read_bytes() == lock:
        return
    for name in ("package.json", "package-lock.json"):
        shutil.copy2(source / "hub" / name, folder / name)
    say("installing configurable-http-proxy from npm ...")
    run(["npm", "ci", "--omit=dev", "--no-audit", "--no-fund", "--prefix", str(folder)], cwd=folder)


def link_command(settings: HubSettings, manifest: Manifest) -> None:
    """`trustcircles` on every user's PATH (/usr/local/bin), unless another one is there."""
    link, target = Path("/usr/local/bin/trustcircles"), settings.venv / "bin" / "trustcircles"
    if link.is_symlink() and os.readlink(link) == str(target):
        return
    if link.exists() or link.is_symlink():
        say(f"{link} exists and is not this hub's: left as it is; the trainer's commands are in {target}")
        return
    link.symlink_to(target)
    manifest.add("file", str(link))


def write_file(path: Path, text: str, manifest: Manifest, mode: int = 0o644, owner: str | None = None) -> None:
    if not path.exists():
        manifest.add("file", str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    os.chmod(path, mode)
    if owner:
        os.chown(path, pwd.getpwnam(owner).pw_uid, pwd.getpwnam(owner).pw_gid)


def nbgrader_settings(settings: HubSettings) -> str:
    """The nbgrader configuration every server on the hub reads (the environment's etc/jupyter)."""
    return (
        "# Written by `bootstrap.py hub` (trustcircles.hub.system): nbgrader's exchange on this hub.\n"
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
        f"c.Exchange.root = {str(settings.exchange)!r}\n"
        "# fetched assignments go to <home>/<course id>/<assignment>/ (beside lessons/ and exercises/)\n"
        "c.Exchange.path_includes_course = True\n"
        "# a submission only its learner and the trainers can open; collect drops forged names\n"
        "c.ExchangeFactory.submit = 'trustcircles.hub.exchange.PrivateSubmit'\n"
        "c.ExchangeFactory.collect = 'trustcircles.hub.exchange.OwnerCheckedCollect'\n")


def trainer_nbgrader_settings(settings: HubSettings, course: Path) -> str:
    return (nbgrader_settings(settings)
            + f"c.CourseDirectory.root = {str(course)!r}\n"
            + f"c.CourseDirectory.db_url = {'sqlite:///' + str(course / 'gradebook.db')!r}\n"
            + "from trustcircles.grading import apply_settings\napply_settings(c)\n")


def make_exchange(settings: HubSettings, manifest: Manifest) -> None:
    make_dir(settings.exchange, manifest, 0o1777, "root", "root")
    course = make_dir(settings.exchange / COURSE_ID, manifest, 0o755, settings.trainer, TRAINERS_GROUP)
    for name, mode in (("inbound", 0o2733), ("outbound", 0o755), ("feedback", 0o711)):
        make_dir(course / name, manifest, mode, settings.trainer, TRAINERS_GROUP)


def course_in_home(user: pwd.struct_passwd, settings: HubSettings, manifest: Manifest) -> None:
    """lessons/ and exercises/ in the home (never overwriting a learner's work)."""
    folder = Path(user.pw_dir) / HOME_FOLDER
    if not folder.exists():
        folder.mkdir()
        if not manifest.has("user", user.pw_name):
            manifest.add("dir", str(folder))
    for part in ("lessons", "exercises"):
        if not (folder / part).exists():
            shutil.copytree(settings.course / part, folder / part)
    for path in [folder, *folder.rglob("*")]:
        os.chown(path, user.pw_uid, user.pw_gid, follow_symlinks=False)


def as_user(name: str, command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return run([shutil.which("runuser") or "/usr/sbin/runuser", "-u", name, "--", *command], **kwargs)


def configure_extensions(settings: HubSettings, manifest: Manifest) -> None:
    """Learners get the Assignments tab only; the trainer also formgrader, create-assignment and the
    course list. Written as the configuration files JupyterLab and Jupyter Server read: the
    environment's (for everyone) says off, the trainer's own (~/.jupyter, read first) says on."""
    def json_text(extensions: dict) -> str:
        return json.dumps(extensions, indent=1) + "\n"

    off = {name: True for name in TRAINER_LAB_EXTENSIONS}
    etc = settings.venv / "etc" / "jupyter"
    # "lockedExtensions" stated, or JupyterLab's migration from 4.0 locks disabled ones for everyone
    write_file(etc / "labconfig" / "page_config.json",
               json_text({"disabledExtensions": off, "lockedExtensions": {}}), manifest)
    write_file(etc / "jupyter_server_config.d" / "zz-online-in-person-hub.json",
               json_text({"ServerApp": {"jpserver_extensions": {n: False for n in TRAINER_SERVER_EXTENSIONS}}}),
               manifest)
    trainer = pwd.getpwnam(settings.trainer)
    home = Path(trainer.pw_dir)
    for folder in (home / ".jupyter", home / ".jupyter" / "labconfig"):
        if not folder.exists() and not manifest.has("user", settings.trainer):
            manifest.add("dir", str(folder))
        folder.mkdir(exist_ok=True)
        os.chown(folder, trainer.pw_uid, trainer.pw_gid)
    write_file(home / ".jupyter" / "labconfig" / "page_config.json",
               json_text({"disabledExtensions": {name: False for name in TRAINER_LAB_EXTENSIONS}}),
               manifest, owner=settings.trainer)
    write_file(home / ".jupyter" / "jupyter_server_config.json",
               json_text({"ServerApp": {"jpserver_extensions": {n: True for n in TRAINER_SERVER_EXTENSIONS}}}),
               manifest, owner=settings.trainer)


# --------------------------------------------------------------------------- the whole set-up

def up(source: Path, settings: HubSettings, install: Callable[[Path, Path], None],
       password_file: Path | None = None) -> dict[str, str]:
    """Set up (or bring up to date) the hub; return the passwords to hand out (name -> password)."""
    check_machine()
    os.umask(0o022)   # whatever root's umask: what every learner's server runs from must be readable
    root = settings.root
    if root.exists() and not (root / "manifest.json").exists() and any(root.iterdir()):
        raise HubError(f"{root} exists and was not made by this command: choose another --prefix.")
    if not root.exists():
        root.mkdir(parents=True)
    manifest = Manifest(root)
    manifest.add("dir", str(root))
    os.chmod(root, 0o755)
    state = make_dir(settings.state, manifest, 0o700, "root", "root")
    if not any(g.gr_name == TRAINERS_GROUP for g in grp.getgrall()):
        run(["groupadd", TRAINERS_GROUP])
        manifest.add("group", TRAINERS_GROUP)

    say(f"accounts: the trainer {settings.trainer} and {len(settings.learners)} learners ...")
    trainer = ensure_account(settings.trainer, manifest)
    if settings.trainer not in grp.getgrnam(TRAINERS_GROUP).gr_mem:
        run(["usermod", "--append", "--groups", TRAINERS_GROUP, settings.trainer])
        manifest.add("membership", f"{settings.trainer}:{TRAINERS_GROUP}")
    learners = []
    for name in settings.learners:
        if name == settings.trainer:
            raise HubError(f"{name} is the trainer and on the roster: take the trainer off the roster.")
        learners.append(ensure_account(name, manifest))
        if name in grp.getgrnam(TRAINERS_GROUP).gr_mem:
            raise HubError(f"the learner {name} is in the group {TRAINERS_GROUP}, which may read every "
                           f"submission: `gpasswd -d {name} {TRAINERS_GROUP}`, then run the command again.")

    say("the course, world-readable, with the solutions the trainer's only ...")
    copy_course(source, settings, manifest)
    protect_solutions(settings)
    say("the Python environment (first time: a few minutes) ...")
    if not settings.venv.exists():
        manifest.add("dir", str(settings.venv))
    install(settings.venv, settings.course)
    install_proxy(source, settings, manifest)
    link_command(settings, manifest)
    write_file(settings.venv / "etc" / "jupyter" / "nbgrader_config.py", nbgrader_settings(settings), manifest)
    configure_extensions(settings, manifest)

    make_exchange(settings, manifest)
    course = Path(trainer.pw_dir) / TRAINER_COURSE
    if not course.exists() and not manifest.has("user", settings.trainer):
        manifest.add("dir", str(course))
    course.mkdir(exist_ok=True)
    os.chmod(course, 0o700)
    os.chown(course, trainer.pw_uid, trainer.pw_gid)
    config = trainer_nbgrader_settings(settings, course)
    for path in (course / "nbgrader_config.py", Path(trainer.pw_dir) / ".jupyter" / "nbgrader_config.py"):
        write_file(path, config, manifest, 0o600, settings.trainer)
    for user in [trainer, *learners]:
        course_in_home(user, settings, manifest)

    passwords = hand_out_passwords(settings, manifest, password_file)
    settings.save()
    manifest.add("file", str(settings_file(root)))
    return passwords


def hand_out_passwords(settings: HubSettings, manifest: Manifest, password_file: Path | None) -> dict[str, str]:
    """accounts: a password for each account this set-up created (reused ones keep theirs);
    shared: one workshop password for the learners, a long one for the trainer (JupyterHub's rule)."""
    state = settings.state
    if settings.auth == "shared":
        secrets_ = read_secret(state / "shared-passwords")
        if password_file:
            text = Path(password_file).read_text().strip()
            if len(text) < 8:
                raise HubError(f"{password_file}: a workshop password needs at least 8 characters.")
            secrets_["learners"] = text
        secrets_.setdefault("learners", new_password(10))
        secrets_.setdefault("trainer", new_password(32))
        write_secret(state / "shared-passwords", secrets_)
        return {"(every learner)": secrets_["learners"], settings.trainer: secrets_["trainer"]}
    known = read_secret(state / "passwords")
    for name in [settings.trainer, *settings.learners]:
        if manifest.has("user", name) and name not in known:
            known[name] = new_password()
            set_password(name, known[name])
    write_secret(state / "passwords", known)
    return {name: known.get(name, "(their own password)") for name in [settings.trainer, *settings.learners]}


# --------------------------------------------------------------------------- running the hub

def hub_command(settings: HubSettings) -> list[str]:
    config = settings.course / "trustcircles" / "hub" / "jupyterhub_config.py"
    return [str(settings.venv / "bin" / "jupyterhub"), "-f", str(config)]


def healthy(settings: HubSettings, timeout: float = 2.0) -> bool:
    host = settings.ip if settings.ip not in ("", "0.0.0.0") else "127.0.0.1"
    context = ssl._create_unverified_context() if settings.tls_cert else None   # itself, on this machine
    try:
        with urllib.request.urlopen(f"{settings.scheme}://{host}:{settings.port}/hub/health",
                                    timeout=timeout, context=context) as answer:
            return answer.status == 200
    except OSError:
        return False


def start(settings: HubSettings, background: bool) -> subprocess.Popen:
    """Start JupyterHub (it starts the proxy, and the idle culler as a service); wait until it answers."""
    if running_pid(settings):
        raise HubError(f"the hub already runs (process {running_pid(settings)}): "
                       "stop it first (Ctrl+C where it runs, or `--teardown`).")
    settings.hub_port, settings.proxy_api_port = free_port(), free_port()
    settings.save()
    env = {"PATH": f"{settings.venv / 'bin'}:/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8",
           "HOME": "/root", "CONFIGPROXY_AUTH_TOKEN": secrets.token_hex(32)}
    log = open(settings.state / "jupyterhub.log", "ab") if background else None
    process = subprocess.Popen(hub_command(settings), cwd=settings.state, env=env, start_new_session=True,
                               stdout=log, stderr=subprocess.STDOUT if log else None, stdin=subprocess.DEVNULL)
    (settings.state / "jupyterhub.pid").write_text(str(process.pid))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = (settings.state / "jupyterhub.log").read_text(errors="replace")[-2000:] if log else ""
            raise HubError(f"JupyterHub stopped at start (exit {process.returncode}). {tail}")
        if healthy(settings):
            return process
        time.sleep(0.5)
    stop(settings)
    raise HubError("JupyterHub did not answer within 2 minutes; see " + str(settings.state / "jupyterhub.log"))


def running_pid(settings: HubSettings) -> int | None:
    path = settings.state / "jupyterhub.pid"
    try:
        pid = int(path.read_text())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


def stop(settings: HubSettings, grace: float = 30) -> None:
    """Stop the hub: SIGTERM (it stops every learner's server and the proxy), then SIGKILL its group."""
    pid = running_pid(settings)
    if pid is None:
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.2)
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass
    (settings.state / "jupyterhub.pid").unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


# --------------------------------------------------------------------------- teardown

def _ancestors() -> set[int]:
    pids, pid = set(), os.getpid()
    while pid > 1:
        pids.add(pid)
        try:
            with open(f"/proc/{pid}/stat") as stat:
                pid = int(stat.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            break
    return pids


def hub_processes(settings: HubSettings, users: list[str]) -> list[int]:
    """Processes of this hub: run from its prefix, owned by an account it created, or in its groups."""
    uids = {account(name).pw_uid for name in users if account(name)}
    prefix = str(settings.root).encode() + b"/"
    found = set(limits.members(_cgroups(settings)))
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                command = cmdline.read()
            uid = os.stat(f"/proc/{entry}").st_uid
        except OSError:
            continue
        if prefix in command or uid in uids:
            found.add(int(entry))
    return sorted(found - _ancestors())


def _cgroups(settings: HubSettings) -> list[Path]:
    paths = []
    for how in ("cgroup1", "cgroup2"):
        for name in [settings.trainer, *settings.learners]:
            paths += limits.groups_for(settings.cgroup, name, how)
    return [p for p in paths if p.exists()]


def end_processes(pids: list[int], grace: float = 10) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError:
            pass
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.2)
    for pid in pids:
        if _alive(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def teardown(settings: HubSettings) -> list[str]:
    """Remove what the set-up created (its manifest), newest first; return what could not be removed."""
    manifest = Manifest(settings.root)
    created_users = [e["key"] for e in manifest.entries if e["kind"] == "user"]
    began = time.monotonic()
    stop(settings)
    end_processes(hub_processes(settings, created_users))
    limits.remove(_cgroups(settings))
    say(f"the hub and its processes are stopped ({time.monotonic() - began:.1f} s)")
    problems = []
    for entry in reversed(manifest.entries):
        kind, key = entry["kind"], entry["key"]
        began = time.monotonic()
        try:
            if kind == "user" and account(key):
                end_processes(hub_processes(settings, [key]))
                run(["userdel", "--remove", key], check=False)
                if account(key):
                    problems.append(f"the account {key} (userdel failed)")
            elif kind == "group":
                run(["groupdel", key], check=False)
            elif kind == "membership":
                user, group = key.split(":")
                if account(user):
                    run(["gpasswd", "--delete", user, group], check=False)
            elif kind == "home_mode" and Path(key).is_dir():
                os.chmod(key, entry["mode"])
            elif kind in ("dir", "file"):
                path = Path(key)
                if path.is_symlink() or path.is_file():
                    path.unlink()
                elif path.is_dir():
                    shutil.rmtree(path)
        except OSError as error:
            problems.append(f"{key}: {error}")
        if time.monotonic() - began > 2:
            say(f"removed {kind} {key} ({time.monotonic() - began:.1f} s)")
    return problems
