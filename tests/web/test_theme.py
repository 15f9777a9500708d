"""The colour theme: the server paints the chosen theme from its cookie, POST /theme/ remembers a choice, and every
colour of the site's style sheets goes through the theme's variables."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "src" / "tidings" / "web" / "static" / "web"
COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b|rgba?\([^)]*\)|hsla?\([^)]*\)")


def _blocks(css: str) -> tuple[str, str, str, str]:
    light = re.search(r"^:root \{(.*?)^\}", css, re.S | re.M)
    dark = re.search(r'^:root\[data-theme="dark"\] \{(.*?)^\}', css, re.S | re.M)
    system = re.search(
        r'^@media \(prefers-color-scheme: dark\) \{\n  :root:not\(\[data-theme="light"\]\) \{(.*?)^  \}\n\}',
        css,
        re.S | re.M,
    )
    assert light and dark and system, "the three theme blocks are not where expected"
    rest = css.replace(light.group(0), "").replace(dark.group(0), "").replace(system.group(0), "")
    return light.group(1), dark.group(1), system.group(1), rest


def _names(block: str) -> dict[str, str]:
    return dict(re.findall(r"(--[\w-]+):\s*([^;]+);", block))


def test_every_colour_is_a_theme_variable_and_dark_has_each_one():
    light, dark, system, rest = _blocks((STATIC / "tidings.css").read_text())
    assert COLOUR.findall(rest) == [], "a colour outside the theme's variables"
    for sheet in ("diet.css", "reading.css"):
        assert COLOUR.findall((STATIC / sheet).read_text()) == [], f"{sheet} has its own colours"
    assert _names(dark) == _names(system), "the two dark blocks differ"
    colours = {k for k, v in _names(light).items() if COLOUR.search(v)}
    assert colours - set(_names(dark)) == set(), "a colour variable with no dark value"
    assert "color-scheme: dark" in dark


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("cookie", "attribute"), [(None, None), ("dark", "dark"), ("light", "light"), ("system", None), ("neon", None)]
)
def test_the_page_arrives_in_the_chosen_theme(client, cookie, attribute):
    if cookie is not None:
        client.cookies["tidings_theme"] = cookie
    html = client.get("/browse/").content.decode()
    first = re.search(r"<html[^>]*>", html).group(0)
    assert first == (f'<html lang="en" data-theme="{attribute}">' if attribute else '<html lang="en">')
    pressed = attribute or "system"
    assert re.search(rf'value="{pressed}" aria-pressed="true"', html)


@pytest.mark.django_db
def test_post_theme_sets_the_cookie_and_goes_back(client):
    response = client.post("/theme/", {"theme": "dark", "next": "/browse/"})
    assert response.status_code == 302 and response["Location"] == "/browse/"
    assert response.cookies["tidings_theme"].value == "dark"
    assert response.cookies["tidings_theme"]["max-age"] == 365 * 24 * 3600
    elsewhere = client.post("/theme/", {"theme": "light", "next": "https://evil.example/"})
    assert elsewhere["Location"] == "/"


@pytest.mark.django_db
def test_post_theme_refuses_an_unknown_theme(client):
    response = client.post("/theme/", {"theme": "neon"})
    assert response.status_code == 400
    assert "tidings_theme" not in response.cookies
    assert client.get("/theme/").status_code == 405
