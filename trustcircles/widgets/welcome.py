"""Lesson 00, Welcome: a first look at the community dataset, and how the course's pieces work.

* :data:`ARCHETYPES` says in plain words what each simulated archetype does (behaviour, not people);
  :data:`ARCHETYPE_COLOURS` gives each one a colour from the Okabe–Ito palette, the same in every
  lesson of this group (trust builders green, transactional accounts vermilion);
* :func:`weekly_kinds` and :func:`weekly_figure` show the rhythm of the community week by week;
* :func:`activity_spread`, :func:`top_share` and :func:`spread_figure` show how unevenly activity is
  spread over accounts (a few do much, many do little);
* :class:`ArchetypeExplorer` (registered for lesson "00"): pick an archetype and see what its members
  do, kind by kind, next to the whole community.
"""
from __future__ import annotations

from functools import lru_cache

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from trustcircles import plots
from trustcircles.data import KINDS, load_accounts, load_interactions
from trustcircles.widgets import Explorer, register

#: What each archetype of the simulated community does, in plain words (it describes behaviour that
#: the simulator follows; real people mix these and change over time).
ARCHETYPES = {
    "trust_builder": "opens contact by answering what others said, answers questions quickly, "
                     "keeps coming back to the people they know and never sells",
    "transactional": "opens contact with cold mentions and direct messages that sell, follows up "
                     "a few times and then drops the contact",
    "broadcaster": "posts a lot to a large audience and seldom replies",
    "listener": "mostly reads and likes, writes now and then and answers when asked",
    "troll": "writes hostile replies aimed at the most visible accounts",
    "newcomer": "joins part-way through and asks a first question, and stays if it gets an answer",
}

#: One colour per archetype, the same in every lesson (see trustcircles.plots).
ARCHETYPE_COLOURS = plots.ARCHETYPE_COLOURS

#: Colours of the six kinds of event in the weekly figure.
KIND_COLOURS = dict(zip(KINDS, plots.COLORWAY))

#: What each kind of event is, in a few words (for hover text).
KIND_WORDS = {
    "post": "a post to nobody in particular", "reply": "an answer to someone's event",
    "mention": "naming someone in a message", "dm": "a direct message",
    "like": "a like (attention, not conversation)", "share": "a share (attention, not conversation)",
}


#: Plural names for sentences ("the 60 trust builders").
PLURALS = {"trust_builder": "trust builders", "transactional": "transactional accounts",
           "broadcaster": "broadcasters", "listener": "listeners", "troll": "trolls",
           "newcomer": "newcomers"}
KIND_PLURALS = {"post": "posts", "reply": "replies", "mention": "mentions", "dm": "direct messages",
                "like": "likes", "share": "shares"}


def label(archetype: str) -> str:
    """An archetype's name for people to read: ``trust_builder`` -> ``trust builder``."""
    return archetype.replace("_", " ")


@lru_cache(maxsize=2)
def community(name: str = "community") -> tuple[pd.DataFrame, pd.DataFrame]:
    """The interactions and accounts tables of a dataset, loaded once per session."""
    return load_interactions(name), load_accounts(name)


def archetype_table(accounts: pd.DataFrame) -> pd.DataFrame:
    """How many accounts follow each archetype, with what that archetype does in plain words."""
    counts = accounts["archetype"].value_counts()
    return pd.DataFrame({"archetype": [label(a) for a in ARCHETYPES],
                         "accounts": [int(counts.get(a, 0)) for a in ARCHETYPES],
                         "what its members do": list(ARCHETYPES.values())}).set_index("archetype")


def weekly_kinds(table: pd.DataFrame) -> pd.DataFrame:
    """Events per week by kind: one row per week since the first event (week 1, 2, ...), one
    column per kind. A week is 7 days counted from the table's first timestamp."""
    start = table["timestamp"].min()
    week = ((table["timestamp"] - start) // pd.Timedelta(days=7)).to_numpy() + 1
    counts = pd.crosstab(week, table["kind"].to_numpy())
    counts = counts.reindex(columns=[k for k in KINDS if k in counts.columns], fill_value=0)
    counts.index.name, counts.columns.name = "week", "kind"
    return counts


def weekly_figure(table: pd.DataFrame) -> go.Figure:
    """Stacked areas: how many events of each kind happened each week."""
    counts = weekly_kinds(table)
    fig = go.Figure()
    for kind in counts.columns:
        fig.add_trace(go.Scatter(
            x=counts.index, y=counts[kind], name=kind, stackgroup="kinds", mode="lines",
            line={"width": 0.5, "color": KIND_COLOURS[kind]},
            hovertemplate=f"week %{{x}}: %{{y:,}} {kind} events<br>({KIND_WORDS[kind]})<extra></extra>"))
    return plots.style(fig, "Events per week, by kind", "week of the dataset (1 = first week)",
                       "events per week (count)")


def hourly_rhythm(table: pd.DataFrame) -> pd.DataFrame:
    """Share of all events in each hour of the day (UTC), weekdays and weekends apart (each 0-1)."""
    ts = table["timestamp"]
    weekend = np.where(ts.dt.dayofweek.to_numpy() >= 5, "weekend", "weekday")
    counts = pd.crosstab(ts.dt.hour.to_numpy(), weekend)
    counts.index.name = "hour"
    return counts / counts.sum()


def rhythm_figure(table: pd.DataFrame) -> go.Figure:
    """Lines: the share of a weekday's and of a weekend day's events in each hour of the day."""
    shares = hourly_rhythm(table)
    fig = go.Figure()
    for column, colour in (("weekday", plots.PALETTE["blue"]), ("weekend", plots.PALETTE["orange"])):
        if column in shares:
            fig.add_trace(go.Scatter(
                x=shares.index, y=shares[column], name=column + "s", mode="lines+markers",
                line={"color": colour},
                hovertemplate=f"{column}s, %{{x}}:00-%{{x}}:59: %{{y:.1%}} of their events<extra></extra>"))
    fig.update_yaxes(tickformat=".0%")
    return plots.style(fig, "When people are active: events by hour of the day",
                       "hour of the day (UTC, 0-23)", "share of the events (%)")


def activity_spread(table: pd.DataFrame) -> pd.DataFrame:
    """Accounts from most to least active: for the top x share of accounts (0-1), the share of all
    events (0-1) they were the actor of. Accounts that never act count as doing 0 events."""
    accounts = pd.unique(pd.concat([table["actor"], table["target"].dropna()]))
    events = table["actor"].value_counts().reindex(accounts, fill_value=0)
    events = np.sort(events.to_numpy())[::-1]
    return pd.DataFrame({"share_of_accounts": np.arange(1, len(events) + 1) / len(events),
                         "share_of_events": np.cumsum(events) / max(events.sum(), 1),
                         "events": events})


def top_share(table: pd.DataFrame, fraction: float = 0.1) -> float:
    """The share of all events (0-1) done by the most active ``fraction`` of the accounts
    (rounded up to whole accounts)."""
    spread = activity_spread(table)
    n = int(np.ceil(fraction * len(spread)))
    return float(spread["share_of_events"].iloc[n - 1]) if n else 0.0


def spread_figure(table: pd.DataFrame, fraction: float = 0.1) -> go.Figure:
    """The cumulative share of events against the share of accounts, most active first, with the
    even-spread diagonal and a marker at the top ``fraction``."""
    spread = activity_spread(table)
    x = np.r_[0, spread["share_of_accounts"]]
    y = np.r_[0, spread["share_of_events"]]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="if everyone did the same",
                             line={"color": plots.PALETTE["black"], "dash": "dot", "width": 1},
                             hoverinfo="skip"))
    fig.add_trace(go.Scatter(
        x=x, y=y, mode="lines", name="the community", line={"color": plots.PALETTE["blue"], "width": 3},
        hovertemplate="the most active %{x:.0%} of accounts did %{y:.0%} of all events<extra></extra>"))
    share = top_share(table, fraction)
    fig.add_trace(go.Scatter(
        x=[fraction], y=[share], mode="markers", name=f"top {fraction:.0%}",
        marker={"size": 12, "color": plots.PALETTE["orange"]},
        hovertemplate=f"top {fraction:.0%} of accounts: {share:.0%} of events<extra></extra>"))
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02])
    return plots.style(fig, "How activity is spread over accounts (most active first)",
                       "share of accounts, most active first (%)", "share of all events (%)")


def spread_sentence(table: pd.DataFrame, fraction: float = 0.1) -> str:
    """One sentence with the top ``fraction``'s share of events, computed now."""
    spread = activity_spread(table)
    n = int(np.ceil(fraction * len(spread)))
    median = float(np.median(spread["events"]))
    return (f"The most active {n} of {len(spread)} accounts ({fraction:.0%}) did "
            f"{top_share(table, fraction):.0%} of all {len(table):,} events; the median account "
            f"did {median:g}.")


def kind_mix(table: pd.DataFrame, accounts: pd.DataFrame) -> pd.DataFrame:
    """For each archetype (rows, plus ``everyone``), the share of its members' events of each kind
    (columns, each row sums to 1), with the number of members and events."""
    who = accounts.set_index("account")["archetype"]
    arche = who.reindex(table["actor"]).fillna("unknown").to_numpy()
    counts = pd.crosstab(arche, table["kind"].to_numpy())
    counts.loc["everyone"] = counts.sum()
    counts = counts.reindex(columns=[k for k in KINDS if k in counts.columns], fill_value=0)
    mix = counts.div(counts.sum(axis=1), axis=0)
    mix["events"] = counts.sum(axis=1)
    members = who.value_counts()
    mix["members"] = [int(members.get(a, len(who) if a == "everyone" else 0)) for a in mix.index]
    return mix


class ArchetypeExplorer(Explorer):
    """Pick an archetype: what its members do, kind by kind, beside the whole community."""

    def __init__(self, table: pd.DataFrame | None = None, accounts: pd.DataFrame | None = None):
        if table is None or accounts is None:
            table, accounts = community()
        self.mix = kind_mix(table, accounts)
        self.kinds = [k for k in KINDS if k in self.mix.columns]
        options = [(label(a), a) for a in ARCHETYPES if a in self.mix.index]
        picker = widgets.Dropdown(options=options, value="trust_builder" if "trust_builder" in self.mix.index
                                  else options[0][1], description="archetype")
        everyone = self.mix.loc["everyone", self.kinds]
        figure = go.FigureWidget([
            go.Bar(x=self.kinds, y=everyone.to_numpy(), name="everyone", marker_color=plots.PALETTE["black"], opacity=0.45,
                   customdata=[KIND_WORDS[k] for k in self.kinds],
                   hovertemplate="everyone: %{y:.0%} %{x}<br>(%{customdata})<extra></extra>"),
            go.Bar(x=self.kinds, y=everyone.to_numpy(), name="archetype",
                   customdata=[KIND_WORDS[k] for k in self.kinds])])
        plots.style(figure, "What members of an archetype do, by kind of event", "kind of event",
                    "share of the members' events (%)")
        figure.update_yaxes(tickformat=".0%", range=[0, 1])
        figure.update_layout(barmode="group", height=380)
        super().__init__({"archetype": picker}, figure)

    def update(self) -> str:
        archetype = self.controls["archetype"].value
        row = self.mix.loc[archetype]
        bar = self.figure.data[1]
        bar.y = row[self.kinds].to_numpy()
        bar.name = label(archetype)
        bar.marker.color = ARCHETYPE_COLOURS.get(archetype, plots.PALETTE["black"])
        bar.hovertemplate = f"{label(archetype)}: %{{y:.0%}} %{{x}}<br>(%{{customdata}})<extra></extra>"
        top = row[self.kinds].sort_values(ascending=False)
        everyone = self.mix.loc["everyone"]
        first, second = top.index[0], top.index[1]
        return (f"The {int(row['members'])} <b>{PLURALS.get(archetype, archetype)}</b> (in the "
                f"simulation, each {ARCHETYPES[archetype]}) did {int(row['events']):,} events, "
                f"{row['events'] / everyone['events']:.0%} of all. Most of what they do is "
                f"{KIND_PLURALS[first]} ({top.iloc[0]:.0%}) and {KIND_PLURALS[second]} "
                f"({top.iloc[1]:.0%}); across the whole community, {KIND_PLURALS[first]} are "
                f"{everyone[first]:.0%} of all events.")


@register("00")
def archetype_explorer() -> ArchetypeExplorer:
    """The lesson 00 explorer on the community dataset."""
    return ArchetypeExplorer()
