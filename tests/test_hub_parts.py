"""The parts of the workshop hub that need no root: the roster, the shared-password mode, the
sandbox switch of the hub's grading (tests/test_hub.py runs the whole hub as root)."""
from __future__ import annotations

import asyncio
import inspect

import pytest

from trustcircles.hub import cycle, limits, system
from trustcircles.hub.settings import HubError, HubSettings, read_roster


def test_the_roster_names_accounts_and_one_message_names_every_bad_line(tmp_path):
    roster = tmp_path / "roster.txt"
    roster.write_text("# class of May\nann\n\nben  # second row\nann\n")
    assert read_roster(roster) == ["ann", "ben"]
    roster.write_text("ann\nAnn Smith\nben\n9lives\n")
    with pytest.raises(HubError) as error:
        read_roster(roster)
    assert "line 2: 'Ann Smith'" in str(error.value) and "line 4: '9lives'" in str(error.value)
    assert "lower-case letters" in str(error.value)
    with pytest.raises(HubError, match="no roster file"):
        read_roster(tmp_path / "missing.txt")


def test_the_shared_workshop_password_logs_learners_in_and_the_trainer_only_with_theirs(tmp_path):
    """--auth shared: the passwords the set-up makes are ones JupyterHub's SharedPasswordAuthenticator
    accepts (8+ characters for learners, 32+ for the trainer), and each opens only its door."""
    from jupyterhub.authenticators.shared import SharedPasswordAuthenticator

    settings = HubSettings(str(tmp_path), "trainer", ["ann", "ben"], auth="shared")
    settings.state.mkdir()
    (tmp_path / "workshop.txt").write_text("circles-of-trust\n")
    passwords = system.hand_out_passwords(settings, system.Manifest(tmp_path), tmp_path / "workshop.txt")
    assert passwords["(every learner)"] == "circles-of-trust" and len(passwords["trainer"]) >= 32
    auth = SharedPasswordAuthenticator(user_password=passwords["(every learner)"],
                                       admin_password=passwords["trainer"], admin_users={"trainer"},
                                       allowed_users={"ann", "ben", "trainer"})

    def login(name, password):
        return asyncio.run(auth.authenticate(None, {"username": name, "password": password}))

    assert login("ann", "circles-of-trust") == {"name": "ann", "admin": False, "groups": []}
    assert login("trainer", passwords["trainer"])["admin"] is True
    assert login("trainer", "circles-of-trust") is None and login("ann", "wrong-password") is None
    (tmp_path / "short.txt").write_text("short")
    with pytest.raises(HubError, match="at least 8"):
        system.hand_out_passwords(settings, system.Manifest(tmp_path), tmp_path / "short.txt")


def test_the_hubs_grading_requires_the_sandbox_once_grading_has_one(monkeypatch):
    options, said = cycle.grading_options()
    has_sandbox = "sandbox" in inspect.signature(cycle.grade_batch).parameters
    assert options == ({"sandbox": "require"} if has_sandbox else {})

    def grade_with_sandbox(assignment, submissions, course=None, sandbox="auto"):
        return None

    monkeypatch.setattr(cycle, "grade_batch", grade_with_sandbox)
    assert cycle.grading_options()[0] == {"sandbox": "require"}


def test_memory_amounts():
    assert limits.parse_bytes("1.5G") == 1610612736 and limits.parse_bytes("512M") == 512 * 2 ** 20
    assert limits.parse_bytes("2048") == 2048
    with pytest.raises(ValueError):
        limits.parse_bytes("lots")
