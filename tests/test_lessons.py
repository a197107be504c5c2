"""The lessons: the README's table, the skeleton, and what an executed lesson shows.

Each lesson (and the template) is executed once per test run, here (nbmake runs only solutions/;
the browser test runs them again as a learner would, in JupyterLab); every test of a lesson's
outputs looks at that one run: no error anywhere, at least one widget view and one plotly figure,
and an explorer that gave a reading in words.
"""
from __future__ import annotations

import functools
import json
import re
import tempfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted(p for p in (ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
MANAGER_PATH = {"00", "01", "04", "05", "08", "10", "12", "13"}
#: The exercise a lesson links to, where it is not named like the lesson (the capstone).
EXERCISE_OF = {"13": "capstone_circle_audit"}
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
PLOTLY_MIME = "application/vnd.plotly.v1+json"

#: The parts of the lesson skeleton (lessons/_template.ipynb), in order.
SKELETON = ["## Objectives", "**Time:**", "## The idea and its source", "## The data",
            "## Interpretation", "## What this data can and cannot show", "## Try this",
            "## Key points", "## Exercise", "Facilitator notes"]


def lesson_id(path: Path) -> str:
    return path.stem


def markdown_of(notebook: dict) -> str:
    return "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")


def test_readme_lesson_table_matches_the_lesson_files():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"\]\((lessons/\d\d_[a-z0-9_]+\.ipynb)\)", readme))
    present = {str(p.relative_to(ROOT)) for p in LESSONS}
    assert listed == present, f"only in README: {sorted(listed - present)}; only on disk: {sorted(present - listed)}"
    assert len(present) == 14


@pytest.mark.parametrize("path", LESSONS, ids=lesson_id)
def test_lesson_follows_the_skeleton(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    text = markdown_of(notebook)
    number = path.stem[:2]
    if number == "10":  # the last lesson has no nbgrader exercise: it ends with a reflection
        text = text.replace("## Reflection", "## Exercise")
    assert text.lstrip().startswith(f"# Lesson {number}"), "title cell: '# Lesson NN: ...'"
    positions = [text.find(part) for part in SKELETON]
    missing = [part for part, at in zip(SKELETON, positions) if at < 0]
    assert not missing, f"missing skeleton parts: {missing}"
    assert positions == sorted(positions), "skeleton parts out of order"
    assert text.count("What it shows:") >= 2, "each figure has a sentence saying what it shows"
    assert "you will be able to" in text.lower()
    if number in MANAGER_PATH:
        assert "For managers" in text
    if number not in ("00", "10"):   # 00 links to the practice exercise, 10 ends with a reflection
        exercise = EXERCISE_OF.get(number, path.stem)
        assert f"../exercises/{exercise}/{exercise}.ipynb" in text, "link to its exercise"
    honesty = text.split("## What this data can and cannot show", 1)[1].split("\n## ", 1)[0]
    assert "../docs/REFERENCES.md" in honesty, "the honesty section links to the references"
    if number != "10":  # lesson 10 uses invented example exports and the learner's own data
        assert "../trustcircles/simulate/" in honesty, "the honesty section links the simulator's code"


@functools.lru_cache(maxsize=None)
def executed(path: Path) -> nbformat.NotebookNode:
    """The lesson run top to bottom, once per test session (every test below reads this run)."""
    notebook = nbformat.read(str(path), as_version=4)
    # Run from an unrelated folder: data must come through trustcircles.data, not relative paths.
    with tempfile.TemporaryDirectory(prefix="lesson-") as workdir:
        NotebookClient(notebook, timeout=300, kernel_name="python3", store_widget_state=True,
                       resources={"metadata": {"path": workdir}}).execute()
    return notebook


def outputs_of(notebook: nbformat.NotebookNode) -> list[dict]:
    return [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])]


@pytest.mark.parametrize("path", LESSONS + [ROOT / "lessons" / "_template.ipynb"], ids=lesson_id)
def test_executed_lesson_shows_a_widget_and_a_figure_and_no_error(path):
    outputs = outputs_of(executed(path))
    errors = [o for o in outputs if o.get("output_type") == "error"]
    assert not errors, f"{errors[0].get('ename')}: {errors[0].get('evalue')}" if errors else ""
    streams = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream"
                      and o.get("name") == "stderr")
    assert "Traceback" not in streams
    mimes = [m for o in outputs for m in o.get("data", {})]
    assert WIDGET_MIME in mimes, "no widget view in the executed lesson"
    assert PLOTLY_MIME in mimes, "no plotly figure in the executed lesson"


@pytest.mark.parametrize("path", LESSONS, ids=lesson_id)
def test_executed_lessons_explorer_gives_a_reading_in_words(path):
    """The explorer's reading (an HTML widget with class tc-reading) holds a sentence with a number
    computed at run time."""
    state = executed(path).metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    readings = [m["state"]["value"] for m in state.values()
                if m.get("model_name") == "HTMLModel" and "tc-reading" in m["state"].get("value", "")]
    assert readings, "no explorer reading in the executed lesson"
    words = [re.sub(r"<[^>]+>", "", r) for r in readings]
    assert all(len(w.split()) >= 5 and re.search(r"\d", w) for w in words), words


def figures_of(notebook: nbformat.NotebookNode) -> list[tuple[str, dict]]:
    """Every plotly figure the executed lesson shows (the JSON the browser draws), with its cell.

    Explorers' FigureWidgets are not here: their saved widget state is the figure as first built
    (later changes travel as messages), so tests/test_figure_check.py checks each explorer's
    figure in Python after every move, and the browser test checks them as drawn."""
    found = []
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if PLOTLY_MIME in output.get("data", {}):
                found.append((f"cell {index}", output["data"][PLOTLY_MIME]))
    return found


@pytest.mark.parametrize("path", LESSONS + [ROOT / "lessons" / "_template.ipynb"], ids=lesson_id)
def test_executed_lessons_figures_pass_the_figure_check(path):
    """Every figure of the lesson's run passes trustcircles.figure_check (visible reference lines,
    log ranges in log10 units, titles that fit a laptop screen, hover text, no empty groups, words
    not identifiers)."""
    from trustcircles.figure_check import described, figure_problems

    figures = figures_of(executed(path))
    assert figures, "no figure in the executed lesson"
    failures = [described(problems, where) for where, figure in figures
                if (problems := figure_problems(figure))]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("path", LESSONS, ids=lesson_id)
def test_executed_lessons_figures_have_their_numbers_as_text(path):
    """Each plotly figure is followed by "Numbers in this figure" (a table a screen reader reads,
    needing no hover), and each explorer shows its numbers under its reading."""
    notebook = executed(path)
    outputs = outputs_of(notebook)
    for i, output in enumerate(outputs):
        if PLOTLY_MIME in output.get("data", {}):
            following = outputs[i + 1].get("data", {}).get("text/html", "") if i + 1 < len(outputs) else ""
            assert "Numbers in this figure" in following, f"output {i}: a figure without its numbers"
    state = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    tables = [m for m in state.values() if m.get("model_name") == "HTMLModel"
              and "Numbers in this figure" in m["state"].get("value", "")]
    assert tables, "the explorer shows no numbers under its figure"


#: Identifiers of the data a learner should read as words ("trust builder", not trust_builder).
TEXT_WIDTH = 88  # trustcircles.widgets.TEXT_WIDTH
IDENTIFIERS = re.compile(r"\b(trust_builder|in_ties|out_ties|ego_density)\b")


@pytest.mark.parametrize("path", LESSONS, ids=lesson_id)
def test_executed_lessons_sentences_use_words_and_wrap_between_words(path):
    """Sentences the lesson prints name archetypes and metrics in words, in lines short enough that
    JupyterLab never breaks one itself (inside a number, say). Cells that show an exercise's
    check are left to the checks' own tests."""
    notebook = executed(path)
    texts = [o.get("text", "") for c in notebook.cells if c.cell_type == "code"
             and "ex." not in c.source for o in c.get("outputs", []) if o.get("output_type") == "stream"]
    found = sorted({m for t in texts for m in IDENTIFIERS.findall(t)})
    assert not found, f"identifiers in sentences: {found}"
    long = [line for t in texts for line in t.splitlines() if len(line) > TEXT_WIDTH]
    assert not long, f"printed lines longer than {TEXT_WIDTH} characters (print them with say()): {long[:2]}"


@pytest.mark.parametrize("path", LESSONS + [ROOT / "lessons" / "_template.ipynb"], ids=lesson_id)
def test_executed_lessons_traces_are_kinds_the_course_template_styles(path):
    """The course's template keeps simple_white's defaults only for plots.TRACE_TYPES (issue 17:
    the others cost memory): a figure with another kind of trace would lose them. Add the kind there."""
    from trustcircles.plots import TRACE_TYPES

    notebook = executed(path)
    kinds = {trace.get("type", "scatter") for _, figure in figures_of(notebook) for trace in figure.get("data", [])}
    state = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    kinds |= {trace.get("type", "scatter") for model in state.values()
              for trace in model.get("state", {}).get("_widget_data", []) or []}
    assert kinds, "no trace found"
    assert kinds <= set(TRACE_TYPES), f"not in plots.TRACE_TYPES: {sorted(kinds - set(TRACE_TYPES))}"
