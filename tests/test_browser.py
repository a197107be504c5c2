"""The course as a learner sees it: JupyterLab (started as `make lab` starts it) in a real Chromium.

A notebook that runs under nbmake can still show "Error displaying widget" or an empty plot: the
widget and plotly front-ends only run in a browser. For every lesson (lessons/NN_*.ipynb, found at
run time, and the template) this test opens it, runs all cells, checks that no cell shows an error
and that every widget and figure rendered, moves a widget and checks that a reading or a figure
changed, and saves a screenshot to .artefacts/browser/. For one exercise it answers a question
wrongly (a friendly message, no traceback) and then rightly ("Correct").

Needs Chromium (`apt-get install chromium`); without it the test says how to install it and skips,
except under CI (CI=true), where .ci/run installs it and a missing browser is a failure.
All tests live in this one file: with xdist's --dist loadfile they share one worker, one server
and one browser.
"""
from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

import browser_support as bs

pytestmark = pytest.mark.browser

LESSONS = bs.lesson_notebooks()
EXERCISES = bs.exercise_notebooks()
TIMINGS: dict[str, tuple[float, str]] = {}  # notebook -> (seconds, phases)
#: axe-core's findings outside the course's own content (JupyterLab's chrome, plotly's toolbar):
#: reported in .artefacts/browser/axe-outside-the-course.txt, not failures.
OUTSIDE_THE_COURSE: set[str] = set()


class Stopwatch:
    """Seconds per phase of one notebook, for .artefacts/browser/timings.txt."""

    def __init__(self):
        self.started = self.last = time.monotonic()
        self.phases: list[str] = []

    def lap(self, phase: str) -> None:
        now = time.monotonic()
        self.phases.append(f"{phase} {now - self.last:.1f}")
        self.last = now

    def record(self, name: str) -> None:
        TIMINGS[name] = (time.monotonic() - self.started, ", ".join(self.phases))


def relative(path: Path) -> str:
    return path.relative_to(bs.ROOT).as_posix()


def unavailable(reason: str):
    """Skip on a learner's machine; under CI the browser test must run, so fail instead."""
    if bs.IN_CI:
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium_path() -> str:
    path = bs.find_chromium()
    if path is None:
        unavailable("Chromium is not installed: " + bs.INSTALL_HINT)
    return path


@pytest.fixture(scope="module")
def lab(chromium_path, tmp_path_factory):
    with bs.running_lab(tmp_path_factory.mktemp("browser-lab")) as server:
        yield server


@pytest.fixture(scope="module")
def browser(chromium_path, tmp_path_factory):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed: run `python bootstrap.py setup --tests` (requirements-test.lock)")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=chromium_path, headless=True, args=bs.CHROMIUM_ARGS,
            viewport=bs.VIEWPORT)
        context.set_default_timeout(60_000)
        yield context
        context.close()
    if TIMINGS:
        bs.ARTEFACTS.mkdir(parents=True, exist_ok=True)
        lines = [f"{seconds:6.1f} s  {name}  ({phases})" for name, (seconds, phases) in TIMINGS.items()]
        lines.append(f"{sum(t for t, _ in TIMINGS.values()):6.1f} s  total (notebooks only)")
        (bs.ARTEFACTS / "timings.txt").write_text("\n".join(lines) + "\n")
    if OUTSIDE_THE_COURSE:
        bs.ARTEFACTS.mkdir(parents=True, exist_ok=True)
        (bs.ARTEFACTS / "axe-outside-the-course.txt").write_text("\n".join(sorted(OUTSIDE_THE_COURSE)) + "\n")


@pytest.fixture(scope="module")
def lab_page(browser, lab):
    """One JupyterLab page for the module (loading it once saves seconds per notebook)."""
    tab = browser.new_page()
    tab.messages = []
    tab.console_errors = []
    tab.on("pageerror", lambda error: tab.messages.append(f"page error: {error}"))
    tab.on("console", lambda m: tab.console_errors.append(m.text[:300]) if m.type == "error" else None)
    bs.open_lab(tab, lab)
    yield tab
    tab.close(run_before_unload=False)


@pytest.fixture
def page(lab_page, lab):
    """The JupyterLab page; afterwards every notebook is closed without saving and every kernel
    is shut down, so notebooks do not pile up kernels."""
    lab_page.messages.clear()
    lab_page.console_errors.clear()
    yield lab_page
    bs.close_without_saving(lab_page)
    lab.shut_down_kernels()
    assert lab.api("GET", "/api/kernels") == [], "a kernel is still running after the notebook closed"


def test_server_serves_a_copy_of_the_course(lab):
    """lab_command's own root is overridden by the appended --ServerApp.root_dir: learners' runs
    happen in the copy, never in the repository."""
    assert lab.root != bs.ROOT
    listing = lab.api("GET", "/api/contents/lessons")
    names = {item["name"] for item in listing["content"]}
    assert {p.name for p in LESSONS} <= names
    marker = lab.root / "lessons" / "served-from-the-copy.txt"
    marker.write_text("")
    try:
        assert lab.api("GET", "/api/contents/lessons/served-from-the-copy.txt")["type"] == "file"
    finally:
        marker.unlink()


def check_drawn(page, name: str, stem: str, state: dict, when: str) -> None:
    """What a learner would see go wrong: rendering problems, and the figure check on the
    figures as drawn; a screenshot of the trouble, then the failure."""
    problems = bs.rendering_problems(state) + bs.drawn_figure_problems(page)
    if problems:
        bs.screenshot_problem(page, stem, state)
    assert not problems, f"{name} {when}:\n" + "\n".join(problems) + \
        "\nbrowser console errors:\n" + "\n".join(page.console_errors)


@pytest.mark.parametrize("notebook", LESSONS, ids=relative)
def test_lesson_runs_and_renders_in_the_browser(notebook, lab, page):
    """At 1366 x 768: Run All, then every cell ran without an error, every widget and figure drew
    and passes the figure check as drawn, axe-core finds nothing in the course's own content;
    then every control, moved from the keyboard, changes a reading or a figure, and the figures
    still pass. Screenshots after Run All and after each move."""
    clock = Stopwatch()
    name = relative(notebook)
    bs.open_notebook(page, name)
    clock.lap("open")

    bs.run_all(page)
    state = bs.wait_until_run(page)
    clock.lap("run all")
    check_drawn(page, name, notebook.stem, state, "after Run All")
    bs.screenshot(page, f"{notebook.stem}-1-run-all", ".js-plotly-plot")
    course, elsewhere = bs.accessibility_violations(page)
    OUTSIDE_THE_COURSE.update(elsewhere)
    assert not course, f"{name}: axe-core finds in the course's own content:\n" + "\n".join(course)
    pale, passed = bs.contrast_violations(page)
    assert passed, f"{name}: axe-core's contrast rule judged no text of the course's content"
    assert not pale, f"{name}: text too pale to read (WCAG AA contrast):\n" + "\n".join(pale)
    clock.lap("check")

    controls = bs.controls_count(page)
    assert controls, f"{name}: no slider, dropdown or toggle buttons to move (lessons/_template.ipynb)"
    for index in range(controls):
        before = bs.readings(bs.notebook_state(page))
        moved = bs.move_control(page, index)
        changed, after = bs.wait_for_change(page, before)
        assert changed, f"{name}: moving the {moved} changed no reading and no figure"
        after = bs.wait_for_render(page, after)
        check_drawn(page, name, notebook.stem, after, f"after moving the {moved}")
        bs.screenshot(page, f"{notebook.stem}-2-control{index + 1}",
                      f"{bs.CONTROLS} >> nth={index}")
    clock.lap(f"move {controls}")
    assert not page.messages, f"{name}: errors in the page: {page.messages}"
    clock.record(name)


# --------------------------------------------------------------------------- the learner's lab


def test_the_learners_lab_shows_no_instructor_tool(lab, page):
    """No Nbgrader menu, no Create Assignment or course list, no Validate button on a lesson, and
    no solutions/ in the file browser (the copy served holds one, as the repository does)."""
    assert (lab.root / "solutions").is_dir()
    page.evaluate("() => window.jupyterapp.commands.execute('filebrowser:go-to-path', {path: '/'})")
    bs.open_notebook(page, relative(LESSONS[0]))
    page.wait_for_timeout(500)
    found = bs.trainer_tools(page)
    bs.screenshot(page, "learners-lab")
    assert not found, "a learner sees instructor tools: " + "; ".join(found)
    # and the page would see them: the same lab's trainer settings show the Nbgrader menu when
    # nbgrader is installed (tests/test_lab.py starts a trainer's lab)


def test_the_instructor_tools_check_sees_them_in_a_trainers_lab(browser, tmp_path_factory):
    """Self-test: the same check, in the lab `make lab ROLE=trainer` starts (nbgrader installed),
    finds the Nbgrader menu, the Validate button and solutions/."""
    import importlib.util
    if importlib.util.find_spec("nbgrader") is None:
        unavailable("nbgrader is not installed (python bootstrap.py setup --trainer)")
    with bs.running_lab(tmp_path_factory.mktemp("trainer-lab"), trainer=True) as trainer_lab:
        tab = browser.new_page()
        try:
            bs.open_lab(tab, trainer_lab, workspace="trainer-test")
            bs.open_notebook(tab, relative(LESSONS[0]))
            tab.wait_for_timeout(500)
            found = "; ".join(bs.trainer_tools(tab))
        finally:
            tab.close(run_before_unload=False)
    for tool in ("Nbgrader", "Validate", "solutions/"):
        assert tool in found, f"the check missed {tool} in a trainer's lab: {found}"


def test_readme_opens_rendered(lab, page):
    page.evaluate("async () => { await window.jupyterapp.commands.execute('docmanager:open', {path: 'README.md'}); }")
    page.wait_for_selector(".jp-MainAreaWidget:not(.lm-mod-hidden) .jp-RenderedMarkdown h1", timeout=30_000)
    assert page.locator(".jp-MainAreaWidget:not(.lm-mod-hidden) .jp-FileEditor").count() == 0, \
        "README.md opened as Markdown source, not rendered"
    bs.screenshot(page, "readme")


def test_closing_a_lesson_tab_shuts_its_kernel_down(lab, page):
    """Closing the tab, as a learner does (its close button), leaves no kernel behind."""
    bs.open_notebook(page, relative(LESSONS[0]))
    assert len(lab.api("GET", "/api/kernels")) == 1
    page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabCloseIcon").click()
    discard = page.locator(".jp-Dialog button", has_text="Discard")  # "Save your work?" when changed
    if discard.count():
        discard.click()
    deadline = time.monotonic() + 20
    while lab.api("GET", "/api/kernels") and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    assert lab.api("GET", "/api/kernels") == [], "the lesson's kernel still runs after its tab closed"


def test_a_lesson_and_its_exercise_have_distinct_tab_titles(lab, page):
    lesson = LESSONS[1] if len(LESSONS) > 1 else LESSONS[0]
    exercise = bs.ROOT / "exercises" / lesson.stem / lesson.name
    if not exercise.exists():
        unavailable(f"no exercise for {lesson.stem}")
    for path in (lesson, exercise):
        page.evaluate("async path => { await window.jupyterapp.commands.execute('docmanager:open', "
                      "{path, factory: 'Notebook'}); }", relative(path))
    # a tab's tooltip (its path, which the course's style sheet reads) is set once it has loaded
    page.wait_for_function("() => [...document.querySelectorAll('.lm-DockPanel-tabBar .lm-TabBar-tab')]"
                           ".filter(tab => (tab.getAttribute('title') || '').includes('Path:')).length >= 2",
                           timeout=60_000)
    titles = page.evaluate("""() => [...document.querySelectorAll('.lm-DockPanel-tabBar .lm-TabBar-tab')]
      .filter(tab => (tab.getAttribute('title') || '').includes('.ipynb')).map(tab => {
        const label = tab.querySelector('.lm-TabBar-tabLabel');
        const before = getComputedStyle(label, '::before').content.replace(/^"|"$/g, '');
        return (before === 'none' ? '' : before) + label.textContent; })""")
    tooltips = page.evaluate("() => [...document.querySelectorAll('.lm-DockPanel-tabBar .lm-TabBar-tab')]"
                             ".map(tab => tab.getAttribute('title'))")
    assert len(titles) == 2 and len(set(titles)) == 2, f"the tabs read {titles} ({tooltips})"
    assert any(t.startswith("Lesson") for t in titles) and any(t.startswith("Exercise") for t in titles), titles
    bs.screenshot(page, "tab-titles")


# --------------------------------------------------------------------------- the checks can fail

BROKEN_CELLS = [
    # an empty figure: drawn axes, no data
    "import plotly.graph_objects as go\ngo.Figure(layout_title_text='empty on purpose')",
    # a widget whose front-end does not exist: "Error displaying widget"
    "import ipywidgets as w\nfrom traitlets import Unicode\n\n"
    "class Broken(w.DOMWidget):\n"
    "    _model_module = Unicode('no-such-widget-module').tag(sync=True)\n"
    "    _view_module = Unicode('no-such-widget-module').tag(sync=True)\n"
    "    _model_name = Unicode('NoSuchModel').tag(sync=True)\n"
    "    _view_name = Unicode('NoSuchView').tag(sync=True)\n\nBroken()",
    # a slider connected to nothing: moving it changes no reading and no figure
    "w.VBox([w.IntSlider(description='nothing', max=10), w.ToggleButtons(options=['a', 'b'])])",
    # a reference line drawn with width 0 (only its label shows), and grey text on white
    "fig = go.Figure(go.Scatter(x=[1, 2], y=[1, 2], hovertemplate='%{y}<extra></extra>'))\n"
    "fig.add_hline(y=1.5, line_width=0, annotation_text='half')\nfig",
    # a top margin far bigger than the title and the legend above the plot need: an empty band
    "go.Figure([go.Scatter(x=[1, 2], y=[1, 2], name='a'), go.Scatter(x=[1, 2], y=[2, 1], name='b')],\n"
    "          layout={'title': {'text': 'a band on purpose'}, 'margin': {'t': 220},\n"
    "                  'legend': {'orientation': 'h', 'y': 1, 'yanchor': 'bottom', 'x': 1, 'xanchor': 'right'}})",
    # WebGL marks at plotly's default of 2 canvas pixels per screen pixel (an explorer draws at 1)
    "go.FigureWidget(go.Scattergl(x=[1, 2], y=[1, 2], hovertemplate='%{y}<extra></extra>'))",
    "1 / 0",
]


def test_the_checks_catch_a_broken_notebook(lab, page):
    """Self-test: a notebook with every fault the lesson test looks for (made in the served copy
    only) is caught: an error, a broken widget, an empty figure, a widget that changes nothing, a
    reference line of width 0, an empty band under a title and WebGL marks drawn at twice the
    screen's pixels (figure checks as drawn), a slider with no accessible name (axe-core), and
    text too pale to read (axe-core's contrast rule, on the content copied to a page of its own:
    inside JupyterLab's notebook panel it judges every text "not visible on screen")."""
    notebook = {"nbformat": 4, "nbformat_minor": 5,
                "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                            "language": "python"}},
                "cells": [{"cell_type": "markdown", "id": "title", "metadata": {},
                           "source": "# Broken on purpose\n\n<span style=\"color: #c8c8c8\">Too pale to read.</span>"}]
                + [{"cell_type": "code", "id": f"c{i}", "metadata": {}, "source": source,
                    "outputs": [], "execution_count": None} for i, source in enumerate(BROKEN_CELLS)]}
    folder = lab.root / "browser-selftest"
    folder.mkdir(exist_ok=True)
    (folder / "broken.ipynb").write_text(json.dumps(notebook))
    bs.open_notebook(page, "browser-selftest/broken.ipynb")
    bs.run_all(page)
    state = bs.wait_until_run(page, grace=3)
    problems = "\n".join(bs.rendering_problems(state))
    assert "ZeroDivisionError" in problems, problems
    assert "Error displaying widget" in problems, problems
    assert "is empty: no data" in problems, problems
    drawn = "\n".join(bs.drawn_figure_problems(page))
    assert "line width 0" in drawn, drawn
    assert "canvas pixels per screen pixel" in drawn, drawn
    assert "an empty band of" in drawn, drawn
    course, _ = bs.accessibility_violations(page)
    assert any(line.startswith("aria-input-field-name") for line in course), course
    pale, _ = bs.contrast_violations(page)
    assert any("Too pale to read" in line for line in pale), pale
    moved = bs.move_first_control(page)
    assert moved.startswith("slider"), moved
    changed, _ = bs.wait_for_change(page, bs.readings(state), timeout=3)
    assert not changed, "a slider connected to nothing was reported as changing a reading"


# --------------------------------------------------------------------------- an exercise


def exercise_cells(notebook: Path) -> dict:
    """Per Part A question aN: the index of its answer cell and of its check cell."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    found: dict[str, dict] = {}
    for index, cell_ in enumerate(cells):
        if cell_["cell_type"] != "code":
            continue
        source = "".join(cell_["source"])
        for q in re.findall(r"^answer_(a\d+)\s*=", source, re.M):
            found.setdefault(q, {}).setdefault("answer", index)
        for q in re.findall(r"\bex\.(a\d+)\.check\(answer_\1\)", source):
            found.setdefault(q, {}).setdefault("check", index)
    return {q: c for q, c in found.items() if {"answer", "check"} <= c.keys() and c["answer"] < c["check"]}


def right_and_wrong(question) -> tuple[object, object]:
    """The right answer of a Part A question, computed with the course's own functions, and a wrong
    one of the same kind (what a learner types: a letter, a number)."""
    from trustcircles import checks
    if isinstance(question, checks.ChoiceQuestion):
        right = question.expected()
        return right, next(k for k in question.choices.options if k != right)
    if isinstance(question, checks.NumberQuestion):
        right = round(question.expected())
        return right, right + 10 * (question.tolerance + 1)
    raise AssertionError(f"no simple wrong answer for {question.name}")


def choose_question(exercise, cells: dict):
    """A Part A choice (one letter to type), else a number."""
    from trustcircles import checks
    names = [q for q in exercise.questions if q in cells]
    assert names, "no question with an answer cell `answer_aN = ...` and a check `ex.aN.check(answer_aN)`"
    for kind in (checks.ChoiceQuestion, checks.NumberQuestion):
        picked = [q for q in names if isinstance(exercise.questions[q], kind)]
        if picked:
            return exercise.questions[picked[0]]
    raise AssertionError("no Part A choice or number question to type an answer into")


def test_exercise_check_says_not_yet_then_correct(lab, page):
    """A learner's Run All on the untouched exercise reaches the end without an error; a wrong
    Part A answer typed in shows "Not yet" with why and a hint, no traceback; the right one
    (computed with the course's own functions) shows "Correct"."""
    if not EXERCISES:
        unavailable("no exercise notebook yet (exercises/<assignment>/<assignment>.ipynb, "
                    "made by `make exercises`)")
    from trustcircles.checks import exercise as load_exercise
    clock = Stopwatch()
    notebook = EXERCISES[0]
    name = relative(notebook)
    assignment = notebook.parent.name
    cells = exercise_cells(notebook)
    question = choose_question(load_exercise(assignment), cells)
    answer_cell, check_cell = cells[question.name]["answer"], cells[question.name]["check"]
    right, wrong = right_and_wrong(question)

    bs.open_notebook(page, name)
    clock.lap("open")
    bs.run_all(page)
    bs.wait_until_run(page)
    clock.lap("run all")
    errors = page.locator(f"{bs.PANEL} [data-mime-type='application/vnd.jupyter.error']").count()
    assert errors == 0, f"{name}: Run All on the untouched exercise shows {errors} error output(s)"
    assert "not answered yet" in bs.cell_output_text(page, check_cell)

    bs.replace_cell_source(page, answer_cell, f"answer_{question.name} = {wrong!r}")
    bs.run_cell(page, answer_cell)
    assert not bs.cell_has_error(page, answer_cell), bs.cell_output_text(page, answer_cell)
    bs.run_cell(page, check_cell)
    message = bs.cell_output_text(page, check_cell)
    bs.screenshot(page, f"exercise-{assignment}-wrong", f"{bs.PANEL} .jp-Cell >> nth={check_cell}")
    assert f"Not yet ({question.name})" in message, f"no friendly message for a wrong answer:\n{message}"
    assert "Hint" in message, f"the friendly message gives no hint:\n{message}"
    for frame in ("Traceback", "CheckFailed", "Cell In[", "File \"", "----> "):
        assert frame not in message, f"a traceback frame ({frame!r}) shows for a wrong answer:\n{message}"
    assert "Correct" not in message

    clock.lap("wrong answer")
    bs.replace_cell_source(page, answer_cell, f"answer_{question.name} = {right!r}")
    bs.run_cell(page, answer_cell)
    bs.run_cell(page, check_cell)
    message = bs.cell_output_text(page, check_cell)
    bs.screenshot(page, f"exercise-{assignment}-right", f"{bs.PANEL} .jp-Cell >> nth={check_cell}")
    assert not bs.cell_has_error(page, check_cell), f"the right answer was not accepted:\n{message}"
    assert message.lstrip().startswith("Correct"), f"no 'Correct' for the right answer:\n{message}"
    clock.lap("right answer")
    assert not page.messages, f"{name}: errors in the page: {page.messages}"
    clock.record(name)
