"""A workshop on a real JupyterHub, end to end (issue 18): the one command, two learners, the trainer.

`bootstrap.py hub` (what `sudo make hub ROSTER=...` runs) sets up a hub under a prefix of its own
with a roster of two learners, on a free loopback port, with a self-signed TLS certificate, and starts
it in the background. Then, over HTTPS like a browser: both learners log in with their own password,
start their JupyterLab and fetch the assignment from nbgrader's Assignments API; one hands in the
solved notebook, the other the untouched one; the trainer (as that account, with runuser) releases
and grades with `trustcircles hub release|grade`; both fetch their feedback, which holds no hidden
test; grades.csv has the two right scores. As learner 1 (runuser), reading learner 2's submission,
the exchange's inbound, the solutions or the trainer's course directory fails with PermissionError,
and a test shows that check fails once the submission is as open as nbgrader leaves it. Teardown
leaves no account, process or file behind (a finalizer tears down even when a test fails).

It needs root (accounts, the exchange's owners, control groups) and Node.js's npm: CI runs it as root
(.ci/run installs what it needs); elsewhere it skips and says so. Its time is in
benchmarks/results/hub.md.
"""
from __future__ import annotations

import csv
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "grading"))
import batch  # noqa: E402

from trustcircles.hub import limits  # noqa: E402

ASSIGNMENT = "00_welcome"
COURSE_ID = "online-in-person"
TAG = secrets.token_hex(2)
PREFIX = Path(f"/opt/online-in-person-test-{TAG}")
TRAINER, ANN, BEN = f"oipt{TAG}", f"oipa{TAG}", f"oipb{TAG}"
SYSTEM_PYTHON = "/usr/bin/python3"
TIMINGS = ROOT / ".artefacts" / "hub" / "timings.txt"


def _why_not() -> str:
    if not sys.platform.startswith("linux"):
        return "a workshop hub runs on Linux"
    if os.geteuid() != 0:
        return ("needs root: it creates accounts and the exchange's owners (CI runs it as root; "
                "here: `sudo .venv/bin/python -m pytest -n0 tests/test_hub.py`)")
    if not shutil.which("npm"):
        return "needs Node.js's npm for the hub's proxy: `sudo apt install nodejs npm` (.ci/run does under CI=true)"
    if subprocess.run([SYSTEM_PYTHON, "-c", "import ensurepip"], capture_output=True).returncode != 0:
        return "needs the distribution's python3 with venv: `sudo apt install python3-venv`"
    return ""


pytestmark = [pytest.mark.slow, pytest.mark.skipif(bool(_why_not()), reason=_why_not() or "-")]


def _timing(what: str, seconds: float) -> None:
    TIMINGS.parent.mkdir(parents=True, exist_ok=True)
    with TIMINGS.open("a") as out:
        out.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {what}: {seconds:.1f} s (load {os.getloadavg()[0]:.1f})\n")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _bootstrap(*args: str, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run([SYSTEM_PYTHON, str(ROOT / "bootstrap.py"), "hub", "--prefix", str(PREFIX), *args],
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT, stdin=subprocess.DEVNULL)


def _leftovers() -> list[str]:
    """Whatever of the test's hub is still on the machine."""
    found = [f"account {name}" for name in (TRAINER, ANN, BEN)
             if subprocess.run(["id", name], capture_output=True).returncode == 0]
    if PREFIX.exists():
        found.append(str(PREFIX))
    marker = str(PREFIX).encode() + b"/"
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                if marker in Path(f"/proc/{entry}/cmdline").read_bytes():
                    found.append(f"process {entry}")
            except OSError:
                pass
    group = PREFIX.as_posix().strip("/").replace("/", "-")
    found += [str(p) for p in limits.CGROUP.glob(f"*/{group}")] + [str(p) for p in limits.CGROUP.glob(group)]
    return found


def _force_clean() -> None:
    """Last resort after a failed teardown: nothing of the test may stay behind."""
    _bootstrap("--teardown", timeout=600)
    for name in (TRAINER, ANN, BEN):
        subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
        subprocess.run(["userdel", "--remove", name], capture_output=True)
    shutil.rmtree(PREFIX, ignore_errors=True)


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hub")
    os.chmod(folder, 0o755)
    roster = folder / "roster.txt"
    roster.write_text(f"# two learners\n{ANN}\n{BEN}\n")
    cert, key = folder / "hub.crt", folder / "hub.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key),
                    "-out", str(cert)], check=True, capture_output=True, timeout=60)
    port = _free_port()
    state = {"torn_down": False}
    try:
        started = time.monotonic()
        result = _bootstrap("--roster", str(roster), "--port", str(port), "--ip", "127.0.0.1",
                            "--trainer", TRAINER, "--tls-cert", str(cert), "--tls-key", str(key),
                            "--background", timeout=1800)
        state["setup_seconds"] = time.monotonic() - started
        _timing("set-up (the one command, first time: the environment too)", state["setup_seconds"])
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        passwords = dict(line.split(" ", 1) for line in (PREFIX / "hub" / "passwords").read_text().splitlines())
        yield dict(url=f"https://127.0.0.1:{port}", cert=str(cert), passwords=passwords, output=result.stdout,
                   roster=roster, state=state)
    finally:
        if not state["torn_down"]:
            _force_clean()


# --------------------------------------------------------------------------- a learner in a browser

class Person:
    """One account using the hub over HTTPS, as the browser would (login form, then the APIs)."""

    def __init__(self, hub: dict, name: str):
        import requests

        self.name, self.base, self.requests = name, hub["url"], requests
        self.session = requests.Session()
        self.session.verify = hub["cert"]
        self.session.trust_env = False   # else REQUESTS_CA_BUNDLE from the environment replaces verify
        page = self.session.get(f"{self.base}/hub/login", timeout=60)
        assert page.status_code == 200
        login = self.session.post(f"{self.base}/hub/login", timeout=120, allow_redirects=False, data={
            "username": name, "password": hub["passwords"][name], "_xsrf": self.session.cookies.get("_xsrf")})
        assert login.status_code == 302 and "login" not in login.headers.get("location", ""), login.text[:500]
        token = self.session.post(f"{self.base}/hub/api/users/{name}/tokens", json={"expires_in": 3600},
                                  headers={"X-XSRFToken": self.session.cookies.get("_xsrf", path="/hub/")},
                                  timeout=60)
        assert token.status_code == 201, token.text
        self.session.headers["Authorization"] = f"token {token.json()['token']}"

    def start_server(self) -> None:
        answer = self.session.post(f"{self.base}/hub/api/users/{self.name}/server", timeout=180)
        assert answer.status_code in (201, 202, 400), answer.text   # 400: already running
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            user = self.session.get(f"{self.base}/hub/api/users/{self.name}", timeout=60).json()
            if user["servers"].get("", {}).get("ready"):
                return
            time.sleep(0.5)
        raise AssertionError(f"{self.name}'s server did not start within 3 minutes")

    def server_pid(self) -> int:
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    if os.stat(f"/proc/{entry}").st_uid == _uid(self.name) and \
                            b"jupyterhub-singleuser" in Path(f"/proc/{entry}/cmdline").read_bytes():
                        return int(entry)
                except OSError:
                    pass
        raise AssertionError(f"no server process of {self.name}")

    def assignments(self, action: str = "") -> list[dict]:
        url = f"{self.base}/user/{self.name}/assignments" + (f"/{action}" if action else "")
        if action:
            answer = self.session.post(url, data={"course_id": COURSE_ID, "assignment_id": ASSIGNMENT}, timeout=180)
        else:
            answer = self.session.get(url, params={"course_id": COURSE_ID}, timeout=180)
        assert answer.status_code == 200, answer.text[:500]
        body = answer.json()
        assert body["success"], body
        return body["value"]

    def save_notebook(self, path: str, nb: dict) -> None:
        answer = self.session.put(f"{self.base}/user/{self.name}/api/contents/{path}", timeout=120,
                                  json={"type": "notebook", "format": "json", "content": nb})
        assert answer.status_code in (200, 201), answer.text[:500]

    def page_config(self) -> dict:
        import re
        page = self.session.get(f"{self.base}/user/{self.name}/lab", timeout=120).text
        return json.loads(re.search(r'id="jupyter-config-data" type="application/json">(.*?)</script>',
                                    page, re.S).group(1))


def _uid(name: str) -> int:
    import pwd
    return pwd.getpwnam(name).pw_uid


def as_trainer(*command: str, timeout: float = 600) -> subprocess.CompletedProcess:
    home = Path(os.path.expanduser(f"~{TRAINER}"))
    return subprocess.run(["runuser", "-u", TRAINER, "--", "env", f"HOME={home}", "PATH=/usr/local/bin:/usr/bin:/bin",
                           *command], capture_output=True, text=True, timeout=timeout, cwd=home)


def opened_by(user: str, path: Path, listing: bool = False) -> str:
    """What happens when `user` (a real account, via runuser) opens the path: 'read' or the error's name."""
    code = ("import os, sys\ntry:\n    " + ("os.listdir(sys.argv[1])" if listing else "open(sys.argv[1], 'rb').read(1)")
            + "\n    print('read')\nexcept OSError as error:\n    print(type(error).__name__)\n")
    result = subprocess.run(["runuser", "-u", user, "--", SYSTEM_PYTHON, "-c", code, str(path)],
                            capture_output=True, text=True, timeout=60, cwd="/")
    return result.stdout.strip() or result.stderr.strip()


def submission_of(student: str) -> Path:
    inbound = PREFIX / "exchange" / COURSE_ID / "inbound"
    found = sorted(inbound.glob(f"{student}+{ASSIGNMENT}+*"))
    assert found, f"no submission of {student} in the exchange"
    return found[-1] / f"{ASSIGNMENT}.ipynb"


# --------------------------------------------------------------------------- the tests, in order

def test_the_one_command_sets_up_accounts_files_and_a_running_hub(hub):
    assert "the hub is up: https://127.0.0.1:" in hub["output"]
    assert f"{ANN}" in hub["output"] and "password" in hub["output"]
    for name in (TRAINER, ANN, BEN):
        home = Path(os.path.expanduser(f"~{name}"))
        assert home.stat().st_mode & 0o777 == 0o700, name
        assert (home / COURSE_ID / "lessons" / "00_welcome.ipynb").is_file()
        assert not (home / COURSE_ID / "solutions").exists()
    solutions = PREFIX / "course" / "solutions"
    assert solutions.stat().st_uid == _uid(TRAINER) and solutions.stat().st_mode & 0o077 == 0
    assert (PREFIX / "venv" / "bin" / "jupyterhub").is_file()
    listed = as_trainer("trustcircles", "hub", "--help")
    assert listed.returncode == 0 and "release" in listed.stdout, listed.stderr
    started = time.monotonic()
    again = _bootstrap("--roster", str(hub["roster"]), "--trainer", TRAINER, "--stop", timeout=300)
    assert again.returncode == 0, again.stderr
    _timing("stop", time.monotonic() - started)


def test_running_the_command_again_changes_nothing_and_starts_the_hub(hub):
    """Idempotent: a second run reuses the accounts, keeps their passwords, reinstalls nothing."""
    port = hub["url"].rsplit(":", 1)[1]
    started = time.monotonic()
    again = _bootstrap("--roster", str(hub["roster"]), "--port", port, "--ip", "127.0.0.1", "--trainer", TRAINER,
                       "--tls-cert", hub["cert"], "--tls-key", hub["cert"].replace(".crt", ".key"),
                       "--background", timeout=900)
    _timing("set-up again (nothing to install) and start", time.monotonic() - started)
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-2000:]
    assert "installing" not in again.stdout
    passwords = dict(line.split(" ", 1) for line in (PREFIX / "hub" / "passwords").read_text().splitlines())
    assert passwords == hub["passwords"]


def test_the_whole_cycle_through_the_hub(hub):
    started = time.monotonic()
    released = as_trainer("trustcircles", "hub", "release", ASSIGNMENT)
    assert released.returncode == 0, released.stdout + released.stderr
    ann, ben = Person(hub, ANN), Person(hub, BEN)
    for learner in (ann, ben):
        learner.start_server()
        assert [a["status"] for a in learner.assignments()] == ["released"]
        fetched = learner.assignments("fetch")
        assert fetched[0]["status"] == "fetched"
        assert fetched[0]["path"] == f"{COURSE_ID}/{ASSIGNMENT}"   # Exchange.path_includes_course
    src = batch.source_nb(ASSIGNMENT)
    ann.save_notebook(f"{COURSE_ID}/{ASSIGNMENT}/{ASSIGNMENT}.ipynb", src)   # Ann solved it
    for learner in (ann, ben):                                                # Ben hands in the untouched one
        learner.assignments("submit")
    graded = as_trainer("trustcircles", "hub", "grade", ASSIGNMENT, "--quiet")
    assert graded.returncode == 0, graded.stdout + graded.stderr
    assert "feedback (without hidden tests) released to 2 learners" in graded.stdout
    rows = {r["student"]: r for r in csv.DictReader(
        (Path(os.path.expanduser(f"~{TRAINER}")) / "course" / "grades.csv").read_text().splitlines())}
    assert set(rows) == {ANN, BEN}
    assert float(rows[ANN]["score"]) == batch.autograded_points(src) and rows[ANN]["status"] == "graded"
    assert float(rows[BEN]["score"]) == 0 and rows[BEN]["status"] == "graded"
    assert (Path(os.path.expanduser(f"~{TRAINER}")) / "course" / "overview.html").is_file()
    hidden = batch.hidden_lines(src)
    for learner in (ann, ben):
        learner.assignments("fetch_feedback")
        home = Path(os.path.expanduser(f"~{learner.name}"))
        pages = list((home / COURSE_ID / ASSIGNMENT / "feedback").glob("*/*.html"))
        assert len(pages) == 1, pages
        text = pages[0].read_text()
        assert learner.name in text and not [line for line in hidden if line in text]
    _timing("the cycle: release, 2 logins, fetch, submit, grade, feedback", time.monotonic() - started)


def test_learners_get_no_solutions_and_their_limits(hub):
    ann = Person(hub, ANN)
    pid = ann.server_pid()
    environment = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    assert b"TRUSTCIRCLES_SOLUTIONS=off" in environment
    how = limits.mechanism()
    groups = limits.groups_for(PREFIX.as_posix().strip("/").replace("/", "-"), ANN, how)
    if groups:
        assert pid in limits.members(groups)
        assert limits.memory_limit_of(groups) == limits.parse_bytes("1.5G")
    else:
        assert str(limits.parse_bytes("1.5G")) in Path(f"/proc/{pid}/limits").read_text()


def test_formgrader_is_the_trainers_only(hub):
    ann, trainer = Person(hub, ANN), Person(hub, TRAINER)
    trainer.start_server()
    disabled = set(ann.page_config().get("disabledExtensions", []))
    assert {"nbgrader:formgrader", "nbgrader:create-assignment", "nbgrader:course-list"} <= disabled
    assert not {"nbgrader:formgrader", "nbgrader:create-assignment"} & set(trainer.page_config().get("disabledExtensions", []))
    assert ann.session.get(f"{ann.base}/user/{ANN}/formgrader", timeout=120, allow_redirects=False).status_code == 404
    assert trainer.session.get(f"{trainer.base}/user/{TRAINER}/formgrader", timeout=120,
                               allow_redirects=False).status_code in (200, 302)


def test_learner_1_cannot_read_learner_2s_submission_or_the_trainers_files(hub):
    bens = submission_of(BEN)
    assert opened_by(ANN, bens) == "PermissionError"
    assert opened_by(ANN, bens.parent, listing=True) == "PermissionError"
    assert opened_by(ANN, PREFIX / "exchange" / COURSE_ID / "inbound", listing=True) == "PermissionError"
    assert opened_by(ANN, PREFIX / "course" / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb") == "PermissionError"
    trainer_home = Path(os.path.expanduser(f"~{TRAINER}"))
    assert opened_by(ANN, trainer_home / "course" / "gradebook.db") == "PermissionError"
    assert opened_by(ANN, Path(os.path.expanduser(f"~{BEN}")) / COURSE_ID / ASSIGNMENT / f"{ASSIGNMENT}.ipynb") \
        == "PermissionError"
    assert opened_by(BEN, bens) == "read" and opened_by(TRAINER, bens) == "read"   # its learner and the trainer


def test_the_check_fails_when_the_exchange_is_as_open_as_nbgrader_leaves_it(hub):
    """The guard of the test above: with nbgrader's own mode on the submission (0777), learner 1
    reads learner 2's notebook, and the PermissionError check would fail."""
    bens = submission_of(BEN)
    mode = bens.parent.stat().st_mode & 0o7777
    try:
        os.chmod(bens.parent, 0o777)
        assert opened_by(ANN, bens) == "read"
    finally:
        os.chmod(bens.parent, mode)
    assert opened_by(ANN, bens) == "PermissionError"


def test_teardown_leaves_no_account_process_or_file(hub):
    started = time.monotonic()
    result = _bootstrap("--teardown", timeout=900)
    _timing("teardown", time.monotonic() - started)
    for line in result.stdout.splitlines():
        if " s)" in line:
            _timing("  " + line.strip(), 0)
    hub["state"]["torn_down"] = True
    left = _leftovers()
    if left:
        _force_clean()
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert left == []


# --------------------------------------------------------------------------- the limits on their own

@pytest.mark.skipif(os.geteuid() != 0 if hasattr(os, "geteuid") else True, reason="needs root (control groups)")
def test_a_kernel_past_its_memory_limit_is_stopped():
    how = limits.mechanism()
    group, user = f"online-in-person-limits-{TAG}", "probe"
    paths = limits.prepare(group, user, 64 * 2 ** 20, 0.5, how) if how != "rlimit" else []
    try:
        hog = subprocess.run([sys.executable, "-c", "x = bytearray(256 * 2 ** 20); print('allocated')"],
                             preexec_fn=limits.preexec(paths, 64 * 2 ** 20), capture_output=True, text=True,
                             timeout=120)
        assert "allocated" not in hog.stdout
        assert hog.returncode == -9 if paths else "MemoryError" in hog.stderr
        small = subprocess.run([sys.executable, "-c", "x = bytearray(8 * 2 ** 20); print('allocated')"],
                               preexec_fn=limits.preexec(paths, 256 * 2 ** 20), capture_output=True, text=True,
                               timeout=120)
        assert "allocated" in small.stdout
    finally:
        limits.remove(paths)
    assert not any(p.exists() for p in paths)
