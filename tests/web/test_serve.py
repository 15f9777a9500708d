"""`tidings serve` as `make run` starts it: web server and task worker as children, stopped cleanly.

The server runs in a subprocess against its own temporary SQLite file (migrated here), never the
test database, so these tests behave the same in the SQLite and the PostgreSQL runs.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.xdist_group("serve")

SRC = Path(__file__).resolve().parents[2] / "src"
START_TIMEOUT = 90.0
STOP_TIMEOUT = 20.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def serve_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    var_dir = tmp_path_factory.mktemp("serve-var")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tidings.settings",
        "PYTHONPATH": str(SRC),  # this tree's code, not the one the shared environment has installed
        "TIDINGS_VAR_DIR": str(var_dir),
        "TIDINGS_DATABASE_URL": f"sqlite:///{var_dir / 'tidings.sqlite3'}",
        "TIDINGS_TASK_BACKEND": "db",
        "PYTHONUNBUFFERED": "1",
    }
    subprocess.run(
        [sys.executable, "-m", "tidings.cli", "migrate", "--no-input", "-v", "0"],
        env=env, check=True, timeout=300, capture_output=True,
    )  # fmt: skip
    return env


def start_serve(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "tidings.cli", "serve", "--port", str(port), "--refresh-every", "5"],
            env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip


def wait_until_answering(port: int, process: subprocess.Popen[bytes], log: Path) -> httpx.Response:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"serve exited early with {process.returncode}:\n{log.read_text()}")
        try:
            return httpx.get(f"http://127.0.0.1:{port}/admin/login/", timeout=2)
        except httpx.TransportError:
            time.sleep(0.3)
    process.kill()
    pytest.fail(f"serve did not answer within {START_TIMEOUT} s:\n{log.read_text()}")


def child_pids(log: Path) -> dict[str, int]:
    match = re.search(r"Started web server pid (\d+), task worker pid (\d+)\.", log.read_text())
    assert match, log.read_text()
    return {"web server": int(match[1]), "task worker": int(match[2])}


def is_running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped (an orphan's reaper may be slow)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_ctrl_c_stops_web_server_and_worker_and_exits_0(serve_env, tmp_path):
    port, log = free_port(), tmp_path / "serve.log"
    process = start_serve(serve_env, port, log)
    response = wait_until_answering(port, process, log)
    assert response.status_code == 200
    pids = child_pids(log)
    assert all(is_running(pid) for pid in pids.values())

    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=STOP_TIMEOUT) == 0, log.read_text()
    assert not [label for label, pid in pids.items() if is_running(pid)]
    output = log.read_text()
    assert f"Tidings is running at http://127.0.0.1:{port} — Ctrl-C to stop" in output
    assert "Tidings stopped (SIGINT)" in output


def test_a_dead_worker_stops_the_web_server_and_exits_non_zero(serve_env, tmp_path):
    port, log = free_port(), tmp_path / "serve.log"
    process = start_serve(serve_env, port, log)
    wait_until_answering(port, process, log)
    pids = child_pids(log)

    os.kill(pids["task worker"], signal.SIGKILL)
    assert process.wait(timeout=STOP_TIMEOUT) == 1
    assert not is_running(pids["web server"])
    assert "The task worker stopped unexpectedly" in log.read_text()


def test_a_port_in_use_is_refused_with_a_message(serve_env, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "tidings.cli", "serve", "--port", str(port)],
            env=serve_env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr


def test_children_stop_when_the_supervisor_is_killed(serve_env, tmp_path):
    port, log = free_port(), tmp_path / "serve.log"
    process = start_serve(serve_env, port, log)
    wait_until_answering(port, process, log)
    pids = child_pids(log)

    process.kill()
    process.wait(timeout=STOP_TIMEOUT)
    deadline = time.monotonic() + STOP_TIMEOUT
    while time.monotonic() < deadline and any(is_running(pid) for pid in pids.values()):
        time.sleep(0.2)
    assert not [label for label, pid in pids.items() if is_running(pid)]


@pytest.mark.parametrize("server", ["granian", "gunicorn"])
def test_the_configured_web_server_serves_and_stops_with_its_workers(serve_env, tmp_path, server):
    port, log = free_port(), tmp_path / "serve.log"
    process = start_serve({**serve_env, "TIDINGS_WSGI_SERVER": server}, port, log)
    response = wait_until_answering(port, process, log)
    assert response.status_code == 200
    web = child_pids(log)["web server"]
    assert Path(f"/proc/{web}/cmdline").read_text().split("\0")[1:3] == ["-m", server]
    workers = [int(pid) for pid in Path(f"/proc/{web}/task/{web}/children").read_text().split()]
    assert workers  # the server's worker process(es), which serve the requests

    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=STOP_TIMEOUT) == 0, log.read_text()
    assert not [pid for pid in [web, *workers] if is_running(pid)]
