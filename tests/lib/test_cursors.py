"""lib.cursors: a position survives the round trip to the microsecond; anything else is refused with a message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from tidings.lib.cursors import Position, decode, encode
from tidings.lib.errors import InvalidInput


@pytest.mark.parametrize(
    "position",
    [
        Position(datetime(2026, 12, 7, 8, 1, 2, 345678, tzinfo=UTC), 42),
        Position(datetime(1969, 7, 20, 20, 17, tzinfo=UTC), 2**63 - 1),
        Position(datetime(2026, 3, 1, 12, 0, tzinfo=timezone(timedelta(hours=5))), 1),
    ],
)
def test_a_position_survives_the_round_trip(position):
    back = decode(encode(position))
    assert back == position  # the same instant (aware datetimes compare across zones)
    assert back.at.tzinfo is not None


@pytest.mark.parametrize("text", ["", "!!", "a" * 65, "é", encode(Position(datetime(2026, 1, 1, tzinfo=UTC), 1))[:-3]])
def test_anything_else_is_invalid_input_with_a_message(text):
    with pytest.raises(InvalidInput, match="not a cursor this list gave"):
        decode(text)
