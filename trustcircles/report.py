"""The circle-of-trust report of a table, as JSON, HTML or text (``python -m trustcircles report``).

* :func:`build_json`: exactly the object of METRICS.md (``metrics.report``), written quickly;
* :func:`build_html`: one self-contained page (plotly embedded, works offline) with five figures —
  circles of trust, reciprocity, response times, conversation vs broadcast, tie lifetimes — each
  with one plain-language sentence computed from the numbers (:func:`build_figures`, also drawn in
  lesson 10);
* :func:`build_text`: a short summary for the terminal.

Each takes ``account`` to narrow the report to one account (the window and global figures stay
whole-table). :class:`Facts` holds the numbers the sentences and figures describe. The command line
is :mod:`trustcircles.commands.report`.

An imported export may hold only one side of the conversation (a Mastodon outbox: only what its
owner wrote; :mod:`trustcircles.importers.sides`). Then who talked back cannot be seen: the HTML and
text reports say so instead of showing reciprocity, mutuals, circles and answered questions, and
where only part of the table is one-sided (an X archive's tweets) they count those on the rest.
The JSON stays exactly METRICS.md's object.
"""
from __future__ import annotations

import html
import itertools
import json
import math
from json.encoder import encode_basestring_ascii

import numpy as np
import pandas as pd

from trustcircles import metrics
from trustcircles.data import AUTHORED_KINDS
from trustcircles.importers.sides import can_see_answers, one_sided_note, sides_held, two_sided_events


# --------------------------------------------------------------------------- JSON

def build_json(table, account: str | None = None, source: str = "") -> str:
    """The METRICS.md report as JSON text: one account per line, null for missing, floats unrounded."""
    p = metrics.prepare(table)
    names, arrays, glob = metrics.report_arrays(p, account)
    body = _accounts_body(names, arrays)
    return ("{" + f'"window_days": {json.dumps(p.window_days, allow_nan=False)},\n'
            + f' "global": {json.dumps(glob, allow_nan=False)},\n'
            + ' "accounts": {' + ("\n  " + body + "\n " if names else "") + "}}\n")


#: One account's line: its name, then its object with a slot for each value, laid out as
#: json.dumps lays out a dict.
_ACCOUNT_LINE = "%s: {" + ", ".join(f"{json.dumps(key)}: %s" for key in metrics.ACCOUNT_KEYS) + "}"


def _json_texts(values: np.ndarray) -> list[str]:
    """Each value of an int64 or float64 array (NaN for missing) as json.dumps writes it.

    Counts and rates (ratios of small counts) repeat: a column of 20,000 accounts holds a few
    hundred distinct values, so each is written once. They are told apart by their bits, so 0.0
    and -0.0 stay apart."""
    floats = values.dtype.kind == "f"
    distinct, where = np.unique(values.view(np.int64) if floats else values, return_inverse=True)
    texts = np.full(len(distinct), "null", dtype=object)
    if floats:
        distinct = distinct.view(np.float64)
        present = ~np.isnan(distinct)
        if present.any():  # a JSON number never contains ", ", so the list splits back into values
            texts[present] = json.dumps(distinct[present].tolist(), allow_nan=False)[1:-1].split(", ")
    else:
        texts[:] = [str(value) for value in distinct.tolist()]  # what json.dumps writes for an int
    return texts[where.ravel()].tolist()


def _accounts_body(names: list, arrays: list[np.ndarray]) -> str:
    """``"name": {...}`` for each account, a line each: the same text as json.dumps of each account's
    dict, but encoded a column at a time (json.dumps once per account takes about a second for
    20,000) and laid out by one %-format of the whole body."""
    # encode_basestring_ascii is the C function json.dumps calls for a str (same text, no overhead).
    columns = [[encode_basestring_ascii(name) for name in names]]
    columns += [_json_texts(values) for values in arrays]
    values = tuple(itertools.chain.from_iterable(zip(*columns)))
    return ",\n  ".join([_ACCOUNT_LINE] * len(names)) % values


# --------------------------------------------------------------------------- shared numbers

def _share(part: float, whole: float) -> str:
    return f"{part / whole:.0%}" if whole else "n/a"


def _hours(value: float) -> str:
    if value < 1:
        return f"{value * 60:.0f} minutes"
    if value < 48:
        return f"{value:.1f} hours".replace(".0 hours", " hours")
    return f"{value / 24:.1f} days"


def _days(value: float) -> str:
    return "the same day" if value < 1 else f"{value:.0f} days" if value >= 10 else f"{value:.1f} days"


class Facts:
    """The numbers the HTML and text reports describe, for one account or for the whole table.

    ``frame`` (every account's metrics) and ``report`` (the METRICS.md report) are computed once, on
    one prepared table, for the sentences and the figures; ``ties``, ``questions`` and ``kinds`` are
    the account's own (or everyone's), ``kind_counts`` and ``authored`` what it wrote.
    """

    def __init__(self, table: pd.DataFrame, account: str | None):
        p = metrics.prepare(table)
        if account is not None and account not in p.accounts:
            raise metrics.UnknownAccountError(account, p.accounts)
        self.account = account
        self.prepared = p
        # Every metric computed once, on this one prepared table, for the report and the figures.
        self.frame = metrics.account_metrics(p)
        self.report = metrics.report(p, account, self.frame)
        ties = p.ties
        questions = p.questions
        authored = p.authored
        kinds = pd.Series(np.asarray(metrics.KINDS, dtype=object)[p.kind[authored]])
        if account is None:
            self.ties = ties
            self.questions = questions
            self.kinds = kinds
            self.promotional = int(p.table["is_promotional"].to_numpy(bool)[authored].sum())
        else:
            code = p.accounts.get_loc(account)
            self.ties = ties[ties["_actor"] == code]
            self.in_ties = ties[ties["_target"] == code]
            self.questions = questions[questions["_target"] == code]
            mine = p.actor[authored] == code
            self.kinds = kinds[mine]
            self.promotional = int(p.table["is_promotional"].to_numpy(bool)[authored][mine].sum())
        self.kind_counts = {k: int((self.kinds == k).sum()) for k in AUTHORED_KINDS}
        self.authored = int(len(self.kinds))
        # Who answered whom needs both sides of the conversation (see the module docstring).
        self.sides_note = one_sided_note(table)
        self.two_way: Facts | None = self
        if not can_see_answers(table):
            self.two_way = None
        elif sides_held(table) == "mixed":
            both = two_sided_events(table)
            seen = account is None or account in set(both["actor"]) | set(both["target"].dropna())
            self.two_way = Facts(both, account) if len(both) and seen else None


# --------------------------------------------------------------------------- sentences

def circles_sentence(f: Facts) -> str:
    if f.account is not None:
        row = f.report["accounts"][f.account]
        audience = row["in_ties"] - row["mutuals"]
        return (f"{f.account} has {row['circle_active']:,} mutuals (people who talk with them both ways): "
                f"{row['circle_close']:,} about monthly or more often and {row['circle_inner']:,} about "
                f"weekly; {audience:,} more talk to them without an answer back (an audience, not a circle).")
    m = f.frame
    if not len(m):
        return "The table is empty: there are no circles to draw."
    return (f"On average an account has {m['circle_active'].mean():.1f} mutuals, of whom "
            f"{m['circle_close'].mean():.1f} talk with it about monthly or more often and "
            f"{m['circle_inner'].mean():.1f} about weekly; {int((m['mutuals'] == 0).sum()):,} of "
            f"{len(m):,} accounts have no mutual at all.")


def reciprocity_sentence(f: Facts) -> str:
    returned = int(f.ties["_mutual"].sum())
    total = len(f.ties)
    if f.account is not None:
        if not total:
            return f"{f.account} has not spoken to anyone in conversation, so nobody could talk back."
        return (f"{f.account} spoke to {total:,} people and {returned:,} of them talked back "
                f"({_share(returned, total)}).")
    if not total:
        return "Nobody spoke to anybody in conversation, so there is no reciprocity to measure."
    return (f"Of {total:,} ties (someone speaking to someone), {returned:,} were returned "
            f"({_share(returned, total)}): when someone talks, the other talks back "
            f"{_share(returned, total)} of the time.")


def response_sentence(f: Facts) -> str:
    q = f.questions
    if f.account is not None:
        answered = q["target_response_hours"].dropna()
        if not len(q):
            return f"No question was put to {f.account}."
        text = f"{f.account} answered {len(answered):,} of the {len(q):,} questions put to them"
        if len(answered):
            text += f", half within {_hours(float(answered.median()))}"
        return text + "."
    answered = q["first_answer_hours"].dropna()
    if not len(q):
        return "Nobody asked a question in this table."
    text = f"{len(answered):,} of the {len(q):,} questions got an answer within 48 hours"
    if len(answered):
        text += f", half of those within {_hours(float(answered.median()))}"
    return text + f"; {len(q) - len(answered):,} met silence."


def conversation_sentence(f: Facts) -> str:
    who = f.account or "Accounts"
    if not f.authored:
        return f"{f.account or 'Nobody'} wrote nothing (posts, replies, mentions or DMs)."
    posts = f.kind_counts["post"]
    talk = f.authored - posts
    return (f"{who} wrote {f.authored:,} things: {talk:,} in conversation (replies, mentions, DMs) and "
            f"{posts:,} broadcast as posts ({_share(posts, f.authored)}); {f.promotional:,} "
            f"({_share(f.promotional, f.authored)}) promoted or sold something.")


def lifetime_sentence(f: Facts) -> str:
    days = f.ties["lifetime_days"]
    if not len(days):
        return "There are no ties, so no tie lifetimes."
    single = int((f.ties["events"] == 1).sum())
    who = f"{f.account}'s ties" if f.account else "Ties"
    return (f"{who} last a median of {_days(float(days.median()))} from first to last "
            f"conversational event; {single:,} of {len(days):,} are a single event that never came back.")


# --------------------------------------------------------------------------- figures

def build_figures(f: Facts) -> list[tuple[object, str]]:
    """The report's five figures, each with its plain-language sentence."""
    from trustcircles import plots

    who = f.account or "all accounts"
    figures = []
    whole, f = f, f.two_way
    if f is not None:
        figures.extend(_two_way_figures(f, who))
    f = whole
    figures.extend(_one_way_figures(f, who))
    return figures


def _two_way_figures(f: Facts, who: str) -> list[tuple[object, str]]:
    """Circles, reciprocity and response times: the figures that need both sides of the talk."""
    from trustcircles import plots

    figures = []
    if f.account is not None:
        row = f.report["accounts"][f.account]
        ring_counts = [row["circle_inner"], row["circle_close"], row["circle_active"],
                       row["circle_active"] + row["in_ties"] - row["mutuals"]]
        fmt = "{:.0f}"
    else:
        m = f.frame
        ring_counts = [m["circle_inner"].mean(), m["circle_close"].mean(), m["circle_active"].mean(),
                       (m["circle_active"] + m["in_ties"] - m["mutuals"]).mean()] if len(m) else [0] * 4
        fmt = "{:.1f}"
    ring_counts = [0.0 if (isinstance(c, float) and math.isnan(c)) else float(c) for c in ring_counts]
    figures.append((plots.circle_rings(
        ring_counts, ["inner", "close", "active", "+ audience"],
        f"Circles of trust ({who}{', averages per account' if f.account is None else ''})",
        ["mutuals in contact about weekly or more (≥ 4 events per month)",
         "mutuals in contact about monthly or more (≥ 1 event per month)",
         "all mutuals: both talk to each other",
         "plus those who talk to the account without an answer back"], fmt),
        circles_sentence(f)))

    if f.account is not None:
        returned = int(f.ties["_mutual"].sum())
        one_way_out = len(f.ties) - returned
        one_way_in = int((~f.in_ties["_mutual"]).sum())
        figures.append((plots.bars(
            ["talked back (mutual)", "did not talk back", "talk to them, no answer back"],
            [returned, one_way_out, one_way_in], f"Reciprocity: does the other talk back? ({who})",
            "tie", "people (count)",
            [plots.TRUST, plots.TRANSACTIONAL, plots.PALETTE["orange"]],
            [f"{returned:,} people {who} spoke to also spoke to {who}",
             f"{one_way_out} people {who} spoke to never spoke back",
             f"{one_way_in} people spoke to {who} and got no conversation back"]),
            reciprocity_sentence(f)))
    else:
        figures.append((plots.histogram(
            f.frame["reciprocity"], "Reciprocity per account: share of people who talk back",
            "reciprocity (share of out-ties returned, 0 to 1)", "accounts (count)",
            colour=plots.TRUST, bin_size=0.1), reciprocity_sentence(f)))

    hours = f.questions["target_response_hours" if f.account else "first_answer_hours"]
    fig = plots.histogram(hours, f"Response times to questions ({who})",
                          "hours from question to answer (h)", "questions (count)",
                          colour=plots.PALETTE["blue"], bin_size=3, marker_at=48,
                          marker_label="48 h: answered in time")
    figures.append((fig, response_sentence(f)))
    return figures


def _one_way_figures(f: Facts, who: str) -> list[tuple[object, str]]:
    """Conversation vs broadcast and tie lifetimes: what the account's own side shows."""
    from trustcircles import plots

    figures = []
    labels = {"post": "posts (broadcast)", "reply": "replies", "mention": "mentions", "dm": "DMs"}
    figures.append((plots.bars(
        [labels[k] for k in AUTHORED_KINDS], [f.kind_counts[k] for k in AUTHORED_KINDS],
        f"Conversation vs broadcast ({who})", "kind of event written", "events (count)",
        [plots.TRANSACTIONAL] + [plots.TRUST] * 3,
        [f"{f.kind_counts[k]} {labels[k]} ({_share(f.kind_counts[k], f.authored)} of authored events)"
         for k in AUTHORED_KINDS]), conversation_sentence(f)))

    figures.append((plots.histogram(
        f.ties["lifetime_days"], f"Tie lifetimes ({who})",
        "days from first to last conversational event (days)", "ties (count)",
        colour=plots.PALETTE["bluish_green"]), lifetime_sentence(f)))
    return figures


def build_html(table, account: str | None = None, source: str = "") -> str:
    """One self-contained HTML page (plotly.js embedded) with the report's figures and sentences."""
    from plotly.offline import get_plotlyjs

    facts = Facts(table, account)
    title = f"Circle-of-trust report: {account or 'whole table'}"
    g = facts.report["global"]
    summary = (f"{g['events']:,} events by {g['accounts']:,} accounts over "
               f"{facts.report['window_days']:.1f} days; source: {source or 'a table'}.")
    sections = []
    if facts.sides_note:
        sections.append(f'<section>\n<p class="reading"><b>{html.escape(facts.sides_note)}</b></p>\n</section>')
    for number, (fig, sentence) in enumerate(build_figures(facts)):
        div = fig.to_html(full_html=False, include_plotlyjs=False, div_id=f"figure-{number}",
                          config={"displaylogo": False})
        sections.append(f'<section>\n<p class="reading">{html.escape(sentence)}</p>\n{div}\n</section>')
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: Arial, Helvetica, sans-serif; max-width: 980px; margin: 2em auto; color: #222; }}
p.reading {{ font-size: 1.1em; background: #f4f4f4; border-left: 4px solid #0072B2; padding: .5em 1em; }}
section {{ margin-bottom: 2.5em; }}
</style>
<script type="text/javascript">{get_plotlyjs()}</script>
</head>
<body>
<h1>{html.escape(title)}</h1>
<p>{html.escape(summary)}</p>
{chr(10).join(sections)}
</body>
</html>
"""


# --------------------------------------------------------------------------- text

def _fmt(value, percent: bool = False) -> str:
    if value is None:
        return "n/a"
    if percent:
        return f"{value:.0%}"
    return f"{value:,}" if isinstance(value, int) else f"{value:.2f}"


def build_text(table, account: str | None = None, source: str = "") -> str:
    """A short terminal summary: the global figures, then the account (or the spread over accounts)."""
    facts = Facts(table, account)
    r = facts.report
    g = r["global"]
    tw = facts.two_way
    lines = [f"Circle-of-trust report: {source or 'table'}",
             f"  {g['events']:,} events, {g['accounts']:,} accounts, {r['window_days']:.1f} days"]
    if tw is None:
        lines += [f"  ties: {g['ties']:,}; questions: {g['questions']:,} (who talked back or answered "
                  "cannot be seen in this export)"]
    else:
        two = tw.report["global"]
        lines += [f"  ties: {two['ties']:,}; reciprocity {_fmt(two['reciprocity'], True)} "
                  f"(share of ties returned)",
                  f"  questions: {two['questions']:,}; answered within 48 h: "
                  f"{_fmt(two['questions_answered_rate'], True)}"]
    if facts.sides_note:
        lines += ["", f"  {facts.sides_note}"]
    if account is not None and tw is None:
        a = r["accounts"][account]
        lines += ["", f"Account {account}",
                  f"  events {a['events']:,}; speaks to {a['out_ties']:,} people",
                  f"  broadcast {_fmt(a['broadcast_ratio'], True)} of what it writes, "
                  f"promotional {_fmt(a['promotional_share'], True)}",
                  f"  ties last a median {_fmt(a['median_tie_days'])} days; "
                  f"{_fmt(a['opened_by_listening'], True)} opened by replying (listening first)"]
    elif account is not None:
        a = dict(r["accounts"][account])
        a.update({k: tw.report["accounts"][account][k] for k in
                  ("out_ties", "in_ties", "mutuals", "reciprocity", "circle_inner", "circle_close",
                   "circle_active",
                   "answer_rate", "median_response_hours")})
        lines += ["", f"Account {account}",
                  f"  events {a['events']:,}; speaks to {a['out_ties']:,} people, "
                  f"{a['in_ties']:,} speak to it, {a['mutuals']:,} mutuals "
                  f"(reciprocity {_fmt(a['reciprocity'], True)})",
                  f"  circles: inner {a['circle_inner']:,}, close {a['circle_close']:,}, "
                  f"active {a['circle_active']:,}",
                  f"  broadcast {_fmt(a['broadcast_ratio'], True)} of what it writes, "
                  f"promotional {_fmt(a['promotional_share'], True)}",
                  f"  answered {_fmt(a['answer_rate'], True)} of questions put to it; median "
                  f"response {_fmt(a['median_response_hours'])} hours",
                  f"  ties last a median {_fmt(a['median_tie_days'])} days; "
                  f"{_fmt(a['opened_by_listening'], True)} opened by replying (listening first)"]
    else:
        m = facts.frame
        if len(m):
            lines += ["", "Across accounts (medians; n/a where no account has a value)"]
            for key, label in (("reciprocity", "reciprocity"), ("broadcast_ratio", "broadcast ratio"),
                               ("answer_rate", "answer rate"), ("median_tie_days", "tie lifetime, days"),
                               ("opened_by_listening", "opened by listening")):
                value = m[key].median()
                lines.append(f"  {label}: {'n/a' if math.isnan(value) else f'{value:.2f}'}")
    two_way = (circles_sentence(tw), reciprocity_sentence(tw), response_sentence(tw)) if tw else ()
    lines += ["", *(f"- {s}" for s in (*two_way, conversation_sentence(facts),
                                        lifetime_sentence(facts)))]
    return "\n".join(lines) + "\n"


#: format -> the function that builds the report in it (the ``--format`` choices).
BUILDERS = {"json": build_json, "html": build_html, "text": build_text}
