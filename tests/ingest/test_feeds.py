"""Feed parsing: RSS 0.9x/1.0/2.0, Atom and JSON Feed into clean articles."""

from __future__ import annotations

import contextlib
import tarfile
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tidings.ingest.parse.feeds import parse_feed
from tidings.lib.errors import ParseError

DATA = Path(__file__).parent / "data"


def parsed(name: str, url: str = "https://feeds.example/feed"):
    return parse_feed((DATA / name).read_bytes(), url=url)


def test_rss2_feed_title_site_and_language():
    feed = parsed("rss2.xml")
    assert (feed.title, feed.site_url, feed.language) == ("The Quayside Courier", "https://quayside.example/", "en-gb")


def test_rss2_item_fields():
    item = parsed("rss2.xml").items[0]
    assert item.headline == "Lifeboat crew rescue two kayakers off the point"
    assert item.url == "https://quayside.example/news/lifeboat-kayakers"
    assert item.guid == "quayside-1001"
    assert item.author == "Morwenna Tregarthen"
    assert item.published_at == datetime(2026, 3, 16, 18, 5, tzinfo=UTC)
    assert item.image_url == "https://quayside.example/img/lifeboat.jpg"
    assert item.publisher_categories == ("Local news", "Sea")
    assert item.outlet == "The Quayside Courier"


def test_content_becomes_clean_paragraphs_and_summary_a_standfirst():
    item = parsed("rss2.xml").items[0]
    assert item.paragraphs[0].startswith("The volunteer lifeboat crew launched at four o'clock")
    assert len(item.paragraphs) == 2
    assert item.standfirst == "Two visitors were brought ashore after their kayaks were swept past the breakwater."


def test_body_html_is_sanitized():
    item = parsed("rss2.xml").items[0]
    assert "<b>four o'clock</b>" in item.body_html
    assert "script" not in item.body_html and "alert" not in item.body_html


def test_relative_links_resolve_against_the_feed_url():
    assert parsed("rss2.xml").items[1].url == "https://feeds.example/news/market-hall-roof"


def test_email_author_keeps_the_name():
    assert parsed("rss2.xml").items[1].author == "Jowan Pascoe"


def test_dates_with_offsets_become_utc():
    assert parsed("rss2.xml").items[1].published_at == datetime(2026, 3, 15, 8, 0, tzinfo=UTC)


def test_image_enclosure_is_the_image():
    assert parsed("rss2.xml").items[1].image_url == "https://quayside.example/img/market.jpg"


def test_rss1_rdf_items():
    feed = parsed("rss1.rdf")
    assert [i.headline for i in feed.items] == [
        "Orchard show draws record entries",
        "Engineers begin survey of the old packhorse bridge",
    ]
    assert feed.items[0].author == "Ailsa Brindle"
    assert feed.items[0].publisher_categories == ("Community",)
    assert feed.language == "en"


def test_rss091_item_without_date_or_guid():
    [item] = parsed("rss091.xml").items
    assert item.headline == "Drainage board opens new pumping station"
    assert item.published_at is None
    assert item.url == "http://fen.example/pumping-station.html"


def test_atom_entries():
    feed = parsed("atom.xml")
    first, second = feed.items
    assert feed.title == "Moorland Monitor" and feed.language == "en"
    assert first.headline == "Rangers count forty nesting curlews"  # HTML title flattened
    assert first.published_at == datetime(2026, 3, 12, 6, 45, tzinfo=UTC)
    assert first.standfirst == "The annual count is the highest for a decade."
    assert first.image_url == "https://moor.example/img/curlew.jpg"
    assert second.paragraphs == ("The parish councils will share the cost of the Sunday service.",)
    assert second.published_at == datetime(2026, 3, 11, 16, 20, tzinfo=UTC)


def test_json_feed_items():
    feed = parsed("feed.json")
    first, second = feed.items
    assert (feed.title, feed.site_url, feed.language) == ("Estuary Notes", "https://estuary.example/", "en-gb")
    assert first.author == "Kerensa Vosper"
    assert first.publisher_categories == ("Wildlife", "Coast")
    assert first.image_url == "https://estuary.example/img/seals.jpg"
    assert first.standfirst == "Wardens ask boat owners to keep their distance."
    assert second.url == "https://feeds.example/posts/ferry-timetable"


def test_json_feed_item_without_title_gets_its_first_words():
    second = parsed("feed.json").items[1]
    assert second.headline.startswith("The summer ferry timetable starts")


def test_ill_formed_feed_is_still_read():
    broken = (
        b"<rss version='2.0'><channel><title>Bits & Pieces</title><item><title>Fish & chips</title>"
        b"<link>https://x.example/a</link></item></channel>"
    )
    feed = parse_feed(broken)
    [item] = feed.items
    assert item.headline.split()[0] == "Fish" and item.headline.split()[-1] == "chips"
    assert item.url == "https://x.example/a"


def test_entity_declarations_are_not_expanded():
    lol = b"<!ENTITY a0 'lol'>" + b"".join(
        f"<!ENTITY a{i} '{('&a' + str(i - 1) + ';') * 10}'>".encode() for i in range(1, 10)
    )
    bomb = (
        b"<?xml version='1.0'?><!DOCTYPE rss [" + lol + b"]><rss version='2.0'><channel><title>T</title>"
        b"<item><title>&a9;</title><link>https://x.example/a</link></item></channel></rss>"
    )
    started = time.monotonic()
    feed = parse_feed(bomb)
    assert time.monotonic() - started < 2
    assert all("lollol" not in item.headline for item in feed.items)


def test_html_page_is_not_a_feed():
    with pytest.raises(ParseError):
        parse_feed((DATA / "not_a_feed.html").read_bytes())


def test_invalid_json_is_said_plainly():
    with pytest.raises(ParseError, match="not valid JSON"):
        parse_feed(b'{"version": "https://jsonfeed.org/version/1.1", "items": [')


def _corpus_documents(shared_data: Path):
    archives = [
        shared_data / "feedparser-tests" / "feedparser-tests.tar.gz",
        shared_data / "gofeed-testdata" / "gofeed-testdata.tar.gz",
    ]
    present = [a for a in archives if a.exists()]
    if not present:
        pytest.skip("feed test corpora not found in shared data")
    for archive in present:
        with tarfile.open(archive) as tar:
            for member in tar.getmembers():
                name = member.name
                is_expectation = name.endswith(".json") and "/parser/json/" not in name
                if member.isfile() and name.endswith((".xml", ".json", ".rss", ".atom", ".rdf")) and not is_expectation:
                    yield name, tar.extractfile(member).read()


def test_no_corpus_document_raises_anything_but_parse_error(shared_data):
    count = 0
    for _name, content in _corpus_documents(shared_data):
        with contextlib.suppress(ParseError):
            parse_feed(content, url="http://example.org/feed")
        count += 1
    assert count > 1000


def test_every_wellformed_rss_and_atom_document_parses(shared_data):
    failures = []
    for name, content in _corpus_documents(shared_data):
        if "/wellformed/" in name and "/cdf/" not in name:
            try:
                parse_feed(content, url="http://example.org/feed")
            except ParseError as err:
                failures.append(f"{name}: {err}")
    assert failures == []
