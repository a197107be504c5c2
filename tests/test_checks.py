"""trustcircles.checks: comparisons, friendly failures, and the 00_welcome questions (no nbgrader)."""
import math

import numpy as np
import pandas as pd
import pytest

from trustcircles import checks, metrics
from trustcircles.checks import (CheckFailed, NOT_ANSWERED, exercise, same_frame, same_number,
                                 same_values)
from trustcircles.data import load_interactions


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
    assert len(out) == 3 and all(line.startswith("Correct: ") for line in out)


@pytest.mark.parametrize("answer, words", [
    (NOT_ANSWERED, "NotImplementedError"),
    (Ellipsis, "placeholder"),
    (None, "return"),
    ("5", "quotes"),
    (pd.Series([5]), ".iloc[0]"),
    (pd.Series([1, 2, 3]), "one number"),
    (True, "number"),
    (len, "Call it"),
    (4, "not right"),
])
def test_wrong_answers_raise_a_friendly_check_failure(answer, words):
    ex = exercise("00_welcome")
    with pytest.raises(CheckFailed) as info:
        ex.q2.check(answer)
    assert isinstance(info.value, AssertionError)          # nbgrader counts it as a failure
    lines = info.value._render_traceback_()               # what Jupyter shows instead of a traceback
    shown = "\n".join(lines)
    assert words in shown and "Traceback" not in shown and "Hint:" in shown
    assert lines[0].startswith("Not yet (q2): checked the number of ties")
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
    assert "different answer on the example with" in str(info.value)

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
