"""Decompressing a .csv.gz table in the background while the command line loads pandas.

``python -m trustcircles report big.csv.gz`` spends its first half second or more importing numpy
and pandas, on one core, while the second core waits. Decompressing the table takes less (0.2 s
for a million events with ISA-L's inflate, which lets other threads run while it works), so the
command line starts it in a thread before any heavy import, and ``data.read_interactions_file``
then parses the text already in memory. A notebook never starts it, and a file read this way gives
exactly the table (and, if broken, exactly the error message) that reading it from disk would.

Only the standard library and isal at import: this module is imported before pandas.
"""
from __future__ import annotations

import os
import threading

#: The commands whose first positional argument is a table, and their options that take a value.
TABLE_COMMANDS = {"report", "validate"}
VALUE_OPTIONS = {"--format", "--out", "--account"}

#: Larger compressed files are read the ordinary, streaming way (holding them whole in memory
#: twice, compressed and not, would cost more than the time saved).
MAX_COMPRESSED_BYTES = 256 * 1024 * 1024

_lock = threading.Lock()
_pending: dict[str, "_Decompression"] = {}  # by the file's real path


def _identity(path: str | os.PathLike) -> tuple | None:
    """What makes a file the same file: device, inode, size and modification time."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns


class _Decompression:
    def __init__(self, path: str, identity: tuple):
        self.path, self.identity = path, identity
        self.text: bytes | None = None
        self.thread = threading.Thread(target=self._run, name="trustcircles-prefetch", daemon=True)

    def _run(self) -> None:
        self.text = decompress_file(self.path)


def decompress_file(path: str | os.PathLike) -> bytes | None:
    """The whole content of a gzip file, or None if it cannot be read (then the ordinary, streaming
    read reports the problem with its own message). ISA-L's inflate (the isal package, a drop-in
    for the gzip module) is about twice as fast as zlib's, and stays out of the other core's way."""
    from isal import igzip
    try:
        with open(path, "rb") as handle:
            return igzip.decompress(handle.read())
    except Exception:
        return None


def table_argument(argv: list[str]) -> str | None:
    """The table path in a command line such as ``report PATH --out FILE``, if the command takes one."""
    if not argv or argv[0] not in TABLE_COMMANDS:
        return None
    tokens = iter(argv[1:])
    for token in tokens:
        if token in VALUE_OPTIONS:
            next(tokens, None)  # the option's value
        elif token == "--":  # what follows is positional
            return next(tokens, None)
        elif not token.startswith("-"):
            return token
    return None


def start_for_command_line(argv: list[str]) -> None:
    """Start decompressing the table named on this command line, if it is a .gz file worth it."""
    path = table_argument(argv)
    if path is None or not path.lower().endswith(".gz"):
        return
    identity = _identity(path)
    if identity is None or not os.path.isfile(path) or identity[2] > MAX_COMPRESSED_BYTES:
        return
    job = _Decompression(path, identity)
    with _lock:
        _pending[os.path.realpath(path)] = job
    job.thread.start()


def take(path: str | os.PathLike) -> bytes | None:
    """The decompressed bytes of this file if a background read of it was started (waiting for it to
    finish), else None. Each result is handed out once, so its memory goes with the caller's use."""
    with _lock:
        job = _pending.pop(os.path.realpath(path), None)
    if job is None:
        return None
    job.thread.join()
    # The file may have changed since it was read: then it is read again the ordinary way.
    return job.text if _identity(path) == job.identity else None
