"""How a check speaks: "Correct", "Not yet" and the worked solution, the same for every question.

In a learner's kernel nothing here raises: a "Not yet" is printed, so Run All goes on to the end of
the notebook. Under grading (:func:`trustcircles.checks.modes.grading`) a "Not yet" raises
:class:`~trustcircles.checks.compare.CheckFailed`, because nbgrader gives a test cell its points when
the cell does not raise.
"""
from __future__ import annotations

import json
import textwrap
from functools import lru_cache
from pathlib import Path

from trustcircles.checks import modes
from trustcircles.checks.compare import CheckFailed

#: printed lines are wrapped at word boundaries to this width, so that JupyterLab at laptop size
#: (about 118 characters in an output area at 1366 px) never breaks a word or a number ("62%")
WIDTH = 96

#: worked answers of Part B, written from solutions/ by `trustcircles exercises` (one file each)
WORKED = Path(__file__).resolve().parent / "worked"


def wrapped(text: str, indent: str = "  ") -> str:
    """Each line of ``text`` wrapped at word boundaries (WIDTH), continuation lines indented."""
    out = []
    for line in text.splitlines() or [""]:
        lead = line[: len(line) - len(line.lstrip())]
        out.append(textwrap.fill(line, WIDTH, subsequent_indent=lead + indent, break_long_words=False,
                                 break_on_hyphens=False) if line.strip() else line)
    return "\n".join(out)


def outcome(name: str, right: bool, sentence: str, hint: str = "") -> None:
    """Print 'Correct (qN): ...' or 'Not yet (qN): ...'; under grading a 'Not yet' raises."""
    if right:
        print(wrapped(f"Correct ({name}): {sentence}"))
        return
    message = sentence + (f"\nHint: {hint}  (ex.{name}.hint())" if hint else "")
    if modes.grading():
        raise CheckFailed(name, message)
    lines = message.splitlines()
    print(wrapped("\n".join([f"Not yet ({name}): {lines[0]}"] + [f"  {line}" for line in lines[1:]])))


def solution_blocked(name: str, attempts: int) -> str:
    """Why ex.<name>.solution() shows nothing now ('' when it may)."""
    if modes.grading():
        return f"Solution ({name}): not available while work is being graded."
    off = modes.solutions_switched_off()
    if off:
        return f"Solution ({name}): {off}. Ask your trainer, or try the hint: ex.{name}.hint()."
    if attempts == 0:
        return (f"Solution ({name}): try the question first. Give an answer and run its check cell "
                f"once (any answer is fine); then ex.{name}.solution() shows a worked answer.")
    return ""


@lru_cache(maxsize=None)
def worked_answers(assignment: str) -> dict[str, str]:
    """question -> the answer cell of the solution, as `trustcircles exercises` saved it."""
    path = WORKED / f"{assignment}.json"
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))
