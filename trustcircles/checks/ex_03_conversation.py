"""Checks and hints for the assignment 03_conversation (lesson 03, From information to conversation).

q1: each account's broadcast ratio (METRICS.md, via trustcircles.metrics.broadcast_ratio);
q2: the share of promotional and of personal messages that got a reply from someone else (the
lesson's own function, trustcircles.widgets.conversation.reply_share_by_promotion).
"""
from __future__ import annotations

import warnings

import pandas as pd

from trustcircles.checks import (NOT_ANSWERED, CheckFailed, Question, Variant, _placeholder_message,
                                 as_mapping, describe, is_missing, register, same_number)
from trustcircles.checks.tables import with_rows as _with_rows
from trustcircles.checks.tables import without as _without


def _community() -> pd.DataFrame:
    from trustcircles.data import load_interactions
    return load_interactions("community")


class PerAccountQuestion(Question):
    """A question whose answer is one number per account (a Series or dict: account -> value).

    Accounts whose value is missing (nothing to divide by) may be left out or given as NaN/None:
    both are accepted. Messages say which accounts are missing, extra or off, never the right value.
    """

    def check(self, answer=NOT_ANSWERED) -> None:
        """Check the answer on the notebook's table; when right, say so in one short line."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = self.expected(self.table())
            problem = self._compare(answer, expected, f"answer_{self.name}")
        if problem:
            raise CheckFailed(self.name, f"checked {self.checked}.\n{problem}\n"
                                         f"Hint: {self.hint_text}  (ex.{self.name}.hint())")
        count = sum(not is_missing(v) for v in as_mapping(expected).values())
        print(f"Correct: {self.checked}: all {count} values match."
              + (f" {self.explanation}" if self.explanation else ""))

    def _compare(self, answer, expected, name: str) -> str | None:
        problem = _placeholder_message(name, answer)
        if problem:
            return problem
        if isinstance(answer, pd.DataFrame):
            return (f"{name} is {describe(answer)}; give one value per account as a Series "
                    "(e.g. one column of the table, indexed by account) or a dict.")
        got = as_mapping(answer)
        if got is None:
            return (f"{name} is {describe(answer)}; the question asks for one value per account: "
                    "a Series indexed by account, or a dict {account: value}.")
        got = {k: v for k, v in got.items() if not is_missing(v)}
        want = {k: v for k, v in as_mapping(expected).items() if not is_missing(v)}
        missing = sorted(str(k) for k in want if k not in got)
        if missing:
            return (f"{name} has no value for {len(missing)} account(s) that should have one, "
                    f"e.g. {', '.join(missing[:3])}.")
        extra = sorted(str(k) for k in got if k not in want)
        if extra:
            return (f"{name} has values for {len(extra)} account(s) that should have none "
                    f"(nothing to divide by), e.g. {', '.join(extra[:3])}.")
        off = [k for k in want if not same_number(got[k], want[k])]
        if off:
            return (f"{name} has the right accounts, but {len(off)} value(s) are off, e.g. "
                    f"account {off[0]}: you have {describe(got[off[0]])}.")
        return None


def _broadcast_ratios(table: pd.DataFrame) -> pd.Series:
    from trustcircles import metrics
    return metrics.broadcast_ratio(table).dropna()


def _reply_shares(table: pd.DataFrame) -> dict:
    from trustcircles.widgets.conversation import reply_share_by_promotion
    return reply_share_by_promotion(table)


def _row(event_id, timestamp, actor, target, kind, parent_id="", question=False, promotional=False):
    return dict(event_id=event_id, timestamp=timestamp, actor=actor, target=target, kind=kind,
                parent_id=parent_id, is_question=question, is_promotional=promotional)


@register("03_conversation")
def _conversation() -> dict[str, Question]:
    # Small variant tables for the hidden tests, described in words only.
    self_like_and_post = _with_rows([
        _row("x1", "2025-03-06T09:00:00Z", "ann", "ann", "reply", "e00001"),
        _row("x2", "2025-03-06T10:00:00Z", "cat", "ann", "like", "e00001"),
        _row("x3", "2025-03-06T11:00:00Z", "dan", "", "post", promotional=True),
        _row("x4", "2025-03-06T12:00:00Z", "eve", "dan", "share", "x3"),
    ])
    no_ann_post = _without(("e00001",))
    replies_that_do_not_count = _with_rows([
        _row("y1", "2025-03-04T09:00:00Z", "cat", "cat", "reply", "e00004"),
        _row("y2", "2025-03-04T10:00:00Z", "bob", "ann", "like", "e00003"),
        _row("y3", "2025-03-04T11:00:00Z", "dan", "ann", "reply", "e00001"),
        _row("y4", "2025-03-04T12:00:00Z", "dan", "", "post", promotional=True),
        _row("y5", "2025-03-04T13:00:00Z", "ann", "dan", "reply", "y4"),
    ])
    no_promotion = _without(("e00004", "e00005"))
    return {
        "q1": PerAccountQuestion(
            "q1", "the broadcast ratio of every account that wrote something", _broadcast_ratios,
            _community, kind="per_account", function_name="broadcast_ratios",
            hint_text="the messages an account wrote are its posts, replies, mentions and DMs, leaving "
                      "out anything addressed to itself (actor = target); likes and shares are not "
                      "written. The broadcast ratio is the share of those that are posts.",
            explanation="Broadcasters post most of what they write; most others mostly talk to someone.",
            variants=[Variant("the worked example with a self-reply, a like, a promotional post and a share "
                              "added", self_like_and_post),
                      Variant("the worked example without ann's question post", no_ann_post)]),
        "q2": Question(
            "q2", "the share of promotional and of personal messages that got a reply", _reply_shares,
            _community, kind="values", function_name="reply_shares",
            hint_text="for each message written (post, reply, mention, dm; not addressed to oneself), "
                      "ask whether some reply names it as parent_id and comes from another account. "
                      "Count each message once, however many replies it got; likes are not replies.",
            explanation="Promotional messages mostly meet silence; personal ones are answered far more often.",
            variants=[Variant("the worked example", _without(())),
                      Variant("the worked example with a self-reply, a like, a second reply and a "
                              "promotional post that got a reply added", replies_that_do_not_count),
                      Variant("the worked example without its promotional messages", no_promotion)]),
    }
