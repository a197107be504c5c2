"""Seeded agent-based simulators behind the course's synthetic datasets.

* :func:`simulate_community`: a professional online community of seven archetypes, with in-person
  meetups (the ``community`` and ``meetups`` datasets);
* :func:`simulate_workplace`: an organisation adopting an internal platform (``workplace``);
* :mod:`trustcircles.simulate.build` turns their raw output, through :mod:`trustcircles.anonymise`,
  into the shipped files (``python -m trustcircles datasets build``).

Everything is driven by one seed per dataset: the same seed gives the same data, byte for byte.
"""
from trustcircles.simulate.community import (ARCHETYPES, CommunityConfig, CommunityResult,
                                             simulate_community)
from trustcircles.simulate.workplace import (WorkplaceConfig, WorkplaceResult, activity_by_band,
                                             simulate_workplace, weekly_active_share,
                                             weeks_to_adoption)

__all__ = ["ARCHETYPES", "CommunityConfig", "CommunityResult", "simulate_community",
           "WorkplaceConfig", "WorkplaceResult", "simulate_workplace", "weekly_active_share",
           "weeks_to_adoption", "activity_by_band"]
