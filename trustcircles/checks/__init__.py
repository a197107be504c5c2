"""Instant checks and hints for the exercises, in a plain kernel (no nbgrader server needed).

In an exercise notebook::

    from trustcircles.checks import exercise
    ex = exercise("00_welcome")
    ex.a1.show()               # Part A: the material a no-code question is about
    ex.a1.check(answer_a1)     # "Correct (a1): ..." or "Not yet (a1): ..." (why that choice does not fit)
    ex.q1.hint()               # a hint about the idea, never the answer
    ex.q1.check(count_kinds)   # Part B: the learner's function on the data and on every edge case
    ex.q1.solution()           # a worked answer, after a first check (a trainer can switch it off)
    ex.q1.check_function(count_kinds)   # (hidden tests) the edge cases, fresh under grading

Expected values are never typed in by hand: each question computes them from the course's data
(:mod:`trustcircles.data`) with the course's metric functions (:mod:`trustcircles.metrics`), so an
exercise, a lesson and the report always agree.

In a learner's kernel a check never raises: "Not yet" is printed, so Run All reaches the end of an
untouched exercise. Under grading (:mod:`trustcircles.checks.modes`) a wrong answer raises
:class:`CheckFailed`, an ``AssertionError`` (so nbgrader counts the test cell as failed) that renders
in Jupyter as the friendly message alone (IPython calls ``_render_traceback_`` instead of printing a
traceback), which also keeps tracebacks out of nbgrader's autograded notebooks.

Where things go:

* ``compare.py``: comparing an answer with the right one and saying what is wrong (a new kind of
  answer, and its messages, goes here);
* ``question.py``: :class:`Question` and :class:`Variant`, Part B: how a question checks a learner's
  function on the data and on its edge cases (a new way of asking goes here);
* ``reading.py``: Part A, "Read the data": choice, number and labelling questions answered with one
  literal line, the material and right answers computed from the data;
* ``cases.py``: edge-case tables disguised with a seed (fixed for practice, fresh for grading);
* ``modes.py`` and ``say.py``: learner's kernel or grading, the trainer's switch for solutions, and
  how "Correct" / "Not yet" / a solution are said;
* ``ex_NN_slug.py``: one assignment's questions, a function decorated ``@register("NN_slug")`` that
  returns a dict ``{"q1": Question(...), ...}``; see ``ex_00_welcome.py`` for a complete example and
  TRAINERS.md ("Writing an exercise");
* ``tables.py``: the notebooks' tables and small variations of the worked example.

Expected values come from :mod:`trustcircles.metrics` and :mod:`trustcircles.topics` (the lessons'
own numbers); checks never import :mod:`trustcircles.widgets`, so a graded notebook loads neither
ipywidgets nor plotly (tests/test_house.py).
"""
from __future__ import annotations

from typing import Callable

# What a notebook and an assignment module use, by these names.
from trustcircles.checks.compare import (NOT_ANSWERED, REL_TOL, CheckFailed, as_mapping,  # noqa: F401
                                         counts_answer, describe, is_missing, is_number, number_answer,
                                         per_label_answer, same_frame, same_number, same_scalar, same_values)
from trustcircles.checks.question import Question, Variant  # noqa: F401
from trustcircles.checks.reading import (ChoiceQuestion, Choices, Labelling, LabelsQuestion,  # noqa: F401
                                         NumberQuestion)


class Exercise:
    """The questions of one assignment: ``ex.q1``, ``ex.q2``, ... (see :func:`exercise`)."""

    NOT_ANSWERED = NOT_ANSWERED

    def __init__(self, assignment: str, questions: dict[str, Question]):
        self.assignment = assignment
        self.questions = questions
        for name, question in questions.items():
            question.assignment = assignment
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


def _load_one(assignment: str) -> None:
    """Import the assignment's own module, if there is one (a kernel then holds that one, not all)."""
    import importlib
    import importlib.util

    try:
        spec = importlib.util.find_spec(f"{__name__}.ex_{assignment}")
    except (ImportError, ValueError):  # not a module name (e.g. a path): the caller says so
        return
    if spec is not None:
        importlib.import_module(spec.name)


def exercise(assignment: str) -> Exercise:
    """The checks and hints of one assignment, e.g. ``exercise("00_welcome")``."""
    if assignment not in _REGISTRY:
        _load_one(assignment)
    if assignment not in _REGISTRY:
        _load_all()
    if assignment not in _REGISTRY:
        raise CheckFailed(assignment, f"there are no checks for an assignment called {assignment!r}. "
                                      f"Known: {', '.join(sorted(_REGISTRY))}.")
    return Exercise(assignment, _REGISTRY[assignment]())
