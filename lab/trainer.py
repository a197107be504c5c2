"""JupyterLab for a trainer: `make lab ROLE=trainer` (python bootstrap.py lab --trainer).

The learner's lab (lab/learner.py: kernels shut down on close and when idle, README rendered,
tabs told apart) with the instructor tools back: nbgrader's lab extension (the Nbgrader menu,
Formgrader, Create Assignment, Validate) and its server extensions when nbgrader is installed
(`python bootstrap.py setup --trainer`), and solutions/ listed in the file browser.
"""
from pathlib import Path

c = get_config()  # noqa: F821 (the config loader provides it)
HERE = Path(__file__).resolve().parent
load_subconfig(str(HERE / "learner.py"))  # noqa: F821

c.LabApp.app_settings_dir = str(HERE / "trainer")  # the same overrides, nothing disabled
c.ServerApp.jpserver_extensions = {name: True for name in c.ServerApp.jpserver_extensions}
c.ContentsManager.hide_globs = ["__pycache__", "*.pyc", "*.pyo", ".DS_Store", "*~", "build",
                                "*.egg-info"]
