"""trustcircles: the Python package behind the course *Online in Person*.

Modules, each a room of its own:

* ``data``      find, load and validate interaction tables (METRICS.md)
* ``anonymise`` keyed pseudonyms, time shift, text scrubbing, k-anonymity
* ``simulate``  the seeded agent-based community and workplace simulators
* ``metrics``   every trust metric of METRICS.md, vectorised
* ``plots``     plotly figures with the course's colour-blind-safe palette
* ``widgets``   ipywidgets explorations used by the lessons
* ``checks``    instant self-checks and hints for the exercises
* ``grading``   grading a workshop's submissions with nbgrader
* ``importers`` Mastodon, X/Twitter, Slack, mail, WhatsApp, LinkedIn, Telegram and Messenger exports to the interactions table
* ``cli``       ``python -m trustcircles ...``
"""
__version__ = "0.1.0"
