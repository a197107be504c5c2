"""Benchmark: the memory a notebook's kernel holds after Run All, for every lesson and exercise.

    .venv/bin/python benchmarks/bench_memory.py [--only 01,06] [--no-record]

A workshop server gives each learner a kernel per open notebook, so what a kernel keeps after the
last cell is what sizes the server. For each lessons/NN_*.ipynb and exercises/*/*.ipynb: a fresh
kernel (python3, via nbclient, in an empty working folder; python3 is the course's kernel,
trustcircles/kernel.py, as in `make lab`: the benchmark refuses to run another), every cell run in order as Run All does
(an exercise's unanswered cells raise, as they do for a learner, and the run goes on), then, with the
kernel still alive, its resident memory (RSS, /proc/<pid>/status VmRSS, in MiB = 2**20 bytes) and its
peak (VmHWM). References measured the same way: a bare kernel, one that has imported pandas, one
with pandas, plotly and ipywidgets, and one that has loaded the community dataset (what nearly
every notebook starts with).

Targets (issue 17): a lesson's kernel <= 200 MiB after Run All, an exercise's <= 180 MiB.
Writes benchmarks/results/memory.md.
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
RESULTS = Path(__file__).resolve().parent / "results" / "memory.md"
TARGETS_MIB = {"lesson": 200, "exercise": 180}
REFERENCES = {
    "bare kernel": "",
    "pandas imported (what an exercise's checks need)": "import pandas",
    "pandas, plotly, ipywidgets imported": "import pandas, plotly.graph_objects, ipywidgets",
    "pandas and the community dataset loaded": "from trustcircles.data import load_interactions\n"
                                               "events = load_interactions('community')",
}


#: Written under the table: what keeps the kernels this small (each measured alone, on the run
#: before it, lessons 00, 05, 11 and exercise 11; one run each, load 1.5-3).
WHAT_KEEPS_THEM_SMALL = """\
What keeps kernels small (issue 17). Before these, on 2026-12-01: lessons 214-239 MiB (median 223),
exercises 159-185 (median 173). Each step, measured alone on the run before it:

- pyarrow's C++ allocations on malloc and glibc's trim threshold fixed at 1 MiB, set when the package
  is imported (trustcircles/__init__.py): threads' heaps shrink after each cell's malloc_trim
  (lesson 11 239 -> 227, exercise 11 185 -> 168);
- the course's kernel, ipykernel without debugpy (trustcircles/kernel.py, installed as python3 by
  every set-up): 7-8 MiB in every kernel (bare kernel 51 -> 43);
- metrics.ego_density counted with numpy, not networkx: lesson 05 -10;
- the course's plotly template, simple_white with the defaults of the six kinds of trace the course
  draws, as plotly's default (no classes set up for the other 19): about -6 per lesson;
- plotly's validator specifications read one at a time from plotly's file, not kept parsed whole:
  -7 to -8 per lesson;
- plotly's widget script (5 MB) kept at 1 byte a character (its 24 characters beyond Latin-1, all in
  regular expressions, written as escapes): about -5 per lesson with an explorer;
- lesson 11's replies and threads found on row positions, not on a Python string per row: 11 and 13 -5;
- tables without the messages' texts where nothing reads them (load_interactions(text=False);
  lessons 01, 02, 05, 06, 07, 09, 11): about -5 each.

Tried and not kept: MALLOC_ARENA_MAX (0-3 MiB), PYTHONMALLOC=malloc (-4 to +4, not steady), python -OO
(about -14, but it drops every assert, so an assert in a notebook would pass silently, and every
docstring help() shows), IPython's history off (1 MiB), clearing the output cache (the objects go, the
kernel stays as large: its memory is fragmented). plotly's renderer imports nbformat and
jsonschema (about 6 MiB) for a version check; avoiding it means patching plotly's module, so it stays.
"""


def kernel_memory(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a process in MiB, from /proc (Linux)."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024  # kB -> MiB
    return values["VmRSS"], values["VmHWM"]


def course_kernel_problem() -> str | None:
    """Why the kernel this benchmark would start is not the one a learner's lab starts, if it is not."""
    from jupyter_client.kernelspec import KernelSpecManager
    spec = KernelSpecManager().get_kernel_spec("python3")
    if spec.argv[:3] != ["python", "-m", "trustcircles.kernel"]:
        return (f"the python3 kernel here ({' '.join(spec.argv)}) is not the course's "
                "(python -m trustcircles.kernel): run `python bootstrap.py setup` first")
    return None


def run_and_measure(notebook) -> dict:
    """Run every cell of a notebook in a fresh kernel; measure the kernel before it stops."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    with tempfile.TemporaryDirectory() as workdir:
        client = NotebookClient(notebook, timeout=600, kernel_name="python3", allow_errors=True,
                                resources={"metadata": {"path": workdir}})
        started = time.perf_counter()
        with client.setup_kernel():
            errors = 0
            for index, cell in enumerate(notebook.cells):
                try:
                    client.execute_cell(cell, index)
                except CellExecutionError:
                    errors += 1
                if cell.cell_type == "code" and any(out.get("output_type") == "error" for out in cell.outputs):
                    errors += 1
            seconds = time.perf_counter() - started
            time.sleep(0.5)  # let the kernel finish sending the last outputs
            rss, peak = kernel_memory(client.km.provisioner.process.pid)
    return {"rss": rss, "peak": peak, "seconds": seconds, "errors": errors}


def reference(code: str) -> dict:
    import nbformat

    cells = [nbformat.v4.new_code_cell(code)] if code else []
    return run_and_measure(nbformat.v4.new_notebook(cells=cells))


def notebooks(only: list[str]) -> list[tuple[str, Path]]:
    found = [("lesson", path) for path in sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))]
    found += [("exercise", path) for path in sorted((ROOT / "exercises").glob("*/*.ipynb"))]
    if only:
        found = [(kind, path) for kind, path in found if any(path.name.startswith(n) for n in only)]
    return found


def main() -> int:
    import nbformat

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="comma-separated notebook number prefixes, e.g. 01,06")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    problem = course_kernel_problem()
    if problem:
        sys.exit(problem)
    load_before = os.getloadavg()[0]
    rows = []
    for name, code in REFERENCES.items():
        result = reference(code)
        rows.append(("reference", name, result))
        print(f"{name}: {result['rss']:.0f} MiB", flush=True)
    for kind, path in notebooks([n for n in args.only.split(",") if n]):
        result = run_and_measure(nbformat.read(str(path), as_version=4))
        rows.append((kind, str(path.relative_to(ROOT)), result))
        verdict = "met" if result["rss"] <= TARGETS_MIB[kind] else "NOT met"
        print(f"{path.relative_to(ROOT)}: {result['rss']:.0f} MiB after Run All (peak {result['peak']:.0f}), "
              f"target <= {TARGETS_MIB[kind]}: {verdict}; {result['seconds']:.1f} s, "
              f"{result['errors']} cell(s) raised", flush=True)
    load_after = os.getloadavg()[0]
    if not args.no_record:
        write(rows, (load_before, load_after), " ".join(sys.argv[1:]))
    return 0


def write(rows, load: tuple[float, float], arguments: str) -> None:
    lines = ["# Kernel memory benchmark (each notebook after Run All, fresh kernel)", "",
             f"`python benchmarks/bench_memory.py {arguments}`".replace(" `", "`"),
             f"one run on {date.today().isoformat()}, {platform.system()} {platform.machine()}, Python "
             f"{platform.python_version()}, {os.cpu_count()} cores, load (1 min) {load[0]:.1f} -> {load[1]:.1f}.",
             "RSS of the kernel process (VmRSS) with the kernel still alive after the last cell; peak is",
             "VmHWM. MiB = 2**20 bytes. Targets (issue 17): lesson <= 200 MiB, exercise <= 180 MiB.",
             "The kernel is python3, the course's (`python -m trustcircles.kernel`, ipykernel without its",
             "debugger), the one `make lab` starts.", "",
             "| notebook | kind | RSS after Run All, MiB | peak, MiB | target, MiB | met? | run s | cells that raised |",
             "|---|---|---|---|---|---|---|---|"]
    for kind, name, result in rows:
        target = TARGETS_MIB.get(kind)
        met = "-" if target is None else ("yes" if result["rss"] <= target else "**no**")
        lines.append(f"| {name} | {kind} | {result['rss']:.0f} | {result['peak']:.0f} | {target or '-'} | {met} | "
                     f"{result['seconds']:.1f} | {result['errors']} |")
    for kind in TARGETS_MIB:
        values = [result["rss"] for k, _, result in rows if k == kind]
        if values:
            over = sum(value > TARGETS_MIB[kind] for value in values)
            lines.append("")
            lines.append(f"{kind.capitalize()}s: median {statistics.median(values):.0f} MiB, range "
                         f"{min(values):.0f}-{max(values):.0f}; {over} of {len(values)} over the target.")
    lines += ["", WHAT_KEEPS_THEM_SMALL.rstrip("\n")]
    RESULTS.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
