"""Benchmark: each lesson's headless run, and each widget callback on the shipped data.

Targets (issue "The lessons"): every lesson runs top to bottom in <= 20 s on the 2-core machine;
every widget callback answers in <= 100 ms (0.1 s is where a response stops feeling instant).

Lessons run with nbclient (what nbmake uses) in a fresh kernel, REPEATS times each; callbacks are
driven from Python by setting each control of every registered explorer
(trustcircles.widgets.REGISTRY) to other values, timing the whole recompute-and-redraw.

    .venv/bin/python benchmarks/bench_lessons.py [--repeats 3] [--lessons 01,04]

Writes benchmarks/results/lessons.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results" / "lessons.md"
LESSON_TARGET_S = 20.0
CALLBACK_TARGET_MS = 100.0


def time_lesson(path: Path) -> float:
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(str(path), as_version=4)
    with tempfile.TemporaryDirectory() as workdir:
        started = time.perf_counter()
        NotebookClient(notebook, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": workdir}}).execute()
        return time.perf_counter() - started


def control_values(control) -> list:
    """A few values to move a control through, ending where it started."""
    import ipywidgets as widgets

    start = control.value
    if isinstance(control, (widgets.Dropdown, widgets.ToggleButtons, widgets.SelectionSlider,
                            widgets.RadioButtons, widgets.Select)):
        values = [v for v in control._options_values if v != start][:6]
    elif isinstance(control, (widgets.IntSlider, widgets.FloatSlider, widgets.FloatLogSlider,
                              widgets.BoundedIntText, widgets.BoundedFloatText)):
        low, high = control.min, control.max
        values = [low + (high - low) * k / 6 for k in range(1, 6)]
        if isinstance(control, (widgets.IntSlider, widgets.BoundedIntText)):
            values = sorted({int(round(v)) for v in values} - {start})
    elif isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        values = [not start]
    else:
        values = []
    return values + [start]


def is_allowed(control, value) -> bool:
    """Whether a selection control still offers this value (options can change as others move)."""
    # ipywidgets keeps the values of (label, value) or {label: value} options here
    values = getattr(control, "_options_values", None)
    return values is None or value in values


def time_callbacks(repeats: int) -> list[tuple[str, str, str, float, float, int]]:
    from trustcircles.widgets import all_explorers

    rows = []
    for lesson, factories in all_explorers().items():
        for factory in factories:
            explorer = factory()
            for name, control in explorer.controls.items():
                timings = []
                for _ in range(repeats):
                    # values are read afresh: moving one control may change another's options
                    for value in control_values(control):
                        if not is_allowed(control, value):
                            continue
                        started = time.perf_counter()
                        control.value = value
                        timings.append(time.perf_counter() - started)
                if timings:
                    rows.append((lesson, factory.__name__, name, statistics.median(timings) * 1000,
                                 max(timings) * 1000, len(timings)))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--lessons", default="", help="comma-separated lesson numbers (default: all)")
    args = parser.parse_args()
    wanted = {n.strip() for n in args.lessons.split(",") if n.strip()}
    lessons = sorted(p for p in (ROOT / "lessons").glob("[0-9][0-9]_*.ipynb")
                     if not wanted or p.stem[:2] in wanted)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")

    lesson_rows = []
    for path in lessons:
        runs = [time_lesson(path) for _ in range(args.repeats)]
        lesson_rows.append((path.stem, statistics.median(runs), max(runs)))
        print(f"{path.stem:32s} median {statistics.median(runs):6.2f} s  max {max(runs):6.2f} s", flush=True)
    callback_rows = time_callbacks(args.repeats)
    for row in callback_rows:
        print(f"{row[0]} {row[1]:28s} {row[2]:14s} median {row[3]:7.1f} ms  max {row[4]:7.1f} ms", flush=True)

    lines = [
        "# Lessons: headless run time and widget callback time", "",
        f"Recorded {date.today().isoformat()} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {load:.2f} at the start. "
        f"{args.repeats} runs per lesson (fresh kernel each, nbclient), every control of every "
        "registered explorer set to up to 6 other values per repeat.", "",
        f"## Lessons (target <= {LESSON_TARGET_S:.0f} s each)", "",
        "| lesson | median (s) | max (s) | target met |", "|---|---|---|---|"]
    lines += [f"| {name} | {median:.2f} | {worst:.2f} | {'yes' if median <= LESSON_TARGET_S else 'NO'} |"
              for name, median, worst in lesson_rows]
    lines += ["", f"## Widget callbacks (target <= {CALLBACK_TARGET_MS:.0f} ms)", "",
              "| lesson | explorer | control | median (ms) | max (ms) | calls | target met |",
              "|---|---|---|---|---|---|---|"]
    lines += [f"| {lesson} | {factory} | {control} | {median:.1f} | {worst:.1f} | {calls} | "
              f"{'yes' if median <= CALLBACK_TARGET_MS else 'NO'} |"
              for lesson, factory, control, median, worst, calls in callback_rows]
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written {RESULTS.relative_to(ROOT)}")
    slow = [r for r in lesson_rows if r[1] > LESSON_TARGET_S] + [r for r in callback_rows if r[3] > CALLBACK_TARGET_MS]
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
