"""docs/GLOSSARY.md, the course's words in plain words, is true to the lessons and to METRICS.md.

Checked, on the markdown cells of lessons/NN_*.ipynb (code cells, code spans and link targets left
out: they are code and paths, not prose):
- every glossary entry's "First used in lesson NN" is true: the word (or one of its "Also written"
  forms) appears in lesson NN and in no lesson before it;
- no identifier spelling of an archetype or a metric (``trust_builder``, ``in_ties``,
  ``answer_rate``: every name with an underscore among the archetypes of
  trustcircles.topics.archetypes, the public functions of trustcircles.metrics and the report's keys)
  appears in lesson prose outside backticks;
- the words the brief names (in-ties, out-ties, ego density, reciprocity) are explained in a
  parenthesis where the course first uses them;
- every link from the glossary to METRICS.md names a section that exists there;
- README.md, lesson 00 and the lesson template link the glossary.
The last tests feed each checker a text with one fault and show that it reports it.
"""
from __future__ import annotations

import inspect
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from trustcircles import metrics
from trustcircles.data import load_interactions
from trustcircles.topics import archetypes

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "docs" / "GLOSSARY.md"
METRICS_MD = ROOT / "docs" / "METRICS.md"
#: The lessons in course order (00, 00b, 01, ... 10), as (number, path).
LESSONS = [(p.stem.split("_", 1)[0], p) for p in sorted((ROOT / "lessons").glob("[0-9][0-9]*_*.ipynb"))]
#: Words a learner must be told the meaning of at their first use (issue 14's "Words").
EXPLAINED_AT_FIRST_USE = ("in-ties", "out-ties", "ego density", "reciprocity")


# --------------------------------------------------------------------------- reading the texts

@dataclass(frozen=True)
class Entry:
    term: str
    forms: tuple[str, ...]  # the term and its "Also written" forms
    first: str | None       # the lesson number the entry names, None if it names none


def entries(text: str) -> list[Entry]:
    """The glossary's entries: each ``### term`` heading, the lesson its "First used in lesson NN"
    line names and the forms its "Also written:" list gives."""
    found = []
    for block in re.split(r"^### ", text, flags=re.M)[1:]:
        heading, _, body = block.partition("\n")
        first_line = body.strip().split("\n\n", 1)[0]
        first = re.search(r"First used in lesson (\w+)", first_line)
        also = first_line.split("Also written:", 1)[1] if "Also written:" in first_line else ""
        forms = (heading.strip(),) + tuple(re.findall(r'"([^"]+)"', also))
        found.append(Entry(heading.strip(), forms, first.group(1) if first else None))
    return found


def prose(markdown: str) -> str:
    """Markdown as a learner reads its words: no fenced code, code spans, link targets or HTML
    tags, and all white space as single spaces."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.S)
    text = re.sub(r"`[^`\n]*`", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", text)


def lesson_markdown(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def word_pattern(form: str) -> re.Pattern:
    """A glossary form as a whole word, any case, a plural or possessive allowed, white space free
    (``in-ties`` does not match inside ``in-ties-x``, nor ``tie`` inside ``in-ties``)."""
    words = r"\s+".join(re.escape(w) for w in form.split())
    return re.compile(r"(?<![\w-])" + words + r"(?:s|es)?(?:'s?)?(?![\w-])", re.I)


def identifiers() -> set[str]:
    """Code spellings that must not appear in prose: every underscored name of an archetype, a public
    function of trustcircles.metrics or a key of its report."""
    names = set(archetypes.ARCHETYPES) | set(archetypes.GROUP_NAMES)
    names |= {n for n, f in inspect.getmembers(metrics, inspect.isfunction)
              if not n.startswith("_") and f.__module__ == metrics.__name__}
    report = metrics.report(load_interactions("worked_example"))
    names |= set(report) | set(report["global"]) | set(next(iter(report["accounts"].values())))
    return {n for n in names if "_" in n}


def github_anchors(markdown: str) -> set[str]:
    """The anchors GitHub (and most markdown viewers) give a page's headings."""
    anchors = set()
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*$", markdown, flags=re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        anchors.add(slug)
    return anchors


# --------------------------------------------------------------------------- the checkers

def first_use_problems(glossary: str, lessons: list[tuple[str, str]]) -> list[str]:
    """Entries whose "First used in lesson NN" is wrong, given (number, prose) per lesson in order."""
    numbers = [n for n, _ in lessons]
    found = []
    for entry in entries(glossary):
        if entry.first is None:
            found.append(f"{entry.term}: no 'First used in lesson NN' line")
            continue
        if entry.first not in numbers:
            found.append(f"{entry.term}: there is no lesson {entry.first}")
            continue
        patterns = [word_pattern(f) for f in entry.forms]
        uses = [n for n, text in lessons if any(p.search(text) for p in patterns)]
        if not uses:
            found.append(f"{entry.term}: used in no lesson (says lesson {entry.first})")
        elif uses[0] != entry.first:
            found.append(f"{entry.term}: first used in lesson {uses[0]}, not {entry.first}")
    return found


def identifier_problems(lessons: list[tuple[str, str]], names: set[str]) -> list[str]:
    """Code spellings (``trust_builder``) in lesson prose, outside code, given (number, prose)."""
    found = []
    for number, text in lessons:
        for name in sorted(names):
            for match in re.finditer(r"(?<![\w./-])" + re.escape(name) + r"(?![\w/])", text):
                context = text[max(0, match.start() - 40):match.end() + 20]
                found.append(f"lesson {number}: '{name}' in prose (write it in words, or in "
                             f"backticks if it names a column): ...{context}...")
    return found


def explanation_problems(lessons: list[tuple[str, str]], terms=EXPLAINED_AT_FIRST_USE) -> list[str]:
    """Terms not followed by a parenthesis explaining them at their first use in the course."""
    found = []
    for term in terms:
        pattern = word_pattern(term)
        for number, text in lessons:
            match = pattern.search(text)
            if match:
                after = text[match.end():].lstrip("*_ ")
                if not after.startswith("("):
                    context = text[max(0, match.start() - 30):match.end() + 40]
                    found.append(f"lesson {number}: first use of '{term}' is not explained in a "
                                 f"parenthesis: ...{context}...")
                break
    return found


def anchor_problems(glossary: str, metrics_page: str) -> list[str]:
    """Links from the glossary to METRICS.md whose section does not exist."""
    anchors = github_anchors(metrics_page)
    found = []
    for anchor in re.findall(r"\]\(METRICS\.md#([^)\s]+)\)", glossary):
        if anchor not in anchors:
            found.append(f"GLOSSARY.md links to METRICS.md#{anchor}, which is no section of METRICS.md "
                         f"(sections: {', '.join(sorted(anchors))})")
    return found


# --------------------------------------------------------------------------- the course as shipped

@pytest.fixture(scope="module")
def glossary() -> str:
    return GLOSSARY.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def lessons() -> list[tuple[str, str]]:
    return [(number, prose(lesson_markdown(path))) for number, path in LESSONS]


def test_glossary_is_read(glossary, lessons):
    found = entries(glossary)
    assert len(found) >= 40
    terms = {e.term for e in found}
    for word in ("trust builder", "transactional account", "broadcaster", "listener", "newcomer",
                 "tie", "mutual", "reciprocity", "in-ties", "out-ties", "ego network", "ego density",
                 "answer window", "answered question", "response time", "broadcasting",
                 "Dunbar's layers", "active circle"):
        assert word in terms, word
    assert [n for n, _ in lessons][:3] == ["00", "00b", "01"]
    assert len(lessons) == len(list((ROOT / "lessons").glob("[0-9][0-9]*_*.ipynb")))


def test_first_used_in_lesson_is_true(glossary, lessons):
    assert first_use_problems(glossary, lessons) == []


def test_no_identifier_spelling_in_lesson_prose(lessons):
    names = identifiers()
    assert {"trust_builder", "in_ties", "answer_rate", "ego_density", "circle_inner"} <= names
    assert identifier_problems(lessons, names) == []


def test_words_are_explained_where_first_used(lessons):
    assert explanation_problems(lessons) == []


def test_glossary_links_metrics_sections_that_exist(glossary):
    assert anchor_problems(glossary, METRICS_MD.read_text(encoding="utf-8")) == []
    assert len(re.findall(r"\]\(METRICS\.md#", glossary)) >= 20, "the metric entries link METRICS.md"


def test_glossary_is_linked_from_readme_lesson_00_and_the_template():
    assert "(docs/GLOSSARY.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("00_welcome.ipynb", "_template.ipynb"):
        assert "(../docs/GLOSSARY.md)" in lesson_markdown(ROOT / "lessons" / name), name


# --------------------------------------------------------------------------- each guard fails

ONE_ENTRY = "# Glossary\n\n### tie\n*First used in lesson 01.* Also written: \"one-way\".\n\nA tie.\n"


def test_first_use_fails_when_the_word_came_earlier():
    lessons = [("00", "nothing here"), ("01", "a one-way street"), ("02", "a tie")]
    assert first_use_problems(ONE_ENTRY, lessons) == []
    earlier = [("00", "tie by tie"), ("01", "a tie")]
    assert first_use_problems(ONE_ENTRY, earlier) == ["tie: first used in lesson 00, not 01"]


def test_first_use_fails_when_the_lesson_does_not_use_the_word():
    later = [("00", "x"), ("01", "in-ties only"), ("02", "two ties")]
    assert first_use_problems(ONE_ENTRY, later) == ["tie: first used in lesson 02, not 01"]
    assert first_use_problems(ONE_ENTRY, [("00", "x"), ("01", "y")]) == [
        "tie: used in no lesson (says lesson 01)"]
    no_line = ONE_ENTRY.replace("*First used in lesson 01.*", "")
    assert first_use_problems(no_line, [("01", "a tie")]) == ["tie: no 'First used in lesson NN' line"]


def test_identifier_check_fails_on_a_code_spelling_in_prose():
    names = identifiers()
    bad = prose("A **trust_builder** answers; the `in_ties` column is code.\n\n```\nanswer_rate\n```")
    problems = identifier_problems([("03", bad)], names)
    assert len(problems) == 1 and "'trust_builder'" in problems[0] and "lesson 03" in problems[0]
    fine = prose("A trust builder answers (`trust_builder`); [link](../x/trust_builder.md).")
    assert identifier_problems([("03", fine)], names) == []


def test_explanation_check_fails_when_a_word_is_first_used_unexplained():
    bad = [("04", "no such word"), ("05", "measure in-ties and mutuals"), ("06", "in-ties (who talks to you)")]
    assert explanation_problems(bad, ("in-ties",)) == [
        "lesson 05: first use of 'in-ties' is not explained in a parenthesis: "
        "...measure in-ties and mutuals..."]
    good = [("05", "the **ego density** (how many contacts talk to each other)")]
    assert explanation_problems(good, ("ego density",)) == []


def test_anchor_check_fails_on_a_missing_section():
    page = "# Title\n\n## Definitions\n\n## The report's JSON\n"
    good = "[a](METRICS.md#definitions) [b](METRICS.md#the-reports-json)"
    assert anchor_problems(good, page) == []
    problems = anchor_problems("[c](METRICS.md#reciprocity)", page)
    assert len(problems) == 1 and "METRICS.md#reciprocity" in problems[0]
