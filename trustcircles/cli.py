"""The command line: ``python -m trustcircles COMMAND ...``.

Each command lives in its own module, which provides ``add_arguments(parser)`` and ``run(args)``.
Only the command being run is imported (``--help`` imports them all, to list their options), and
command modules keep heavy imports (plotly, nbgrader, networkx) inside ``run``. Errors a user can fix
(a bad table, a missing file) print one clear message and exit with status 2, without a traceback.
"""
from __future__ import annotations

import argparse
import gc
import importlib
import sys

from trustcircles import __version__, prefetch

#: name -> (module, one-line help). Later work adds its commands here.
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("trustcircles.validate_cmd", "check an interactions table against METRICS.md"),
    "datasets": ("trustcircles.datasets_cmd", "list the shipped datasets, or rebuild them (build)"),
    "report": ("trustcircles.report", "the circle-of-trust report of a table (json, html or text)"),
    "import": ("trustcircles.import_cmd", "import your own export (mastodon, twitter, slack, mbox, whatsapp, linkedin, telegram, messenger), anonymised"),
    "exercises": ("trustcircles.exercises_cmd", "regenerate exercises/ from solutions/ with nbgrader"),
    "grade": ("trustcircles.grade_cmd", "grade a folder or zip of submissions with nbgrader"),
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or with ``only``, one whose other commands have no options
    (enough to run that one command without importing the others' modules)."""
    parser = argparse.ArgumentParser(
        prog="python -m trustcircles",
        description="Online in Person: trust metrics, reports, datasets, imports and grading.")
    parser.add_argument("--version", action="version", version=f"trustcircles {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(_module=module_name)
        if only is None or name == only:
            importlib.import_module(module_name).add_arguments(command)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(only=argv[0] if argv and argv[0] in COMMANDS else None)
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 0
    module = importlib.import_module(args._module)
    from trustcircles.data import TableError  # here, not at the top: see run_from_command_line

    try:
        return int(module.run(args) or 0)
    except TableError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def run_from_command_line() -> int:
    """``python -m trustcircles`` and the ``trustcircles`` command: main() for sys.argv.

    Nothing heavy is imported before this starts decompressing a .csv.gz table in the background
    (see trustcircles.prefetch): that runs on the second core while pandas is imported. At the end,
    gc.freeze() spares the interpreter's exit a walk of every object numpy and pandas made (about
    0.15 s) to free memory the system takes back anyway; files are still flushed and closed, and
    exit handlers still run."""
    prefetch.start_for_command_line(sys.argv[1:])
    status = main()
    gc.freeze()
    return status


if __name__ == "__main__":
    sys.exit(run_from_command_line())
