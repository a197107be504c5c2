"""Lesson 05, Community, not audience: who talks to an account, and whom it talks back to.

An *audience* is the people who talk to you (in-ties) whether or not you answer; it needs no work.
A *community* is made of *mutuals*: people you talk with both ways. The numbers are in
:mod:`trustcircles.topics.audience` (imported here too, so the lesson uses one module); this module
draws them:

* :func:`audience_scatter`, :func:`returned_figure`, :func:`density_figure`: the lesson's figures;
* :class:`AudienceExplorer` (registered for lesson "05"): pick an account and see its ego network,
  mutuals highlighted, with a reading in words.
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from trustcircles import metrics, plots
from trustcircles.topics.archetypes import AUDIENCE_ORDER, in_order
from trustcircles.topics.audience import community_tables, examples
from trustcircles.widgets import Explorer, register
# The lesson's numbers and words, importable from here too (a lesson imports one module per topic).
from trustcircles.topics.audience import (audience_summary, community_interactions,  # noqa: F401
                                          community_table, density_pair)

#: One colour per archetype, the same in every lesson (see trustcircles.plots).
ARCHETYPE_COLOURS = plots.ARCHETYPE_COLOURS


def audience_scatter(frame: pd.DataFrame) -> go.Figure:
    """Log-log scatter: out-ties (people an account talks to) against in-ties (people who talk to it).

    One dot per account, coloured by archetype; the dashed diagonal is "as many each way". Accounts
    with no tie in one of the directions cannot sit on a log scale and are left out (said in the
    legend's hover). Hover shows the account, its archetype, both counts and its mutuals.
    """
    fig = go.Figure()
    shown = frame[(frame["in_ties"] > 0) & (frame["out_ties"] > 0)]
    for archetype in in_order(frame["archetype"], AUDIENCE_ORDER):
        part = shown[shown["archetype"] == archetype]
        fig.add_trace(go.Scatter(
            x=part["out_ties"], y=part["in_ties"], mode="markers", name=archetype,
            marker={"color": ARCHETYPE_COLOURS.get(archetype, plots.PALETTE["black"]), "size": 8,
                    "opacity": 0.75, "line": {"width": 0.5, "color": "white"}},
            customdata=np.column_stack([part.index.to_numpy(), part["mutuals"].to_numpy()]),
            hovertemplate=("<b>%{customdata[0]}</b> (" + archetype + ")<br>talks to %{x} accounts"
                           "<br>%{y} accounts talk to it<br>mutuals: %{customdata[1]}<extra></extra>")))
    top = max(float(shown[["in_ties", "out_ties"]].to_numpy().max()), 2.0) if len(shown) else 10.0
    fig.add_trace(go.Scatter(x=[1, top * 1.2], y=[1, top * 1.2], mode="lines", name="as many each way",
                             line={"dash": "dash", "color": plots.PALETTE["black"], "width": 1},
                             hovertemplate="as many talk to it as it talks to<extra></extra>"))
    plots.style(fig, "Audience or community? Ties out and in, one dot per account",
                "out-ties: accounts it talks to (count, log scale)",
                "in-ties: accounts that talk to it (count, log scale)")
    fig.update_xaxes(type="log")
    fig.update_yaxes(type="log")
    fig.update_layout(height=520)
    return fig


def returned_figure(frame: pd.DataFrame) -> go.Figure:
    """Grouped bars, per archetype: the median share of in-ties returned and of out-ties answered."""
    order = in_order(frame["archetype"], AUDIENCE_ORDER)
    medians = frame.groupby("archetype")[["returned_share", "answered_share"]].median().reindex(order)
    counts = frame["archetype"].value_counts().reindex(order)
    fig = go.Figure()
    for column, label, colour in (
            ("returned_share", "of those who talk to it, share it talks back to", plots.TRUST),
            ("answered_share", "of those it talks to, share who talk back", plots.PALETTE["blue"])):
        fig.add_trace(go.Bar(
            x=order, y=medians[column], name=label, marker_color=colour,
            customdata=counts.to_numpy(),
            hovertemplate=("%{x} (%{customdata} accounts)<br>" + label +
                           ": median %{y:.2f}<extra></extra>")))
    plots.style(fig, "Attention returned, by archetype (medians)", "archetype",
                "share of ties (0-1)")
    fig.update_yaxes(range=[0, 1.05])
    fig.update_layout(barmode="group", height=440)
    return fig


def density_figure(frame: pd.DataFrame, archetypes=("trust_builder", "broadcaster",
                                                    "transactional")) -> go.Figure:
    """Box plots of ego density for a few archetypes: do an account's contacts know each other?"""
    fig = go.Figure()
    for archetype in archetypes:
        part = frame[frame["archetype"] == archetype].dropna(subset=["ego_density"])
        fig.add_trace(go.Box(
            y=part["ego_density"], name=archetype, boxpoints="all", jitter=0.4, pointpos=0,
            marker={"color": ARCHETYPE_COLOURS.get(archetype, plots.NEUTRAL), "size": 6},
            line={"color": ARCHETYPE_COLOURS.get(archetype, plots.NEUTRAL)},
            customdata=np.column_stack([part.index.to_numpy(),
                                        (part["in_ties"]).to_numpy()]),
            hovertemplate=("<b>%{customdata[0]}</b> (" + archetype + ")<br>ego density %{y:.2f}"
                           "<br>in-ties: %{customdata[1]}<extra></extra>")))
    plots.style(fig, "Do an account's contacts also talk to each other? (ego density)",
                "archetype", "ego density: share of possible links among its contacts (0-1)")
    fig.update_layout(showlegend=False, height=440)
    return fig


class AudienceExplorer(Explorer):
    """Pick an account; see its ego network and who talks with it both ways.

    Rings, from the centre out: the inner circle (mutuals it talks with about weekly or more), its
    other mutuals, and the one-way contacts (its audience, who talk to it unanswered, and the people
    it talks to who never answer). Grey chords are links among its contacts: the denser, the more
    its contacts form a community rather than an audience that knows only it.
    """

    KINDS = ("inner circle", "other mutuals", "audience (they talk, it does not answer)",
             "unanswered (it talks, they do not answer)")

    def __init__(self, table, frame: pd.DataFrame, options: dict[str, str] | None = None):
        self.frame = frame
        ties = metrics.ties(table)
        rates = metrics.contact_rates(table)
        self.names = pd.Index(frame.index)
        self.t_actor = self.names.get_indexer(ties["actor"])
        self.t_target = self.names.get_indexer(ties["target"])
        self.t_events = ties["events"].to_numpy()
        low = self.names.get_indexer(rates["a"])
        high = self.names.get_indexer(rates["b"])
        n = len(self.names)
        self.rate = pd.Series(rates["contact_rate"].to_numpy(), index=low * n + high)
        und = np.unique(np.minimum(self.t_actor, self.t_target) * n
                        + np.maximum(self.t_actor, self.t_target))
        self.u_low, self.u_high = und // n, und % n
        picker = widgets.Dropdown(options=options or examples(frame), description="account",
                                  layout=widgets.Layout(width="440px"))
        colours = (plots.PALETTE["blue"], plots.TRUST, plots.PALETTE["orange"], plots.TRANSACTIONAL)
        traces = [go.Scatter(x=[], y=[], mode="lines", name="links among its contacts",
                             line={"color": "#BBBBBB", "width": 0.6}, hoverinfo="skip"),
                  go.Scatter(x=[], y=[], mode="lines", name="mutual ties",
                             line={"color": plots.TRUST, "width": 1.4}, hoverinfo="skip")]
        for kind, colour in zip(self.KINDS, colours):
            traces.append(go.Scatter(x=[], y=[], mode="markers", name=kind,
                                     marker={"color": colour, "size": 9,
                                             "line": {"width": 0.5, "color": "white"}},
                                     hovertemplate="%{text}<extra></extra>"))
        traces.append(go.Scatter(x=[0], y=[0], mode="markers", name="the account",
                                 marker={"color": plots.PALETTE["black"], "size": 16, "symbol": "star"},
                                 hovertemplate="%{text}<extra></extra>", text=[""]))
        figure = go.FigureWidget(traces)
        plots.style(figure, "Ego network", "", "")
        figure.update_xaxes(visible=False, range=[-1.15, 1.15])
        figure.update_yaxes(visible=False, range=[-1.15, 1.15], scaleanchor="x", scaleratio=1)
        figure.update_layout(height=560, legend={"orientation": "v", "x": 1.0, "xanchor": "left",
                                                 "y": 1.0, "yanchor": "top"},
                             margin={"r": 260})
        super().__init__({"account": picker}, figure,
                         caption="Pick an account: who talks with it both ways, and who only one way?")

    def neighbours(self, account: str) -> dict[str, np.ndarray]:
        """The account's contacts by kind (codes), as drawn: inner, mutual, audience, unanswered."""
        code = self.names.get_loc(account)
        out = self.t_target[self.t_actor == code]
        inn = self.t_actor[self.t_target == code]
        mutual = np.intersect1d(out, inn)
        n = len(self.names)
        keys = np.minimum(mutual, code) * n + np.maximum(mutual, code)
        rate = self.rate.reindex(keys).to_numpy(dtype=float)
        inner = mutual[rate >= metrics.INNER_CIRCLE_RATE]
        return {"inner": inner, "mutual": np.setdiff1d(mutual, inner),
                "audience": np.setdiff1d(inn, out), "unanswered": np.setdiff1d(out, inn),
                "rate": pd.Series(rate, index=mutual)}

    def update(self) -> str:
        account = self.controls["account"].value
        groups = self.neighbours(account)
        code = self.names.get_loc(account)
        n = len(self.names)
        radius = {"inner": 0.35, "mutual": 0.68, "audience": 1.0, "unanswered": 1.0}
        # Outer ring shared by the two one-way kinds: audience first, then unanswered.
        position: dict[int, tuple[float, float]] = {}
        xs, ys = {}, {}
        outer = np.concatenate([groups["audience"], groups["unanswered"]])
        for key, members in (("inner", groups["inner"]), ("mutual", groups["mutual"]),
                             ("outer", outer)):
            angle = 2 * np.pi * (np.arange(len(members)) + 0.5) / max(len(members), 1) + np.pi / 2
            r = radius.get(key, 1.0)
            xs[key], ys[key] = r * np.cos(angle), r * np.sin(angle)
            position.update(zip(members.tolist(), zip(xs[key].tolist(), ys[key].tolist())))
        contacts = np.array(sorted(position), dtype=np.int64)
        among = np.isin(self.u_low, contacts) & np.isin(self.u_high, contacts)
        lx = np.full(3 * among.sum(), np.nan)
        ly = np.full(3 * among.sum(), np.nan)
        if among.any():
            p_low = np.array([position[c] for c in self.u_low[among].tolist()])
            p_high = np.array([position[c] for c in self.u_high[among].tolist()])
            lx[0::3], ly[0::3] = p_low[:, 0], p_low[:, 1]
            lx[1::3], ly[1::3] = p_high[:, 0], p_high[:, 1]
        mutual_all = np.concatenate([groups["inner"], groups["mutual"]])
        sx = np.full(3 * len(mutual_all), np.nan)
        sy = np.full(3 * len(mutual_all), np.nan)
        if len(mutual_all):
            pm = np.array([position[c] for c in mutual_all.tolist()])
            sx[0::3], sy[0::3] = 0.0, 0.0
            sx[1::3], sy[1::3] = pm[:, 0], pm[:, 1]
        f = self.figure
        f.data[0].x, f.data[0].y = lx, ly
        f.data[1].x, f.data[1].y = sx, sy
        names = self.names.to_numpy()
        rate = groups["rate"]
        n_aud = len(groups["audience"])
        for i, key in enumerate(("inner", "mutual", "audience", "unanswered")):
            members = groups[key]
            if key in ("inner", "mutual"):
                x, y = xs[key], ys[key]
                text = [f"<b>{names[c]}</b> ({self.frame['archetype'].iat[c]})<br>mutual: talk both ways"
                        f"<br>{rate[c]:.1f} conversational events a month" for c in members.tolist()]
            else:
                part = slice(0, n_aud) if key == "audience" else slice(n_aud, None)
                x, y = xs["outer"][part], ys["outer"][part]
                what = ("talks to it; it never answered" if key == "audience"
                        else "it talks to them; they never answered")
                text = [f"<b>{names[c]}</b> ({self.frame['archetype'].iat[c]})<br>{what}"
                        for c in members.tolist()]
            f.data[2 + i].x, f.data[2 + i].y, f.data[2 + i].text = x, y, text
        row = self.frame.loc[account]
        f.data[6].text = [f"<b>{account}</b> ({row['archetype']})"]
        f.layout.title.text = f"Ego network of {account} ({row['archetype']})"
        mutuals = len(mutual_all)
        density = row["ego_density"]
        dens = ("fewer than two contacts, so no density" if np.isnan(density) else
                f"{density:.0%} of the possible links among its {len(contacts)} contacts exist "
                f"({int(among.sum())} links)")
        return (f"<b>{int(row['in_ties'])}</b> accounts talk to this {row['archetype']}; it talks back "
                f"to <b>{mutuals}</b> of them (its mutuals), and with <b>{len(groups['inner'])}</b> "
                f"of those it talks about weekly or more: its inner circle. {n_aud} are audience "
                f"only; {len(groups['unanswered'])} of the accounts it talks to never answer. "
                f"Ego density: {dens}.")


@register("05")
def audience_explorer(name: str = "community") -> AudienceExplorer:
    """The lesson's explorer on a shipped dataset (default: community)."""
    table, _, frame = community_tables(name)
    return AudienceExplorer(table, frame)
