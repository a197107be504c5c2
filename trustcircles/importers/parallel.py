"""Work for the second core: one function run in a forked child process while this one goes on.

A large import spends most of its time in pure Python (reading mail, matching names in text), which
one process runs on one core. :func:`in_child` runs one such piece of work in a child process made
with ``fork`` (the child starts with this process's memory, so nothing is imported or copied
twice) and returns an object whose ``result()`` waits for it. The work must be a module-level
function of plain arguments that returns plain data (it is pickled back), and must not use
pyarrow or threads in the child.

Where ``fork`` is not available (Windows; macOS starts children differently), or the work is
small, or the other cores are busy (load average), or ``TRUSTCIRCLES_SERIAL=1`` is set, the
function runs at once in this process instead: the result is the same, only slower.
``TRUSTCIRCLES_SERIAL=0`` uses a child whatever the load. Nothing else changes: the child writes nothing and opens no
connection.
"""
from __future__ import annotations

import multiprocessing
import os
import sys

#: below this many items (messages, distinct texts) a child costs more than it saves
MIN_ITEMS = 20_000


class _Done:
    def __init__(self, value):
        self._value = value

    def result(self):
        return self._value


class _Child:
    def __init__(self, executor, future):
        self._executor = executor
        self._future = future

    def result(self):
        try:
            return self._future.result()
        finally:
            self._executor.shutdown(wait=True)


def available() -> bool:
    """Whether work can go to a forked child here: fork exists, there is a second core, and it is
    free (the load average leaves room for one more process: on a busy machine a child only waits
    for a core and costs the copying of its results)."""
    setting = os.environ.get("TRUSTCIRCLES_SERIAL")
    cores = os.cpu_count() or 1
    if setting == "1" or cores < 2:
        return False
    if not (sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()):
        return False
    if setting == "0":  # forced on (the tests compare both paths)
        return True
    try:
        return os.getloadavg()[0] <= cores - 0.5
    except OSError:
        return True


def in_child(function, *args, items: int = MIN_ITEMS):
    """``function(*args)`` in a forked child when that pays (``items`` of work, fork available),
    else here and now; ``.result()`` gives its value either way (and re-raises its error)."""
    if items < MIN_ITEMS or not available():
        return _Done(function(*args))
    from concurrent.futures import ProcessPoolExecutor
    try:
        executor = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
        return _Child(executor, executor.submit(function, *args))
    except (OSError, RuntimeError):  # no process could be made: do the work here
        return _Done(function(*args))
