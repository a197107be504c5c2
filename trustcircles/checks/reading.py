"""Part A, "Read the data": questions answered without code, in one literal line.

Each answer is a line a learner edits without knowing Python::

    answer_a1 = "B"                                  # a choice among listed options
    answer_a2 = 12                                   # a number read off an explorer or a figure
    answer_a3 = ["pitch", "reply", "broadcast"]      # a label for each of a few messages

The material a question is about (the options, the messages) and its right answer are computed from
the course's data when the question is built, never typed into the checks; every option carries its
own explanation, so a wrong choice is told why it does not fit without being told the right one.

Three kinds, all with the same learner-facing methods as Part B's :class:`~trustcircles.checks.Question`:
``show()`` (the material, when it is computed), ``check(answer)``, ``hint()`` and ``solution()``
(after a first check). :meth:`ReadingQuestion.judge` is the comparison alone, with no printing, so
grading can decide a mark outside the learner's kernel from the literal in the answer cell
(:func:`literal_answer`).
"""
from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from trustcircles.checks.say import outcome as _outcome
from trustcircles.checks.say import wrapped as _wrapped
from trustcircles.checks.say import solution_blocked as _solution_blocked

#: what an untouched Part A answer holds (the release notebooks show these placeholders)
PLACEHOLDER_TEXT = "?"


def is_placeholder(value) -> bool:
    """True for an answer the learner has not given yet: "?", "", ..., None, or a list of them."""
    if value is None or value is Ellipsis:
        return True
    if isinstance(value, str):
        return value.strip() in ("", PLACEHOLDER_TEXT)
    if isinstance(value, (list, tuple)):
        return len(value) == 0 or all(is_placeholder(v) for v in value)
    return getattr(value, "__class__", None).__name__ == "_NotAnswered"


# --------------------------------------------------------------------------- the computed material


@dataclass
class Choices:
    """A choice question's material: options (letter -> text), the right letter and, for every
    letter, why it is or is not the answer (a wrong letter's text never names the right one)."""
    options: dict[str, str]
    right: str
    why: dict[str, str]
    intro: str = ""          # a line shown above the options (e.g. what the numbers are)

    def __post_init__(self):
        if self.right not in self.options:
            raise ValueError(f"the right option {self.right!r} is not among {list(self.options)}")
        missing = [k for k in self.options if not self.why.get(k)]
        if missing:
            raise ValueError(f"options without an explanation: {missing}")


@dataclass
class Labelling:
    """A sorting question's material: items to label (e.g. messages), the labels to choose from,
    the right label of each item and why."""
    items: list[str]
    labels: dict[str, str]   # label -> what it means
    right: list[str]
    why: list[str]

    def __post_init__(self):
        if not (len(self.items) == len(self.right) == len(self.why)):
            raise ValueError("items, right labels and explanations differ in length")
        unknown = sorted(set(self.right) - set(self.labels))
        if unknown:
            raise ValueError(f"right labels not among the labels: {unknown}")


# --------------------------------------------------------------------------- questions


@dataclass
class ReadingQuestion:
    """A Part A question. Subclasses define :meth:`judge` and :meth:`answer_text`."""
    name: str
    checked: str                     # what is asked, in words ("which account is transactional")
    hint_text: str = ""
    reasoning: str = ""              # how to get there, shown by solution() after a first check
    attempts: int = field(default=0, init=False, repr=False, compare=False)

    # ---- for subclasses
    def judge(self, answer) -> tuple[bool, str]:  # pragma: no cover - each kind defines it
        """(right?, the sentence to show): the comparison alone, nothing printed or raised."""
        raise NotImplementedError

    def answer_text(self) -> str:  # pragma: no cover
        """The right answer as the literal a learner would type, e.g. '"B"' or '12'."""
        raise NotImplementedError

    def show(self) -> None:
        """Print the material the question is about (nothing, when the prompt says it all)."""

    # ---- learner-facing
    @property
    def answer_name(self) -> str:
        return f"answer_{self.name}"

    def hint(self) -> None:
        print(_wrapped(f"Hint ({self.name}): {self.hint_text}"))

    def check(self, answer=None) -> None:
        """Say whether the answer is right; under grading a wrong or missing answer raises."""
        self.attempts += 1
        right, sentence = self.decide(answer)
        _outcome(self.name, right, sentence, "" if right else self.hint_text)

    def decide(self, answer) -> tuple[bool, str]:
        """(right?, sentence) for an answer, an unanswered one included: what :meth:`check` says,
        nothing printed or raised (grading calls this outside the learner's kernel)."""
        if is_placeholder(answer):
            return False, (f"{self.answer_name} is not answered yet: in the cell above, replace the "
                           f'"{PLACEHOLDER_TEXT}" or the ... with your answer, then run it and this check.')
        return self.judge(answer)

    def solution(self) -> None:
        """The right answer and how to read it, once the question has been checked."""
        blocked = _solution_blocked(self.name, self.attempts)
        if blocked:
            print(blocked)
            return
        print(_wrapped(f"Solution ({self.name}): {self.answer_name} = {self.answer_text()}\n{self.explain()}"))

    def explain(self) -> str:
        return self.reasoning


@dataclass
class ChoiceQuestion(ReadingQuestion):
    """Pick one of a few options by its letter: ``answer_a1 = "B"``."""
    build: Callable[[], Choices] | None = None
    _choices: Choices | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def choices(self) -> Choices:
        if self._choices is None:
            self._choices = self.build()
        return self._choices

    def expected(self) -> str:
        return self.choices.right

    def answer_text(self) -> str:
        return f'"{self.choices.right}"'

    def show(self) -> None:
        choices = self.choices
        lines = [choices.intro] if choices.intro else []
        lines += [f"  {letter}. {text}" for letter, text in choices.options.items()]
        print(_wrapped("\n".join(lines), indent="   "))

    def judge(self, answer) -> tuple[bool, str]:
        choices = self.choices
        letters = ", ".join(f'"{k}"' for k in choices.options)
        if not isinstance(answer, str):
            return False, (f"{self.answer_name} should be one letter in quotes, one of {letters}; "
                           f"it is {answer!r}.")
        letter = answer.strip().strip(".)").upper()
        if letter not in choices.options:
            return False, f"{self.answer_name} is {answer!r}; choose one of {letters}."
        if letter == choices.right:
            return True, f"{letter}. {choices.why[letter]}"
        return False, f"{letter} does not fit: {choices.why[letter]}"

    def explain(self) -> str:
        choices = self.choices
        parts = [f"{choices.right}. {choices.why[choices.right]}"]
        parts += [f"Not {k}: {choices.why[k]}" for k in choices.options if k != choices.right]
        if self.reasoning:
            parts.append(self.reasoning)
        return "\n".join(parts)


@dataclass
class NumberQuestion(ReadingQuestion):
    """A number read off an explorer or a figure, within a stated tolerance: ``answer_a2 = 12``."""
    value: Callable[[], float] | None = None
    tolerance: float = 0.0           # absolute: an answer within ± tolerance is right
    unit: str = ""                   # e.g. "%", "days", "newcomers"
    digits: int = 0                  # how the right value is written in the solution
    _value: float | None = field(default=None, init=False, repr=False, compare=False)

    def expected(self) -> float:
        if self._value is None:
            self._value = float(self.value())
        return self._value

    def answer_text(self) -> str:
        value = round(self.expected(), self.digits)
        return f"{value:.{self.digits}f}" if self.digits else f"{value:.0f}"

    def judge(self, answer) -> tuple[bool, str]:
        if isinstance(answer, str):
            cleaned = answer.strip().rstrip("%").replace(",", "").strip()
            try:
                answer = float(cleaned)
            except ValueError:
                return False, (f"{self.answer_name} should be a number, without quotes "
                               f"(e.g. {self.answer_name} = 12); it is {answer!r}.")
        if isinstance(answer, tuple) and len(answer) > 1 and all(
                isinstance(part, int) and not isinstance(part, bool) for part in answer):
            # 1,234 copied from a sentence or 1,5 written the European way: Python reads a tuple
            written = ",".join(str(part) for part in answer)
            return False, (f"Python reads {self.answer_name} = {written} as {len(answer)} numbers, "
                           f"because of the comma: write the number without commas "
                           f"({self.answer_name} = {''.join(str(p) for p in answer)}), and a decimal "
                           f"with a point ({self.answer_name} = {answer[0]}.{answer[1]}).")
        if isinstance(answer, bool) or not isinstance(answer, (int, float)) or math.isnan(answer):
            return False, (f"{self.answer_name} should be one number (e.g. {self.answer_name} = 12); "
                           f"it is {answer!r}.")
        unit = f" {self.unit}" if self.unit and self.unit != "%" else self.unit
        given = f"{round(float(answer), 6):g}{unit}"
        margin = f"within ±{self.tolerance:g}{unit}" if self.tolerance else "exactly"
        if abs(float(answer) - self.expected()) <= self.tolerance + 1e-9:
            return True, f"{given} is what the data show ({margin})."
        if not self.tolerance:
            return False, (f"{given} is not what the data show. Look again at the setting the "
                           "question names.")
        return False, (f"{given} is not {margin} of what the data show. Look again at the setting "
                       "the question names.")


@dataclass
class LabelsQuestion(ReadingQuestion):
    """One label for each of a few items: ``answer_a3 = ["pitch", "reply", ...]``."""
    build: Callable[[], Labelling] | None = None
    _labelling: Labelling | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def labelling(self) -> Labelling:
        if self._labelling is None:
            self._labelling = self.build()
        return self._labelling

    def expected(self) -> list[str]:
        return list(self.labelling.right)

    def answer_text(self) -> str:
        return "[" + ", ".join(f'"{label}"' for label in self.labelling.right) + "]"

    def show(self) -> None:
        material = self.labelling
        lines = [f"  {i}. {item}" for i, item in enumerate(material.items, start=1)]
        lines.append("Labels: " + "; ".join(f'"{k}": {v}' for k, v in material.labels.items()))
        print(_wrapped("\n".join(lines), indent="   "))

    def judge(self, answer) -> tuple[bool, str]:
        material = self.labelling
        n = len(material.items)
        known = ", ".join(f'"{k}"' for k in material.labels)
        if not isinstance(answer, (list, tuple)):
            return False, (f"{self.answer_name} should be a list of {n} labels in square brackets, "
                           f"e.g. [\"{next(iter(material.labels))}\", ...]; it is {answer!r}.")
        if len(answer) != n:
            return False, f"{self.answer_name} has {len(answer)} labels; there are {n} messages."
        given = [str(a).strip().lower() if isinstance(a, str) else a for a in answer]
        unknown = [i for i, a in enumerate(given, start=1) if a not in material.labels]
        if unknown:
            where = ", ".join(map(str, unknown))
            return False, f"label(s) number {where} are not one of {known} (or still \"?\")."
        right = sum(a == r for a, r in zip(given, material.right))
        if right == n:
            return True, f"all {n} labelled as the data label them."
        return False, f"{right} of {n} are labelled as the data label them."

    def explain(self) -> str:
        material = self.labelling
        lines = [f"  {i}. {label}: {why}" for i, (label, why)
                 in enumerate(zip(material.right, material.why), start=1)]
        if self.reasoning:
            lines.append(self.reasoning)
        return "\n".join(lines)


# --------------------------------------------------------------------------- literal answers


_ASSIGNMENT = re.compile(r"^(answer_a\d+)\s*=")


def literal_answer(source: str, name: str) -> Any:
    """The value of ``name = <literal>`` in a cell's source, read without running anything.

    Grading uses this to read a Part A answer outside the learner's kernel. Raises ValueError with
    a sentence for the feedback when the line is missing or is not a plain literal.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        raise ValueError(f"the answer cell is not valid Python (line {error.lineno}: {error.msg}); "
                         f"write it as {name} = \"B\" or {name} = 12.") from None
    found = None
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id == name):
            found = node.value
    if found is None:
        raise ValueError(f"no line `{name} = ...` in the answer cell.")
    try:
        return ast.literal_eval(found)
    except ValueError:
        raise ValueError(f"{name} is given by an expression, not a plain answer: write the answer "
                         f"itself, e.g. {name} = \"B\" or {name} = 12.") from None


def placeholder_for(region: str) -> str | None:
    """The release's placeholder for a Part A solution region (``answer_aN = <literal>``), or None.

    ``"B"`` becomes ``"?"``, a number becomes ``...``, a list becomes a list of as many ``"?"``.
    """
    lines = [line for line in region.strip().splitlines() if line.strip() and not line.strip().startswith("#")]
    if len(lines) != 1 or not _ASSIGNMENT.match(lines[0].strip()):
        return None
    name = _ASSIGNMENT.match(lines[0].strip()).group(1)
    try:
        value = literal_answer(lines[0].strip(), name)
    except ValueError:
        return None
    if isinstance(value, str):
        return f'{name} = "{PLACEHOLDER_TEXT}"'
    if isinstance(value, (list, tuple)):
        return f"{name} = [" + ", ".join(f'"{PLACEHOLDER_TEXT}"' for _ in value) + "]"
    return f"{name} = ...  # a number, e.g. 12"
