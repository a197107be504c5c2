"""Benchmark: grading 60 submissions of 00_welcome with real nbgrader, serial (--jobs 1) vs parallel (--jobs 2).

    python benchmarks/bench_grading.py [--n 60] [--repeat 1]

Writes benchmarks/results/grading.md: for each job count, wall seconds per submission (median over
repeats), CPU seconds per submission (this process and every worker and kernel it started; what the
machine's cores had to do whatever else was running) and the 1-minute load average before and after
the run, and the wall-clock speed-up. Target: <= 3 s per submission on 2 cores (issue 7). Submissions
are a realistic mix: solved, untouched and one-question-wrong notebooks. The machine is shared, so
read the wall times together with the load; CPU seconds / cores is the floor on an idle machine.
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
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    per_sub: dict[int, list[float]] = {j: [] for j in args.jobs}
    cpu_sub: dict[int, list[float]] = {j: [] for j in args.jobs}
    loads: dict[int, list[tuple[float, float]]] = {j: [] for j in args.jobs}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "subs"
        make_batch(folder, args.n)
        for r in range(args.repeat):
            for jobs in args.jobs:
                course = Path(tmp) / f"course-{jobs}-{r}"
                load_before = os.getloadavg()[0]
                cpu_before = _cpu()
                start = time.perf_counter()
                run = grade(ASSIGNMENT, folder, course=course, jobs=jobs, progress=True)
                seconds = time.perf_counter() - start
                cpu = _cpu() - cpu_before
                loads[jobs].append((load_before, os.getloadavg()[0]))
                assert sum(1 for s in run.submissions if s.status == "graded") == args.n
                per_sub[jobs].append(seconds / args.n)
                cpu_sub[jobs].append(cpu / args.n)
                print(run.summary())
                print(f"jobs={jobs}: {seconds:.1f} s, {seconds / args.n:.2f} s per submission, "
                      f"CPU {cpu / args.n:.2f} s per submission, load {loads[jobs][-1]}", flush=True)
    med = {j: statistics.median(v) for j, v in per_sub.items()}
    cpu_med = {j: statistics.median(v) for j, v in cpu_sub.items()}
    base = med.get(1)
    lines = ["# Grading benchmark (00_welcome, real nbgrader)", "",
             f"`python benchmarks/bench_grading.py --n {args.n} --repeat {args.repeat}`, one run on "
             f"{platform.system()} {platform.machine()}, Python {platform.python_version()}, "
             f"{os.cpu_count()} cores (shared with other work while it ran).", "",
             "| jobs | wall s per submission (median) | CPU s per submission | load (1 min) before -> after "
             "| speed-up vs jobs=1 | target <= 3 s |",
             "|---|---|---|---|---|---|"]
    for jobs in args.jobs:
        ratio = f"{base / med[jobs]:.2f}x" if base else ""
        load = "; ".join(f"{a:.1f} -> {b:.1f}" for a, b in loads[jobs])
        lines.append(f"| {jobs} | {med[jobs]:.2f} | {cpu_med[jobs]:.2f} | {load} | {ratio} | "
                     f"{'met' if med[jobs] <= 3 else 'not met'} |")
    out = REPO / "benchmarks" / "results" / "grading.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(out.read_text())


if __name__ == "__main__":
    main()
