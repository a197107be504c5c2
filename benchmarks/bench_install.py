"""Benchmark: a learner's install on a fresh clone, its size on disk and the bytes it downloads.

    python benchmarks/bench_install.py [--ref REF] [--python PYTHON] [--label TEXT] [--after-use]

Clones this repository (the commit REF, default HEAD) into an empty temporary folder and runs what
`make lab` runs before it opens JupyterLab, `python bootstrap.py setup`, with PYTHON (default: the
python3 on PATH), as a learner's machine would: packages from the package index only (no pip
configuration files, no local wheel folders) into an empty pip cache (PIP_CACHE_DIR). Then:

- on disk: `du -sm .venv` (the allocated size, as a learner's file manager shows it);
- downloads: every HTTP response pip received, byte for byte, from pip's own log (PIP_LOG records
  each GET with its length), split into package files and index pages;
- with --after-use, every lesson and every exercise's solution run once in that install (it has
  no nbgrader and no scipy: the run shows nothing needs them), and the size again afterwards.

Targets (issue 17): <= 700 MB on disk and <= 150 MB of downloads. Each run adds (or replaces, by
label) a row of benchmarks/results/install.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results" / "install.md"
TARGET_DISK_MB, TARGET_DOWNLOAD_MB = 700, 150
GET = re.compile(r'(https?)://([^: ]+):\d+ "GET (\S+) HTTP/[\d.]+" (\d{3}) (\d+|None)')


def disk_mb(folder: Path) -> float:
    """Allocated size in MB (1 MB = 2**20 bytes), counting each hard-linked file once, like du -sm."""
    seen, blocks = set(), 0
    for path in [folder, *folder.rglob("*")]:
        stat = path.lstat()
        if (stat.st_dev, stat.st_ino) not in seen:
            seen.add((stat.st_dev, stat.st_ino))
            blocks += stat.st_blocks
    return blocks * 512 / 2**20


def downloads(log: Path) -> dict[str, float]:
    """Bytes pip received, from its log: package files, index pages, responses of unknown length."""
    totals = {"package_mb": 0.0, "index_mb": 0.0, "files": 0, "unknown_length": 0, "largest": []}
    for line in log.read_text(errors="replace").splitlines():
        match = GET.search(line)
        if not match or match.group(4) != "200":
            continue
        if match.group(5) == "None":
            totals["unknown_length"] += 1
            continue
        size = int(match.group(5)) / 2**20
        if match.group(3).split("?")[0].endswith((".whl", ".tar.gz", ".zip")):
            totals["package_mb"] += size
            totals["files"] += 1
            totals["largest"].append((size, match.group(3).rsplit("/", 1)[-1]))
        else:
            totals["index_mb"] += size
    totals["largest"] = sorted(totals["largest"], reverse=True)[:12]
    return totals


def learner_environment(cache: Path, log: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("PIP_") or key in ("PIP_CERT", "PIP_DEFAULT_TIMEOUT")}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_CACHE_DIR=str(cache), PIP_LOG=str(log),
               PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("VIRTUAL_ENV", None)
    return env


def run_every_notebook(clone: Path) -> list[str]:
    """Run each lesson and each exercise's solution once in the clone's venv (outputs thrown away);
    return the notebooks that raised. A learner's install has no nbgrader and no scipy: this is
    where it shows that nothing needs them."""
    python = clone / ".venv" / "bin" / "python"
    notebooks = sorted(clone.glob("lessons/[0-9][0-9]_*.ipynb")) + sorted(clone.glob("solutions/*/*.ipynb"))
    script = ("import sys, tempfile, nbformat\nfrom nbclient import NotebookClient\n"
              "for path in sys.argv[1:]:\n"
              "    nb = nbformat.read(path, as_version=4)\n"
              "    try:\n"
              "        with tempfile.TemporaryDirectory() as folder:\n"
              "            NotebookClient(nb, timeout=600, kernel_name='python3',"
              " resources={'metadata': {'path': folder}}).execute()\n"
              "    except Exception as error:\n"
              "        print('FAILED', path, type(error).__name__, str(error)[-300:], flush=True)\n")
    result = subprocess.run([str(python), "-c", script, *map(str, notebooks)], cwd=clone,
                            capture_output=True, text=True)
    failed = [line for line in result.stdout.splitlines() if line.startswith("FAILED")]
    print(f"ran {len(notebooks)} notebooks in the learner's install: {len(failed)} failed", flush=True)
    for line in failed:
        print("  " + line)
    return failed


def measure(ref: str, python: str, after_use: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-install-") as tmp:
        clone, cache, log = Path(tmp) / "clone", Path(tmp) / "pip-cache", Path(tmp) / "pip.log"
        cache.mkdir()
        subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(REPO), str(clone)], check=True)
        subprocess.run(["git", "-C", str(clone), "checkout", "--quiet", ref], check=True)
        commit = subprocess.run(["git", "-C", str(clone), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, check=True).stdout.strip()
        version = subprocess.run([python, "-c", "import platform; print(platform.python_version())"],
                                 capture_output=True, text=True, check=True).stdout.strip()
        load_before = os.getloadavg()[0]
        start = time.perf_counter()
        subprocess.run([python, "bootstrap.py", "setup"], cwd=clone, env=learner_environment(cache, log),
                       check=True)
        seconds = time.perf_counter() - start
        result = {"commit": commit, "python": version, "seconds": seconds, "load": (load_before, os.getloadavg()[0]),
                  "disk_mb": disk_mb(clone / ".venv"), **downloads(log)}
        packages = subprocess.run([str(clone / ".venv" / "bin" / "python"), "-m", "pip", "list",
                                   "--format=freeze"], capture_output=True, text=True).stdout.lower()
        result["test_tools"] = [name for name in ("pytest", "playwright", "hypothesis", "nbmake", "scipy")
                                if f"\n{name}==" in "\n" + packages]
        if after_use:
            result["failed_notebooks"] = run_every_notebook(clone)
            result["disk_after_use_mb"] = disk_mb(clone / ".venv")
        return result


def record(label: str, result: dict, command: str) -> None:
    header = ["# Install benchmark (a learner's `make lab` set-up on a fresh clone)", "",
              "`python benchmarks/bench_install.py`: a fresh clone, an empty pip cache, packages from the",
              "package index only; `.venv` measured like `du -sm`; downloads are every HTTP response pip",
              "received (its log), package files and index pages. Targets: <= 700 MB on disk, <= 150 MB",
              "downloaded. One run per row; load is the 1-minute load average before -> after on 2 cores.", "",
              "| run | commit | Python | .venv MB | after running every lesson and solution, MB | downloads MB (packages + index) "
              "| files | set-up s | load | test tools or scipy in it |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    rows = {}
    notes: list[str] = []
    if RESULTS.exists():
        lines = RESULTS.read_text().splitlines()
        table = [line for line in lines if line.startswith("| ") and not line.startswith("| run ")]
        rows = {line.split("|")[1].strip(): line for line in table}
        if "## Notes" in lines:
            notes = lines[lines.index("## Notes"):]
    after = result.get("disk_after_use_mb")
    total = result["package_mb"] + result["index_mb"]
    rows[label] = (f"| {label} | {result['commit']} | {result['python']} | {result['disk_mb']:.0f} | "
                   f"{f'{after:.0f}' if after else '-'} | {total:.1f} ({result['package_mb']:.1f} + "
                   f"{result['index_mb']:.1f}) | {result['files']} | {result['seconds']:.0f} | "
                   f"{result['load'][0]:.1f} -> {result['load'][1]:.1f} | "
                   f"{', '.join(result['test_tools']) or 'none'} |")
    text = header + list(rows.values()) + ["", f"Last run: `{command}` on {platform.system()} "
                                           f"{platform.machine()}."] + ([""] + notes if notes else [])
    RESULTS.write_text("\n".join(text) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ref", default="HEAD", help="the commit to clone (default HEAD)")
    parser.add_argument("--python", default=shutil.which("python3") or sys.executable)
    parser.add_argument("--label", default=None, help="the row's name in the results (default: the commit)")
    parser.add_argument("--after-use", action="store_true", help="also measure after every notebook ran once")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    result = measure(args.ref, args.python, args.after_use)
    total = result["package_mb"] + result["index_mb"]
    print(f"{result['commit']} Python {result['python']}: .venv {result['disk_mb']:.0f} MB "
          f"(target <= {TARGET_DISK_MB}), downloads {total:.1f} MB = {result['package_mb']:.1f} packages "
          f"({result['files']} files) + {result['index_mb']:.1f} index (target <= {TARGET_DOWNLOAD_MB}); "
          f"set-up {result['seconds']:.0f} s; unknown lengths: {result['unknown_length']}"
          + (f"; after every notebook ran: {result['disk_after_use_mb']:.0f} MB" if "disk_after_use_mb" in result else ""))
    print("largest downloads: " + ", ".join(f"{name} {size:.1f}" for size, name in result["largest"]))
    if not args.no_record:
        command = "python benchmarks/bench_install.py " + " ".join(sys.argv[1:])
        record(args.label or result["commit"], result, command.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
