"""Helpers for tests/test_browser.py: JupyterLab as `make lab` starts it, driven in Debian's Chromium.

What is known to work on this stack (JupyterLab 4.6, ipywidgets 8.1, plotly 7, Playwright 1.65 with
the system Chromium) is written down in the course's browser-testing notes; the selectors below come
from there. Nothing here changes a notebook of the repository: the server's root is a temporary copy
of lessons/ and exercises/ (see :func:`served_copy`), and notebooks are closed without saving.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import bootstrap  # noqa: E402

ARTEFACTS = ROOT / ".artefacts" / "browser"
IN_CI = os.environ.get("CI") == "true"
INSTALL_HINT = (
    "the browser test needs Chromium: install it with `sudo apt-get install chromium` "
    "(Debian/Ubuntu; `chromium-browser` on older Ubuntu), `sudo dnf install chromium` (Fedora) or "
    "`brew install --cask chromium` (macOS), then run `make test` again. "
    "Do not run `playwright install`: the test uses the system browser."
)
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
# solutions/ is copied so the test can see the learner's file browser hide it; README.md so it
# can check that it opens rendered.
COPIED_FOLDERS = ("lessons", "exercises", "solutions")
COPIED_FILES = ("README.md",)
VIEWPORT = {"width": 1366, "height": 768}
AXE = ROOT / "tests" / "vendor" / "axe.min.js"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"

# --------------------------------------------------------------------------- what to test


def lesson_notebooks() -> list[Path]:
    """Every lesson (lessons/NN_*.ipynb), found when the tests are collected, and the template."""
    lessons = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
    template = ROOT / "lessons" / "_template.ipynb"
    return lessons + ([template] if template.exists() else [])


def exercise_notebooks() -> list[Path]:
    """The learner versions of the exercises: exercises/<assignment>/<assignment>.ipynb."""
    found = []
    for folder in sorted(p for p in (ROOT / "exercises").glob("*") if p.is_dir()):
        notebook = folder / f"{folder.name}.ipynb"
        if notebook.exists():
            found.append(notebook)
    return found


def find_chromium() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


# --------------------------------------------------------------------------- the server


def served_copy(destination: Path) -> Path:
    """A copy of the course's notebook folders, mirroring the repository's layout.

    The learner's run happens here, so running cells (and any autosave) never dirties the repo.
    Data come through ``trustcircles.data``, which finds the datasets beside the installed package.
    """
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
    for folder in COPIED_FOLDERS:
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, destination / folder, ignore=ignore)
        else:
            (destination / folder).mkdir(parents=True)
    for name in COPIED_FILES:
        shutil.copy2(ROOT / name, destination / name)
    return destination


def write_lab_settings(settings: Path, windowing: "str | None" = "none") -> None:
    """Settings a fresh profile needs for a quiet, deterministic run.

    - no news/update toast over the notebook;
    - no autosave (the tab is closed without saving);
    - ``windowing="none"``: every cell stays in the page, so all outputs can be checked at once;
      ``None`` keeps JupyterLab's own default, as a learner's `make lab` has it (offscreen cells
      are not drawn until scrolled to).
    """
    files = {
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
            {"fetchNews": "false", "checkForUpdates": False},
        "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    }
    if windowing is not None:
        files["@jupyterlab/notebook-extension/tracker.jupyterlab-settings"] = {"windowingMode": windowing}
    for name, content in files.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content))


@dataclass
class Lab:
    base: str
    token: str
    root: Path
    log: Path

    def api(self, method: str, path: str):
        request = urllib.request.Request(f"{self.base}{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=20) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shut_down_kernels(self) -> int:
        """Delete every session (which shuts its kernel down); the number deleted.

        The learner's lab shuts a kernel down itself when its tab closes, so a session listed a
        moment ago may be gone by the time it is deleted (HTTP 404): that is the wanted end."""
        sessions = self.api("GET", "/api/sessions")
        for session in sessions:
            self.delete_if_there(f"/api/sessions/{session['id']}")
        for kernel in self.api("GET", "/api/kernels"):  # a kernel without a session, if any
            self.delete_if_there(f"/api/kernels/{kernel['id']}")
        return len(sessions)

    def delete_if_there(self, path: str) -> None:
        try:
            self.api("DELETE", path)
        except urllib.error.HTTPError as error:
            if error.code != 404:
                raise

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def with_root(command: list[str], root: Path) -> list[str]:
    """``command`` with its one ``--ServerApp.root_dir=`` argument pointing at ``root``."""
    flag = "--ServerApp.root_dir="
    positions = [i for i, arg in enumerate(command) if arg.startswith(flag)]
    if len(positions) != 1:
        raise RuntimeError(f"expected one {flag} in bootstrap.lab_command, found {len(positions)}")
    return command[:positions[0]] + [f"{flag}{root}"] + command[positions[0] + 1:]


@contextmanager
def running_lab(workdir: Path, timeout: float = 120, trainer: bool = False,
                windowing: "str | None" = "none"):
    """JupyterLab started with the project's own command line (bootstrap.lab_command, as `make lab`),
    on a free port with a token, serving a copy of the course made in ``workdir``.

    ``lab_command`` roots the server at the repository. Its ``--ServerApp.root_dir=...`` argument is
    replaced by the copy's folder: appending a second one does not work (JupyterLab 4.6 refuses to
    start: "root_dir only accepts one value, got 2"). The test checks that the copy is served.
    """
    root = served_copy(workdir / "course")
    home = workdir / "jupyter"
    settings = home / "settings"
    write_lab_settings(settings, windowing)
    env = {**os.environ,
           "JUPYTERLAB_SETTINGS_DIR": str(settings),
           "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
           "JUPYTER_CONFIG_DIR": str(home / "config"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
           "IPYTHONDIR": str(home / "ipython")}
    port, token = bootstrap.free_port(), secrets.token_hex(16)
    command = bootstrap.lab_command(Path(sys.executable), port=port, token=token, open_browser=False,
                                    trainer=trainer)
    command = with_root(command, root)
    # window.jupyterapp, to tell an error output from other stderr (both render as
    # application/vnd.jupyter.stderr in JupyterLab 4.6): JupyterLab's own switch for tests.
    command.append("--LabApp.expose_app_in_browser=True")
    log = home / "lab.log"
    with open(log, "w") as log_file:
        server = subprocess.Popen(command, cwd=root, env=env, stdout=log_file,
                                  stderr=subprocess.STDOUT, text=True)
    lab = Lab(f"http://127.0.0.1:{port}", token, root, log)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if server.poll() is not None:
                raise RuntimeError("JupyterLab exited early:\n" + lab.log_tail())
            try:
                lab.api("GET", "/api/status")
                break
            except (OSError, urllib.error.URLError):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not answer within {timeout:.0f} s:\n"
                                       + lab.log_tail())
                time.sleep(0.3)
        yield lab
    finally:
        try:
            if server.poll() is None:
                lab.shut_down_kernels()
        except Exception:
            pass
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# --------------------------------------------------------------------------- the page

PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
KERNEL_NAME = "Python 3 (ipykernel)"

# The state of every cell, widget and figure of the visible notebook, read in the page.
_STATE_JS = r"""
(panelSelector) => {
  const panel = document.querySelector(panelSelector);
  if (!panel) return null;
  if (!window.jupyterapp) throw new Error('window.jupyterapp missing: start with --LabApp.expose_app_in_browser=True');
  // What the kernel sent, from the notebook's model: error outputs (the page shows them as stderr
  // text, like warnings) and how many plotly figures and widgets the page should draw.
  const model = domCells => {
    const current = window.jupyterapp.shell.currentWidget;
    const found = {errors: [], plotly: 0, widgets: 0};
    if (!current || !current.content || !current.content.model) return found;
    const cells = current.content.model.cells;
    for (let i = 0; i < cells.length; i++) {
      const c = cells.get(i);
      if (c.type !== 'code') continue;
      for (let j = 0; j < c.outputs.length; j++) {
        const json = c.outputs.get(j).toJSON();
        const data = json.data || {};
        if ('application/vnd.plotly.v1+json' in data) found.plotly += 1;
        if ('application/vnd.jupyter.widget-view+json' in data) found.widgets += 1;
        if (json.output_type !== 'error') continue;
        const area = domCells[i] && domCells[i].querySelector('.jp-OutputArea');
        found.errors.push({cell: i, ename: json.ename, evalue: String(json.evalue).slice(0, 300),
                           shown: area ? area.innerText.slice(0, 1500) : ''});
      }
    }
    return found;
  };
  const cells = [...panel.querySelectorAll('.jp-Notebook > .jp-Cell, .jp-WindowedPanel-viewport > .jp-Cell')];
  const prompt = c => { const p = c.querySelector('.jp-InputArea-prompt'); return p ? p.textContent.trim() : ''; };
  const plots = [...panel.querySelectorAll('.js-plotly-plot')].map(el => {
    const box = el.getBoundingClientRect();
    const data = Array.isArray(el.data) ? el.data : [];
    const strip = t => { const o = {}; for (const k of ['type','name','x','y','z','values','labels','text','visible'])
                           if (t[k] !== undefined) o[k] = t[k]; return o; };
    return {
      traces: data.length,
      svg: !!el.querySelector('svg.main-svg'),
      width: box.width, height: box.height,
      title: [...el.querySelectorAll('.gtitle')].map(t => t.textContent).join(' | '),
      fingerprint: JSON.stringify({d: data.map(strip),
                                   t: el.layout && el.layout.title ? el.layout.title : null,
                                   svg: (el.querySelector('svg.main-svg') || {}).textContent || ''}),
    };
  });
  const sent = model(cells);
  const texts = [...panel.querySelectorAll(
      'div.widget-label, .widget-html-content, .jupyter-widgets-output-area .jp-OutputArea-output')]
    .map(e => e.textContent.trim());
  return {
    kernelName: (panel.querySelector('.jp-KernelName') || {}).textContent || '',
    status: (panel.querySelector('.jp-Notebook-ExecutionIndicator') || {dataset: {}}).dataset.status || '',
    codeCells: cells.filter(c => c.classList.contains('jp-CodeCell')).map(prompt),
    errors: sent.errors,
    // ipywidgets 8.1 draws a widget that failed as an error icon ("Click to show javascript error.")
    widgetErrors: (panel.innerText.match(/Error displaying widget[^\n]*/g) || []).concat(
        [...panel.querySelectorAll('.jupyter-widgets-error-widget')].map(
            e => 'Error displaying widget: ' + (e.title || e.innerText || '').trim().slice(0, 200))),
    loading: (panel.innerText.match(/Loading widget\.\.\./g) || []).length,
    plotlyOutputs: sent.plotly,
    plotlyDrawn: panel.querySelectorAll('.jp-RenderedPlotly').length,
    widgetOutputs: sent.widgets,
    widgetViews: [...panel.querySelectorAll('.jp-OutputArea-output > .jupyter-widgets')].map(
        v => ({height: v.getBoundingClientRect().height, text: v.innerText.slice(0, 80)})),
    plots: plots,
    texts: texts,
  };
}
"""


def notebook_state(page) -> dict:
    return page.evaluate(_STATE_JS, PANEL)


def wait_for(page, predicate, what: str, timeout: float = 60, interval: float = 0.25):
    """Poll ``notebook_state`` until ``predicate(state)`` is true; the state, or AssertionError."""
    deadline = time.monotonic() + timeout
    state = None
    while time.monotonic() < deadline:
        state = notebook_state(page)
        if state and predicate(state):
            return state
        page.wait_for_timeout(interval * 1000)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}; last state: "
                         f"{json.dumps(summary(state), indent=1)[:3000]}")


def summary(state: dict | None) -> dict | None:
    if not state:
        return state
    return {k: v for k, v in state.items() if k not in ("texts",)} | {
        "plots": [{k: v for k, v in p.items() if k != "fingerprint"} for p in state["plots"]]}


def kernel_ready(state) -> bool:
    return state["kernelName"].strip() == KERNEL_NAME and state["status"] == "idle"


def open_lab(page, lab: Lab, workspace: str = "course-test", timeout: float = 90) -> None:
    """Load JupyterLab once in ``page`` (a fresh workspace); notebooks then open in it."""
    page.goto(f"{lab.base}/lab/workspaces/{workspace}?reset&token={lab.token}",
              wait_until="domcontentloaded")
    page.wait_for_function("() => window.jupyterapp && document.querySelector('#jp-main-dock-panel')",
                           timeout=timeout * 1000)
    page.evaluate("() => window.jupyterapp.restored")


def open_notebook(page, relative: str, timeout: float = 90) -> dict:
    """Open a notebook of the served copy as the file browser does; wait until its kernel is ready."""
    page.evaluate("""async path => {
        await window.jupyterapp.commands.execute('docmanager:open', {path, factory: 'Notebook'});
    }""", relative)
    page.wait_for_selector(f"{PANEL} .jp-Notebook .jp-Cell", timeout=timeout * 1000)
    return wait_for(page, kernel_ready, f"the kernel of {relative} to be ready", timeout)


def close_without_saving(page) -> None:
    """Close every open document, discarding changes (the learner's run never reaches the disk)."""
    page.evaluate("""async () => {
        const app = window.jupyterapp;
        for (const widget of [...app.shell.widgets('main')]) {
            if (widget.context && widget.context.model) widget.context.model.dirty = false;
            widget.close();
        }
    }""")
    page.wait_for_selector(".jp-NotebookPanel", state="detached", timeout=30_000)


def run_all(page) -> None:
    """Run > Run All Cells, through the menu as a learner does."""
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.locator(".lm-Menu-item[data-command='runmenu:run-all']").click()


def executed(prompt: str) -> bool:
    return re.fullmatch(r"\[\d+\]:", prompt) is not None


def settled(state) -> bool:
    """Kernel idle, nothing queued or running, and every widget has finished loading."""
    return (kernel_ready(state) and not any("*" in p for p in state["codeCells"])
            and state["loading"] == 0)


def wait_until_run(page, timeout: float = 180, grace: float = 20) -> dict:
    """After Run All: every code cell executed (or an error stopped the run), kernel idle; then up
    to ``grace`` seconds more for the front-ends to finish drawing (a FigureWidget draws after the
    kernel is idle). The state, problems and all: the caller judges it."""
    def done(state):
        all_ran = all(executed(p) for p in state["codeCells"])
        return settled(state) and (all_ran or state["errors"])
    state = wait_for(page, done, "Run All to finish", timeout)
    return wait_for_render(page, state, grace)


def wait_for_render(page, state: dict, grace: float = 20) -> dict:
    """Poll until :func:`rendering_problems` finds nothing, at most ``grace`` seconds."""
    deadline = time.monotonic() + grace
    while rendering_problems(state) and time.monotonic() < deadline:
        page.wait_for_timeout(250)
        state = notebook_state(page)
    return state


def cell(page, index: int):
    return page.locator(f"{PANEL} .jp-Notebook .jp-Cell").nth(index)


def replace_cell_source(page, index: int, source: str) -> None:
    """Click into a cell's editor, select everything and type the new source."""
    editor = cell(page, index).locator(".cm-content")
    editor.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(source)


def run_cell(page, index: int, timeout: float = 60) -> dict:
    """Select a cell (by its prompt, as a learner clicks beside it) and run it with Ctrl+Enter."""
    target = cell(page, index)
    before = target.locator(".jp-InputArea-prompt").inner_text().strip()
    target.locator(".jp-InputArea-prompt").click()
    page.keyboard.press("Escape")  # command mode: Ctrl+Enter runs the selected cell
    target.locator(".jp-InputArea-prompt").click()
    page.keyboard.press("Control+Enter")
    position = code_cell_position(page, index)

    def ran(state):
        prompt = state["codeCells"][position]
        return settled(state) and executed(prompt) and prompt != before
    return wait_for(page, ran, f"cell {index} to run", timeout)


def code_cell_position(page, index: int) -> int:
    """The position of cell ``index`` among the code cells (for ``state['codeCells']``)."""
    return page.evaluate(
        """([panel, index]) => {
             const cells = [...document.querySelector(panel).querySelectorAll('.jp-Notebook .jp-Cell')];
             return cells.slice(0, index).filter(c => c.classList.contains('jp-CodeCell')).length;
           }""", [PANEL, index])


def cell_output_text(page, index: int) -> str:
    return cell(page, index).locator(".jp-OutputArea").inner_text()


def cell_has_error(page, index: int) -> bool:
    return any(error["cell"] == index for error in notebook_state(page)["errors"])


# --------------------------------------------------------------------------- widgets

SLIDER = f"{PANEL} .widget-hslider .noUi-handle[role=slider]"
DROPDOWN = f"{PANEL} .widget-dropdown select"
TOGGLES = f"{PANEL} .widget-toggle-buttons"
CONTROLS = f"{SLIDER}, {DROPDOWN}, {TOGGLES}"


def move_first_control(page) -> str:
    """Move the first slider, dropdown or toggle buttons (in page order) of the notebook's outputs,
    as a learner does (keyboard, select, click); a description of what moved."""
    controls = page.locator(CONTROLS)
    if not controls.count():
        raise AssertionError("no slider, dropdown or toggle buttons in the notebook's outputs: every "
                             "lesson's Explore part has a widget to move (see lessons/_template.ipynb)")
    control = controls.first
    control.scroll_into_view_if_needed()
    kind = control.evaluate("e => e.matches('.noUi-handle') ? 'slider' : e.matches('select') ? "
                            "'dropdown' : 'toggles'")
    if kind == "slider":
        before = control.get_attribute("aria-valuenow")
        control.focus()
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        if control.get_attribute("aria-valuenow") == before:  # at the right end already
            page.keyboard.press("Home")
        after = control.get_attribute("aria-valuenow")
        assert after != before, f"the slider did not move (value {before})"
        return f"slider {before} -> {after}"
    if kind == "dropdown":
        options = control.locator("option").all_inner_texts()
        current = control.evaluate("s => s.options[s.selectedIndex] ? s.options[s.selectedIndex].text : ''")
        others = [o for o in options if o != current]
        assert others, f"the dropdown has only one option ({options})"
        control.select_option(label=others[0])
        return f"dropdown {current!r} -> {others[0]!r}"
    buttons = control.locator("button")
    labels = buttons.all_inner_texts()
    active = control.locator("button.mod-active").all_inner_texts()
    choice = next((i for i, label in enumerate(labels) if label not in active), None)
    assert choice is not None, f"the toggle buttons have nothing else to choose ({labels})"
    buttons.nth(choice).click()
    return f"toggle buttons {active} -> {labels[choice]!r}"


def rendering_problems(state: dict) -> list[str]:
    """Everything a learner would see go wrong after Run All; empty when the notebook is fine."""
    problems = [f"cell {e['cell']} shows an error: {e['ename']}: {e['evalue']}\n{e['shown']}"
                for e in state["errors"]]
    not_run = [i for i, p in enumerate(state["codeCells"]) if not executed(p)]
    if not_run and not state["errors"]:
        problems.append(f"code cells {not_run} did not run (prompts {state['codeCells']})")
    problems += [f"a widget shows {text!r}" for text in state["widgetErrors"]]
    if len(state["widgetViews"]) < state["widgetOutputs"]:
        problems.append(f"{state['widgetOutputs']} widget outputs but {len(state['widgetViews'])} "
                        "widgets drawn")
    problems += [f"widget {i} ({v['text']!r}) has no height" for i, v in enumerate(state["widgetViews"])
                 if v["height"] <= 0]
    if state["plotlyDrawn"] < state["plotlyOutputs"]:
        problems.append(f"{state['plotlyOutputs']} plotly outputs but {state['plotlyDrawn']} drawn")
    for i, plot in enumerate(state["plots"]):
        if not (plot["svg"] and plot["width"] > 0 and plot["height"] > 0):
            problems.append(f"figure {i} ({plot['title']!r}) is not drawn")
        elif plot["traces"] == 0:
            problems.append(f"figure {i} ({plot['title']!r}) is empty: no data")
    if not state["plots"] and not state["widgetViews"]:
        problems.append("no figure and no widget rendered")
    return problems


def screenshot_problem(page, name: str, state: dict) -> Path:
    """On failure: a screenshot of the first figure that is empty or not drawn, else of the page."""
    bad = [i for i, plot in enumerate(state["plots"])
           if plot["traces"] == 0 or not (plot["svg"] and plot["height"] > 0)]
    focus = f"{PANEL} .js-plotly-plot >> nth={bad[0]}" if bad else None
    return screenshot(page, f"{name}-FAILED", focus)


def wait_for_change(page, before: dict, timeout: float = 20) -> tuple[bool, dict]:
    """After a move: did a reading or a figure change from ``before``? And the state then."""
    deadline = time.monotonic() + timeout
    while True:
        state = notebook_state(page)
        if settled(state) and readings(state) != before:
            return True, state
        if time.monotonic() > deadline:
            return False, state
        page.wait_for_timeout(250)


def readings(state) -> dict:
    """What a learner sees change when a widget moves: widget texts and figure contents."""
    return {"texts": state["texts"], "plots": [p["fingerprint"] for p in state["plots"]]}


def screenshot(page, name: str, focus: str | None = None) -> Path:
    """Scroll ``focus`` (a selector) into view, let the page settle, save a PNG under .artefacts/."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    if focus and page.locator(focus).count():
        page.locator(focus).first.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


# --------------------------------------------------------------------------- every control

def controls_count(page) -> int:
    return page.locator(CONTROLS).count()


def move_control(page, index: int) -> str:
    """Move the ``index``-th slider, dropdown or toggle buttons of the notebook (page order), as a
    learner does: a slider with the arrow keys, a dropdown to another option, another toggle."""
    control = page.locator(CONTROLS).nth(index)
    control.scroll_into_view_if_needed()
    kind = control.evaluate("e => e.matches('.noUi-handle') ? 'slider' : e.matches('select') ? "
                            "'dropdown' : 'toggles'")
    if kind == "slider":
        before = control.get_attribute("aria-valuenow")
        control.focus()
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        if control.get_attribute("aria-valuenow") == before:  # at the right end already
            page.keyboard.press("Home")
        after = control.get_attribute("aria-valuenow")
        assert after != before, f"the slider did not move (value {before})"
        return f"slider {before} -> {after}"
    if kind == "dropdown":
        options = control.locator("option").all_inner_texts()
        current = control.evaluate("s => s.options[s.selectedIndex] ? s.options[s.selectedIndex].text : ''")
        others = [o for o in options if o != current]
        assert others, f"the dropdown has only one option ({options})"
        # from the keyboard, as a learner without a mouse does: focus, then the arrow key
        control.focus()
        page.keyboard.press("ArrowDown")
        if control.evaluate("s => s.options[s.selectedIndex].text") == current:
            control.select_option(label=others[0])
        return f"dropdown {current!r} -> {control.evaluate('s => s.options[s.selectedIndex].text')!r}"
    buttons = control.locator("button")
    labels = buttons.all_inner_texts()
    active = control.locator("button.mod-active").all_inner_texts()
    choice = next((i for i, label in enumerate(labels) if label not in active), None)
    assert choice is not None, f"the toggle buttons have nothing else to choose ({labels})"
    buttons.nth(choice).focus()
    page.keyboard.press("Enter")  # a button answers the keyboard
    if control.locator("button.mod-active").all_inner_texts() == active:
        buttons.nth(choice).click()
    return f"toggle buttons {active} -> {labels[choice]!r}"


# --------------------------------------------------------------------------- figures as drawn

# Each drawn figure's JSON (what plotly was given: data and layout, typed arrays as lists) and
# what the page shows of its titles and legend (boxes, to see if they are cut off or overlap).
_FIGURES_JS = r"""
(panelSelector) => {
  const panel = document.querySelector(panelSelector);
  const plain = (key, value) => ArrayBuffer.isView(value) ? Array.from(value) : value;
  return [...panel.querySelectorAll('.js-plotly-plot')].map((gd, i) => {
    const box = gd.getBoundingClientRect();
    const rect = el => { const r = el.getBoundingClientRect();
                         return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                                 width: r.width, height: r.height}; };
    const texts = [...gd.querySelectorAll('.gtitle, .g-xtitle text, .g-ytitle text, [class*="g-x"][class*="title"] text, [class*="g-y"][class*="title"] text')]
      .filter(t => t.textContent.trim() && t.getBoundingClientRect().width > 0)
      .map(t => ({text: t.textContent.trim(), cls: t.getAttribute('class') || t.parentNode.getAttribute('class') || '', ...rect(t)}));
    const legend = gd.querySelector('.legend');
    const svg = gd.querySelector('svg.main-svg');
    // JupyterLab's plotly renderer keeps a figure's height out of gd.layout: take the drawn size
    const layout = Object.assign({}, gd.layout || {},
        gd._fullLayout ? {height: gd._fullLayout.height, width: gd._fullLayout.width} : {});
    return {index: i,
            json: JSON.stringify({data: gd.data || [], layout}, plain),
            box: rect(svg || gd), texts,
            gl: [...gd.querySelectorAll('canvas.gl-canvas')].map(c => ({pixels: c.width, css: c.clientWidth})),
            legend: legend && legend.getBoundingClientRect().width ? rect(legend) : null};
  });
}
"""


def drawn_figures(page) -> list[dict]:
    return page.evaluate(_FIGURES_JS, PANEL)


def _overlap(a: dict, b: dict) -> float:
    width = min(a["right"], b["right"]) - max(a["left"], b["left"])
    height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return max(width, 0) * max(height, 0)


#: More room than this between a figure's title and the legend under it is an empty band (a
#: legend row is about 22 px; fit gives the title and the legend the margin they need).
EMPTY_BAND_PX = 40


def drawn_figure_problems(page) -> list[str]:
    """The figure check (trustcircles.figure_check) on every figure as the page drew it, and what
    the page shows: a title or axis title outside its figure, the legend over the title, an empty
    band between the title and a legend above the plot, WebGL drawn at more than the screen's
    resolution."""
    from trustcircles import figure_check

    problems = []
    for figure in drawn_figures(page):
        spec = json.loads(figure["json"])
        title = (spec["layout"].get("title") or {}).get("text", "") if isinstance(
            spec["layout"].get("title"), dict) else spec["layout"].get("title") or ""
        where = f"figure {figure['index']} ({re.sub('<[^>]+>', ' ', str(title))[:60]!r})"
        problems += [f"{where}: {p}" for p in figure_check.figure_problems(spec)]
        box = figure["box"]
        for text in figure["texts"]:
            if (text["left"] < box["left"] - 2 or text["right"] > box["right"] + 2
                    or text["top"] < box["top"] - 2 or text["bottom"] > box["bottom"] + 2):
                problems.append(f"{where}: {text['text'][:60]!r} is cut off at the figure's edge")
        legend = figure["legend"]
        for text in figure["texts"]:
            if legend and "gtitle" in text["cls"] and _overlap(text, legend) > 4:
                problems.append(f"{where}: the legend covers the title {text['text'][:60]!r}")
        title = next((t for t in figure["texts"] if "gtitle" in t["cls"]), None)
        band = legend["top"] - title["bottom"] if legend and title else 0
        if figure_check.legend_on_top(spec["layout"]) and band > EMPTY_BAND_PX:
            problems.append(f"{where}: an empty band of {band:.0f} px between the "
                            "title and the legend (the top margin holds more legend rows than are drawn)")
        dense = [c for c in figure["gl"] if c["css"] > 0 and c["pixels"] > 1.05 * c["css"]]
        if dense:
            problems.append(f"{where}: its WebGL marks are drawn at {dense[0]['pixels'] / dense[0]['css']:.1f} "
                            "canvas pixels per screen pixel, which makes every redraw slow without a "
                            "graphics card (give it trustcircles.plots.WIDGET_CONFIG)")
    return problems


# --------------------------------------------------------------------------- the learner's lab

_TRAINER_TOOLS_JS = r"""
() => {
  const shown = el => el && el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().height > 0;
  const found = [];
  for (const item of document.querySelectorAll('.lm-MenuBar-itemLabel'))
    if (/nbgrader/i.test(item.textContent)) found.push('the menu bar has ' + item.textContent);
  for (const tab of document.querySelectorAll('.jp-SideBar .lm-TabBar-tab, .jp-SideBar [title], .lm-TabBar-tab'))
    if (/create assignment|assignment list|course list|formgrader/i.test((tab.getAttribute('title') || '') + ' ' + tab.textContent))
      if (shown(tab)) found.push('a side bar offers ' + ((tab.getAttribute('title') || tab.textContent).trim()));
  for (const button of document.querySelectorAll('.jp-Toolbar-item, .jp-ToolbarButtonComponent, button'))
    if (/^\s*validate\s*$/i.test(button.textContent) && shown(button)) found.push('a Validate button');
  for (const item of document.querySelectorAll('.jp-DirListing-item'))
    if (/^\s*solutions\s*$/i.test((item.querySelector('.jp-DirListing-itemText') || item).textContent))
      found.push('the file browser lists solutions/');
  return found;
}
"""


def trainer_tools(page) -> list[str]:
    """Instructor tools a learner can see in the page: the Nbgrader menu, Create Assignment or a
    course or assignment list, a Validate button, solutions/ in the file browser."""
    return page.evaluate(_TRAINER_TOOLS_JS)


# --------------------------------------------------------------------------- accessibility

#: What is the course's own content in a page: its rendered markdown and its cells' outputs, but
#: not the toolbar plotly draws on each figure (plotly's, like JupyterLab's own chrome).
COURSE_CONTENT = ".jp-RenderedMarkdown, .jp-OutputArea-output"
LIBRARY_CHROME = ".modebar, .modebar-container"

_AXE_JS = r"""
async ([content, chrome]) => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => {
      const el = document.querySelector(n.target[0]);
      return {target: n.target.join(' '), html: n.html.slice(0, 200),
              course: !!(el && el.closest(content) && !el.closest(chrome)),
              summary: (n.failureSummary || '').slice(0, 300)};
    })}));
}
"""


# The course's content copied with each element's computed colours and type inlined, for a page of
# its own: inside JupyterLab's notebook panel axe-core judges every text "not visible on screen"
# and leaves its contrast unchecked. Figures (SVG, which axe does not judge) stay out.
_CONTENT_COPY_JS = r"""
(content) => {
  const STYLE = ['color', 'background-color', 'font-size', 'font-weight', 'font-style', 'opacity',
                 'display', 'visibility', 'text-decoration-line'];
  const copy = (el) => {
    const twin = el.cloneNode(false);
    if (el.nodeType === Node.ELEMENT_NODE) {
      if (el.matches('.js-plotly-plot, svg, script, style, canvas')) return null;
      const cs = getComputedStyle(el);
      twin.removeAttribute('class');
      twin.setAttribute('style', STYLE.map(p => `${p}: ${cs.getPropertyValue(p)}`).join('; '));
      for (const child of el.childNodes) { const c = copy(child); if (c) twin.appendChild(c); }
    }
    return twin;
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const bg = getComputedStyle(e).backgroundColor;
      if (bg && bg !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(bg)) return bg;
    }
    return 'rgb(255, 255, 255)';
  };
  const parts = [...document.querySelectorAll(content)].filter(el => !el.parentElement.closest(content));
  return parts.map(el => [el, copy(el)]).filter(([, twin]) => twin)
    .map(([el, twin]) => `<div style="background-color: ${background(el)}">${twin.outerHTML}</div>`);
}
"""

_CONTRAST_JS = r"""
async () => {
  const result = await axe.run(document, {runOnly: ['color-contrast'], resultTypes: ['violations', 'passes']});
  const passed = result.passes.reduce((n, r) => n + r.nodes.length, 0);
  return {passed, violations: result.violations.flatMap(v => v.nodes.map(n =>
    `color-contrast (${v.impact}): ${(n.failureSummary || '').replace(/\s+/g, ' ').slice(0, 200)} -- ` +
    `"${((document.querySelector(n.target[0]) || {}).textContent || '').trim().slice(0, 100)}"`))};
}
"""


def contrast_violations(page) -> tuple[list[str], int]:
    """axe-core's color-contrast rule (WCAG AA) on the course's own content of the page, copied with
    its computed colours into a page of its own: (one line per text too pale, texts that pass)."""
    copies = page.evaluate(_CONTENT_COPY_JS, COURSE_CONTENT)
    plain = page.context.new_page()
    try:
        plain.set_content('<!doctype html><html lang="en"><head><title>contrast</title></head>'
                          '<body style="background-color: rgb(255, 255, 255); margin: 0"><main>'
                          + "".join(copies) + "</main></body></html>")
        plain.add_script_tag(path=str(AXE))
        found = plain.evaluate(_CONTRAST_JS)
    finally:
        plain.close()
    return found["violations"], found["passed"]


def accessibility_violations(page) -> tuple[list[str], list[str]]:
    """axe-core's violations in the page: (those in the course's own content, those elsewhere:
    JupyterLab's chrome and plotly's toolbar), one line per rule and element."""
    import hashlib

    if hashlib.sha256(AXE.read_bytes()).hexdigest() != AXE_SHA256:
        raise AssertionError(f"{AXE.relative_to(ROOT)} is not the vendored axe-core (tests/vendor/README.md)")
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    course, elsewhere = [], []
    for violation in page.evaluate(_AXE_JS, [COURSE_CONTENT, LIBRARY_CHROME]):
        for node in violation["nodes"]:
            line = f"{violation['id']} ({violation['impact']}): {violation['help']} -- {node['html']}"
            (course if node["course"] else elsewhere).append(line)
    return course, elsewhere
