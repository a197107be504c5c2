"""Every lesson explorer: moving a control changes the reading, redraws its figure once, and sends
the browser nothing it drops.

Each message to a FigureWidget is a whole redraw in the browser, so an explorer's move sends one
(trustcircles.plots.one_redraw). plotly's own batch_update() marks "no change" for some traces with
"_undefined_", and plotly 7's front-end then drops those traces (a whole ring of lesson 06 vanished
in the browser); this test catches any "_undefined_" sent from Python.
"""
from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest
from plotly.basedatatypes import Undefined

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from bench_lessons import control_values, is_allowed  # noqa: E402

from trustcircles import plots  # noqa: E402
from trustcircles.widgets import all_explorers  # noqa: E402

FACTORIES = [(lesson, factory) for lesson, factories in all_explorers().items() for factory in factories]


def holds_undefined(value) -> bool:
    if value is Undefined:
        return True
    if isinstance(value, dict):
        return any(holds_undefined(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(holds_undefined(v) for v in value)
    return False


def spy_on(figure, sent: list) -> None:
    """Record every restyle, relayout and update message the figure sends to the browser."""
    for name in ("_send_restyle_msg", "_send_relayout_msg", "_send_update_msg"):
        original = getattr(figure, name)

        def spy(*args, _original=original, **kwargs):
            sent.append((args, kwargs))
            return _original(*args, **kwargs)

        setattr(figure, name, spy)


def move_every_control(explorer, sent: list) -> list[tuple[str, object, int]]:
    """Move each control through a few values; (control, value, messages sent) per move."""
    moves = []
    for name, control in explorer.controls.items():
        before = explorer.reading_text
        moved = [v for v in control_values(control)[:-1] if is_allowed(control, v)]
        assert moved, f"control {name!r} offers no other value"
        for value in moved:
            count = len(sent)
            control.value = value
            moves.append((name, value, len(sent) - count))
            assert explorer.reading_text, f"moving {name!r} left the reading empty"
        assert explorer.reading_text != before or sent, f"moving {name!r} changed nothing"
    return moves


@pytest.mark.parametrize("lesson,factory", FACTORIES, ids=[f"{l}-{f.__name__}" for l, f in FACTORIES])
def test_moving_each_control_updates_cleanly_in_one_redraw(lesson, factory):
    explorer = factory()
    sent = []
    if explorer.figure is not None:
        spy_on(explorer.figure, sent)
    moves = move_every_control(explorer, sent)
    assert not any(holds_undefined(message) for message in sent), \
        "an update sent '_undefined_' for some traces: send it with trustcircles.plots.update_figure"
    several = [f"{name}={value!r}: {count} messages" for name, value, count in moves if count > 1]
    assert not several, "a move redrew the figure more than once (each message is a redraw):\n" \
        + "\n".join(several)


@pytest.mark.parametrize("lesson,factory", FACTORIES, ids=[f"{l}-{f.__name__}" for l, f in FACTORIES])
def test_every_explorer_figure_draws_webgl_at_the_screens_resolution(lesson, factory):
    """plotly's default draws WebGL marks at 2 canvas pixels per screen pixel: four times the
    pixels to fill and copy on every move, the slowest part of a redraw without a graphics card.
    (The browser test checks the canvases as drawn.)"""
    explorer = factory()
    if explorer.figure is not None:
        assert explorer.figure._config.get("plotGlPixelRatio") == plots.WIDGET_CONFIG["plotGlPixelRatio"] == 1


def test_the_one_redraw_check_fails_when_moves_are_not_held_back(monkeypatch):
    """Self-test: with one_redraw doing nothing, lesson 12's explorer sends six messages a move."""
    @contextlib.contextmanager
    def not_held(figure, then=None):
        yield
        if then is not None and figure is not None:
            then(figure)

    monkeypatch.setattr(plots, "one_redraw", not_held)
    from trustcircles.widgets.presence import presence_explorer
    explorer = presence_explorer()
    sent = []
    spy_on(explorer.figure, sent)
    moves = move_every_control(explorer, sent)
    assert max(count for _, _, count in moves) >= 6, moves


def test_one_redraw_sends_a_heatmap_and_a_scatter_in_one_message():
    """A scatter has no z: the one message gives it null (plotly.js leaves it alone), not
    "_undefined_", and the figure holds what was set."""
    figure = go.FigureWidget([go.Scatter(x=[0, 1], y=[0, 1]), go.Heatmap(z=[[0, 1], [1, 0]])])
    sent = []
    spy_on(figure, sent)
    with plots.one_redraw(figure):
        figure.data[0].x = [2, 3]
        figure.data[1].z = [[1, 1], [0, 0]]
        figure.layout.title.text = "changed"
    assert len(sent) == 1, sent
    (kwargs,) = [k for _, k in sent]
    assert kwargs["trace_indexes"] == [0, 1]
    assert kwargs["restyle_data"]["z"][0] is None
    assert kwargs["relayout_data"] == {"title.text": "changed"}
    assert list(figure.data[0].x) == [2, 3] and [list(r) for r in figure.data[1].z] == [[1, 1], [0, 0]]
    assert not holds_undefined(sent)


def test_one_redraw_does_not_resend_a_long_unchanged_array():
    """Trace 1's long x is not sent again to join trace 0's change of x: two messages instead."""
    figure = go.FigureWidget([go.Scatter(x=[0, 1], y=[0, 1]), go.Scatter(x=np.arange(1000), y=[0, 1])])
    sent = []
    spy_on(figure, sent)
    with plots.one_redraw(figure):
        figure.data[0].x = [5, 6]
        figure.data[1].y = np.arange(1000)
    assert len(sent) == 2, sent
    assert [0] in [k["trace_indexes"] for _, k in sent]  # trace 0's x, without trace 1's
    assert list(figure.data[0].x) == [5, 6] and len(figure.data[1].y) == 1000


def test_a_move_that_changes_nothing_sends_nothing_and_every_change_goes():
    """Layout changes are compared with what the figure holds, shapes and annotations too
    (``figure.layout.shapes`` keeps the old shapes after a relayout; plotly's dict has the new)."""
    figure = go.FigureWidget(go.Scatter(x=[0, 1], y=[0, 1]))
    figure.add_annotation(x=0, y=0, text="a")
    sent = []
    spy_on(figure, sent)
    line = {"type": "line", "x0": 0, "x1": 1, "y0": 0, "y1": 1}
    steps = [({"shapes": [line]}, 1), ({"shapes": [line]}, 0), ({"shapes": [{**line, "x0": 0.5}]}, 1),
             ({"shapes": []}, 1), ({"shapes": []}, 0), ({"annotations[0].text": "a"}, 0),
             ({"annotations[0].text": "b"}, 1), ({"title.text": "T", "annotations[0].text": "b"}, 1),
             ({"title.text": "T"}, 0)]
    for layout, expected in steps:
        count = len(sent)
        plots.update_figure(figure, {0: {"x": [0, 1]}}, layout)
        assert len(sent) - count == expected, (layout, sent[count:])
    assert list(sent[-1][1]["relayout_data"]) == ["title.text"]  # the unchanged note is left out
    assert figure._layout["shapes"] == [] and figure.layout.annotations[0].text == "b"


def pruned(value):
    """A figure's dict without empty parts ({"marker": {}} says no more than no marker)."""
    if isinstance(value, dict):
        kept = {k: pruned(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v != {}}
    if isinstance(value, list):
        return [pruned(v) for v in value]
    return value


def test_one_redraw_leaves_the_figure_as_unbatched_changes_do():
    """The same changes, held back and sent at once or sent one by one, give the same figure (a
    property resent to a trace that has no value for it leaves at most an empty part)."""
    def change(figure):
        figure.data[0].x = [4, 5, 6]
        figure.data[0].marker.color = "red"
        figure.data[1].y = [7, 8]
        figure.layout.xaxis.range = [0, 10]

    def build():
        return go.FigureWidget([go.Scatter(x=[1, 2, 3], y=[1, 2, 3]), go.Bar(x=["a", "b"], y=[1, 2])])

    plain, held = build(), build()
    change(plain)
    with plots.one_redraw(held, then=plots.fit):
        change(held)
    plots.fit(plain)
    for figure in (plain, held):
        for trace in figure.data:
            trace.uid = None
    assert pruned(held.to_dict()) == pruned(plain.to_dict())


def test_tables_name_every_header_cell_and_each_box_differently():
    """axe-core, in the browser test: no empty header cell (pandas leaves the corner above the
    index empty), and two table boxes on a page are two regions a screen reader tells apart."""
    import re

    import pandas as pd

    from trustcircles.widgets import table_html

    ties = pd.DataFrame({"actor": ["a", "b"], "target": ["b", "a"], "events": [3, 1], "": [0, 1]},
                        index=pd.Index(["t1", "t2"]))
    first, second = table_html(ties), table_html(ties)  # the same table twice: still two names
    for shown in (first, second):
        headers = re.findall(r"<th(?:\s[^>]*)?>(.*?)</th>", shown, re.S)
        assert headers and all(h.strip() for h in headers), headers
    names = [re.search(r'aria-label="([^"]+)"', shown).group(1) for shown in (first, second)]
    assert names[0] != names[1], names
    assert names[0].endswith("2 rows: row, actor, target and 2 more"), names
    assert table_html(ties.head(1)).count("1 row:") == 1


def test_tables_write_counts_with_thousands_separators_as_sentences_do():
    """98,880 in a sentence is 98,880 in a table too (pandas writes 98880); decimals, text and
    missing values are left as pandas writes them."""
    import pandas as pd

    from trustcircles.widgets import table_html

    frame = pd.DataFrame({"messages": [98880, 7], "share": [0.25, 1.5], "account": ["u1", "u2"],
                          "answered": pd.array([1234, None], dtype="Int64"), "mutual": [True, False]})
    shown = table_html(frame)
    assert "<td>98,880</td>" in shown and "<td>1,234</td>" in shown and "98880" not in shown
    assert "<td>0.25</td>" in shown and "<td>True</td>" in shown


def test_lesson_05_grid_shows_the_links_and_the_density_its_sentence_gives():
    """The picture and the sentence agree: the grid's links add up to the number the reading
    gives, and its shading averages to the account's ego density (whole percents per block)."""
    import re

    from trustcircles import figure_check
    from trustcircles.widgets.audience import audience_explorer, examples

    explorer = audience_explorer()
    picker = explorer.controls["account"]
    blocks_seen = singles_seen = 0
    for account in examples(explorer.frame).values():
        picker.value = account
        reading = explorer.reading_text
        grid = explorer.figure.data[explorer.GRID]
        links, pairs = (int(n.replace(",", "")) for n in
                        re.search(r"\(([\d,]+) of ([\d,]+)\)", reading).groups())
        shade = np.array(figure_check.decoded(grid.z), dtype=float)
        density = explorer.frame.loc[account, "ego_density"]
        assert int(re.search(r"Ego density: (\d+)%", reading).group(1)) == round(density * 100)
        assert abs(links / pairs - density) < 1e-9
        if grid.zmax == 1:  # one row and column per contact: 1 where two talk, both ways round
            singles_seen += 1
            assert shade.sum() / 2 == links
        else:  # blocks: each cell's links in its hover, its shade the percentage of its pairs
            blocks_seen += 1
            per_block = np.array(figure_check.decoded(grid.customdata), dtype=float)
            once = np.triu(np.ones_like(per_block, dtype=bool))  # the grid is symmetric
            assert (per_block == per_block.T).all() and per_block[once].sum() == links
            step = int(re.search(r"blocks? of (\d+) by", reading).group(1))
            k = int(re.search(r"among its ([\d,]+) contacts", reading).group(1).replace(",", ""))
            members = np.bincount(np.arange(k) // step).astype(float)
            cell_pairs = np.outer(members, members)
            np.fill_diagonal(cell_pairs, members * (members - 1) / 2)
            assert cell_pairs[once].sum() == pairs
            assert abs((shade / 100 * cell_pairs)[once].sum() / pairs - density) <= 0.005
    assert blocks_seen and singles_seen  # both kinds of grid were checked
