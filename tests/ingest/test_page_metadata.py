"""Page metadata from <meta> tags and JSON-LD."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import lxml.html

from tidings.ingest.parse.page_metadata import read_metadata


def meta(head: str, body: str = "", url: str = "https://lamp.example/news/a") -> object:
    return read_metadata(lxml.html.document_fromstring(f"<html><head>{head}</head><body>{body}</body></html>"), url)


def json_ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_open_graph_title_wins():
    assert meta('<title>Tide | Lamp</title><meta property="og:title" content="Tide tables change">').title == (
        "Tide tables change"
    )


def test_page_title_loses_the_outlet_suffix():
    head = "<title>Tide tables change for summer | Harbour Lamp</title>"
    head += '<meta property="og:site_name" content="Harbour Lamp">'
    assert meta(head, "<h1>A</h1><h1>B</h1>").title == "Tide tables change for summer"


def test_single_h1_is_the_title_when_meta_is_missing():
    assert meta("<title>Harbour Lamp</title>", "<h1>Tide tables change</h1>").title == "Tide tables change"


def test_author_and_date_from_json_ld():
    head = json_ld(
        {"@type": "NewsArticle", "author": [{"name": "Tamsin Rowe"}], "datePublished": "2026-04-02T09:15:00Z"}
    )
    result = meta(head)
    assert result.author == "Tamsin Rowe"
    assert result.published_at == datetime(2026, 4, 2, 9, 15, tzinfo=UTC)


def test_json_ld_inside_a_graph_is_found():
    head = json_ld({"@graph": [{"@type": "WebSite", "name": "Lamp"}, {"@type": "Article", "headline": "Tides"}]})
    assert meta(head).title == "Tides"


def test_broken_json_ld_is_ignored():
    assert meta('<script type="application/ld+json">{not json</script><title>Tides</title>').title == "Tides"


def test_author_meta_that_is_a_profile_url_is_skipped():
    head = '<meta property="article:author" content="https://social.example/tamsin">'
    head += '<meta name="author" content="By Tamsin Rowe">'
    assert meta(head).author == "Tamsin Rowe"


def test_relative_canonical_is_resolved():
    assert meta('<link rel="canonical" href="/news/tides">').url == "https://lamp.example/news/tides"


def test_date_without_zone_is_taken_as_utc():
    result = meta('<meta property="article:published_time" content="2026-04-02T09:15:00">')
    assert result.published_at == datetime(2026, 4, 2, 9, 15, tzinfo=UTC)


def test_missing_values_are_empty_not_guessed():
    result = meta("", "<p>Just text</p>")
    assert (result.author, result.published_at, result.image, result.sitename) == ("", None, "", "")
