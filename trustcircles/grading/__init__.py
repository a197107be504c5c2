"""Grading a workshop's submissions with nbgrader (``python -m trustcircles grade ASSIGNMENT SUBMISSIONS``).

One module per stage; :func:`grade` (in :mod:`~trustcircles.grading.run`) runs them in order:

1. **Collect** (:mod:`~trustcircles.grading.collect`). SUBMISSIONS is a folder or a .zip. A notebook
   counts for a learner when it is named ``<student>/<assignment>.ipynb`` or
   ``<student>_<assignment>.ipynb`` (any folder depth; common LMS exports and nbgrader's collected
   ``<student>/<assignment>/<assignment>.ipynb`` are recognised, see :func:`student_from_path`;
   nbgrader's ``timestamp.txt`` dates a submission and travels with it, with ``submission_secret.txt``,
   into ``submitted/`` and ``feedback/``, so that ``nbgrader release_feedback`` works after grading). Anything else gets a row in grades.csv with its status and reason:
   ``misnamed``, ``not_a_notebook``, ``invalid`` (empty file, not JSON, not a notebook), ``duplicate``
   (an older second submission from the same learner: the newest by file time, then by name, is
   graded).
2. **Set up** (:mod:`~trustcircles.grading.course`) an nbgrader course directory (default
   ``.course/<assignment>/`` in the repository, git-ignored; or ``course=DIR``) with a SQLite
   gradebook: ``source/<assignment>/`` is a copy of ``solutions/<assignment>/`` and
   ``generate_assignment`` registers its cells and points. The same settings make ``exercises/``
   (:mod:`~trustcircles.grading.release`).
3. **Import** copies of the submissions into ``submitted/<student>/<assignment>/`` (the originals
   are only read, never modified).
4. **Check the structure** against the released exercise (:func:`structure_notes`): test cells
   deleted (``deleted_tests``) or edited (``edited_tests``). nbgrader grades both with the original
   tests: it restores edited read-only cells from the gradebook and, with
   ``OverwriteCells.add_missing_cells``, puts deleted test cells back. Extra cells are kept and run,
   and noted in the reason.
5. **Autograde** (:mod:`~trustcircles.grading.run`) with nbgrader, a per-cell time-out
   (``Execute.timeout``) and ``jobs`` worker processes, each notebook in its own kernel, in its own
   bubblewrap sandbox (:mod:`~trustcircles.grading.sandbox`: no network, an unprivileged identity,
   read-only course and Python, a size-limited scratch folder, limits on memory, processes, files,
   CPU and wall time; :mod:`~trustcircles.grading.kernel_launch` starts the kernel inside it). Before
   the notebook runs, its test cells are replaced by placeholders and its shell escapes neutralised
   (:mod:`~trustcircles.grading.prepare`); it runs (:mod:`~trustcircles.grading.execute`), then the
   probe tries its functions on the notebook's table and on fresh, seeded edge-case tables; the marks
   are decided outside the kernel (:mod:`~trustcircles.grading.judge`) and written as the test cells'
   outputs, so nbgrader's SaveAutoGrades records them. The judge also names tampering, use of the
   course's reference, limits reached and the reason for every lost mark. Each worker grades into its
   own copy of the gradebook and hands back a typed :class:`NotebookResult`, merged into the course
   gradebook by the one main process. A progress bar counts notebooks and names those running;
   :meth:`GradeRun.summary` is the one line that ends the command.
6. **Feedback** (:mod:`~trustcircles.grading.feedback`) per learner: HTML made from the autograded
   notebook with nbconvert: a table of the checks and what each mark was decided on, notes on the
   grading, then the notebook with the outside decision under each check; outputs trimmed to
   per-output and per-page limits. Hidden tests never ran in the notebook, so they cannot be in it
   (nbgrader's own feedback shows them: nbgrader issues #917, #1363).
7. **Write** (:mod:`~trustcircles.grading.overview`) ``grades.csv`` (student, assignment, score,
   max_score, status, reason) and ``overview.html`` (plotly: score distribution, pass rate per
   question, most missed questions; no ranking of people), both written atomically.

Running it again re-grades every submission of the batch from scratch and gives the same files.
Nothing here parses a command line: :mod:`trustcircles.commands.grade` does.
"""
from trustcircles.grading.collect import CellScore, Submission, sanitise_student, structure_notes, student_from_path
from trustcircles.grading.course import (DEFAULT_TIMEOUT, EXERCISES, SOLUTIONS, GradingError, apply_settings,
                                         list_assignments, setup_course)
from trustcircles.grading.feedback import hidden_test_lines, sanitise_feedback_nb, write_feedback
from trustcircles.grading.overview import STATUSES, question_table, write_grades_csv, write_overview
from trustcircles.grading.release import generate_release, regenerate
from trustcircles.grading.run import GradeRun, NotebookResult, grade
from trustcircles.grading.sandbox import Limits, Sandbox, find_sandbox

__all__ = ["CellScore", "Submission", "sanitise_student", "structure_notes", "student_from_path",
           "DEFAULT_TIMEOUT", "EXERCISES", "SOLUTIONS", "GradingError", "apply_settings", "list_assignments",
           "setup_course", "hidden_test_lines", "sanitise_feedback_nb", "write_feedback", "STATUSES",
           "question_table", "write_grades_csv", "write_overview", "generate_release", "regenerate",
           "GradeRun", "NotebookResult", "grade", "Limits", "Sandbox", "find_sandbox"]
