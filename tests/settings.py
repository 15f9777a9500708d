"""Test settings: the real settings with immediate tasks, fast hashing and a temporary var dir."""

import tempfile
from pathlib import Path

from tidings.settings import *  # noqa: F403

VAR_DIR = Path(tempfile.mkdtemp(prefix="tidings-test-var-"))
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FETCH_ALLOW_NETWORKS = ["127.0.0.0/8"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Tests read the newest ids on every page (a new article shows at once, whatever the clock);
# tests/stories/test_newest.py checks the reuse the deployed default (1 s) makes.
NEWEST_IDS_SECONDS = 0
