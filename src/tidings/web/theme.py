"""The reader's colour theme: "light", "dark" or "system" (follow the browser), kept in a cookie.

The server reads the cookie to put data-theme on <html> before the first paint (no flash of the wrong theme, and
no inline script, which the Content-Security-Policy forbids). tidings.js writes the same cookie and a copy in
localStorage when the reader picks a theme, so a page changes at once without a reload.
"""

from __future__ import annotations

from collections.abc import Mapping

THEME_COOKIE = "tidings_theme"
THEMES = ("light", "dark", "system")
THEME_LABELS = {"light": "Light", "dark": "Dark", "system": "System"}
THEME_MAX_AGE = 365 * 24 * 3600


def theme_from_cookies(cookies: Mapping[str, str]) -> str:
    """The chosen theme; "system" for no cookie or an unknown value."""
    value = cookies.get(THEME_COOKIE, "")
    return value if value in THEMES else "system"
