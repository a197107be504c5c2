"""Does a figure read right at laptop size? Machine checks of a plotly figure's JSON.

A figure can draw without an error and still mislead: a reference line drawn with width 0 shows
only its label, a log axis given hours where it expects powers of ten squashes the curve into a
corner, a title longer than the figure is cut off, a ring drawn for a group of nobody suggests
someone is there. :func:`figure_problems` reads a figure (a ``plotly`` figure, a ``FigureWidget``
or the JSON a notebook shows, with its template) and says in words what a learner would see
wrong, at the width JupyterLab gives a figure on a 1366-pixel-wide laptop screen. An empty list
means the figure passed. The rules, one function each:

* :func:`shape_problems`: every shape and reference line is visible (line width > 0 after the
  template's defaults, not transparent) and lies inside the plotted range;
* :func:`axis_problems`: a log axis has an explicit range, in log10 units, that contains its data
  (and does not dwarf it); an explicit linear range contains the data; text placed on an axis
  (annotations) lies inside it;
* :func:`text_problems`: the title, axis titles and legend fit the figure (lengths estimated from
  the font size), with margins large enough for them;
* :func:`hover_problems`: every trace a learner can point at has hover text, and a hover template
  names only fields the trace has;
* :func:`empty_group_problems`: no trace is drawn, or listed in the legend, for a group with no
  one in it;
* :func:`wording_problems`: labels a learner reads are words ("trust builder"), not identifiers
  from the data (``trust_builder``).

Text widths are estimated, not measured (no browser here): 0.6 of the font size per character,
generous for Arial and close for the wider fonts a Linux laptop may fall back to. The browser test
measures the drawn figures as well.
"""
from __future__ import annotations

import base64
import math
import re
from typing import Any, Iterable

import numpy as np

#: The width (px) JupyterLab gives a figure in a notebook on a 1366 px wide screen with the file
#: browser open (measured in Chromium at 1366 x 768: about 930 px; a little kept in hand).
WIDTH = 900
#: The width (px) of an explorer's figure: a plotly FigureWidget that sets no width is drawn
#: 700 px wide, whatever room the notebook has.
WIDGET_WIDTH = 700
#: plotly's height (px) for a figure that sets none.
DEFAULT_HEIGHT = 450
#: Estimated width of one character, as a share of the font size.
CHAR_EM = 0.6
#: The same for a legend's entries, when counting how many fit in a row: mostly lower-case names,
#: about 0.45 em as drawn here; 0.6 put 2 drawn columns in 1, and the margin held twice the rows.
LEGEND_CHAR_EM = 0.5
#: plotly's defaults when neither the figure nor its template says otherwise.
DEFAULT_FONT = 12
DEFAULT_MARGIN = {"l": 80, "r": 80, "t": 100, "b": 80}
DEFAULT_SHAPE_WIDTH = 2
#: Title font relative to the figure's font (plotly.js: 1.4 times).
TITLE_SCALE = 1.4
LINE_HEIGHT = 1.3
#: How far (em) a line of text reaches above its baseline (Arial: 0.905), with a little in hand.
ASCENT = 0.95
#: plotly.js moves a title anchored at its top down by this much (em) so its first line hangs from
#: the anchor; a title of several lines does not get that move (plotly.js issue 6472): its first
#: line's baseline sits on the anchor and the line rises above it.
CAP_SHIFT = 0.7
#: How far (share of an axis's span) data may sit outside an explicit range before it counts as cut.
TOLERANCE = 0.005
#: A log axis whose range is more than this many decades wider than its data squashes it.
SPARE_DECADES = 1.0

_TAG = re.compile(r"<[^>]+>")
_PLACEHOLDER = re.compile(r"%\{[^}]*\}")
_IDENTIFIER = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


# --------------------------------------------------------------------------- reading a figure

def as_dict(figure: Any) -> dict:
    """The figure as plain JSON-like data: ``{"data": [...], "layout": {...}}``."""
    if isinstance(figure, dict):
        spec = figure
    elif hasattr(figure, "to_dict"):
        spec = figure.to_dict()
    else:
        raise TypeError(f"not a figure: {type(figure).__name__}")
    return {"data": [decoded(t) for t in spec.get("data") or []],
            "layout": dict(spec.get("layout") or {})}


def decoded(value: Any) -> Any:
    """``value`` with plotly's typed arrays (``{"dtype": "f8", "bdata": "..."}``, how plotly 6+
    writes numpy arrays into JSON) turned into lists of numbers."""
    if isinstance(value, dict):
        if "bdata" in value and "dtype" in value:
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
            if value.get("shape"):
                shape = [int(n) for n in str(value["shape"]).split(",")]
                array = array.reshape(shape)
            return array.tolist()
        return {k: decoded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [decoded(v) for v in value]
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value


def value_at(obj: Any, *path: str, default: Any = None) -> Any:
    """The value at ``path`` in nested dicts (a figure's JSON), or ``default`` where it is absent
    or None."""
    for key in path:
        if not isinstance(obj, dict) or key not in obj or obj[key] is None:
            return default
        obj = obj[key]
    return obj


def _layered(layout: dict, *path: str, default: Any = None) -> Any:
    """A layout property, else the template's, else ``default``."""
    value = value_at(layout, *path)
    if value is None:
        value = value_at(layout, "template", "layout", *path)
    return default if value is None else value


def text_of(value: Any) -> str:
    """The plain text of a title or label: a plotly title dict or a string, tags and placeholders
    removed (a ``<br>`` becomes a line break)."""
    if isinstance(value, dict):
        value = value.get("text")
    if value is None:
        return ""
    text = re.sub(r"<br\s*/?>", "\n", str(value), flags=re.I)
    return _TAG.sub("", text)


def text_width(text: str, size: float) -> float:
    """Estimated width (px) of the longest line of ``text`` at font size ``size``."""
    lines = text.split("\n") if text else [""]
    return max(len(line) for line in lines) * size * CHAR_EM


def _lines(text: str) -> int:
    return len(text.split("\n")) if text.strip() else 0


def _font_size(layout: dict, *path: str, scale: float = 1.0) -> float:
    size = _layered(layout, *path, "font", "size")
    if size is None:
        size = _layered(layout, "font", "size", default=DEFAULT_FONT) * scale
    return float(size)


def _margins(layout: dict) -> dict[str, float]:
    return {side: float(_layered(layout, "margin", side, default=DEFAULT_MARGIN[side]))
            for side in "lrtb"}


def _size(layout: dict, width: float) -> tuple[float, float]:
    return float(layout.get("width") or width), float(layout.get("height") or DEFAULT_HEIGHT)


def axis_names(layout: dict, data: list[dict]) -> list[str]:
    """The cartesian axes the figure uses or sets (``xaxis``, ``yaxis2``, ...)."""
    names = {k for k in layout if re.fullmatch(r"[xy]axis\d*", k)}
    for trace in data:
        if trace.get("type", "scatter") in _CARTESIAN:
            names.add(_axis_key(trace.get("xaxis", "x")))
            names.add(_axis_key(trace.get("yaxis", "y")))
    return sorted(names)


def _axis_key(ref: str) -> str:
    """``"x2"`` -> ``"xaxis2"``; ``"y domain"`` -> ``"yaxis"``."""
    ref = ref.split()[0]
    return f"{ref[0]}axis{ref[1:]}"


def _ref(axis: str) -> str:
    """``"xaxis2"`` -> ``"x2"``."""
    return axis[0] + axis[5:]


_CARTESIAN = {"scatter", "scattergl", "bar", "box", "histogram", "heatmap", "violin"}


def _axis_type(layout: dict, axis: str) -> str:
    return value_at(layout, axis, "type") or "linear"


def numbers_in(values: Any) -> list[float]:
    """The finite numbers among ``values`` (plotly data may be lists, tuples or numpy arrays,
    or typed-array dicts in a widget's JSON; those are skipped)."""
    if values is None or isinstance(values, (str, dict)):
        return []
    if not hasattr(values, "__iter__"):
        values = [values]
    found = []
    for value in values:
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, (list, tuple)):
            found.extend(numbers_in(value))
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        if math.isfinite(number):
            found.append(number)
    return found


def _is_categorical(values: Any) -> bool:
    if values is None or isinstance(values, dict):
        return False
    if isinstance(values, str):
        return True
    try:
        return any(isinstance(v, str) for v in values)
    except TypeError:
        return False


def _count(values: Any) -> int:
    if values is None:
        return 0
    if isinstance(values, str):
        return 1
    try:
        return len(values)
    except TypeError:
        return 1


def trace_values(trace: dict, letter: str) -> list[float]:
    """The numbers a trace places along its ``letter`` ("x" or "y") axis (empty if categorical)."""
    kind = trace.get("type", "scatter")
    values = trace.get(letter)
    if kind == "bar":
        numbers = numbers_in(values)
        value_axis = "x" if trace.get("orientation") == "h" else "y"
        return numbers + ([0.0] if numbers and letter == value_axis else [])
    if kind == "histogram":
        return numbers_in(values)
    if kind == "heatmap":
        return numbers_in(values)
    return [] if _is_categorical(values) else numbers_in(values)


def _visible(item: dict) -> bool:
    return item.get("visible", True) not in (False, "legendonly")


def _points(trace: dict) -> int:
    kind = trace.get("type", "scatter")
    if kind in ("box", "violin", "histogram"):
        return max(_count(trace.get("x")), _count(trace.get("y")))
    if kind == "heatmap":
        return _count(trace.get("z"))
    if kind == "pie":
        return _count(trace.get("values"))
    x, y = trace.get("x"), trace.get("y")
    if x is None or y is None:
        return max(_count(x), _count(y))
    return min(_count(x), _count(y))


# --------------------------------------------------------------------------- ranges

def _to_axis_units(values: Iterable[float], axis_type: str) -> list[float]:
    if axis_type == "log":
        return [math.log10(v) for v in values if v > 0]
    return list(values)


def data_extent(spec: dict, axis: str) -> tuple[float, float] | None:
    """The smallest and largest data value on an axis, in the axis's own units (log10 on a log
    axis), over the visible traces; None when the axis shows no numbers."""
    layout, letter = spec["layout"], axis[0]
    ref = _ref(axis)
    values: list[float] = []
    for trace in spec["data"]:
        if not _visible(trace) or trace.get("type", "scatter") not in _CARTESIAN:
            continue
        if trace.get(f"{letter}axis", letter) != ref:
            continue
        values += trace_values(trace, letter)
    values = _to_axis_units(values, _axis_type(layout, axis))
    return (min(values), max(values)) if values else None


def explicit_range(layout: dict, axis: str) -> tuple[float, float] | None:
    settings = layout.get(axis) or {}
    rng = settings.get("range")
    if rng is None or settings.get("autorange") is True or len(rng) != 2:
        return None
    if any(r is None for r in rng):
        return None
    try:
        low, high = float(rng[0]), float(rng[1])
    except (TypeError, ValueError):
        return None  # dates or categories: not checked
    return (min(low, high), max(low, high))


def _inside(value: float, low: float, high: float) -> bool:
    slack = TOLERANCE * max(high - low, 1e-12)
    return low - slack <= value <= high + slack


# --------------------------------------------------------------------------- the rules

#: On an axis plotly ranges itself, a shape or label may sit this far (share of the data's span)
#: beyond the data before it stretches the axis (plotly widens the range to include it).
STRETCH = 0.5


def _placement_problem(spec: dict, axis: str, values: list[float]) -> str:
    """Why a shape's or annotation's positions (already in the axis's units) are misplaced on
    ``axis``, or "" if they are not: outside an explicit range, or so far from the data of an axis
    plotly ranges itself that the data are squashed."""
    if not values:
        return ""
    log = " (log10 units on a log axis)" if _axis_type(spec["layout"], axis) == "log" else ""
    rng = explicit_range(spec["layout"], axis)
    if rng is not None:
        if all(_inside(v, *rng) for v in values):
            return ""
        return f"lies outside the plotted {axis} range [{rng[0]:.3g}, {rng[1]:.3g}]{log}"
    extent = data_extent(spec, axis)
    if extent is None:
        return ""
    slack = STRETCH * max(extent[1] - extent[0], 1e-9)
    if all(extent[0] - slack <= v <= extent[1] + slack for v in values):
        return ""
    return (f"lies far outside {axis}'s data [{extent[0]:.3g}, {extent[1]:.3g}]{log}: plotly stretches "
            "the axis to reach it and squashes the data")


def _shape_label(shape: dict, index: int) -> str:
    where = []
    for letter in "xy":
        ref = shape.get(f"{letter}ref", letter)
        if "domain" not in ref and ref != "paper" and shape.get(f"{letter}0") is not None:
            start, end = shape.get(f"{letter}0"), shape.get(f"{letter}1")
            where.append(f"{letter}={start}" if start == end else f"{letter}={start}..{end}")
    label = text_of(value_at(shape, "label", "text"))
    return f"shape {index} ({shape.get('type', 'line')}{' at ' + ', '.join(where) if where else ''}" \
           f"{', ' + repr(label) if label else ''})"


def shape_problems(spec: dict) -> list[str]:
    """Shapes (reference lines, bands) that draw nothing, or sit outside the plotted range."""
    layout = spec["layout"]
    problems = []
    for index, shape in enumerate(layout.get("shapes") or []):
        if shape.get("visible", True) is False:
            continue
        name = _shape_label(shape, index)
        width = value_at(shape, "line", "width")
        if width is None:
            width = _layered(layout, "shapedefaults", "line", "width", default=DEFAULT_SHAPE_WIDTH)
        opacity = shape.get("opacity")
        if opacity is None:
            opacity = _layered(layout, "shapedefaults", "opacity", default=1)
        filled = shape.get("type") in ("rect", "circle", "path") and shape.get("fillcolor") not in (
            None, "rgba(0,0,0,0)", "transparent")
        if float(opacity) <= 0:
            problems.append(f"{name} has opacity 0: it is invisible")
        elif float(width) <= 0 and not filled:
            problems.append(f"{name} is drawn with line width 0: only its label shows (set "
                            "line_width; the simple_white template's shapes default to 0)")
        for letter in "xy":
            ref = shape.get(f"{letter}ref", letter)
            if ref == "paper" or "domain" in ref:
                continue
            axis = _axis_key(ref)
            axis_type = _axis_type(layout, axis)
            values = _to_axis_units(numbers_in([shape.get(f"{letter}0"), shape.get(f"{letter}1")]),
                                    axis_type)
            problem = _placement_problem(spec, axis, values)
            if problem:
                problems.append(f"{name} {problem}")
    return problems


def axis_problems(spec: dict) -> list[str]:
    """Log axes without a log10 range that fits their data; explicit ranges that cut data off;
    annotations placed outside their axis."""
    layout, problems = spec["layout"], []
    for axis in axis_names(layout, spec["data"]):
        axis_type = _axis_type(layout, axis)
        extent = data_extent(spec, axis)
        rng = explicit_range(layout, axis)
        if axis_type == "log":
            if extent is None:
                continue
            if rng is None:
                problems.append(f"{axis} is a log axis without a range: give it one in log10 units "
                                f"(its data span [{extent[0]:.2f}, {extent[1]:.2f}] in log10)")
                continue
            if not (_inside(extent[0], *rng) and _inside(extent[1], *rng)):
                problems.append(f"{axis} is a log axis whose range [{rng[0]:.3g}, {rng[1]:.3g}] does "
                                f"not contain its data ([{extent[0]:.2f}, {extent[1]:.2f}] in log10 "
                                "units): a log axis takes its range in log10 units")
            elif (rng[1] - rng[0]) > (extent[1] - extent[0]) + SPARE_DECADES:
                problems.append(f"{axis} is a log axis whose range [{rng[0]:.3g}, {rng[1]:.3g}] is far "
                                f"wider than its data ([{extent[0]:.2f}, {extent[1]:.2f}] in log10 "
                                "units): the data are squashed")
        elif rng is not None and extent is not None:
            if not (_inside(extent[0], *rng) and _inside(extent[1], *rng)):
                problems.append(f"{axis}'s range [{rng[0]:.3g}, {rng[1]:.3g}] cuts off data (which "
                                f"span [{extent[0]:.3g}, {extent[1]:.3g}])")
    for index, note in enumerate(layout.get("annotations") or []):
        if note.get("visible", True) is False:
            continue
        for letter in "xy":
            ref = note.get(f"{letter}ref", letter)
            if ref == "paper" or "domain" in ref or note.get(letter) is None:
                continue
            axis = _axis_key(ref)
            # An annotation's position on a log axis is in log10 units already (plotly's rule).
            if _is_categorical([note.get(letter)]):
                continue
            problem = _placement_problem(spec, axis, numbers_in([note.get(letter)]))
            if problem:
                problems.append(f"annotation {index} ({text_of(note.get('text'))!r}) at {letter}="
                                f"{note.get(letter)} {problem}")
    return problems


#: Trace types plotly.js leaves out of the legend unless they say ``showlegend=True`` (a heatmap's
#: colours are explained by its colour bar, not a legend entry).
NOT_IN_LEGEND = {"heatmap", "heatmapgl", "contour", "histogram2d", "histogram2dcontour", "surface",
                 "mesh3d", "cone", "streamtube", "volume", "isosurface", "choropleth",
                 "choroplethmapbox", "choroplethmap", "densitymapbox", "densitymap", "image"}


def _listed(trace: dict) -> bool:
    """Whether plotly lists the trace in the legend (when the legend shows)."""
    if trace.get("type", "scatter") in NOT_IN_LEGEND:
        return trace.get("showlegend") is True
    return trace.get("showlegend", True) is not False


def _shows_legend(spec: dict) -> bool:
    layout = spec["layout"]
    if layout.get("showlegend") is not None:
        return bool(layout["showlegend"])
    shown = [t for t in spec["data"] if _listed(t)]
    return len(shown) > 1 or any(t.get("showlegend") is True for t in spec["data"])


def legend_entries(spec: dict) -> list[str]:
    """The names the legend lists (one per legend group)."""
    names, groups = [], set()
    for trace in spec["data"]:
        if not _listed(trace) or trace.get("visible", True) is False:
            continue
        group = trace.get("legendgroup")
        if group and group in groups:
            continue
        groups.add(group)
        names.append(text_of(trace.get("name", "")))
    return names


def legend_rows(spec: dict, width: float) -> int:
    """How many rows a horizontal legend takes in ``width`` px. Each entry is its symbol and gap
    (about 40 px) and its name; one row if they all fit, else plotly lines them up in columns as
    wide as the widest entry."""
    size = _font_size(spec["layout"], "legend")
    entries = [40 + text_width(name, size) * LEGEND_CHAR_EM / CHAR_EM for name in legend_entries(spec)]
    if not entries or sum(entries) <= width:
        return 1
    columns = max(1, int(width // max(entries)))
    return -(-len(entries) // columns)


def legend_width(spec: dict) -> float:
    size = _font_size(spec["layout"], "legend")
    return max((40 + text_width(n, size) for n in legend_entries(spec)), default=0.0)


def _title_block(layout: dict) -> float:
    title = text_of(layout.get("title"))
    if not title.strip():
        return 0.0
    size = _font_size(layout, "title", scale=TITLE_SCALE)
    return _lines(title) * size * LINE_HEIGHT + 16


def top_needed(spec: dict, width: float = WIDTH) -> float:
    """The top margin (px) the title and a legend above the plot need, stacked."""
    layout = spec["layout"]
    need = _title_block(layout)
    if _shows_legend(spec) and legend_on_top(layout):
        size = _font_size(layout, "legend")
        need += legend_rows(spec, width) * (size * LINE_HEIGHT + 6) + 4
    # subplot titles are annotations just above their plot, inside the top margin
    if any(value_at(n, "yref") == "paper" and (n.get("y") or 0) >= 1 and n.get("yanchor") == "bottom"
           for n in layout.get("annotations") or []):
        need += _font_size(layout, "annotations") * LINE_HEIGHT + 6
    return need


def legend_on_top(layout: dict) -> bool:
    return (_layered(layout, "legend", "orientation") == "h"
            and float(_layered(layout, "legend", "y", default=-0.1)) >= 1.0)


def _legend_on_right(layout: dict) -> bool:
    return (_layered(layout, "legend", "orientation", default="v") == "v"
            and float(_layered(layout, "legend", "x", default=1.02)) >= 1.0)


def text_problems(spec: dict, width: float = WIDTH) -> list[str]:
    """Titles, axis titles and legends that would be cut off or overlap at ``width`` px."""
    layout = spec["layout"]
    problems = []
    fig_width, height = _size(layout, width)
    margin = _margins(layout)
    title = text_of(layout.get("title"))
    if title.strip():
        size = _font_size(layout, "title", scale=TITLE_SCALE)
        x = float(value_at(layout, "title", "x", default=0.5))
        anchor = value_at(layout, "title", "xanchor", default="auto")
        available = fig_width * (1 - x) if anchor in ("left", "auto") and x < 0.5 else fig_width
        if text_width(title, size) > available - 10:
            problems.append(f"the title {title!r} is about {text_width(title, size):.0f} px wide; "
                            f"the figure has {available - 10:.0f} px for it at {fig_width:.0f} px: "
                            "it is cut off (break it into lines)")
    if _lines(title) > 1 and value_at(layout, "title", "yanchor") == "top" and \
            value_at(layout, "title", "yref", default="container") == "container":
        size = _font_size(layout, "title", scale=TITLE_SCALE)
        anchor = (1 - float(value_at(layout, "title", "y", default=1))) * height + float(
            value_at(layout, "title", "pad", "t", default=0))
        if anchor < ASCENT * size:
            problems.append(f"the title's first line rises above the figure's top edge: a title of "
                            f"{_lines(title)} lines anchored at its top has its first baseline "
                            f"{anchor:.0f} px from the top (plotly.js ignores yanchor for several "
                            f"lines) and needs {ASCENT * size:.0f} px (give title.pad.t more)")
    need = top_needed(spec, fig_width - margin["l"] - margin["r"])
    if need > margin["t"] + 2:
        problems.append(f"the title and the legend need about {need:.0f} px above the plot; the top "
                        f"margin is {margin['t']:.0f} px: they overlap or are cut off")
    if _shows_legend(spec) and _legend_on_right(layout) and legend_width(spec) > margin["r"] + 10:
        problems.append(f"the legend on the right is about {legend_width(spec):.0f} px wide; the right "
                        f"margin is {margin['r']:.0f} px: it squeezes the plot or is cut off")
    plot_w = fig_width - margin["l"] - margin["r"]
    plot_h = height - margin["t"] - margin["b"]
    for axis in axis_names(layout, spec["data"]):
        settings = layout.get(axis) or {}
        if settings.get("visible", True) is False:
            continue
        text = text_of(value_at(settings, "title"))
        if not text.strip():
            continue
        size = float(value_at(settings, "title", "font", "size")
                     or _layered(layout, "font", "size", default=DEFAULT_FONT))
        domain = settings.get("domain") or [0, 1]
        length = text_width(text, size)
        if axis[0] == "x":
            centre = margin["l"] + plot_w * (domain[0] + domain[1]) / 2
            if centre - length / 2 < 0 or centre + length / 2 > fig_width:
                problems.append(f"{axis}'s title {text!r} is about {length:.0f} px long and runs off "
                                f"the figure ({fig_width:.0f} px wide): break it into lines")
        else:
            span = plot_h * (domain[1] - domain[0])
            # centred on its plot; it may not reach up into the title's margin nor below the figure
            if length > span + 10:
                problems.append(f"{axis}'s title {text!r} is about {length:.0f} px long but its plot is "
                                f"{span:.0f} px tall: it is cut off or runs into the title (break it "
                                "into lines)")
            lines = _lines(text)
            if not settings.get("automargin") and lines * size * LINE_HEIGHT + 40 > margin["l"]:
                problems.append(f"{axis}'s title ({lines} lines) and tick labels need more than the "
                                f"left margin of {margin['l']:.0f} px (or set automargin)")
    return problems


_HOVER_FIELDS = re.compile(r"%\{([a-z]+)")


def hover_problems(spec: dict) -> list[str]:
    """Traces a learner can point at that say nothing, or whose hover names a missing field."""
    problems, any_hover = [], False
    for index, trace in enumerate(spec["data"]):
        if not _visible(trace) or not _points(trace):
            continue
        name = text_of(trace.get("name")) or f"trace {index}"
        info = trace.get("hoverinfo")
        if info in ("skip", "none"):
            continue
        template = trace.get("hovertemplate")
        if template:
            templates = [template] if isinstance(template, str) else [t for t in template if t]
            if not templates:
                problems.append(f"trace {name!r} has an empty hover template")
                continue
            any_hover = True
            for field in {f for t in templates for f in _HOVER_FIELDS.findall(t)}:
                if field in ("customdata", "text", "hovertext") and trace.get(field) is None:
                    problems.append(f"trace {name!r}'s hover shows %{{{field}}} but it has no {field}")
            continue
        texts = trace.get("hovertext") if trace.get("hovertext") is not None else trace.get("text")
        if info and "text" in str(info) and texts is not None and (
                isinstance(texts, str) and texts.strip() or not isinstance(texts, str)
                and any(str(t).strip() for t in texts)):
            any_hover = True
            continue
        problems.append(f"trace {name!r} has no hover text (give it a hovertemplate, or "
                        "hoverinfo='skip' if it is only a guide)")
    if spec["data"] and not any_hover and any(_visible(t) and _points(t) for t in spec["data"]):
        problems.append("no trace of the figure has hover text")
    return problems


def empty_group_problems(spec: dict) -> list[str]:
    """Traces drawn, or listed in the legend, for a group with no one in it."""
    problems = []
    legend = _shows_legend(spec)
    for index, trace in enumerate(spec["data"]):
        name = text_of(trace.get("name")) or f"trace {index}"
        count = value_at(trace, "meta", "count")
        if count is not None and _visible(trace) and float(count) == 0 and _points(trace):
            problems.append(f"trace {name!r} is drawn for a group of 0")
        if (legend and trace.get("visible", True) is not False and _listed(trace)
                and not _points(trace)):
            problems.append(f"trace {name!r} is listed in the legend but has no data (hide it when "
                            "its group is empty)")
    return problems


def visible_texts(spec: dict) -> list[str]:
    """Every label a learner reads on the figure: titles, legend names, category labels, tick
    labels, annotations and hover text (without the hover template's placeholders)."""
    layout = spec["layout"]
    texts = [text_of(layout.get("title"))]
    for axis in axis_names(layout, spec["data"]):
        texts.append(text_of(value_at(layout, axis, "title")))
        texts += [str(t) for t in value_at(layout, axis, "ticktext", default=[]) or []]
    texts += [text_of(n.get("text")) for n in layout.get("annotations") or []]
    for trace in spec["data"]:
        if not _visible(trace):
            continue
        texts.append(text_of(trace.get("name")))
        for key in ("x", "y", "labels"):
            values = trace.get(key)
            if _is_categorical(values):
                texts += [str(v) for v in ([values] if isinstance(values, str) else values)]
        for key in ("hovertemplate", "hovertext", "text"):
            values = trace.get(key)
            if values is None or isinstance(values, dict):
                continue
            for value in [values] if isinstance(values, str) else values:
                if isinstance(value, str):
                    texts.append(_PLACEHOLDER.sub("", text_of(value)))
    return [t for t in texts if t]


def wording_problems(spec: dict) -> list[str]:
    """Identifiers (``trust_builder``) where a learner should read words (``trust builder``)."""
    found = sorted({m for text in visible_texts(spec) for m in _IDENTIFIER.findall(text)})
    return [f"the figure shows the identifier {word!r} where words are meant "
            f"({word.replace('_', ' ')!r})" for word in found]


RULES = (shape_problems, axis_problems, text_problems, hover_problems, empty_group_problems,
         wording_problems)


def default_width(figure: Any) -> float:
    """The width a figure is drawn at when it sets none: :data:`WIDGET_WIDTH` for a FigureWidget,
    else :data:`WIDTH`."""
    return WIDGET_WIDTH if type(figure).__name__ == "FigureWidget" else WIDTH


def figure_problems(figure: Any, width: float | None = None) -> list[str]:
    """Everything a learner would see wrong in ``figure`` at ``width`` px (by default the width it
    is drawn at on a laptop: :func:`default_width`); empty when it is right."""
    width = width or default_width(figure)
    spec = as_dict(figure)
    problems = []
    for rule in RULES:
        problems += rule(spec, width) if rule is text_problems else rule(spec)
    return problems


def described(problems: list[str], where: str) -> str:
    """The problems as one message naming the figure."""
    return f"{where}:\n" + "\n".join(f"  - {p}" for p in problems)
