"""The course's plotly template (trustcircles.plots.course_template): simple_white as the course's
figures see it, built without plotly's classes for the kinds of trace the course never draws."""
from __future__ import annotations

import subprocess
import sys

import plotly.graph_objects as go
import plotly.io as pio

from trustcircles import plots


def test_the_course_template_is_simple_white_for_every_trace_the_course_draws():
    ours, simple_white = pio.templates[plots.TEMPLATE], pio.templates["simple_white"]
    assert ours.layout.to_plotly_json() == simple_white.layout.to_plotly_json()
    kept = ours.data.to_plotly_json()
    full = simple_white.data.to_plotly_json()
    assert kept == {kind: full[kind] for kind in plots.TRACE_TYPES if kind in full}
    assert set(full) - set(kept), "simple_white has nothing the course leaves out"


def test_a_course_figure_is_drawn_as_with_simple_white():
    def figure(template):
        fig = plots.style(go.Figure([go.Bar(x=["a", "b"], y=[1, 2], name="bars"),
                                     go.Scatter(x=["a", "b"], y=[2, 1], name="line")]),
                          "A title", "x (units)", "y (units)")
        fig.update_layout(template=template)
        return fig.to_plotly_json()
    ours, theirs = figure(plots.TEMPLATE), figure("simple_white")
    # everything but the defaults for kinds of trace this figure does not have
    theirs["layout"]["template"]["data"] = {kind: value for kind, value in theirs["layout"]["template"]["data"].items()
                                            if kind in plots.TRACE_TYPES}
    assert ours == theirs


def test_figures_built_before_style_get_the_course_template_not_plotlys():
    assert pio.templates.default == plots.TEMPLATE
    assert go.FigureWidget().layout.template.to_plotly_json() == pio.templates[plots.TEMPLATE].to_plotly_json()


def test_drawing_a_course_figure_sets_up_no_class_for_traces_it_does_not_draw():
    # a figure made and shown as a lesson does: plotly's 3-D scatter (in every full template) never loads
    code = ("import sys\nfrom trustcircles import plots\nimport plotly.graph_objects as go\n"
            "fig = plots.style(go.FigureWidget(go.Bar(x=[1], y=[2])), 't', 'x', 'y')\n"
            "fig.to_plotly_json(); go.Figure(go.Scatter(x=[1], y=[2])).to_plotly_json()\n"
            "print('plotly.graph_objs._scatter3d' in sys.modules)")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "False"
    # ... as it does with plotly's own default (the test can fail)
    code = code.replace("from trustcircles import plots\n", "from trustcircles import plots\nimport plotly.io as pio\n"
                        "pio.templates.default = 'plotly'\n")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "True"


# --------------------------------------------------------------------------- plotly's validator specifications

def test_every_validator_specification_is_read_as_plotly_reads_the_file():
    import json

    from plotly.validator_cache import ValidatorCache
    specs = ValidatorCache._json_cache
    assert isinstance(specs, plots.ValidatorSpecs), "plotly holds its whole file again"
    with open(specs.path, encoding="utf-8") as handle:
        whole = json.load(handle)
    assert len(specs) == len(whole)
    assert all(specs.get(key) == value for key, value in whole.items())
    assert specs.get("no.such.property") is None


def test_plotly_alone_keeps_the_whole_file():
    # the guard above would pass by luck if plotly read its file lazily itself: show what it does
    code = ("import plotly.graph_objects as go\nfrom plotly.validator_cache import ValidatorCache\n"
            "go.Figure(go.Bar(x=[1], y=[2]))\nprint(type(ValidatorCache._json_cache).__name__)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "dict"


def test_a_file_laid_out_otherwise_is_left_to_plotly(tmp_path):
    import json
    compact = tmp_path / "_validators.json"
    compact.write_text(json.dumps({"layout": {"params": {}, "superclass": "CompoundValidator"}}))
    assert plots.ValidatorSpecs.index(compact) is None


def test_figures_are_the_same_with_the_specifications_read_one_at_a_time():
    code = ("import json\nfrom trustcircles import plots\nimport plotly.graph_objects as go\n"
            "from plotly.validator_cache import ValidatorCache\n"
            "def draw():\n"
            "    fig = plots.style(go.Figure([go.Bar(x=['a'], y=[1], marker_color='red'), go.Heatmap(z=[[1, 2]]),\n"
            "                                 go.Scatter(x=[1], y=[2], mode='lines+markers', line_dash='dot')]),\n"
            "                      'title', 'x (units)', 'y (units)')\n"
            "    return json.dumps(fig.to_plotly_json(), sort_keys=True, default=str)\n"
            "ours = draw()\n"
            "ValidatorCache._cache.clear(); ValidatorCache._json_cache = None   # plotly's own way\n"
            "print(draw() == ours, type(ValidatorCache._json_cache).__name__)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.split() == ["True", "dict"]
