"""A workshop's JupyterHub: one command sets it up (``sudo make hub ROSTER=roster.txt``), and the
whole nbgrader cycle runs through it (TRAINERS.md, "Scaling out").

One module per concern; those run by root during set-up use only the standard library, because
bootstrap.py imports them before the hub's environment exists:

* :mod:`~trustcircles.hub.settings`  where everything lives (one prefix, default /opt/online-in-person),
  the roster, and the hub's settings file that the trainer's commands and the hub's config read;
* :mod:`~trustcircles.hub.system`    the set-up as root: accounts, the course in every home, the
  exchange and its permissions, the proxy from npm, starting and stopping the hub, and ``--teardown``
  (a manifest records what was created, so only that is removed);
* :mod:`~trustcircles.hub.limits`    per-learner memory and CPU limits (cgroups, else RLIMIT_AS);
* :mod:`~trustcircles.hub.spawner`   the LocalProcessSpawner that applies them and switches worked
  solutions off for learners (imports JupyterHub);
* :mod:`~trustcircles.hub.exchange`  nbgrader's filesystem exchange, with a submission only its
  learner and the trainers can open, and a collect that drops submissions made under another's name;
* :mod:`~trustcircles.hub.cycle`     the trainer's ``trustcircles hub release`` and ``hub grade``
  (collect, the course's own grading, our feedback back through the exchange).
"""
