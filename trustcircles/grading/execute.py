"""Running one graded notebook: nbgrader's Execute step in a sandboxed kernel, then the probe.

:class:`SandboxedExecute` replaces nbgrader's ``Execute`` preprocessor in the autograde pipeline. It
starts the kernel with :class:`~trustcircles.grading.sandbox.SandboxedKernelManager`, runs the cells
with the per-cell time-out and a wall-time budget for the whole notebook (cells are stopped when it
runs out and the rest are not run), keeps at most :data:`OUTPUT_BYTES_PER_CELL` of output per cell
(and per page, see :mod:`~trustcircles.grading.feedback`), and then, in the same kernel, runs the
probe (:mod:`trustcircles.checks.probe`): the learner's functions on the grading's tables. What the
run gave (the probe's results, the audit events, where it stopped and why) goes into
``resources["trustcircles"]`` for :mod:`~trustcircles.grading.judge`. Whatever happens, the sandbox
is killed at the end: nothing the notebook started survives its grading.
"""
from __future__ import annotations

import json
import math
import threading
import time

from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode

from nbgrader.preprocessors import Execute
from trustcircles.checks.probe import MIME
from trustcircles.grading.sandbox import SandboxedKernelManager

#: output kept per cell while it runs (the rest is dropped and the feedback says so)
OUTPUT_BYTES_PER_CELL = 2_000_000
#: output kept per notebook while it runs
OUTPUT_BYTES_PER_NOTEBOOK = 8_000_000
#: seconds for the probe after the notebook (added to the notebook's wall time)
PROBE_SECONDS = 30
#: largest message a kernel may send (larger ones are dropped by ZMQ)
MAX_MESSAGE_BYTES = 64 * 1024 * 1024


def _size(output) -> int:
    try:
        return len(json.dumps(output, default=str))
    except (TypeError, ValueError):
        return 0


class SandboxedExecute(Execute):
    """nbgrader's Execute, in a sandbox, with a wall-time budget, output caps and the probe."""

    def create_kernel_manager(self):
        import zmq

        state = self.resources["trustcircles"]
        if not self.kernel_name:
            self.kernel_name = self.nb.metadata.get("kernelspec", {}).get("name") or "python3"
        self.km = SandboxedKernelManager(kernel_name="python3", config=self.config)
        self.km.plan = state["plan"]
        self.km.context.setsockopt(zmq.MAXMSGSIZE, MAX_MESSAGE_BYTES)
        self._sandbox_km = self.km
        return self.km

    def _get_timeout(self, cell):
        timeout = super()._get_timeout(cell)
        budget = getattr(self, "_budget", None)
        if budget is None:
            return timeout
        remaining = max(1, math.ceil(budget - time.monotonic()))
        return remaining if timeout is None else min(timeout, remaining)

    def output(self, outs, msg, display_id, cell_index):
        out = super().output(outs, msg, display_id, cell_index)
        if out is None or getattr(self, "_probing", False):
            return out
        state = self.resources["trustcircles"]
        size = _size(out)
        per_cell = state.setdefault("output_bytes", {})
        used = per_cell.get(cell_index, 0)
        total = sum(per_cell.values())
        if used + size > OUTPUT_BYTES_PER_CELL or total + size > OUTPUT_BYTES_PER_NOTEBOOK:
            if outs and outs[-1] is out:
                outs.pop()
            state.setdefault("dropped_output", {})
            state["dropped_output"][cell_index] = state["dropped_output"].get(cell_index, 0) + size
            return None
        per_cell[cell_index] = used + size
        return out

    def preprocess(self, nb, resources=None, km=None):
        from nbclient import NotebookClient

        NotebookClient.__init__(self, nb, km)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        state = self.resources["trustcircles"]
        limits = state["plan"].limits
        started = time.monotonic()
        self._budget = started + limits.wall_seconds
        state.update(stopped_at=None, died_at=None, skipped=[], probe=None, probe_error="", audit=[])
        hard = threading.Timer(limits.wall_seconds + PROBE_SECONDS + 20, self._kill)
        hard.daemon = True
        hard.start()
        try:
            with self.setup_kernel():
                info = self.wait_for_reply(self.kc.kernel_info())
                self.nb.metadata["language_info"] = info["content"]["language_info"]
                self._run_cells(state)
                if state["died_at"] is None:
                    self._run_probe(state)
        except DeadKernelError:
            if state["died_at"] is None:
                state["died_at"] = "probe" if state.get("probing") else "start"
        finally:
            hard.cancel()
            manager = getattr(self, "_sandbox_km", None)
            if manager is not None:
                state["audit"] = list(manager.audit_events)
                state["kernel_stderr"] = manager.stderr_tail
                manager.kill_sandbox()
        state["seconds"] = time.monotonic() - started
        self.set_widgets_metadata()
        return self.nb, self.resources

    def _kill(self) -> None:
        manager = getattr(self, "_sandbox_km", None)
        if manager is not None:
            self.resources["trustcircles"]["hard_killed"] = True
            manager.kill_sandbox()

    def _run_cells(self, state) -> None:
        for index, cell in enumerate(self.nb.cells):
            if cell.cell_type != "code" or not cell.source.strip():
                continue
            if time.monotonic() >= self._budget:
                state["skipped"].append(index)
                continue
            try:
                self.preprocess_cell(cell, self.resources, index)
            except DeadKernelError:
                state["died_at"] = index
                return
            if time.monotonic() >= self._budget - 0.5 and any(
                    o.get("output_type") == "error" and o.get("ename") == "CellTimeoutError" for o in cell.outputs):
                state["stopped_at"] = index

    def _run_probe(self, state) -> None:
        code = state.get("probe_code")
        if not code:
            return
        self._budget = None
        old_timeout = self.timeout
        self.timeout = PROBE_SECONDS
        self._probing = True
        state["probing"] = True
        cell = NotebookNode(cell_type="code", source=code, metadata={}, outputs=[], execution_count=None)
        self.nb.cells.append(cell)
        try:
            self.execute_cell(cell, len(self.nb.cells) - 1, store_history=False)
        except DeadKernelError:
            state["died_at"] = "probe"
        except ValueError as error:
            # a message on the kernel's channels that does not carry its signature: the notebook's
            # own processes (a fork bomb's children share the kernel's sockets) wrote there; its
            # functions cannot be tried, which the reason says
            state["probe_error"] = f"the kernel's answer could not be read ({str(error)[:60]})"
        finally:
            self.nb.cells.pop()
            self.timeout = old_timeout
            self._probing = False
            state["probing"] = False
        found = [o for o in cell.outputs if o.get("output_type") == "display_data" and MIME in o.get("data", {})]
        if found:
            state["probe"] = found[-1]["data"][MIME]
        else:
            errors = [f"{o.get('ename')}: {str(o.get('evalue'))[:200]}" for o in cell.outputs
                      if o.get("output_type") == "error"]
            state["probe_error"] = errors[-1] if errors else (state["probe_error"] or "the probe gave no result")
