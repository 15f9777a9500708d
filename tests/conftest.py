"""Shared fixtures: the seed page path, shared-data skips, loaded taxonomy, a local feed server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings as hypothesis_settings

# Shared, noisy CI machines: no per-example deadline (speed is measured in bench/, never in tests).
hypothesis_settings.register_profile("tidings", deadline=None)
hypothesis_settings.load_profile("tidings")

if TYPE_CHECKING:
    from tests.lib import FeedServer

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
SEED = SHARED / "seeds" / "000_661a769826a86786.txt"


@pytest.fixture
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip(f"seed page not found at {SEED} (../shared/ is not beside this checkout)")
    return SEED


@pytest.fixture
def server() -> Iterator[FeedServer]:
    """A FeedServer on 127.0.0.1 serving what a test adds to it; stopped after the test."""
    from tests.lib import FeedServer

    running = FeedServer().start()
    yield running
    running.stop()


@pytest.fixture
def shared_data() -> Path:
    path = SHARED / "data"
    if not path.exists():
        pytest.skip(f"shared data not found at {path}")
    return path


@pytest.fixture
def taxonomy(db: None) -> None:
    """IPTC categories (top and second level) loaded as `make run` loads them."""
    from django.core.management import call_command

    call_command("load_taxonomy", verbosity=0)


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Rolled-back tests reuse ids, so cache keys made of ids (personalization.candidates.shared_pools, and its
    memo of descriptions) could meet a previous test's entry."""
    from django.core.cache import caches

    from tidings.personalization.candidates import reset_described
    from tidings.stories import newest
    from tidings.web.near_cache import clear_all

    for store in caches.all():
        store.clear()
    reset_described()
    newest.forget()  # the newest ids this process read (stories.newest)
    clear_all()  # the processes' own copies of kept pages (web.near_cache)


@pytest.fixture(autouse=True)
def _fresh_near_duplicate_index() -> None:
    """The near-duplicate index is per-process state keyed by article id; rolled-back tests reuse ids."""
    from tidings.stories.neardup_service import _window

    _window.reset()
