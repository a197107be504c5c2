"""The figure check (trustcircles.figure_check): every figure the package draws passes, and each
rule fails on a figure that breaks it.

Checked here: every registered explorer's figure after every move of every control, and the
report's figures (whole table and one account, on the community and on lesson 10's example
exports). The lessons' own figures are checked on their one run, in tests/test_lessons.py; the
browser test checks the figures as drawn.
"""
from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from bench_lessons import control_values, is_allowed  # noqa: E402

from trustcircles import plots, report  # noqa: E402
from trustcircles.figure_check import figure_problems  # noqa: E402
from trustcircles.widgets import all_explorers  # noqa: E402

FACTORIES = [(lesson, factory) for lesson, factories in all_explorers().items() for factory in factories]


@pytest.mark.parametrize("lesson,factory", FACTORIES, ids=[f"{l}-{f.__name__}" for l, f in FACTORIES])
def test_every_explorer_figure_passes_after_every_move(lesson, factory):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        explorer = factory()
        seen = [("start", figure_problems(explorer.figure))]
        for name, control in explorer.controls.items():
            for value in control_values(control):
                if is_allowed(control, value):
                    control.value = value
                    seen.append((f"{name}={value!r}", figure_problems(explorer.figure)))
    failures = [f"after {move}: {problem}" for move, problems in seen for problem in problems]
    assert not failures, "\n".join(failures)


def report_figures():
    from trustcircles.topics import community
    from trustcircles.widgets.own_circle import EXAMPLES, example_table

    table, _ = community()
    busiest = table["actor"].value_counts().index[0]
    yield "community", report.build_figures(report.Facts(table, None))
    yield f"community, {busiest}", report.build_figures(report.Facts(table, busiest))
    for kind in EXAMPLES:
        yield f"{kind} export, me", report.build_figures(report.Facts(example_table(kind), "me"))


def test_every_report_figure_passes():
    failures = [f"{where}, figure {i} ({figure.layout.title.text!r}): {problem}"
                for where, figures in report_figures()
                for i, (figure, _) in enumerate(figures) for problem in figure_problems(figure)]
    assert not failures, "\n".join(failures)


# --------------------------------------------------------------------------- each rule can fail

def lesson_08_curves():
    from trustcircles.widgets import adoption
    return adoption.curves_figure(adoption.staff_events())


def report_response_times():
    from trustcircles.topics import community
    return report.build_figures(report.Facts(community()[0], None))[2][0]


@pytest.mark.parametrize("make", [lesson_08_curves, report_response_times],
                         ids=["lesson 08 half the team", "report 48 h"])
def test_fails_when_a_reference_line_width_is_set_back_to_0(make):
    figure = make()
    assert figure_problems(figure) == []
    figure.layout.shapes[0].line.width = 0
    assert any("line width 0" in p for p in figure_problems(figure))
    figure.layout.shapes[0].line.width = None  # the simple_white template's default: 0
    assert any("line width 0" in p for p in figure_problems(figure))


def simple(**layout) -> go.Figure:
    figure = plots.Figure(go.Scatter(x=[1, 10, 100], y=[0.1, 0.5, 0.9], name="a",
                                     hovertemplate="%{x}: %{y}<extra></extra>"))
    return plots.style(figure.update_layout(**layout), "A figure", "x (count)", "y (share)")


def test_a_plain_styled_figure_passes():
    assert figure_problems(simple()) == []


def test_fails_on_a_shape_outside_an_explicit_range():
    figure = simple()
    figure.update_xaxes(range=[0, 120])
    plots.reference_line(figure, x=150, label="too far")
    assert any("outside the plotted xaxis range" in p for p in figure_problems(figure))


def test_fails_on_a_log_axis_given_hours_or_no_range():
    figure = simple()
    figure.update_xaxes(type="log")
    assert any("log axis without a range" in p for p in figure_problems(figure))
    figure.update_xaxes(range=[1, 168])  # hours, where log10 units are expected
    assert any("does not contain its data" in p for p in figure_problems(figure))
    figure.update_xaxes(range=[-3.3, 48])
    assert any("far wider than its data" in p for p in figure_problems(figure))
    figure.update_xaxes(range=plots.log_range([1, 10, 100]))
    assert figure_problems(figure) == []


def test_fails_on_a_label_placed_in_data_units_on_a_log_axis():
    figure = simple()
    figure.update_xaxes(type="log", range=plots.log_range([1, 100]))
    figure.add_annotation(x=48, y=0.5, text="48 h", showarrow=False)  # 10^48 on a log axis
    assert any("annotation 0 ('48 h')" in p and "log10" in p for p in figure_problems(figure))
    figure = simple()
    figure.update_xaxes(type="log", range=plots.log_range([1, 100], include=[48]))
    plots.reference_line(figure, x=48, label="48 h")  # placed at log10(48)
    assert figure_problems(figure) == []


def test_fails_on_a_linear_range_that_cuts_data_off():
    figure = simple()
    figure.update_yaxes(range=[0, 0.5])
    assert any("cuts off data" in p for p in figure_problems(figure))


def test_fails_on_titles_too_long_for_a_laptop_screen():
    figure = simple()
    figure.layout.title.text = "A title that goes on and on about what the figure shows " * 2
    assert any("the title" in p and "cut off" in p for p in figure_problems(figure))
    plots.fit(figure)  # broken into lines, with a top margin that holds them
    assert figure_problems(figure) == []
    figure = simple()
    figure.layout.yaxis.title.text = "ego density: share of possible links among its contacts (0-1)"
    figure.layout.height = 380
    assert any("yaxis's title" in p for p in figure_problems(figure))
    plots.fit(figure)
    assert figure_problems(figure) == []


def test_fails_on_a_title_of_several_lines_that_rises_above_the_figure():
    """plotly.js puts the first baseline of a title of several lines on its top anchor (it ignores
    yanchor then), so with the course's 10 px pad the first line is cut off at the top edge (seen
    in Chromium: 8 px above the figure); fit moves it down, and back up when it is one line again."""
    figure = simple()
    plots.fit(figure)
    assert figure.layout.title.pad.t == plots.TITLE_PAD and figure_problems(figure) == []
    figure.layout.title.text = "What comes back: replies received per message<br>by how much an account broadcasts"
    assert any("rises above the figure's top edge" in p for p in figure_problems(figure))
    plots.fit(figure)
    assert figure.layout.title.pad.t > plots.TITLE_PAD and figure_problems(figure) == []
    figure.layout.title.text = "Short again"
    plots.fit(figure)
    assert figure.layout.title.pad.t == plots.TITLE_PAD


def test_fails_on_a_legend_that_covers_the_title():
    figure = simple()
    for i in range(8):
        figure.add_trace(go.Scatter(x=[1], y=[0.5], name=f"a rather long legend entry {i}",
                                    hovertemplate="%{y}<extra></extra>"))
    assert any("the title and the legend" in p for p in figure_problems(figure))
    plots.fit(figure)
    assert figure_problems(figure) == []


def test_a_heatmap_is_not_a_legend_entry_unless_it_asks():
    """plotly.js lists a heatmap in the legend only with showlegend=True (seen in Chromium: lesson
    05's ego network draws six entries, not seven). Counting it made the browser check ask for a
    24 px taller top margin than the kernel's fit, which saw plotly's default, had given."""
    from trustcircles.figure_check import legend_entries
    figure = simple()
    figure.add_trace(go.Scatter(x=[1], y=[0.5], name="b", hovertemplate="%{y}<extra></extra>"))
    figure.add_trace(go.Heatmap(z=[[0, 1]], name="links", showscale=False, hovertemplate="%{z}<extra></extra>"))
    assert legend_entries(figure.to_dict()) == ["a", "b"]
    figure.data[-1].showlegend = True
    assert legend_entries(figure.to_dict()) == ["a", "b", "links"]


def test_fails_without_hover_text_or_with_a_missing_field():
    figure = simple()
    figure.data[0].hovertemplate = None
    assert any("no hover text" in p for p in figure_problems(figure))
    figure.data[0].hovertemplate = "%{customdata[0]}<extra></extra>"
    assert any("has no customdata" in p for p in figure_problems(figure))
    figure.data[0].hoverinfo = "skip"  # a guide line only: allowed, but then nothing has hover
    assert any("no trace of the figure has hover text" in p for p in figure_problems(figure))


def test_fails_on_a_group_of_nobody_drawn_or_listed():
    rings = plots.circle_rings([0, 3, 5], ["inner", "close", "active"], "Rings")
    assert figure_problems(rings) == []  # the ring of 0 is not drawn
    rings.data[-1].x, rings.data[-1].y = np.cos(np.arange(5)), np.sin(np.arange(5))
    assert any("drawn for a group of 0" in p for p in figure_problems(rings))
    figure = simple()
    figure.add_trace(go.Scatter(x=[], y=[], name="nobody", hovertemplate="%{y}<extra></extra>"))
    assert any("listed in the legend but has no data" in p for p in figure_problems(figure))


def test_fails_on_identifiers_where_words_are_meant():
    figure = plots.bars(["trust_builder", "broadcaster"], [1, 2], "Bars", "archetype", "count")
    assert any("'trust_builder'" in p for p in figure_problems(figure))


def test_numbers_table_says_what_the_figure_plots():
    figure = plots.bars(["trust builder", "broadcaster"], [0.74, 0.2], "Shares", "archetype", "share (%)")
    figure.update_yaxes(tickformat=".0%")
    table = plots.numbers_html(figure)
    assert "Numbers in this figure: Shares" in table and "trust builder: 74%" in table
    rings = plots.circle_rings([2, 0, 98880], ["inner", "close", "active"], "Rings", value_format="{:,.0f}")
    assert "98,880" in plots.numbers_html(rings)
    assert plots.format_number(14808) == "14,808" and plots.format_number(0.74, percent=True) == "74%"
