"""Benchmark: the JSON report of a 1,000,000-event table, against pandas alone and networkx.

    python benchmarks/bench_report.py [--events 1000000] [--repeats 3] [--results FILE]

Makes a seeded synthetic interactions table (a temporary .csv.gz, deleted afterwards) and times,
side by side in one run, each in a fresh Python process so start-up costs and peak memory are
measured honestly:

* ``report``: ``python -m trustcircles report FILE --format json --out ...`` (load, validate,
  every metric, JSON written);
* ``pandas_read`` (the floor): reading the same file with ``pandas.read_csv`` alone, all text;
* ``networkx`` (the peer): reading with pandas, then a straightforward networkx computation of the
  ties, global reciprocity and mutuals per account from a ``DiGraph``.

Targets (issue 4, on a 2-core machine): report ≤ 5 s wall and ≤ 3 × pandas_read; ≥ 5 × faster than
networkx; peak memory ≤ 2 GB. The medians and ratios are printed and, with ``--results``, written
as a Markdown table. Timing is wall-clock of the whole child process.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

PANDAS_READ = """
import pandas as pd, sys
pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False, engine="pyarrow")
"""

NETWORKX_PEER = """
import sys
import networkx as nx
import pandas as pd
table = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False, engine="pyarrow")
talk = table[table["kind"].isin(["reply", "mention", "dm"]) & (table["actor"] != table["target"])]
graph = nx.DiGraph()
graph.add_edges_from(zip(talk["actor"], talk["target"]))
ties = graph.number_of_edges()
reciprocity = nx.reciprocity(graph)
mutuals = {node: sum(1 for other in graph.successors(node) if graph.has_edge(other, node))
           for node in graph}
print(ties, reciprocity, sum(mutuals.values()))
"""

MEASURE = """
import runpy, sys, time
start = time.perf_counter()
script, sys.argv = sys.argv[1], sys.argv[1:]
try:
    if script == "-m":
        sys.argv = sys.argv[1:]
        runpy.run_module(sys.argv[0], run_name="__main__")
    else:
        exec(compile(script, "<bench>", "exec"), {"__name__": "__main__"})
except SystemExit as done:
    if done.code not in (0, None):
        raise
# VmHWM (peak resident memory, KB) belongs to this program image; ru_maxrss would also count the
# parent's memory inherited through fork.
peak = [l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM")][0]
print(f"BENCH {time.perf_counter() - start:.6f} {peak}", file=sys.stderr)
"""


def make_table(n_events: int, n_accounts: int, seed: int = 4) -> pd.DataFrame:
    """A valid METRICS.md table with realistic proportions of kinds, questions and answers."""
    rng = np.random.default_rng(seed)
    kinds = np.array(["post", "reply", "mention", "dm", "like", "share"])
    kind = kinds[rng.choice(6, n_events, p=[0.15, 0.35, 0.1, 0.1, 0.25, 0.05])]
    seconds = np.sort(rng.integers(0, 180 * 86400, n_events))
    # A skewed activity: a few accounts write much, most write little (Zipf-like weights).
    weights = 1 / np.arange(1, n_accounts + 1) ** 0.8
    weights /= weights.sum()
    actor = rng.choice(n_accounts, n_events, p=weights)
    # Conversation mostly stays in a neighbourhood of nearby IDs, so that ties repeat and reciprocate.
    target = (actor + rng.integers(1, 40, n_events) * rng.choice([-1, 1], n_events)) % n_accounts
    parent = np.maximum(np.arange(n_events) - rng.integers(1, 200, n_events), 0)
    event_id = np.char.add("e", np.char.zfill(np.arange(n_events).astype(str), 7))
    names = np.char.add("u", np.char.zfill(np.arange(n_accounts).astype(str), 5))
    is_post = kind == "post"
    needs_parent = np.isin(kind, ["reply", "like", "share"]) | (
        np.isin(kind, ["dm", "mention"]) & (rng.random(n_events) < 0.2))
    stamps = pd.Timestamp("2025-01-01", tz="UTC") + pd.to_timedelta(seconds, unit="s")
    return pd.DataFrame({
        "event_id": event_id,
        "timestamp": stamps.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "actor": names[actor],
        "target": np.where(is_post, "", names[target]),
        "kind": kind,
        "parent_id": np.where(needs_parent & ~is_post, event_id[parent], ""),
        "is_question": np.where(rng.random(n_events) < 0.12, "true", "false"),
        "is_promotional": np.where(rng.random(n_events) < 0.06, "true", "false"),
    })


def measure(args: list[str]) -> tuple[float, float]:
    """Run one child process; return (wall seconds, peak resident memory in MB)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", MEASURE, *args], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{done.stderr}")
    line = [l for l in done.stderr.splitlines() if l.startswith("BENCH ")][-1]
    return wall, int(line.split()[2]) / 1024  # VmHWM is in KB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--results", type=Path, help="write a Markdown results file here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "interactions.csv.gz"
        started = time.perf_counter()
        make_table(args.events, args.accounts).to_csv(path, index=False,
                                                      compression={"method": "gzip", "compresslevel": 1})
        print(f"made {args.events:,} events in {time.perf_counter() - started:.1f} s "
              f"({path.stat().st_size / 1e6:.0f} MB gzip)", file=sys.stderr)
        out = Path(folder) / "report.json"
        cases = {
            "report": ["-m", "trustcircles", "report", str(path), "--format", "json", "--out", str(out)],
            "pandas_read": [PANDAS_READ, str(path)],
            "networkx": [NETWORKX_PEER, str(path)],
        }
        runs = {name: [] for name in cases}
        for repeat in range(args.repeats):  # interleaved, so a busy moment hits all cases alike
            for name, case in cases.items():
                runs[name].append(measure(case))
                print(f"  {name} run {repeat + 1}: {runs[name][-1][0]:.2f} s, "
                      f"{runs[name][-1][1]:.0f} MB", file=sys.stderr)

    wall = {name: statistics.median(w for w, _ in values) for name, values in runs.items()}
    memory = {name: max(m for _, m in values) for name, values in runs.items()}
    ratio_floor = wall["report"] / wall["pandas_read"]
    ratio_peer = wall["networkx"] / wall["report"]
    verdict = {"report ≤ 5 s": wall["report"] <= 5, "report ≤ 3 × pandas read": ratio_floor <= 3,
               "≥ 5 × faster than networkx": ratio_peer >= 5, "peak memory ≤ 2 GB": memory["report"] <= 2048}
    lines = [
        "# Benchmark: report --format json on 1,000,000 events", "",
        f"Run with `python benchmarks/bench_report.py --events {args.events} --accounts "
        f"{args.accounts} --repeats {args.repeats} --results benchmarks/results/report.md`.",
        f"Machine: {os.cpu_count()} CPU cores, Python {platform.python_version()}, pandas "
        f"{pd.__version__}. Each figure is the median wall time of {args.repeats} runs, each run a "
        "fresh process (interpreter start-up and imports included); memory is the largest peak "
        "resident set size seen.", "",
        "| case | median wall (s) | runs (s) | peak memory (MB) |", "|---|---|---|---|"]
    for name, values in runs.items():
        lines.append(f"| {name} | {wall[name]:.2f} | {', '.join(f'{w:.2f}' for w, _ in values)} "
                     f"| {memory[name]:.0f} |")
    lines += ["", f"- report / pandas_read = {ratio_floor:.2f} (target ≤ 3)",
              f"- networkx / report = {ratio_peer:.2f} (target ≥ 5)", ""]
    lines += [f"- {name}: {'met' if ok else 'NOT met'}" for name, ok in verdict.items()]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.results:
        args.results.parent.mkdir(parents=True, exist_ok=True)
        temp = args.results.with_suffix(".tmp")
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, args.results)


if __name__ == "__main__":
    main()
