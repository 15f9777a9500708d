"""Fixtures of the scale-out fault tests (tests/ops/stack.py)."""

from tests.ops.stack import app_connections_closed, redis_server  # noqa: F401
