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
"""
__version__ = "0.1.0"
