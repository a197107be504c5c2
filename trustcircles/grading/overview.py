"""What a run leaves for the trainer: ``grades.csv`` and the class overview page.

* :data:`STATUSES`: what each status in grades.csv means (TRAINERS.md lists the same);
* :func:`write_grades_csv`: one row per file (student, assignment, score, max_score, status, reason);
* :func:`question_table` and :func:`write_overview`: per check, how many scored notebooks passed it,
  drawn with the course's palette (:mod:`trustcircles.plots`) for the debrief. Questions, never a
  ranking of people.
"""
from __future__ import annotations

import csv
import html
import io
from pathlib import Path
from typing import Iterable

from trustcircles.data import write_atomically
from trustcircles.grading.collect import Submission, cell_source
from trustcircles.grading.feedback import question_of

#: status -> what it means (TRAINERS.md lists the same)
STATUSES = {
    "graded": "graded by nbgrader; the score counts",
    "timed_out": "graded, but a cell ran past the time-out and was stopped",
    "edited_tests": "graded with the original tests: the learner had edited a test cell",
    "deleted_tests": "graded with the original tests: the learner had deleted a test cell",
    "kernel_died": "not graded: the notebook stopped Python (e.g. os._exit, exit(), out of memory)",
    "invalid": "not graded: the file is empty, not JSON or not a notebook",
    "misnamed": "not graded: the file name does not say whose work it is or which assignment",
    "not_a_notebook": "not graded: not an .ipynb file",
    "duplicate": "not graded: the same learner handed in a newer notebook, which was graded",
    "missing": "no submission from a learner on the roster",
    "error": "not graded: nbgrader failed on it (see the reason)",
}


def _number(value) -> str:
    return "" if value is None else f"{value:g}"


def write_grades_csv(path: Path, assignment: str, subs: Iterable[Submission]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", "assignment", "score", "max_score", "status", "reason"])
    for sub in subs:
        writer.writerow([sub.student, assignment, _number(sub.score), _number(sub.max_score),
                         sub.status, sub.reason])
    write_atomically(path, buffer.getvalue())


def question_table(subs: Iterable[Submission]) -> list[dict]:
    """Per autograded check: how many scored submissions passed it (no names: questions, not people)."""
    scored = [s for s in subs if s.score is not None]
    rows: dict[str, dict] = {}
    for sub in scored:
        for gid, cell in sub.cells.items():
            if cell.manual:
                continue
            row = rows.setdefault(gid, {"check": gid, "question": question_of(gid), "passed": 0, "total": 0})
            row["total"] += 1
            row["passed"] += int(cell.passed)
    out = sorted(rows.values(), key=lambda r: r["check"])
    for row in out:
        row["pass_rate"] = row["passed"] / row["total"] if row["total"] else float("nan")
    return out


def write_overview(path: Path, assignment: str, subs: list[Submission], source_nb: dict) -> None:
    """The class overview for the debrief: distributions and questions, never a list of people."""
    import plotly.graph_objects as go
    from plotly.io import to_html

    from trustcircles import plots

    scored = [s for s in subs if s.score is not None]
    table = question_table(subs)
    prompts = {}
    for cell in source_nb.get("cells", []):
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        if gid.endswith("_prompt") and cell.get("cell_type") == "markdown":
            first = cell_source(cell).strip().splitlines()[0].lstrip("# ").strip()
            prompts[question_of(gid)] = first
    scores = [s.score / s.max_score if s.max_score else 0 for s in scored]
    fig1 = go.Figure(go.Histogram(x=[100 * x for x in scores], xbins=dict(start=0, end=100.01, size=10),
                                  marker_color=plots.PALETTE["blue"],
                                  hovertemplate="%{x}% of the marks: %{y} notebooks<extra></extra>"))
    fig1.update_layout(title="How far the class got (share of autograded marks)",
                       xaxis_title="share of marks (%)", yaxis_title="notebooks", bargap=0.05)
    labels = [f"{r['check']}" for r in table]
    fig2 = go.Figure(go.Bar(x=labels, y=[100 * r["pass_rate"] for r in table], marker_color=plots.TRUST,
                            customdata=[[r["passed"], r["total"]] for r in table],
                            hovertemplate="%{x}: %{y:.0f}% passed (%{customdata[0]} of %{customdata[1]})<extra></extra>"))
    fig2.update_layout(title="Pass rate per check", yaxis_title="passed (%)", yaxis_range=[0, 100],
                       xaxis_title="check (qN_check: the visible check; qN_hidden: other tables)")
    missed = sorted(table, key=lambda r: (r["pass_rate"], r["check"]))[:5]
    counts: dict[str, int] = {}
    for sub in subs:
        counts[sub.status] = counts.get(sub.status, 0) + 1
    rows = "".join(f"<tr><td>{html.escape(r['check'])}</td><td>{html.escape(prompts.get(r['question'], ''))}</td>"
                   f"<td>{100 * (1 - r['pass_rate']):.0f}% missed ({r['total'] - r['passed']} of {r['total']})</td></tr>"
                   for r in missed if r["pass_rate"] < 1)
    status_rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{v}</td><td>{html.escape(STATUSES.get(k, ''))}</td></tr>"
                          for k, v in sorted(counts.items()))
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Class overview: {html.escape(assignment)}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}td,th{{padding:.2em .8em;text-align:left}}</style>
</head><body>
<h1>Class overview: {html.escape(assignment)}</h1>
<p>{len(scored)} notebooks scored out of {len(subs)} files. This page shows questions, not people:
use it to pick what to talk through in the debrief.</p>
<h2>The most missed questions</h2>
<table><tr><th>check</th><th>question</th><th>missed</th></tr>{rows or '<tr><td colspan=3>none: every check was passed by everyone</td></tr>'}</table>
{to_html(fig2, include_plotlyjs=True, full_html=False)}
<p>Each bar is one check: how many of the scored notebooks passed it.</p>
{to_html(fig1, include_plotlyjs=False, full_html=False)}
<p>How many notebooks reached each share of the autograded marks (written answers are not included).</p>
<h2>Files handed in</h2>
<table><tr><th>status</th><th>files</th><th>meaning</th></tr>{status_rows}</table>
</body></html>
"""
    write_atomically(path, page)
