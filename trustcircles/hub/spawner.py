"""The spawner of a workshop hub: JupyterHub's LocalProcessSpawner (each learner's JupyterLab runs as
their own account), plus what the course needs of it:

* the memory and CPU limits of ``Spawner.mem_limit`` and ``cpu_limit`` enforced for learners
  (:mod:`trustcircles.hub.limits`: a control group the server joins before it starts, so its kernels
  share the budget); the trainer is not limited (grading runs several kernels at once);
* worked solutions off for learners (``TRUSTCIRCLES_SOLUTIONS=off``, read by trustcircles.checks);
* the hub's environment first on PATH, so kernels and nbgrader come from it.
"""
from __future__ import annotations

from jupyterhub.spawner import LocalProcessSpawner
from traitlets import Unicode

from trustcircles.hub import limits

#: the environment variable and value that switch worked solutions off (trustcircles.checks.modes)
SOLUTIONS_ENV, SOLUTIONS_OFF = "TRUSTCIRCLES_SOLUTIONS", "off"


class CourseSpawner(LocalProcessSpawner):
    trainer = Unicode("", config=True, help="the trainer's account: no limits, solutions on")
    venv = Unicode("", config=True, help="the hub's environment (its bin/ goes first on PATH)")
    cgroup = Unicode("online-in-person", config=True, help="the parent control group of the learners'")

    groups: list = []

    @property
    def limited(self) -> bool:
        return self.user.name != self.trainer

    def get_env(self):
        env = super().get_env()
        env["PATH"] = f"{self.venv}/bin:/usr/local/bin:/usr/bin:/bin"
        if self.limited:
            env[SOLUTIONS_ENV] = SOLUTIONS_OFF
        return env

    def make_preexec_fn(self, name):
        become_user = super().make_preexec_fn(name)
        if not self.limited:
            return become_user
        join = limits.preexec(self.groups, int(self.mem_limit or 0) or 2 ** 62)

        def preexec():
            join()          # as root, before the process becomes the learner (who cannot leave it)
            become_user()
        return preexec

    async def start(self):
        if self.limited and (self.mem_limit or self.cpu_limit):
            self.groups = limits.prepare(self.cgroup, self.user.name, int(self.mem_limit or 2 ** 62),
                                         float(self.cpu_limit or 64))
            self.log.info("limits for %s: %s (%s)", self.user.name, self.mem_limit, limits.mechanism())
        return await super().start()
