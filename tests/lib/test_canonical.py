from hypothesis import given
from hypothesis import strategies as st

from tidings.lib.canonical import canonicalize_url


def test_tracking_parameters_and_fragment_are_dropped():
    url = "HTTPS://News.Example.org:443/world/story/?utm_source=x&fbclid=abc#comments"
    assert canonicalize_url(url) == "https://news.example.org/world/story"


def test_query_parameters_that_identify_the_page_are_kept():
    assert canonicalize_url("https://x.example.org/news?story=123") != canonicalize_url(
        "https://x.example.org/news?story=124"
    )
    assert "section=sport" in canonicalize_url("https://x.example.org/rss?section=sport&utm_medium=y")


@given(st.text(max_size=200))
def test_canonicalize_never_raises(text):
    assert isinstance(canonicalize_url(text), str)
