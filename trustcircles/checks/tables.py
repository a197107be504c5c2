"""Small tables for checks and hidden tests: the worked example and variations of it."""
from __future__ import annotations

from typing import Callable

import pandas as pd


def worked_example() -> pd.DataFrame:
    """The six-event worked example of METRICS.md."""
    from trustcircles.data import load_interactions
    return load_interactions("worked_example")


def community() -> pd.DataFrame:
    """The community dataset's interactions, as the notebooks load them (a copy of the one load
    :func:`trustcircles.topics.community` makes per session)."""
    from trustcircles.topics import community as loaded
    return loaded()[0].copy()


def row(event_id, timestamp, actor, target, kind, parent_id="", question=False, promotional=False) -> dict:
    """One event for :func:`with_rows`, in the METRICS.md columns (flags default to false)."""
    return dict(event_id=event_id, timestamp=timestamp, actor=actor, target=target, kind=kind,
                parent_id=parent_id, is_question=question, is_promotional=promotional)


def with_rows(rows: list[dict]) -> Callable[[], pd.DataFrame]:
    """The worked example plus some rows (METRICS.md columns as text)."""
    def build():
        from trustcircles.data import as_interactions
        base = worked_example()
        extra = pd.DataFrame(rows)
        for column in ("is_question", "is_promotional"):
            extra[column] = extra[column].astype(bool)
        extra["timestamp"] = pd.to_datetime(extra["timestamp"], utc=True)
        return as_interactions(pd.concat([base, extra], ignore_index=True))
    return build


def without(event_ids: tuple[str, ...]) -> Callable[[], pd.DataFrame]:
    """The worked example without the given events."""
    def build():
        table = worked_example()
        return table[~table["event_id"].isin(event_ids)].reset_index(drop=True)
    return build
