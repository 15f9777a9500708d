"""Fixtures of the scale-out fault tests (tests/ops/stack.py)."""

import pytest

from tests.ops.stack import app_connections_closed, redis_server, require_postgresql, wsgi_server  # noqa: F401


@pytest.fixture
def reader_token() -> str:
    """A reader's API token, on PostgreSQL (the fault tests' web processes run on it)."""
    from tests.accounts.factories import UserFactory
    from tidings.accounts.models import ApiToken

    require_postgresql()
    _, raw = ApiToken.issue(UserFactory(username="reader"))
    return raw
