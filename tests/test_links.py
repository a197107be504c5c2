"""Every relative link, and every repository file named as a path, in the course's documents resolves.

Checked: the markdown cells of lessons, exercises and solutions, README.md, TRAINERS.md,
CONTRIBUTING.md, docs/*.md, the datasets' READMEs and data cards. A *link* is a markdown link or
image, or an HTML ``href``/``src``; a relative one must name a file or folder that exists, seen from
the folder of the document that holds it (that is how a browser or JupyterLab follows it). A *named
path* is text such as ``datasets/community/DATACARD.md`` or ``../exercises/01_x/01_x.ipynb``, in
backticks or not: it must exist seen from the document's folder or from the repository's root.
Placeholders (``NN_slug``, ``<name>``, ``*``) are not paths. The last tests feed the checker files
with one broken link or path each and show that it reports them.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Top-level folders of the repository: text that starts with one of them (and a slash) names a path.
TOP_FOLDERS = ("lessons", "exercises", "solutions", "datasets", "docs", "trustcircles", "tests",
               "tools", "benchmarks")
_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HTML = re.compile(r"""(?:href|src)\s*=\s*["']([^"']+)["']""")
_NAMED = re.compile(r"(?<![\w./-])((?:\.\./)+[\w.-][\w./-]*|(?:" + "|".join(TOP_FOLDERS)
                    + r")/[\w./-]*)")
_PLACEHOLDERS = ("NN_", "NN.", "slug", "<", "*", "...", "{", "$")


def documents(root: Path = ROOT) -> list[Path]:
    """The documents the link check reads."""
    found = [root / name for name in ("README.md", "TRAINERS.md", "CONTRIBUTING.md")]
    found += sorted((root / "docs").glob("*.md"))
    found += sorted((root / "datasets").glob("*/DATACARD.md"))
    found += sorted((root / "datasets").glob("**/README.md"))
    for folder in ("lessons", "exercises", "solutions"):
        found += sorted(p for p in (root / folder).glob("**/*.ipynb")
                        if ".ipynb_checkpoints" not in p.parts)
    return [p for p in found if p.is_file()]


def markdown_of(path: Path) -> str:
    """A markdown file's text, or a notebook's markdown cells (code cells are Python, not prose)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".ipynb":
        return text
    cells = json.loads(text)["cells"]
    return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def _is_external(target: str) -> bool:
    return bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target)) or target.startswith(("#", "//"))


def _strip_fences(text: str) -> str:
    """Leave out fenced code blocks: commands and JSON there are examples, not links."""
    return re.sub(r"```.*?```", "", text, flags=re.S)


def problems(path: Path, root: Path = ROOT) -> list[str]:
    """Broken links and missing named paths in one document, as readable lines (empty: all fine)."""
    text = markdown_of(path)
    where = path.relative_to(root) if path.is_relative_to(root) else path
    folder = path.parent.relative_to(root).as_posix() if path.parent.is_relative_to(root) else path.parent.name
    found = []
    prose = _strip_fences(text)
    links = _LINK.findall(prose) + _HTML.findall(prose)
    for target in links:
        if _is_external(target):
            continue
        clean = target.split("#", 1)[0].split("?", 1)[0]
        if any(mark in clean for mark in _PLACEHOLDERS):
            continue
        if clean and not (path.parent / clean).exists():
            found.append(f"{where}: link to {target} does not resolve (from {folder}/)")
    for named in _NAMED.findall(_HTML.sub(" ", _LINK.sub(" ", prose))):
        named = named.rstrip(".,:;")
        if any(mark in named for mark in _PLACEHOLDERS):
            continue
        if not (path.parent / named).resolve().is_relative_to(root.resolve()) and named.startswith(".."):
            continue  # the team's shared folder beside the checkout is not part of the course
        if not ((path.parent / named).exists() or (root / named).exists()):
            found.append(f"{where}: names {named}, which does not exist")
    return found


# --------------------------------------------------------------------------- the course's documents

DOCUMENTS = documents()


def test_the_check_reads_every_kind_of_document():
    names = {str(p.relative_to(ROOT)) for p in DOCUMENTS}
    for needed in ("README.md", "TRAINERS.md", "CONTRIBUTING.md", "docs/METRICS.md",
                   "docs/REFERENCES.md", "datasets/community/DATACARD.md",
                   "lessons/01_transactional_or_trust.ipynb",
                   "exercises/01_transactional_or_trust/01_transactional_or_trust.ipynb",
                   "solutions/01_transactional_or_trust/01_transactional_or_trust.ipynb"):
        assert needed in names, needed


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_links_and_named_paths_resolve(path):
    assert problems(path) == []


def test_metrics_and_references_mentions_are_links_to_docs():
    """A mention of METRICS.md or REFERENCES.md outside docs/ is a link to the file in docs/."""
    loose = []
    for path in DOCUMENTS:
        if path.parent == ROOT / "docs":
            continue
        loose += mentions_not_linked(path)
    assert loose == []


def mentions_not_linked(path: Path, root: Path = ROOT) -> list[str]:
    text = _strip_fences(markdown_of(path))
    where = path.relative_to(root)
    found = []
    for name in ("METRICS.md", "REFERENCES.md"):
        if name in _LINK.sub(" ", text):
            found.append(f"{where}: mentions {name} without a link to docs/{name}")
        for target in _LINK.findall(text):
            if target.split("#")[0].endswith(name) and \
                    (path.parent / target.split("#")[0]).resolve() != (root / "docs" / name).resolve():
                found.append(f"{where}: {target} is not docs/{name}")
    return found


def test_a_bare_or_misdirected_metrics_mention_is_reported(tree):
    page = _notebook(tree / "lessons" / "03_x.ipynb", "As METRICS.md says; see [it](../METRICS.md).")
    assert mentions_not_linked(page, tree) == [
        "lessons/03_x.ipynb: mentions METRICS.md without a link to docs/METRICS.md",
        "lessons/03_x.ipynb: ../METRICS.md is not docs/METRICS.md"]
    _notebook(page, "As [METRICS.md](../docs/METRICS.md#numbers) says.")
    assert mentions_not_linked(page, tree) == []


# --------------------------------------------------------------------------- the check itself fails when it should

def _notebook(path: Path, markdown: str, code: str = "x = 1") -> Path:
    path.write_text(json.dumps({"cells": [
        {"cell_type": "markdown", "metadata": {}, "source": [markdown]},
        {"cell_type": "code", "metadata": {}, "source": [code], "outputs": [], "execution_count": None}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    return path


@pytest.fixture()
def tree(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "METRICS.md").write_text("# Metrics\n", encoding="utf-8")
    (tmp_path / "lessons").mkdir()
    (tmp_path / "datasets" / "community").mkdir(parents=True)
    (tmp_path / "datasets" / "community" / "DATACARD.md").write_text("# card\n", encoding="utf-8")
    return tmp_path


def test_a_good_document_passes(tree):
    page = tree / "lessons" / "01_good.ipynb"
    _notebook(page, "See [the metrics](../docs/METRICS.md#definitions), <a href=\"../docs/METRICS.md\">"
                    "this</a>, `datasets/community/DATACARD.md`, [a site](https://example.org), "
                    "[a heading](#top) and the placeholder `lessons/NN_slug.ipynb`.")
    assert problems(page, tree) == []


def test_a_broken_link_in_a_notebook_is_reported(tree):
    page = _notebook(tree / "lessons" / "01_bad.ipynb", "Read [the metrics](docs/METRICS.md).")
    assert problems(page, tree) == [
        "lessons/01_bad.ipynb: link to docs/METRICS.md does not resolve (from lessons/)"]


def test_a_broken_link_in_a_markdown_file_is_reported(tree):
    page = tree / "README.md"
    page.write_text("The [data card](datasets/community/DATACRAD.md) and "
                    "<img src=\"docs/missing.png\" alt=\"x\">.\n", encoding="utf-8")
    assert problems(page, tree) == [
        "README.md: link to datasets/community/DATACRAD.md does not resolve (from ./)",
        "README.md: link to docs/missing.png does not resolve (from ./)"]


def test_a_missing_named_path_is_reported(tree):
    page = tree / "docs" / "GUIDE.md"
    page.write_text("Open `datasets/workplace/DATACARD.md`, then ../lessons/99_none.ipynb.\n",
                    encoding="utf-8")
    assert problems(page, tree) == [
        "docs/GUIDE.md: names datasets/workplace/DATACARD.md, which does not exist",
        "docs/GUIDE.md: names ../lessons/99_none.ipynb, which does not exist"]


def test_code_cells_and_fenced_blocks_are_not_read(tree):
    page = _notebook(tree / "lessons" / "02_code.ipynb",
                     "```\nmake datasets > datasets/none/file.csv\n```\n",
                     code="open('datasets/none/file.csv')")
    assert problems(page, tree) == []
