"""Where a graded notebook's kernel runs: a bubblewrap sandbox, its limits, and its kernel manager.

Every submitted notebook is a stranger's code. On Linux, with bubblewrap (``bwrap``, Debian's
``bubblewrap`` package), each kernel runs in a sandbox of its own (:func:`find_sandbox`):

* new namespaces for processes, network (no network at all, not even the machine's own services),
  IPC, host name and cgroups; it dies with the grading process and runs in a session of its own;
* an unprivileged identity: when grading as root, a dedicated user id that no account on the machine
  has (:data:`SANDBOX_UID_BASE` and up, one per grading process), with no groups and no capabilities;
  as anyone else, a user namespace (the kernel has the trainer's user id, but sees only the sandbox);
* it sees, read-only, the system's libraries, the Python installation, the course package (without
  the worked answers) and the course data, and read-write only a size-limited scratch folder in
  memory (its home, its working folder with a copy of its own notebook, its temporary files and
  the kernel's sockets). No other submission, no original, no gradebook, no course directory, no
  solutions, no home directory of the trainer, no environment variables of the grading process;
* limits (:class:`Limits`): memory, processes, file size, disk, CPU time, and wall time for the whole
  notebook (enforced by :mod:`trustcircles.grading.execute`).

The kernel speaks ZMQ over Unix sockets (``transport="ipc"``) that it creates in its own scratch
folder; the grading process reaches them through ``/proc/<pid>/root``, so nothing on the machine is
writable from inside. :class:`SandboxedKernelManager` is a jupyter_client kernel manager that starts
the kernel this way, through :mod:`trustcircles.grading.kernel_launch`.

Without bubblewrap (macOS, Windows, a Linux without it or without user namespaces), ``--sandbox
auto`` grades anyway, with the same limits where the system has them, outside marks and no shell
escapes, and says on the command's first line that notebooks run with the trainer's rights;
``--sandbox require`` refuses to grade (a JupyterHub uses it); ``--sandbox off`` does not look.
"""
from __future__ import annotations

import dataclasses
import json
import os
import pwd
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import jupyter_client.manager

#: the dedicated identities of sandboxes started by root: this id plus one per grading process
SANDBOX_UID_BASE = 2_100_000_000
#: where the learner's scratch folder appears inside the sandbox
HOME = "/home/learner"
#: where the grading inputs (plan, connection file, notebook copy, probe tables) appear, read-only
INPUTS = "/grading"
CHOICES = ("auto", "require", "off")
#: modules a graded notebook's setup imports anyway, loaded by the kernel before its audit starts
PRELOAD = ("numpy", "pandas", "IPython.display", "trustcircles.checks", "trustcircles.data")
_MB = 1024 * 1024
#: size of the sandbox's /dev/shm (shared memory for locks and queues)
SHM_MB = 16


@dataclasses.dataclass(frozen=True)
class Limits:
    """What one graded notebook may use (TRAINERS.md lists the same defaults and flags)."""
    memory_mb: int = 2048        # address space of each process (RLIMIT_AS): --memory-mb
    processes: int = 128         # processes and threads of the sandbox's identity (RLIMIT_NPROC): --processes
    file_mb: int = 256           # the largest file it may write (RLIMIT_FSIZE): --file-mb
    disk_mb: int = 512           # all its files together (size of its scratch folder): --disk-mb
    cpu_seconds: int = 300       # CPU time of each process (RLIMIT_CPU): --cpu-seconds
    wall_seconds: int = 90       # wall time for the whole notebook, its checks included: --wall-seconds

    def for_kernel(self) -> dict:
        return {"memory_bytes": self.memory_mb * _MB, "processes": self.processes,
                "file_bytes": self.file_mb * _MB, "cpu_seconds": self.cpu_seconds}

    def describe(self) -> str:
        return (f"{self.memory_mb} MB of memory, {self.processes} processes, files up to {self.file_mb} MB "
                f"and {self.disk_mb} MB in all, {self.cpu_seconds} s of CPU, {self.wall_seconds} s "
                "for the whole notebook")


@dataclasses.dataclass(frozen=True)
class Sandbox:
    """How kernels run in this grading run: ``mode`` is "root" (a dedicated identity), "user" (user
    namespaces) or "none"; ``why`` says, for "none", why there is no sandbox."""
    mode: str
    why: str = ""
    bwrap: str = ""

    @property
    def active(self) -> bool:
        return self.mode != "none"

    def first_line(self) -> str:
        """What the grade command says first."""
        if self.active:
            who = ("a dedicated unprivileged user id" if self.mode == "root"
                   else "a user namespace")
            return (f"Sandbox: bubblewrap, each notebook in its own sandbox ({who}, no network, "
                    "only its own folder writable).")
        return (f"No sandbox: {self.why} Each notebook runs with your own rights on this computer "
                "(see TRAINERS.md, 'Grading without a sandbox'); use --sandbox require to refuse.")


_FOUND: dict[str, Sandbox] = {}


def _namespace_flags(as_root: bool) -> list[str]:
    flags = ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
             "--die-with-parent", "--new-session"]
    if not as_root:
        flags += ["--unshare-user", "--disable-userns", "--cap-drop", "ALL"]
    return flags


def find_sandbox(choice: str = "auto") -> Sandbox:
    """The sandbox this machine offers for ``--sandbox choice`` (a quick trial run of bwrap, once
    per process). "off" gives no sandbox; "require" is the caller's to enforce."""
    if choice not in CHOICES:
        raise ValueError(f"--sandbox must be one of {', '.join(CHOICES)}, not {choice!r}")
    if choice == "off":
        return Sandbox("none", "switched off (--sandbox off).")
    if "found" in _FOUND:
        return _FOUND["found"]
    _FOUND["found"] = found = _try_bwrap()
    return found


def _try_bwrap() -> Sandbox:
    if not sys.platform.startswith("linux"):
        return Sandbox("none", f"bubblewrap runs on Linux only (this is {sys.platform}).")
    bwrap = shutil.which("bwrap")
    if not bwrap:
        return Sandbox("none", "bubblewrap (bwrap) is not installed (Debian/Ubuntu: sudo apt-get "
                               "install bubblewrap).")
    as_root = os.geteuid() == 0
    command = [bwrap, *_namespace_flags(as_root), *_system_binds(), "--proc", "/proc", "--dev", "/dev",
               "--", sys.executable, "-I", "-c", "pass"]
    command[command.index("--", 1):command.index("--", 1)] = _python_binds()
    try:
        trial = subprocess.run(command, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as error:
        return Sandbox("none", f"bubblewrap could not start ({error}).")
    if trial.returncode != 0:
        detail = (trial.stderr.strip().splitlines() or ["no message"])[-1][:200]
        return Sandbox("none", f"bubblewrap cannot create a sandbox here ({detail}); user namespaces "
                               "may be switched off (sysctl kernel.unprivileged_userns_clone).")
    return Sandbox("root" if as_root else "user", bwrap=bwrap)


# --------------------------------------------------------------------------- what the sandbox sees


def _system_binds() -> list[str]:
    """The system's programs and libraries, read-only (merged-/usr symlinks kept as symlinks)."""
    args = ["--ro-bind", "/usr", "/usr"]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    for name in ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "timezone"):
        path = f"/etc/{name}"
        if os.path.exists(path):
            args += ["--ro-bind", path, path]
    return args


def _package_dir() -> Path:
    return Path(__file__).resolve().parent.parent


def _python_dirs() -> list[Path]:
    """The Python installation and its site-packages (never a folder above the course package, such
    as the repository with its solutions), deepest last."""
    dirs = {Path(p).resolve() for p in {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}}
    repo = _package_dir().parent
    return sorted((d for d in dirs if d.is_dir() and not (d in repo.parents or d == repo)),
                  key=lambda p: len(p.parts))


def _python_binds() -> list[str]:
    args: list[str] = []
    for folder in _python_dirs():
        args += ["--ro-bind", str(folder), str(folder)]
    return args


def _parents(paths) -> list[str]:
    """Every folder above the given paths, outermost first (made traversable inside the sandbox)."""
    seen: list[str] = []
    for path in paths:
        for parent in reversed(Path(path).parents):
            text = str(parent)
            if text != "/" and text not in seen:
                seen.append(text)
    return sorted(seen, key=lambda p: (p.count("/"), p))


# --------------------------------------------------------------------------- one kernel's sandbox


@dataclasses.dataclass
class KernelPlan:
    """One notebook's kernel: its sandbox, limits, private folder on this machine and names inside."""
    sandbox: Sandbox
    limits: Limits
    private: Path                 # on this machine, the grading process's only (0700)
    assignment: str
    uid: int | None = None
    extra_ro: tuple[tuple[str, str], ...] = ()   # (path here, path inside): for tests only

    @property
    def inputs(self) -> Path:
        return self.private / "in"

    def inside(self, name: str) -> str:
        """Where a file of the inputs folder appears to the kernel."""
        return f"{INPUTS}/{name}" if self.sandbox.active else str(self.inputs / name)

    @property
    def home(self) -> str:
        return HOME if self.sandbox.active else str(self.private / "home")

    @property
    def workdir(self) -> str:
        return f"{self.home}/{self.assignment}"

    @property
    def socket_dir(self) -> str:
        return f"{self.home}/.kernel"

    def environment(self) -> dict[str, str]:
        """The kernel's whole environment: nothing of the grading process's."""
        from trustcircles.checks.modes import SOLUTIONS_ENV

        env = {"HOME": self.home, "USER": "learner", "LOGNAME": "learner", "LANG": "C.UTF-8",
               "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
               "TMPDIR": f"{self.home}/.tmp", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0",
               "MPLBACKEND": "agg", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
               "MKL_NUM_THREADS": "1", "NUMEXPR_MAX_THREADS": "1", "MALLOC_ARENA_MAX": "2",
               SOLUTIONS_ENV: "off"}   # no check runs in here: the marks are decided outside
        datasets = os.environ.get("TRUSTCIRCLES_DATASETS")
        if datasets:
            env["TRUSTCIRCLES_DATASETS"] = datasets
        return env

    def launch_plan(self, connection_file: str, kernel_args: list[str], audit_fd: int | None) -> dict:
        return {"uid": self.uid, "gid": self.uid, "limits": self.limits.for_kernel(), "home": self.home,
                "workdir": self.workdir, "tmpdir": f"{self.home}/.tmp", "socket_dir": self.socket_dir,
                "notebook": self.inside("notebook.ipynb"), "connection_file": connection_file,
                "kernel_args": kernel_args, "audit_fd": audit_fd, "preload": list(PRELOAD),
                "shm": "/dev/shm" if self.sandbox.active else None}

    def bwrap_command(self, launcher: list[str]) -> list[str]:
        from trustcircles.data import DATASETS_DIR

        sandbox = self.sandbox
        package = _package_dir()
        ro = [(str(d), str(d)) for d in _python_dirs()]
        ro.append((str(package), str(package)))
        datasets = Path(DATASETS_DIR).resolve()
        if datasets.is_dir():
            ro.append((str(datasets), str(datasets)))
        ro.append((str(self.inputs), INPUTS))
        ro.extend(self.extra_ro)
        empty = self.private / "empty"
        empty.mkdir(exist_ok=True)
        hidden = package / "checks" / "worked"     # the worked answers: the trainer's solutions
        args = [sandbox.bwrap, *_namespace_flags(sandbox.mode == "root"), *_system_binds()]
        args += ["--ro-bind", str(self.private / "passwd"), "/etc/passwd",
                 "--ro-bind", str(self.private / "group"), "/etc/group"]
        for parent in _parents([inside for _, inside in ro] + [HOME]):
            args += ["--perms", "0755", "--dir", parent]
        for here, inside in ro:
            args += ["--ro-bind", here, inside]
        if hidden.is_dir():
            args += ["--ro-bind", str(empty), str(hidden)]
        # /dev: the device nodes and a small shared-memory folder, nothing else writable
        args += ["--proc", "/proc", "--dev", "/dev", "--size", str(SHM_MB * _MB), "--tmpfs", "/dev/shm",
                 "--remount-ro", "/dev", "--size", str(self.limits.disk_mb * _MB), "--tmpfs", HOME]
        if not any(inside == "/tmp" or inside.startswith("/tmp/") for _, inside in ro):
            args += ["--symlink", f"{HOME}/.tmp", "/tmp"]     # /tmp is in the size-limited scratch too
        # the sandbox's own root folder read-only: only the scratch folder (and /dev/shm) can be written
        args += ["--remount-ro", "/", "--hostname", "sandbox", "--chdir", "/", "--clearenv"]
        for key, value in self.environment().items():
            args += ["--setenv", key, value]
        return args + ["--", *launcher]

    def write_identity_files(self) -> None:
        uid = self.uid if self.uid is not None else (os.getuid() if self.sandbox.mode == "user" else 0)
        (self.private / "passwd").write_text(f"learner:x:{uid}:{uid}:learner:{HOME}:/bin/false\n")
        (self.private / "group").write_text(f"learner:x:{uid}:\n")


def sandbox_uid() -> int:
    """The dedicated identity for sandboxes this grading process starts as root: an id no account
    on this machine has (one per grading process, so each notebook's process limit is its own)."""
    uid = SANDBOX_UID_BASE + os.getpid() % 1_000_000
    while True:
        try:
            pwd.getpwuid(uid)
        except KeyError:
            return uid
        uid += 1


# --------------------------------------------------------------------------- the kernel manager


class SandboxedKernelManager(jupyter_client.manager.AsyncKernelManager):
    """A kernel manager that starts the kernel through :mod:`~trustcircles.grading.kernel_launch`,
    in a bubblewrap sandbox when the plan has one (ZMQ over Unix sockets in the sandbox's scratch
    folder, reached through ``/proc/<pid>/root``), else as an ordinary local process with the same
    limits and a clean environment. ``plan`` is set by the Execute preprocessor before it starts."""

    plan: KernelPlan | None = None
    audit_events: list
    sandbox_pid: int | None = None
    stderr_tail: str = ""

    def _plan(self) -> KernelPlan:
        if self.plan is None:
            raise RuntimeError("SandboxedKernelManager needs a plan before it starts a kernel")
        return self.plan

    async def _async_pre_start_kernel(self, **kw):
        plan = self._plan()
        self.audit_events = []
        plan.inputs.mkdir(parents=True, exist_ok=True)
        self.connection_file = str(plan.inputs / "kernel.json")
        if plan.sandbox.active:
            self.transport = "ipc"
            self.ip = f"{plan.socket_dir}/k"
        assert self.kernel_spec is not None
        # bwrap starts the kernel in a session of its own, so a signal to bwrap's process group would
        # not reach it: interrupt with a message on the control channel instead
        self.kernel_spec.interrupt_mode = "message"
        return await super()._async_pre_start_kernel(**kw)

    def format_kernel_cmd(self, extra_arguments=None):
        plan = self._plan()
        kernel_args = [a for a in (extra_arguments or []) if a.startswith("--")]
        self._kernel_args = kernel_args
        launcher = [sys.executable, "-I", str(Path(__file__).resolve().parent / "kernel_launch.py"),
                    plan.inside("launch.json")]
        if not plan.sandbox.active:
            return launcher
        return plan.bwrap_command(launcher)

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        plan = self._plan()
        audit_read, audit_write = os.pipe()
        info_read, info_write = os.pipe() if plan.sandbox.active else (None, None)
        if info_write is not None:
            kernel_cmd = [kernel_cmd[0], "--info-fd", str(info_write), *kernel_cmd[1:]]
        connection = plan.inside("kernel.json")
        launch = plan.launch_plan(connection, getattr(self, "_kernel_args", []), audit_write)
        (plan.inputs / "launch.json").write_text(json.dumps(launch), encoding="utf-8")
        os.chmod(plan.inputs, 0o755)
        for path in plan.inputs.iterdir():
            os.chmod(path, 0o644)   # readable by the sandbox's identity (the folder above is 0700)
        kw["env"] = plan.environment()
        kw["cwd"] = str(plan.private)
        kw["pass_fds"] = tuple(fd for fd in (audit_write, info_write) if fd is not None)
        kw["stdout"] = subprocess.DEVNULL
        kw["stderr"] = subprocess.PIPE
        try:
            await super()._async_launch_kernel(kernel_cmd, **kw)
        finally:
            os.close(audit_write)
            if info_write is not None:
                os.close(info_write)
        process = self.provisioner.process
        threading.Thread(target=self._keep_stderr, args=(process.stderr,), daemon=True).start()
        threading.Thread(target=self._read_audit, args=(audit_read,), daemon=True).start()
        if info_read is not None:
            with os.fdopen(info_read, "rb") as info:
                text = info.read(4096)
            try:
                self.sandbox_pid = int(json.loads(text)["child-pid"])
            except (ValueError, KeyError):
                process.wait(timeout=5)
                raise RuntimeError("the sandbox did not start: " + (self.stderr_tail or "no message")) from None
            # the kernel's sockets, seen from here
            self.ip = f"/proc/{self.sandbox_pid}/root{plan.socket_dir}/k"

    def _keep_stderr(self, stream) -> None:
        tail = b""
        for chunk in iter(lambda: stream.read(4096), b""):
            tail = (tail + chunk)[-2000:]
            self.stderr_tail = tail.decode("utf-8", "replace")

    def _read_audit(self, fd: int) -> None:
        with os.fdopen(fd, "rb") as stream:
            for line in stream:
                if len(self.audit_events) >= 200:
                    continue
                try:
                    event = json.loads(line[:1000])
                except ValueError:
                    continue
                if isinstance(event, dict):
                    self.audit_events.append({"kind": str(event.get("kind", ""))[:20],
                                              "detail": str(event.get("detail", ""))[:300]})

    def kill_sandbox(self) -> None:
        """Make sure nothing of the sandbox survives: its first process takes every other with it."""
        import signal

        if self.provisioner is not None and getattr(self.provisioner, "process", None) is not None:
            try:
                os.killpg(self.provisioner.process.pid, signal.SIGKILL)
            except OSError:
                pass
            try:
                self.provisioner.process.kill()
            except OSError:
                pass
        if self.sandbox_pid:
            try:
                os.kill(self.sandbox_pid, signal.SIGKILL)
            except OSError:
                pass
