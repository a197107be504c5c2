"""docs/METRICS.md ships with the course and stays in step with trustcircles.metrics.

A definition that names a function the library does not have, a public metric function that the page
does not document, or a worked example whose numbers differ from what the library (and the report
command) compute, all fail here. Each guard is shown to fail on a doctored copy of the page.
"""
from __future__ import annotations

import inspect
import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from trustcircles import metrics
from trustcircles.data import load_interactions

ROOT = Path(__file__).resolve().parent.parent
METRICS_MD = ROOT / "docs" / "METRICS.md"


# --------------------------------------------------------------------------- reading the page

def documented_functions(text: str) -> set[str]:
    """Every `metrics.name` the page mentions."""
    return set(re.findall(r"`metrics\.([A-Za-z_][A-Za-z0-9_]*)`", text))


def definitions(text: str) -> list[str]:
    """The bullets of the Definitions section that define something (they start with a bold name)."""
    section = text.split("## Definitions", 1)[1].split("\n## ", 1)[0]
    bullets, current = [], None
    for line in section.splitlines():
        if line.startswith("- "):
            current = line
            bullets.append(current)
        elif current is not None and line.startswith("  "):
            bullets[-1] += " " + line.strip()
        else:
            current = None
    return [b for b in bullets if b.startswith("- **")]


def worked_example_json(text: str) -> dict:
    block = text.split("## Worked example", 1)[1]
    match = re.search(r"```json\n(.*?)\n```", block, re.S)
    assert match, "the worked example has no ```json block"
    return json.loads(match.group(1))


def worked_example_rows(text: str) -> pd.DataFrame:
    block = text.split("## Worked example", 1)[1]
    lines = [line for line in block.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]
    return pd.DataFrame(rows, columns=header)


def library_functions() -> set[str]:
    """The public functions defined in trustcircles.metrics itself."""
    return {name for name, value in vars(metrics).items()
            if inspect.isfunction(value) and value.__module__ == metrics.__name__
            and not name.startswith("_")}


def problems_with(text: str) -> list[str]:
    """Everything that keeps the page from being in step with the library (empty: all is well)."""
    found = []
    named = documented_functions(text)
    for name in sorted(named):
        if not callable(getattr(metrics, name, None)):
            found.append(f"METRICS.md names metrics.{name}, which trustcircles.metrics does not have")
    for name in sorted(library_functions() - named):
        found.append(f"trustcircles.metrics.{name} is not documented in METRICS.md")
    for bullet in definitions(text):
        if not re.search(r"`metrics\.[A-Za-z_]+`", bullet):
            found.append(f"definition without its function: {bullet[:60]}")
    expected = worked_example_json(text)
    computed = metrics.report(load_interactions("worked_example"))
    found += differences(expected, computed, "worked example")
    return found


def differences(expected, computed, where: str) -> list[str]:
    """Where two report objects differ (floats compared with a relative tolerance of 1e-9)."""
    if isinstance(expected, dict):
        if not isinstance(computed, dict) or set(expected) != set(computed):
            return [f"{where}: keys {sorted(expected) if isinstance(expected, dict) else expected} "
                    f"vs {sorted(computed) if isinstance(computed, dict) else computed}"]
        out = []
        for key in expected:
            out += differences(expected[key], computed[key], f"{where}.{key}")
        return out
    if expected is None or computed is None:
        return [] if expected is None and computed is None else [f"{where}: {expected} vs {computed}"]
    if isinstance(expected, float) or isinstance(computed, float):
        if math.isclose(float(expected), float(computed), rel_tol=1e-9, abs_tol=0.0):
            return []
        return [f"{where}: {expected} vs {computed}"]
    return [] if expected == computed else [f"{where}: {expected} vs {computed}"]


# --------------------------------------------------------------------------- the page as shipped

def test_the_page_ships_with_the_course():
    assert METRICS_MD.is_file()
    text = METRICS_MD.read_text(encoding="utf-8")
    assert text.startswith("# ")
    for part in ("## The interactions table", "## Definitions", "## Worked example",
                 "## The report's JSON", "## Bad input"):
        assert part in text, part


def test_the_page_and_the_library_are_in_step():
    assert problems_with(METRICS_MD.read_text(encoding="utf-8")) == []


def test_worked_example_table_is_the_shipped_dataset():
    shipped = pd.read_csv(ROOT / "datasets" / "worked_example" / "interactions.csv", dtype=str,
                          keep_default_na=False)
    on_page = worked_example_rows(METRICS_MD.read_text(encoding="utf-8"))
    assert list(on_page.columns) == list(shipped.columns)
    pd.testing.assert_frame_equal(on_page.reset_index(drop=True), shipped.reset_index(drop=True))


def test_worked_example_json_is_what_the_report_command_prints():
    expected = worked_example_json(METRICS_MD.read_text(encoding="utf-8"))
    done = subprocess.run([sys.executable, "-m", "trustcircles", "report", "worked_example",
                           "--format", "json"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert differences(expected, json.loads(done.stdout), "report command") == []


def test_definitions_section_is_parsed():
    # guards the guard: the parser sees the definitions, so "none without a function" means something
    names = [re.match(r"- \*\*([^*]+)\*\*", b).group(1) for b in definitions(METRICS_MD.read_text("utf-8"))]
    for name in ("reciprocity", "mutuals(a)", "answer_rate(a)", "circles(a)", "ego_density(a)"):
        assert name in names


# --------------------------------------------------------------------------- the guards fail when they should

@pytest.fixture()
def page() -> str:
    return METRICS_MD.read_text(encoding="utf-8")


def test_fails_when_a_documented_metric_has_no_function(page):
    doctored = page.replace("`metrics.mutuals`", "`metrics.mutual_friends`", 1)
    found = problems_with(doctored)
    assert any("metrics.mutual_friends" in p for p in found)
    assert any("trustcircles.metrics.mutuals is not documented" in p for p in found)


def test_fails_when_a_definition_names_no_function(page):
    doctored = page.replace("- **mutuals(a)** (`metrics.mutuals`):", "- **mutuals(a)**:", 1)
    assert any(p.startswith("definition without its function: - **mutuals(a)**")
               for p in problems_with(doctored))


def test_fails_when_the_worked_example_numbers_differ(page):
    doctored = page.replace('"reciprocity": 0.8', '"reciprocity": 0.75', 1)
    assert problems_with(doctored) == ["worked example.global.reciprocity: 0.75 vs 0.8"]
    doctored = page.replace('"median_tie_days": 0.0, "opened_by_listening": 0.0',
                            '"median_tie_days": 0.0, "opened_by_listening": 0.5', 1)
    assert problems_with(doctored) == ["worked example.accounts.cat.opened_by_listening: 0.5 vs 0.0"]


def test_fails_when_the_worked_example_misses_a_key(page):
    doctored = page.replace('"questions": 2,\n', '\n', 1)
    assert any("worked example.global: keys" in p for p in problems_with(doctored))
