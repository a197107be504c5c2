"""The lessons' vocabulary: what each topic computes, in pandas, and the words that say it.

One module per topic, named like the lesson's widgets module (``topics/attention.py`` for lesson 01,
``widgets/attention.py`` draws it). A topic module holds the numbers a lesson, its explorer and its
exercise's checks share (tables, shares, medians, readings in words), built on
:mod:`trustcircles.metrics` so that they agree with the report. It imports no plotly and no
ipywidgets: a graded notebook loads :mod:`trustcircles.checks`, which uses these modules, without
the figure libraries. Figures and explorers live in :mod:`trustcircles.widgets`.

* :mod:`trustcircles.topics.archetypes`: the simulated archetypes in words, their names and the
  orders figures show them in (written once, here);
* :func:`community`: the community dataset's two tables, loaded once per kernel.
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from trustcircles.data import load_accounts, load_interactions


@lru_cache(maxsize=4)
def community(name: str = "community", text: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The interactions and accounts tables of a dataset, loaded once per session (shared: copy
    them before changing them). ``text=False``: the interactions without the messages' texts, for
    computations that read none (see :func:`trustcircles.data.load_interactions`)."""
    return load_interactions(name, text=text), _accounts(name)


@lru_cache(maxsize=2)
def _accounts(name: str) -> pd.DataFrame:
    return load_accounts(name)
