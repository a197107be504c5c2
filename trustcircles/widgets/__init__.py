"""Interactive explorations for the lessons: controls, a figure and a plain-language reading.

Every lesson's exploration is an :class:`Explorer`: a few ipywidgets controls (slider, dropdown,
toggle), a plotly ``FigureWidget`` and a reading in words ("this account answered 2 of 17 questions")
that are recomputed together whenever a control moves. A lesson shows one in a single line::

    from trustcircles.widgets.attention import attention_explorer
    attention_explorer()

Explorers precompute what they can when built, so that moving a control answers within 0.1 s
(benchmarks/bench_lessons.py measures every registered explorer by setting its controls' values).

Modules here are grouped by topic (one per lesson or two) and register their explorer factories with
:func:`register`, which is how the benchmark finds them. Each ``widgets/<topic>.py`` draws the
numbers of ``topics/<topic>.py`` (:mod:`trustcircles.topics`, pandas only) and offers the ones its
lesson uses under its own name, so a lesson imports one module per topic. A new figure or explorer
goes here; a number a lesson, an explorer and an exercise share goes in ``topics``.
"""
from __future__ import annotations

import html
import importlib
import itertools
import pkgutil
import re
import textwrap
from typing import Callable

import anywidget
import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from trustcircles import plots
from trustcircles.plots import update_figure  # noqa: F401  (explorers import it from here)

#: lesson number (e.g. "01") -> list of factories that build an Explorer with default arguments
REGISTRY: dict[str, list[Callable[[], "Explorer"]]] = {}


def register(lesson: str):
    """Decorator: record an explorer factory (callable with no arguments) for a lesson."""
    def decorate(factory):
        REGISTRY.setdefault(lesson, []).append(factory)
        return factory
    return decorate


def all_explorers() -> dict[str, list[Callable[[], "Explorer"]]]:
    """Import every module of this package and return the registry (for benchmarks and tests)."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return dict(sorted(REGISTRY.items()))


class ControlNames(anywidget.AnyWidget):
    """Gives each slider of an explorer its description as its accessible name.

    ipywidgets draws a slider's handle (role "slider", moved with the arrow keys) without a name, so
    a screen reader announces "slider, 5" and not "answer window, 48 hours" (axe-core's rule
    aria-input-field-name). This invisible widget, placed in the explorer's box, copies each
    slider's description to its handle's aria-label, and again whenever a slider is drawn anew."""

    _esm = """
    function name(box) {
      for (const slider of box.querySelectorAll('.widget-hslider, .widget-slider')) {
        const label = slider.querySelector('.widget-label');
        const handle = slider.querySelector('[role=slider]');
        const text = label ? label.textContent.trim() : '';
        if (handle && text && handle.getAttribute('aria-label') !== text) handle.setAttribute('aria-label', text);
      }
    }
    export default {
      render({ el }) {
        el.style.display = 'none';
        const start = () => {
          const box = el.closest('.tc-explorer');
          if (!box) return requestAnimationFrame(start);
          name(box);
          const observer = new MutationObserver(() => name(box));
          observer.observe(box, {childList: true, subtree: true});
          return () => observer.disconnect();
        };
        requestAnimationFrame(start);
      }
    };
    """


class Explorer:
    """Controls, a figure and a reading that update together.

    Subclasses build ``self.figure`` (a ``go.FigureWidget``) and their controls, then call
    ``super().__init__(controls, figure)`` and implement :meth:`update`, which recomputes from the
    data for the controls' current values, changes the figure in place and returns the reading
    (plain words; simple HTML such as <b> is allowed).

    Under the figure, the reading (announced to a screen reader when it changes) and "Numbers in
    this figure" (the plotted numbers as a table, folded until asked for) say in text what the
    figure shows, so nothing needs a mouse hovering over it.
    """

    def __init__(self, controls: dict[str, widgets.ValueWidget], figure: go.FigureWidget | None,
                 caption: str = ""):
        self.controls = controls
        self.figure = figure
        self.reading = widgets.HTML(layout=widgets.Layout(min_height="2.5em"))
        self.numbers = widgets.HTML()
        self.caption = caption
        if figure is not None:
            figure._config = {**figure._config, **plots.WIDGET_CONFIG}
        for control in controls.values():
            # the whole description shows (the default width cuts "wait (weeks)" to "wait (wee…")
            if getattr(control, "description", "") and hasattr(control, "style") \
                    and hasattr(control.style, "description_width") and not control.style.description_width:
                control.style.description_width = "initial"
            control.observe(self._on_change, names="value")
        self.refresh()

    def update(self) -> str:  # pragma: no cover - each subclass defines it
        raise NotImplementedError

    def _on_change(self, change) -> None:
        self.refresh()

    def refresh(self) -> str:
        """Recompute the figure and the reading for the current control values."""
        # Every change update() makes to the figure goes to the browser at once (plots.one_redraw),
        # with plots.fit's (a title or legend the move changed still fits): each message is a
        # whole redraw there, and a move used to send up to six.
        with plots.one_redraw(self.figure, then=plots.fit):
            text = self.update()
        self.reading.value = (f'<div class="tc-reading" role="status" aria-live="polite" '
                              f'style="font-size:1.05em">{text}</div>')
        if self.figure is not None:
            self.numbers.value = plots.numbers_html(self.figure)
        return text

    @property
    def reading_text(self) -> str:
        """The current reading without HTML tags (for tests and benchmarks)."""
        import re
        return html.unescape(re.sub(r"<[^>]+>", "", self.reading.value)).strip()

    @property
    def widget(self) -> widgets.Widget:
        parts: list[widgets.Widget] = [widgets.HBox(list(self.controls.values()))]
        if self.figure is not None:
            parts.append(self.figure)
        parts.append(self.reading)
        if self.figure is not None:
            parts.append(self.numbers)
        if self.caption:
            parts.insert(0, widgets.HTML(f"<i>{html.escape(self.caption)}</i>"))
        parts.append(ControlNames())
        box = widgets.VBox(parts)
        box.add_class("tc-explorer")  # found by ControlNames, the browser benchmark and test
        return box

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


#: Sentences are printed in lines of at most this many characters: shorter than a notebook's
#: output at 1366 px, so the browser never has to break a line itself (it may break inside a
#: number: "0." at the end of one line, "74" on the next).
TEXT_WIDTH = 88


def say(*texts: str) -> None:
    """Print sentences (each line of each text a paragraph) wrapped between words only."""
    for text in texts:
        for line in str(text).split("\n"):
            print(textwrap.fill(line, TEXT_WIDTH, break_long_words=False, break_on_hyphens=False))


#: Numbers the tables a kernel shows, so each table's box has a name of its own (two boxes named
#: alike are two landmarks a screen reader cannot tell apart).
_TABLE_NUMBERS = itertools.count(1)


def table_name(frame: pd.DataFrame, number: int, columns: int = 3) -> str:
    """The accessible name of a shown table: its number, its rows and its first columns."""
    names = [str(c) for c in frame.columns]
    shown = ", ".join(names[:columns])
    more = f" and {len(names) - columns:,} more" if len(names) > columns else ""
    rows = f"{len(frame):,} row{'' if len(frame) == 1 else 's'}"
    return f"table {number}, {rows}: {shown}{more}" if names else f"table {number}, {rows}"


def _count_text(value) -> str:
    return f"{value:,}"


def table_html(frame: pd.DataFrame) -> str:
    """A table as a lesson shows it: its index (named, or "row" for a named-less non-default
    index) as a first column, so every header cell says what its column holds (pandas leaves the
    corner and the index-name row empty, which a screen reader reads as unnamed columns), in a
    box named by its number in the notebook, its rows and its first columns."""
    shown = frame
    if not isinstance(frame.index, pd.RangeIndex) or frame.index.name is not None:
        names = [n if n is not None else ("row" if i == 0 else f"level {i}")
                 for i, n in enumerate(frame.index.names)]
        shown = frame.rename_axis(names).reset_index()
    if isinstance(shown.columns, pd.MultiIndex):
        shown = shown.set_axis([" ".join(map(str, c)).strip() for c in shown.columns], axis=1)
    if any(not str(c).strip() for c in shown.columns):  # a column named "" gets an empty header
        shown = shown.set_axis([c if str(c).strip() else f"column {i + 1}"
                                for i, c in enumerate(shown.columns)], axis=1)
    rows = pd.get_option("display.max_rows")
    # counts read as the course's sentences write them: 98,880, not 98880
    # (a formatter runs on the rows shown only, not on a whole 98,880-row table)
    counts = {column: _count_text for column, dtype in shown.dtypes.items()
              if pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)}
    table = shown.to_html(index=False, max_rows=rows, max_cols=pd.get_option("display.max_columns"),
                          border=0, classes="tc-table", na_rep="n/a", formatters=counts)
    # A wide table scrolls sideways inside its own box, which the keyboard can reach (Tab, then
    # the arrow keys), instead of being cut off at the notebook's edge.
    name = html.escape(table_name(shown, next(_TABLE_NUMBERS)), quote=True)
    return (f'<div class="tc-table-box" role="region" aria-label="{name}" '
            f'tabindex="0" style="overflow-x: auto; max-width: 100%">{table}</div>')


def _show_tables_accessibly() -> None:
    """In a notebook, show DataFrames with :func:`table_html` (done once, on import)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return
    shell = get_ipython()
    if shell is not None and hasattr(shell, "display_formatter"):
        shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, table_html)


_show_tables_accessibly()


# A regular expression literal in JavaScript, and the characters after which "/" starts one (not a division).
_REGEX_LITERAL = re.compile(r"/(?![*/])(?:[^/\\\n\[`]|\\.|\[(?:[^\]\\\n]|\\.)*\])+/[dgimsuvy]*")
_BEFORE_A_REGEX = "=(,:;!&|?{}[\n"
_WIDE = re.compile(r"[^\x00-\xff]")


def latin1_javascript(text: str) -> str:
    """JavaScript source with each character beyond Latin-1 written as a ``\\uXXXX`` escape, when
    every such character lies in a regular expression literal (where the escape matches the same
    character); else the source unchanged.

    Python keeps a text with even one such character at 2 bytes a character. plotly's FigureWidget
    sends its JavaScript (5 MB) with every explorer's figure, and each kernel keeps it: 9.5 MiB,
    because of 24 characters in three regular expressions (a calendar's Chinese numerals and the
    replacement character "�"). Written as escapes, 4.7 MiB (issue 17)."""
    wide = [match.start() for match in _WIDE.finditer(text)]
    spans: list[tuple[int, int]] = []
    for position in wide:
        if spans and spans[-1][0] <= position < spans[-1][1]:
            continue
        start = position
        while True:  # the nearest "/" before it that starts a regular expression around it
            start = text.rfind("/", max(0, position - 1000), start)
            if start <= 0:
                return text
            if text[start - 1] not in _BEFORE_A_REGEX:
                continue
            literal = _REGEX_LITERAL.match(text, start)
            if literal and literal.end() > position:
                spans.append(literal.span())
                break
    pieces, done = [], 0
    for begin, end in spans:
        pieces += [text[done:begin], _WIDE.sub(lambda m: "".join(
            f"\\u{unit:04x}" for unit in _utf16_units(m.group())), text[begin:end])]
        done = end
    return "".join(pieces + [text[done:]])


def _utf16_units(character: str) -> list[int]:
    encoded = character.encode("utf-16-be")
    return [int.from_bytes(encoded[i:i + 2], "big") for i in range(0, len(encoded), 2)]


def _compact_figure_widget_script() -> None:
    """Give plotly's FigureWidget its JavaScript as :func:`latin1_javascript` writes it (done once,
    on import). plotly keeps the file's path and anywidget reads it when the first FigureWidget is
    made; the same file, read the same way, only escaped."""
    from pathlib import Path

    import plotly.basewidget
    path = Path(plotly.basewidget.__file__).parent / "package_data" / "widgetbundle.js"
    if not path.is_file() or isinstance(plotly.basewidget.BaseFigureWidget._esm, str):
        return
    plotly.basewidget.BaseFigureWidget._esm = latin1_javascript(path.read_text(encoding="utf-8"))


_compact_figure_widget_script()
