"""JupyterLab for a learner: what `make lab` (python bootstrap.py lab) starts.

bootstrap.lab_command passes this file with --config. The settings a learner's lab needs live
here and in lab/learner/ (JupyterLab's settings overrides and page config), so a trainer's lab
(lab/trainer.py, `make lab ROLE=trainer`) differs only where it must.

* No instructor tools: nbgrader's lab extension (the Nbgrader menu with Formgrader and the course
  list, the Create Assignment sidebar, the Validate button) and its server extensions are off.
  A learner's install has no nbgrader at all; these switches keep a trainer's machine, where it is
  installed, showing a learner the same lab.
* The file browser does not list solutions/ (nor the test and benchmark folders): the lab's root
  is still the repository, so lessons find their data and exercises their folders.
* Memory: closing a notebook's tab shuts its kernel down (lab/learner/overrides.json,
  "kernelShutdown"), and a kernel nobody has used for an hour is shut down, tab open or not
  (IDLE_MINUTES below; Run > Run All Cells brings a lesson back).
* README.md opens rendered (Markdown Preview), and a lesson's and its exercise's tabs are told
  apart ("Lesson ·" / "Exercise ·" before the file name, lab/custom/custom.css).
"""
from pathlib import Path

c = get_config()  # noqa: F821 (the config loader provides it)
HERE = Path(__file__).resolve().parent

#: A kernel idle this long is shut down (checked every five minutes).
IDLE_MINUTES = 60

# Settings overrides (overrides.json) and disabled extensions (page_config.json) for the lab.
c.LabApp.app_settings_dir = str(HERE / "learner")
# Tab titles: a small style sheet (JupyterLab has no setting for a document's tab title, and
# nbgrader needs an exercise named like its lesson).
c.LabApp.custom_css = True
c.ServerApp.tornado_settings = {"static_custom_path": [str(HERE / "custom")]}

c.ServerApp.jpserver_extensions = {
    "nbgrader.server_extensions.formgrader": False,
    "nbgrader.server_extensions.validate_assignment": False,
    "nbgrader.server_extensions.assignment_list": False,
    "nbgrader.server_extensions.course_list": False,
}

# Not listed in the file browser (names anywhere in the tree; jupyter_server's own defaults kept).
c.ContentsManager.hide_globs = [
    "__pycache__", "*.pyc", "*.pyo", ".DS_Store", "*~",
    "solutions", "tests", "benchmarks", "tools", "build", "*.egg-info", "nbgrader_config.py",
]

c.MappingKernelManager.cull_idle_timeout = IDLE_MINUTES * 60
c.MappingKernelManager.cull_interval = 300
c.MappingKernelManager.cull_connected = True
