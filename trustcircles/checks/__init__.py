"""Instant checks and hints for the exercises, in a plain kernel (no nbgrader server needed).

In an exercise notebook::

    from trustcircles.checks import exercise
    ex = exercise("00_welcome")
    ex.q1.hint()               # a hint about the idea, never the answer
    ex.q1.check(answer_q1)     # "Correct: ..." or a friendly message, no traceback
    ex.q1.check_function(count_kinds)   # (hidden tests) the learner's function on other tables

Expected values are never typed in by hand: each question computes them from the course's data
(:mod:`trustcircles.data`) with the course's metric functions (:mod:`trustcircles.metrics`), so an
exercise, a lesson and the report always agree.

A wrong answer raises :class:`CheckFailed`. It is an ``AssertionError`` (so nbgrader counts the test
cell as failed), and it renders in Jupyter as the friendly message alone: IPython calls
``_render_traceback_`` instead of printing a traceback. That also keeps tracebacks out of nbgrader's
autograded notebooks.

Writing checks for a new assignment: add a module ``trustcircles/checks/ex_NN_slug.py`` with a
function decorated ``@register("NN_slug")`` that returns a dict ``{"q1": Question(...), ...}``;
see ``ex_00_welcome.py`` for a complete example, ``tables.py`` for building small variant tables, and
CONTRIBUTING-style notes in TRAINERS.md ("Writing an exercise").
"""
from __future__ import annotations

import math
import numbers
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable

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


def _plain(value):
    """A Python scalar from numpy/pandas scalars (str stays str)."""
    if isinstance(value, np.generic):
        return value.item()
    return value


def same_scalar(a, b, rel_tol: float = REL_TOL) -> bool:
    if is_number(a) or is_number(b) or is_missing(a) or is_missing(b):
        return same_number(a, b, rel_tol)
    return _plain(a) == _plain(b)


def as_mapping(value) -> dict | None:
    """A dict from a dict or a Series (index -> value); None for anything else."""
    if isinstance(value, pd.Series):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
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
            return {_plain(x) for x in a} == {_plain(x) for x in b}
        except TypeError:
            return False
    seq = (list, tuple, np.ndarray, pd.Index)
    if isinstance(a, seq) and isinstance(b, seq):
        la, lb = [_plain(x) for x in a], [_plain(x) for x in b]
        return len(la) == len(lb) and all(same_scalar(x, y, rel_tol) for x, y in zip(la, lb))
    return same_scalar(a, b, rel_tol)


def _sort_key(value):
    """Orders numbers by value whatever their type, then text, then missing values."""
    if is_missing(value):
        return (2, 0.0, "")
    if is_number(value):
        return (0, float(value), "")
    return (1, 0.0, str(_plain(value)))


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
            rows = [tuple(_sort_key(v) for v in row) for row in frame.astype(object).itertuples(index=False)]
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
        return f"the number {_plain(value)!r}"
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


def _placeholder_message(name: str, value) -> str | None:
    if value is NOT_ANSWERED:
        return (f"{name} has no answer yet. Run the answer cell above; if it stops with "
                "NotImplementedError, replace the line `raise NotImplementedError(...)` with your code.")
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
    message = _placeholder_message(name, value)
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
    message = _placeholder_message(name, value)
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
    message = _placeholder_message(name, value)
    if message:
        return message
    keys = f" with the keys {_few(labels)}" if _few(labels) else ""
    if isinstance(value, pd.DataFrame):
        return (f"{name} is {describe(value)}; give one value per {label} as a Series (e.g. one "
                f"column of the table, indexed by {label}) or a dict{keys}.")
    if as_mapping(value) is None:
        return (f"{name} is {describe(value)}; the question asks for one value per {label}: a Series "
                f"indexed by {label}, or a dict {{{label}: value}}{keys}.")
    return None


def _some(labels) -> str:
    """Up to three labels, in a stable order, for a message."""
    return ", ".join(str(k) for k in sorted(labels, key=_sort_key)[:3])


def _few(labels) -> str:
    """The labels, quoted, when there are only a few (e.g. 'met', 'online_only'); else ''."""
    return ", ".join(repr(k) for k in sorted(labels, key=_sort_key)) if 0 < len(labels) <= 4 else ""


# --------------------------------------------------------------------------- questions


def _arguments(args) -> tuple:
    """The extra positional arguments from ``args``: a tuple, or a callable giving a tuple (a callable
    giving anything else, or a single non-tuple value, is one argument)."""
    if callable(args) and not isinstance(args, (pd.DataFrame, pd.Series)):
        args = args()
    return args if isinstance(args, tuple) else (args,)


def _fresh(value):
    """A copy of a table or container handed to someone else's code (so it cannot change ours)."""
    return value.copy() if hasattr(value, "copy") and not isinstance(value, type) else value


@dataclass
class Variant:
    """Another small table a learner's function is tried on (hidden tests).

    args: the extra positional arguments the function gets after the table on this variant (e.g. an
    account, or a second table): a tuple, a single value, or a callable returning them.
    """
    description: str                      # shown to the learner, e.g. "the example without e00006"
    table: Callable[[], pd.DataFrame]
    args: Any = ()

    def arguments(self) -> tuple:
        return _arguments(self.args)


@dataclass
class Question:
    """One exercise question.

    name: "q1"; checked: what is checked, in words ("the number of events of each kind");
    expected: a function of the table (and of the extra arguments, if any) giving the right answer
    (computed, never typed in); table: a function returning the table the notebook's answer is about;
    kind: "number", "counts" (label -> count), "per_label" (label -> value, see below), "values" (any
    container), "frame"; hint: the idea, not the answer; explanation: one sentence shown with
    "Correct"; variants: other tables for check_function (hidden tests).

    args: the extra positional arguments of the notebook's own call, e.g. ``(account,)`` for
    ``function(events, account)``: a tuple, a single value, or a callable returning them (computed
    once). ``ex.qN.account`` is the first of them. Each variant brings its own ``args``; a question
    can check the notebook's answer on a subset (``args``) while the hidden tests call the function
    with the table alone (variants without ``args``).

    kind "per_label": one value per label (account, archetype, group), as a Series or a dict. A wrong
    answer is told which labels are missing, extra or off (never the right values); a right one gets
    one line (the values when there are at most 8, else a count). ``label`` names the labels in
    messages; with ``missing_ok``, a label whose right value is missing (None/NaN: nothing to count
    or divide by) may be left out or given as missing, and labels the answer gives as missing are
    ignored.
    """
    name: str
    checked: str
    expected: Callable[..., Any]
    table: Callable[[], pd.DataFrame]
    kind: str = "number"
    hint_text: str = ""
    explanation: str = ""
    variants: list[Variant] = field(default_factory=list)
    function_name: str = "your function"
    args: Any = ()
    label: str = "label"
    missing_ok: bool = False
    _notebook_args: tuple | None = field(default=None, init=False, repr=False, compare=False)

    # ---- the notebook's own call
    def notebook_args(self) -> tuple:
        """The extra arguments of the notebook's call (computed once)."""
        if self._notebook_args is None:
            self._notebook_args = _arguments(self.args)
        return self._notebook_args

    @property
    def account(self):
        """The first extra argument of the notebook's call, e.g. the account a question is about."""
        args = self.notebook_args()
        return args[0] if args else None

    # ---- learner-facing
    def hint(self) -> None:
        print(f"Hint ({self.name}): {self.hint_text}")

    def check(self, answer=NOT_ANSWERED) -> None:
        """Check the learner's answer to this question against the notebook's table."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = self.expected(self.table(), *map(_fresh, self.notebook_args()))
            problem = self._compare(answer, expected, f"answer_{self.name}")
        if problem:
            raise CheckFailed(self.name, f"checked {self.checked}.\n{problem}\n"
                                         f"Hint: {self.hint_text}  (ex.{self.name}.hint())")
        explanation = f" {self.explanation}" if self.explanation else ""
        if self.kind == "per_label":
            given = {k: v for k, v in as_mapping(answer).items() if not is_missing(v)}
            shown = (", ".join(f"{k}: {_show(v, digits=4)}" for k, v in given.items()) if len(given) <= 8
                     else f"all {len(given)} values match (one per {self.label})")
            print(f"Correct: {self.checked}: {shown}.{explanation}")
            return
        print(f"Correct: {self.checked} is {_show(answer)}.{explanation}")

    def check_function(self, function) -> None:
        """Hidden tests: the learner's function on each variant table (with the variant's args)."""
        fname = getattr(function, "__name__", self.function_name)
        if not callable(function):
            raise CheckFailed(self.name, f"{self.function_name} is {describe(function)}, not a function.")
        tables = 1
        for variant in self.variants:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                table, args = variant.table(), variant.arguments()
                tables = 1 + sum(isinstance(a, pd.DataFrame) for a in args)
                expected = self.expected(table.copy(), *map(_fresh, args))
                try:
                    result = function(table.copy(), *map(_fresh, args))
                except NotImplementedError:
                    raise CheckFailed(self.name, f"{fname} is not written yet (it raises "
                                                 "NotImplementedError).") from None
                except Exception as error:  # the learner's code: report it, do not crash
                    raise CheckFailed(self.name, f"{fname} stopped with {type(error).__name__}: "
                                                 f"{str(error)[:200]} when given {variant.description}."
                                                 f"\nHint: {self.hint_text}") from None
                problem = self._compare(result, expected, f"{fname}(...)")
            if problem:
                raise CheckFailed(self.name, f"{fname} gives a different answer on "
                                             f"{variant.description}.\n{problem}\n"
                                             f"Hint: {self.hint_text}")
        plural = len(self.variants) != 1
        if tables == 1:
            what = "tables" if plural else "table"
        else:
            what = ("pairs" if plural else "pair") if tables == 2 else ("sets" if plural else "set")
            what += " of tables"
        print(f"Correct: {fname} also works on {len(self.variants)} other {what}.")

    # ---- comparison
    def _compare(self, answer, expected, name: str) -> str | None:
        if self.kind == "number":
            problem = number_answer(answer, name, allow_missing=is_missing(expected))
            if problem:
                return problem
            if same_number(answer, expected):
                return None
            if is_missing(expected):
                return (f"{name} is {describe(answer)}, but here there is nothing to divide by: "
                        "the answer is missing (return None or float('nan')).")
            return f"{name} is {describe(answer)}, which is not right."
        if self.kind == "counts":
            problem = counts_answer(answer, name)
            if problem:
                return problem
            if same_values(answer, expected, ignore_zeros=True):
                return None
            got, want = as_mapping(answer), as_mapping(expected)
            missing = sorted(str(k) for k in want if k not in got and want[k])
            extra = sorted(str(k) for k in got if k not in want and got[k])
            if missing:
                return f"{name} has no count for: {', '.join(missing)}."
            if extra:
                return f"{name} has labels that are not in the table: {', '.join(extra)}."
            return f"{name} has the right labels, but some counts are off."
        if self.kind == "per_label":
            return self._compare_per_label(answer, expected, name)
        if self.kind == "frame":
            problem = _placeholder_message(name, answer)
            if problem:
                return problem
            if not isinstance(answer, pd.DataFrame):
                return f"{name} is {describe(answer)}; the question asks for a table (DataFrame)."
            return None if same_frame(answer, expected) else f"{name} is not the expected table."
        problem = _placeholder_message(name, answer)
        if problem:
            return problem
        return None if same_values(answer, expected) else f"{name} is {describe(answer)}, which is not right."

    def _compare_per_label(self, answer, expected, name: str) -> str | None:
        """Which labels are missing, extra or off; never a right value."""
        want = as_mapping(expected)
        if want is None:
            raise TypeError(f"{self.name}: kind 'per_label' needs `expected` to give a dict or a Series")
        labels = list(want)
        problem = per_label_answer(answer, name, self.label, labels)
        if problem:
            return problem
        got, label = as_mapping(answer), self.label
        blank: set = set()               # labels whose right value is missing
        if self.missing_ok:
            got = {k: v for k, v in got.items() if not is_missing(v)}
            blank = {k for k, v in want.items() if is_missing(v)}
            want = {k: v for k, v in want.items() if not is_missing(v)}
        missing = [k for k in want if k not in got]
        if missing:
            return (f"{name} has no value for {len(missing)} {label}(s) that should have one, "
                    f"e.g. {_some(missing)}.")
        extra = [k for k in got if k not in want and k not in blank]
        if extra:
            known = f" (the {label}s are {_few(labels)})" if _few(labels) else ""
            leave_out = (f" Any {label} with nothing to count or divide by has no value: leave it out "
                         "or give NaN." if self.missing_ok else "")
            return (f"{name} has values for {len(extra)} {label}(s) that should have none, "
                    f"e.g. {_some(extra)}{known}.{leave_out}")
        given = [k for k in got if k in blank]
        if given:
            return (f"{name} gives a value for {len(given)} {label}(s) with nothing to count or divide "
                    f"by here, e.g. {_some(given)}: its value is missing (NaN or None, or leave it out).")
        for k in want:
            if is_number(want[k]) and not (is_number(got[k]) or is_missing(got[k])):
                return f"{name}[{k!r}] is {describe(got[k])}; it should be a number."
        off = [k for k in want if not same_scalar(got[k], want[k])]
        if off:
            first = sorted(off, key=_sort_key)[0]
            return (f"{name} has the right {label}s, but {len(off)} of {len(want)} value(s) are off, "
                    f"e.g. for {label} {first}: you have {describe(got[first])}.")
        return None


def _show(value, digits: int = 6) -> str:
    mapping = as_mapping(value)
    if mapping is not None:
        return ", ".join(f"{k}: {v}" for k, v in mapping.items() if not (is_number(v) and v == 0))
    if isinstance(value, pd.DataFrame):
        return describe(value)
    if is_missing(value):
        return "missing (nothing to divide by)"
    if is_number(value) and isinstance(_plain(value), float):
        return f"{_plain(value):.{digits}g}"
    return str(_plain(value))


class Exercise:
    """The questions of one assignment: ``ex.q1``, ``ex.q2``, ... (see :func:`exercise`)."""

    NOT_ANSWERED = NOT_ANSWERED

    def __init__(self, assignment: str, questions: dict[str, Question]):
        self.assignment = assignment
        self.questions = questions
        for name, question in questions.items():
            setattr(self, name, question)

    def __repr__(self):
        return f"exercise({self.assignment!r}): questions {', '.join(self.questions)}"


_REGISTRY: dict[str, Callable[[], dict[str, Question]]] = {}


def register(assignment: str):
    """Decorator: ``@register("01_transactional_or_trust")`` on a function returning the questions."""
    def decorate(builder):
        _REGISTRY[assignment] = builder
        return builder
    return decorate


def _load_all() -> None:
    """Import every assignment module of this package (each registers its questions)."""
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("ex_"):
            importlib.import_module(f"{__name__}.{module.name}")


def exercise(assignment: str) -> Exercise:
    """The checks and hints of one assignment, e.g. ``exercise("00_welcome")``."""
    if assignment not in _REGISTRY:
        _load_all()
    if assignment not in _REGISTRY:
        raise CheckFailed(assignment, f"there are no checks for an assignment called {assignment!r}. "
                                      f"Known: {', '.join(sorted(_REGISTRY))}.")
    return Exercise(assignment, _REGISTRY[assignment]())
