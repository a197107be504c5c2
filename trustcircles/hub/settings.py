"""Where a workshop hub keeps everything, who is on it, and the settings its parts share.

Everything the set-up makes lives under one prefix (default :data:`DEFAULT_PREFIX`): the course
(``course/``, the package installed editable from it), the environment (``venv/``), the proxy
(``proxy/``), the exchange (``exchange/``), the hub's own state (``hub/``, root only) and the
settings file ``etc/hub.json`` that the hub's configuration and the trainer's commands read. The
package finds that file beside the course it runs from, so a trainer's command needs no options.
Standard library only (bootstrap.py imports it before the environment exists).
"""
from __future__ import annotations

import dataclasses
import json
import os
import re
from pathlib import Path

DEFAULT_PREFIX = Path("/opt/online-in-person")
COURSE_ID = "online-in-person"
#: the group whose members may open learners' submissions in the exchange (the trainer)
TRAINERS_GROUP = "online-in-person-trainers"
#: in each learner's home: lessons/ and exercises/, and (nbgrader, path_includes_course) the fetched
#: assignments, since the course id is the same name
HOME_FOLDER = COURSE_ID
#: in the trainer's home: the nbgrader course directory (gradebook, submissions, grades.csv)
TRAINER_COURSE = "course"
DEFAULT_MEMORY = "1.5G"     # per learner: a lesson kernel (<= 200 MiB) + an exercise's (<= 180) + the server
DEFAULT_CPUS = 1.0
DEFAULT_IDLE_MINUTES = 60
#: Debian's rule for account names (adduser's NAME_REGEX), kept by JupyterHub and nbgrader as is
USERNAME = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")


class HubError(Exception):
    """Something the person setting up the hub must fix: one message naming the problem and the fix."""


@dataclasses.dataclass
class HubSettings:
    prefix: str
    trainer: str
    learners: list[str]
    port: int = 8000
    ip: str = ""
    auth: str = "accounts"            # "accounts": a password each; "shared": one workshop password
    memory: str = DEFAULT_MEMORY
    cpus: float = DEFAULT_CPUS
    idle_minutes: int = DEFAULT_IDLE_MINUTES
    tls_cert: str = ""
    tls_key: str = ""
    hub_port: int = 0                 # the hub's internal API and the proxy's API, on 127.0.0.1,
    proxy_api_port: int = 0           # chosen free at each start

    # ---- the layout under the prefix
    @property
    def root(self) -> Path:
        return Path(self.prefix)

    @property
    def course(self) -> Path:
        return self.root / "course"

    @property
    def venv(self) -> Path:
        return self.root / "venv"

    @property
    def state(self) -> Path:
        return self.root / "hub"

    @property
    def exchange(self) -> Path:
        return self.root / "exchange"

    @property
    def proxy(self) -> Path:
        return self.root / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"

    @property
    def cgroup(self) -> str:
        """The name of this hub's control group (one a prefix, so two hubs never share one)."""
        return re.sub(r"[^a-z0-9]+", "-", self.prefix.lower()).strip("-") or COURSE_ID

    @property
    def scheme(self) -> str:
        return "https" if self.tls_cert else "http"

    @property
    def url(self) -> str:
        host = self.ip if self.ip not in ("", "0.0.0.0") else os.uname().nodename
        return f"{self.scheme}://{host}:{self.port}/"

    def save(self) -> Path:
        path = settings_file(self.root)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(dataclasses.asdict(self), indent=1) + "\n")
        os.chmod(temporary, 0o644)      # read by the trainer's commands; holds no secret
        os.replace(temporary, path)
        return path


def settings_file(prefix: Path) -> Path:
    return Path(prefix) / "etc" / "hub.json"


def load(prefix: Path | None = None) -> HubSettings:
    """The settings of the hub this package runs on (its course sits in ``<prefix>/course``)."""
    if prefix is None:
        prefix = Path(__file__).resolve().parents[3]
    path = settings_file(prefix)
    if not path.is_file():
        raise HubError(f"this is not a workshop hub (no {path}). The hub commands run on the server "
                       "that `sudo make hub ROSTER=roster.txt` set up, as its trainer.")
    return HubSettings(**json.loads(path.read_text()))


def read_roster(path: Path) -> list[str]:
    """The learners' account names, one a line (blank lines and # comments skipped), checked."""
    path = Path(path)
    if not path.is_file():
        raise HubError(f"there is no roster file {path}. Write one learner's account name a line "
                       "(e.g. ann.smith is not allowed, annsmith is), then run the command again.")
    names, problems = [], []
    for number, raw in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        name = raw.split("#")[0].strip()
        if not name:
            continue
        if not USERNAME.match(name):
            problems.append(f"line {number}: {name!r}")
        elif name not in names:
            names.append(name)
    if problems:
        raise HubError(f"{path}: not an account name ({'; '.join(problems)}). Use lower-case letters, "
                       "digits, '-' and '_', starting with a letter, at most 32 characters.")
    if not names:
        raise HubError(f"{path} names no learner. Write one account name a line.")
    return names
