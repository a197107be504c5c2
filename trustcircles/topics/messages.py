"""Real-looking messages from a dataset, to read and sort (Part A questions, lessons).

:func:`sorting_sample` picks a few messages of each kind of behaviour (e.g. a pitch, a listening
reply, a broadcast, a hostile reply) from a table's ``text`` column, the same ones every time for
the same data, and says which is which from the table's own columns (``kind``, ``is_promotional``,
``is_question``, ``is_hostile``): the right labels come from the data, never from a person.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

#: label -> (what it means, which rows are of that kind). A message fits exactly one label.
BEHAVIOURS: dict[str, tuple[str, Callable[[pd.DataFrame], pd.Series]]] = {
    "pitch": ("sells or promotes something",
              lambda t: t["is_promotional"] & ~t["is_hostile"]),
    "reply": ("answers or takes up what someone else said, without selling",
              lambda t: (t["kind"] == "reply") & ~t["is_promotional"] & ~t["is_hostile"]),
    "broadcast": ("a post to everyone and no one in particular, without selling",
                  lambda t: (t["kind"] == "post") & ~t["is_promotional"] & ~t["is_hostile"]),
    "hostile": ("attacks or belittles someone",
                lambda t: t["is_hostile"]),
}

#: label -> (what it means, which rows): asking and selling, as the table's two flags say
ASKS_OR_SELLS: dict[str, tuple[str, Callable[[pd.DataFrame], pd.Series]]] = {
    "question": ("asks something and sells nothing", lambda t: t["is_question"] & ~t["is_promotional"]),
    "promotion": ("sells or promotes something and asks nothing",
                  lambda t: t["is_promotional"] & ~t["is_question"]),
    "neither": ("neither asks nor sells", lambda t: ~t["is_question"] & ~t["is_promotional"]),
}


def sorting_sample(table: pd.DataFrame, rules: dict, counts: dict[str, int], seed: int = 7
                   ) -> pd.DataFrame:
    """``counts[label]`` messages of each label, shuffled: columns event_id, text, label.

    Only authored events with text count; each message text appears once (the simulator repeats
    phrasings); among the candidates the choice is seeded, so the same data give the same sample.
    """
    authored = table[table["kind"].isin(["post", "reply", "mention", "dm"])
                     & table["text"].fillna("").str.strip().ne("")].copy()
    for column in ("is_hostile", "is_promotional", "is_question"):
        if column not in authored.columns:
            authored[column] = False
    authored = authored.sort_values("event_id").drop_duplicates("text")
    rng = np.random.default_rng(seed)
    picked = []
    for label, (_meaning, rule) in rules.items():
        want = counts.get(label, 0)
        if not want:
            continue
        candidates = authored[rule(authored).to_numpy(dtype=bool)]
        if len(candidates) < want:
            raise ValueError(f"only {len(candidates)} messages of the kind {label!r} in the table")
        rows = candidates.iloc[np.sort(rng.choice(len(candidates), size=want, replace=False))]
        picked.append(rows.assign(label=label)[["event_id", "text", "label"]])
    sample = pd.concat(picked, ignore_index=True)
    return sample.iloc[rng.permutation(len(sample))].reset_index(drop=True)


#: label -> (what it means, which rows): replies only, hostile or not (lesson 07): a hostile reply,
#: a reply that sells, and every other reply
HOSTILE_OR_NOT: dict[str, tuple[str, Callable[[pd.DataFrame], pd.Series]]] = {
    "hostile": ("attacks or belittles the person it answers",
                lambda t: (t["kind"] == "reply") & t["is_hostile"]),
    "pitch": ("sells or promotes something (a product, an offer, a sales call)",
              lambda t: (t["kind"] == "reply") & t["is_promotional"] & ~t["is_hostile"]),
    "reply": ("takes up what the other person said, without attacking or selling",
              lambda t: (t["kind"] == "reply") & ~t["is_promotional"] & ~t["is_hostile"]),
}
