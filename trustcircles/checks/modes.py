"""Where a check runs: in a learner's own kernel, or under grading; and whether solutions are on.

A learner's kernel is forgiving: a check never raises, so JupyterLab's Run All goes to the end of an
untouched exercise, and an unanswered question says so in words. Under grading (``trustcircles
grade`` sets :data:`GRADING_ENV` in the kernel it starts) a wrong or missing answer raises, because
nbgrader gives a test cell its points when the cell does not raise.

Solutions (``ex.q1.solution()``) are shown after a learner has checked the question at least once.
A trainer switches them off for a graded session in one step: set :data:`SOLUTIONS_ENV` to ``off``
in the environment the kernels start in (a JupyterHub does this for everyone), or put an empty file
named :data:`SOLUTIONS_OFF_FILE` in the exercises folder (or any folder above the notebook).
"""
from __future__ import annotations

import os
from pathlib import Path

#: set to "1" in the kernel environment by the course's grading
GRADING_ENV = "TRUSTCIRCLES_GRADING"
#: "off" (or "0", "no", "false") switches worked solutions off
SOLUTIONS_ENV = "TRUSTCIRCLES_SOLUTIONS"
#: a file of this name in the notebook's folder or a folder above it switches solutions off
SOLUTIONS_OFF_FILE = "SOLUTIONS_OFF"

_OFF = {"off", "0", "no", "false"}


def grading() -> bool:
    """True when this kernel runs under the course's grading (a wrong answer must then fail)."""
    return os.environ.get(GRADING_ENV, "") == "1"


def solutions_switched_off(start: str | os.PathLike | None = None) -> str:
    """Why worked solutions are off here ('' when they are on).

    ``start``: the folder to look from for :data:`SOLUTIONS_OFF_FILE` (default: the current folder,
    which in a notebook kernel is the notebook's own folder).
    """
    if os.environ.get(SOLUTIONS_ENV, "").strip().lower() in _OFF:
        return "your trainer has switched worked solutions off for this session"
    folder = Path(start or os.getcwd()).resolve()
    for parent in (folder, *folder.parents):
        if (parent / SOLUTIONS_OFF_FILE).exists():
            return ("your trainer has switched worked solutions off for this session "
                    f"(the file {SOLUTIONS_OFF_FILE} in the {parent.name or 'top'} folder)")
    return ""
