"""The commands of ``python -m trustcircles``: one module each, thin wrappers over the library.

A command module has ``add_arguments(parser)`` (its argparse options: the only place they are
written) and ``run(args)``, which calls library functions and prints what the user reads. A command
whose first argument is a table to read sets ``TABLE_ARGUMENT`` to that argument's name: the command
line then starts reading a .csv.gz there in the background (:mod:`trustcircles.prefetch`) while the
library is imported. Only the standard library at the top of a command module: everything heavy
(pandas, plotly, nbgrader) is imported inside ``run``, so that ``--help`` and parsing stay instant and
only the command being run is imported.

A new command: a module here, one line in :data:`COMMANDS`.
"""
from __future__ import annotations

#: name -> (module, one-line help), in the order ``--help`` lists them.
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("trustcircles.commands.validate", "check an interactions table against METRICS.md"),
    "datasets": ("trustcircles.commands.datasets", "list the shipped datasets, or rebuild them (build)"),
    "report": ("trustcircles.commands.report", "the circle-of-trust report of a table (json, html or text)"),
    "import": ("trustcircles.commands.import_",
               "import your own export (mastodon, twitter, slack, mbox, whatsapp, linkedin, telegram, messenger), anonymised"),
    "exercises": ("trustcircles.commands.exercises", "regenerate exercises/ from solutions/ with nbgrader"),
    "grade": ("trustcircles.commands.grade", "grade a folder or zip of submissions with nbgrader"),
}
