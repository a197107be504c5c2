"""nbgrader's filesystem exchange, closed between learners.

nbgrader's own submit leaves every submission folder world-readable and writable (0777, files 0644):
hidden only by an unguessable name in ``inbound/``, which learners cannot list. :class:`PrivateSubmit`
closes the folder itself (0750, with the group of ``inbound/``, the trainers' group, which the
set-up gives it with the set-group-id bit), so another learner cannot open it even knowing its name.
Anyone may still drop a folder named ``<someone else>+<assignment>+...`` into ``inbound/``:
:class:`OwnerCheckedCollect` collects, for each learner, the newest submission that learner's own
account made, and reports the others (nbgrader only logs a warning and collects them).
"""
from __future__ import annotations

import os
import pwd

from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.exchange.default.submit import ExchangeSubmit

#: a submission folder: its learner writes, the trainers' group reads, nobody else enters
SUBMISSION_MODE = 0o750


class PrivateSubmit(ExchangeSubmit):
    def copy_files(self):
        super().copy_files()
        os.chmod(os.path.join(self.inbound_path, self.assignment_filename), SUBMISSION_MODE)


def owner_of(path: str) -> str:
    try:
        return pwd.getpwuid(os.stat(path).st_uid).pw_name
    except (KeyError, OSError):
        return ""


class OwnerCheckedCollect(ExchangeCollect):
    #: (folder name, the account that made it) of submissions made under another learner's name
    forged: list

    def _path_to_record(self, path):
        record = super()._path_to_record(path)
        record["owner"] = owner_of(os.path.join(self.inbound_path, record["filename"]))
        return record

    def _sort_by_timestamp(self, records):
        # the learner's own submissions first (newest first), so a forged newer one never wins
        return sorted(records, key=lambda r: (r["owner"] == r["username"], r["timestamp"]), reverse=True)

    def init_src(self):
        super().init_src()
        self.forged = [(r["filename"], r["owner"]) for r in self.src_records if r["owner"] != r["username"]]
        for filename, owner in self.forged:
            self.log.warning("left out %s: made by %s, not by the learner it names", filename, owner or "?")
        self.src_records = [r for r in self.src_records if r["owner"] == r["username"]]
