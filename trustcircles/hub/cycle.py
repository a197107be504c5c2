"""The trainer's side of the nbgrader cycle on a workshop hub (``trustcircles hub release|grade``).

* :func:`release`: the assignment from ``solutions/`` into the trainer's course directory
  (nbgrader's generate_assignment, with the course's settings, into its gradebook), then into the
  exchange's ``outbound/``: learners see it in their Assignments tab and fetch it into
  ``~/online-in-person/<assignment>/``.
* :func:`grade`: nbgrader's collect (:class:`~trustcircles.hub.exchange.OwnerCheckedCollect`) into
  ``submitted/<student>/<assignment>/``, the course's own grading
  (:func:`trustcircles.grading.grade`: statuses, feedback without hidden tests, grades.csv and
  overview.html in the course directory; in a sandbox where grading offers one), then each learner's
  feedback page through the exchange (nbgrader's release_feedback, on our pages, never nbgrader's
  own, which shows the hidden tests). Learners fetch it from the Assignments tab.

Both run as the trainer (the exchange's course folder and the course directory are the trainer's).
"""
from __future__ import annotations

import dataclasses
import inspect
import os
import pwd
import shutil
from pathlib import Path

from trustcircles.grading import GradingError, setup_course
from trustcircles.grading import grade as grade_batch
from trustcircles.grading.course import apply_settings, db_url, run_quietly
from trustcircles.hub.settings import COURSE_ID, TRAINER_COURSE, HubError, HubSettings, load


def course_directory(settings: HubSettings) -> Path:
    return Path(pwd.getpwnam(settings.trainer).pw_dir) / TRAINER_COURSE


def _as_trainer(settings: HubSettings) -> None:
    me = pwd.getpwuid(os.getuid()).pw_name
    if me != settings.trainer:
        raise HubError(f"the hub's commands run as its trainer, {settings.trainer} (this is {me}): "
                       f"log in to the hub as {settings.trainer} and use a terminal there, or "
                       f"`sudo -u {settings.trainer} -i trustcircles hub ...`.")


def exchange_config(settings: HubSettings, assignment: str, course: Path):
    from traitlets.config import Config

    config = Config()
    config.CourseDirectory.root = str(course)
    config.CourseDirectory.course_id = COURSE_ID
    config.CourseDirectory.assignment_id = assignment
    config.CourseDirectory.db_url = db_url(course)
    config.Exchange.root = str(settings.exchange)
    config.Exchange.path_includes_course = True
    apply_settings(config)
    return config


def _exchange(kind, settings: HubSettings, assignment: str, course: Path, **traits):
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory

    config = exchange_config(settings, assignment, course)
    for name, value in traits.items():
        setattr(getattr(config, kind.__name__), name, value)
    return kind(coursedir=CourseDirectory(config=config), authenticator=Authenticator(config=config),
                config=config)


def release(assignment: str, settings: HubSettings | None = None) -> str:
    """Generate the assignment in the course directory and release it to the learners."""
    from nbgrader.exchange.default import ExchangeReleaseAssignment

    settings = settings or load()
    _as_trainer(settings)
    course = course_directory(settings)
    setup_course(course, assignment)
    releaser = _exchange(ExchangeReleaseAssignment, settings, assignment, course, force=True)
    run_quietly(releaser, f"releasing {assignment} to the exchange")
    return (f"{assignment} is released: learners see it in their Assignments tab (Fetch), and it "
            f"lands in ~/{COURSE_ID}/{assignment}/. When they have pressed Submit: "
            f"`trustcircles hub grade {assignment}`.")


@dataclasses.dataclass
class HubGrading:
    assignment: str
    collected: list[str]
    forged: list[tuple[str, str]]
    run: object           # trustcircles.grading.GradeRun
    feedback: list[str]   # learners whose feedback page is in the exchange
    sandbox: str

    def summary(self) -> str:
        lines = [f"collected {len(self.collected)} submissions of {self.assignment}"
                 + (f" (left out {len(self.forged)} made under another learner's name: "
                    + ", ".join(f"{name} by {owner}" for name, owner in self.forged) + ")" if self.forged else ""),
                 self.run.summary(),
                 f"feedback (without hidden tests) released to {len(self.feedback)} learners: they press "
                 "'Fetch Feedback' in the Assignments tab.",
                 "Grading sandbox: " + self.sandbox]
        return "\n".join(lines)


def grading_options() -> tuple[dict, str]:
    """Extra options for the course's grading: a required sandbox where grading has one."""
    if "sandbox" in inspect.signature(grade_batch).parameters:
        return {"sandbox": "require"}, "required (each notebook graded in its own sandbox)"
    return {}, "none: this version of the course's grading has no sandbox yet"


def grade(assignment: str, settings: HubSettings | None = None, jobs: int = 1, timeout: int | None = None,
          progress: bool = True) -> HubGrading:
    """Collect, grade with the course's grading, and release each learner's feedback."""
    from nbgrader.exchange.default import ExchangeReleaseFeedback

    from trustcircles.hub.exchange import OwnerCheckedCollect

    settings = settings or load()
    _as_trainer(settings)
    course = course_directory(settings)
    if not (course / "release" / assignment).is_dir():
        raise HubError(f"{assignment} was never released on this hub: `trustcircles hub release {assignment}` first.")
    collector = _exchange(OwnerCheckedCollect, settings, assignment, course, update=True)
    run_quietly(collector, f"collecting {assignment} from the exchange")
    collected = sorted(p.parent.parent.name for p in (course / "submitted").glob(f"*/{assignment}/{assignment}.ipynb"))
    if not collected:
        raise HubError(f"nobody has submitted {assignment} yet (the exchange's inbound holds none).")
    # the batch: this assignment's folders only, in nbgrader's collected layout
    batch = course / ".hub-batch"
    shutil.rmtree(batch, ignore_errors=True)
    for student in collected:
        shutil.copytree(course / "submitted" / student / assignment, batch / student / assignment)
    options, sandbox = grading_options()
    kwargs = dict(course=course, jobs=jobs, progress=progress, **options)
    if timeout:
        kwargs["timeout"] = timeout
    try:
        result = grade_batch(assignment, batch, **kwargs)
    finally:
        shutil.rmtree(batch, ignore_errors=True)
    graded = sorted(s.student for s in result.submissions if s.score is not None)
    for student in graded:
        for page in (course / "feedback" / student / assignment).glob("*.html"):
            os.chmod(page, 0o644)   # the exchange copies it with its mode: its learner must read it
    released = []
    if graded:
        releaser = _exchange(ExchangeReleaseFeedback, settings, assignment, course)
        run_quietly(releaser, f"releasing the feedback of {assignment}")
        released = graded
    return HubGrading(assignment, collected, list(collector.forged), result, released, sandbox)


__all__ = ["release", "grade", "HubGrading", "grading_options", "course_directory", "GradingError"]
