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


#: the most of one output (text or picture) a feedback page keeps
OUTPUT_LIMIT = 200_000
#: the most of all outputs, attachments and cell text together one feedback page keeps
PAGE_LIMIT = 4_000_000
_TRIMMED = "[{what} of {size} kB left out of this page: the limit is {limit} kB per {unit}]"


def _trim(nb: dict) -> list[str]:
    """Trim outputs, attachments and long cells (in place) to the page's limits; say what went."""
    notes, used = [], 0
    for index, cell in enumerate(nb["cells"]):
        source = cell_source(cell)
        if len(source) > OUTPUT_LIMIT:
            cell["source"] = source[:OUTPUT_LIMIT // 2] + "\n" + _TRIMMED.format(
                what="the rest of this cell", size=len(source) // 1000, limit=OUTPUT_LIMIT // 1000, unit="cell")
            notes.append(f"cell {index + 1}: its text was cut")
        used += len(cell_source(cell))
        for name, data in list((cell.get("attachments") or {}).items()):
            size = len(json.dumps(data))
            if size > OUTPUT_LIMIT or used + size > PAGE_LIMIT:
                del cell["attachments"][name]
                cell["source"] = cell_source(cell).replace(f"attachment:{name}", "#left-out") + "\n\n" + _TRIMMED.format(
                    what=f"an attached picture ({name})", size=size // 1000, limit=OUTPUT_LIMIT // 1000,
                    unit="picture")
                notes.append(f"cell {index + 1}: an attached picture of {size // 1000} kB was left out")
            else:
                used += size
        kept = []
        for output in cell.get("outputs", []):
            size = len(json.dumps(output))
            if size > OUTPUT_LIMIT or used + size > PAGE_LIMIT:
                kept.append({"output_type": "stream", "name": "stdout", "text": _TRIMMED.format(
                    what="an output", size=size // 1000, limit=OUTPUT_LIMIT // 1000, unit="output") + "\n"})
                notes.append(f"cell {index + 1}: an output of {size // 1000} kB was left out")
            else:
                used += size
                kept.append(output)
        if "outputs" in cell:
            cell["outputs"] = kept
    return notes


def sanitise_feedback_nb(nb: dict, hidden_lines: list[str]) -> dict:
    """The autograded notebook without hidden tests: sources cut, hidden tracebacks put in words,
    outputs trimmed to the page's limits."""
    nb = json.loads(json.dumps(nb))
    nb.setdefault("metadata", {})["trimmed"] = _trim(nb)
    for cell in nb["cells"]:
        source = cell_source(cell)
        had_hidden = (HIDDEN_BEGIN in source or any(h in source for h in hidden_lines)
                      or source.strip() == HIDDEN_PLACEHOLDER)
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
                   hidden_lines: list[str], decided: dict[str, str] | None = None,
                   notes: list[str] | None = None) -> list[str]:
    """Feedback HTML for one learner (hidden tests never included): a table of the checks, what
    each mark was decided on, notes on the grading (shell commands not run, output trimmed, ...),
    then the notebook. Returns what was trimmed from the page (for grades.csv)."""
    import nbformat

    decided = decided or {}
    clean = sanitise_feedback_nb(nb, hidden_lines)
    trimmed = [f"{n} (the feedback page keeps at most {OUTPUT_LIMIT // 1000} kB per output and "
               f"{PAGE_LIMIT // 1_000_000} MB in all)" for n in clean["metadata"].pop("trimmed", [])]
    notes = list(notes or []) + trimmed
    lines = [f"# Feedback: {assignment}", "", f"For **{html.escape(student)}**.", ""]
    auto = [cell for cell in cells.values() if not cell.manual]
    got = sum((cell.auto_score or 0) for cell in auto)
    possible = sum(cell.max_score for cell in auto)
    lines.append(f"Checked automatically: {got:g} of {possible:g} marks"
                 + (" (your written answer is read by your trainer)."
                    if any(cell.manual for cell in cells.values()) else "."))
    lines.append("")
    lines.append("Every mark was decided by the grading itself, outside your notebook, on what the "
                 "table says.")
    lines.append("")
    lines.append("| check | result | decided on |")
    lines.append("|---|---|---|")
    for gid, cell in sorted(cells.items()):
        if cell.manual:
            result = "read by your trainer"
        elif cell.passed:
            result = "passed"
        else:
            result = "not yet: see the message under the check below"
        label = gid.replace("_check", ": the check under your answer").replace(
            "_hidden", ": your function on other tables")
        on = html.escape(decided.get(gid, "")).replace("|", "/")
        lines.append(f"| {label} | {result} | {on} |")
    if notes:
        lines += ["", "**About this grading:**", ""] + [f"- {html.escape(n)}" for n in notes]
    header = nbformat.v4.new_markdown_cell("\n".join(lines), id="feedback-summary")  # a fixed id: same page each run
    notebook = nbformat.from_dict(clean)
    notebook.cells.insert(0, header)
    body, _ = feedback_exporter().from_notebook_node(notebook)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, body)
    return trimmed
