"""The command line: --help lists every command, and only the command being run is imported."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from trustcircles.commands import COMMANDS


def test_help_lists_every_command_with_its_one_line_help():
    result = subprocess.run([sys.executable, "-m", "trustcircles", "--help"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    listed = {line.split()[0]: " ".join(line.split()[1:]) for line in result.stdout.splitlines()
              if line.startswith("    ") and line.split() and line.split()[0] in COMMANDS}
    assert listed.keys() == COMMANDS.keys()
    for name, (_, help_text) in COMMANDS.items():
        assert help_text.startswith(listed[name][:30]), name


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_command_has_help_with_its_usage(name):
    result = subprocess.run([sys.executable, "-m", "trustcircles", name, "--help"],
                            capture_output=True, text=True)
    assert result.returncode == 0 and f"usage: python -m trustcircles {name}" in result.stdout


PROBE = """
import json, sys
from trustcircles import cli
args, module = cli.parse(sys.argv[1:])
print(json.dumps(sorted(m for m in sys.modules if m.startswith("trustcircles.commands.")
                        or m.split(".")[0] in ("pandas", "numpy", "plotly", "nbgrader", "ipywidgets"))))
"""


@pytest.mark.parametrize("argv, command", [(["report", "t.csv.gz", "--format", "text"], "report"),
                                           (["validate", "t.csv"], "validate"),
                                           (["exercises"], "exercises")])
def test_parsing_a_command_line_imports_only_that_command_and_nothing_heavy(argv, command):
    """So the read-ahead of a table starts before pandas is imported, and a command never pays for
    another's imports (the report command is timed by benchmarks/bench_report.py)."""
    result = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [f"trustcircles.commands.{command}"]


def test_the_import_command_lists_the_importers_kinds():
    from trustcircles import cli
    from trustcircles.importers import IMPORTERS
    parser = cli.build_parser(only="import")
    commands = next(a for a in parser._actions if a.dest == "command").choices
    kind = next(a for a in commands["import"]._actions if a.dest == "kind")
    assert list(kind.choices) == list(IMPORTERS)


def test_the_report_command_offers_every_format_the_report_builds():
    from trustcircles import report
    from trustcircles.commands import report as command
    assert set(command.FORMATS) == set(report.BUILDERS)


def test_a_trainer_command_in_a_learners_setup_says_how_to_add_the_trainers_tools(monkeypatch, capsys):
    """A learner's install has no nbgrader: `grade` then ends in one message naming the fix."""
    import builtins

    from trustcircles import cli

    real_import = builtins.__import__

    def no_nbgrader(name, *args, **kwargs):
        if name == "nbgrader" or name.startswith("nbgrader."):
            raise ModuleNotFoundError(f"No module named {name!r}", name="nbgrader")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_nbgrader)
    assert cli.main(["exercises", "00_welcome"]) == 2
    err = capsys.readouterr().err
    assert "setup --trainer" in err and "Traceback" not in err
