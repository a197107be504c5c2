import sys

from trustcircles.cli import run_from_command_line

sys.exit(run_from_command_line())
