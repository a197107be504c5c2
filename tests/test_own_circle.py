"""Tests of trustcircles.widgets.own_circle (lesson 10) on the example exports."""
from __future__ import annotations

import numpy as np
import pytest

from trustcircles import metrics
from trustcircles.data import TableError
from trustcircles.widgets.own_circle import (EXAMPLES, INNER_CHOICES, import_own_export, key_file,
                                             own_circle, own_circle_explorer, rings_figure,
                                             example_table, scrubbed_tokens, who_wrote)


@pytest.fixture(autouse=True)
def private_config(tmp_path, monkeypatch):
    monkeypatch.setenv("TRUSTCIRCLES_CONFIG_DIR", str(tmp_path / "config"))


@pytest.mark.parametrize("kind", list(EXAMPLES))
@pytest.mark.parametrize("inner", [1.0, 4.0, 60.0])
def test_own_circle_counts_as_metrics_circles(kind, inner):
    from trustcircles.importers.sides import sides_held, two_sided_events

    table = example_table(kind)
    if sides_held(table) == "mixed":          # an X archive: circles only where both sides are held
        table = two_sided_events(table)
    expected = metrics.circles(table, inner, 1.0)
    circle = own_circle(table, inner, 1.0)
    row = expected.loc["me"]
    assert (circle["inner"], circle["close"], circle["active"]) == (
        row["circle_inner"], row["circle_close"], row["circle_active"])
    assert circle["active"] == metrics.mutuals(table)["me"]
    assert circle["spoke_to"] == metrics.out_ties(table)["me"]


def test_outbox_sees_only_my_side_and_mail_sees_both():
    mastodon = who_wrote(example_table("mastodon"))
    assert mastodon["to you"] == 0 and mastodon["by you"] > 0
    assert own_circle(example_table("mastodon"))["active"] == 0
    assert who_wrote(example_table("mbox"))["to you"] > 0


def test_scrubbed_tokens_are_counted_from_the_text():
    table = example_table("mastodon")
    counts = scrubbed_tokens(table)
    for token, n in counts.items():
        assert n == sum(text.count(token) for text in table["text"].fillna(""))
    assert counts["<URL>"] >= 1 and counts["<HANDLE>"] >= 1


def test_explorer_rings_match_circle_rings_and_reading_follows():
    explorer = own_circle_explorer()
    for kind in EXAMPLES:
        for inner in (INNER_CHOICES[0], INNER_CHOICES[-1]):
            explorer.controls["kind"].value = kind
            explorer.controls["inner"].value = inner
            circle = own_circle(example_table(kind), inner, min(1.0, inner))
            reference = rings_figure(circle, "")
            for shown, wanted in zip(explorer.figure.data, reference.data):
                assert np.allclose(shown.x, wanted.x) and np.allclose(shown.y, wanted.y)
                assert shown.name == wanted.name and shown.text == wanted.text
            if not explorer.circles[kind].visible:      # an outbox: who talked back is not in it
                assert "cannot be seen" in explorer.reading_text
                continue
            assert f"You talk with {circle['active']} " in explorer.reading_text
            assert f"{circle['inner']} of them" in explorer.reading_text


def test_no_own_file_explains_and_creates_no_key(capsys):
    assert import_own_export(None, None) is None
    assert "MY_EXPORT" in capsys.readouterr().out
    assert not key_file().exists()


def test_own_file_uses_the_users_key_and_bad_input_is_clear(tmp_path):
    path, me = "mbox", EXAMPLES["mbox"][1]
    from trustcircles.widgets.own_circle import example_path
    table = import_own_export(example_path(path), me)
    assert key_file().exists() and (table["actor"] == "me").any()
    with pytest.raises(TableError, match="not an export"):
        import_own_export(tmp_path / "missing.zip", me)
    with pytest.raises(TableError, match="me is empty"):
        import_own_export(example_path("mbox"), "")


def test_the_explorer_says_an_outbox_cannot_show_who_talked_back_and_every_format_imports():
    """Lesson 10's explorer on the Mastodon example (only Robin's side) says so instead of "nobody
    talked back"; on Slack (both sides) it counts; the four chat formats import their examples."""
    from trustcircles.importers.sides import ONE_SIDED_SENTENCE
    from trustcircles.topics.own_circle import EXAMPLES, example_table
    from trustcircles.widgets.own_circle import OwnCircleExplorer

    explorer = OwnCircleExplorer()
    explorer.controls["kind"].value = "mastodon"
    assert ONE_SIDED_SENTENCE in explorer.reading_text and "never talked back" not in explorer.reading_text
    explorer.controls["kind"].value = "slack"
    assert "talk back" in explorer.reading_text and ONE_SIDED_SENTENCE not in explorer.reading_text
    for kind in ("whatsapp", "telegram", "linkedin", "messenger"):
        assert kind in EXAMPLES
        table = example_table(kind)
        assert len(table) and table["actor"].eq("me").any(), kind
