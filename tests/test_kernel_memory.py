"""What keeps a notebook's kernel small (issue 17; benchmarks/bench_memory.py measures the kernels).

Each guard here is a mechanism, not a size: pyarrow on the C library's allocator (its C++ side
chosen when the package is imported), glibc giving back what threads freed, freed memory
handed back after each notebook cell, one kept copy of a shipped dataset that every load shares,
tables used once not kept, and the same tables and numbers as before either way. The sizes
themselves are the benchmark's (benchmarks/results/memory.md).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from trustcircles import data
from trustcircles.data import load_interactions


def _python(code: str, **env) -> str:
    """Run code in a new Python (this venv's) and return what it printed."""
    import subprocess
    # this process imported the package, which set the variable: the new one starts without it
    environment = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"} | env
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env=environment).stdout.strip()


def test_importing_the_package_first_gives_pyarrows_own_allocations_to_malloc():
    backend = "import pyarrow; print(pyarrow.default_memory_pool().backend_name)"
    assert _python("import trustcircles\n" + backend) == "system"
    # the guard matters: without the package pyarrow uses mimalloc, and a choice made stays made
    assert _python(backend) == "mimalloc"
    assert _python("import trustcircles\n" + backend, ARROW_DEFAULT_MEMORY_POOL="jemalloc") == "jemalloc"


#: A thread frees 20 MiB of blocks after a large block was freed (which raises glibc's default
#: trim threshold): how many MiB that thread's heap keeps afterwards, malloc_trim called.
THREAD_HEAP_KEPT = """
import ctypes, re, sys, tempfile, threading
{imports}
libc = ctypes.CDLL(None)
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
libc.fopen.restype, libc.fopen.argtypes = ctypes.c_void_p, [ctypes.c_char_p, ctypes.c_char_p]
libc.fclose.argtypes = [ctypes.c_void_p]
libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
libc.free(libc.malloc(24 << 20))
def work():
    for block in [libc.malloc(200 << 10) for _ in range(100)]:
        libc.free(block)
    libc.malloc_trim(0)
thread = threading.Thread(target=work)
thread.start()
thread.join()
with tempfile.NamedTemporaryFile("r") as report:
    handle = libc.fopen(report.name.encode(), b"w")
    libc.malloc_info(0, handle)
    libc.fclose(handle)
    xml = report.read()
heaps = re.findall(r'<heap nr="\\d+">.*?<system type="current" size="(\\d+)"/>', xml, re.S)
print(max([int(size) for size in heaps[1:]] or [0]) >> 20)
"""


@pytest.mark.skipif(not (sys.platform.startswith("linux") and "CS_GNU_LIBC_VERSION" in os.confstr_names),
                    reason="glibc's malloc only (Linux)")
def test_threads_give_freed_memory_back_once_the_package_is_imported():
    assert int(_python(THREAD_HEAP_KEPT.format(imports="import trustcircles"))) <= 1
    # without it, glibc keeps the thread's freed 20 MiB (the test can fail)
    assert int(_python(THREAD_HEAP_KEPT.format(imports=""))) >= 15


def test_pyarrow_allocates_with_the_system_allocator():
    # mimalloc, pyarrow's default, keeps what a CSV read freed: the kernel stayed ~100 MiB larger
    assert pa.default_memory_pool().backend_name == "system"


def test_the_allocator_is_switched_back_when_another_is_set(monkeypatch):
    # the guard above would pass by luck if the environment chose the system pool: show the switch works
    pa.set_memory_pool(pa.mimalloc_memory_pool())
    try:
        assert pa.default_memory_pool().backend_name == "mimalloc"
        data._use_system_allocator()
        assert pa.default_memory_pool().backend_name == "system"
    finally:
        pa.set_memory_pool(pa.system_memory_pool())


def test_a_notebook_shell_releases_memory_after_each_cell_once():
    from IPython.core.interactiveshell import InteractiveShell
    shell = InteractiveShell.instance()
    try:
        def releasing():
            return [c for c in shell.events.callbacks["post_run_cell"]
                    if getattr(c, "__qualname__", "") == "release_unused_memory"]
        assert not releasing()
        data._release_after_each_cell()
        data._release_after_each_cell()  # importing again (a module reload) adds no second hook
        assert len(releasing()) == 1
        shell.run_cell("x = 1")  # the hook runs without error after a cell
    finally:
        InteractiveShell.clear_instance()


def test_loads_of_a_dataset_share_one_kept_table_and_stay_independent():
    first = load_interactions("community")
    second = load_interactions("community")
    # the same memory (a deep copy per load would double a kernel's largest table) ...
    assert np.shares_memory(first["is_question"].to_numpy(), second["is_question"].to_numpy())
    assert pa.array(first["actor"].array).buffers()[2].address == pa.array(second["actor"].array).buffers()[2].address
    # ... and copy-on-write: changing one load changes no other
    first.loc[0, "actor"] = "changed"
    first.loc[0, "is_question"] = not bool(second.loc[0, "is_question"])
    third = load_interactions("community")
    assert third.loc[0, "actor"] == second.loc[0, "actor"] != "changed"
    assert third.loc[0, "is_question"] == second.loc[0, "is_question"]


def test_a_table_used_once_is_not_kept_unless_it_is_kept_already(tmp_path, monkeypatch):
    # a dataset of its own (a copy of the worked example), so no other test has kept it already
    name = "used_once_" + tmp_path.name.replace("-", "_")
    (tmp_path / name).mkdir()
    (tmp_path / name / "interactions.csv").write_bytes(
        data.dataset_file("worked_example", "interactions.csv").read_bytes())
    monkeypatch.setattr(data, "DATASETS_DIR", tmp_path)
    once = load_interactions(name, keep=False)
    assert name not in data._KEPT
    kept = load_interactions(name)
    assert name in data._KEPT
    pd.testing.assert_frame_equal(once, kept, check_exact=True)
    again = load_interactions(name, keep=False)  # now the kept one, not a new read
    assert np.shares_memory(again["is_question"].to_numpy(), kept["is_question"].to_numpy())


def test_one_thread_reads_the_same_table_as_pyarrows_threads():
    path = data.dataset_file("community", "interactions.csv.gz")
    one = data.read_interactions_file(path, threads=False)
    many = data.read_interactions_file(path)
    pd.testing.assert_frame_equal(one, many, check_exact=True)
    assert one.dtypes.to_dict() == many.dtypes.to_dict()


def test_the_norms_scenario_keeps_no_texts_and_the_same_numbers():
    from trustcircles.topics import voice
    tables = voice.read_scenario_tables()
    assert list(tables) == list(voice.SCENARIOS)
    assert all("text" not in t.columns and "scenario" not in t.columns for t in tables.values())
    full = load_interactions("norms", keep=False)
    for name, table in tables.items():
        expected = full[full["scenario"] == name].drop(columns=["scenario", "text"]).reset_index(drop=True)
        pd.testing.assert_frame_equal(table, expected, check_exact=True)
    # the summary computed once per kernel equals the one computed from the tables
    pd.testing.assert_frame_equal(voice.scenario_summary(),
                                  voice.scenario_summary(tables, voice.scenario_accounts()), check_exact=True)


def test_a_reference_communitys_measures_need_no_kept_table():
    from trustcircles.topics import audit
    kept_before = "workplace" in data._KEPT
    measures = audit.audit_measures("workplace")
    assert ("workplace" in data._KEPT) == kept_before
    expected = audit.measures(load_interactions("workplace", keep=False))
    assert pd.Series(measures).equals(pd.Series(expected))  # NaN equals NaN here


def test_an_exercise_loads_only_its_own_checks():
    import subprocess
    import sys
    code = ("import sys\nfrom trustcircles.checks import exercise\nexercise('06_circles_of_trust')\n"
            "print(sorted(m for m in sys.modules if m.startswith('trustcircles.checks.ex_')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    # its own module and the one it builds on (ex_06 uses ex_05's typical accounts), not all fifteen
    assert loaded.strip() == ("['trustcircles.checks.ex_05_community_not_audience', "
                              "'trustcircles.checks.ex_06_circles_of_trust']")


# --------------------------------------------------------------------------- the course's kernel

def test_the_environments_python3_kernel_is_the_courses():
    # what JupyterLab, nbclient and the memory benchmark resolve "python3" to (bootstrap installs it)
    from jupyter_client.kernelspec import KernelSpecManager
    spec = KernelSpecManager().get_kernel_spec("python3")
    assert spec.argv == ["python", "-m", "trustcircles.kernel", "-f", "{connection_file}"], (
        f"{spec.resource_dir} is not the course's kernel: run `python bootstrap.py setup`")
    assert spec.metadata.get("debugger") is False


def test_the_courses_kernel_runs_without_debugpy():
    from jupyter_client.manager import start_new_kernel
    manager, client = start_new_kernel(kernel_name="python3")
    try:
        info = client.kernel_info(reply=True)["content"]
        printed = []
        client.execute_interactive(
            "import sys, pyarrow\nprint(sys.modules.get('debugpy') is not None, "
            "pyarrow.default_memory_pool().backend_name)",
            output_hook=lambda msg: printed.append(msg["content"].get("text", "")), timeout=60)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    assert "".join(printed).split() == ["False", "system"]
    assert "debugger" not in info.get("supported_features", [])  # JupyterLab offers no debugger


def test_ipykernel_loads_debugpy_unless_it_is_marked_absent():
    # the kernel above would pass by luck if ipykernel no longer imported debugpy: show what it does
    probe = "import ipykernel.debugger as d, sys\nprint(d._is_debugpy_available, sys.modules.get('debugpy') is not None)"
    assert _python(probe) == "True True"
    assert _python("import sys\nsys.modules['debugpy'] = None\n" + probe) == "False False"


def test_installing_the_kernel_replaces_ipykernels_and_keeps_its_logos(tmp_path, monkeypatch):
    import json
    import bootstrap
    from trustcircles import kernel
    folder = tmp_path / "share" / "jupyter" / "kernels" / "python3"
    folder.mkdir(parents=True)
    (folder / "kernel.json").write_text(json.dumps({"argv": ["python", "-m", "ipykernel_launcher",
                                                             "-f", "{connection_file}"]}))
    (folder / "logo-64x64.png").write_bytes(b"logo")
    runs = []
    real_install = bootstrap._install
    monkeypatch.setattr(bootstrap, "_install", lambda steps: (runs.append(steps), real_install(steps)))
    bootstrap.install_course_kernel(Path(sys.executable), tmp_path)
    assert json.loads((folder / "kernel.json").read_text()) == kernel.SPEC
    assert (folder / "logo-64x64.png").read_bytes() == b"logo"
    bootstrap.install_course_kernel(Path(sys.executable), tmp_path)  # installed: nothing to run
    assert len(runs) == 1


# --------------------------------------------------------------------------- plotly's widget script

def test_an_explorers_figure_gets_plotlys_script_in_one_byte_a_character():
    import re

    import plotly.basewidget
    import plotly.graph_objects as go

    import trustcircles.widgets  # noqa: F401  (what every lesson's explorer imports)
    path = Path(plotly.basewidget.__file__).parent / "package_data" / "widgetbundle.js"
    shipped = path.read_text(encoding="utf-8")
    assert max(map(ord, shipped)) > 0xFF, "plotly's script needs 2 bytes a character no more: drop this"
    script = go.FigureWidget()._esm
    assert max(map(ord, script)) <= 0xFF   # all its characters escaped (else it is left as shipped)
    assert script == re.sub(r"[^\x00-\xff]", lambda m: f"\\u{ord(m.group()):04x}", shipped)


def test_only_characters_in_regular_expressions_are_escaped():
    from trustcircles.widgets import latin1_javascript
    assert latin1_javascript('var a=/^闰?十/m,b=1/2,c="µ";') == 'var a=/^\\u95f0?\\u5341/m,b=1/2,c="µ";'
    assert latin1_javascript("x=(/[😀]/u).test(s)") == "x=(/[\\ud83d\\ude00]/u).test(s)"
    # one outside a regular expression (a string, a template, a comment): the text stays as it is
    for text in ('a=/中/g;b="中"', "a=`中`", "// 中\nx=1", "a=b/中/c"):
        assert latin1_javascript(text) == text


@pytest.mark.skipif(not __import__("shutil").which("node"), reason="needs Node.js to run JavaScript")
def test_the_escaped_regular_expressions_match_what_the_originals_match():
    import json
    import subprocess

    from trustcircles.widgets import latin1_javascript
    literals = ["/^闰?十?[一二三四五六七八九]?月/m", "/�/g", "/[😀é]+/u", "/[😀é]+/"]
    samples = ["闰十一月", "十月", "月", "a\ufffdb", "😀", "é😀", "\ud83d", "plain"]
    pairs = [(literal, latin1_javascript("x=" + literal)[2:]) for literal in literals]
    assert all(ours != theirs for theirs, ours in pairs)
    script = (f"const pairs = {json.dumps(pairs)}, samples = {json.dumps(samples)};\n"
              "for (const [a, b] of pairs) for (const s of samples) {\n"
              "  const x = eval(a), y = eval(b);\n"
              "  if (String(s.match(x)) !== String(s.match(y))) { console.log('differ', a, s); process.exit(1); }\n"
              "}\nconsole.log('same');\n")
    result = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "same", result.stdout + result.stderr


# --------------------------------------------------------------------------- the messages' texts

def _dataset_of_its_own(tmp_path, monkeypatch, source: str = "audit_community") -> str:
    """A copy of a shipped dataset under a new name, so no other test has kept it already."""
    name = "copy_" + tmp_path.name.replace("-", "_")
    (tmp_path / name).mkdir()
    (tmp_path / name / "interactions.csv.gz").write_bytes(data.dataset_file(source, "interactions.csv.gz").read_bytes())
    monkeypatch.setattr(data, "DATASETS_DIR", tmp_path)
    return name


def test_a_load_without_texts_shares_the_kept_tables_other_columns(tmp_path, monkeypatch):
    name = _dataset_of_its_own(tmp_path, monkeypatch)
    full = load_interactions(name)
    bare = load_interactions(name, text=False)
    assert "text" in full.columns and "text" not in bare.columns
    pd.testing.assert_frame_equal(bare, full.drop(columns=["text"]), check_exact=True)
    assert np.shares_memory(bare["is_question"].to_numpy(), full["is_question"].to_numpy())
    assert pa.array(bare["actor"].array).buffers()[2].address == pa.array(full["actor"].array).buffers()[2].address


def test_texts_asked_for_later_are_read_and_joined_to_the_kept_columns(tmp_path, monkeypatch):
    name = _dataset_of_its_own(tmp_path, monkeypatch)
    bare = load_interactions(name, text=False)
    assert "text" not in bare.columns and name in data._KEPT
    full = load_interactions(name)
    # the very table a direct read gives: columns in the file's order, the same types and values
    direct = data.read_interactions_file(tmp_path / name / "interactions.csv.gz", source=f"dataset {name!r}")
    pd.testing.assert_frame_equal(full, direct, check_exact=True)
    # ... whose other columns are the ones the first load got (the kernel holds them once)
    assert np.shares_memory(bare["is_question"].to_numpy(), full["is_question"].to_numpy())
    assert pa.array(bare["actor"].array).buffers()[2].address == pa.array(full["actor"].array).buffers()[2].address
    again = load_interactions(name)  # kept with its texts now: no second read
    assert pa.array(again["text"].array).buffers()[2].address == pa.array(full["text"].array).buffers()[2].address


def test_a_table_used_once_without_texts_is_read_without_keeping(tmp_path, monkeypatch):
    name = _dataset_of_its_own(tmp_path, monkeypatch)
    once = load_interactions(name, keep=False, text=False)
    assert name not in data._KEPT and "text" not in once.columns
    pd.testing.assert_frame_equal(once, load_interactions(name).drop(columns=["text"]), check_exact=True)


def test_a_dataset_without_texts_is_the_same_either_way():
    pd.testing.assert_frame_equal(load_interactions("workplace", text=False), load_interactions("workplace"),
                                  check_exact=True)


def test_what_reads_tables_without_texts_gives_the_same_numbers_as_with_them():
    """Every computation the course gives a table without texts (text=False at its call) gives what
    it gives with them: one that starts reading the texts fails here; ask for text=True there."""
    from trustcircles import metrics, realdata
    from trustcircles.topics import attention, audience, in_person, listening, trolls, voice, welcome
    from trustcircles.topics import community
    full, accounts = community()
    bare = load_interactions("community", text=False)
    assert "text" in full.columns and "text" not in bare.columns
    same = pd.testing.assert_frame_equal
    for compute in (lambda t: attention.per_account(t, accounts),
                    lambda t: attention.with_archetype(metrics.ties(t), accounts),
                    lambda t: listening.opening_ties(t, accounts),
                    lambda t: audience.account_table(t, accounts),
                    lambda t: metrics.circles(t),
                    lambda t: trolls.hostility_by_account(t, accounts),
                    lambda t: in_person.ties_with_meetings(t, in_person.attendance(), accounts),
                    lambda t: welcome.kind_mix(t, accounts),
                    lambda t: voice.one_to_one_by_archetype(t, accounts),
                    lambda t: voice.around_the_starter(t, accounts),
                    lambda t: voice.without_top_voices(t, 10),
                    lambda t: realdata.comparison(simulated=t)):
        same(compute(bare), compute(full), check_exact=True)
    assert voice.voice_summary(bare) == voice.voice_summary(full)
