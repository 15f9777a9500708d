"""The API's second line for links: a stored link that is not absolute http(s) never reaches an API client
(clients render `url`, `image_url` and `site_url` in their own pages), even one written past the checks."""

from __future__ import annotations

import pytest

from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory
from tests.sources.personas import persona
from tidings.articles.models import Article
from tidings.sources.models import Source

pytestmark = pytest.mark.django_db

SCRIPT = "javascript:alert(document.cookie)"
OBFUSCATED = "\x01java\tscript:alert(2)"


@pytest.fixture
def poisoned() -> tuple[Article, Article]:
    """An article and its near-duplicate, and their source, with script links written by raw updates."""
    source = SourceFactory(name="Harbour Herald")
    article = ArticleFactory(source=source, headline="Dredging plan approved")
    copy = ArticleFactory(source=SourceFactory(name="Valley Courier"), headline="Dredging copy", duplicate_of=article)
    Article.objects.filter(pk=article.pk).update(url=SCRIPT, image_url="data:image/svg+xml,<svg onload=alert(1)>")
    Article.objects.filter(pk=copy.pk).update(url=OBFUSCATED, image_url=SCRIPT)
    Source.objects.filter(pk=source.pk).update(site_url=SCRIPT, url="vbscript:msgbox(1)")
    return article, copy


def assert_no_script(body: str) -> None:
    for marker in ("javascript", "script:", "data:image", "vbscript", "alert("):
        assert marker not in body, body[:500]


def test_article_list_and_detail_drop_unsafe_links(client, poisoned):
    article, copy = poisoned
    listing = client.get("/api/articles").json()
    assert [item["headline"] for item in listing["items"]] == ["Dredging plan approved"]  # copies are not listed
    assert all(item["url"] == "" and item["image_url"] == "" for item in listing["items"])
    detail = client.get(f"/api/articles/{copy.pk}").json()
    assert detail["url"] == "" and detail["image_url"] == ""
    assert [other["url"] for other in detail["also_published_by"]] == [""]
    for path in ("/api/articles", f"/api/articles/{article.pk}", f"/api/articles/{copy.pk}"):
        assert_no_script(client.get(path).content.decode())


def test_personal_feed_drops_unsafe_links(client, poisoned):
    reader = persona("reader")
    client.post(
        "/api/me/follows",
        {"kind": "source", "slug": poisoned[0].source.slug},
        content_type="application/json",
        headers=reader.headers,
    )
    feed = client.get("/api/me/feed", headers=reader.headers)
    assert [item["headline"] for item in feed.json()["items"]] == ["Dredging plan approved"]
    assert_no_script(feed.content.decode())


def test_sources_drop_unsafe_site_and_feed_links_even_for_staff(client, poisoned):
    staff = persona("boss", is_staff=True)
    items = client.get("/api/sources", headers=staff.headers).json()["items"]
    herald = next(item for item in items if item["name"] == "Harbour Herald")
    assert herald["site_url"] == "" and herald["url"] == ""
    assert_no_script(client.get("/api/sources", headers=staff.headers).content.decode())


def test_safe_links_come_back_unchanged(client):
    article = ArticleFactory(url="https://news.example.org/a?b=1", image_url="https://img.example.org/a.jpg")
    staff = persona("boss", is_staff=True)
    item = client.get(f"/api/articles/{article.pk}").json()
    assert (item["url"], item["image_url"]) == ("https://news.example.org/a?b=1", "https://img.example.org/a.jpg")
    source = next(s for s in client.get("/api/sources", headers=staff.headers).json()["items"])
    assert source["url"] == article.source.url and source["site_url"] == article.source.site_url
