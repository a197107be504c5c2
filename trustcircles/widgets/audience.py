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
from plotly.subplots import make_subplots

from trustcircles import metrics, plots
from trustcircles.topics.archetypes import AUDIENCE_ORDER, in_order, label
from trustcircles.topics.audience import community_tables, examples
from trustcircles.widgets import Explorer, register, update_figure
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
    fig = plots.Figure()
    shown = frame[(frame["in_ties"] > 0) & (frame["out_ties"] > 0)]
    for archetype in in_order(frame["archetype"], AUDIENCE_ORDER):
        part = shown[shown["archetype"] == archetype]
        fig.add_trace(go.Scatter(
            x=part["out_ties"], y=part["in_ties"], mode="markers", name=label(archetype),
            marker={"color": ARCHETYPE_COLOURS.get(archetype, plots.PALETTE["black"]), "size": 8,
                    "opacity": 0.75, "line": {"width": 0.5, "color": "white"}},
            customdata=np.column_stack([part.index.to_numpy(), part["mutuals"].to_numpy()]),
            hovertemplate=("<b>%{customdata[0]}</b> (" + label(archetype) + ")<br>talks to %{x} accounts"
                           "<br>%{y} accounts talk to it<br>mutuals: %{customdata[1]}<extra></extra>")))
    top = max(float(shown[["in_ties", "out_ties"]].to_numpy().max()), 2.0) if len(shown) else 10.0
    fig.add_trace(go.Scatter(x=[1, top * 1.2], y=[1, top * 1.2], mode="lines", name="as many each way",
                             line={"dash": "dash", "color": plots.PALETTE["black"], "width": 1},
                             hovertemplate="as many talk to it as it talks to<extra></extra>"))
    # A log axis takes its range in log10 units; both axes share one, so the diagonal is 45°.
    both = plots.log_range(shown[["in_ties", "out_ties"]].to_numpy(), include=[1, top * 1.2])
    fig.update_xaxes(type="log", range=both)
    fig.update_yaxes(type="log", range=both)
    return plots.style(fig, "Audience or community? Ties out and in, one dot per account",
                       "out-ties: accounts it talks to (count, log scale)",
                       "in-ties: accounts that talk to it (count, log scale)", height=560)


def returned_figure(frame: pd.DataFrame) -> go.Figure:
    """Grouped bars, per archetype: the median share of in-ties returned and of out-ties answered."""
    order = in_order(frame["archetype"], AUDIENCE_ORDER)
    medians = frame.groupby("archetype")[["returned_share", "answered_share"]].median().reindex(order)
    counts = frame["archetype"].value_counts().reindex(order)
    fig = plots.Figure()
    for column, name, colour in (
            ("returned_share", "of those who talk to it, share it talks back to", plots.TRUST),
            ("answered_share", "of those it talks to, share who talk back", plots.PALETTE["blue"])):
        fig.add_trace(go.Bar(
            x=[label(a) for a in order], y=medians[column], name=name, marker_color=colour,
            customdata=counts.to_numpy(),
            hovertemplate=("%{x} (%{customdata} accounts)<br>" + name +
                           ": median %{y:.0%}<extra></extra>")))
    fig.update_yaxes(range=[0, 1.05], tickformat=".0%")
    fig.update_layout(barmode="group")
    return plots.style(fig, "Attention returned, by archetype (medians)", "archetype",
                       "share of ties (%)", height=460)


def density_figure(frame: pd.DataFrame, archetypes=("trust_builder", "broadcaster",
                                                    "transactional")) -> go.Figure:
    """Box plots of ego density for a few archetypes: do an account's contacts know each other?"""
    fig = plots.Figure()
    for archetype in archetypes:
        part = frame[frame["archetype"] == archetype].dropna(subset=["ego_density"])
        fig.add_trace(go.Box(
            y=part["ego_density"], name=label(archetype), boxpoints="all", jitter=0.4, pointpos=0,
            marker={"color": ARCHETYPE_COLOURS.get(archetype, plots.NEUTRAL), "size": 6},
            line={"color": ARCHETYPE_COLOURS.get(archetype, plots.NEUTRAL)},
            customdata=np.column_stack([part.index.to_numpy(),
                                        (part["in_ties"]).to_numpy()]),
            hovertemplate=("<b>%{customdata[0]}</b> (" + label(archetype) + ")<br>ego density %{y:.0%}"
                           "<br>in-ties: %{customdata[1]}<extra></extra>")))
    fig.update_layout(showlegend=False)
    fig.update_yaxes(tickformat=".0%")
    return plots.style(fig, "Do an account's contacts also talk to each other? (ego density)",
                       "archetype", "ego density: share of the possible links among its contacts "
                       "that exist (%)", height=460)


GRID_HOVER = "contacts %{y} and %{x}: %{z:.0f} (1: they talk, 0: they do not)<extra></extra>"
GRID_BLOCK_HOVER = ("the {step} contacts from %{{y}} and the {step} from %{{x}}:<br>"
                    "%{{customdata}} of their pairs talk (%{{z}}%)<extra></extra>")


def link_grid(k: int, where: np.ndarray, other: np.ndarray, cells: int
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, int]:
    """The links among k contacts as a grid of at most ``cells`` rows and columns: for few contacts,
    1 where two talk (0 elsewhere); for more, blocks of ``step`` contacts each, shaded by the
    percentage of their pairs who talk (whole percents: the grid's average stays the ego density
    to within half a percent). Also each row's first contact number, each block's links (None for
    single contacts) and the step. Small whole numbers: the grid goes to the browser on every move."""
    step = max(1, -(-k // cells))
    size = -(-k // step) if k else 0
    block = np.arange(k) // step
    counts = np.zeros((size, size))
    np.add.at(counts, (block[where], block[other]), 1)
    np.add.at(counts, (block[other], block[where]), 1)
    members = np.bincount(block, minlength=size).astype(float)
    pairs = np.outer(members, members) - np.diag(members)  # ordered pairs, no one with themselves
    with np.errstate(invalid="ignore", divide="ignore"):
        grid = np.where(pairs > 0, counts / np.where(pairs > 0, pairs, 1), 0.0)
    if step == 1:
        return grid.astype(np.uint8), np.arange(size), None, 1
    # each cell's links, for the hover: between two blocks every link is counted once in their
    # cell; inside a block (the diagonal) each was counted from both ends
    links = counts.copy()
    np.fill_diagonal(links, np.diag(counts) / 2)
    return np.rint(grid * 100).astype(np.uint8), np.arange(size) * step, links.astype(np.uint16), step


class AudienceExplorer(Explorer):
    """Pick an account; see its ego network and who talks with it both ways.

    Left, rings from the centre out: the inner circle (mutuals it talks with about weekly or more),
    its other mutuals, and the one-way contacts (its audience, who talk to it unanswered, and the
    people it talks to who never answer), with a spoke to each mutual. Right, the links among its
    contacts as a grid: one row and one column per contact, in the same groups and order, a dark
    cell where the two talk with each other. The share of the grid that is dark is the ego density
    the reading gives; a few hundred contacts with thousands of links stay readable (drawn as
    chords they made a solid grey disc, and took seconds to draw).
    """

    KINDS = ("inner circle", "other mutuals", "audience: talk to it, no reply",
             "unanswered: it talks, no reply")
    GROUP_TICKS = ("inner", "mutuals", "audience", "unanswered")
    #: Each group's hover: the contact (its ``text``), then what its group means; a mutual's
    #: ``customdata`` is how often the two talk. (Written once here, not into every dot's text:
    #: a broadcaster's hundreds of contacts made a move's message several times longer.)
    _MUTUAL = "mutual: talk both ways<br>%{customdata:.1f} conversational events a month"
    HOVERS = tuple(f"%{{text}}<br>{what}<extra></extra>" for what in (
        _MUTUAL, _MUTUAL, "talks to it; it never answered", "it talks to them; they never answered"))
    #: The trace numbers: spokes, the four groups (inner, mutual, audience, unanswered), the
    #: account itself, the grid of links among contacts.
    SPOKES, GROUPS, CENTRE, GRID = 0, (1, 2, 3, 4), 5, 6
    #: At most this many rows and columns in the grid: past it, neighbouring contacts are taken
    #: together in blocks (plotly draws a grid of a few hundred contacts squared in a few hundred
    #: milliseconds, each time anything in the figure changes).
    GRID_CELLS = 80

    def __init__(self, table, frame: pd.DataFrame, options: dict[str, str] | None = None):
        self.frame = frame
        ties = metrics.ties(table)
        rates = metrics.contact_rates(table)
        self.names = pd.Index(frame.index)
        self.labels = np.array([label(a) for a in frame["archetype"]], dtype=object)
        self.t_actor = self.names.get_indexer(ties["actor"])
        self.t_target = self.names.get_indexer(ties["target"])
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
        fig = make_subplots(rows=1, cols=2, column_widths=[0.5, 0.5], horizontal_spacing=0.1)
        # WebGL (Scattergl) for the network: a broadcaster's hundreds of dots and spokes took the
        # browser most of a move's time to redraw as SVG
        fig.add_trace(go.Scattergl(x=[], y=[], mode="lines", name="mutual ties",
                                 line={"color": plots.TRUST, "width": 1.2}, hoverinfo="skip",
                                 meta={"count": 0, "unit": "spokes"}), 1, 1)
        for kind, colour, hover in zip(self.KINDS, colours, self.HOVERS):
            fig.add_trace(go.Scattergl(x=[], y=[], mode="markers", name=kind,
                                     marker={"color": colour, "size": 9,
                                             "line": {"width": 0.5, "color": "white"}},
                                     hovertemplate=hover, meta={"count": 0, "unit": "accounts"}), 1, 1)
        fig.add_trace(go.Scattergl(x=[0], y=[0], mode="markers", name="the account",
                                 marker={"color": plots.PALETTE["black"], "size": 16, "symbol": "star"},
                                 hovertemplate="%{text}<extra></extra>", text=[""],
                                 meta={"count": 1, "unit": "account"}), 1, 1)
        # Numbered rows and columns (categories named by account took plotly a quarter of a
        # second to lay out for a few hundred contacts); the dots' hover gives each its number.
        fig.add_trace(go.Heatmap(z=[[0]], zmin=0, zmax=1, showscale=False,
                                 colorscale=[[0, "#FFFFFF"], [1, "#3C3C3C"]], name="links among its contacts",
                                 customdata=[[0]], hovertemplate=GRID_HOVER,
                                 meta={"count": 0, "unit": "links"}), 1, 2)
        fig.update_xaxes(visible=False, range=[-1.15, 1.15], row=1, col=1)
        fig.update_yaxes(visible=False, range=[-1.15, 1.15], scaleanchor="x", scaleratio=1, row=1, col=1)
        fig.update_xaxes(showgrid=False, ticks="", showticklabels=False, constrain="domain", row=1, col=2,
                         title_text="its contacts: dark where two talk")
        fig.update_yaxes(showgrid=False, ticks="", autorange="reversed", scaleanchor="x2", scaleratio=1,
                         constrain="domain", row=1, col=2)
        figure = go.FigureWidget(fig)
        plots.style(figure, "Ego network", None, None, height=540)
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

    def links_among(self, contacts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Pairs (positions in ``contacts``) of contacts who talk with each other."""
        ordered = np.argsort(contacts)
        among = np.isin(self.u_low, contacts) & np.isin(self.u_high, contacts)
        where = ordered[np.searchsorted(contacts[ordered], self.u_low[among])]
        other = ordered[np.searchsorted(contacts[ordered], self.u_high[among])]
        return where, other

    def update(self) -> str:
        account = self.controls["account"].value
        groups = self.neighbours(account)
        radius = {"inner": 0.35, "mutual": 0.68, "audience": 1.0, "unanswered": 1.0}
        # The outer ring holds the two one-way kinds: audience first, then unanswered.
        outer = len(groups["audience"]) + len(groups["unanswered"])
        start = {"inner": 0, "mutual": 0, "audience": 0, "unanswered": len(groups["audience"])}
        names = self.names.to_numpy()
        rate = groups["rate"]
        traces: dict[int, dict] = {}
        xs, ys = [], []
        for trace, key in zip(self.GROUPS, ("inner", "mutual", "audience", "unanswered")):
            members = groups[key]
            ring = outer if key in ("audience", "unanswered") else len(members)
            angle = 2 * np.pi * (start[key] + np.arange(len(members)) + 0.5) / max(ring, 1) + np.pi / 2
            x, y = radius[key] * np.cos(angle), radius[key] * np.sin(angle)
            xs.append(x)
            ys.append(y)
            first = sum(len(groups[g]) for g in ("inner", "mutual", "audience", "unanswered")[:list(radius).index(key)])
            text = [f"<b>{names[c]}</b> ({self.labels[c]}), contact {first + j}"
                    for j, c in enumerate(members.tolist())]
            traces[trace] = {"x": x, "y": y, "text": text, "visible": bool(len(members)),
                             "meta": {"count": len(members), "unit": "accounts"}}
            if key in ("inner", "mutual"):
                traces[trace]["customdata"] = rate.reindex(members).to_numpy(dtype=float)
        mutuals = len(groups["inner"]) + len(groups["mutual"])
        spoke_x = np.full(3 * mutuals, np.nan)
        spoke_y = np.full(3 * mutuals, np.nan)
        spoke_x[0::3] = spoke_y[0::3] = 0.0
        spoke_x[1::3], spoke_y[1::3] = np.concatenate(xs[:2]), np.concatenate(ys[:2])
        traces[self.SPOKES] = {"x": spoke_x, "y": spoke_y, "visible": bool(mutuals),
                               "meta": {"count": mutuals, "unit": "spokes"}}
        contacts = np.concatenate([groups[k] for k in ("inner", "mutual", "audience", "unanswered")])
        k = len(contacts)
        where, other = self.links_among(contacts)
        grid, starts, detail, step = link_grid(k, where, other, self.GRID_CELLS)
        sizes = [len(groups[g]) for g in ("inner", "mutual", "audience", "unanswered")]
        edges = np.cumsum(sizes)
        ticks = [((e - s) + (s - 1) / 2, tick) for s, e, tick in zip(sizes, edges, self.GROUP_TICKS)
                 if s and s >= 0.06 * k]
        # the grid and its hover counts as small whole numbers (not typed arrays: plotly's
        # front-end then sent the whole decoded grid back to the kernel, 0.8 MB, after each move)
        traces[self.GRID] = {"z": grid.tolist() if k else [[0]],
                             "zmax": 1 if step == 1 else 100,
                             "x": starts if k else [0], "y": starts if k else [0], "visible": k >= 2,
                             "customdata": detail.tolist() if detail is not None else [[0]],
                             "hovertemplate": (GRID_HOVER if step == 1 else GRID_BLOCK_HOVER.format(step=step)),
                             "meta": {"count": int(len(where)), "unit": "links"}}
        row = self.frame.loc[account]
        traces[self.CENTRE] = {"text": [f"<b>{account}</b> ({label(row['archetype'])})"]}
        # dotted lines between the groups, on the cell edges nearest to them
        end = len(starts) * step - step / 2
        lines = [{"type": "line", "xref": "x2", "yref": "y2", "x0": (e // step) * step - step / 2,
                  "x1": (e // step) * step - step / 2, "y0": -step / 2, "y1": end, "line": {"color": plots.PALETTE["orange"], "width": 1.5}}
                 for e in edges[:-1] if 0 < e < k]
        lines += [{**line, "x0": -step / 2, "x1": end, "y0": line["x0"], "y1": line["x0"]} for line in lines]
        update_figure(self.figure, traces, {
            "title.text": f"Ego network of {account} ({label(row['archetype'])})",
            "yaxis2.tickvals": [t for t, _ in ticks], "yaxis2.ticktext": [n for _, n in ticks],
            "shapes": lines})
        density = row["ego_density"]
        dens = ("fewer than two contacts, so no density" if np.isnan(density) else
                f"{density:.0%} of the possible links among its {k:,} contacts exist "
                f"({len(where):,} of {k * (k - 1) // 2:,}): the dark share of the grid on the right"
                + (f", where each cell is a block of {step} by {step} contacts shaded by the share of "
                   "its pairs who talk" if step > 1 else ""))
        return (f"<b>{int(row['in_ties']):,}</b> accounts talk to this {label(row['archetype'])}; it talks "
                f"back to <b>{mutuals:,}</b> of them (its mutuals), and with <b>{len(groups['inner']):,}</b> "
                f"of those it talks about weekly or more: its inner circle. {len(groups['audience']):,} "
                f"are audience only; {len(groups['unanswered']):,} of the accounts it talks to never "
                f"answer. Ego density: {dens}.")


@register("05")
def audience_explorer(name: str = "community") -> AudienceExplorer:
    """The lesson's explorer on a shipped dataset (default: community)."""
    table, _, frame = community_tables(name)
    return AudienceExplorer(table, frame)
