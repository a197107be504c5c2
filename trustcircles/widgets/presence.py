"""Lesson 12, In person, not outsourced: figures and the explorer.

The numbers are in :mod:`trustcircles.topics.presence` (imported here too, so the lesson uses one
module); this module draws them:

* :func:`clock_office_figure` (one dot per account: posts on the clock against replies in office
  hours), :func:`follow_up_figure` (second turns taken, by archetype), :func:`realness_figure` (what
  reads as personal, by archetype) and :func:`sites_figure` (ties across sites in the workplace);
* :class:`PresenceExplorer` (registered for lesson "12"): pick an account and see when in the week it
  posts and replies, minute by minute, with a reading in words.
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from trustcircles import plots
from trustcircles.topics import community  # noqa: F401  (the lesson's tables, from here too)
from trustcircles.topics.archetypes import in_order, label
from trustcircles.topics.presence import (OFFICE_HOURS, example_accounts, hour_minute, presence_by_account,
                                          presence_sentence)
from trustcircles.widgets import Explorer, register
# The lesson's numbers and words, importable from here too (a lesson imports one module per topic).
from trustcircles.topics.presence import (MEASURES, archetype_presence, marker_names, realness_by_archetype,  # noqa: F401
                                          site_sentence, site_summary, site_ties, style_summary, text_markers,
                                          workplace_tables)

ARCHETYPE_COLOURS = plots.ARCHETYPE_COLOURS
#: The order of the figures: the new archetype first, beside those it can be mistaken for.
PRESENCE_ORDER = ("outsourced", "broadcaster", "trust_builder", "listener", "transactional", "newcomer", "troll")
STYLE_COLOURS = {"leader_led": plots.TRUST, "handed_over": plots.TRANSACTIONAL}
STYLE_WORDS = {"leader_led": "leader-led teams", "handed_over": "handed-over teams"}
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def clock_office_figure(frame: pd.DataFrame) -> go.Figure:
    """One dot per account that wrote posts and replies: the share of its replies written in office
    hours (across) against the share of its posts on the clock (up), coloured by archetype."""
    fig = plots.Figure()
    shown = frame.dropna(subset=["office_share", "clock_share"])
    for archetype in in_order(shown["archetype"], PRESENCE_ORDER):
        part = shown[shown["archetype"] == archetype]
        fig.add_trace(go.Scatter(
            x=part["office_share"], y=part["clock_share"], mode="markers", name=label(archetype),
            marker={"color": ARCHETYPE_COLOURS.get(archetype, plots.NEUTRAL), "size": 8, "opacity": 0.7,
                    "symbol": "diamond" if archetype == "outsourced" else "circle"},
            customdata=np.column_stack([part.index.to_numpy(dtype=object), part["posts"], part["replies"],
                                        part["follow_up_rate"].fillna(-1)]),
            hovertemplate=("%{customdata[0]} (" + label(archetype) + ")<br>%{x:.0%} of %{customdata[2]} replies "
                           "in office hours<br>%{y:.0%} of %{customdata[1]} posts on the clock<extra></extra>")))
    fig.update_xaxes(tickformat=".0%", range=[-0.03, 1.03])
    fig.update_yaxes(tickformat=".0%", range=[-0.03, 1.03])
    fig.update_layout(height=480)
    return plots.style(fig, "Who posts like a scheduler and answers like an office?",
                       "replies written in office hours, weekdays 9:00-17:00 (% of its replies)",
                       "posts in the first minute of an hour or half hour (% of its posts)")


def follow_up_figure(medians: pd.DataFrame) -> go.Figure:
    """Bars per archetype: the median share of second turns taken (of the answers to its replies,
    those it answered in turn)."""
    names = [label(a) for a in medians.index]
    colours = [ARCHETYPE_COLOURS.get(a, plots.NEUTRAL) for a in medians.index]
    fig = plots.Figure(go.Bar(
        x=names, y=medians["follow_up_rate"], marker_color=colours,
        customdata=medians["accounts"],
        hovertemplate="%{x}: median %{y:.0%} of second turns taken (%{customdata} accounts)<extra></extra>"))
    fig.update_yaxes(tickformat=".0%", range=[0, 1])
    fig.update_layout(height=400)
    return plots.style(fig, "When someone answers its reply, does the account answer back?",
                       "archetype", "second turns taken (median share per account, %)")


def realness_figure(realness: pd.DataFrame) -> go.Figure:
    """Grouped bars per archetype: the share of its messages that read as personal (a name, "I", a
    question about the other person, a feeling) and as a template (a link, an order, "our team")."""
    names = [label(a) for a in realness.index]
    fig = plots.Figure()
    for column, words, colour in (("personal", "reads as personal", plots.TRUST),
                                  ("impersonal", "reads as a template", plots.PALETTE["orange"])):
        fig.add_trace(go.Bar(
            x=names, y=realness[column], name=words, marker_color=colour, customdata=realness["messages"],
            hovertemplate=f"%{{x}}: %{{y:.0%}} of %{{customdata:,}} messages {words}<extra></extra>"))
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02])
    fig.update_layout(barmode="group", height=420)
    return plots.style(fig, "What in the text reads as personal, and what as a template",
                       "archetype", "share of the archetype's messages (%)")


def sites_figure(by_team: pd.DataFrame) -> go.Figure:
    """One pair of dots per team: the share of its ties within a site, and of its ties across sites,
    that were returned; teams grouped and coloured by how the platform was rolled out."""
    fig = plots.Figure()
    order = by_team.sort_values(["rollout_style", "returned_cross_site"]).index
    for style in ("leader_led", "handed_over"):
        part = by_team.loc[[t for t in order if by_team.loc[t, "rollout_style"] == style]]
        for column, words, symbol in (("returned_same_site", "ties within a site", "circle-open"),
                                      ("returned_cross_site", "ties across sites", "circle")):
            fig.add_trace(go.Scatter(
                x=list(part.index), y=part[column], mode="markers", name=f"{STYLE_WORDS[style]}: {words}",
                marker={"color": STYLE_COLOURS[style], "size": 12, "symbol": symbol, "line": {"width": 2}},
                customdata=np.column_stack([part["ties"], part["cross_share"]]),
                hovertemplate=(f"%{{x}} ({STYLE_WORDS[style]})<br>{words}: %{{y:.0%}} returned"
                               "<br>%{customdata[0]} ties in the team, %{customdata[1]:.0%} across sites<extra></extra>")))
    fig.update_yaxes(tickformat=".0%", range=[0.3, 0.9])
    fig.update_layout(height=440)
    return plots.style(fig, "Distributed teams: are ties across sites returned?",
                       "team (grouped by how the platform was rolled out)", "ties returned (%)")


class PresenceExplorer(Explorer):
    """Pick an account: its posts and replies placed in the week, minute by minute."""

    def __init__(self, table: pd.DataFrame | None = None, accounts: pd.DataFrame | None = None,
                 frame: pd.DataFrame | None = None, options: dict[str, str] | None = None):
        """``frame`` and ``options`` (label -> account) replace the per-account traces and the accounts
        offered, e.g. for an audit without archetypes."""
        if table is None:
            table, accounts = community()
        self.frame = presence_by_account(table, accounts) if frame is None else frame
        self.options = example_accounts(self.frame) if options is None else options
        self.points = {account: hour_minute(table, account) for account in self.options.values()}
        picker = widgets.Dropdown(options=list(self.options.items()), value=next(iter(self.options.values())),
                                  description="account", style={"description_width": "initial"},
                                  layout=widgets.Layout(width="360px"))
        shapes = [{"type": "rect", "xref": "x", "yref": "paper", "x0": d * 24 + OFFICE_HOURS[0],
                   "x1": d * 24 + OFFICE_HOURS[1], "y0": 0, "y1": 1, "fillcolor": plots.PALETTE["sky_blue"],
                   "opacity": 0.15, "line": {"width": 0}, "layer": "below"} for d in range(5)]
        # WebGL (Scattergl): the busiest accounts have 3,000 marks, which as SVG took the browser
        # over half a second to redraw per move; as WebGL, a few milliseconds
        figure = go.FigureWidget([
            go.Scattergl(x=[], y=[], mode="markers", name="posts",
                       marker={"color": plots.PALETTE["orange"], "size": 7, "symbol": "square"},
                       hovertemplate="a post, %{text}<extra></extra>", text=[]),
            go.Scattergl(x=[], y=[], mode="markers", name="replies",
                       marker={"color": plots.PALETTE["blue"], "size": 7},
                       hovertemplate="a reply, %{text}<extra></extra>", text=[])])
        plots.style(figure, "When in the week this account posts and replies (shaded: office hours)",
                    "day and hour of the week (UTC)", "minute past the hour (0-59)")
        figure.update_xaxes(range=[0, 168], tickvals=[d * 24 + 12 for d in range(7)], ticktext=list(DAYS))
        figure.update_yaxes(range=[-2, 61])
        figure.update_layout(height=420, shapes=shapes)
        super().__init__({"account": picker}, figure,
                         caption="Each mark is one post or reply of the account over the whole 26 weeks, "
                                 "placed by its day and hour (across) and its minute (up).")

    def update(self) -> str:
        account = self.controls["account"].value
        points = self.points[account]
        for trace, kind in zip(self.figure.data, ("post", "reply")):
            part = points[points["kind"] == kind]
            trace.x, trace.y = part["hour_of_week"], part["minute"]
            trace.text = [f"{DAYS[int(h // 24)]} {int(h % 24):02d}:{int(m):02d}"
                          for h, m in zip(part["hour_of_week"], part["minute"])]
        return presence_sentence(self.frame, account)


@register("12")
def presence_explorer() -> PresenceExplorer:
    """The lesson 12 explorer on the community dataset."""
    return PresenceExplorer()

