"""The web server command of tidings.ops.stack for each TIDINGS_WSGI_SERVER, and a wrong value refused by
scripts/scale-stack's `python -m tidings.ops.stack` before it starts anything."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tidings.ops import stack


def test_gunicorn_binds_host_and_port_with_ipv6_in_brackets():
    command = stack.web_command("::1", 8123, server="gunicorn", workers=3, threads=5)
    assert command[1:3] == ["-m", "gunicorn"]
    assert command[command.index("--bind") + 1] == "[::1]:8123"
    assert (command[command.index("--workers") + 1], command[command.index("--threads") + 1]) == ("3", "5")


def test_granian_serves_wsgi_on_blocking_threads_and_replaces_dead_workers():
    command = stack.web_command("127.0.0.1", 8123, server="granian", workers=3, threads=5)
    assert command[1:4] == ["-m", "granian", "tidings.wsgi:application"]
    value = {name: command[command.index(name) + 1] for name in ("--interface", "--host", "--port", "--workers")}
    assert value == {"--interface": "wsgi", "--host": "127.0.0.1", "--port": "8123", "--workers": "3"}
    assert command[command.index("--blocking-threads") + 1] == "5"
    assert "--respawn-failed-workers" in command


def test_an_unknown_server_is_refused():
    with pytest.raises(ValueError, match="unknown WSGI server 'uwsgi'"):
        stack.web_command("127.0.0.1", 8123, server="uwsgi")


def test_scale_stack_refuses_a_wrong_wsgi_server_with_the_variable_named(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIDINGS_")}
    env.update(
        PYTHONPATH=str(stack.SRC),
        TIDINGS_DATABASE_URL="postgres://nobody@127.0.0.1:1/none",  # never connected to: refused before
        TIDINGS_REDIS_URL="redis://127.0.0.1:1/0",
        TIDINGS_SECRET_KEY="x" * 50,
        TIDINGS_WSGI_SERVER="uwsgi",
        TMPDIR=str(tmp_path),
    )
    done = subprocess.run(
        [sys.executable, "-m", "tidings.ops.stack", "--port", "1"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2, done.stderr
    assert "TIDINGS_WSGI_SERVER='uwsgi'" in done.stderr
    assert not list(tmp_path.glob("tidings-scale.*"))  # its temporary folder removed
