"""Stored XSS through links: a feed or page link that is not absolute http(s) is dropped before it is stored;
the article is kept without it (issue 11, security point 1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.lib import FeedServer
from tidings.articles.models import Article
from tidings.ingest.refresh import refresh_source
from tidings.sources.models import Source

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
SCRIPT = "javascript:alert(document.cookie)"
BODY = " ".join(["The council met on Tuesday to agree the harbour budget for the coming year."] * 6)


def refreshed(server: FeedServer, body: bytes, content_type: str) -> Source:
    source = Source.objects.create(
        url=server.add("/feed", body, content_type=content_type), name="Test source", full_text="never"
    )
    outcome = refresh_source(source.pk)
    assert outcome.status == "ok", outcome
    source.refresh_from_db()
    return source


def json_feed(**document: object) -> bytes:
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Estuary Notes", **document}).encode()


def test_json_feed_item_script_url_is_dropped_and_the_item_kept(server):
    feed = json_feed(items=[{"id": "e-1", "url": SCRIPT, "title": "Seal pups", "content_text": BODY}])
    source = refreshed(server, feed, "application/feed+json")
    article = Article.objects.get(source=source)
    assert (article.headline, article.guid, article.url) == ("Seal pups", "e-1", "")


def test_json_feed_item_script_external_url_is_dropped(server):
    feed = json_feed(
        items=[{"id": "e-2", "external_url": " JavaScript:alert(1)", "title": "Tide", "content_text": BODY}]
    )
    source = refreshed(server, feed, "application/feed+json")
    assert Article.objects.get(source=source).url == ""


def test_json_feed_item_with_script_url_falls_back_to_a_safe_external_url(server):
    feed = json_feed(
        items=[{"id": "e-5", "url": SCRIPT, "external_url": "https://estuary.example/tide", "title": "Tide"}]
    )
    source = refreshed(server, feed, "application/feed+json")
    assert Article.objects.get(source=source).url == "https://estuary.example/tide"


def test_json_feed_home_page_url_script_is_not_the_site_url(server):
    feed = json_feed(home_page_url=SCRIPT, items=[{"id": "e-3", "title": "Tide", "content_text": BODY}])
    assert refreshed(server, feed, "application/feed+json").site_url == ""


def test_json_feed_item_data_image_is_dropped(server):
    image = "data:image/svg+xml,<svg onload=alert(1)>"
    feed = json_feed(items=[{"id": "e-4", "url": "https://estuary.example/a", "title": "T", "image": image}])
    source = refreshed(server, feed, "application/feed+json")
    article = Article.objects.get(source=source)
    assert (article.url, article.image_url) == ("https://estuary.example/a", "")


def test_an_item_with_a_script_link_is_still_told_apart_by_its_guid(server):
    feed = json_feed(items=[{"id": "e-5", "url": SCRIPT, "title": "Seal pups", "content_text": "Short."}])
    source = refreshed(server, feed, "application/feed+json")
    again = refresh_source(source.pk)
    assert (again.created, again.duplicates) == (0, 1)
    assert Article.objects.filter(source=source).count() == 1


RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Quay</title><link>{channel}</link><description>d</description>
<item><title>Ferry returns</title><link>{item}</link><description>{body}</description></item>
</channel></rss>"""


def test_rss_channel_link_script_is_not_the_site_url(server):
    feed = RSS.format(channel=SCRIPT, item="https://quay.example/ferry", body=BODY).encode()
    source = refreshed(server, feed, "application/rss+xml")
    assert source.site_url == ""
    assert Article.objects.get(source=source).url == "https://quay.example/ferry"


def test_rss_item_script_link_without_guid_is_kept_without_a_link(server):
    feed = RSS.format(channel="https://quay.example/", item="java&#9;script:alert(1)", body=BODY).encode()
    source = refreshed(server, feed, "application/rss+xml")
    assert source.site_url == "https://quay.example/"
    article = Article.objects.get(source=source)
    assert (article.headline, article.url) == ("Ferry returns", "")


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Quay</title><id>urn:q</id><updated>2026-03-01T00:00:00Z</updated>
<link rel="alternate" href="{channel}"/>
<entry><title>Ferry returns</title><id>urn:q:1</id><updated>2026-03-01T00:00:00Z</updated>
<link rel="alternate" href="{item}"/><summary>{body}</summary></entry></feed>"""


def test_atom_feed_link_script_is_not_the_site_url(server):
    feed = ATOM.format(channel="vbscript:msgbox(1)", item=SCRIPT, body=BODY).encode()
    source = refreshed(server, feed, "application/atom+xml")
    assert source.site_url == ""
    article = Article.objects.get(source=source)
    assert (article.guid, article.url) == ("urn:q:1", "")


def page(*, canonical: str, og_url: str, og_image: str) -> bytes:
    html = (DATA / "article.html").read_text()
    html = html.replace(
        '<link rel="canonical" href="https://quayside.example/news/harbour-ferry-returns">',
        f'<link rel="canonical" href="{canonical}"><meta property="og:url" content="{og_url}">',
    ).replace('content="https://quayside.example/img/ferry-large.jpg"', f'content="{og_image}"')
    return html.encode()


def test_page_script_canonical_og_url_and_og_image_are_dropped(server):
    body = page(canonical=SCRIPT, og_url="data:text/html,x", og_image="javascript&#58;alert(1)")
    source = refreshed(server, body, "text/html")
    article = Article.objects.get(source=source)
    assert article.url == source.url  # neither the canonical link nor og:url: the address it was fetched from
    assert article.image_url == ""
    assert article.headline == "Harbour ferry returns after winter repairs"


def test_page_script_canonical_falls_back_to_a_safe_og_url(server):
    body = page(canonical=SCRIPT, og_url="https://quayside.example/ferry", og_image="/img/ferry.jpg")
    source = refreshed(server, body, "text/html")
    article = Article.objects.get(source=source)
    assert article.url == "https://quayside.example/ferry"
    assert article.image_url == source.url.rsplit("/", 1)[0] + "/img/ferry.jpg"  # resolved against the page


def test_saving_an_article_or_source_drops_a_script_link():
    source = Source.objects.create(url="https://quay.example/feed", name="Quay", site_url=SCRIPT)
    article = Article.objects.create(source=source, headline="H", url=SCRIPT, image_url="data:image/png,x")
    source.refresh_from_db()
    article.refresh_from_db()
    assert (source.site_url, article.url, article.image_url) == ("", "", "")
