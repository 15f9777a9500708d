import hashlib
import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from tidings.ingest.dedup import canonicalize_url, content_hash


def test_tracking_parameters_and_fragment_are_dropped():
    url = "HTTPS://News.Example.org:443/world/story/?utm_source=x&fbclid=abc#comments"
    assert canonicalize_url(url) == "https://news.example.org/world/story"


def test_query_parameters_that_identify_the_page_are_kept():
    assert canonicalize_url("https://x.example.org/news?story=123") != canonicalize_url(
        "https://x.example.org/news?story=124"
    )
    assert "section=sport" in canonicalize_url("https://x.example.org/rss?section=sport&utm_medium=y")


def test_content_hash_ignores_case_and_spacing():
    assert content_hash("Big  News", "One\n\nTwo") == content_hash("big news", "one two")
    assert content_hash("Big News", "One") != content_hash("Big News", "Two")


@given(st.text(max_size=200))
def test_canonicalize_never_raises(text):
    assert isinstance(canonicalize_url(text), str)


@given(st.text(max_size=200), st.text(max_size=400))
def test_content_hash_collapses_whitespace_as_the_regex_rule_does(headline, body):
    text = unicodedata.normalize("NFKC", f"{headline}\n{body}").casefold()
    expected = hashlib.sha256(re.sub(r"\s+", " ", text).strip().encode("utf-8")).hexdigest()
    assert content_hash(headline, body) == expected
