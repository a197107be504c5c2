"""JupyterHub's configuration for a workshop hub (``jupyterhub -f`` this file; bootstrap.py hub does).

Everything specific to this hub comes from its settings file (``<prefix>/etc/hub.json``, written by
the set-up) and its secrets in ``<prefix>/hub/`` (root only); this file only says how they map onto
JupyterHub's options.
"""
from pathlib import Path

from trustcircles.hub import settings as hub_settings
from trustcircles.hub.limits import parse_bytes
from trustcircles.hub.spawner import CourseSpawner
from trustcircles.hub.system import read_secret

c = get_config()  # noqa: F821 (JupyterHub provides it)
s = hub_settings.load()
state = s.state

c.JupyterHub.bind_url = f"{s.scheme}://{s.ip}:{s.port}"
if s.tls_cert:
    c.JupyterHub.ssl_cert, c.JupyterHub.ssl_key = s.tls_cert, s.tls_key
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{s.hub_port}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{s.proxy_api_port}"
c.ConfigurableHTTPProxy.command = [str(s.proxy)]
c.JupyterHub.db_url = "sqlite:///" + str(state / "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.cleanup_servers = True          # stopping the hub stops every learner's server

learners = set(s.learners)
c.Authenticator.allowed_users = learners | {s.trainer}
c.Authenticator.admin_users = {s.trainer}
if s.auth == "shared":
    passwords = read_secret(state / "shared-passwords")
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = passwords["learners"]
    c.SharedPasswordAuthenticator.admin_password = passwords["trainer"]
else:
    c.JupyterHub.authenticator_class = "pam"    # the accounts' own passwords
    c.PAMAuthenticator.open_sessions = False

c.JupyterHub.spawner_class = CourseSpawner
c.CourseSpawner.trainer = s.trainer
c.CourseSpawner.venv = str(s.venv)
c.CourseSpawner.cgroup = s.cgroup
c.Spawner.cmd = [str(s.venv / "bin" / "jupyterhub-singleuser")]
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = f"/lab/tree/{hub_settings.HOME_FOLDER}/lessons/00_welcome.ipynb"
c.Spawner.mem_limit = parse_bytes(s.memory)
c.Spawner.cpu_limit = float(s.cpus)
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120

c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [str(s.venv / "bin" / "python"), "-m", "jupyterhub_idle_culler",
                f"--timeout={int(s.idle_minutes) * 60}"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
