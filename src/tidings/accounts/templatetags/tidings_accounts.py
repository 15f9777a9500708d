"""Template tags about accounts: whether visitors may sign up (TIDINGS_SIGNUP)."""

from __future__ import annotations

from django import template

from tidings.accounts.signup_policy import signup_is_open

register = template.Library()


@register.simple_tag
def signup_open() -> bool:
    return signup_is_open()
