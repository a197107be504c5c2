"""nbgrader configuration for authoring the course's exercises (read by `nbgrader` run in this folder).

solutions/<assignment>/<assignment>.ipynb  the source: solutions and hidden tests (nbgrader "source")
exercises/<assignment>/<assignment>.ipynb  the learner version nbgrader generates (nbgrader "release")

Regenerate exercises/ with `python -m trustcircles exercises` (or `make exercises`), not by hand:
it uses the same settings, without touching a gradebook. Grading a workshop does not use this file:
`python -m trustcircles grade` sets up its own course directory (default .course/<assignment>/,
git-ignored). The settings every exercise shares (the placeholder learners see, the time-out) live in
trustcircles.grading.apply_settings, so the command line, the Python API and this file agree.
"""
import os

from trustcircles.grading import apply_settings

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.root = root
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
# Anything else nbgrader writes stays in the git-ignored .course/ folder.
for step in ("submitted", "autograded", "feedback", "solution", "source_with_tests"):
    setattr(c.CourseDirectory, f"{step}_directory", os.path.join(".course", step))
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(root, ".course", "gradebook.db")
apply_settings(c)
