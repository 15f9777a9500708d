"""TIDINGS_CACHE_URL, TIDINGS_LOG_FORMAT, TIDINGS_METRICS_DIR and TIDINGS_WSGI_SERVER as the settings read them
(fresh processes)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
SHOW = (
    "import json, os, tidings.settings as s; print(json.dumps([s.CACHES['default'], "
    "s.LOGGING['handlers']['console']['formatter'], os.environ.get('PROMETHEUS_MULTIPROC_DIR')]))"
)


def settings_with(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TIDINGS_", "PROMETHEUS_"))}
    clean.update(TIDINGS_VAR_DIR=str(tmp_path), TIDINGS_SECRET_KEY="x" * 50, PYTHONPATH=str(SRC), **env)
    return subprocess.run([sys.executable, "-c", SHOW], env=clean, capture_output=True, text=True, timeout=60)


def test_a_redis_cache_url_and_key_value_logs(tmp_path):
    done = settings_with(
        tmp_path,
        TIDINGS_CACHE_URL="redis://10.0.0.5:6379/1",
        TIDINGS_LOG_FORMAT="keyvalue",
        TIDINGS_METRICS_DIR=str(tmp_path / "m"),
    )
    assert done.returncode == 0, done.stderr
    cache, formatter, metrics_dir = json.loads(done.stdout)
    assert cache == {
        "BACKEND": "tidings.ops.cache.ForgivingRedisCache",
        "LOCATION": "redis://10.0.0.5:6379/1",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
    }
    assert formatter == "keyvalue"
    assert metrics_dir == str(tmp_path / "m")


def test_the_defaults_are_local_memory_and_plain_logs(tmp_path):
    done = settings_with(tmp_path)
    assert done.returncode == 0, done.stderr
    cache, formatter, metrics_dir = json.loads(done.stdout)
    assert cache["BACKEND"].endswith("LocMemCache") and formatter == "plain" and metrics_dir is None


def test_unknown_values_are_refused_with_the_variable_named(tmp_path):
    done = settings_with(tmp_path, TIDINGS_CACHE_URL="memcached://x")
    assert done.returncode != 0 and "TIDINGS_CACHE_URL='memcached://x'" in done.stderr
    done = settings_with(tmp_path, TIDINGS_LOG_FORMAT="json")
    assert done.returncode != 0 and "TIDINGS_LOG_FORMAT='json'" in done.stderr
    done = settings_with(tmp_path, TIDINGS_WSGI_SERVER="uwsgi")
    assert done.returncode != 0 and "TIDINGS_WSGI_SERVER='uwsgi'" in done.stderr
