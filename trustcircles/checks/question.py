"""One exercise question: what is checked, the right answer computed from the course's data, a hint,
and the other tables a learner's function is tried on (:class:`Question`, :class:`Variant`).

``Question.check`` compares the notebook's answer; ``Question.check_function`` runs the learner's
function on each variant (the hidden tests). A wrong answer raises :class:`CheckFailed` with a
message from :mod:`trustcircles.checks.compare` that says what is wrong, never the right value.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any, Callable

import pandas as pd

from trustcircles.checks.compare import (NOT_ANSWERED, CheckFailed, as_mapping, counts_answer, describe,
                                         few_labels, is_missing, is_number, number_answer, per_label_answer,
                                         placeholder_message, plain, same_frame, same_number, same_scalar,
                                         same_values, some_labels, sort_key)



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
            problem = placeholder_message(name, answer)
            if problem:
                return problem
            if not isinstance(answer, pd.DataFrame):
                return f"{name} is {describe(answer)}; the question asks for a table (DataFrame)."
            return None if same_frame(answer, expected) else f"{name} is not the expected table."
        problem = placeholder_message(name, answer)
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
                    f"e.g. {some_labels(missing)}.")
        extra = [k for k in got if k not in want and k not in blank]
        if extra:
            known = f" (the {label}s are {few_labels(labels)})" if few_labels(labels) else ""
            leave_out = (f" Any {label} with nothing to count or divide by has no value: leave it out "
                         "or give NaN." if self.missing_ok else "")
            return (f"{name} has values for {len(extra)} {label}(s) that should have none, "
                    f"e.g. {some_labels(extra)}{known}.{leave_out}")
        given = [k for k in got if k in blank]
        if given:
            return (f"{name} gives a value for {len(given)} {label}(s) with nothing to count or divide "
                    f"by here, e.g. {some_labels(given)}: its value is missing (NaN or None, or leave it out).")
        for k in want:
            if is_number(want[k]) and not (is_number(got[k]) or is_missing(got[k])):
                return f"{name}[{k!r}] is {describe(got[k])}; it should be a number."
        off = [k for k in want if not same_scalar(got[k], want[k])]
        if off:
            first = sorted(off, key=sort_key)[0]
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
    if is_number(value) and isinstance(plain(value), float):
        return f"{plain(value):.{digits}g}"
    return str(plain(value))
