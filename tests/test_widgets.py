"""Every lesson explorer: moving a control changes the reading, and sends the browser nothing it drops.

plotly marks "no change" for some traces of a batched update with "_undefined_", and plotly 7's
front-end then drops those traces (a whole ring of lesson 06 vanished in the browser). Explorers
therefore update their figures unbatched; this test catches any "_undefined_" sent from Python.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from plotly.basedatatypes import Undefined

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from bench_lessons import control_values, is_allowed  # noqa: E402

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


@pytest.mark.parametrize("lesson,factory", FACTORIES, ids=[f"{l}-{f.__name__}" for l, f in FACTORIES])
def test_moving_each_control_updates_cleanly(lesson, factory):
    explorer = factory()
    sent = []
    if explorer.figure is not None:
        figure = explorer.figure
        for name in ("_send_restyle_msg", "_send_relayout_msg", "_send_update_msg"):
            original = getattr(figure, name)

            def spy(*args, _original=original, **kwargs):
                sent.append((args, kwargs))
                return _original(*args, **kwargs)

            setattr(figure, name, spy)
    for name, control in explorer.controls.items():
        before = explorer.reading_text
        moved = [v for v in control_values(control)[:-1] if is_allowed(control, v)]
        assert moved, f"control {name!r} offers no other value"
        control.value = moved[-1]
        assert explorer.reading_text, f"moving {name!r} left the reading empty"
        assert explorer.reading_text != before or sent, f"moving {name!r} changed nothing"
    assert not any(holds_undefined(message) for message in sent), \
        "an update sent '_undefined_' for some traces: update the figure unbatched"


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
