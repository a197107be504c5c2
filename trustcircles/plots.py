"""The course's figures: plotly, one look, a colour-blind-safe palette.

Every figure in the lessons and the report goes through :func:`style`, so they all have a title,
axis titles with units, readable hover text and the Okabe–Ito palette (distinguishable with the
common forms of colour blindness). Figure functions take plain numbers, not tables, so a lesson can
feed them whatever it computed; each returns a ``plotly.graph_objects.Figure``.

Colour roles used across the course: :data:`TRUST` for trust-building behaviour (conversation,
mutual ties, answers) and :data:`TRANSACTIONAL` for transactional behaviour (broadcast, one-way
attention, silence), with :data:`NEUTRAL` for everything else.
"""
from __future__ import annotations

import contextlib
import html
import math
import textwrap
from typing import Callable, Sequence

import numpy as np
import plotly.graph_objects as go

from trustcircles import figure_check

#: The Okabe–Ito palette (Okabe and Ito, 2008), by name.
PALETTE = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
#: The order plotly uses for successive traces (black last: it reads as text, not as data).
COLORWAY = [PALETTE[k] for k in ("blue", "orange", "bluish_green", "vermillion", "sky_blue",
                                 "reddish_purple", "yellow", "black")]
TRUST = PALETTE["bluish_green"]
TRANSACTIONAL = PALETTE["vermillion"]
NEUTRAL = PALETTE["sky_blue"]
#: One colour per archetype of the simulated community, the same in every lesson: trust builders in
#: the trust colour, transactional accounts in the transactional colour.
ARCHETYPE_COLOURS = {
    "trust_builder": TRUST,
    "transactional": TRANSACTIONAL,
    "broadcaster": PALETTE["orange"],
    "listener": PALETTE["blue"],
    "newcomer": PALETTE["sky_blue"],
    "troll": PALETTE["reddish_purple"],
}
#: Colours of the circles of trust, innermost first.
CIRCLE_COLOURS = (PALETTE["blue"], PALETTE["bluish_green"], PALETTE["sky_blue"], PALETTE["yellow"])


class ValidatorSpecs:
    """plotly's specifications of its validators (``plotly/validators/_validators.json``, 10,118 of
    them), each read from the file when plotly first asks for it.

    plotly loads the whole file the first time a figure is made and keeps it parsed: 3.2 MB of JSON
    that became 7-8 MiB of a kernel's memory (issue 17), for the few hundred specifications a
    kernel's figures use. This keeps where each one is in the file (three arrays of 10,118 numbers);
    ``get`` reads and parses that one, as plotly's own ``dict.get`` would have returned it."""

    def __init__(self, path, keys: list[str], starts: list[int], ends: list[int]):
        self.path = path
        hashes = np.array([hash(key) for key in keys], dtype=np.int64)
        order = np.argsort(hashes, kind="stable")
        self.hashes, self.starts, self.ends = (hashes[order], np.array(starts, dtype=np.int64)[order],
                                               np.array(ends, dtype=np.int64)[order])

    @classmethod
    def index(cls, path) -> "ValidatorSpecs | None":
        """Where each specification is: plotly writes the file with json.dump(indent=4), so a key of
        the top-level object, and only such a key, begins a line with four spaces. None if the file
        is not laid out so (plotly then reads it as it always has)."""
        import re
        with open(path, "rb") as handle:
            text = handle.read()
        if not text.startswith(b'{\n    "'):
            return None
        keys, starts = [], []
        for found in re.finditer(rb'^    "([^"\\]+)": ', text, re.M):
            keys.append(found.group(1).decode())
            starts.append(found.start())
        if not keys:
            return None
        return cls(path, keys, starts, starts[1:] + [len(text)])

    def __len__(self) -> int:
        return len(self.hashes)

    def get(self, key: str, default=None):
        import json
        wanted = hash(key)
        position = int(np.searchsorted(self.hashes, wanted))
        prefix = f"    {json.dumps(key)}: ".encode()
        with open(self.path, "rb") as handle:
            while position < len(self.hashes) and self.hashes[position] == wanted:
                handle.seek(int(self.starts[position]))
                entry = handle.read(int(self.ends[position] - self.starts[position]))
                if entry.startswith(prefix):
                    return json.JSONDecoder().raw_decode(entry[len(prefix):].decode("utf-8"))[0]
                position += 1  # another key with the same hash
        if position > int(np.searchsorted(self.hashes, wanted)):  # the file changed under us
            with open(self.path, encoding="utf-8") as handle:
                return json.load(handle).get(key, default)
        return default


def _read_validator_specs_one_at_a_time() -> None:
    """Give plotly :class:`ValidatorSpecs` instead of its whole file (done once, on import, before
    any figure; if plotly has read the file already, nothing is gained and nothing is changed)."""
    from pathlib import Path

    from plotly import validator_cache
    path = Path(validator_cache.__file__).parent / "validators" / "_validators.json"
    if validator_cache.ValidatorCache._json_cache is None and path.is_file():
        specs = ValidatorSpecs.index(path)
        if specs is not None:
            validator_cache.ValidatorCache._json_cache = specs


_read_validator_specs_one_at_a_time()


#: The kinds of trace the course draws: the course's template keeps simple_white's defaults for these.
TRACE_TYPES = ("scatter", "scattergl", "bar", "histogram", "heatmap", "box")
#: The name the course's template is registered under in plotly (``plotly.io.templates``).
TEMPLATE = "online_in_person"


def course_template() -> go.layout.Template:
    """plotly's "simple_white" template, with its trace defaults for :data:`TRACE_TYPES` only.

    simple_white holds defaults for 24 kinds of trace (3-D surfaces, maps, tables ...), and building
    it sets up plotly's class for each: some 170 modules and about 6 MiB in every kernel that draws
    a figure (issue 17). Its layout is kept whole, and the traces the course draws get exactly
    simple_white's defaults, so a course figure looks as it did with simple_white itself
    (tests/test_plots.py compares them). Read from plotly's own file, as plotly reads it."""
    import json
    import pkgutil
    template = json.loads(pkgutil.get_data("plotly", "package_data/templates/simple_white.json"))
    template["data"] = {kind: value for kind, value in template["data"].items() if kind in TRACE_TYPES}
    return go.layout.Template(template, _validate=False)


def _use_the_course_template() -> None:
    """Register :func:`course_template` and make it plotly's default: a figure built without a
    template otherwise gets plotly's own ("plotly", all 24 kinds of trace) the moment it is made,
    before :func:`style` gives it the course's. Figures a learner draws in a course kernel so get the
    course's look too."""
    import plotly.io as pio
    if TEMPLATE not in pio.templates:
        pio.templates[TEMPLATE] = course_template()
    pio.templates.default = TEMPLATE


_use_the_course_template()

#: The figure's height when a figure function gives none (px).
HEIGHT = 450
#: Room (px) above the title's first line.
TITLE_PAD = 10
#: plotly's options for an explorer's figure in the browser. WebGL marks are drawn at one canvas
#: pixel per screen pixel (plotly's default is 2: four times the pixels to fill on every redraw).
#: On a 2-core laptop without a graphics card that halves the redraw (benchmarks/results/
#: browser.md); on a high-density screen the marks, not the axes or text, are a little softer.
WIDGET_CONFIG = {"plotGlPixelRatio": 1}


class Figure(go.Figure):
    """A plotly figure that shows, under itself, its numbers as a table a screen reader can read
    ("Numbers in this figure", folded until asked for). Otherwise exactly a ``go.Figure``."""

    def _ipython_display_(self):
        from IPython.display import HTML, display

        super()._ipython_display_()
        display(HTML(numbers_html(self)))


def style(fig: go.Figure, title: str, x_title: str, y_title: str,
          height: int | None = None) -> go.Figure:
    """Give a figure the course's look: title, axis titles (say the unit!), palette, hover labels,
    and a height (``height`` px, else the one it has, else :data:`HEIGHT`). Titles too long for a
    laptop screen are broken into lines and the margins made to hold them (:func:`fit`): call
    ``fit`` again after changing a title, the height or the traces.

    Returns the same figure, so calls can be chained: ``style(go.Figure(...), "...", "...", "...")``.
    """
    fig.update_layout(
        template=TEMPLATE, colorway=COLORWAY,
        # the title at the very top, so a legend above the plot has the rest of the top margin
        title={"text": title, "x": 0.02, "xanchor": "left", "y": 1, "yref": "container",
               "yanchor": "top", "pad": {"t": TITLE_PAD}},
        font={"family": "Arial, Helvetica, sans-serif", "size": 14},
        hoverlabel={"font_size": 13}, margin={"l": 70, "r": 30, "t": 70, "b": 60},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0},
        height=height or fig.layout.height or HEIGHT)
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    if x_title is not None:  # None: keep the axis titles already set (e.g. on subplots)
        fig.update_xaxes(title_text=x_title)
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    return fit(fig)


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (a #RRGGBB colour): the one with
    the higher WCAG contrast ratio."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    light = luminance(background)
    return "#000000" if (light + 0.05) / 0.05 >= 1.05 / (light + 0.05) else "#FFFFFF"


def ring_parts(counts: Sequence[float], labels: Sequence[str],
               descriptions: Sequence[str] | None = None,
               value_format: str = "{:g}") -> tuple[list[dict], list[dict]]:
    """The traces and labels of nested rings, outermost first (what :func:`circle_rings` draws,
    for explorers that redraw rings in place). Ring i has area in proportion to counts[i] (which
    grow outwards, as nested circles do), with a small minimum so a small circle can be pointed
    at; a ring of 0 is not drawn (its label says 0, at the centre)."""
    counts = [float(c) for c in counts]
    descriptions = list(descriptions or [""] * len(counts))
    biggest = max(counts + [1e-9])
    radii = [max(np.sqrt(c / biggest), 0.12 + 0.1 * i) for i, c in enumerate(counts)]
    radii = list(np.maximum.accumulate(radii))
    angle = np.linspace(0, 2 * np.pi, 121)
    drawn = [i for i, c in enumerate(counts) if c > 0]
    centre_colour = CIRCLE_COLOURS[drawn[0] % len(CIRCLE_COLOURS)] if drawn else "#FFFFFF"
    empty = [i for i, c in enumerate(counts) if c <= 0]
    traces, notes = [], []
    for i in reversed(range(len(counts))):
        value = value_format.format(counts[i])
        colour = CIRCLE_COLOURS[i % len(CIRCLE_COLOURS)]
        # A ring of 0 has no points and no legend entry (rather than visible=False: a front-end
        # given several quick updates that toggle visibility was seen to drop some of them).
        drawn_here = counts[i] > 0
        traces.append({"x": radii[i] * np.cos(angle) if drawn_here else [],
                       "y": radii[i] * np.sin(angle) if drawn_here else [],
                       "name": f"{labels[i]}: {value}", "fillcolor": colour,
                       "text": f"<b>{labels[i]}</b>: {value}<br>{descriptions[i]}",
                       "showlegend": drawn_here, "meta": {"count": counts[i]}})
        if counts[i] > 0:
            notes.append({"y": radii[i] - 0.06 if i else 0, "text": f"{labels[i]}: {value}",
                          "font": {"color": text_colour(colour), "size": 13}})
        else:  # listed at the centre, one line each
            notes.append({"y": -0.09 * empty.index(i), "text": f"{labels[i]}: {value}",
                          "font": {"color": text_colour(centre_colour), "size": 13}})
    return traces, notes


def circle_rings(counts: Sequence[float], labels: Sequence[str], title: str,
                 descriptions: Sequence[str] | None = None, value_format: str = "{:g}") -> go.Figure:
    """Nested rings, innermost first (:func:`ring_parts`). Hovering a ring shows its label, count
    and description; "Numbers in this figure" lists the counts."""
    traces, notes = ring_parts(counts, labels, descriptions, value_format)
    fig = Figure()
    for trace, note in zip(traces, notes):
        fig.add_trace(go.Scatter(fill="toself", mode="lines", line={"color": "white", "width": 2},
                                 hoveron="fills", hoverinfo="text", **trace))
        fig.add_annotation(x=0, showarrow=False, **note)
    fig.update_xaxes(visible=False, range=[-1.1, 1.1])
    fig.update_yaxes(visible=False, range=[-1.1, 1.1], scaleanchor="x", scaleratio=1)
    fig.update_layout(legend={"traceorder": "reversed"})
    return style(fig, title, "", "", height=480)


def _same(current, new) -> bool:
    """Whether a figure property already holds ``new`` (arrays compared element by element)."""
    try:
        if isinstance(current, (list, tuple, np.ndarray)) or isinstance(new, (list, tuple, np.ndarray)):
            return bool(np.array_equal(np.asarray(current, dtype=object), np.asarray(new, dtype=object)))
        return bool(current == new)
    except (TypeError, ValueError):
        return False


#: An unchanged property value this short is sent again rather than split a change into two
#: messages (two redraws): the traces of one message must all receive every property it holds.
RESEND_LIMIT = 400


def _resendable(trace, key: str) -> bool:
    """Whether a trace's current value of a property is short enough to send again (and the
    property is one this kind of trace has)."""
    try:
        value = trace[key]
    except (KeyError, ValueError):
        return False
    return not isinstance(value, (list, tuple, np.ndarray, str)) or len(value) <= RESEND_LIMIT


_MISSING = object()


def _layout_value(figure: go.Figure, key: str):
    """The layout's current value at a dotted path (``"annotations[2].text"``), read from plotly's
    own dict: after a relayout of ``shapes``, ``figure.layout.shapes`` still lists the old
    shapes, while the dict holds the new ones."""
    node = _raw(figure)[1]
    for part in go.Figure._str_to_dict_path(key):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return _MISSING
    return node


def _messages(figure: go.FigureWidget, traces: dict[int, dict],
              layout: dict) -> list[tuple[dict, dict, list[int]]]:
    """The fewest plotly updates (restyle, relayout, trace indexes) that make these changes,
    leaving out the trace and layout properties the figure already shows (a move that changes
    nothing sends nothing)."""
    layout = {key: value for key, value in layout.items()
              if not _same(_layout_value(figure, key), value)}
    changed: dict[str, list[int]] = {}
    for key in sorted({k for props in traces.values() for k in props}):
        indexes = [i for i, props in sorted(traces.items())
                   if key in props and not _same(figure.data[i][key], props[key])]
        if indexes:
            changed[key] = indexes
    together = sorted({i for indexes in changed.values() for i in indexes})
    groups: dict[tuple[int, ...], dict] = {}
    for key, indexes in changed.items():
        others = [i for i in together if i not in indexes]
        if all(_resendable(figure.data[i], key) for i in others):
            groups.setdefault(tuple(together), {})[key] = [
                traces[i][key] if i in indexes else figure.data[i][key] for i in together]
        else:
            groups.setdefault(tuple(indexes), {})[key] = [traces[i][key] for i in indexes]
    messages = [(restyle, {}, list(indexes)) for indexes, restyle in groups.items()]
    if messages:
        messages[0] = (messages[0][0], layout, messages[0][2])
    elif layout:
        messages = [({}, layout, [])]
    return messages


def update_figure(figure: go.FigureWidget, traces: dict[int, dict] | None = None,
                  layout: dict | None = None) -> int:
    """Change several traces (``{trace index: {property: value}}``, dotted names such as
    ``"marker.color"`` allowed) and the layout (``{"title.text": ...}``) of a FigureWidget in as
    few messages to the browser as possible, usually one, so plotly redraws once (each message is a
    whole redraw: fifteen of them took seconds for a big network). Every trace a message names gets
    a value for each of its properties: the new one, or its current one where that is short (up to
    :data:`RESEND_LIMIT` items), so no trace receives plotly's "no change" marker ("_undefined_",
    which plotly 7's front-end takes as "drop this trace"); a long unchanged value is not sent again
    and its property goes in a message of its own (or joins the rest, as ``null``, where the other
    traces have no such property). Inside :func:`one_redraw` the changes join the block's message.
    Returns the number of messages sent."""
    traces, layout = traces or {}, layout or {}
    if figure._in_batch_mode:
        for index, props in traces.items():
            figure._batch_trace_edits.setdefault(index, {}).update(props)
        figure._batch_layout_edits.update(layout)
        return 0
    messages = _messages(figure, traces, layout)
    _apply(figure, messages)
    return _send(figure, messages)


def _apply(figure: go.FigureWidget, messages: list[tuple[dict, dict, list[int]]]) -> None:
    """Make the changes in the figure here, without telling the browser yet."""
    for restyle, relayout, indexes in messages:
        figure._perform_plotly_update(restyle_data=restyle or None, relayout_data=relayout or None,
                                      trace_indexes=indexes or None)


def _send(figure: go.FigureWidget, messages: list[tuple[dict, dict, list[int]]]) -> int:
    """Tell the browser about changes already applied, joined into one message where possible;
    returns the number of messages sent."""
    joined = _joined(figure, messages)
    for restyle, relayout, indexes in joined:
        figure._send_update_msg(restyle_data=restyle, relayout_data=relayout,
                                trace_indexes=indexes or None)
    return len(joined)


@contextlib.contextmanager
def one_redraw(figure: go.Figure | None, then: Callable[[go.Figure], object] | None = None):
    """Within this block, every change to a FigureWidget's traces and layout is held back, then
    sent at once (see :func:`update_figure`): one message, one redraw in the browser, instead of
    one per property set (six for two traces' x, y and hover text; each a whole redraw there).
    ``then(figure)`` runs on the changed figure before the message leaves, and what it changes
    to the layout goes in the same message (e.g. :func:`fit` for a title that got longer).
    Anything else (a plain Figure, None, a block already inside one) runs unchanged."""
    if not isinstance(figure, go.FigureWidget) or figure._in_batch_mode:
        yield
        if then is not None and figure is not None:
            then(figure)
        return
    # plotly's own batch_update() sends "_undefined_" to the traces a property leaves unchanged;
    # its edit queues are taken over here instead (plotly is pinned: requirements.lock)
    figure._in_batch_mode = True
    try:
        yield
    finally:
        traces = {index: dict(props) for index, props in figure._batch_trace_edits.items()}
        layout = dict(figure._batch_layout_edits)
        figure._batch_trace_edits.clear()
        figure._batch_layout_edits.clear()
        figure._in_batch_mode = False
        messages = _messages(figure, traces, layout)
        _apply(figure, messages)  # sent below, with what then() changes
        if then is not None:
            figure._in_batch_mode = True
            try:
                then(figure)
            finally:
                more = dict(figure._batch_layout_edits)
                figure._batch_layout_edits.clear()
                figure._batch_trace_edits.clear()
                figure._in_batch_mode = False
            if more:
                figure._perform_plotly_update(relayout_data=more)
                if messages:
                    messages[0] = (messages[0][0], {**messages[0][1], **more}, messages[0][2])
                else:
                    messages = [({}, more, [])]
        _send(figure, messages)


def _joined(figure: go.FigureWidget, messages: list[tuple[dict, dict, list[int]]]):
    """The messages as one, where that sends nothing wrong: a property one message gives only to
    some traces goes to the others too, as their current value if it is short, or as ``null``
    where that kind of trace has no such property (plotly.js leaves it alone: a scatter has no
    ``z``). Otherwise (a long unchanged value) the messages stay apart. The figure's traces are
    already changed."""
    if len(messages) < 2:
        return messages
    together = sorted({i for _, _, indexes in messages for i in indexes})
    restyle: dict[str, list] = {}
    for style, _, indexes in messages:
        for key, values in style.items():
            given = dict(zip(indexes, values))
            row = []
            for i in together:
                if i in given:
                    row.append(given[i])
                elif not go.FigureWidget._is_key_path_compatible(key, figure.data[i]):
                    row.append(None)
                elif _resendable(figure.data[i], key):
                    row.append(figure.data[i][key])
                else:
                    return messages
            restyle[key] = row
    relayout = {k: v for _, layout, _ in messages for k, v in layout.items()}
    return [(restyle, relayout, together)]


def redraw_rings(fig: go.Figure, counts: Sequence[float], labels: Sequence[str],
                 descriptions: Sequence[str] | None = None, value_format: str = "{:g}") -> None:
    """Change a :func:`circle_rings` figure (or FigureWidget) in place to show other counts."""
    traces, notes = ring_parts(counts, labels, descriptions, value_format)
    layout = {f"annotations[{i}].{key}": value for i, note in enumerate(notes)
              for key, value in _flat(note).items()}
    update_figure(fig, dict(enumerate(traces)), layout)


def _flat(values: dict, prefix: str = "") -> dict:
    """``{"font": {"size": 13}}`` -> ``{"font.size": 13}`` (plotly's dotted property names)."""
    out = {}
    for key, value in values.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def bars(categories: Sequence[str], values: Sequence[float], title: str, x_title: str,
         y_title: str, colours: Sequence[str] | None = None,
         hover: Sequence[str] | None = None) -> go.Figure:
    """A bar chart of one value per category, each bar with its own colour and hover text."""
    colours = list(colours or [COLORWAY[i % len(COLORWAY)] for i in range(len(categories))])
    hover = list(hover or [f"{c}: {v:g}" for c, v in zip(categories, values)])
    fig = Figure(go.Bar(x=list(categories), y=list(values), marker_color=colours,
                           hovertext=hover, hoverinfo="text", showlegend=False))
    return style(fig, title, x_title, y_title)


def histogram(values: Sequence[float], title: str, x_title: str, y_title: str,
              colour: str = NEUTRAL, name: str = "", bin_size: float | None = None,
              marker_at: float | None = None, marker_label: str = "") -> go.Figure:
    """A histogram of values (NaN left out), optionally with a dashed vertical line at marker_at."""
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    xbins = {"start": 0, "size": bin_size} if bin_size else None
    fig = Figure(go.Histogram(
        x=values, xbins=xbins, marker_color=colour, name=name or x_title,
        hovertemplate=f"{x_title}: %{{x}}<br>{y_title}: %{{y}}<extra></extra>"))
    if marker_at is not None:
        reference_line(fig, x=marker_at, label=marker_label, position="top right")
    fig.update_layout(bargap=0.05)
    return style(fig, title, x_title, y_title)


# --------------------------------------------------------------------------- fitting the screen


def wrap(text: str, pixels: float, size: float) -> str:
    """``text`` broken at spaces into lines (joined by ``<br>``) of at most ``pixels`` px at font
    size ``size`` (estimated as :mod:`trustcircles.figure_check` estimates it). Line breaks already
    in the text are joined first, so wrapping again gives the same result."""
    plain = " ".join(str(text).replace("<br>", " ").split())
    columns = max(int(pixels / (size * figure_check.CHAR_EM)), 8)
    return "<br>".join(textwrap.wrap(plain, columns, break_long_words=False,
                                     break_on_hyphens=False)) or plain


def _raw(fig: go.Figure) -> tuple[list[dict], dict]:
    """The figure's traces and layout as the plain dicts plotly keeps them in (``_data``,
    ``_layout``: plotly is pinned, requirements.lock). Read on every move of an explorer: going
    through plotly's property objects instead took most of :func:`fit`'s and
    :func:`numbers_of`'s time. Read only; never change them."""
    return fig._data, fig._layout


def _light_spec(fig: go.Figure) -> dict:
    """What figure_check needs to place titles and the legend: the layout and the traces' names."""
    keys = ("name", "showlegend", "legendgroup", "visible", "type", "xaxis", "yaxis")
    data, layout = _raw(fig)
    # a shallow copy: fit replaces the title in it, and figure_check only reads
    return {"data": [{k: trace[k] for k in keys if trace.get(k) is not None} for trace in data],
            "layout": dict(layout)}


def fit(fig: go.Figure, width: float | None = None) -> go.Figure:
    """Make the figure read at ``width`` px (by default as wide as it is drawn in a notebook on a
    laptop screen: figure_check.default_width): break the title and the axis titles into lines at
    word boundaries where they are too long for their place, and give the title and a legend above
    the plot a top margin that holds both. Returns the figure."""
    get = figure_check.value_at
    spec = _light_spec(fig)
    layout = spec["layout"]  # plotly's own dicts, read only (property objects cost an explorer
    # about 6 ms a move)
    width = width or get(layout, "width") or figure_check.default_width(fig)
    changes: dict = {}  # applied at once: a FigureWidget sends one message, only if anything changed
    height = get(layout, "height") or HEIGHT
    size = get(layout, "font", "size") or figure_check.DEFAULT_FONT
    title_size = get(layout, "title", "font", "size") or size * figure_check.TITLE_SCALE
    title = get(layout, "title", "text")
    if title:
        x = get(layout, "title", "x", default=0.02)
        wrapped = wrap(title, width * (1 - x) - 16, title_size)
        layout["title"] = {**layout["title"], "text": wrapped}
        if wrapped != title:
            changes["title.text"] = wrapped
        if get(layout, "title", "yanchor") == "top":
            # plotly.js does not hang a title of several lines from its top anchor (its first
            # baseline sits on the anchor): move it down by what it leaves out
            lines = wrapped.count("<br>") + 1
            pad = TITLE_PAD + (math.ceil(figure_check.CAP_SHIFT * title_size) if lines > 1 else 0)
            if get(layout, "title", "pad", "t") != pad:
                changes["title.pad.t"] = pad
    given_top = get(layout, "margin", "t")
    margin = {side: get(layout, "margin", side, default=figure_check.DEFAULT_MARGIN[side])
              for side in "lrtb"}
    top = max(figure_check.DEFAULT_MARGIN["t"] if given_top is None else 70,
              math.ceil(figure_check.top_needed(spec, width - margin["l"] - margin["r"])))
    if top != given_top:
        changes["margin.t"] = top
    plot_w = width - margin["l"] - margin["r"]
    plot_h = height - top - margin["b"]
    for name, axis in layout.items():
        text = get(axis, "title", "text")
        if not text or not name.startswith(("xaxis", "yaxis")):
            continue
        domain = get(axis, "domain") or (0, 1)
        room = (plot_w * (domain[1] - domain[0]) + 40 if name.startswith("x")
                else plot_h * (domain[1] - domain[0]))
        wrapped = wrap(text, room, size)
        if wrapped != text:
            changes[f"{name}.title.text"] = wrapped
    if changes:
        fig.update_layout(changes)
    return fig


def plot_size(fig: go.Figure, width: float | None = None) -> tuple[float, float]:
    """The plotting area's width and height (px) at ``width`` px, inside the margins (for wrapping
    an axis title an explorer changes: ``wrap(text, plot_size(fig)[1], 14)``)."""
    width = width or figure_check.default_width(fig)
    margin = fig.layout.margin
    return (width - (margin.l or 0) - (margin.r or 0),
            (fig.layout.height or HEIGHT) - (margin.t or 0) - (margin.b or 0))


def reference_line(fig: go.Figure, *, x: float | None = None, y: float | None = None,
                   label: str = "", position: str = "top right", dash: str = "dash",
                   colour: str = PALETTE["black"], width: float = 1.5, row=None, col=None) -> go.Figure:
    """A dashed vertical (``x=``) or horizontal (``y=``) line across the plot, with a label.

    The line's width is set here: the simple_white template draws shapes with width 0 by default
    (only the label would show). On a log axis the label is placed in log10 units, as plotly wants
    for annotations (a label at x=48 on a log axis would sit at 10^48). Set the axis type first."""
    kwargs = {"line_dash": dash, "line_color": colour, "line_width": width, "opacity": 1}
    if row is not None:
        kwargs.update(row=row, col=col)
    if x is not None:
        fig.add_vline(x=x, **kwargs)
    else:
        fig.add_hline(y=y, **kwargs)
    if label:
        shape = fig.layout.shapes[-1]
        letter = "x" if x is not None else "y"
        ref = shape[f"{letter}ref"]
        axis = fig.layout[f"{letter}axis{ref[1:]}"]
        value = x if x is not None else y
        at = math.log10(value) if axis.type == "log" and value > 0 else value
        vertical, horizontal = position.split() if " " in position else (position, "center")
        note = {"text": label, "showarrow": False, "font": {"size": 12}}
        if x is not None:
            note.update(x=at, xref=ref, y=1 if vertical == "top" else 0, yref=f"{shape['yref']}",
                        yanchor="bottom" if vertical == "top" else "top",
                        xanchor="left" if horizontal == "right" else "right"
                        if horizontal == "left" else "center", xshift=3 if horizontal == "right" else
                        -3 if horizontal == "left" else 0)
        else:
            note.update(y=at, yref=ref, x=1 if horizontal == "right" else 0, xref=f"{shape['xref']}",
                        yanchor="bottom" if vertical == "top" else "top",
                        xanchor="right" if horizontal == "right" else "left")
        fig.add_annotation(note)
    return fig


def log_range(values, pad: float = 0.08, include: Sequence[float] = ()) -> list[float]:
    """A log axis's range in log10 units (what plotly wants) that holds the positive ``values``
    and the points in ``include`` (e.g. reference lines), with ``pad`` decades to spare."""
    numbers = np.asarray(list(np.ravel(np.asarray(values, dtype=float))) + list(include), dtype=float)
    numbers = numbers[np.isfinite(numbers) & (numbers > 0)]
    if not len(numbers):
        return [0.0, 1.0]
    return [float(np.log10(numbers.min())) - pad, float(np.log10(numbers.max())) + pad]


# --------------------------------------------------------------------------- numbers, in words


def _value_format(fig_dict: dict, trace: dict):
    """How to write a trace's values: as percentages when its value axis is, else as numbers."""
    letter = "x" if trace.get("orientation") == "h" else "y"
    ref = trace.get(f"{letter}axis", letter)
    axis = fig_dict["layout"].get(f"{letter}axis{ref[1:]}") or {}
    percent = "%" in str(axis.get("tickformat") or "")
    return lambda v: format_number(v, percent)


def format_number(value, percent: bool = False) -> str:
    """One number as the course writes numbers: thousands with a comma (98,880), shares as whole
    percentages (74%), other values with up to 3 significant digits; missing values as "n/a"."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(value):
        return "n/a"
    if percent:
        return f"{value:.0%}" if abs(value) >= 0.01 or value == 0 else f"{value:.1%}"
    if value == int(value):
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def numbers_of(fig: go.Figure, limit: int = 15) -> list[tuple[str, str]]:
    """The figure's numbers in words, one (series, values) pair per trace: every value when there
    are few, else how many and their spread. A trace that stands for a count (``meta.count``, as
    rings and networks set) is given as that count."""
    fig_dict = _numbers_spec(fig)
    rows = []
    unnamed = figure_check.text_of(fig_dict["layout"].get("yaxis", {}).get("title")).replace("\n", " ")
    for index, trace in enumerate(fig_dict["data"]):
        meta = trace.get("meta") if isinstance(trace.get("meta"), dict) else {}
        if trace.get("visible", True) is False and "count" not in meta:
            continue
        name = (figure_check.text_of(trace.get("name")).replace("\n", " ")
                or (unnamed if len(fig_dict["data"]) == 1 and unnamed else f"series {index + 1}"))
        if "count" in meta:
            rows.append((name, f"{format_number(meta['count'])} {meta.get('unit', '')}".strip()))
            continue
        kind = trace.get("type", "scatter")
        fmt = _value_format(fig_dict, trace)
        values_key = "x" if trace.get("orientation") == "h" else "y"
        other_key = "y" if values_key == "x" else "x"
        if kind == "heatmap":
            z = [v for row in trace.get("z") or [] for v in (row if isinstance(row, list) else [row])]
            numbers = [float(v) for v in z if v is not None]
            rows.append((name, f"{len(trace.get('z') or [])} rows; values from {format_number(min(numbers))}"
                               f" to {format_number(max(numbers))}, {format_number(sum(numbers))} in all"
                         if numbers else "no values"))
            continue
        if kind in ("box", "histogram", "violin"):
            key = "x" if kind == "histogram" else values_key
            numbers = sorted(figure_check.numbers_in(trace.get(key)))
            if not numbers:
                rows.append((name, "no values"))
                continue
            fmt = (lambda v: format_number(v)) if kind == "histogram" else fmt
            rows.append((name, f"{len(numbers):,} values; median {fmt(float(np.median(numbers)))}, "
                               f"middle half {fmt(float(np.percentile(numbers, 25)))} to "
                               f"{fmt(float(np.percentile(numbers, 75)))}, from {fmt(numbers[0])} "
                               f"to {fmt(numbers[-1])}"))
            continue
        xs, ys = trace.get(other_key), trace.get(values_key)
        if xs is None or ys is None:
            continue
        axis = fig_dict["layout"].get(f"{other_key}axis{trace.get(other_key + 'axis', other_key)[1:]}", {})
        ticks = dict(zip(axis.get("tickvals") or (), axis.get("ticktext") or ()))
        xs = [ticks.get(x, x) for x in xs]
        pairs = [(x, y) for x, y in zip(xs, ys) if y is not None and x is not None
                 and not (isinstance(y, float) and math.isnan(y))]
        if not pairs:
            rows.append((name, "no values"))
        elif len(pairs) <= limit:
            rows.append((name, "; ".join(f"{format_number(x) if not isinstance(x, str) else x}: "
                                         f"{fmt(y)}" for x, y in pairs)))
        elif any(isinstance(y, str) for _, y in pairs):
            rows.append((name, f"{len(pairs):,} points"))
        else:
            numbers = [float(y) for _, y in pairs]
            rows.append((name, f"{len(pairs):,} points; from {fmt(min(numbers))} to "
                               f"{fmt(max(numbers))}, median {fmt(float(np.median(numbers)))}"))
    return rows


def _numbers_spec(fig) -> dict:
    """The parts of a figure :func:`numbers_of` reads (a trace's points only when it has no count:
    an explorer's network of thousands of links is not copied on every move)."""
    if isinstance(fig, dict):
        return figure_check.as_dict(fig)
    traces, raw_layout = _raw(fig)
    data = []
    for trace in traces:
        meta = trace.get("meta")
        item = {k: trace[k] for k in ("type", "name", "visible", "orientation", "xaxis", "yaxis")
                if trace.get(k) is not None}
        if isinstance(meta, dict):
            item["meta"] = meta
        if not (isinstance(meta, dict) and "count" in meta):
            item.update({k: figure_check.decoded(trace[k]) for k in ("x", "y", "z")
                         if trace.get(k) is not None})
        data.append(item)
    layout = {}
    for name, axis in raw_layout.items():
        if name.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            title = axis.get("title")
            layout[name] = {"tickformat": axis.get("tickformat"), "tickvals": axis.get("tickvals"),
                            "ticktext": axis.get("ticktext"),
                            "title": title.get("text") if isinstance(title, dict) else title}
    return {"data": data, "layout": layout}


def numbers_html(fig: go.Figure) -> str:
    """The figure's numbers as a small table in a ``<details>`` element ("Numbers in this figure"),
    folded until asked for: a text alternative a screen reader reads, needing no hover."""
    title = figure_check.text_of(fig.layout.title.text if fig.layout.title else "").replace("\n", " ")
    rows = "".join(f"<tr><th scope='row'>{html.escape(series)}</th><td>{html.escape(values)}</td></tr>"
                   for series, values in numbers_of(fig))
    return (f'<details class="tc-numbers"><summary>Numbers in this figure'
            f'{": " + html.escape(title) if title else ""}</summary>'
            f'<table><thead><tr><th scope="col">series</th><th scope="col">values</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></details>")


# The archetype added with lesson 12 (appended here, as additions to this module are): an account
# run by a scheduling tool or an agency, in black, the one colour of the palette no archetype had.
ARCHETYPE_COLOURS.setdefault("outsourced", PALETTE["black"])
