"""The house rules of trustcircles (CONTRIBUTING.md, "The house"), read from the source.

* no import cycle among the package's modules (imports inside functions count too);
* each room imports only the rooms CONTRIBUTING.md allows it (``ROOMS`` below is that table);
* checks never reach widgets or plots, directly or through other modules, and neither do topics:
  a graded notebook loads no ipywidgets and no plotly (also checked by running the checks);
* no module takes another module's private names (``from x import _name`` or ``x._name``);
* only the command line parses a command line (argparse).

Each rule is a function of a module graph (or of a source text), and a test feeds it a small graph
or source that breaks the rule, to show it would notice.
"""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "trustcircles"

#: room -> the rooms it may import (besides itself). A room is the first part of a module's name
#: after ``trustcircles`` (``trustcircles.topics.welcome`` is in ``topics``); the package's own
#: ``__init__`` is the room ``trustcircles``. CONTRIBUTING.md's "The house" lists the same.
ROOMS = {
    "trustcircles": set(),
    "__main__": {"cli"},
    "schema": set(),
    "patterns": set(),
    "prefetch": set(),
    "data": {"schema", "prefetch"},
    "anonymise": {"data", "patterns"},
    "simulate": {"data", "anonymise", "metrics"},
    "metrics": {"data"},
    "plots": {"figure_check"},
    "figure_check": set(),
    "importers": {"data", "anonymise", "patterns"},
    "realdata": {"data", "metrics", "simulate"},
    "topics": {"data", "metrics", "anonymise", "importers"},
    "report": {"data", "metrics", "plots", "importers"},
    "widgets": {"data", "metrics", "plots", "report", "simulate", "topics"},
    "checks": {"data", "metrics", "topics"},
    "grading": {"data", "plots", "checks"},
    "hub": {"grading"},
    "commands": {"data", "report", "importers", "simulate", "grading", "realdata", "hub"},
    "cli": {"trustcircles", "prefetch", "commands", "data"},
    "kernel": set(),
}
#: External packages that draw or make widgets: never loaded by a graded notebook's checks.
FIGURE_LIBRARIES = {"plotly", "ipywidgets", "anywidget"}
#: Rooms a graded notebook loads (through trustcircles.checks): no figures, no widgets.
NO_FIGURES = ("checks", "topics")


# --------------------------------------------------------------------------- reading the package

def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_sources() -> dict[str, str]:
    return {module_name(p): p.read_text(encoding="utf-8") for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(source: str, name: str, modules: set[str]) -> tuple[set[str], set[str]]:
    """(trustcircles modules, external top-level packages) that a module's source imports, at any
    depth (inside functions too). ``from trustcircles.a import b`` imports the module
    ``trustcircles.a.b`` if there is one, else ``trustcircles.a``."""
    inner, outer = set(), set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            targets = [f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in modules
                       else node.module for alias in node.names]
        else:
            continue
        for target in targets:
            if target.split(".")[0] == "trustcircles":
                inner.add(target if target in modules else target.rsplit(".", 1)[0])
            elif target != "__future__":
                outer.add(target.split(".")[0])
    inner.discard(name)
    return inner, outer


def package_graph() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    sources = package_sources()
    modules = set(sources)
    graph, external = {}, {}
    for name, source in sources.items():
        graph[name], external[name] = imports_of(source, name, modules)
    return graph, external


def room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


# --------------------------------------------------------------------------- the rules

def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every group of modules that import each other, directly or round a circle (Tarjan's
    strongly connected components of more than one module, or a module importing itself)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph.get(node, ()):
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for other in graph.get(todo.pop(), ()):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def room_violations(graph: dict[str, set[str]], rooms: dict[str, set[str]]) -> list[str]:
    """Imports from a room into a room it may not import (and modules in no known room)."""
    problems = []
    for module, imported in sorted(graph.items()):
        home = room(module)
        if home not in rooms:
            problems.append(f"{module}: its room {home!r} is not in the house (add it to ROOMS and "
                            "CONTRIBUTING.md)")
            continue
        for other in sorted(imported):
            if room(other) != home and room(other) not in rooms[home]:
                problems.append(f"{module} imports {other}: {home} may not import {room(other)}")
    return problems


def figure_leaks(graph: dict[str, set[str]], external: dict[str, set[str]],
                 rooms=NO_FIGURES) -> list[str]:
    """Modules of ``rooms`` that reach widgets, plots or a figure library, directly or not."""
    problems = []
    for module in sorted(graph):
        if room(module) not in rooms:
            continue
        for other in sorted(reachable(graph, module) | {module}):
            if room(other) in ("widgets", "plots") and other != module:
                problems.append(f"{module} reaches {other}")
            for library in sorted(external.get(other, set()) & FIGURE_LIBRARIES):
                problems.append(f"{module} reaches {library} (through {other})")
    return problems


def private_uses(source: str, module: str, modules: set[str]) -> list[str]:
    """Another trustcircles module's private names used in this source: ``from x import _name``
    and ``x._name`` (dunder names such as ``__version__`` are public)."""
    def private(name: str) -> bool:
        return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))

    tree = ast.parse(source)
    aliases: dict[str, str] = {}   # local name -> trustcircles module it is bound to
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("trustcircles"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                if full in modules:
                    aliases[alias.asname or alias.name] = full
                elif private(alias.name) and node.module != module:
                    problems.append(f"{module}: from {node.module} import {alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("trustcircles") and alias.asname:
                    aliases[alias.asname] = alias.name
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in aliases and aliases[node.value.id] != module and private(node.attr)):
            problems.append(f"{module}: {aliases[node.value.id]}.{node.attr}")
    return problems


def argparse_outside_the_command_line(external: dict[str, set[str]]) -> list[str]:
    return [module for module, libraries in sorted(external.items())
            if "argparse" in libraries and room(module) not in ("cli", "commands")]


# --------------------------------------------------------------------------- the house as it is

GRAPH, EXTERNAL = package_graph()


def test_the_graph_sees_the_package():
    assert {"trustcircles.data", "trustcircles.topics.welcome", "trustcircles.checks.question",
            "trustcircles.grading.run", "trustcircles.commands.report"} <= set(GRAPH)
    assert "trustcircles.topics.adoption" in GRAPH["trustcircles.checks.ex_08_leading_by_example"]
    assert "trustcircles.schema" in GRAPH["trustcircles.data"]


def test_no_import_cycle():
    assert cycles(GRAPH) == []


def test_each_room_imports_only_what_the_house_allows():
    assert room_violations(GRAPH, ROOMS) == []


def test_checks_and_topics_never_reach_widgets_plots_or_figure_libraries():
    assert figure_leaks(GRAPH, EXTERNAL) == []


def test_no_module_uses_another_modules_private_names():
    sources = package_sources()
    problems = [p for name, source in sources.items() for p in private_uses(source, name, set(sources))]
    assert problems == []


def test_only_the_command_line_parses_command_lines():
    assert argparse_outside_the_command_line(EXTERNAL) == []


def test_contributing_lists_every_room():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    house = text[text.index("## The house"):text.index("\n## ", text.index("## The house") + 1)]
    for name in ROOMS:
        if name not in ("trustcircles", "__main__"):
            assert f"`{name}" in house, f"CONTRIBUTING.md's house has no line for {name}"


def test_a_graded_notebooks_checks_load_no_figure_library():
    """Running every exercise's checks (each question's right answer on its table) in a fresh
    Python loads neither widgets nor plotly nor ipywidgets."""
    probe = """
import json, sys, warnings
from trustcircles import checks
from trustcircles.checks import exercise
import trustcircles.checks.tables
for path in sorted(__import__("pathlib").Path(checks.__file__).parent.glob("ex_*.py")):
    ex = exercise(path.stem[3:])
    for name, q in ex.questions.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if name.startswith("a"):      # Part A: its material and right answer, computed
                q.expected()
                continue
            q.expected(q.table(), *q.notebook_args())
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & {"plotly", "ipywidgets", "anywidget"}
                        | {m for m in sys.modules if m.startswith(("trustcircles.widgets", "trustcircles.plots"))})))
"""
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize("folder", ["solutions", "exercises"])
def test_graded_notebooks_import_nothing_that_draws(folder):
    for path in sorted((ROOT / folder).glob("*/*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        for word in ("trustcircles.widgets", "trustcircles.plots", "ipywidgets", "plotly"):
            assert word not in code, f"{path.relative_to(ROOT)} imports {word}"


# --------------------------------------------------------------------------- each rule notices

def test_cycles_are_found_round_a_circle_and_direct():
    graph = {"trustcircles.a": {"trustcircles.b"}, "trustcircles.b": {"trustcircles.c"},
             "trustcircles.c": {"trustcircles.a"}, "trustcircles.d": {"trustcircles.a"}}
    assert cycles(graph) == [["trustcircles.a", "trustcircles.b", "trustcircles.c"]]
    assert cycles({"trustcircles.x": {"trustcircles.y"}, "trustcircles.y": {"trustcircles.x"}}) != []
    assert cycles({"trustcircles.x": {"trustcircles.y"}, "trustcircles.y": set()}) == []


def test_a_cycle_hidden_in_a_function_is_seen():
    """grading.py and exercises_cmd.py once imported each other, one of them inside a function."""
    modules = {"trustcircles.grading", "trustcircles.exercises_cmd"}
    a, _ = imports_of("def f():\n    from trustcircles.exercises_cmd import list_assignments\n",
                      "trustcircles.grading", modules)
    b, _ = imports_of("from trustcircles.grading import apply_settings\n", "trustcircles.exercises_cmd", modules)
    assert cycles({"trustcircles.grading": a, "trustcircles.exercises_cmd": b}) != []


def test_room_rules_notice_a_forbidden_import_and_an_unknown_room():
    graph = {"trustcircles.topics.welcome": {"trustcircles.plots"}, "trustcircles.attic": set()}
    problems = room_violations(graph, ROOMS)
    assert any("topics may not import plots" in p for p in problems)
    assert any("'attic' is not in the house" in p for p in problems)


def test_a_check_reaching_widgets_through_topics_is_noticed():
    graph = {"trustcircles.checks.ex_07": {"trustcircles.topics.trolls"},
             "trustcircles.topics.trolls": {"trustcircles.widgets.trolls"},
             "trustcircles.widgets.trolls": set()}
    assert figure_leaks(graph, {}) == ["trustcircles.checks.ex_07 reaches trustcircles.widgets.trolls",
                                       "trustcircles.topics.trolls reaches trustcircles.widgets.trolls"]
    graph = {"trustcircles.checks.ex_01": {"trustcircles.topics.x"}, "trustcircles.topics.x": set()}
    assert figure_leaks(graph, {"trustcircles.topics.x": {"plotly"}}) != []


def test_private_names_of_other_modules_are_noticed():
    modules = {"trustcircles.metrics", "trustcircles.anonymise", "trustcircles.report"}
    source = ("from trustcircles import metrics\nfrom trustcircles.anonymise import _EMAIL, TOKENS\n"
              "from trustcircles import __version__\np = metrics._prepare(t)\nq = metrics.prepare(t)\n"
              "self._cache = 1\n")
    assert private_uses(source, "trustcircles.report", modules) == [
        "trustcircles.report: from trustcircles.anonymise import _EMAIL",
        "trustcircles.report: trustcircles.metrics._prepare"]
    assert private_uses("from trustcircles import metrics as m\nm._report(p)\n", "trustcircles.report",
                        modules) == ["trustcircles.report: trustcircles.metrics._report"]


def test_argparse_in_a_library_is_noticed():
    assert argparse_outside_the_command_line({"trustcircles.report": {"argparse", "json"},
                                              "trustcircles.commands.report": {"argparse"}}) == [
        "trustcircles.report"]
