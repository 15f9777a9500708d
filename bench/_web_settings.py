"""Tidings' settings for bench/web_load.py's servers: the project's own, with the bench's URL conf (a bare view)."""

from tidings.settings import *  # noqa: F403

ROOT_URLCONF = "bench._web_urls"
