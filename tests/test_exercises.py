"""Every assignment in solutions/, graded by real nbgrader in a temporary course directory.

For each assignment: the source notebook earns every autograded mark, the untouched release earns 0,
a notebook with only Part A answered earns exactly Part A's marks, and a notebook with exactly one
question wrong loses exactly that question's marks (all of them in one grading run per assignment).
Part A is at least half of the autograded marks and every Part A solution is one literal line. The
release holds no solution and no hidden test; nbgrader's Validator passes the source and fails the
release; run top to bottom in a learner's kernel, the untouched release shows no error.
"""
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "grading"))
import batch  # noqa: E402

from trustcircles.grading import list_assignments  # noqa: E402
from trustcircles.grading import apply_settings, grade  # noqa: E402

ASSIGNMENTS = list_assignments()


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def graded(request, tmp_path_factory):
    assignment = request.param
    src, rel = batch.source_nb(assignment), batch.release_nb(assignment)
    folder = tmp_path_factory.mktemp(f"subs-{assignment}")
    batch.write(folder / "solved" / f"{assignment}.ipynb", src)
    batch.write(folder / "untouched" / f"{assignment}.ipynb", rel)
    batch.write(folder / "partaonly" / f"{assignment}.ipynb", batch.as_released(src, "q"))
    for q in batch.questions(src):
        batch.write(folder / f"wrong{q}" / f"{assignment}.ipynb", batch.with_wrong_answer(src, q))
    run = grade(assignment, folder, course=tmp_path_factory.mktemp("course"), timeout=60, jobs=2,
                progress=False)
    return assignment, src, rel, {s.student: s for s in run.submissions}


def test_source_scores_every_autograded_mark(graded):
    _, src, _, subs = graded
    assert subs["solved"].status == "graded", subs["solved"].reason
    assert subs["solved"].score == pytest.approx(batch.autograded_points(src), rel=1e-9)


def test_untouched_release_scores_zero(graded):
    _, _, _, subs = graded
    assert subs["untouched"].status == "graded" and subs["untouched"].score == 0


def test_part_a_alone_scores_exactly_part_a(graded):
    _, src, _, subs = graded
    assert subs["partaonly"].status == "graded", subs["partaonly"].reason
    assert subs["partaonly"].score == pytest.approx(batch.part_points(src, "a"), rel=1e-9)


def test_part_a_is_at_least_half_of_the_autograded_marks(graded):
    _, src, _, _ = graded
    part_a = batch.part_points(src, "a")
    assert len(batch.questions(src, "a")) >= 3, "at least three Part A questions"
    assert part_a >= 0.5 * batch.autograded_points(src), (part_a, batch.autograded_points(src))


def test_every_part_a_solution_is_one_literal_line(graded):
    import ast

    _, src, rel, _ = graded
    for q in batch.questions(src, "a"):
        body = [line for line in batch.text(batch.cell(src, f"{q}_answer")).splitlines()
                if "SOLUTION" not in line and line.strip()]
        assert len(body) == 1 and body[0].startswith(f"answer_{q} = "), body
        ast.literal_eval(body[0].split("=", 1)[1].strip())          # a literal, nothing computed
        released = batch.text(batch.cell(rel, f"{q}_answer"))
        assert released.startswith(f"answer_{q} = ") and "NotImplementedError" not in released


def test_one_wrong_question_loses_exactly_its_marks(graded):
    _, src, _, subs = graded
    points = batch.question_points(src)
    assert points and all(p > 0 for p in points.values())
    for q, value in points.items():
        sub = subs[f"wrong{q}"]
        assert sub.status == "graded", sub.reason
        assert sub.score == pytest.approx(batch.autograded_points(src) - value, rel=1e-9), q
        lost = {gid for gid, cell in sub.cells.items() if not cell.manual and not cell.passed}
        assert sub.cells and not any(sub.cells[g].manual for g in sub.cells if g.startswith("q"))
        assert lost and all(gid.startswith(q + "_") for gid in lost)


def test_each_question_has_answer_visible_check_and_hidden_tests(graded):
    _, src, _, _ = graded
    ids = {c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in src["cells"]}
    for q in batch.questions(src, "a"):
        assert {f"{q}_answer", f"{q}_check"} <= ids, q
        assert batch.text(batch.cell(src, f"{q}_check")).strip() == f"ex.{q}.check(answer_{q})"
    for q in batch.questions(src, "q"):
        assert {f"{q}_answer", f"{q}_check", f"{q}_hidden"} <= ids, q
        assert "### BEGIN HIDDEN TESTS" in batch.text(batch.cell(src, f"{q}_hidden"))
        # the visible check takes the function, so it also tries the edge cases grading tries
        assert batch.text(batch.cell(src, f"{q}_check")).strip().startswith(f"ex.{q}.check(")
    manual = [c for c in src["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("solution")
              and c.get("metadata", {}).get("nbgrader", {}).get("grade") and c["cell_type"] == "markdown"]
    assert len(manual) == 1, "one written reflection, graded by hand"


def test_release_holds_no_solution_and_no_hidden_test(graded):
    _, src, rel, _ = graded
    text = json.dumps(rel)
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert marker not in text
    for line in batch.hidden_lines(src) + batch.solution_lines(src):
        assert line not in text, line
    for c in rel["cells"]:
        assert c.get("outputs", []) == [] and c.get("execution_count") is None


def _validate(path):
    from nbgrader.validator import Validator
    from traitlets.config import Config

    config = apply_settings(Config())
    return Validator(config=config).validate(str(path))


def test_validator_passes_the_source_and_fails_the_release(graded, tmp_path):
    assignment, src, rel, _ = graded
    source_result = _validate(batch.write(tmp_path / "src.ipynb", src))
    release_result = _validate(batch.write(tmp_path / "rel.ipynb", rel))
    assert not source_result.get("failed") and not source_result.get("changed"), source_result
    assert release_result.get("failed"), release_result


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_untouched_release_runs_top_to_bottom_without_an_error(assignment, tmp_path):
    """What a learner's Run All does: every cell runs, and unanswered questions say so in words."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(str(batch.REPO / "exercises" / assignment / f"{assignment}.ipynb"), as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [(c.metadata.get("nbgrader", {}).get("grade_id"), o.get("ename"))
              for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, errors
    said = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
                   if o.output_type == "stream")
    for q in batch.questions(batch.source_nb(assignment)):
        assert f"Not yet ({q}):" in said and "not answered yet" in said, q
