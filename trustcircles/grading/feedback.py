"""Feedback for each learner: the graded notebook as HTML, without the hidden tests.

nbgrader's own feedback shows the hidden tests' code and their tracebacks (nbgrader issues #917,
#1363). :func:`sanitise_feedback_nb` removes the hidden tests from the cell sources and replaces the
traceback of a hidden check by a sentence naming the check that failed; :func:`write_feedback` adds a
table of the checks on top and writes the page with nbconvert.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

from trustcircles.data import write_atomically
from trustcircles.grading.collect import CellScore, cell_source

HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"
HIDDEN_PLACEHOLDER = "# (hidden checks: they run when your work is graded; their code is not shown)"


def hidden_test_lines(source_nb: dict) -> list[str]:
    """Every non-empty line inside a hidden-tests region of the source notebook."""
    lines = []
    for cell in source_nb.get("cells", []):
        inside = False
        for line in cell_source(cell).splitlines():
            if HIDDEN_BEGIN in line:
                inside = True
                continue
            if HIDDEN_END in line:
                inside = False
                continue
            if inside and line.strip():
                lines.append(line.strip())
    return lines


def question_of(grade_id: str) -> str:
    """The question a check belongs to: ``q2_hidden`` -> ``q2``."""
    match = re.match(r"^(q\d+)", grade_id)
    return match.group(1) if match else grade_id


def _strip_hidden(text: str, hidden_lines: list[str]) -> str:
    out, inside = [], False
    for line in text.splitlines(keepends=True):
        if HIDDEN_BEGIN in line:
            inside = True
            out.append(line.split(HIDDEN_BEGIN)[0] + HIDDEN_PLACEHOLDER + "\n")
            continue
        if HIDDEN_END in line:
            inside = False
            continue
        if inside:
            continue
        if line.strip() and any(h in line for h in hidden_lines):
            continue
        out.append(line)
    return "".join(out)


def sanitise_feedback_nb(nb: dict, hidden_lines: list[str]) -> dict:
    """The autograded notebook without hidden tests: sources cut, hidden tracebacks put in words."""
    nb = json.loads(json.dumps(nb))
    for cell in nb["cells"]:
        source = cell_source(cell)
        had_hidden = HIDDEN_BEGIN in source or any(h in source for h in hidden_lines)
        cell["source"] = _strip_hidden(source, hidden_lines)
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                ename, evalue = output.get("ename", "Error"), str(output.get("evalue", ""))
                if had_hidden:
                    if ename == "CheckFailed":
                        words = evalue
                    else:
                        words = (f"the hidden check of {question_of(gid)} could not run "
                                 f"({ename}: {evalue[:160]})")
                    words = _strip_hidden(words, hidden_lines)
                    output["traceback"] = [f"A check failed: {line}" if i == 0 else f"  {line}"
                                           for i, line in enumerate(words.splitlines() or [ename])]
                    output["evalue"] = words
                else:
                    output["traceback"] = [_strip_hidden(t, hidden_lines) for t in output.get("traceback", [])]
            elif output.get("output_type") == "stream":
                output["text"] = _strip_hidden(cell_source({"source": output.get("text", "")}), hidden_lines)
            for key in ("data",):
                if key in output and "text/plain" in output[key]:
                    output[key]["text/plain"] = _strip_hidden(
                        cell_source({"source": output[key]["text/plain"]}), hidden_lines)
        if gid and cell.get("cell_type") == "code" and not cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            cell.setdefault("metadata", {})["tags"] = ["check"]
    return nb


_EXPORTER = []


def feedback_exporter():
    """One nbconvert HTMLExporter per process, reused for every learner: a new one compiles its
    Jinja templates again (about a third of a second per notebook). Rendering keeps no state between
    notebooks, so reusing it gives the same HTML."""
    if not _EXPORTER:
        from nbconvert import HTMLExporter

        exporter = HTMLExporter(template_name="lab")
        exporter.exclude_input_prompt = True
        exporter.exclude_output_prompt = True
        _EXPORTER.append(exporter)
    return _EXPORTER[0]


def write_feedback(nb: dict, path: Path, student: str, assignment: str, cells: dict[str, CellScore],
                   hidden_lines: list[str]) -> Path:
    """Feedback HTML for one learner (hidden tests never included)."""
    import nbformat

    clean = sanitise_feedback_nb(nb, hidden_lines)
    lines = [f"# Feedback: {assignment}", "", f"For **{html.escape(student)}**.", ""]
    auto = [cell for cell in cells.values() if not cell.manual]
    got = sum((cell.auto_score or 0) for cell in auto)
    possible = sum(cell.max_score for cell in auto)
    lines.append(f"Checked automatically: {got:g} of {possible:g} marks"
                 + (" (your written answer is read by your trainer)."
                    if any(cell.manual for cell in cells.values()) else "."))
    lines.append("")
    lines.append("| check | result |")
    lines.append("|---|---|")
    for gid, cell in sorted(cells.items()):
        if cell.manual:
            result = "read by your trainer"
        elif cell.passed:
            result = "passed"
        else:
            result = "not yet: see the message under the check below"
        label = gid.replace("_check", ": the check under your answer").replace(
            "_hidden", ": your function on other tables")
        lines.append(f"| {label} | {result} |")
    header = nbformat.v4.new_markdown_cell("\n".join(lines))
    notebook = nbformat.from_dict(clean)
    notebook.cells.insert(0, header)
    body, _ = feedback_exporter().from_notebook_node(notebook)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, body)
    return path
