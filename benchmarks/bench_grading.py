"""Benchmark: grading 60 submissions of 00_welcome with real nbgrader, in sandboxes and without.

    python benchmarks/bench_grading.py [--n 60] [--repeat 1] [--jobs 2] [--sandbox auto off]

Writes benchmarks/results/grading.md: for each sandbox setting and job count, wall seconds per
submission (median over repeats), CPU seconds per submission (this process and every worker and
kernel it started; what the machine's cores had to do whatever else was running) and the 1-minute load
average before and after the run, and the ratio to the run without a sandbox. Target (issue 19): <= 2 s
per submission with --jobs 2 in the sandbox on 2 cores. Submissions are a realistic mix: solved,
untouched and one-question-wrong notebooks. The machine is shared, so read the wall times together
with the load; CPU seconds / cores is the floor on an idle machine.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "fixtures" / "grading"))

import batch  # noqa: E402

from trustcircles.grading import grade  # noqa: E402

ASSIGNMENT = "00_welcome"


def make_batch(folder: Path, n: int) -> None:
    src, rel = batch.source_nb(ASSIGNMENT), batch.release_nb(ASSIGNMENT)
    qs = batch.questions(src)
    for i in range(n):
        kind = i % (len(qs) + 2)
        nb = src if kind == 0 else rel if kind == 1 else batch.with_wrong_answer(src, qs[kind - 2])
        batch.write(folder / f"learner{i:03d}" / f"{ASSIGNMENT}.ipynb", nb)


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (workers, and their kernels)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--jobs", type=int, nargs="+", default=[2])
    parser.add_argument("--sandbox", nargs="+", default=["auto", "off"], choices=["auto", "require", "off"])
    args = parser.parse_args()
    settings = [(mode, jobs) for mode in args.sandbox for jobs in args.jobs]
    per_sub: dict = {k: [] for k in settings}
    cpu_sub: dict = {k: [] for k in settings}
    loads: dict = {k: [] for k in settings}
    used: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "subs"
        make_batch(folder, args.n)
        for r in range(args.repeat):
            for mode, jobs in settings:
                course = Path(tmp) / f"course-{mode}-{jobs}-{r}"
                load_before = os.getloadavg()[0]
                cpu_before = _cpu()
                start = time.perf_counter()
                run = grade(ASSIGNMENT, folder, course=course, jobs=jobs, progress=True, sandbox=mode,
                            announce=print)
                seconds = time.perf_counter() - start
                cpu = _cpu() - cpu_before
                used[(mode, jobs)] = run.sandbox.first_line().split(":")[0]
                loads[(mode, jobs)].append((load_before, os.getloadavg()[0]))
                graded = sum(1 for s in run.submissions if s.score is not None)
                assert graded == args.n, [(s.student, s.status, s.reason) for s in run.submissions][:3]
                per_sub[(mode, jobs)].append(seconds / args.n)
                cpu_sub[(mode, jobs)].append(cpu / args.n)
                print(run.summary())
                print(f"sandbox={mode} jobs={jobs}: {seconds:.1f} s, {seconds / args.n:.2f} s per submission, "
                      f"CPU {cpu / args.n:.2f} s per submission, load {loads[(mode, jobs)][-1]}", flush=True)
    med = {k: statistics.median(v) for k, v in per_sub.items()}
    cpu_med = {k: statistics.median(v) for k, v in cpu_sub.items()}
    lines = ["# Grading benchmark (00_welcome, real nbgrader)", "",
             f"`python benchmarks/bench_grading.py --n {args.n} --repeat {args.repeat} --jobs "
             f"{' '.join(map(str, args.jobs))} --sandbox {' '.join(args.sandbox)}`, one run on "
             f"{platform.system()} {platform.machine()}, Python {platform.python_version()}, "
             f"{os.cpu_count()} cores (shared with other work while it ran).", "",
             "| sandbox | jobs | wall s per submission (median) | CPU s per submission | load (1 min) before -> after "
             "| wall vs no sandbox | target <= 2 s (jobs 2, sandbox) |",
             "|---|---|---|---|---|---|---|"]
    for mode, jobs in settings:
        base = med.get(("off", jobs))
        ratio = f"{med[(mode, jobs)] / base:.2f}x" if base else ""
        load = "; ".join(f"{a:.1f} -> {b:.1f}" for a, b in loads[(mode, jobs)])
        target = ("met" if med[(mode, jobs)] <= 2 else "not met") if mode != "off" and jobs == 2 else ""
        lines.append(f"| {used[(mode, jobs)]} ({mode}) | {jobs} | {med[(mode, jobs)]:.2f} | {cpu_med[(mode, jobs)]:.2f} "
                     f"| {load} | {ratio} | {target} |")
    out = REPO / "benchmarks" / "results" / "grading.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(out.read_text())


if __name__ == "__main__":
    main()
