"""A process's own copies of kept pages (web.near_cache): bounded, least recently used dropped first, aged out."""

from __future__ import annotations

from tidings.web import near_cache
from tidings.web.near_cache import NearCache


def test_the_least_recently_used_copy_goes_first():
    near = NearCache(2)
    near.set("a", 1, 60)
    near.set("b", 2, 60)
    assert near.get("a") == 1  # "b" is now the least recently used
    near.set("c", 3, 60)
    assert (near.get("a"), near.get("b"), near.get("c")) == (1, None, 3)


def test_a_copy_ages_out(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(near_cache.time, "monotonic", lambda: now[0])
    near = NearCache(4)
    near.set("a", 1, 30)
    now[0] += 29.9
    assert near.get("a") == 1
    now[0] += 0.2
    assert near.get("a") is None


def test_clear_all_empties_every_near_cache():
    first, second = NearCache(2), NearCache(2)
    first.set("a", 1, 60)
    second.set("b", 2, 60)
    near_cache.clear_all()
    assert first.get("a") is None and second.get("b") is None
