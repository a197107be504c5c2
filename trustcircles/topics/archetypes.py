"""The archetypes of the simulated community: what each does, its name in words, and the orders in
which the lessons' figures and tables list them.

Archetypes describe behaviour the simulator (:mod:`trustcircles.simulate.community`) follows; real
people mix these and change over time. Colours are in :data:`trustcircles.plots.ARCHETYPE_COLOURS`.
"""
from __future__ import annotations

from typing import Iterable

#: What each archetype of the simulated community does, in plain words (it describes behaviour that
#: the simulator follows; real people mix these and change over time). In the simulator's order.
ARCHETYPES = {
    "trust_builder": "opens contact by answering what others said, answers questions quickly, "
                     "keeps coming back to the people they know and never sells",
    "transactional": "opens contact with cold mentions and direct messages that sell, follows up "
                     "a few times and then drops the contact",
    "broadcaster": "posts a lot to a large audience and seldom replies",
    "listener": "mostly reads and likes, writes now and then and answers when asked",
    "troll": "writes hostile replies aimed at the most visible accounts",
    "newcomer": "joins part-way through and asks a first question, and stays if it gets an answer",
    "outsourced": "is run by a scheduling tool or an agency: posts queued on the clock, canned replies "
                  "in office hours only, and never a second turn in a conversation",
}

#: Plural names for sentences ("the 60 trust builders").
PLURALS = {"trust_builder": "trust builders", "transactional": "transactional accounts",
           "broadcaster": "broadcasters", "listener": "listeners", "troll": "trolls",
           "newcomer": "newcomers", "outsourced": "outsourced accounts"}

#: Lesson 07's names for groups of accounts in figures (accounts without an archetype: unknown).
GROUP_NAMES = {
    "trust_builder": "trust builders", "transactional": "transactional sellers",
    "broadcaster": "broadcasters (audiences)", "listener": "listeners", "newcomer": "newcomers",
    "troll": "trolls", "outsourced": "outsourced (scheduler or agency)", "unknown": "unknown",
}

# The orders figures list archetypes in. Each lesson puts first what it contrasts; changing one
# changes that lesson's figures. The outsourced accounts (lesson 12) come last everywhere.
#: Lessons 01 and 02: the contrast first (transactional, then trust builders), the others after.
CONTRAST_ORDER = ("transactional", "trust_builder", "broadcaster", "listener", "newcomer", "troll", "outsourced")
#: Lessons 03 and 04: trust-building first, from the most conversational to the least.
CONVERSATION_ORDER = ("trust_builder", "listener", "newcomer", "broadcaster", "transactional", "troll", "outsourced")
#: Lesson 05: the order of the colours (trustcircles.plots.ARCHETYPE_COLOURS).
AUDIENCE_ORDER = ("trust_builder", "transactional", "broadcaster", "listener", "newcomer", "troll", "outsourced")
#: Lesson 06: roughly from the largest circles to the smallest.
CIRCLES_ORDER = ("trust_builder", "listener", "broadcaster", "newcomer", "transactional", "troll", "outsourced")
#: Lesson 09: the two behaviours the course contrasts, then the others.
IN_PERSON_ORDER = ("trust_builder", "transactional", "listener", "broadcaster", "newcomer", "troll", "outsourced")


def label(archetype: str) -> str:
    """An archetype's name for people to read: ``trust_builder`` -> ``trust builder``."""
    return archetype.replace("_", " ")


def in_order(present: Iterable[str], order: Iterable[str]) -> list[str]:
    """The archetypes ``present``, in ``order`` first, then any others alphabetically."""
    present, order = set(present), tuple(dict.fromkeys(order))   # an archetype put first is listed once
    return [a for a in order if a in present] + sorted(present - set(order))
