"""Start a graded notebook's kernel inside its sandbox (run as ``python -I kernel_launch.py PLAN``).

This file runs in the sandbox, before any of the learner's code, as the first Python of the kernel
process; it imports nothing of the course (standard library, then ipykernel). From the plan (JSON
written by :mod:`trustcircles.grading.sandbox`) it:

1. makes the scratch folders (home, working folder, temporary folder, the kernel's sockets) and,
   when the sandbox was started by root, hands them to the dedicated unprivileged identity and
   becomes it (no groups, no capabilities);
2. sets the per-notebook limits (memory, processes, file size, CPU time; no core files);
3. adds an audit hook (``sys.addaudithook``: it cannot be removed) that reports, on a pipe the
   grading process reads, what the notebook *tried* outside its folder: writing files elsewhere,
   network connections, shell commands, new processes, changes to the course's classes. The sandbox
   refuses those anyway; the report is how grades.csv can name them;
4. copies the notebook into its working folder, goes there and starts ipykernel.
"""
import json
import os
import resource
import shutil
import sys

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
#: audit events that always say something (the sandbox refuses or contains each)
_ALWAYS = {
    "socket.connect": "network", "socket.bind": "network", "socket.sendto": "network",
    "socket.sendmsg": "network", "subprocess.Popen": "process", "os.system": "process",
    "os.exec": "process", "os.posix_spawn": "process", "os.spawn": "process", "pty.spawn": "process",
    "os.fork": "fork", "os.forkpty": "fork", "os.kill": "signal", "os.killpg": "signal",
    "sys.addaudithook": "audit",
}
_MAX_EVENTS = 200


def _drop_privileges(plan: dict) -> None:
    uid, gid = plan.get("uid"), plan.get("gid")
    folders = [plan["home"], plan["workdir"], plan["tmpdir"], plan["socket_dir"]]
    for folder in folders:
        os.makedirs(folder, exist_ok=True)
    if uid is None or os.getuid() != 0:
        return
    for folder in folders + ([plan["shm"]] if plan.get("shm") and os.path.isdir(plan["shm"]) else []):
        os.chown(folder, uid, gid)
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)
    if os.getuid() != uid or os.geteuid() != uid:   # pragma: no cover - the kernel would refuse
        raise SystemExit("could not become the sandbox's identity")


def _set_limits(limits: dict) -> None:
    def cap(which, value):
        if value:
            try:
                resource.setrlimit(which, (value, value))
            except (ValueError, OSError):  # pragma: no cover - a hard limit already lower
                pass
    cap(resource.RLIMIT_AS, limits.get("memory_bytes"))
    cap(resource.RLIMIT_NPROC, limits.get("processes"))
    cap(resource.RLIMIT_FSIZE, limits.get("file_bytes"))
    cap(resource.RLIMIT_CPU, limits.get("cpu_seconds"))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _audit_hook(fd: int, allowed: tuple, course_prefix: str):
    """The hook: one JSON line per notable event, at most _MAX_EVENTS, on the inherited pipe."""
    state = {"sent": 0, "forks": 0}
    write = os.write
    dumps = json.dumps

    getframe = sys._getframe

    def from_notebook() -> bool:
        """True when a notebook cell is on the stack (not the kernel's or a library's own doing)."""
        frame = getframe(2)
        while frame is not None:
            name = frame.f_code.co_filename
            if "/ipykernel_" in name or name.startswith("<ipython-input"):
                return True
            frame = frame.f_back
        return False

    def send(kind, detail):
        if state["sent"] >= _MAX_EVENTS or not from_notebook():
            return
        state["sent"] += 1
        try:
            write(fd, (dumps({"kind": kind, "detail": detail[:300]}) + "\n").encode())
        except OSError:
            state["sent"] = _MAX_EVENTS

    def hook(event, args):
        if event == "open":
            path, mode, flags = (list(args) + [None, None, None])[:3]
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & _WRITE_FLAGS)
            if writing and isinstance(path, (str, bytes)):
                text = os.fsdecode(path)
                full = os.path.abspath(text)
                if not full.startswith(allowed):
                    send("write", full)
            return
        if event in ("os.remove", "os.rename", "os.rmdir", "os.chmod", "os.chown", "os.truncate",
                     "os.link", "os.symlink", "shutil.rmtree"):
            target = args[0] if args else ""
            if isinstance(target, (str, bytes)):
                full = os.path.abspath(os.fsdecode(target))
                if not full.startswith(allowed):
                    send("write", f"{event} {full}")
            return
        if event == "object.__setattr__":
            owner = args[0] if args else None
            module = getattr(owner, "__module__", "") or ""
            if isinstance(module, str) and module.startswith(course_prefix):
                send("patch", f"{getattr(owner, '__qualname__', owner)!s}.{args[1]}")
            return
        kind = _ALWAYS.get(event)
        if kind is None:
            return
        if kind == "fork":
            state["forks"] += 1
            if state["forks"] in (1, 10, 100, 1000):
                send("fork", f"{event} (at least {state['forks']})")
            return
        if kind == "network":
            detail = f"{event} {args[1] if len(args) > 1 else ''}"
        elif kind == "process":
            detail = f"{event} {args[1] if len(args) > 1 else args[0] if args else ''}"
        else:
            detail = event
        send(kind, detail)

    return hook


def main(plan_path: str) -> None:
    with open(plan_path, encoding="utf-8") as handle:
        plan = json.load(handle)
    sys.dont_write_bytecode = True   # the package is read-only here (and -I ignores PYTHONDONTWRITEBYTECODE)
    _drop_privileges(plan)
    _set_limits(plan.get("limits", {}))
    target = os.path.join(plan["workdir"], os.path.basename(plan["notebook"]))
    if plan.get("notebook") and os.path.isfile(plan["notebook"]):
        shutil.copyfile(plan["notebook"], target)
    os.chdir(plan["workdir"])
    # what every graded notebook imports first, loaded before the audit starts: their own start-up
    # (native libraries, a look at the processor) is not the notebook's doing
    for module in plan.get("preload", []):
        try:
            __import__(module)
        except Exception:  # pragma: no cover - the notebook will say so itself
            pass
    fd = plan.get("audit_fd")
    if fd is not None:
        allowed = tuple(os.path.abspath(p) for p in (plan["home"], plan["tmpdir"], "/dev/null", "/dev/shm"))
        sys.addaudithook(_audit_hook(int(fd), allowed, "trustcircles"))
    sys.argv = ["ipykernel_launcher", "-f", plan["connection_file"], *plan.get("kernel_args", [])]
    from ipykernel import kernelapp
    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main(sys.argv[1])
