"""Django's RedisCache, degraded instead of failing while Redis is down or restarting: a read is a miss, a write
is dropped, each logged as `cache_unavailable`. The cache only ever holds what can be recomputed, so pages keep
serving (slower) and no request fails because of it. Django's own RedisCache raises redis errors to the view.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

REDIS_DOWN = (RedisConnectionError, RedisTimeoutError)


def _log(operation: str, exc: Exception) -> None:
    logger.warning("cache_unavailable operation=%s error=%s", operation, exc)


class ForgivingRedisCache(RedisCache):
    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        try:
            return bool(super().add(key, value, timeout, version))
        except REDIS_DOWN as exc:
            _log("add", exc)
            return False

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except REDIS_DOWN as exc:
            _log("get", exc)
            return default

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        try:
            super().set(key, value, timeout, version)
        except REDIS_DOWN as exc:
            _log("set", exc)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        try:
            return bool(super().touch(key, timeout, version))
        except REDIS_DOWN as exc:
            _log("touch", exc)
            return False

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return bool(super().delete(key, version))
        except REDIS_DOWN as exc:
            _log("delete", exc)
            return False

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        try:
            return dict(super().get_many(keys, version))
        except REDIS_DOWN as exc:
            _log("get_many", exc)
            return {}

    def has_key(self, key: Any, version: int | None = None) -> bool:
        try:
            return bool(super().has_key(key, version))
        except REDIS_DOWN as exc:
            _log("has_key", exc)
            return False

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        try:
            return int(super().incr(key, delta, version))
        except REDIS_DOWN as exc:
            _log("incr", exc)
            raise ValueError(f"Key '{key}' not found (the cache is unavailable)") from exc

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list[Any]:
        try:
            return list(super().set_many(data, timeout, version))
        except REDIS_DOWN as exc:
            _log("set_many", exc)
            return list(data)

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        try:
            super().delete_many(keys, version)
        except REDIS_DOWN as exc:
            _log("delete_many", exc)

    def clear(self) -> None:
        try:
            super().clear()
        except REDIS_DOWN as exc:
            _log("clear", exc)
