"""trustcircles: the Python package behind the course *Online in Person*.

Rooms, each computing, showing or commanding (CONTRIBUTING.md, "The house", says what each may
import; tests/test_house.py keeps it so):

* ``schema``    the interactions table of METRICS.md: columns, kinds, validation
* ``data``      find, load, validate and write tables (one table writer, one atomic writer)
* ``patterns``  regexes for personal details in text
* ``anonymise`` keyed pseudonyms, time shift, text scrubbing, k-anonymity
* ``importers`` Mastodon, X/Twitter, Slack, mail, WhatsApp, LinkedIn, Telegram and Messenger exports to the
                interactions table
* ``simulate``  the seeded agent-based community and workplace simulators
* ``metrics``   every trust metric of METRICS.md, vectorised
* ``topics``    the lessons' numbers and words, in pandas (no figures)
* ``plots``     plotly figures with the course's colour-blind-safe palette
* ``report``    the circle-of-trust report (JSON, HTML, text)
* ``widgets``   each lesson's figures and ipywidgets explorer
* ``checks``    instant self-checks and hints for the exercises
* ``grading``   grading a workshop's submissions with nbgrader, one module per stage
* ``commands``  the command line's commands; ``cli`` runs them (``python -m trustcircles ...``)
* ``prefetch``  reading a .csv.gz ahead while the command line imports pandas
* ``kernel``    the course's Jupyter kernel (ipykernel without its debugger) and its kernelspec
"""
import os as _os
import sys as _sys

__version__ = "0.1.0"


def _fit_allocators() -> None:
    """Let a kernel give back what its computations freed (issue 17, benchmarks/bench_memory.py).

    * pyarrow's own C++ allocations go to the C library's malloc, not to mimalloc, which keeps
      the memory its reader threads freed (some 8 MiB a kernel). pyarrow reads the choice once, when
      it is imported: so here, before anything of the course imports pandas. A choice already made
      (the variable set, or pyarrow imported) is left alone; :mod:`trustcircles.data` still switches
      pyarrow's Python-level pool.
    * glibc's malloc (Linux) trims a heap once its free top exceeds 1 MiB. By default that threshold
      grows with the largest block freed so far (up to 64 MiB), and malloc_trim, which the course
      calls after every cell, does not shrink the heaps of other threads: pyarrow's threads kept
      10-15 MiB that nothing used. A fixed threshold also keeps blocks of 128 KiB and more in mmap,
      which gives them back as soon as they are freed.
    """
    if "pyarrow" not in _sys.modules:
        _os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    if _sys.platform.startswith("linux") and "CS_GNU_LIBC_VERSION" in _os.confstr_names:
        import ctypes
        m_trim_threshold = -1  # glibc's malloc.h
        ctypes.CDLL(None).mallopt(m_trim_threshold, 1 << 20)


_fit_allocators()
