"""Reading a .csv.gz table in the background while the command line loads pandas.

``python -m trustcircles report big.csv.gz`` spends its first half second or more importing numpy
and pandas, on one core, while the second core waits. So the command line, once it has parsed the
command (whose module says which argument is a table), starts a thread before any heavy import
that decompresses the table (0.2 s for a million events with ISA-L's inflate) and parses it with
pyarrow's CSV reader (on that thread alone, so that it stays off the core doing the imports). ``data.read_interactions_file`` then takes the parsed table instead of reading the file.

The thread parses exactly as ``pd.read_csv(..., dtype=str, engine="pyarrow")`` does (tests check the
frames are equal). Whatever it cannot do well, it leaves to the ordinary read: a file that does not
decompress or parse, duplicate or empty column names, a file changed meanwhile. So a table read this
way is exactly the table, and a broken file gets exactly the error message, that reading it from
disk would give. A notebook never starts the thread.

Only the standard library at import: this module is imported before pandas.
"""
from __future__ import annotations

import os
import threading

#: Larger compressed files are read the ordinary, streaming way (holding them whole in memory,
#: compressed and not, would cost more than the time saved).
MAX_COMPRESSED_BYTES = 256 * 1024 * 1024

_lock = threading.Lock()
_pending: dict[str, "_Prefetch"] = {}  # by the file's real path


def _identity(path: str | os.PathLike) -> tuple | None:
    """What makes a file the same file: device, inode, size and modification time."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns


class _Prefetch:
    def __init__(self, path: str, identity: tuple):
        self.path, self.identity = path, identity
        self.text: bytes | None = None
        self.table = None  # a pyarrow.Table, if the text parsed
        self.thread = threading.Thread(target=self._run, name="trustcircles-prefetch", daemon=True)

    def _run(self) -> None:
        self.text = decompress_file(self.path)
        if self.text is not None:
            self.table = parse_csv_text(self.text)


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


def parse_csv_text(text: bytes):
    """The CSV text as a pyarrow Table of text columns, read as ``pd.read_csv(dtype=str,
    keep_default_na=False, na_values=[], encoding="utf-8-sig", engine="pyarrow")`` reads it, but on
    the calling thread only; None if the names are not plain (empty or repeated: pandas renames
    those) or the text does not parse (the ordinary read then reports why)."""
    try:
        import pyarrow as pa
        from pyarrow import csv
        table = csv.read_csv(
            pa.BufferReader(text),
            read_options=csv.ReadOptions(encoding="utf-8-sig", use_threads=False),
            convert_options=csv.ConvertOptions(default_column_type=pa.large_string(), null_values=[],
                                               strings_can_be_null=False))
    except Exception:
        return None
    names = table.column_names
    if not all(names) or len(set(names)) != len(names):
        return None
    # Read in blocks, each column comes in pieces; validation would join them, so join them here.
    return table.combine_chunks()


def start(path: str | None) -> None:
    """Start reading this table in the background, if it is a .gz file worth it (the command line
    calls it with the table its command reads: see trustcircles.cli)."""
    if path is None or not str(path).lower().endswith(".gz"):
        return
    path = str(path)
    identity = _identity(path)
    if identity is None or not os.path.isfile(path) or identity[2] > MAX_COMPRESSED_BYTES:
        return
    job = _Prefetch(path, identity)
    with _lock:
        _pending[os.path.realpath(path)] = job
    job.thread.start()


def take(path: str | os.PathLike) -> tuple[bytes | None, object] | None:
    """``(text, table)`` for this file if a background read of it was started (waiting for it to
    finish): its decompressed bytes, or None, and its pyarrow Table, or None. None if no read of
    this file was started. Each result is handed out once, so its memory goes with the caller."""
    with _lock:
        job = _pending.pop(os.path.realpath(path), None)
    if job is None:
        return None
    job.thread.join()
    # The file may have changed since it was read: then it is read again the ordinary way.
    return (job.text, job.table) if _identity(path) == job.identity else None
