"""The course's Jupyter kernel: ipykernel, started without its debugger (issue 17).

* ``python -m trustcircles.kernel -f CONNECTION_FILE`` starts it: what :data:`SPEC`, the course's
  kernelspec, runs;
* ``python -m trustcircles.kernel install [PREFIX]`` makes :data:`SPEC` the ``python3`` kernel of
  this environment (or of the one at PREFIX): ``share/jupyter/kernels/python3/kernel.json``, where
  ipykernel put its own. bootstrap.py does it for `make lab`, the tests and a workshop hub,
  binder/postBuild for Binder. Every notebook names the kernel ``python3``, so JupyterLab, the
  tests and benchmarks/bench_memory.py all start this one.

ipykernel imports debugpy as it starts, for JupyterLab's visual debugger: some 140 modules and
7-8 MiB in every kernel, a lesson's and an exercise's alike, for a tool the course never uses.
Marked as absent (``sys.modules["debugpy"] = None``, Python's way of saying "cannot be imported"),
ipykernel starts without a debugger, as it does wherever debugpy is not installed, and the
kernelspec tells JupyterLab so (``"debugger": false``), which then offers none. Everything else
is ipykernel as usual. Importing the package first also fits the allocators
(``trustcircles/__init__.py``). Standard library only at the top.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

#: The kernelspec: ipykernel's own, but started through this module and without a debugger.
SPEC = {
    "argv": ["python", "-m", "trustcircles.kernel", "-f", "{connection_file}"],
    "display_name": "Python 3 (ipykernel)",
    "language": "python",
    "metadata": {"debugger": False, "supported_encryption": ["curve"]},
    "kernel_protocol_version": "5.5",
}


def spec_file(prefix: str | Path | None = None) -> Path:
    """Where an environment's ``python3`` kernelspec lives (``prefix``: the environment, this one if None)."""
    return Path(prefix or sys.prefix) / "share" / "jupyter" / "kernels" / "python3" / "kernel.json"


def install(prefix: str | Path | None = None) -> Path:
    """Make :data:`SPEC` the environment's ``python3`` kernel (ipykernel's logos beside it stay)."""
    path = spec_file(prefix)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(SPEC, indent=1) + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def main() -> None:
    """Start the kernel (ipykernel's own command line: ``-f CONNECTION_FILE`` and its options)."""
    if sys.argv[1:2] == ["install"] and len(sys.argv) <= 3:
        install(sys.argv[2] if len(sys.argv) == 3 else None)
        print("installed the course's kernel (python3, without a debugger)")
        return
    # what ipykernel_launcher does: the notebook's folder leaves sys.path while ipykernel loads
    # (IPython puts it back), so a file there cannot stand in for a module ipykernel needs
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]
    sys.modules["debugpy"] = None
    from ipykernel import kernelapp
    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
