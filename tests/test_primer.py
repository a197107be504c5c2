"""The pandas primer (lessons/00b_pandas_primer.ipynb): Run All is friendly, and filled in it is right.

Untouched, every "your turn" cell runs and says "not answered yet"; with each marked line replaced by
its one-line answer (and the open question by a worked answer) every check says "Correct"; an open
answer that counts the asker's own reply gets "Not yet".
"""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from trustcircles.checks.ex_00b_pandas_primer import _P5_SOLUTION

PRIMER = Path(__file__).resolve().parent.parent / "lessons" / "00b_pandas_primer.ipynb"
FILLED = {
    "return NOT_ANSWERED  # ← replace this line: keep the rows where is_dm is True": "return table[is_dm]",
    "return NOT_ANSWERED  # ← replace this line: group `authored` by actor, mean of is_promotional":
        'return authored.groupby("actor")["is_promotional"].mean()',
    "return NOT_ANSWERED  # ← replace this line: count the rows where actor differs from actor_parent":
        'return int((pairs["actor"] != pairs["actor_parent"]).sum())',
    "hours = NOT_ANSWERED  # ← replace NOT_ANSWERED: the timestamps' difference, in hours":
        'hours = (pairs["timestamp"] - pairs["timestamp_parent"]).dt.total_seconds() / 3600',
}


def run(nb, tmp_path) -> str:
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
                   ).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, errors[0].get("evalue")
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
                   if o.output_type == "stream")


def filled(careless_p5: bool = False):
    nb = nbformat.read(str(PRIMER), as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for line, answer in FILLED.items():
            cell.source = cell.source.replace(line, answer)
        if "def median_first_reply_hours" in cell.source:
            p5 = _P5_SOLUTION
            if careless_p5:
                p5 = p5.replace('    pairs = pairs[pairs["actor"] != pairs["actor_question"]]\n', "")
            cell.source = p5 + "\n\n\nprimer.p5.check(median_first_reply_hours)"
    return nb


def test_untouched_primer_runs_and_says_not_answered(tmp_path):
    said = run(nbformat.read(str(PRIMER), as_version=4), tmp_path)
    for name in ("p1", "p2", "p3", "p4", "p5"):
        assert f"Not yet ({name}): not answered yet" in said


@pytest.mark.parametrize("careless", [False, True])
def test_filled_in_primer_is_correct_and_a_careless_answer_is_not(tmp_path, careless):
    said = run(filled(careless), tmp_path)
    for name in ("p1", "p2", "p3", "p4"):
        assert f"Correct ({name})" in said, said
    assert (f"Not yet (p5)" if careless else "Correct (p5)") in said, said
