"""Benchmark: the JSON report of a 1,000,000-event table, against pandas alone and networkx.

    python benchmarks/bench_report.py [--events 1000000] [--repeats 5] [--results FILE]

Makes a seeded synthetic interactions table (a temporary .csv.gz, deleted afterwards) and times,
side by side in one run, each case in a fresh Python process (so interpreter start-up and imports
count for every case alike; nothing is subtracted), repetitions interleaved so that a busy moment
hits all cases alike:

* ``report``: ``python -m trustcircles report FILE --format json --out ...`` (load, validate,
  every metric, JSON written);
* ``pandas_read`` (the floor, as issue 4 says: reading the same file with pandas alone):
  ``pd.read_csv(FILE)`` with pandas' defaults (C parser, types inferred);
* ``pandas_read_text`` (for comparison, not a target): the read the report itself does,
  ``pd.read_csv(FILE, dtype=str, keep_default_na=False, engine="pyarrow")``;
* ``networkx`` (the peer): the straightforward networkx computation a data scientist would
  write: rows read with the ``csv`` module, each conversational event a→b (a ≠ b) added as an edge
  of a ``DiGraph``, then ``nx.reciprocity`` and mutuals per node by walking the successors and
  checking ``has_edge``. Its ties, reciprocity and total of mutuals are checked against the report's;
* ``python_start`` (for reference): ``python -c pass``.

Each case is started by a small launcher process that measures its wall time and its peak
resident set size (``ru_maxrss`` from ``os.wait4``; see LAUNCHER for why not from this script).
Targets (issue 4, on a 2-core machine): report ≤ 5 s wall and ≤ 3 × pandas_read; ≥ 5 × faster
than networkx; peak memory ≤ 2 GB. The medians, ratios and verdicts are printed and, with
``--results``, written as Markdown.
"""
from __future__ import annotations

import argparse
import json
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
import sys
import pandas as pd
pd.read_csv(sys.argv[1])
"""

PANDAS_READ_TEXT = """
import sys
import pandas as pd
pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False, engine="pyarrow")
"""

NETWORKX_PEER = """
import csv, gzip, json, sys
import networkx as nx

graph = nx.DiGraph()
with gzip.open(sys.argv[1], "rt", encoding="utf-8-sig", newline="") as handle:
    for row in csv.DictReader(handle):
        if row["kind"] in ("reply", "mention", "dm") and row["actor"] != row["target"]:
            graph.add_edge(row["actor"], row["target"])
reciprocity = nx.reciprocity(graph)
mutuals = {node: sum(1 for other in graph.successors(node) if graph.has_edge(other, node))
           for node in graph}
print(json.dumps({"ties": graph.number_of_edges(), "reciprocity": reciprocity,
                  "mutuals": sum(mutuals.values())}))
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


#: A minimal launcher between this script and each case. Linux counts the memory of the process
#: that starts a program in the program's peak (ru_maxrss survives exec), so the cases are not
#: started from this script, which holds pandas and the table, but from this small process (about
#: 10 MB, far below any case's peak). It times the case and reports its rusage.
LAUNCHER = """
import os, sys, time
start = time.perf_counter()
pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
os.write(2, f"\\nBENCH {wall:.6f} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}\\n".encode())
"""


def run_child(command: list[str]) -> tuple[float, float, str]:
    """Run one case in a fresh process; return (wall seconds, its peak resident memory in MB, stdout)."""
    done = subprocess.run([sys.executable, "-S", "-c", LAUNCHER, *command], capture_output=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    err = done.stderr.decode(errors="replace")
    lines = [line for line in err.splitlines() if line.startswith("BENCH ")]
    if done.returncode != 0 or not lines or lines[-1].split()[3] != "0":
        raise SystemExit(f"benchmark child failed: {' '.join(command[:4])}\n{err}")
    _, wall, peak_kb, _ = lines[-1].split()
    return float(wall), int(peak_kb) / 1024, done.stdout.decode()  # ru_maxrss is in KB on Linux


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def load_average() -> str:
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--results", type=Path, help="write a Markdown results file here")
    args = parser.parse_args()

    python = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "interactions.csv.gz"
        started = time.perf_counter()
        make_table(args.events, args.accounts).to_csv(path, index=False,
                                                      compression={"method": "gzip", "compresslevel": 1})
        print(f"made {args.events:,} events in {time.perf_counter() - started:.1f} s "
              f"({path.stat().st_size / 1e6:.0f} MB gzip)", file=sys.stderr)
        out = Path(folder) / "report.json"
        cases = {
            "report": [python, "-m", "trustcircles", "report", str(path), "--format", "json",
                       "--out", str(out)],
            "pandas_read": [python, "-c", PANDAS_READ, str(path)],
            "pandas_read_text": [python, "-c", PANDAS_READ_TEXT, str(path)],
            "networkx": [python, "-c", NETWORKX_PEER, str(path)],
            "python_start": [python, "-c", "pass"],
        }
        load_before = load_average()
        runs = {name: [] for name in cases}
        peer_output = ""
        for repeat in range(args.repeats):  # interleaved, so a busy moment hits all cases alike
            for name, command in cases.items():
                wall, peak, stdout = run_child(command)
                runs[name].append((wall, peak))
                if name == "networkx":
                    peer_output = stdout
                print(f"  {name} run {repeat + 1}: {wall:.2f} s, {peak:.0f} MB", file=sys.stderr)
        load_after = load_average()
        # The peer must compute what the report computes, or the comparison means nothing.
        mine = json.loads(out.read_text(encoding="utf-8"))
        peer = json.loads(peer_output)
        expected = {"ties": mine["global"]["ties"], "reciprocity": mine["global"]["reciprocity"],
                    "mutuals": sum(a["mutuals"] for a in mine["accounts"].values())}
        if (peer["ties"], peer["mutuals"]) != (expected["ties"], expected["mutuals"]) or not \
                np.isclose(peer["reciprocity"], expected["reciprocity"], rtol=1e-9, atol=0):
            raise SystemExit(f"the networkx peer disagrees with the report: {peer} vs {expected}")

    wall = {name: statistics.median(w for w, _ in values) for name, values in runs.items()}
    memory = {name: max(m for _, m in values) for name, values in runs.items()}
    ratio_floor = wall["report"] / wall["pandas_read"]
    ratio_text = wall["report"] / wall["pandas_read_text"]
    ratio_peer = wall["networkx"] / wall["report"]
    verdict = {"report ≤ 5 s": wall["report"] <= 5, "report ≤ 3 × pandas_read": ratio_floor <= 3,
               "≥ 5 × faster than networkx": ratio_peer >= 5,
               "peak memory ≤ 2 GB": memory["report"] <= 2048}
    lines = [
        f"# Benchmark: report --format json on {args.events:,} events", "",
        f"Run on {time.strftime('%Y-%m-%d %H:%M %Z')} with `python benchmarks/bench_report.py "
        f"--events {args.events} --accounts {args.accounts} --repeats {args.repeats}`.", "",
        f"- Machine: {cpu_model()}, {os.cpu_count()} CPU cores; Python "
        f"{platform.python_version()}, pandas {pd.__version__}, numpy {np.__version__}.",
        f"- Load average (1, 5, 15 min): {load_before} before, {load_after} after.",
        f"- Each figure is the median wall time of {args.repeats} runs, each run a fresh process "
        "(interpreter start-up and imports included, nothing subtracted); memory is the largest peak "
        "resident set size of the child over the runs.",
        f"- The networkx peer's ties ({expected['ties']:,}), reciprocity and mutuals agree with the "
        "report's.", "",
        "| case | median wall (s) | runs (s) | peak memory (MB) |", "|---|---|---|---|"]
    for name, values in runs.items():
        lines.append(f"| {name} | {wall[name]:.2f} | {', '.join(f'{w:.2f}' for w, _ in values)} "
                     f"| {memory[name]:.0f} |")
    lines += ["", f"- report / pandas_read = {ratio_floor:.2f} (target ≤ 3)",
              f"- report / pandas_read_text = {ratio_text:.2f} (no target: the report's own read)",
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
