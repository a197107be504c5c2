"""The command line: ``python -m trustcircles COMMAND ...``.

The commands live in :mod:`trustcircles.commands` (one module each, registered in
:data:`~trustcircles.commands.COMMANDS`); this module builds their parser and runs the one asked for.
Only the command being run is imported (``--help`` imports them all, to list their options), and
command modules keep heavy imports (pandas, plotly, nbgrader, networkx) inside ``run``. Errors a user
can fix (a bad table, a missing file) print one clear message and exit with status 2, without a
traceback.
"""
from __future__ import annotations

import argparse
import gc
import importlib
import sys

from trustcircles import __version__, prefetch
from trustcircles.commands import COMMANDS


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


def parse(argv: list[str]) -> tuple[argparse.Namespace, object | None]:
    """The parsed command line and the command's module (None when no command was given)."""
    parser = build_parser(only=argv[0] if argv and argv[0] in COMMANDS else None)
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return args, None
    return args, importlib.import_module(args._module)


def table_to_read(args: argparse.Namespace, module) -> str | None:
    """The table this command line reads first, if its command declares one (``TABLE_ARGUMENT``)."""
    name = getattr(module, "TABLE_ARGUMENT", None)
    return getattr(args, name, None) if name else None


def main(argv: list[str] | None = None, read_ahead: bool = False) -> int:
    """Run one command line; with ``read_ahead``, start reading its table in the background first
    (see :mod:`trustcircles.prefetch`)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    args, module = parse(argv)
    if module is None:
        return 0
    if read_ahead:
        prefetch.start(table_to_read(args, module))
    from trustcircles.data import TableError  # here, not at the top: see run_from_command_line

    try:
        return int(module.run(args) or 0)
    except TableError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except ModuleNotFoundError as error:
        if error.name not in TRAINER_PACKAGES:
            raise
        print(f"error: `{args.command}` needs the trainer's tools ({error.name} is not installed here: "
              "a learner's set-up leaves them out).\n  What to do: run `python bootstrap.py setup "
              "--trainer` once (or use `make grade` / `make exercises`), then try again.", file=sys.stderr)
        return 2


#: what the trainer's layer (requirements-trainer.lock) adds to a learner's set-up
TRAINER_PACKAGES = {"nbgrader", "sqlalchemy", "alembic"}


def run_from_command_line() -> int:
    """``python -m trustcircles`` and the ``trustcircles`` command: main() for sys.argv.

    Nothing heavy is imported before the command line is parsed and a .csv.gz table it names starts
    decompressing in the background (see trustcircles.prefetch): that runs on the second core while
    pandas is imported. At the end, gc.freeze() spares the interpreter's exit a walk of every object
    numpy and pandas made (about 0.15 s) to free memory the system takes back anyway; files are still
    flushed and closed, and exit handlers still run."""
    status = main(read_ahead=True)
    gc.freeze()
    return status


if __name__ == "__main__":
    sys.exit(run_from_command_line())
