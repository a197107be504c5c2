"""Small helpers for writing course notebooks from Python (used by authors, not by learners).

    python tools/nbtools.py strip NOTEBOOK...   remove outputs and execution counts in place

Notebooks are committed without outputs; tests/test_hygiene.py enforces it.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from trustcircles.grading.release import KERNELSPEC, clear_outputs  # run with .venv/bin/python


def strip(path: Path) -> bool:
    """Remove outputs and execution counts; return True if the file changed."""
    text = path.read_text(encoding="utf-8")
    nb = clear_outputs(json.loads(text))
    new = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
    if new != text:
        path.write_text(new, encoding="utf-8")
        return True
    return False


def new_notebook(cells: list[tuple[str, str]]) -> dict:
    """Build a notebook from (cell_type, source) pairs, e.g. [("markdown", "# Title"), ("code", "1+1")]."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata["language_info"] = {"name": "python"}
    for kind, source in cells:
        maker = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        nb.cells.append(maker(source.strip("\n")))
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:02d}"
    return nb


def write_notebook(path: str | Path, cells: list[tuple[str, str]]) -> Path:
    import nbformat

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(new_notebook(cells), str(path))
    return path


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] != "strip":
        sys.exit(__doc__)
    for name in sys.argv[2:]:
        if strip(Path(name)):
            print(f"stripped {name}")
