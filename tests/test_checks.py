"""trustcircles.checks: comparisons, friendly failures, and the 00_welcome questions (no nbgrader).

These tests run the checks as grading does (a wrong answer raises CheckFailed, which nbgrader counts
as a failed test cell); tests/test_part_a.py runs them as in a learner's kernel, where they print.
"""
import math

import numpy as np
import pandas as pd
import pytest

from trustcircles import checks, metrics
from trustcircles.checks import (CheckFailed, NOT_ANSWERED, exercise, same_frame, same_number,
                                 same_values)
from trustcircles.checks import modes
from trustcircles.data import load_interactions


@pytest.fixture(autouse=True)
def grading_kernel(monkeypatch):
    monkeypatch.setenv(modes.GRADING_ENV, "1")


def test_same_number_is_dtype_agnostic_with_relative_tolerance():
    assert same_number(5, np.int64(5)) and same_number(5, 5.0) and same_number(np.float32(0.5), 0.5)
    assert same_number(0.8, 0.8 * (1 + 5e-10)) and not same_number(0.8, 0.8 * (1 + 5e-9))
    assert same_number(None, float("nan")) and same_number(pd.NA, np.nan)
    assert not same_number(True, 1) and not same_number("5", 5) and not same_number(None, 0)


def test_same_values_and_frames_ignore_container_and_dtype():
    series = pd.Series({"reply": 3, "post": 1}, dtype="int32")
    assert same_values(series, {"post": 1.0, "reply": np.int64(3)})
    assert same_values(series, {"post": 1, "reply": 3, "like": 0}, ignore_zeros=True)
    assert not same_values(series, {"post": 1, "reply": 3, "like": 0})
    assert same_values({1, 2}, [2, 1]) and same_values(np.array([1, 2]), [1.0, 2.0])
    assert not same_values([1, 2], [2, 1])
    a = pd.DataFrame({"x": ["a", "b"], "n": [1, 2]}).astype({"x": "str"})
    b = pd.DataFrame({"n": [2.0, 1.0], "x": np.array(["b", "a"], dtype=object)}, index=[7, 9])
    assert same_frame(a, b) and not same_frame(a, b, check_order=True)
    assert not same_frame(a, b.assign(n=[2.0, 1.5]))


def test_expected_values_come_from_the_metrics_not_from_constants():
    ex = exercise("00_welcome")
    table = load_interactions("worked_example")
    assert ex.q2.expected(table) == len(metrics.ties(table))
    assert same_number(ex.q3.expected(table), metrics.questions_answered_rate(table))
    assert same_values(ex.q1.expected(table), table["kind"].value_counts())


def test_right_answers_print_correct(capsys):
    ex = exercise("00_welcome")
    table = load_interactions("worked_example")
    ex.q1.check(dict(table["kind"].value_counts()))
    ex.q2.check(np.int64(len(metrics.ties(table))))
    ex.q3.check(float(metrics.questions_answered_rate(table)))
    out = capsys.readouterr().out.splitlines()
    starts = [line for line in out if not line.startswith("  ")]   # continuation lines are indented
    assert len(starts) == 3 and all(line.startswith("Correct (q") for line in starts)
    assert all(len(line) <= 96 for line in out), "printed at word boundaries within say.WIDTH"


@pytest.mark.parametrize("answer, words", [
    (NOT_ANSWERED, "not answered yet"),
    (Ellipsis, "placeholder"),
    (None, "return"),
    ("5", "quotes"),
    (pd.Series([5]), ".iloc[0]"),
    (pd.Series([1, 2, 3]), "one number"),
    (True, "number"),
    (len, "not right"),                  # a function is run on the table, as a learner's would be
    (4, "not right"),
])
def test_wrong_answers_raise_a_friendly_check_failure(answer, words):
    ex = exercise("00_welcome")
    with pytest.raises(CheckFailed) as info:
        ex.q2.check(answer)
    assert isinstance(info.value, AssertionError)          # nbgrader counts it as a failure
    lines = info.value._render_traceback_()               # what Jupyter shows instead of a traceback
    shown = "\n".join(lines)
    assert words in shown and "Traceback" not in shown
    if answer is NOT_ANSWERED:        # nothing to hint at yet: it says how to answer
        assert lines[0].startswith("Not yet (q2): not answered yet")
        return
    assert "Hint:" in shown and lines[0].startswith("Not yet (q2): checked the number of ties")
    if not isinstance(answer, str):   # never the answer (unless the learner typed it, as text)
        assert str(ex.q2.expected(load_interactions("worked_example"))) not in shown


def test_counts_question_names_what_is_missing():
    ex = exercise("00_welcome")
    with pytest.raises(CheckFailed, match="no count for: dm"):
        ex.q1.check({"reply": 3, "post": 1, "mention": 1})
    with pytest.raises(CheckFailed, match="one count per label"):
        ex.q1.check(load_interactions("worked_example"))


def test_check_function_tries_other_tables_and_reports_in_words():
    ex = exercise("00_welcome")
    ex.q2.check_function(lambda t: len(metrics.ties(t)))
    naive = lambda t: len(t[t["kind"] != "post"][["actor", "target"]].drop_duplicates())
    assert naive(load_interactions("worked_example")) == 5      # right on the notebook's table ...
    with pytest.raises(CheckFailed) as info:                    # ... wrong on another one
        ex.q2.check_function(naive)
    assert "different answer on a table with" in str(info.value)

    def broken(table):
        return table["no such column"]
    with pytest.raises(CheckFailed, match="stopped with KeyError"):
        ex.q1.check_function(broken)

    def unanswered(table):
        raise NotImplementedError()
    with pytest.raises(CheckFailed, match="not written yet"):
        ex.q3.check_function(unanswered)
    # a table without questions: the share is missing, and None or NaN are both accepted
    ex.q3.check_function(lambda t: metrics.questions_answered_rate(t))
    with pytest.raises(CheckFailed, match="nothing to divide by"):
        ex.q3.check_function(lambda t: 0.0 if math.isnan(metrics.questions_answered_rate(t))
                             else metrics.questions_answered_rate(t))


def test_hint_and_unknown_assignment(capsys):
    exercise("00_welcome").q3.hint()
    assert capsys.readouterr().out.startswith("Hint (q3): ")
    with pytest.raises(CheckFailed, match="no checks for an assignment"):
        exercise("no_such_assignment")
    assert "00_welcome" in checks._REGISTRY


# --------------------------------------------------------------------------- shared options

def _rows_of(table, account):
    return int((table["target"] == account).sum())


def test_variants_pass_extra_arguments_and_the_notebook_has_its_own():
    table = load_interactions("worked_example")
    seen = []
    q = checks.Question("q1", "the events addressed to one account", _rows_of, lambda: table,
                        args=lambda: (seen.append("notebook") or "ann",), function_name="events_of",
                        hint_text="filter on actor.",
                        variants=[checks.Variant("the worked example, for bob", lambda: table, args="bob"),
                                  checks.Variant("the worked example, for cat", lambda: table,
                                                 args=lambda: ("cat",))])
    assert q.account == "ann" and q.notebook_args() == ("ann",) and seen == ["notebook"]  # once
    q.check(_rows_of(table, "ann"))
    q.check_function(lambda t, account: int((t["target"] == account).sum()))
    with pytest.raises(CheckFailed, match="different answer on the worked example, for bob"):  # disguised
        q.check_function(lambda t, account: int((t["target"] == "cat").sum()))  # ignores its argument
    with pytest.raises(CheckFailed, match="stopped with TypeError"):
        q.check_function(lambda t: len(t))                                       # forgot the argument


def test_a_second_table_is_an_argument_and_is_handed_over_as_a_copy(capsys):
    table = load_interactions("worked_example")
    people = pd.DataFrame({"account": ["ann", "bob"]})

    def talkers(t, accounts):
        return int(t["actor"].isin(accounts["account"]).sum())
    q = checks.Question("q2", "the events of listed accounts", talkers, lambda: table, args=lambda: people,
                        variants=[checks.Variant("the worked example and two accounts", lambda: table,
                                                 args=lambda: people)])

    def greedy(t, accounts):
        names = list(accounts["account"])
        accounts.drop(accounts.index, inplace=True)    # changes its own copy only
        return int(t["actor"].isin(names).sum())
    q.check_function(greedy)
    assert len(people) == 2
    assert "also handles 1 other small table" in capsys.readouterr().out


def test_notebook_answer_on_a_subset_hidden_tests_on_everything():
    """As 04_every_question q3: the notebook asks about newcomers, the hidden tests call f(table)."""
    ex = exercise("04_every_question")
    q3 = ex.q3
    assert q3.variants and all(v.arguments() == () for v in q3.variants)
    assert q3.notebook_args() and isinstance(q3.notebook_args()[0], list)


PER_LABEL = {"ann": 0.5, "bob": 0.25, "cat": float("nan")}


def _per_label(missing_ok=True, expected=PER_LABEL):
    return checks.Question("q1", "the share of each account", lambda t: pd.Series(expected),
                           lambda: None, kind="per_label", label="account", missing_ok=missing_ok,
                           hint_text="per account.")


def test_per_label_right_answers_print_one_line(capsys):
    _per_label().check({"ann": 0.5, "bob": 0.25})                       # cat (no value) left out
    _per_label().check(pd.Series({"bob": 0.25, "ann": 0.5, "cat": None}))  # or given as missing
    many = {f"a{i:03d}": i / 100 for i in range(40)}
    _per_label(expected=many).check(dict(many))
    out = capsys.readouterr().out.splitlines()
    starts = [line for line in out if not line.startswith("  ")]   # continuation lines are indented
    assert len(starts) == 3 and all(line.startswith("Correct (q") for line in starts)
    assert all(len(line) <= 96 for line in out), "printed at word boundaries within say.WIDTH"
    assert "ann: 0.5, bob: 0.25" in out[0]
    assert "all 40 values match (one per account)" in out[2] and "a001" not in out[2]


@pytest.mark.parametrize("answer, words", [
    ({"ann": 0.5}, "no value for 1 account(s) that should have one, e.g. bob"),
    ({"ann": 0.5, "bob": 0.25, "dan": 0.75}, "values for 1 account(s) that should have none, e.g. dan"),
    ({"ann": 0.5, "bob": 0.25, "cat": 0.75}, "nothing to count or divide by here, e.g. cat"),
    ({"ann": 0.5, "bob": 0.3}, "1 of 2 value(s) are off, e.g. for account bob: you have the number 0.3"),
    ({"ann": 0.5, "bob": "0.25"}, "answer_q1['bob'] is the text '0.25'; it should be a number"),
    (0.5, "one value per account: a Series indexed by account"),
    (pd.DataFrame({"share": [0.5]}), "give one value per account as a Series"),
    (None, "return"),
])
def test_per_label_says_which_labels_are_wrong_never_the_right_values(answer, words):
    with pytest.raises(CheckFailed) as info:
        _per_label().check(answer)
    shown = "\n".join(info.value._render_traceback_())
    assert words in shown and "Hint: per account." in shown
    for right in ("0.25", "0.5"):   # the right values appear only if the learner typed them
        if right not in repr(answer):
            assert right not in shown, shown


def test_per_label_without_missing_ok_wants_every_label():
    with pytest.raises(CheckFailed, match="no value for 1 account"):
        _per_label(missing_ok=False).check({"ann": 0.5, "bob": 0.25})
    _per_label(missing_ok=False).check({"ann": 0.5, "bob": 0.25, "cat": float("nan")})


def test_few_labels_are_named_when_the_answer_is_not_a_mapping():
    with pytest.raises(CheckFailed, match="with the keys 'ann', 'bob', 'cat'"):
        _per_label().check([0.5, 0.25])


def test_every_exercise_uses_the_shared_classes_and_catches_a_function_returning_none():
    checks._load_all()
    for assignment in sorted(checks._REGISTRY):
        for name, question in exercise(assignment).questions.items():
            if name.startswith("a"):      # Part A: read the data, answered with a literal
                assert isinstance(question, (checks.ChoiceQuestion, checks.NumberQuestion,
                                             checks.LabelsQuestion)), (assignment, name)
                continue
            assert type(question) is checks.Question, (assignment, name)
            assert all(type(v) is checks.Variant for v in question.variants), (assignment, name)
            with pytest.raises(CheckFailed):
                question.check_function(lambda *args: None)


def test_a_number_written_with_a_comma_gets_a_message_naming_the_comma():
    """answer_a1 = 1,234 (copied from a sentence) or 1,5 (a European decimal) is a tuple in
    Python: the check says so and how to write it, and does not take it as right."""
    question = checks.NumberQuestion(name="a1", checked="the count", value=lambda: 1234)
    right, message = question.judge((1, 234))
    assert not right
    assert "comma" in message and "= 1234" in message and "= 1.234" in message, message
    assert question.judge(1234)[0] and not question.judge((1, 5))[0]
