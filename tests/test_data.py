"""trustcircles.data: finding, loading and validating tables (METRICS.md "The interactions table")."""
from __future__ import annotations

import gzip
import os
import stat
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from trustcircles import data
from trustcircles.data import TableError, as_interactions, load_interactions

HEADER = "event_id,timestamp,actor,target,kind,parent_id,is_question,is_promotional"
GOOD_ROWS = [
    "e1,2025-03-03T09:00:00Z,ann,,post,,true,false",
    "e2,2025-03-03T11:00:00+02:00,bob,ann,reply,e1,FALSE,0",
    "e3,2025-03-03T12:00:00,NA,bob,dm,,1,False",
]


def write(tmp_path: Path, lines: list[str], name: str = "t.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    text = "\n".join(lines) + "\n"
    if name.endswith(".gz"):
        with gzip.open(path, "wb") as handle:
            handle.write(text.encode(encoding))
    else:
        path.write_bytes(text.encode(encoding))
    return path


def test_worked_example_loads_by_name_from_any_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    table = load_interactions("worked_example")
    assert len(table) == 6
    assert list(table.columns[:8]) == list(data.REQUIRED_COLUMNS)
    assert str(table["timestamp"].dt.tz) == "UTC"
    assert table["is_question"].tolist() == [True, False, False, False, True, False]
    assert table.loc[0, "target"] is pd.NA or pd.isna(table.loc[0, "target"])


def test_loading_a_dataset_twice_returns_independent_copies():
    first = load_interactions("worked_example")
    first.loc[0, "actor"] = "changed"
    assert load_interactions("worked_example").loc[0, "actor"] == "ann"


def test_good_file_types_and_conversions(tmp_path):
    table = load_interactions(write(tmp_path, [HEADER] + GOOD_ROWS))
    assert table["timestamp"].tolist() == [
        pd.Timestamp("2025-03-03T09:00:00Z"), pd.Timestamp("2025-03-03T09:00:00Z"),
        pd.Timestamp("2025-03-03T12:00:00Z")]
    assert table["is_question"].tolist() == [True, False, True]
    assert table["is_promotional"].tolist() == [False, False, False]
    # only an empty cell is missing: an account called NA is an account
    assert table.loc[2, "actor"] == "NA"
    assert table["parent_id"].isna().tolist() == [True, False, True]


def test_gzip_bom_and_extra_columns(tmp_path):
    lines = [HEADER + ",text,is_hostile"] + [row + ',"hi, you",false' for row in GOOD_ROWS]
    path = tmp_path / "t.csv.gz"
    with gzip.open(path, "wb") as handle:
        handle.write(("\ufeff" + "\n".join(lines) + "\n").encode("utf-8"))
    table = load_interactions(path)
    assert table["text"].tolist() == ["hi, you"] * 3
    assert table["is_hostile"].dtype == bool


def test_header_only_table_is_valid_and_empty(tmp_path):
    table = load_interactions(write(tmp_path, [HEADER]))
    assert len(table) == 0 and list(table.columns) == list(data.REQUIRED_COLUMNS)


BAD_TABLES = {
    "missing column": ([HEADER.replace(",is_promotional", "")] + [r.rsplit(",", 1)[0] for r in GOOD_ROWS],
                       "required column(s) missing: is_promotional"),
    "unknown kind": ([HEADER] + GOOD_ROWS + ["e4,2025-03-03T12:00:00Z,ann,bob,Reply,e2,false,false"],
                     "row 5: kind must be one of"),
    "bad timestamp": ([HEADER] + GOOD_ROWS + ["e4,yesterday,ann,bob,dm,,false,false"],
                      "row 5: timestamp is not an ISO 8601 date-time"),
    "duplicate event_id": ([HEADER] + GOOD_ROWS + ["e1,2025-03-03T12:00:00Z,ann,bob,dm,,false,false"],
                           "rows 2, 5: event_id must be unique"),
    "empty event_id": ([HEADER] + GOOD_ROWS + [",2025-03-03T12:00:00Z,ann,bob,dm,,false,false"],
                       "row 5: event_id is empty"),
    "empty actor": ([HEADER] + GOOD_ROWS + ["e4,2025-03-03T12:00:00Z,,bob,dm,,false,false"],
                    "row 5: actor is empty"),
    "post with target": ([HEADER] + GOOD_ROWS + ["e4,2025-03-03T12:00:00Z,ann,bob,post,,false,false"],
                         "row 5: a post must have an empty target and an empty parent_id"),
    "post with parent": ([HEADER] + GOOD_ROWS + ["e4,2025-03-03T12:00:00Z,ann,,post,e1,false,false"],
                         "row 5: a post must have an empty target"),
    "dm without target": ([HEADER] + GOOD_ROWS + ["e4,2025-03-03T12:00:00Z,ann,,dm,,false,false"],
                          "row 5: every kind except post needs a target"),
    "like without parent": ([HEADER] + GOOD_ROWS + ["e4,2025-03-03T12:00:00Z,ann,bob,like,,false,false"],
                            "row 5: a reply, like or share needs a parent_id"),
    "bad flag": ([HEADER] + GOOD_ROWS + ["e4,2025-03-03T12:00:00Z,ann,bob,dm,,yes,false"],
                 "row 5: is_question must be a boolean"),
    "semicolons": ([HEADER.replace(",", ";")] + [r.replace(",", ";") for r in GOOD_ROWS],
                   'semicolons, not commas'),
    "tabs": ([HEADER.replace(",", "\t")] + [r.replace(",", "\t") for r in GOOD_ROWS], "tabs, not commas"),
    "ragged row": ([HEADER] + GOOD_ROWS + ["e4,2025-03-03T12:00:00Z,ann,bob,dm"], "not a well-formed CSV table"),
}


@pytest.mark.parametrize("case", sorted(BAD_TABLES))
def test_bad_tables_get_one_clear_message(tmp_path, case):
    lines, expected = BAD_TABLES[case]
    path = write(tmp_path, lines)
    with pytest.raises(TableError) as caught:
        load_interactions(path)
    message = str(caught.value)
    assert expected in message
    assert str(path) in message, "the message names the file"
    assert "What to do:" in message


def test_many_offending_rows_are_summarised(tmp_path):
    rows = [f"e{i},2025-03-03T12:00:00Z,ann,bob,chat,,false,false" for i in range(20)]
    with pytest.raises(TableError, match=r"rows 2, 3, 4, 5, 6 \(and 15 more\)"):
        load_interactions(write(tmp_path, [HEADER] + rows))


def test_not_utf8_empty_missing_and_folder(tmp_path):
    latin = write(tmp_path, [HEADER, "e1,2025-03-03T09:00:00Z,Zoë,,post,,true,false"], encoding="latin-1")
    with pytest.raises(TableError, match="not UTF-8"):
        load_interactions(latin)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(TableError, match="empty"):
        load_interactions(empty)
    with pytest.raises(TableError, match="no such file"):
        load_interactions(tmp_path / "nope.csv")
    with pytest.raises(TableError, match="folder"):
        load_interactions(tmp_path)


def test_truncated_gzip_is_refused(tmp_path):
    path = write(tmp_path, [HEADER] + GOOD_ROWS * 1, name="t.csv.gz")
    path.write_bytes(path.read_bytes()[:-12])
    with pytest.raises(TableError):
        load_interactions(path)


def test_unknown_dataset_name_lists_the_real_ones():
    with pytest.raises(TableError, match="worked_example"):
        data.dataset_dir("no_such_dataset")


def test_as_interactions_accepts_typed_frames_and_rejects_wrong_types():
    typed = load_interactions("worked_example")
    again = as_interactions(typed)
    pd.testing.assert_frame_equal(again, typed)
    naive = typed.assign(timestamp=typed["timestamp"].dt.tz_localize(None))
    assert str(as_interactions(naive)["timestamp"].dt.tz) == "UTC"
    with pytest.raises(TableError, match="expected a pandas DataFrame"):
        as_interactions([1, 2, 3])
    with pytest.raises(TableError, match="row 3: kind"):
        as_interactions(typed.assign(kind=["post", "comment"] + typed["kind"].tolist()[2:]))


def test_cli_validate_reports_bad_input_without_traceback(tmp_path):
    bad = write(tmp_path, [HEADER, "e1,2025-03-03T09:00:00Z,ann,bob,post,,true,false"])
    result = subprocess.run([sys.executable, "-m", "trustcircles", "validate", str(bad)],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "row 2: a post must have an empty target" in result.stderr
    good = subprocess.run([sys.executable, "-m", "trustcircles", "validate", "worked_example"],
                          capture_output=True, text=True)
    assert good.returncode == 0 and "valid (6 events, 3 accounts)" in good.stdout


# --------------------------------------------------------------------------- writing files

@pytest.mark.parametrize("umask,mode", [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_written_files_get_the_permissions_of_the_users_umask(tmp_path, umask, mode):
    """grades.csv, feedback pages, reports and imported tables are written by these two functions:
    a new file gets 0666 less the umask (0644 under 022), never a temporary file's owner-only 0600."""
    table = load_interactions("worked_example")
    old = os.umask(umask)
    try:
        written = [data.write_atomically(tmp_path / "page.html", "<p>hello</p>\n"),
                   data.write_atomically(tmp_path / "raw.bin", b"\x00\x01"),
                   data.write_table(table, tmp_path / "table.csv"),
                   data.write_table(table, tmp_path / "table.csv.gz")]
    finally:
        os.umask(old)
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == mode, path.name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html", "raw.bin", "table.csv", "table.csv.gz"]


def test_a_table_written_and_read_back_is_the_same_table(tmp_path):
    table = load_interactions("worked_example")
    for name in ("back.csv", "back.csv.gz"):
        path = data.write_table(table, tmp_path / name)
        pd.testing.assert_frame_equal(load_interactions(path), table)
    assert gzip.decompress((tmp_path / "back.csv.gz").read_bytes()) == (tmp_path / "back.csv").read_bytes()
    # the bytes depend on the data only: written twice, the same bytes
    (tmp_path / "again").mkdir()
    again = data.write_table(table, tmp_path / "again" / "back.csv.gz")
    assert again.read_bytes() == (tmp_path / "back.csv.gz").read_bytes()


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path, monkeypatch):
    path = data.write_atomically(tmp_path / "grades.csv", "old\n")

    def full_disk(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError):
        data.write_atomically(path, "new\n")
    assert path.read_text() == "old\n" and [p.name for p in tmp_path.iterdir()] == ["grades.csv"]
    with pytest.raises(TableError, match="must end in .csv"):
        data.write_table(load_interactions("worked_example"), tmp_path / "table.xlsx")
