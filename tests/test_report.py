"""The report command: JSON exactly as METRICS.md, the HTML page, the text summary, bad input."""
import gzip
import json
import math
import subprocess
import sys

import pytest

from trustcircles import cli, plots, report
from trustcircles.data import load_interactions
from tests.test_data import BAD_TABLES, write
from tests.test_metrics import WORKED_EXAMPLE_REPORT

HEADER = "event_id,timestamp,actor,target,kind,parent_id,is_question,is_promotional\n"
GOOD_ROW = "e1,2025-03-03T09:00:00Z,ann,,post,,true,false\n"


def run_cli(capsys, *argv):
    status = cli.main(["report", *map(str, argv)])
    out, err = capsys.readouterr()
    return status, out, err


def test_json_on_the_worked_example_equals_metrics_md(capsys):
    status, out, _ = run_cli(capsys, "worked_example", "--format", "json")
    assert status == 0
    assert json.loads(out) == WORKED_EXAMPLE_REPORT
    assert list(json.loads(out)) == ["window_days", "global", "accounts"]
    assert "NaN" not in out and "null" in out


def test_json_from_a_gzipped_file_and_to_out(tmp_path, capsys):
    source = tmp_path / "t.csv.gz"
    with gzip.open(source, "wt", encoding="utf-8") as handle:
        handle.write(open(load_interactions.__code__.co_filename.replace(
            "trustcircles/data.py", "datasets/worked_example/interactions.csv")).read())
    out = tmp_path / "r.json"
    status, stdout, _ = run_cli(capsys, source, "--out", out)
    assert status == 0 and stdout == ""
    assert json.loads(out.read_text()) == WORKED_EXAMPLE_REPORT
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_json_for_one_account_and_for_an_empty_table(tmp_path, capsys):
    status, out, _ = run_cli(capsys, "worked_example", "--account", "cat")
    assert json.loads(out)["accounts"] == {"cat": WORKED_EXAMPLE_REPORT["accounts"]["cat"]}
    empty = tmp_path / "empty.csv"
    empty.write_text(HEADER)
    status, out, _ = run_cli(capsys, empty)
    assert status == 0
    assert json.loads(out) == {"window_days": 0.0, "global": {
        "events": 0, "accounts": 0, "ties": 0, "reciprocity": None, "questions": 0,
        "questions_answered_rate": None}, "accounts": {}}


def test_html_is_one_self_contained_page_with_figures_and_sentences(tmp_path, capsys):
    out = tmp_path / "bob.html"
    status, _, _ = run_cli(capsys, "worked_example", "--format", "html", "--account", "bob",
                           "--out", out)
    assert status == 0
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>") and page.count("Plotly.newPlot") == 5
    assert "<script src=" not in page  # plotly.js is embedded, so it works offline
    assert "bob answered 0 of the 1 questions put to them." in page
    assert "bob spoke to 2 people and 2 of them talked back (100%)." in page
    whole = report.build_html(load_interactions("worked_example"))
    assert "1 of the 2 questions got an answer within 48 hours, half of those within 2 hours" in whole


def test_figures_have_titles_axis_units_hover_and_the_palette():
    facts = report.Facts(load_interactions("worked_example"), None)
    figures = report.build_figures(facts)
    assert len(figures) == 5
    palette = set(plots.PALETTE.values()) | {"white"}
    for fig, sentence in figures:
        layout = fig.layout
        assert layout.title.text and sentence.endswith(".")
        if layout.xaxis.visible is not False:
            # Quantities carry their unit in brackets; a categorical x axis just names the categories.
            assert layout.xaxis.title.text and "(" in layout.yaxis.title.text
            if not isinstance(fig.data[0].x[0], str):
                assert "(" in layout.xaxis.title.text
        for trace in fig.data:
            assert trace.hovertext is not None or trace.hovertemplate or trace.text
            colours = [getattr(trace.marker, "color", None) if hasattr(trace, "marker") else None,
                       getattr(trace, "fillcolor", None)]
            for colour in colours:
                for c in ([colour] if isinstance(colour, str) else list(colour or [])):
                    assert c in palette, c


def test_sentences_are_computed_from_the_numbers():
    rows = [HEADER.strip()]
    for i in range(10):  # ten questions to bob; he answers nine, after 1..9 hours
        rows.append(f"q{i},2025-01-01T00:00:00Z,ann,bob,mention,,true,false")
        if i < 9:
            rows.append(f"r{i},2025-01-01T0{i + 1}:00:00Z,bob,ann,reply,q{i},false,false")
    from trustcircles.data import as_interactions
    import io
    import pandas as pd
    table = as_interactions(pd.read_csv(io.StringIO("\n".join(rows)), dtype=str,
                                        keep_default_na=False))
    text = report.build_text(table, account="bob")
    assert "bob answered 9 of the 10 questions put to them, half within 5 hours." in text
    assert "answered 90% of questions put to it; median response 5.00 hours" in text


def test_text_summary(capsys):
    status, out, _ = run_cli(capsys, "worked_example", "--format", "text")
    assert status == 0
    assert "6 events, 3 accounts, 2.2 days" in out and "reciprocity 80%" in out
    assert len(out.splitlines()) < 25


# --------------------------------------------------------------------------- bad input

# The catalogue of bad tables is tested once, at the library level (tests/test_data.py); through the
# command line, a few of its cases: one message, exit status 2, no traceback, nothing written.
CLI_CASES = ("missing column", "unknown kind", "semicolons")


@pytest.mark.parametrize("name", CLI_CASES)
def test_bad_input_is_refused_with_one_message_and_nothing_written(name, tmp_path, capsys):
    lines, expected = BAD_TABLES[name]
    source = write(tmp_path, lines, name=f"{name.replace(' ', '_')}.csv")
    out = tmp_path / "report.json"
    status, stdout, err = run_cli(capsys, source, "--out", out)
    assert status == 2 and stdout == ""
    assert str(source) in err and expected in err and "What to do" in err
    assert "Traceback" not in err
    assert not out.exists() and list(tmp_path.iterdir()) == [source]


def test_not_utf8_missing_file_and_unknown_account(tmp_path, capsys):
    latin = tmp_path / "latin.csv"
    latin.write_bytes((HEADER + "e1,2025-03-03T09:00:00Z,andré,,post,,true,false\n").encode("latin-1"))
    status, _, err = run_cli(capsys, latin, "--out", tmp_path / "x.json")
    assert status == 2 and "not UTF-8" in err and not (tmp_path / "x.json").exists()
    status, _, err = run_cli(capsys, tmp_path / "nope.csv")
    assert status == 2 and "no such file" in err
    status, _, err = run_cli(capsys, "worked_example", "--account", "dan", "--format", "html",
                             "--out", tmp_path / "y.html")
    assert status == 2 and "account 'dan'" in err and "account IDs" in err
    assert not (tmp_path / "y.html").exists()


def test_through_python_dash_m_there_is_no_traceback(tmp_path):
    source = tmp_path / "bad.csv"
    source.write_text(HEADER + "e1,2025-03-03T09:00:00Z,ann,,shout,,true,false\n")
    done = subprocess.run([sys.executable, "-m", "trustcircles", "report", str(source)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert "kind must be one of" in done.stderr and "Traceback" not in done.stderr


def test_palette_is_okabe_ito_and_style_sets_titles():
    import plotly.graph_objects as go
    assert len(plots.PALETTE) == 8 and plots.PALETTE["vermillion"] == "#D55E00"
    fig = plots.style(go.Figure(), "T", "x (days)", "y (count)")
    assert fig.layout.title.text == "T" and fig.layout.xaxis.title.text == "x (days)"
    assert list(fig.layout.colorway) == plots.COLORWAY
    empty = plots.circle_rings([0, 0, 0], ["a", "b", "c"], "t")  # nobody: no ring drawn, labels say 0
    assert all(len(trace.x) == 0 for trace in empty.data)
    assert [note.text for note in empty.layout.annotations] == ["c: 0", "b: 0", "a: 0"]
    assert not math.isnan(plots.circle_rings([0, 1, 2], ["a", "b", "c"], "t").data[0].x[0])


def _json_the_plain_way(data):
    """The report's JSON layout written with json.dumps once per account (the slow, obvious way)."""
    lines = [f"{json.dumps(name)}: {json.dumps(values, allow_nan=False)}"
             for name, values in data["accounts"].items()]
    body = ",\n  ".join(lines)
    return ("{" + f'"window_days": {json.dumps(data["window_days"])},\n'
            + f' "global": {json.dumps(data["global"])},\n'
            + ' "accounts": {' + ("\n  " + body + "\n " if lines else "") + "}}\n")


@pytest.mark.parametrize("name", ["worked_example", "community"])
def test_json_text_is_what_json_dumps_writes_account_by_account(name):
    from trustcircles import metrics
    table = load_interactions(name)
    text = report.build_json(table)
    assert text == _json_the_plain_way(metrics.report(table))
    some = sorted(json.loads(text)["accounts"])[len(json.loads(text)["accounts"]) // 2]
    assert report.build_json(table, account=some) == _json_the_plain_way(
        metrics.report(table, account=some))
    # odd account names are escaped as JSON strings, missing values are null
    odd = table.assign(actor=table["actor"].where(table["actor"] != some, 'a "quoted", name é'))
    assert report.build_json(odd) == _json_the_plain_way(metrics.report(odd))


@pytest.mark.parametrize("values", [
    [0.5, 0.0, -0.0, float("nan"), 0.5, 1e-05, 2.5e-05, 1e16, 0.1 + 0.2, 1 / 3, 0.0, float("nan")],
    [float("nan")] * 3, [7.0], [], [3, 0, -2, 10**12]])
def test_json_texts_of_a_column_are_what_json_dumps_writes_for_each_value(values):
    import numpy as np
    array = np.array(values, dtype=np.int64 if values and isinstance(values[0], int) else float)
    expected = [json.dumps(None if isinstance(v, float) and math.isnan(v) else v) for v in values]
    assert report._json_texts(array) == expected


def test_json_texts_refuse_infinity_as_json_dumps_does():
    import numpy as np
    with pytest.raises(ValueError):
        report._json_texts(np.array([1.0, float("inf")]))


def test_html_and_text_facts_use_the_same_numbers_as_the_json_report():
    from trustcircles import metrics
    table = load_interactions("worked_example")
    facts = report.Facts(table, None)
    assert facts.report == metrics.report(table)
    assert facts.frame.equals(metrics.account_metrics(table))
    assert report.Facts(table, "bob").report == metrics.report(table, account="bob")


def test_a_one_sided_export_says_who_answered_cannot_be_seen_instead_of_zero_reciprocity():
    """A Mastodon outbox holds only its owner's side: the report must not read that as 'nobody
    talked back'. An X archive (tweets one-sided, DMs both) counts the two-way numbers on its DMs.
    A two-sided export (Slack) is reported as usual; the JSON keeps METRICS.md's shape."""
    from trustcircles import report
    from trustcircles.importers.sides import ONE_SIDED_SENTENCE
    from trustcircles.topics.own_circle import example_table

    outbox = example_table("mastodon")
    text = report.build_text(outbox, "me")
    assert ONE_SIDED_SENTENCE in text and "reciprocity" not in text.split(ONE_SIDED_SENTENCE)[1]
    assert ONE_SIDED_SENTENCE in report.build_html(outbox, "me")
    sentences = [s for _, s in report.build_figures(report.Facts(outbox, "me"))]
    assert not any("talked back" in s or "mutuals" in s for s in sentences)
    assert set(json.loads(report.build_json(outbox))["accounts"]["me"]) == set(
        json.loads(report.build_json(example_table("slack")))["accounts"]["me"])

    archive = example_table("twitter")
    facts = report.Facts(archive, "me")
    assert facts.two_way is not None and facts.two_way is not facts
    assert "direct messages" in report.build_text(archive, "me")

    slack = report.Facts(example_table("slack"), "me")
    assert slack.two_way is slack and slack.sides_note is None
    assert any("talked back" in s for _, s in report.build_figures(slack))
