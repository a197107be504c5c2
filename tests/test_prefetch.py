"""The command line's background decompression of a .csv.gz table gives exactly what reading it does."""
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from trustcircles import prefetch
from trustcircles.data import TableError, dataset_file, load_interactions

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("argv, expected", [
    (["report", "t.csv.gz"], "t.csv.gz"),
    (["report", "--format", "text", "--out", "r.txt", "t.csv.gz"], "t.csv.gz"),
    (["report", "--account", "ann", "--", "t.csv.gz"], "t.csv.gz"),
    (["report", "--format=json", "t.csv.gz", "--out", "x.gz"], "t.csv.gz"),
    (["report", "--out", "x.csv.gz", "t.csv"], "t.csv"),
    (["validate", "t.csv.gz"], "t.csv.gz"),
    (["grade", "00_welcome", "t.csv.gz"], None),
    (["import", "slack", "t.csv.gz", "--me", "x", "--out", "y.csv.gz"], None),
])
def test_the_table_to_read_comes_from_the_commands_own_parser(argv, expected):
    """The command line reads ahead the argument the command's module names, as its parser parsed it
    (no second copy of the option grammar to keep in step)."""
    from trustcircles import cli
    assert cli.table_to_read(*cli.parse(argv)) == expected


def test_the_command_line_starts_the_read_ahead_and_the_report_takes_it(tmp_path, monkeypatch):
    from trustcircles import cli
    path = gzipped_worked_example(tmp_path)
    started = []
    monkeypatch.setattr(prefetch, "start", lambda p: started.append(p) or prefetch_start(p))
    assert cli.main(["report", str(path), "--out", str(tmp_path / "r.json")], read_ahead=True) == 0
    assert started == [str(path)] and os.path.realpath(path) not in prefetch._pending
    assert cli.main(["report", str(path), "--out", str(tmp_path / "r2.json")]) == 0
    assert started == [str(path)]  # read_ahead is the command line's (cli.run_from_command_line)


prefetch_start = prefetch.start


def gzipped_worked_example(folder: Path, bom: bool = False) -> Path:
    text = dataset_file("worked_example", "interactions.csv").read_bytes()
    path = folder / "table.csv.gz"
    path.write_bytes(gzip.compress((b"\xef\xbb\xbf" if bom else b"") + text))
    return path


def test_take_gives_the_decompressed_and_parsed_file_once(tmp_path):
    path = gzipped_worked_example(tmp_path)
    prefetch.start(str(path))
    text, table = prefetch.take(path)
    assert text == gzip.decompress(path.read_bytes())
    assert table.num_rows == 6 and table.column_names[:2] == ["event_id", "timestamp"]
    assert prefetch.take(path) is None  # handed out once


def test_nothing_is_started_for_plain_csv_or_missing_files(tmp_path):
    plain = tmp_path / "t.csv"
    plain.write_text("a\n")
    prefetch.start(str(plain))
    prefetch.start(str(tmp_path / "missing.csv.gz"))
    assert prefetch.take(plain) is None and prefetch.take(tmp_path / "missing.csv.gz") is None


def test_a_file_changed_meanwhile_is_read_again(tmp_path):
    path = gzipped_worked_example(tmp_path)
    prefetch.start(str(path))
    next(iter(prefetch._pending.values())).thread.join()
    os.utime(path, ns=(0, 0))  # another modification time: no longer the file that was read
    assert prefetch.take(path) is None


HEADER = b"event_id,timestamp,actor,target,kind,parent_id,is_question,is_promotional"
ODD_FILES = {
    "bom": b"\xef\xbb\xbf" + dataset_file("worked_example", "interactions.csv").read_bytes(),
    "extra column, quotes, empty lines": HEADER + b',text\r\n'
    b'e1,2025-03-03T09:00:00Z,ann,,post,,true,false,"hello, ""you"""\r\n\r\n'
    b'e2,2025-03-03T10:00:00Z,bo,ann,reply,e1,false,false,\r\n',
    "header only": HEADER + b"\n",
    "repeated column name": HEADER + b",note,note\ne1,2025-03-03T09:00:00Z,ann,,post,,true,false,a,b\n",
    "offset times": HEADER + b"\ne1,2025-03-03T09:00:00+01:00,ann,,post,,1,0\n",
}


@pytest.mark.parametrize("name", ODD_FILES)
def test_a_prefetched_table_equals_the_table_read_from_disk(name, tmp_path):
    path = tmp_path / "t.csv.gz"
    path.write_bytes(gzip.compress(ODD_FILES[name]))

    def outcome():
        try:
            return load_interactions(path)
        except TableError as error:  # a repeated column name is refused, the same way both times
            return str(error)

    from_disk = outcome()
    prefetch.start(str(path))
    from_memory = outcome()
    if isinstance(from_disk, str):
        assert from_memory == from_disk
        prefetch.take(path)  # refused before the read: nothing took it
        return
    assert os.path.realpath(path) not in prefetch._pending  # the prefetched read was used
    assert list(from_memory.columns) == list(from_disk.columns)
    assert from_memory.equals(from_disk) and (from_memory.dtypes == from_disk.dtypes).all()


def test_the_thread_parses_as_pandas_reads():
    import io
    import pandas as pd
    for name, text in ODD_FILES.items():
        table = prefetch.parse_csv_text(text)
        if name == "repeated column name":
            assert table is None  # pandas renames the second one: left to pandas
            continue
        expected = pd.read_csv(io.BytesIO(text), dtype=str, keep_default_na=False, na_values=[],
                               encoding="utf-8-sig", engine="pyarrow")
        frame = pd.DataFrame.from_arrow(table)
        assert frame.equals(expected) and (frame.dtypes == expected.dtypes).all(), name


def test_a_broken_prefetched_file_gets_the_ordinary_message(tmp_path):
    path = tmp_path / "t.csv.gz"
    path.write_bytes(gzip.compress(b"event_id,timestamp,actor,target,kind,parent_id,is_question,"
                                   b"is_promotional\n" + b"e1,2025-03-03T09:00:00Z,ann,,post,,x,false\n"
                                   * 2000)[:-200])  # truncated
    with pytest.raises(TableError) as from_disk:
        load_interactions(path)
    prefetch.start(str(path))
    with pytest.raises(TableError) as from_memory:
        load_interactions(path)
    assert str(from_memory.value) == str(from_disk.value)


def test_python_dash_m_report_on_a_gz_file_equals_the_report_in_python(tmp_path):
    path = gzipped_worked_example(tmp_path, bom=True)
    out = tmp_path / "r.json"
    done = subprocess.run([sys.executable, "-m", "trustcircles", "report", str(path), "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    from trustcircles import metrics
    assert json.loads(out.read_text()) == json.loads(json.dumps(
        metrics.report(load_interactions("worked_example"))).replace("NaN", "null"))


def test_only_table_commands_name_a_table_argument_and_it_is_their_first_positional():
    from trustcircles import cli
    parser = cli.build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    for name, (module_name, _) in cli.COMMANDS.items():
        table = getattr(__import__(module_name, fromlist=["_"]), "TABLE_ARGUMENT", None)
        positional = [a.dest for a in commands[name]._actions if not a.option_strings]
        if name in ("report", "validate"):
            assert table == positional[0] == "path"
        else:
            assert table is None
