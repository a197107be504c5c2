"""Comparing a learner's answer with the right one, and saying in words what is wrong with it.

* :class:`CheckFailed`: a check that did not pass, shown as its message alone (no traceback);
  :data:`NOT_ANSWERED`: the value of an answer the learner has not given yet;
* ``same_*``: equal regardless of container and dtype (numbers with a relative tolerance);
* :func:`describe` and the ``*_answer`` functions: what an answer is, and why it is not the kind of
  answer a question asks for (a Series instead of a number, text instead of a number, ...). Never
  the right value.

Only numpy and pandas: this is what a graded notebook's checks are made of.
"""
from __future__ import annotations

import math
import numbers

import numpy as np
import pandas as pd

REL_TOL = 1e-9

# --------------------------------------------------------------------------- the failure


class CheckFailed(AssertionError):
    """A check that did not pass: shown to the learner as its message only (no traceback)."""

    def __init__(self, question: str, message: str):
        self.question = question
        self.message = message
        super().__init__(f"{question}: {message}")

    def _render_traceback_(self):  # IPython: what to show instead of a traceback
        return [f"Not yet ({self.question}): {line}" if i == 0 else f"  {line}"
                for i, line in enumerate(self.message.splitlines())]


class _NotAnswered:
    """The value every ``answer_qN`` holds until the learner's answer cell assigns it."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self):
        return "NOT_ANSWERED"


#: Put ``answer_q1 = answer_q2 = ... = NOT_ANSWERED`` in an intro cell: then a check run before the
#: answer cell has worked says so kindly, instead of raising NameError.
NOT_ANSWERED = _NotAnswered()

# --------------------------------------------------------------------------- comparing values


def is_number(value) -> bool:
    """A real number (Python or numpy int/float), not a bool."""
    return (isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)))


def is_missing(value) -> bool:
    """None, NaN or pandas' NA."""
    if value is None or value is pd.NA:
        return True
    try:
        return bool(is_number(value) and math.isnan(float(value)))
    except (TypeError, ValueError):
        return False


def same_number(a, b, rel_tol: float = REL_TOL) -> bool:
    """Equal numbers regardless of type (int, numpy int, float), relative tolerance 1e-9.

    Two missing values (None, NaN, NA) are the same.
    """
    if is_missing(a) and is_missing(b):
        return True
    if not (is_number(a) and is_number(b)) or is_missing(a) or is_missing(b):
        return False
    return math.isclose(float(a), float(b), rel_tol=rel_tol, abs_tol=0.0) or float(a) == float(b)


def plain(value):
    """A Python scalar from numpy/pandas scalars (str stays str)."""
    if isinstance(value, np.generic):
        return value.item()
    return value


def same_scalar(a, b, rel_tol: float = REL_TOL) -> bool:
    """Equal single values: numbers (and missing values) as :func:`same_number`, others by ``==``."""
    if is_number(a) or is_number(b) or is_missing(a) or is_missing(b):
        return same_number(a, b, rel_tol)
    return plain(a) == plain(b)


def as_mapping(value) -> dict | None:
    """A dict from a dict or a Series (index -> value); None for anything else."""
    if isinstance(value, pd.Series):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    return None


def same_values(a, b, rel_tol: float = REL_TOL, ignore_zeros: bool = False) -> bool:
    """Same contents regardless of container and dtype.

    Mappings (dict or Series): same keys, same values (numbers with tolerance). With
    ``ignore_zeros``, keys whose value is 0 may be present on one side and absent on the other.
    Sets compare as sets; lists, tuples, arrays and Index compare element by element, in order.
    """
    ma, mb = as_mapping(a), as_mapping(b)
    if ma is not None or mb is not None:
        if ma is None or mb is None:
            return False
        if ignore_zeros:
            ma = {k: v for k, v in ma.items() if not (is_number(v) and v == 0)}
            mb = {k: v for k, v in mb.items() if not (is_number(v) and v == 0)}
        return set(ma) == set(mb) and all(same_scalar(ma[k], mb[k], rel_tol) for k in ma)
    if isinstance(a, (set, frozenset)) or isinstance(b, (set, frozenset)):
        try:
            return {plain(x) for x in a} == {plain(x) for x in b}
        except TypeError:
            return False
    seq = (list, tuple, np.ndarray, pd.Index)
    if isinstance(a, seq) and isinstance(b, seq):
        la, lb = [plain(x) for x in a], [plain(x) for x in b]
        return len(la) == len(lb) and all(same_scalar(x, y, rel_tol) for x, y in zip(la, lb))
    return same_scalar(a, b, rel_tol)


def sort_key(value):
    """Orders numbers by value whatever their type, then text, then missing values."""
    if is_missing(value):
        return (2, 0.0, "")
    if is_number(value):
        return (0, float(value), "")
    return (1, 0.0, str(plain(value)))


def same_frame(a: pd.DataFrame, b: pd.DataFrame, rel_tol: float = REL_TOL,
               check_order: bool = False) -> bool:
    """Same columns (any order) and the same rows, comparing values not dtypes.

    Rows are compared in order if ``check_order``, else after sorting by all columns. The index is
    ignored (a learner's ``reset_index`` or not does not matter).
    """
    if not (isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame)):
        return False
    if set(map(str, a.columns)) != set(map(str, b.columns)) or len(a) != len(b):
        return False
    columns = sorted(map(str, a.columns))
    a = a.rename(columns=str)[columns].reset_index(drop=True)
    b = b.rename(columns=str)[columns].reset_index(drop=True)
    if not check_order and len(a):
        def order(frame):
            rows = [tuple(sort_key(v) for v in row) for row in frame.astype(object).itertuples(index=False)]
            return frame.iloc[sorted(range(len(frame)), key=rows.__getitem__)].reset_index(drop=True)
        a, b = order(a), order(b)
    for column in columns:
        for x, y in zip(a[column].tolist(), b[column].tolist()):
            if not same_scalar(x, y, rel_tol):
                return False
    return True


# --------------------------------------------------------------------------- describing answers


def describe(value) -> str:
    """A short, learner-friendly description of what a value is."""
    if value is NOT_ANSWERED:
        return "not answered yet"
    if value is Ellipsis:
        return "still the placeholder ..."
    if value is None:
        return "None"
    if isinstance(value, (bool, np.bool_)):
        return f"the truth value {value}"
    if is_number(value):
        return f"the number {plain(value)!r}"
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    if isinstance(value, pd.DataFrame):
        return f"a table (DataFrame) with {len(value)} rows and columns {list(map(str, value.columns))[:6]}"
    if isinstance(value, pd.Series):
        return f"a Series of {len(value)} values"
    if isinstance(value, dict):
        return f"a dict with {len(value)} entries"
    if callable(value):
        return f"the function {getattr(value, '__name__', '?')} itself (not its result)"
    if isinstance(value, (list, tuple, set, np.ndarray)):
        return f"a {type(value).__name__} of {len(value)} items"
    return f"a {type(value).__name__}"


def placeholder_message(name: str, value) -> str | None:
    """Why ``value`` is not an answer at all yet (not answered, ``...``, None, a function), or None."""
    if value is NOT_ANSWERED:
        return (f"{name} is not answered yet. Write your answer in the cell above (replace the line "
                "`return NOT_ANSWERED` with your code) and run it.")
    if value is Ellipsis:
        return f"{name} is still the placeholder `...`: replace it with your code and run the cell."
    if value is None:
        return (f"{name} is None. Did your function forget to `return` its result "
                "(a function without `return` gives None)?")
    if callable(value) and not isinstance(value, (pd.Series, pd.DataFrame)):
        return (f"{name} is {describe(value)}. Call it: add the parentheses and the table, "
                "e.g. my_function(events).")
    return None


# --------------------------------------------------------------------------- kinds of answers


def number_answer(value, name: str, allow_missing: bool = False) -> str | None:
    """None if ``value`` is an acceptable number, else a message explaining what is wrong."""
    message = placeholder_message(name, value)
    if message:
        if value is None and allow_missing:
            return None
        return message
    if is_number(value):
        if is_missing(value) and not allow_missing:
            return f"{name} is NaN (not a number). Something divided by zero or found no rows."
        return None
    if isinstance(value, (bool, np.bool_)):
        return f"{name} is {describe(value)}; the question asks for a number."
    if isinstance(value, str):
        return (f"{name} is {describe(value)}: text, not a number. Leave out the quotes "
                "(5, not '5').")
    if isinstance(value, (pd.Series, pd.DataFrame, list, tuple, set, dict, np.ndarray)):
        size = len(value)
        if size == 1:
            return (f"{name} is {describe(value)} holding one value; the question asks for the "
                    "number itself. Take it out, e.g. with .iloc[0] or .item().")
        return (f"{name} is {describe(value)}; the question asks for one number. "
                "Reduce it to one value (e.g. len(...), .sum() or .mean()).")
    return f"{name} is {describe(value)}; the question asks for a number."


def counts_answer(value, name: str) -> str | None:
    """None if ``value`` is a mapping of label -> count (Series or dict), else a message."""
    message = placeholder_message(name, value)
    if message:
        return message
    if isinstance(value, pd.DataFrame):
        if value.shape[1] == 1:
            return (f"{name} is {describe(value)}; give a Series (one column), e.g. "
                    "table['kind'].value_counts(), or a dict.")
        return (f"{name} is {describe(value)}; the question asks for one count per label: a Series "
                "like table['kind'].value_counts(), or a dict {'post': 1, ...}.")
    if as_mapping(value) is None:
        return (f"{name} is {describe(value)}; the question asks for one count per label: a Series "
                "like table['kind'].value_counts(), or a dict {'post': 1, ...}.")
    return None


def per_label_answer(value, name: str, label: str = "label", labels=()) -> str | None:
    """None if ``value`` maps labels to values (Series or dict), else a message. ``labels``: the
    expected labels, named in the message when there are only a few (e.g. 'met', 'online_only')."""
    message = placeholder_message(name, value)
    if message:
        return message
    keys = f" with the keys {few_labels(labels)}" if few_labels(labels) else ""
    if isinstance(value, pd.DataFrame):
        return (f"{name} is {describe(value)}; give one value per {label} as a Series (e.g. one "
                f"column of the table, indexed by {label}) or a dict{keys}.")
    if as_mapping(value) is None:
        return (f"{name} is {describe(value)}; the question asks for one value per {label}: a Series "
                f"indexed by {label}, or a dict {{{label}: value}}{keys}.")
    return None


def some_labels(labels) -> str:
    """Up to three labels, in a stable order, for a message."""
    return ", ".join(str(k) for k in sorted(labels, key=sort_key)[:3])


def few_labels(labels) -> str:
    """The labels, quoted, when there are only a few (e.g. 'met', 'online_only'); else ''."""
    return ", ".join(repr(k) for k in sorted(labels, key=sort_key)) if 0 < len(labels) <= 4 else ""
