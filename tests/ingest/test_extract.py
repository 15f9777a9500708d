"""Article pages and HTML fragments into clean text."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidings.ingest.extract import extract_article, find_feed_links, html_to_paragraphs
from tidings.lib.errors import ParseError

DATA = Path(__file__).parent / "data"
URL = "https://quayside.example/news/harbour-ferry-returns?utm_source=x"


@pytest.fixture(scope="module")
def article():
    return extract_article((DATA / "article.html").read_bytes(), url=URL)


def test_headline_author_date_and_outlet(article):
    assert article.headline == "Harbour ferry returns after winter repairs"
    assert article.author == "Morwenna Tregarthen"
    assert article.published_at == datetime(2026, 3, 14, 8, 30, tzinfo=UTC)
    assert article.outlet == "The Quayside Courier"


def test_canonical_url_is_used(article):
    assert article.url == "https://quayside.example/news/harbour-ferry-returns"


def test_paragraphs_leave_out_navigation_and_footer(article):
    assert len(article.paragraphs) == 5
    assert article.paragraphs[0].startswith("The harbour ferry Bluebell carried its first passengers")
    assert not any("Copyright" in p or "Privacy" in p for p in article.paragraphs)


def test_meta_description_is_the_standfirst(article):
    assert article.standfirst.startswith("The little blue ferry is back on the water")


def test_figure_caption_and_credit_are_separated(article):
    assert article.image_url == "https://quayside.example/img/ferry-large.jpg"
    assert article.image_caption == "The ferry Bluebell leaves the slipway on its first crossing of the spring."
    assert article.image_credit == "Ennis Polglaze"


def test_credit_written_in_the_caption_is_split_off():
    html = (
        (DATA / "article.html")
        .read_text()
        .replace('<span class="credit">Photo: Ennis Polglaze</span>', "Photograph: Ennis Polglaze")
    )
    assert extract_article(html, url=URL).image_credit == "Ennis Polglaze"


def test_description_repeating_the_first_paragraph_is_not_a_standfirst():
    first = "The harbour ferry Bluebell carried its first passengers of the year on Saturday morning"
    html = (
        (DATA / "article.html")
        .read_text()
        .replace(
            "The little blue ferry is back on the water after three months in dry dock, and the crossing now takes six "
            "minutes.",
            first + "…",
        )
    )
    assert extract_article(html, url=URL).standfirst == ""


def test_marked_dek_becomes_the_standfirst_and_leaves_the_body():
    dek = "Three months in dry dock, and the crossing is a minute quicker"
    html = (
        (DATA / "article.html")
        .read_text()
        .replace('<p class="byline">', f'<p class="standfirst">{dek}</p><p class="byline">')
    )
    result = extract_article(html, url=URL)
    assert result.standfirst == dek
    assert dek not in result.paragraphs


def test_page_without_an_article_is_refused_in_plain_words():
    with pytest.raises(ParseError, match="neither a feed nor an article"):
        extract_article((DATA / "not_a_feed.html").read_bytes(), url="https://club.example/")


@pytest.mark.parametrize("html", [b"", b"   ", b"<html></html>", b"\x00\x01\x02"])
def test_empty_or_broken_pages_are_refused(html):
    with pytest.raises(ParseError):
        extract_article(html)


def test_fragment_blocks_and_double_breaks_become_paragraphs():
    html = "<p>One <b>bold</b> line</p><div>Two</div>three<br>still three<br><br>four"
    assert html_to_paragraphs(html) == ("One bold line", "Two", "three still three", "four")


def test_fragment_scripts_are_dropped():
    assert html_to_paragraphs("<p>Kept</p><script>var x = 1;</script><style>p{}</style>") == ("Kept",)


def test_plain_text_splits_on_blank_lines():
    assert html_to_paragraphs("First  part\nsame paragraph\n\nSecond") == ("First part same paragraph", "Second")


@given(st.text(max_size=300))
def test_any_text_gives_stripped_non_empty_paragraphs(text):
    paragraphs = html_to_paragraphs(text)
    assert all(p and p == p.strip() and "\n" not in p for p in paragraphs)


def test_feed_links_advertised_by_a_page_are_found():
    html = (DATA / "home_with_feed.html").read_bytes()
    assert find_feed_links(html, url="https://quayside.example/") == (
        "https://quayside.example/feeds/latest.xml",
        "https://quayside.example/feeds/atom.xml",
    )


def test_page_without_feed_links_has_none():
    assert find_feed_links((DATA / "article.html").read_bytes()) == ()
