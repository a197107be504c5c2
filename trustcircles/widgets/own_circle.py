"""Lesson 10, Your own circle: an account export, anonymised on this machine, read as your own report.

The lesson walks through the small example exports in ``datasets/examples/`` (invented people, see
its README) and then tells the learner how to do the same with their own file. Everything here runs
on the learner's machine; nothing opens a network connection.

* :func:`example_table` imports one example with :func:`trustcircles.importers.import_export` and a
  fixed, public lesson key (:data:`EXAMPLE_KEY`), so running the lesson never creates or reads the
  learner's own secret key;
* :func:`scrubbed_tokens`, :func:`who_wrote` and their figures show what anonymising removed and
  which side of the conversation an export can see;
* :func:`own_circle` counts the circles of trust around ``me`` for any inner-circle threshold;
  :class:`OwnCircleExplorer` (registered for lesson "10") lets the learner move that threshold;
* :func:`own_report_figures` gives the same figures and sentences as
  ``python -m trustcircles report FILE --format html --account me``;
* :func:`import_own_export` is the one call for the learner's own file: with no file it explains
  what to do instead of failing.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import ipywidgets as widgets
import pandas as pd
import numpy as np
import plotly.graph_objects as go

from trustcircles import metrics, plots, report
from trustcircles.anonymise import TOKENS, config_dir
from trustcircles.data import DATASETS_DIR, TableError
from trustcircles.importers import IMPORTERS, detect_kind, import_export
from trustcircles.widgets import Explorer, register

#: The key the lesson pseudonymises the examples with. It is public (it is written here), which is
#: fine for invented people and wrong for real ones: your own export uses your own secret key.
EXAMPLE_KEY = b"example-key-for-the-lesson"

#: kind -> (file or folder in datasets/examples, who "me" is in it, what it is)
EXAMPLES = {
    "mastodon": ("mastodon", "@robin@example.social", "Robin's Mastodon archive (a gardener)"),
    "twitter": ("twitter", "jo_tester", "Jo's X/Twitter archive (a reader)"),
    "slack": ("slack", "Mira Example", "a small Slack workspace export (Mira's team)"),
    "mbox": ("mail.mbox", "ada@example.org", "Ada's mail folder (a meetup organiser)"),
}

#: inner-circle thresholds offered by the explorer, in conversational events per month
INNER_CHOICES = (1, 2, 4, 8, 15, 30, 60)


def example_path(kind: str) -> Path:
    """Where the example export of ``kind`` lives (inside the course's datasets folder)."""
    if kind not in EXAMPLES:
        raise KeyError(f"no example export of kind {kind!r}; choose one of: {', '.join(EXAMPLES)}")
    return DATASETS_DIR / "examples" / EXAMPLES[kind][0]


@lru_cache(maxsize=None)
def _example_table(kind: str) -> pd.DataFrame:
    path = example_path(kind)
    return import_export(kind, path, EXAMPLES[kind][1], key=EXAMPLE_KEY)


def example_table(kind: str = "mastodon") -> pd.DataFrame:
    """The example export of ``kind`` imported and anonymised with the lesson key (you are ``me``)."""
    return _example_table(kind).copy()


# --------------------------------------------------------------------------- what anonymising did

def scrubbed_tokens(table: pd.DataFrame) -> pd.Series:
    """How many times each kind of personal detail was replaced in the text, e.g. ``<URL>``: 3."""
    text = table["text"].astype("str").fillna("") if "text" in table else pd.Series([], dtype="str")
    counts = {token: int(text.str.count(re.escape(token)).sum()) for token in TOKENS.values()}
    return pd.Series(counts, name="replaced")


def tokens_figure(tables: dict[str, pd.DataFrame]) -> go.Figure:
    """Grouped bars: for each example export, how many e-mails, links, phones, handles and names
    the scrubber replaced by a token."""
    fig = go.Figure()
    for i, (kind, table) in enumerate(tables.items()):
        counts = scrubbed_tokens(table)
        fig.add_trace(go.Bar(
            x=list(counts.index), y=counts.to_numpy(), name=kind,
            marker_color=plots.COLORWAY[i % len(plots.COLORWAY)],
            hovertemplate=f"{kind}: %{{y}} × %{{x}} put in place of a personal detail<extra></extra>"))
    fig.update_layout(barmode="group")
    return plots.style(fig, "What the scrubber removed from the text of each example export",
                       "token put in place of a personal detail", "replacements (count)")


def who_wrote(table: pd.DataFrame) -> dict[str, int]:
    """Events written by you, written by others to you, and between others (or to nobody)."""
    by_me = table["actor"].eq("me")
    to_me = table["target"].eq("me") & ~by_me
    return {"by you": int(by_me.sum()), "to you": int(to_me.sum()),
            "between others": int((~by_me & ~to_me).sum())}


def sides_figure(tables: dict[str, pd.DataFrame]) -> go.Figure:
    """Stacked bars: for each export, the events you wrote and those others wrote to you.

    An archive of your own account (Mastodon, X) holds mostly what *you* sent; a team export (Slack)
    or a mail folder holds both sides. Reciprocity needs both sides to be seen.
    """
    colours = {"by you": plots.PALETTE["blue"], "to you": plots.TRUST,
               "between others": plots.NEUTRAL}
    counts = {kind: who_wrote(table) for kind, table in tables.items()}
    fig = go.Figure()
    for side, colour in colours.items():
        fig.add_trace(go.Bar(
            x=list(counts), y=[c[side] for c in counts.values()], name=side, marker_color=colour,
            hovertemplate=f"%{{x}}: %{{y}} events {side}<extra></extra>"))
    fig.update_layout(barmode="stack")
    return plots.style(fig, "Which side of the conversation each export can see",
                       "example export", "events (count)")


# --------------------------------------------------------------------------- your circle

def _my_partners(table: pd.DataFrame) -> pd.DataFrame:
    """One row per person you talk with or who talks with you: events each way and contact rate."""
    ties = metrics.ties(table)
    out = ties[ties["actor"].eq("me") & ties["target"].ne("me")].set_index("target")["events"]
    back = ties[ties["target"].eq("me") & ties["actor"].ne("me")].set_index("actor")["events"]
    people = out.index.union(back.index)
    frame = pd.DataFrame({"you_to_them": out.reindex(people, fill_value=0).astype(int),
                          "them_to_you": back.reindex(people, fill_value=0).astype(int)},
                         index=people)
    frame["mutual"] = (frame["you_to_them"] > 0) & (frame["them_to_you"] > 0)
    # contact rate (METRICS.md): conversational events between the two, both ways, per month
    frame["per_month"] = (frame["you_to_them"] + frame["them_to_you"]) / metrics.months(table)
    return frame


def own_circle(table: pd.DataFrame, inner: float = metrics.INNER_CIRCLE_RATE,
               close: float = metrics.CLOSE_CIRCLE_RATE) -> dict[str, int]:
    """Your circles of trust, counted as ``metrics.circles`` counts them for ``me``.

    ``inner``: mutuals you are in contact with at least ``inner`` times a month; ``close``: at least
    ``close`` times a month; ``active``: all mutuals (both of you talk to each other). Also
    ``spoke_to`` (people you addressed), ``no_answer`` (of those, the ones who never talked back)
    and ``audience`` (people who talk to you without an answer from you).
    """
    return _count_circle(_my_partners(table), inner, close)


def _count_circle(partners: pd.DataFrame, inner: float, close: float) -> dict[str, int]:
    mutual = partners["mutual"].to_numpy()
    rate = partners["per_month"].to_numpy()
    spoke = partners["you_to_them"].to_numpy() > 0
    return {"inner": int((mutual & (rate >= inner)).sum()),
            "close": int((mutual & (rate >= close)).sum()),
            "active": int(mutual.sum()), "spoke_to": int(spoke.sum()),
            "no_answer": int((spoke & ~mutual).sum()), "audience": int((~spoke).sum())}


def _people(n: int) -> str:
    return f"{n} {'person' if n == 1 else 'people'}"


def circle_reading(circle: dict[str, int], inner: float) -> str:
    """The circle in words, e.g. "You talk with 12 people who talk back; 3 of them about weekly"."""
    often = {1: "about monthly or more", 4: "about weekly or more", 30: "about daily or more"}.get(
        inner, f"at least {inner:g} times a month")
    text = (f"You talk with {_people(circle['active'])} who talk back; {circle['inner']} of them "
            f"{often} (your inner circle at this threshold).")
    if circle["spoke_to"]:
        text += (f" You spoke to {_people(circle['spoke_to'])}: {circle['no_answer']} never talked "
                 "back in this export.")
    else:
        text += " You addressed nobody in conversation here (posts and shares only)."
    if circle["audience"]:
        text += f" {_people(circle['audience'])} talked to you and got no conversation back."
    return text


RING_LABELS = ("inner", "close", "active", "+ audience")
RING_DESCRIPTIONS = ("mutuals in contact at least as often as the inner threshold",
                     "mutuals in contact about monthly or more (≥ 1 event per month)",
                     "all mutuals: you talk to them and they talk to you",
                     "plus people who talk to you without an answer back")


def _ring_counts(circle: dict[str, int]) -> list[int]:
    return [circle["inner"], circle["close"], circle["active"], circle["active"] + circle["audience"]]


def rings_figure(circle: dict[str, int], title: str) -> go.Figure:
    """Your circles as nested rings (``plots.circle_rings``): inner, close, active, plus audience."""
    return plots.circle_rings(_ring_counts(circle), RING_LABELS, title, RING_DESCRIPTIONS, "{:.0f}")


def _ring_geometry(circle: dict[str, int]) -> tuple[list[dict], list[dict]]:
    """The traces' and annotations' changing parts of :func:`rings_figure`, without building a
    figure (building one takes a tenth of a second; the explorer must answer faster). Same sizes
    as ``plots.circle_rings``: area in proportion to the count, a small minimum, rings nested."""
    counts = [float(c) for c in _ring_counts(circle)]
    biggest = max(counts + [1e-9])
    radii = np.maximum.accumulate([max(np.sqrt(c / biggest), 0.12 + 0.1 * i)
                                   for i, c in enumerate(counts)])
    angle = np.linspace(0, 2 * np.pi, 181)
    traces, notes = [], []
    for i in reversed(range(len(counts))):  # outermost first, as circle_rings draws them
        label = f"{RING_LABELS[i]}: {counts[i]:.0f}"
        traces.append({"x": radii[i] * np.cos(angle), "y": radii[i] * np.sin(angle), "name": label,
                       "text": f"<b>{RING_LABELS[i]}</b>: {counts[i]:.0f}<br>{RING_DESCRIPTIONS[i]}"})
        notes.append({"y": radii[i] - 0.06 if i else 0, "text": label})
    return traces, notes


class OwnCircleExplorer(Explorer):
    """Pick an example export and an inner-circle threshold; the rings and the reading follow.

    Each export's partners (events each way, contact rate) are worked out once when the explorer is
    built, so moving a control only counts them again.
    """

    def __init__(self, kinds=tuple(EXAMPLES)):
        self.partners = {kind: _my_partners(example_table(kind)) for kind in kinds}
        self.titles = {kind: EXAMPLES[kind][2] for kind in kinds}
        controls = {
            "kind": widgets.Dropdown(options=list(kinds), value=list(kinds)[0], description="export"),
            "inner": widgets.SelectionSlider(
                options=list(INNER_CHOICES), value=int(metrics.INNER_CIRCLE_RATE),
                description="inner circle: events/month ≥", continuous_update=True,
                style={"description_width": "initial"},
                layout=widgets.Layout(width="360px")),
        }
        first = list(kinds)[0]
        circle = _count_circle(self.partners[first], metrics.INNER_CIRCLE_RATE,
                               metrics.CLOSE_CIRCLE_RATE)
        figure = go.FigureWidget(rings_figure(circle, f"Circles of trust: {self.titles[first]}"))
        super().__init__(controls, figure, caption="Your circle of trust in an example export")

    def update(self) -> str:
        kind = self.controls["kind"].value
        inner = float(self.controls["inner"].value)
        close = min(metrics.CLOSE_CIRCLE_RATE, inner)  # the circles stay nested
        circle = _count_circle(self.partners[kind], inner, close)
        traces, notes = _ring_geometry(circle)
        for trace, values in zip(self.figure.data, traces):
            trace.update(values)
        for note, values in zip(self.figure.layout.annotations, notes):
            note.update(values)
        self.figure.layout.title.text = f"Circles of trust: {self.titles[kind]}"
        return circle_reading(circle, inner)


@register("10")
def own_circle_explorer() -> OwnCircleExplorer:
    """The lesson 10 explorer over the four example exports."""
    return OwnCircleExplorer()


# --------------------------------------------------------------------------- the report

def own_report_figures(table: pd.DataFrame) -> list[tuple[go.Figure, str]]:
    """The report's figures for ``me`` with their sentences, exactly as ``report --account me``
    draws them: circles, reciprocity, response times, conversation vs broadcast, tie lifetimes."""
    return report.build_figures(report._Facts(table, "me"))


# --------------------------------------------------------------------------- your own file

def key_file() -> Path:
    """Where your own secret key is (or will be) kept: ``config_dir() / "key"``. Nothing is created."""
    return config_dir() / "key"


def import_own_export(path: str | Path | None, me: str | None, kind: str | None = None,
                      key: bytes | None = None) -> pd.DataFrame | None:
    """Import your own export with your own key; with no ``path`` yet, say what to do and return None.

    ``kind`` is found from the file when left out (mastodon, twitter, slack or mbox). ``key``
    defaults to your own secret key (:func:`trustcircles.anonymise.user_key`, created on first use
    in :func:`key_file`). A wrong path, kind or ``me`` raises one clear error that says how to fix it.
    """
    if path is None:
        print("No export given yet, so nothing was imported. Set MY_EXPORT to the path of your "
              "export (a folder, .zip or .mbox kept outside the course folder) and ME to your own "
              "handle, name or address, then run this cell again. Your key would be kept in "
              f"{key_file()}.")
        return None
    path = Path(path).expanduser()
    if kind is None:
        kind = detect_kind(path) if path.exists() else None
        if kind is None:
            raise TableError(str(path), "this is not an export trustcircles recognises (or it does "
                             "not exist).", "check the path; or set MY_KIND to one of: "
                             + ", ".join(f"{k} ({v})" for k, v in IMPORTERS.items()) + ".")
    if not me:
        raise TableError(str(path), "ME is empty: the importer needs to know which account is you.",
                         "set ME to your own handle, name or address as it appears in the export.")
    table = import_export(kind, path, me, key=key)
    others = set(table["actor"]).union(table["target"].dropna()) - {"me"}
    print(f"Imported {len(table):,} events ({kind}) with {len(others):,} other people, all "
          f"pseudonymised; you are 'me'. Your key: {key_file() if key is None else 'the key you gave'}.")
    return table


def facts_sentence(table: pd.DataFrame) -> str:
    """A one-line summary of an imported table: events, people, days covered, questions to you."""
    questions = metrics.questions(table)
    to_me = questions[questions["target"].eq("me")]
    others = set(table["actor"]).union(table["target"].dropna()) - {"me"}
    return (f"{len(table)} events over {metrics.window_days(table):.1f} days with "
            f"{_people(len(others))} besides you; {int(table['actor'].eq('me').sum())} written by "
            f"you; {len(to_me)} question{'' if len(to_me) == 1 else 's'} put to you, {int(to_me['answered_by_target'].sum())} "
            "answered by you within 48 hours.")


__all__ = ["EXAMPLE_KEY", "EXAMPLES", "INNER_CHOICES", "example_path", "example_table",
           "scrubbed_tokens", "tokens_figure", "who_wrote", "sides_figure", "own_circle",
           "circle_reading", "rings_figure", "OwnCircleExplorer", "own_circle_explorer",
           "own_report_figures", "key_file", "import_own_export", "facts_sentence"]
