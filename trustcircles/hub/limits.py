"""Memory and CPU limits per learner: each learner's server and kernels share one budget.

JupyterHub's ``Spawner.mem_limit`` and ``cpu_limit`` are only advice for a LocalProcessSpawner; here
they are enforced, by the best means this server has (:func:`mechanism`):

* ``cgroup1``: the memory and cpu controllers of cgroup v1 (``memory.limit_in_bytes``,
  ``cpu.cfs_quota_us``): one group per learner, which the server joins before it starts and its
  kernels inherit; a kernel past the budget is stopped by the kernel's OOM killer. Run here.
* ``cgroup2``: the same with the unified hierarchy (``memory.max``, ``cpu.max``), where root may
  create groups and enable the controllers. Written, not run here (this machine has cgroup v1).
* ``rlimit``: no writable cgroups: RLIMIT_AS caps the address space of each process (the server and
  each kernel separately, so not their sum), and there is no CPU limit.

Standard library only; the functions returned for ``preexec_fn`` make only system calls.
"""
from __future__ import annotations

import os
import re
import resource
from pathlib import Path

CGROUP = Path("/sys/fs/cgroup")
PERIOD_US = 100_000


def parse_bytes(text: str) -> int:
    """'1.5G', '512M', '2048K' or a number of bytes -> bytes."""
    match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*([KMGT]?)i?B?\s*", str(text), re.IGNORECASE)
    if not match:
        raise ValueError(f"{text!r} is not an amount of memory (e.g. 1.5G or 512M)")
    return int(float(match[1]) * 1024 ** " KMGT".index(match[2].upper() or " "))


def _writable(path: Path) -> bool:
    return path.is_dir() and os.access(path, os.W_OK)


def mechanism() -> str:
    """'cgroup2', 'cgroup1' or 'rlimit': how limits are enforced on this machine (see the module)."""
    if os.geteuid() == 0:
        if (CGROUP / "cgroup.controllers").is_file() and _writable(CGROUP):
            controllers = (CGROUP / "cgroup.controllers").read_text().split()
            if {"memory", "cpu"} <= set(controllers):
                return "cgroup2"
        if _writable(CGROUP / "memory") and _writable(CGROUP / "cpu"):
            return "cgroup1"
    return "rlimit"


def groups_for(group: str, user: str, how: str) -> list[Path]:
    if how == "cgroup1":
        return [CGROUP / "memory" / group / user, CGROUP / "cpu" / group / user]
    if how == "cgroup2":
        return [CGROUP / group / user]
    return []


def prepare(group: str, user: str, memory_bytes: int, cpus: float, how: str | None = None) -> list[Path]:
    """Create (or update) the learner's groups with their limits; return them (empty for rlimit)."""
    how = how or mechanism()
    paths = groups_for(group, user, how)
    if how == "cgroup1":
        memory, cpu = paths
        memory.mkdir(parents=True, exist_ok=True)
        (memory / "memory.limit_in_bytes").write_text(str(memory_bytes))
        cpu.mkdir(parents=True, exist_ok=True)
        (cpu / "cpu.cfs_period_us").write_text(str(PERIOD_US))
        (cpu / "cpu.cfs_quota_us").write_text(str(max(1000, int(cpus * PERIOD_US))))
    elif how == "cgroup2":
        parent = paths[0].parent
        parent.mkdir(exist_ok=True)
        for level in (CGROUP, parent):
            (level / "cgroup.subtree_control").write_text("+memory +cpu")
        paths[0].mkdir(exist_ok=True)
        (paths[0] / "memory.max").write_text(str(memory_bytes))
        (paths[0] / "cpu.max").write_text(f"{max(1000, int(cpus * PERIOD_US))} {PERIOD_US}")
    return paths


def preexec(paths: list[Path], memory_bytes: int):
    """A function for ``Popen(preexec_fn=...)``, run as root in the child before it becomes the
    learner: it joins the learner's groups (or, without them, caps its address space)."""
    procs = [str(path / "cgroup.procs") for path in paths]

    def join():
        if procs:
            pid = str(os.getpid()).encode()
            for name in procs:
                fd = os.open(name, os.O_WRONLY)
                try:
                    os.write(fd, pid)
                finally:
                    os.close(fd)
        else:
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    return join


def members(paths: list[Path]) -> list[int]:
    """Process ids in the groups."""
    pids = set()
    for path in paths:
        try:
            pids.update(int(p) for p in (path / "cgroup.procs").read_text().split())
        except OSError:
            pass
    return sorted(pids)


def remove(paths: list[Path]) -> None:
    """Remove empty groups and then their parent folder if it is empty (what prepare made)."""
    for path in paths:
        for each in (path, path.parent):
            try:
                each.rmdir()
            except OSError:
                pass


def memory_limit_of(paths: list[Path]) -> int | None:
    """The memory limit the groups enforce, in bytes (None without groups)."""
    for path in paths:
        for name in ("memory.limit_in_bytes", "memory.max"):
            if (path / name).is_file():
                return int((path / name).read_text().strip())
    return None


__all__ = ["mechanism", "prepare", "preexec", "members", "remove", "parse_bytes", "memory_limit_of",
           "groups_for"]
