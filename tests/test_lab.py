"""`make lab` serves the course: start JupyterLab exactly as bootstrap.py does, then ask it over HTTP."""
from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import bootstrap  # noqa: E402


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory):
    home = tmp_path_factory.mktemp("jupyter-home")
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
           "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces")}
    port, token = bootstrap.free_port(), secrets.token_hex(16)
    command = bootstrap.lab_command(Path(sys.executable), port=port, token=token, open_browser=False)
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail("JupyterLab exited early:\n" + server.stdout.read())
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("JupyterLab did not answer within 90 s")
    yield base, token
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def test_lab_answers_status_and_serves_lesson_00(lab_server):
    base, token = lab_server
    status = get_json(f"{base}/api/status?token={token}")
    assert "started" in status
    lesson = get_json(f"{base}/api/contents/lessons/00_welcome.ipynb?token={token}")
    assert lesson["type"] == "notebook"
    assert lesson["content"]["cells"][0]["source"].startswith("# ")


def test_lab_refuses_requests_without_the_token(lab_server):
    base, _ = lab_server
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{base}/api/contents/lessons", timeout=10)
    assert refused.value.code == 403
