"""Part A's questions and Part B's instant checks, in a learner's kernel (no grading).

* every Part A question of every assignment: its material and right answer are computed, every option
  has its own explanation, the right answer is "Correct" and each other option is "Not yet" with that
  option's own explanation (never naming the right one); an unanswered question says so in words;
* per assignment, the distractors are wrong for the reason their explanation gives (the numbers
  behind them, recomputed here);
* Part B: a function that ignores a situation its prompt states gets "Not yet" from the visible check
  (tests/fixtures/careless.py), and the worked solution gets "Correct";
* solutions appear only after a first check, and not at all when a trainer switches them off.
"""
from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path

import pytest

from trustcircles.checks import ChoiceQuestion, LabelsQuestion, NumberQuestion, exercise, modes
from trustcircles.grading import list_assignments

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from careless import CARELESS  # noqa: E402  (tests/fixtures/careless/ex_NN_*.py)

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = list_assignments()


def said(call, *args) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        call(*args)
    return flat(out.getvalue())


def flat(text: str) -> str:
    """Text with its whitespace normalised: printed messages are wrapped at word boundaries."""
    return " ".join(text.split())


def mentions(text: str, answer: str) -> bool:
    """The answer as a whole word or number in the text (27 does not mention 7)."""
    import re
    return re.search(r"(?<![\w.])" + re.escape(answer) + r"(?![\w.])", text) is not None


def part_a(assignment):
    ex = exercise(assignment)
    return ex, {n: q for n, q in ex.questions.items() if n.startswith("a")}


@pytest.fixture(autouse=True)
def learner_kernel(monkeypatch, tmp_path):
    monkeypatch.delenv(modes.GRADING_ENV, raising=False)
    monkeypatch.delenv(modes.SOLUTIONS_ENV, raising=False)
    monkeypatch.chdir(tmp_path)


def solution_line(assignment: str, name: str):
    """The literal the source notebook gives as Part A's answer."""
    import ast
    nb = json.loads((ROOT / "solutions" / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == f"{name}_answer":
            line = next(l for l in "".join(cell["source"]).splitlines() if l.startswith(f"answer_{name}"))
            return ast.literal_eval(line.split("=", 1)[1].strip())
    raise KeyError(name)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_part_a_right_answers_are_computed_and_the_source_gives_them(assignment):
    ex, questions = part_a(assignment)
    assert len(questions) >= 3
    for name, q in questions.items():
        given = solution_line(assignment, name)
        assert said(q.check, given).startswith(f"Correct ({name})"), (name, given)
        assert "not answered yet" in said(q.check, ex.NOT_ANSWERED)
        assert "not answered yet" in said(q.check, "?")
        if isinstance(q, ChoiceQuestion):
            assert given == q.expected()
        if isinstance(q, LabelsQuestion):
            assert list(given) == q.expected()
        if isinstance(q, NumberQuestion):
            assert abs(given - q.expected()) <= q.tolerance


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_wrong_choice_gets_its_own_explanation_and_not_the_answer(assignment):
    _, questions = part_a(assignment)
    for name, q in questions.items():
        if not isinstance(q, ChoiceQuestion):
            continue
        choices = q.choices
        assert len(choices.options) >= 3, name
        assert len(set(choices.why.values())) == len(choices.why), "one explanation per option"
        for letter in choices.options:
            if letter == choices.right:
                continue
            text = said(q.check, letter)
            assert text.startswith(f"Not yet ({name})") and flat(choices.why[letter]) in text
            assert flat(choices.why[choices.right]) not in text
            assert f"{choices.right}." not in text.split("Hint:")[0]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_labels_and_numbers_say_what_is_wrong_without_the_answer(assignment):
    _, questions = part_a(assignment)
    for name, q in questions.items():
        if isinstance(q, LabelsQuestion):
            right = q.expected()
            flipped = list(reversed(right)) if right != list(reversed(right)) else right[1:] + right[:1]
            text = said(q.check, flipped)
            if flipped != right:
                assert text.startswith(f"Not yet ({name})") and not mentions(text, q.answer_text())
            assert "Not yet" in said(q.check, right[:-1])          # one label short
        if isinstance(q, NumberQuestion):
            wrong = q.expected() + 10 * (q.tolerance + 1)
            text = said(q.check, wrong)
            # (the message repeats the answer given: leave it out before looking for the right one)
            assert text.startswith(f"Not yet ({name})") and not mentions(text.replace(f"{wrong:g}", ""), q.answer_text())


@pytest.mark.parametrize("assignment,question,situation,source",
                         [(a, q, s, src) for a, rows in CARELESS.items() for q, s, src in rows])
def test_visible_check_says_not_yet_to_a_function_that_ignores_a_stated_situation(
        assignment, question, situation, source):
    namespace: dict = {}
    exec(source, namespace)
    function = next(v for k, v in namespace.items() if callable(v) and not k.startswith("__"))
    ex = exercise(assignment)
    text = said(getattr(ex, question).check, function)
    assert text.startswith(f"Not yet ({question})"), (situation, text)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_worked_solutions_pass_their_own_checks(assignment):
    ex = exercise(assignment)
    worked = json.loads((ROOT / "trustcircles" / "checks" / "worked" / f"{assignment}.json")
                        .read_text(encoding="utf-8"))
    assert set(worked) == {n for n in ex.questions if n.startswith("q")}
    for name, code in worked.items():
        question = getattr(ex, name)
        namespace = {"NOT_ANSWERED": ex.NOT_ANSWERED}
        function_code = code.split("\n\n\nanswer_")[0]
        exec(function_code, namespace)
        function = namespace[question.function_name]
        assert said(question.check, function).startswith(f"Correct ({name})"), name


#: exercises whose worked answers and careless functions are also tried on the edge cases alone,
#: disguised with fresh seeds as grading does (once written out in each of their test files)
DISGUISED = ("07_trolls_and_trust", "08_leading_by_example", "09_online_and_in_person")


@pytest.mark.parametrize("assignment", DISGUISED)
@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_worked_answers_pass_on_freshly_disguised_cases(assignment, seed, monkeypatch):
    """Grading disguises the edge cases with a new seed each run: the worked answers pass every one."""
    from trustcircles.checks.question import CASE_SEED_ENV

    monkeypatch.setenv(CASE_SEED_ENV, str(seed * 7919))
    ex = exercise(assignment)
    worked = json.loads((ROOT / "trustcircles" / "checks" / "worked" / f"{assignment}.json")
                        .read_text(encoding="utf-8"))
    for name, code in worked.items():
        namespace = {"NOT_ANSWERED": ex.NOT_ANSWERED}
        exec(code.split("\n\n\nanswer_")[0], namespace)
        text = said(getattr(ex, name).check_function, namespace[getattr(ex, name).function_name])
        assert text.startswith(f"Correct ({name})"), text


@pytest.mark.parametrize("assignment,question,situation,source",
                         [(a, q, s, src) for a in DISGUISED for q, s, src in CARELESS[a]])
def test_hidden_tests_alone_catch_each_careless_function(assignment, question, situation, source):
    """Grading's hidden tests try only the edge cases: they must catch each careless function too."""
    namespace: dict = {}
    exec(source, namespace)
    function = next(v for k, v in namespace.items() if callable(v) and not k.startswith("__"))
    assert said(getattr(exercise(assignment), question).check_function, function).startswith(
        f"Not yet ({question})"), situation


def test_every_part_b_question_has_a_careless_answer_that_is_caught():
    covered = {(a, q) for a, rows in CARELESS.items() for q, _s, _src in rows}
    for assignment in ASSIGNMENTS:
        for name in exercise(assignment).questions:
            if name.startswith("q"):
                assert (assignment, name) in covered, (assignment, name)


def test_a_solution_only_after_a_first_check_and_never_when_switched_off(monkeypatch, tmp_path):
    ex = exercise("00_welcome")
    assert "try the question first" in said(ex.a2.solution)
    assert "try the question first" in said(ex.q1.solution)
    said(ex.a2.check, "A")
    said(ex.q1.check, ex.NOT_ANSWERED)
    assert f'answer_a2 = "{ex.a2.expected()}"' in said(ex.a2.solution)
    assert "One way to write it" in said(ex.q1.solution)
    (tmp_path / modes.SOLUTIONS_OFF_FILE).write_text("")
    assert "switched worked solutions off" in said(ex.a2.solution)
    (tmp_path / modes.SOLUTIONS_OFF_FILE).unlink()
    monkeypatch.setenv(modes.SOLUTIONS_ENV, "off")
    assert "switched worked solutions off" in said(ex.q1.solution)
    monkeypatch.setenv(modes.GRADING_ENV, "1")
    assert "not available while work is being graded" in said(ex.q1.solution)


def test_under_grading_a_wrong_or_missing_answer_raises_and_a_right_one_does_not(monkeypatch):
    from trustcircles.checks import CheckFailed

    ex = exercise("00_welcome")
    monkeypatch.setenv(modes.GRADING_ENV, "1")
    with pytest.raises(CheckFailed):
        ex.a2.check("?")
    with pytest.raises(CheckFailed):
        ex.a2.check("A" if ex.a2.expected() != "A" else "B")
    with pytest.raises(CheckFailed):
        ex.q2.check(ex.NOT_ANSWERED)
    said(ex.a2.check, ex.a2.expected())
    monkeypatch.delenv(modes.GRADING_ENV)
    assert said(ex.a2.check, "?").startswith("Not yet")          # a learner's kernel: no raise


# --------------------------------------------------------------------------- distractors, per assignment


def test_00_distractors_are_wrong_for_the_reason_they_give():
    """a2: the right archetype's share of replies is clearly the largest (≥ 10 points more than each
    other option, so the explorer's bars tell them apart), and each other option's largest kind is
    not replies; a1's tolerance is smaller than the gap to the next tenth's share."""
    from trustcircles.checks.ex_00_welcome import A2_OPTIONS
    from trustcircles.topics import community, welcome

    events, accounts = community()
    mix = welcome.kind_mix(events, accounts)
    q = exercise("00_welcome").a2
    right = A2_OPTIONS[q.expected()]
    for letter, archetype in A2_OPTIONS.items():
        if archetype == right:
            continue
        assert mix.loc[right, "reply"] - mix.loc[archetype, "reply"] >= 0.10
        kinds = [k for k in ("post", "reply", "mention", "dm", "like", "share") if k in mix.columns]
        assert mix.loc[archetype, kinds].astype(float).idxmax() != "reply"
        assert f"{mix.loc[archetype, 'reply']:.0%}" in q.choices.why[letter]
    a1 = exercise("00_welcome").a1
    assert abs(100 * welcome.top_share(events, 0.2) - a1.expected()) > a1.tolerance
