import gc
import sys

from trustcircles import prefetch

# Before anything imports pandas: a .csv.gz table decompresses on the other core meanwhile.
prefetch.start_for_command_line(sys.argv[1:])

from trustcircles.cli import main  # noqa: E402  (after the prefetch has started, on purpose)

status = main()
# On the way out Python's garbage collector would walk every object numpy and pandas made (about
# 0.15 s) to free memory the system takes back anyway. Frozen objects are skipped by that walk;
# files are still flushed and closed, and exit handlers still run.
gc.freeze()
sys.exit(status)
