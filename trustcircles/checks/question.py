"""One Part B question: what is checked, the right answer computed from the course's data, a hint,
the edge cases a learner's function must handle, and a worked solution (:class:`Question`,
:class:`Variant`).

``Question.check`` takes the learner's function (or its result) and compares it on the notebook's
table; given the function, it also tries it on every edge case, disguised with a fixed seed, which
is what grading does with a fresh seed (:mod:`trustcircles.checks.cases`): so "Correct" means the
grading will agree. ``Question.check_function`` is the hidden tests' call. A wrong answer gets a
message from :mod:`trustcircles.checks.compare` that says what is wrong, never the right value;
how it is said (printed, or raised under grading) is :mod:`trustcircles.checks.say`.
"""
from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable

import pandas as pd

from trustcircles.checks import modes
from trustcircles.checks.cases import PRACTICE_SEED, disguise
from trustcircles.checks.compare import (NOT_ANSWERED, as_mapping, counts_answer, describe,
                                         few_labels, is_missing, is_number, number_answer, per_label_answer,
                                         placeholder_message, plain, same_frame, same_number, same_scalar,
                                         same_values, some_labels, sort_key)
from trustcircles.checks.say import outcome, solution_blocked, worked_answers, wrapped

#: grading sets this to the seed of its edge-case tables (a learner's check uses PRACTICE_SEED)
CASE_SEED_ENV = "TRUSTCIRCLES_CASE_SEED"


def _arguments(args) -> tuple:
    """The extra positional arguments from ``args``: a tuple, or a callable giving a tuple (a callable
    giving anything else, or a single non-tuple value, is one argument)."""
    if callable(args) and not isinstance(args, (pd.DataFrame, pd.Series)):
        args = args()
    return args if isinstance(args, tuple) else (args,)


def _fresh(value):
    """A copy of a table or container handed to someone else's code (so it cannot change ours)."""
    return value.copy() if hasattr(value, "copy") and not isinstance(value, type) else value


def case_seed() -> int:
    """The seed of the edge-case tables: grading's (a new one per run), else the practice seed."""
    try:
        return int(os.environ[CASE_SEED_ENV])
    except (KeyError, ValueError):
        return PRACTICE_SEED


def _is_function(value) -> bool:
    return callable(value) and not isinstance(value, (pd.Series, pd.DataFrame, type))


def call_failure(fname: str, ename: str, evalue: str, where: str) -> str:
    """What a check says when the learner's function raised (the same in the kernel and outside)."""
    if ename == "NotImplementedError":
        return f"{fname} is not written yet (it raises NotImplementedError)."
    return f"{fname} stopped with {ename}: {str(evalue)[:200]} when given {where}."


@dataclass
class Tried:
    """What the learner's function gave on one table, as grading got it back from the kernel:
    ``value`` (the result), or ``failure`` (a sentence: it raised, was missing, took too long)."""
    value: Any = None
    failure: str = ""


@dataclass
class Variant:
    """An edge case a learner's function must handle: a small table (and the extra arguments).

    description: the situation in words, as the learner is told it ("a table where someone replies
    to themselves"): never the table itself. args: the extra positional arguments the function gets
    after the table (e.g. an account, or a second table): a tuple, a single value, or a callable
    returning them. background: add a few unrelated conversations among new accounts when the case
    is disguised: True, "quiet" (nothing in them asks or sells) or False; only where the situation
    stays the same beside them (a table "where nobody talks" must not get a conversation).
    """
    description: str
    table: Callable[[], pd.DataFrame]
    args: Any = ()
    background: bool | str = False

    def arguments(self) -> tuple:
        return _arguments(self.args)

    def fresh(self, seed: int | None) -> tuple[pd.DataFrame, tuple]:
        """The case under new names and times (:func:`trustcircles.checks.cases.disguise`)."""
        table, args = self.table(), self.arguments()
        if seed is None:
            return table, args
        return disguise(table, args, seed, background=self.background)


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
    reasoning: str = ""              # how the worked solution gets there, shown with it
    assignment: str = ""             # set by the Exercise, to find the worked solution
    attempts: int = field(default=0, init=False, repr=False, compare=False)
    _notebook_args: tuple | None = field(default=None, init=False, repr=False, compare=False)
    _bases: dict = field(default_factory=dict, init=False, repr=False, compare=False)

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
        print(wrapped(f"Hint ({self.name}): {self.hint_text}"))

    def check(self, answer=NOT_ANSWERED) -> None:
        """Check the learner's function (or its result) on the notebook's table; given the function,
        also on every edge case, as grading will (grading itself checks the notebook's table here
        and the edge cases in the hidden tests)."""
        self.attempts += 1
        function = answer if _is_function(answer) else None
        fname = getattr(function, "__name__", self.function_name)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            table, args = self.table(), self.notebook_args()
            expected = self.expected(table, *map(_fresh, args))
            if function is not None:
                answer, failure = self._call(function, table, args, "the notebook's data")
                if failure:
                    return outcome(self.name, False, failure, self.hint_text)
            name = f"{fname}(...)" if function is not None else f"answer_{self.name}"
            if answer is NOT_ANSWERED:
                return outcome(self.name, False,
                               f"not answered yet: write {self.function_name} (replace the line "
                               "`return NOT_ANSWERED` with your code), then run its cell again.")
            problem = self._compare(answer, expected, name)
        if problem:
            return outcome(self.name, False, f"checked {self.checked}.\n{problem}", self.hint_text)
        said = self._correct_sentence(answer)
        if modes.grading():
            return outcome(self.name, True, said)
        if function is None:
            return outcome(self.name, True, said + f" (Give the function itself, ex.{self.name}.check("
                                                   f"{self.function_name}), to try it on the small "
                                                   "tables grading uses as well.)")
        failure = self._try_cases(function)
        if failure:
            return outcome(self.name, False, f"right on the notebook's data, but {failure}", self.hint_text)
        situations = "; ".join(v.description for v in self.variants)
        outcome(self.name, True, said + (f" It also handles the situations the question names: {situations}."
                                         if self.variants else ""))

    def check_function(self, function) -> None:
        """Hidden tests: the learner's function on each edge case (fresh tables under grading)."""
        fname = getattr(function, "__name__", self.function_name)
        if not _is_function(function):
            return outcome(self.name, False, f"{self.function_name} is {describe(function)}, not a function.")
        failure = self._try_cases(function)
        if failure:
            return outcome(self.name, False, failure, self.hint_text)
        outcome(self.name, True, f"{fname} also handles {len(self.variants)} other small "
                                 f"table{'s' if len(self.variants) != 1 else ''}.")

    def solution(self) -> None:
        """A worked answer with its reasoning, once the question has been checked."""
        blocked = solution_blocked(self.name, self.attempts)
        if blocked:
            print(blocked)
            return
        code = worked_answers(self.assignment).get(self.name, "")
        parts = [f"Solution ({self.name}):"]
        if self.reasoning:
            parts.append(self.reasoning)
        if code:
            parts.append("One way to write it:\n\n" + code)
        print("\n".join(parts))

    # ---- running the learner's function
    def _call(self, function, table, args, where: str):
        """(result, '') or (None, what went wrong, in words)."""
        fname = getattr(function, "__name__", self.function_name)
        try:
            return function(table.copy(), *map(_fresh, args)), ""
        except NotImplementedError:
            return None, call_failure(fname, "NotImplementedError", "", where)
        except Exception as error:  # the learner's code: report it, do not crash
            return None, call_failure(fname, type(error).__name__, str(error), where)

    def _try_cases(self, function) -> str:
        """'' when the function is right on every edge case, else what went wrong where."""
        fname = getattr(function, "__name__", self.function_name)
        for description, table, args in self.grading_cases(case_seed()):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result, failure = self._call(function, table, args, description)
                problem = self._case_problem(Tried(result, failure), table, args, description, fname)
            if problem:
                return problem
        return ""

    # ---- grading outside the learner's kernel (trustcircles.grading.judge)
    def grading_cases(self, seed: int) -> list[tuple[str, pd.DataFrame, tuple]]:
        """The edge cases as grading tries them: (description, table, extra arguments) for each
        variant, disguised with ``seed`` plus its number (the instant check uses the practice seed)."""
        cases = []
        for number, variant in enumerate(self.variants):
            base = self._bases.get(number)
            if base is None:    # the base tables never change: built once per question
                base = self._bases[number] = (variant.table(), variant.arguments())
            table, args = disguise(base[0].copy(), base[1], seed + number, background=variant.background)
            cases.append((variant.description, table, args))
        return cases

    def _case_problem(self, tried: Tried, table, args, description: str, fname: str) -> str:
        """'' when the function's result on one edge case is right, else what is wrong there."""
        if tried.failure:
            return tried.failure
        if tried.value is NOT_ANSWERED:
            return f"{fname} is not written yet."
        expected = self.expected(table.copy(), *map(_fresh, args))
        problem = self._compare(tried.value, expected, f"{fname}(...)", name_labels=False)
        return f"{fname} gives a different answer on {description}.\n{problem}" if problem else ""

    def judge_cases(self, tries: list[Tried], cases: list[tuple[str, pd.DataFrame, tuple]],
                    fname: str) -> tuple[bool, str]:
        """(right?, sentence) of the hidden tests from the function's results on ``cases``
        (:meth:`grading_cases`): what :meth:`check_function` says, nothing printed or raised."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for tried, (description, table, args) in zip(tries, cases):
                problem = self._case_problem(tried, table, args, description, fname)
                if problem:
                    return False, problem
        return True, (f"{fname} also handles {len(self.variants)} other small "
                      f"table{'s' if len(self.variants) != 1 else ''}.")

    def judge_notebook(self, tried: Tried, fname: str | None) -> tuple[bool, str]:
        """(right?, sentence) of the visible check under grading, from the function's result on the
        notebook's table (``fname``), or from the answer value itself (``fname`` None)."""
        if tried.failure:
            return False, tried.failure
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = self.expected(self.table(), *map(_fresh, self.notebook_args()))
            answer = tried.value
            if answer is NOT_ANSWERED:
                return False, (f"not answered yet: write {self.function_name} in the answer cell above "
                               "(replace the line `return NOT_ANSWERED` with your code) and run it.")
            problem = self._compare(answer, expected, f"{fname}(...)" if fname else f"answer_{self.name}")
        if problem:
            return False, f"checked {self.checked}.\n{problem}"
        return True, self._correct_sentence(answer)

    def _correct_sentence(self, answer) -> str:
        explanation = f" {self.explanation}" if self.explanation else ""
        if self.kind == "per_label":
            given = {k: v for k, v in as_mapping(answer).items() if not is_missing(v)}
            shown = (", ".join(f"{k}: {_show(v, digits=4)}" for k, v in given.items()) if len(given) <= 8
                     else f"all {len(given)} values match (one per {self.label})")
            return f"{self.checked}: {shown}.{explanation}"
        return f"{self.checked} is {_show(answer)}.{explanation}"

    # ---- comparison
    def _compare(self, answer, expected, name: str, name_labels: bool = True) -> str | None:
        """What is wrong with ``answer`` ('' or None when right). ``name_labels``: say which labels
        are off (not on an edge case's disguised table, whose names the learner never sees)."""
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
            return self._compare_per_label(answer, expected, name, name_labels)
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

    def _compare_per_label(self, answer, expected, name: str, name_labels: bool = True) -> str | None:
        """Which labels are missing, extra or off; never a right value."""
        want = as_mapping(expected)
        if want is None:
            raise TypeError(f"{self.name}: kind 'per_label' needs `expected` to give a dict or a Series")
        labels = list(want)
        problem = per_label_answer(answer, name, self.label, labels)
        if problem:
            return problem
        got, label = as_mapping(answer), self.label

        def example(labels) -> str:  # which labels, unless they belong to a table never shown
            return f", e.g. {some_labels(labels)}" if name_labels else ""
        blank: set = set()               # labels whose right value is missing
        if self.missing_ok:
            got = {k: v for k, v in got.items() if not is_missing(v)}
            blank = {k for k, v in want.items() if is_missing(v)}
            want = {k: v for k, v in want.items() if not is_missing(v)}
        missing = [k for k in want if k not in got]
        if missing:
            return (f"{name} has no value for {len(missing)} {label}(s) that should have one"
                    f"{example(missing)}.")
        extra = [k for k in got if k not in want and k not in blank]
        if extra:
            known = f" (the {label}s are {few_labels(labels)})" if few_labels(labels) else ""
            leave_out = (f" Any {label} with nothing to count or divide by has no value: leave it out "
                         "or give NaN." if self.missing_ok else "")
            return (f"{name} has values for {len(extra)} {label}(s) that should have none"
                    f"{example(extra)}{known}.{leave_out}")
        given = [k for k in got if k in blank]
        if given:
            return (f"{name} gives a value for {len(given)} {label}(s) with nothing to count or divide "
                    f"by here{example(given)}: its value is missing (NaN or None, or leave it out).")
        for k in want:
            if is_number(want[k]) and not (is_number(got[k]) or is_missing(got[k])):
                where = f"[{k!r}]" if name_labels else " has a value that"
                return f"{name}{where} is {describe(got[k])}; it should be a number."
        off = [k for k in want if not same_scalar(got[k], want[k])]
        if off:
            first = sorted(off, key=sort_key)[0]
            if not name_labels:
                return f"{name} has the right {label}s, but {len(off)} of {len(want)} value(s) are off."
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
