"""Values typed into admin and form fields, read leniently."""

from __future__ import annotations


def positive_id(value: object) -> int | None:
    """A positive whole number as typed into a field ('12', ' 12'), else None (blank, text, zero, negative)."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None
