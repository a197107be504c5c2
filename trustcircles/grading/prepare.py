"""A notebook made ready to run under grading, and what its source shows before it runs.

* :func:`test_cells_out` replaces the source of every autograded test cell with a placeholder before
  the notebook runs: the checks and hidden tests never run in the learner's kernel and are never
  visible to it in any form (the marks are decided outside, :mod:`~trustcircles.grading.judge`);
* :func:`neutralise_shell` rewrites shell escapes (``!cmd``, ``%%bash``, ``%pip``, ``%cd``,
  ``%%script``, ``get_ipython().system(...)``, ...) to a no-op before the notebook runs, and says which;
* :func:`read_source` reads the learner's cells without running them (Python's ``ast``): answers
  that call the course's own reference (``ex.qN.expected``, ``trustcircles.checks``, the metric a
  question asks for) and tampering (``ex = ...``, assignments to the course's modules and classes,
  ``sys.modules``), each with the cell it is in.

A learner's cell is one nbgrader does not lock (answer cells and cells the learner added); locked
cells were restored from the gradebook by nbgrader's OverwriteCells before this step.
"""
from __future__ import annotations

import ast
import dataclasses
import re

from trustcircles.grading.collect import cell_source

#: what a check cell shows while it is decided outside the notebook (the feedback shows the
#: released source and the outside decision instead)
CHECK_PLACEHOLDER = "# (checked by the grading, outside the notebook)"
HIDDEN_PLACEHOLDER = "# (hidden checks: they run when your work is graded; their code is not shown)"

#: line and cell magics that run shell commands or change folder: neutralised under grading
SHELL_LINE_MAGICS = {"sx", "system", "pip", "conda", "mamba", "cd", "pushd", "popd", "bookmark", "dhist",
                     "pwd", "env", "set_env", "sc", "killbgscripts"}
SHELL_CELL_MAGICS = {"bash", "sh", "script", "perl", "ruby", "python", "python2", "python3", "pypy",
                     "system", "sx", "writefile"}
_MAGIC_CALLS = {"system", "getoutput", "run_line_magic", "run_cell_magic", "magic"}


def meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def is_test_cell(cell) -> bool:
    m = meta(cell)
    return cell.get("cell_type") == "code" and bool(m.get("grade")) and not m.get("solution")


def is_learners(cell) -> bool:
    """A cell the learner wrote or may edit (not locked by nbgrader)."""
    m = meta(cell)
    return cell.get("cell_type") == "code" and not m.get("locked")


def label(cell, index: int) -> str:
    return meta(cell).get("grade_id") or f"cell {index + 1}"


# --------------------------------------------------------------------------- test cells


def test_cells_out(nb) -> dict[str, str]:
    """Replace every test cell's source with a placeholder (in place); return grade_id -> source."""
    removed = {}
    for cell in nb["cells"]:
        if is_test_cell(cell):
            source = cell_source(cell)
            removed[meta(cell)["grade_id"]] = source
            cell["source"] = HIDDEN_PLACEHOLDER if "BEGIN HIDDEN TESTS" in source else CHECK_PLACEHOLDER
            cell["outputs"] = []
    return removed


# --------------------------------------------------------------------------- shell escapes


def _python_of(source: str) -> str:
    """The cell as IPython runs it (magics become get_ipython() calls)."""
    from IPython.core.inputtransformer2 import TransformerManager
    return TransformerManager().transform_cell(source)


class _Neutralise(ast.NodeTransformer):
    def __init__(self):
        self.found: list[str] = []

    def visit_Call(self, node):
        self.generic_visit(node)
        func = node.func
        if (isinstance(func, ast.Attribute) and func.attr in _MAGIC_CALLS
                and isinstance(func.value, ast.Call) and isinstance(func.value.func, ast.Name)
                and func.value.func.id == "get_ipython"):
            first = node.args[0].value if node.args and isinstance(node.args[0], ast.Constant) else ""
            name = str(first).split()[0] if first else ""
            if func.attr in ("system", "getoutput"):
                self.found.append(f"!{str(first)[:60]}")
            elif func.attr == "run_cell_magic" and name in SHELL_CELL_MAGICS:
                self.found.append(f"%%{name}")
            elif func.attr in ("run_line_magic", "magic") and name in SHELL_LINE_MAGICS:
                args = node.args[1].value if len(node.args) > 1 and isinstance(node.args[1], ast.Constant) else ""
                self.found.append(f"%{name} {str(args)[:50]}".strip())
            else:
                return node
            return ast.copy_location(ast.Constant(value=None), node)
        return node


def neutralise_shell(source: str) -> tuple[str, list[str]]:
    """(source to run, the shell escapes it had). Cells without any are returned unchanged."""
    if not re.search(r"(^|\n)\s*[!%]|get_ipython|=\s*!", source):
        return source, []
    try:
        python = _python_of(source)
        tree = ast.parse(python)
    except (SyntaxError, ValueError):
        return source, []
    fixer = _Neutralise()
    tree = fixer.visit(tree)
    if not fixer.found:
        return source, []
    ast.fix_missing_locations(tree)
    note = "# (shell commands are not run when work is graded: " + ", ".join(fixer.found)[:200] + ")\n"
    return note + ast.unparse(tree) + "\n", fixer.found


# --------------------------------------------------------------------------- reading the source


@dataclasses.dataclass
class SourceFindings:
    reference: list[tuple[str, str]] = dataclasses.field(default_factory=list)   # (question or "", what)
    tampering: list[str] = dataclasses.field(default_factory=list)
    shell: list[tuple[str, list[str]]] = dataclasses.field(default_factory=list)


def _parse(source: str):
    try:
        return ast.parse(source)
    except SyntaxError:
        try:
            return ast.parse(_python_of(source))
        except (SyntaxError, ValueError):
            return None


def _root(node):
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _dotted(node) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def course_names(nb) -> dict[str, str]:
    """name -> the course module or object it is bound to, from every cell's imports."""
    names = {"ex": "ex"}
    for cell in nb["cells"]:
        if cell.get("cell_type") != "code":
            continue
        tree = _parse(cell_source(cell))
        if tree is None:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == "trustcircles":
                        names[(alias.asname or alias.name).split(".")[0]] = alias.name if alias.asname else "trustcircles"
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "trustcircles":
                for alias in node.names:
                    names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def read_source(nb, reference_names: dict[str, set[str]]) -> SourceFindings:
    """What the learner's cells do with the course's code, read without running them.

    ``reference_names``: question -> the names of course functions its reference answer uses (e.g.
    ``{"q2": {"ties"}}``); calling one, or anything in ``trustcircles.checks`` besides ``exercise``
    and ``NOT_ANSWERED``, or ``ex.qN.expected``, is using the reference.
    """
    findings = SourceFindings()
    bound = course_names(nb)
    allowed_checks = {"trustcircles.checks.exercise", "trustcircles.checks.NOT_ANSWERED"}
    for index, cell in enumerate(nb["cells"]):
        if not is_learners(cell):
            continue
        where = label(cell, index)
        match = re.match(r"^(q\d+|a\d+)_answer$", where)
        question = match.group(1) if match else ""
        tree = _parse(cell_source(cell))
        if tree is None:
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
                targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
                for target in targets:
                    for item in (target.elts if isinstance(target, ast.Tuple) else [target]):
                        if isinstance(item, ast.Name) and item.id == "ex":
                            findings.tampering.append(f"{where} redefines ex")
                        elif isinstance(item, (ast.Attribute, ast.Subscript)):
                            root = _root(item)
                            if root in bound:
                                findings.tampering.append(f"{where} changes {_dotted(item) or root}")
                            elif root == "sys" and _dotted(item.value if isinstance(item, ast.Subscript) else item).startswith("sys.modules"):
                                findings.tampering.append(f"{where} changes sys.modules")
            elif isinstance(node, ast.Call):
                func = node.func
                name = _dotted(func)
                if name in ("setattr", "delattr") and node.args and _root(node.args[0]) in bound:
                    findings.tampering.append(f"{where} calls {name} on {_dotted(node.args[0]) or _root(node.args[0])}")
                if name in ("importlib.reload", "reload"):
                    findings.tampering.append(f"{where} reloads a module")
                parts = name.split(".")
                # ex.qN.expected(...), ex.qN._compare(...): the checker's own answer
                if len(parts) >= 3 and parts[0] == "ex" and parts[2] in ("expected", "_compare", "check", "check_function") or (
                        len(parts) >= 3 and parts[0] == "ex" and parts[1] == "questions"):
                    findings.reference.append((question, f"{where} calls {name}"))
                    continue
                origin = bound.get(parts[0]) if parts and parts[0] != "ex" else None
                if origin is None:
                    continue
                full = ".".join([origin] + parts[1:])
                if full.startswith("trustcircles.checks") and full not in allowed_checks:
                    findings.reference.append((question, f"{where} calls {full}"))
                    continue
                leaf = full.split(".")[-1]
                for q, names in reference_names.items():
                    if leaf in names and (not question or question == q):
                        findings.reference.append((q, f"{where} calls {full}"))
            elif isinstance(node, ast.Attribute) and _dotted(node).startswith("ex.") and node.attr == "expected":
                if not any(w == question and _dotted(node) in text for w, text in findings.reference):
                    findings.reference.append((question, f"{where} uses {_dotted(node)}"))
    findings.reference = list(dict.fromkeys(findings.reference))
    findings.tampering = list(dict.fromkeys(findings.tampering))
    return findings


def neutralise_cells(nb) -> list[tuple[str, list[str]]]:
    """Neutralise the shell escapes of every code cell (in place); return (cell, escapes) pairs."""
    found = []
    for index, cell in enumerate(nb["cells"]):
        if cell.get("cell_type") != "code":
            continue
        source, escapes = neutralise_shell(cell_source(cell))
        if escapes:
            cell["source"] = source
            found.append((label(cell, index), escapes))
    return found
