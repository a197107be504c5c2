"""The interactions table of METRICS.md: its columns, its kinds of event, and the checks that make a
raw table (text as read from a CSV file, or a DataFrame built by hand) a typed one.

A table that breaks the specification raises :class:`TableError`, whose message names the file, the
first offending rows (numbered as a spreadsheet shows them: the header is row 1) and the rule, and
says what to do. :mod:`trustcircles.data` finds, reads and writes the tables and offers all of this
under its own name (``data.as_interactions``, ``data.TableError``, ``data.KINDS``, ...).

Only numpy and pandas: everything else in the package builds on this module.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

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


def check_columns(columns, source: str) -> None:
    """Raise TableError unless every required column is there, each named once."""
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise TableError(source, f"required column(s) missing: {', '.join(missing)} "
                         f"(found: {', '.join(map(str, columns))}).",
                         f"the header row must name these columns: {', '.join(REQUIRED_COLUMNS)}.")
    duplicated = sorted({c for c in columns if list(columns).count(c) > 1})
    if duplicated:
        raise TableError(source, f"column(s) named more than once: {', '.join(duplicated)}.",
                         "give each column one header.")


def as_interactions(frame: pd.DataFrame, source: str = "your table") -> pd.DataFrame:
    """Check a DataFrame against METRICS.md and return a typed copy (see :func:`load_interactions`).

    Accepts text columns as read from CSV, or already-typed columns (datetimes, booleans).
    """
    if not isinstance(frame, pd.DataFrame):
        raise TableError(source, f"expected a pandas DataFrame, got {type(frame).__name__}.",
                         "pass the interactions table, e.g. load_interactions('community').")
    check_columns(list(frame.columns), source)
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
    return validate_and_type(frame, source)


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


def validate_and_type(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    """Apply every rule of METRICS.md to a frame of text columns; return the typed table (or raise
    TableError naming the first rule broken)."""
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
