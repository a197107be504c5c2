"""Lesson 11, Voice and democracy: figures and the explorer.

The numbers are in :mod:`trustcircles.topics.voice` (imported here too, so the lesson uses one
module); this module draws them:

* :func:`lorenz_figure` (how evenly voice is spread, several communities side by side),
  :func:`sorts_figure` (personal one-to-one messages against posts to everyone, by archetype),
  :func:`starter_figure` (around one voice or among many: the threads each archetype starts),
  :func:`newcomers_figure` and :func:`hostility_figure` (the norms scenario);
* :class:`VoiceExplorer` (registered for lesson "11"): pick a community and set its most active
  voices aside; see how its voice is spread and how much conversation remains among the others.
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from trustcircles import plots
from trustcircles.topics import community  # noqa: F401  (the lesson's tables, from here too)
from trustcircles.topics.archetypes import label
from trustcircles.topics.voice import (SCENARIO_WORDS, SCENARIOS, SORTS, communities, lorenz,
                                       messages_by_account, voice_summary, without_top_voices)
from trustcircles.widgets import Explorer, register
# The lesson's numbers and words, importable from here too (a lesson imports one module per topic).
from trustcircles.topics.voice import (COMMUNITY, REAL_LISTS, around_the_starter, change_effects, gini,  # noqa: F401
                                       hostile_per_week, one_to_one_by_archetype, quiet_half,
                                       quiet_sentence, scenario_accounts, scenario_sentences, scenario_summary,
                                       scenario_tables, voice_sentence)

#: The colours of the four runs of the norms scenario (none, welcome, callout, both).
SCENARIO_COLOURS = dict(zip(SCENARIOS, (plots.TRANSACTIONAL, plots.PALETTE["sky_blue"],
                                        plots.PALETTE["orange"], plots.TRUST)))
#: The colours of the sorts of message.
SORT_COLOURS = dict(zip(SORTS, (plots.TRUST, plots.TRANSACTIONAL, plots.PALETTE["reddish_purple"],
                                plots.PALETTE["orange"])))
# --------------------------------------------------------------------------- figures


def lorenz_figure(values: dict[str, pd.Series]) -> go.Figure:
    """Lorenz curves: for each community, members from the quietest to the most active against the
    share of all messages they wrote; the diagonal is "everyone writes as much". Legend: the Gini."""
    fig = plots.Figure()
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="if everyone wrote as much",
                             line={"color": plots.PALETTE["black"], "dash": "dot", "width": 1},
                             hoverinfo="skip"))
    for i, (name, series) in enumerate(values.items()):
        curve = lorenz(series)
        fig.add_trace(go.Scatter(
            x=curve["share_of_members"], y=curve["share_of_messages"], mode="lines",
            name=f"{name} (Gini {gini(series):.2f})", line={"width": 3, "color": plots.COLORWAY[i % 7]},
            hovertemplate=(f"{name}<br>the quietest %{{x:.0%}} of members wrote %{{y:.0%}} of the "
                           "messages<extra></extra>")))
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02])
    fig.update_layout(height=460)
    plots.style(fig, "Who has a voice: members from the quietest to the most active",
                "share of members, quietest first (%)", "share of all messages they wrote (%)")
    # The legend in the empty top left (every curve runs under the diagonal), one entry a line:
    # above the plot, five long names took three rows and the margin was sized for five
    fig.update_layout(legend={"orientation": "v", "x": 0.02, "xanchor": "left", "y": 0.98, "yanchor": "top"})
    return plots.fit(fig)


def sorts_figure(by_archetype: pd.DataFrame) -> go.Figure:
    """Stacked bars, one per archetype: the share of its messages of each sort (personal to one
    person, selling to one person, hostile, to everyone); hover: the share of them answered."""
    fig = plots.Figure()
    names = [label(a) for a in by_archetype.index]
    for sort in SORTS:
        answered = by_archetype[f"{sort} answered"].to_numpy(dtype=float)
        fig.add_trace(go.Bar(
            y=names, x=by_archetype[sort], name=sort, orientation="h", marker_color=SORT_COLOURS[sort],
            customdata=np.column_stack([np.nan_to_num(answered, nan=-1), by_archetype["messages"]]),
            hovertemplate=(f"%{{y}}: %{{x:.0%}} of %{{customdata[1]:,}} messages are {sort}"
                           "<br>of those, %{customdata[0]:.0%} got a reply<extra></extra>")))
    fig.update_layout(barmode="stack", height=420, yaxis={"autorange": "reversed"})
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    return plots.style(fig, "One to one or to everyone: what each archetype writes",
                       "share of the archetype's messages (%)", "archetype")


def starter_figure(around: pd.DataFrame) -> go.Figure:
    """Grouped bars per archetype of the thread's starter: the share of the thread's replies aimed
    at the starter, and the share the starter wrote; hover: threads and other voices per thread."""
    fig = plots.Figure()
    names = [label(a) for a in around.index]
    for column, words, colour in (("to_starter", "replies aimed at the starter", plots.PALETTE["orange"]),
                                  ("by_starter", "replies written by the starter", plots.TRUST)):
        fig.add_trace(go.Bar(
            x=names, y=around[column], name=words, marker_color=colour,
            customdata=np.column_stack([around["threads"], around["voices_per_thread"]]),
            hovertemplate=(f"threads started by %{{x}}: %{{y:.0%}} of {words}<br>%{{customdata[0]:,}} "
                           "threads, %{customdata[1]:.1f} other voices in each<extra></extra>")))
    fig.update_layout(barmode="group", height=420)
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02])
    return plots.style(fig, "Around one voice or among many: the threads each archetype starts",
                       "archetype of the account that started the thread", "share of the thread's replies (%)")


def newcomers_figure(summary: pd.DataFrame) -> go.Figure:
    """Grouped bars per run of the norms scenario: newcomers whose first question was answered within
    48 hours, and newcomers who posted again."""
    fig = plots.Figure()
    for column, words, colour in (("newcomers_answered", "first question answered within 48 hours", plots.PALETTE["blue"]),
                                  ("newcomers_came_back", "posted again afterwards", plots.TRUST)):
        fig.add_trace(go.Bar(
            x=list(summary.index), y=summary[column], name=words, marker_color=colour,
            customdata=[SCENARIO_WORDS[s] for s in summary.index],
            hovertemplate=f"%{{x}} (%{{customdata}})<br>newcomers: %{{y:.0%}} {words}<extra></extra>"))
    fig.update_layout(barmode="group", height=420)
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02])
    return plots.style(fig, "Newcomers in the same community, with and without stated norms",
                       "run of the norms scenario", "share of the newcomers (%)")


def hostility_figure(per_week: pd.DataFrame) -> go.Figure:
    """Lines: hostile messages per week in each run of the norms scenario."""
    fig = plots.Figure()
    for scenario in per_week.columns:
        fig.add_trace(go.Scatter(
            x=per_week.index, y=per_week[scenario], mode="lines+markers", name=scenario,
            line={"color": SCENARIO_COLOURS.get(scenario, plots.NEUTRAL), "width": 2,
                  "dash": "dot" if scenario in ("welcome only", "callout only") else "solid"},
            hovertemplate=f"{scenario}, week %{{x}}: %{{y}} hostile messages<extra></extra>"))
    fig.update_layout(height=400)
    return plots.style(fig, "Hostility week by week, with and without callouts",
                       "week of the scenario (1 = first week)", "hostile messages per week (count)")


# --------------------------------------------------------------------------- the explorer


class VoiceExplorer(Explorer):
    """Pick a community and set aside its most active voices: how evenly it speaks, and what remains."""

    def __init__(self, tables: dict[str, pd.DataFrame] | None = None, most: int = 10):
        tables = communities() if tables is None else tables
        self.data = {}
        for name, table in tables.items():
            values = messages_by_account(table)
            self.data[name] = {"values": values, "curve": lorenz(values), "summary": voice_summary(table),
                               "removed": without_top_voices(table, most)}
        picker = widgets.Dropdown(options=list(tables), value=next(iter(tables)), description="community",
                                  style={"description_width": "initial"}, layout=widgets.Layout(width="440px"))
        removed = widgets.IntSlider(value=0, min=0, max=most, step=1, description="most active voices set aside",
                                    continuous_update=False, style={"description_width": "initial"},
                                    layout=widgets.Layout(width="420px"))
        figure = go.FigureWidget([
            go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="if everyone wrote as much",
                       line={"color": plots.PALETTE["black"], "dash": "dot", "width": 1}, hoverinfo="skip"),
            go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="this community",
                       line={"color": plots.PALETTE["blue"], "width": 3},
                       hovertemplate="the quietest %{x:.0%} of members wrote %{y:.0%} of the messages<extra></extra>"),
            go.Scatter(x=[1], y=[1], mode="markers", name="from here on: the voices set aside",
                       marker={"size": 12, "color": plots.PALETTE["orange"]},
                       hovertemplate="the voices set aside begin here<extra></extra>")])
        plots.style(figure, "How evenly this community speaks", "share of members, quietest first (%)",
                    "share of all messages they wrote (%)")
        figure.update_xaxes(tickformat=".0%", range=[0, 1])
        figure.update_yaxes(tickformat=".0%", range=[0, 1.02])
        figure.update_layout(height=420)
        super().__init__({"community": picker, "removed": removed}, figure,
                         caption="Setting the most active voices aside asks: if they left, how much of the "
                                 "conversation would the others still have with each other?")

    def update(self) -> str:
        name, k = self.controls["community"].value, self.controls["removed"].value
        data = self.data[name]
        curve, summary, removed = data["curve"], data["summary"], data["removed"]
        self.figure.data[1].x, self.figure.data[1].y = curve["share_of_members"], curve["share_of_messages"]
        members = summary["members"]
        x = 1 - k / members if members else 1.0
        y = float(np.interp(x, curve["share_of_members"], curve["share_of_messages"]))
        self.figure.data[2].x, self.figure.data[2].y = [x], [y]
        row = removed.loc[min(k, removed.index.max())]
        sentence = voice_sentence(name, summary)
        if k == 0:
            return (f"{sentence} Move the slider to set its most active voices aside; "
                    f"{int(row['members_with_a_mutual'])} members have a two-way tie now.")
        return (f"{sentence} Without its {k} most active {'voice' if k == 1 else 'voices'} "
                f"(the top {k / members:.0%} of members), <b>{row['conversation_left']:.0%}</b> of the "
                f"conversation (replies, mentions, direct messages) remains between the others, and "
                f"{int(row['members_with_a_mutual'])} members still have a two-way tie among them.")


@register("11")
def voice_explorer() -> VoiceExplorer:
    """The lesson 11 explorer: the community, the norms scenario's runs and two real mailing lists."""
    return VoiceExplorer()
