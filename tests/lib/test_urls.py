"""safe_http_url: absolute http(s) URLs pass, everything else (script schemes, obfuscations, relative without base) is dropped."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.provisional import urls

from tidings.lib.urls import MAX_URL_LENGTH, is_safe_http_url, safe_http_url

BASE = "https://news.example/world/story.html"


@pytest.mark.parametrize(
    "value",
    [
        "https://news.example/a",
        "http://news.example/a?b=1&c=2#d",
        "HTTPS://News.Example/A",
        "https://news.example:8443/a",
        "https://[2001:db8::1]/a",
        "https://xn--bcher-kva.example/a",
    ],
)
def test_absolute_http_urls_pass_unchanged(value):
    assert safe_http_url(value) == value


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(document.cookie)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "\x01\x02javascript:alert(1)",
        "\x00javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "java\r\nscript:alert(1)",
        "javascript&#58;alert(1)",
        "javascript&colon;alert(1)",
        "&#106;avascript:alert(1)",
        "&#x6A;&#x61;&#x76;&#x61;script:alert(1)",
        "jav&#x09;ascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "DATA:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://news.example/a",
        "mailto:editor@news.example",
        "urn:uuid:1234",
        "https:news.example/a",  # no host
        "https://",
        "http:\\\\evil.example/a",
        "https://news.example:99999/a",  # port out of range
        "https://[::1/a",  # broken IPv6 literal
        "https://news.example/a\x00b",
        "/relative/path",
        "relative/path",
        "?page=2",
        "",
        "   ",
    ],
)
def test_anything_else_is_dropped(value):
    assert safe_http_url(value) == ""


@pytest.mark.parametrize("value", [None, 42, b"https://news.example/a", ["https://news.example/a"]])
def test_a_value_that_is_not_text_is_dropped(value):
    assert safe_http_url(value) == ""


def test_browser_whitespace_is_removed_as_a_browser_removes_it():
    assert safe_http_url("  https://news.example/a\n") == "https://news.example/a"
    assert safe_http_url("https://news.\texample/a") == "https://news.example/a"
    assert safe_http_url("https://news.example/a b") == "https://news.example/a%20b"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/other.html", "https://news.example/other.html"),
        ("other.html", "https://news.example/world/other.html"),
        ("//cdn.example/i.jpg", "https://cdn.example/i.jpg"),
        ("https://elsewhere.example/", "https://elsewhere.example/"),
    ],
)
def test_relative_urls_resolve_against_the_base(value, expected):
    assert safe_http_url(value, base=BASE) == expected


@pytest.mark.parametrize(
    "value", ["javascript:alert(1)", "data:image/png;base64,AAAA", "java\tscript:x", "javascript&#58;x"]
)
def test_a_base_does_not_rescue_a_script_url(value):
    assert safe_http_url(value, base=BASE) == ""


def test_protocol_relative_takes_the_base_scheme_or_https_without_one():
    assert safe_http_url("//cdn.example/i.jpg", base="http://news.example/") == "http://cdn.example/i.jpg"
    assert safe_http_url("//cdn.example/i.jpg") == "https://cdn.example/i.jpg"


def test_an_unsafe_base_resolves_nothing():
    assert safe_http_url("/a", base="javascript:alert(1)") == ""
    assert safe_http_url("/a", base="/not/absolute") == ""


def test_a_url_longer_than_the_column_is_dropped_not_cut():
    long_url = "https://news.example/" + "a" * MAX_URL_LENGTH
    assert safe_http_url(long_url) == ""


def test_is_safe_http_url_says_whether_a_stored_value_may_stay():
    assert is_safe_http_url("https://news.example/a")
    assert not is_safe_http_url("javascript:alert(1)")
    assert not is_safe_http_url(" https://news.example/a")  # would be rewritten: not as stored
    assert not is_safe_http_url("")


# Property tests.

_DANGEROUS = st.sampled_from(["javascript", "data", "vbscript", "file", "blob", "livescript"])
_NOISE = st.lists(st.sampled_from(["\t", "\n", "\r"]), max_size=3).map("".join)


@st.composite
def obfuscated_script_urls(draw: st.DrawFn) -> str:
    """A script-like scheme with browser-ignored noise: mixed case, leading controls, tabs/newlines, entities."""
    scheme = draw(_DANGEROUS)
    scheme = "".join(c.upper() if draw(st.booleans()) else c for c in scheme)
    scheme = "".join(c + draw(_NOISE) for c in scheme)
    lead = draw(st.text(alphabet=[chr(i) for i in range(0x21)], max_size=4))
    colon = draw(st.sampled_from([":", "&#58;", "&#x3a;", "&colon;", "&#0058;"]))
    return lead + scheme + colon + draw(st.text(max_size=30))


@given(obfuscated_script_urls(), st.sampled_from([None, BASE]))
def test_no_obfuscated_script_url_passes(value, base):
    assert safe_http_url(value, base=base) == ""


@given(st.text(max_size=80), st.sampled_from([None, BASE, "http://news.example"]))
def test_output_is_empty_or_an_absolute_http_url_without_controls(value, base):
    result = safe_http_url(value, base=base)
    if result:
        assert result.lower().startswith(("http://", "https://"))
        assert not any(ord(c) < 0x21 or ord(c) == 0x7F for c in result)
        assert len(result) <= MAX_URL_LENGTH


@given(st.text(max_size=80), st.sampled_from([None, BASE]))
def test_the_check_is_idempotent(value, base):
    once = safe_http_url(value, base=base)
    assert safe_http_url(once) == once


@given(urls())
def test_generated_http_urls_pass_unchanged(value):
    assert safe_http_url(value) == value
