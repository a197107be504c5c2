"""Grading strangers' notebooks safely (issue 19): the hostile catalogue, each harm contained and named.

tests/fixtures/grading/hostile.py builds the notebooks. One batch of hostile ones is graded with real
nbgrader in bubblewrap sandboxes (``--jobs 2``); the tests then check, case by case, that the harm
was contained (originals' checksums, gradebook schema, files outside the scratch folder, processes
left, connections made, memory, processes, file size, output size, the trainer's secrets in the
feedback) and named in grades.csv, and that cheats score what the untouched notebook scores. Honest
work with odd faults keeps its marks or gets a reason, and grading it again gives the same files.

Where bubblewrap cannot make a sandbox these tests skip and say why; under CI=true (CI installs
bubblewrap and runs as root) they must run.
"""
import base64
import contextlib
import csv
import hashlib
import io
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "grading"))
import batch  # noqa: E402
import hostile  # noqa: E402

from trustcircles.grading import grade  # noqa: E402
from trustcircles.grading.sandbox import Limits, find_sandbox  # noqa: E402

ASSIGNMENT = "00_welcome"
SANDBOX = find_sandbox("auto")
if not SANDBOX.active:
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"CI must run the sandbox tests, but: {SANDBOX.why}")
    pytest.skip(f"no sandbox on this machine: {SANDBOX.why}", allow_module_level=True)


def _hashes(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _rows(path: Path) -> dict:
    return {r["student"]: r for r in csv.DictReader(path.read_text().splitlines())}


def _schema(db: Path) -> list:
    with contextlib.closing(sqlite3.connect(db)) as con:
        return sorted(con.execute("SELECT type, name, sql FROM sqlite_master").fetchall(), key=repr)


class Listener:
    """A TCP server on this machine's loopback that counts who connects (nobody should)."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(8)
        self.server.settimeout(0.5)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self.stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stop:
            try:
                conn, _ = self.server.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self.stop = True
        self.thread.join(timeout=2)
        self.server.close()


def _survivors() -> list[str]:
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if hostile.PROCESS_MARK in cmdline:
            found.append(f"{pid}: {cmdline[:120]}")
    return found


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    originals = tmp_path_factory.mktemp("originals")
    course = tmp_path_factory.mktemp("course")
    home = tmp_path_factory.mktemp("trainer-home")
    canary = home / "id_rsa"
    canary.write_text(hostile.CANARY_TEXT + "\n")
    visible = tmp_path_factory.mktemp("visible-root-only")
    root_only = visible / "root-only.txt"
    root_only.write_text(hostile.CANARY_TEXT + "-root\n")
    os.chmod(root_only, 0o600)
    listener = Listener()
    paths = {"originals": str(originals), "course": str(course), "gradebook": str(course / "gradebook.db"),
             "grades": str(course / "grades.csv"), "canary": str(canary), "root_only": str(root_only),
             "solutions": str(batch.REPO / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"),
             "package": str(batch.REPO / "trustcircles"), "port": listener.port}
    expect = hostile.build_hostile_batch(originals, ASSIGNMENT, paths)
    before = _hashes(originals)
    said = []
    bar = io.StringIO()
    try:
        with contextlib.redirect_stderr(bar):
            run = grade(ASSIGNMENT, originals, course=course, timeout=20, jobs=2, progress=True,
                        announce=said.append, extra_ro=((str(visible), str(visible)),))
    finally:
        listener.close()
    return dict(run=run, expect=expect, before=before, originals=originals, course=course, said=said,
                rows=_rows(course / "grades.csv"), connections=listener.connections, paths=paths,
                bar=bar.getvalue(), grades_after=(course / "grades.csv").read_bytes())


def _score(rows, want, student):
    src = batch.source_nb(ASSIGNMENT)
    return {"unsolved": float(rows["unsolved"]["score"]), "full": batch.autograded_points(src),
            "part_a": batch.part_points(src, "a"), "part_b": batch.part_points(src, "q")}.get(want, want)


def test_the_command_says_first_that_notebooks_run_in_a_sandbox(hostile_run):
    assert hostile_run["said"] and hostile_run["said"][0].startswith("Sandbox: bubblewrap")
    assert "running:" in hostile_run["bar"]          # the progress bar names what it waits for


def test_every_case_gets_its_status_score_and_reason(hostile_run):
    rows = hostile_run["rows"]
    assert rows["solved"]["score"] and float(rows["unsolved"]["score"]) == 0
    for student, want in hostile_run["expect"].items():
        row = rows[student]
        assert row["status"] == want["status"], (student, row)
        allowed = want["score"] if isinstance(want["score"], tuple) else (want["score"],)
        assert any(float(row["score"]) == pytest.approx(_score(rows, score, student)) for score in allowed), \
            (student, row)
        for words in want.get("reason", []):
            assert words in row["reason"], (student, words, row["reason"])


def test_cheats_score_what_the_untouched_notebook_scores(hostile_run):
    rows = hostile_run["rows"]
    for student in ("patch_checker", "redefine_ex", "fake_results", "hard_coded"):
        assert rows[student]["score"] == rows["unsolved"]["score"], rows[student]


def test_originals_gradebook_and_other_learners_are_untouched(hostile_run):
    assert _hashes(hostile_run["originals"]) == hostile_run["before"]
    course = hostile_run["course"]
    schema = _schema(course / "gradebook.db")
    assert not [row for row in schema if row[0] == "trigger"], schema
    fresh = Path(hostile_run["paths"]["course"]).parent / "fresh-course"
    from trustcircles.grading import setup_course
    setup_course(fresh, ASSIGNMENT)
    assert schema == _schema(fresh / "gradebook.db")
    rows = hostile_run["rows"]
    assert float(rows["solved"]["score"]) == batch.autograded_points(batch.source_nb(ASSIGNMENT))
    assert "tampered" not in (course / "grades.csv").read_text().split("\n", 1)[0]
    solved_feedback = (course / "feedback" / "solved" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "Feedback: 00_welcome" in solved_feedback


def test_no_process_outlives_grading(hostile_run):
    assert _survivors() == []
    time.sleep(2)
    assert (hostile_run["course"] / "grades.csv").read_bytes() == hostile_run["grades_after"]


def test_no_connection_was_made(hostile_run):
    assert hostile_run["connections"] == 0


def test_no_file_outside_the_scratch_folder(hostile_run):
    for folder in (hostile_run["course"], hostile_run["originals"]):
        big = [p for p in folder.rglob("*") if p.is_file() and p.stat().st_size > 60 * 1024 * 1024]
        assert not big and not list(folder.rglob("big.bin")), big
    assert not Path("/tmp/hacked").exists()


def _pages(hostile_run):
    return {p.parts[-3]: p.read_text(encoding="utf-8") for p in (hostile_run["course"] / "feedback").rglob("*.html")}


def test_feedback_carries_nothing_of_the_trainers(hostile_run):
    pages = _pages(hostile_run)
    source = batch.source_nb(ASSIGNMENT)
    hidden = batch.hidden_lines(source)
    secrets = [hostile.CANARY_TEXT, base64.b64encode((hostile.CANARY_TEXT + "\n").encode()).decode()[:24]]
    for cell in source["cells"]:
        text = batch.text(cell)
        if "BEGIN HIDDEN TESTS" in text or "BEGIN SOLUTION" in text:
            secrets.append(base64.b64encode(text.encode()).decode()[:40])
    solution_file = Path(hostile_run["paths"]["solutions"]).read_bytes()
    secrets.append(base64.b64encode(solution_file[:3000]).decode()[:60])
    for student, page in pages.items():
        # (the checker-patching notebook names check_function itself, in its own cell)
        markers = ["BEGIN HIDDEN TESTS"] + (["check_function"] if student != "patch_checker" else [])
        for secret in secrets + hidden + markers:
            assert secret not in page, (student, secret)
    assert "could not read" in pages["thief"]       # it ran, and found nothing to read


def test_outputs_and_pictures_are_trimmed_with_a_note(hostile_run):
    pages = _pages(hostile_run)
    for student in ("flood", "picture"):
        assert len(pages[student]) < 6_000_000, (student, len(pages[student]))
    assert "left out" in pages["flood"] and "left out" in pages["picture"]


def test_feedback_says_what_each_mark_was_decided_on(hostile_run):
    page = _pages(hostile_run)["solved"]
    assert "small tables made at grading time" in page and "decided on" in page
    assert "a table with no question at all" in page


@pytest.fixture(scope="module")
def honest_runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("honest-odd")
    expect = hostile.build_honest_odd_batch(folder, ASSIGNMENT)
    course = tmp_path_factory.mktemp("honest-course")
    first = grade(ASSIGNMENT, folder, course=course, timeout=20, jobs=2, progress=False)
    files = {p.relative_to(course).as_posix(): p.read_bytes() for p in sorted((course / "feedback").rglob("*"))
             if p.is_file()}
    files["grades.csv"] = (course / "grades.csv").read_bytes()
    second = grade(ASSIGNMENT, folder, course=course, timeout=20, jobs=1, progress=False)
    again = {p.relative_to(course).as_posix(): p.read_bytes() for p in sorted((course / "feedback").rglob("*"))
             if p.is_file()}
    again["grades.csv"] = (course / "grades.csv").read_bytes()
    return dict(expect=expect, first=first, second=second, files=files, again=again, course=course,
                rows=_rows(course / "grades.csv"))


def test_honest_odd_work_keeps_its_marks_or_gets_a_reason(honest_runs):
    rows = honest_runs["rows"]
    for student, want in honest_runs["expect"].items():
        row = rows[student]
        assert row["status"] == want["status"], (student, row)
        assert float(row["score"]) == pytest.approx(want["score"]), (student, row)
        for words in want["reason"]:
            assert words in row["reason"], (student, words, row["reason"])
    summary = honest_runs["first"].summary()
    for words in ("renamed or missing function", "answer cell below its check",
                  "file from the learner's own computer", "error in an answer cell"):
        assert words in summary, summary


def test_feedback_says_what_happened_in_words(honest_runs):
    course = honest_runs["course"]
    moved = (course / "feedback" / "moved" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "run the answer cell above" not in moved and "comes after" in moved
    renamed = (course / "feedback" / "renamed" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "has the same parameters" in renamed
    laptop = (course / "feedback" / "laptop_path" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "your own computer" in laptop


def test_grading_again_gives_the_same_files(honest_runs):
    import difflib

    again, files = honest_runs["again"], honest_runs["files"]
    assert sorted(again) == sorted(files)
    differences = []
    for name in sorted(files):
        if again[name] != files[name]:
            # the lines that differ, so a difference seen once (under load) says what it was
            text = [difflib.unified_diff(files[name].decode(errors="replace").splitlines(),
                                         again[name].decode(errors="replace").splitlines(), lineterm="", n=0)]
            differences.append(f"{name}:\n" + "\n".join(line[:300] for line in list(text[0])[:40]))
    assert not differences, "\n\n".join(differences)


@pytest.fixture(scope="module")
def strict_run(tmp_path_factory):
    """A short wall time and --reference zero."""
    folder = tmp_path_factory.mktemp("strict")
    src, rel = batch.source_nb(ASSIGNMENT), batch.release_nb(ASSIGNMENT)
    batch.write(folder / "slow" / f"{ASSIGNMENT}.ipynb",
                hostile.after_setup(src, *["import time\ntime.sleep(6)"] * 6))
    batch.write(folder / "reference" / f"{ASSIGNMENT}.ipynb", hostile.with_function_bodies(
        hostile.as_released_part_a(src), lambda q: f"return ex.{q}.expected(table)"))
    batch.write(folder / "unsolved" / f"{ASSIGNMENT}.ipynb", rel)
    run = grade(ASSIGNMENT, folder, course=tmp_path_factory.mktemp("strict-course"), timeout=10, jobs=2,
                progress=False, reference="zero", limits=Limits(wall_seconds=25))
    return {s.student: s for s in run.submissions}


def test_a_long_notebook_is_stopped_at_its_wall_time(strict_run):
    slow = strict_run["slow"]
    assert slow.status == "timed_out" and "25 s limit for the whole notebook" in slow.reason, slow
    assert slow.score == pytest.approx(batch.part_points(batch.source_nb(ASSIGNMENT), "a"))


def test_reference_zero_gives_the_unsolved_score(strict_run):
    assert strict_run["reference"].status == "used_reference"
    assert strict_run["reference"].score == strict_run["unsolved"].score == 0


def test_require_refuses_without_a_sandbox_and_auto_says_so_first(tmp_path):
    env = {**os.environ, "PATH": str(tmp_path)}     # no bwrap on this PATH
    base = [sys.executable, "-m", "trustcircles", "grade", ASSIGNMENT, str(tmp_path), "--course", str(tmp_path / "c")]
    refused = subprocess.run(base + ["--sandbox", "require"], capture_output=True, text=True, env=env)
    assert refused.returncode == 2 and "no sandbox here" in refused.stderr and "Traceback" not in refused.stderr
    assert not (tmp_path / "c").exists()
    said = subprocess.run(base + ["--quiet"], capture_output=True, text=True, env=env)
    assert said.returncode == 0, said.stderr
    assert said.stdout.splitlines()[0].startswith("No sandbox: bubblewrap (bwrap) is not installed")


def test_the_sandbox_identity_cannot_read_root_only_files(hostile_run):
    if SANDBOX.mode != "root":
        pytest.skip("grading as a normal user: the kernel has the trainer's own id in a user namespace")
    page = _pages(hostile_run)["thief"]
    assert "could not read " + hostile_run["paths"]["root_only"] + " PermissionError" in page


def test_the_catalogue_notices_when_there_is_no_sandbox(tmp_path):
    """The guard's own test: the same notebook, graded once without a sandbox, does harm a decoy
    file (so the checks above would fail without one), and once in the sandbox, does not."""
    decoy = tmp_path / "decoy-original.ipynb"
    decoy.write_text("original\n")
    folder = tmp_path / "subs"
    notebook = hostile.after_setup(batch.source_nb(ASSIGNMENT), f"open({str(decoy)!r}, 'w').write('overwritten')")
    batch.write(folder / "vandal" / f"{ASSIGNMENT}.ipynb", notebook)
    grade(ASSIGNMENT, folder, course=tmp_path / "c1", timeout=20, progress=False, sandbox="off")
    assert decoy.read_text() == "overwritten"
    decoy.write_text("original\n")
    run = grade(ASSIGNMENT, folder, course=tmp_path / "c2", timeout=20, progress=False)
    assert decoy.read_text() == "original\n"
    assert run.submissions[0].status == "tampered"
