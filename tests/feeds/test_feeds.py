"""Output feeds: feedparser reads RSS and Atom back (no bozo flag) with the right items; JSON Feed is read back by
fastfeedparser (feedparser 6.0 has no JSON Feed support) after a check of JSON Feed 1.1's required fields. The
private My News feed is per profile, rotatable and revocable, and two readers never see each other's."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from types import SimpleNamespace

import fastfeedparser
import feedparser
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.articles.factories import ArticleFactory
from tests.stories.helpers import story_of
from tests.taxonomy.factories import ArticleCategoryFactory, ArticleTopicFactory, CategoryFactory, TopicFactory
from tidings.feeds.models import FeedToken
from tidings.personalization.services import profile_for_user, set_follow

pytestmark = pytest.mark.django_db
FORMATS = ("rss", "atom", "json")
MEDIA = {"rss": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json"}


def read_back(client, url, fmt):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith(MEDIA[fmt])
    if fmt == "json":
        return response, read_json_feed(response.content)
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, f"{url}: {parsed.get('bozo_exception')}"
    return response, parsed


def read_json_feed(content):
    """JSON Feed 1.1's required fields, then fastfeedparser's reading, shaped like feedparser's answer."""
    data = json.loads(content)
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(data["title"], str) and isinstance(data["items"], list)
    for item in data["items"]:
        assert isinstance(item["id"], str) and ("content_text" in item or "content_html" in item)
    parsed = fastfeedparser.parse(content)
    entries = [
        SimpleNamespace(
            title=e["title"],
            link=e["link"],
            id=e["id"],
            summary=e.get("description", ""),
            published_parsed=e["published"],
        )
        for e in parsed.entries
    ]
    return SimpleNamespace(feed=SimpleNamespace(title=parsed.feed.title), entries=entries)


@pytest.fixture
def harbour():
    category = CategoryFactory(name="Harbour", slug="harbour")
    topic = TopicFactory(name="Quay works", slug="quay-works")
    now = timezone.now()
    articles = []
    for n in range(3):
        article = ArticleFactory(
            headline=f"Harbour news {n} & <more>", published_at=now - timedelta(hours=n), standfirst=f"Summary {n}."
        )
        ArticleCategoryFactory(article=article, category=category)
        ArticleTopicFactory(article=article, topic=topic)
        articles.append(article)
    ArticleFactory(headline="Elsewhere entirely")
    return category, topic, articles


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", ["category", "topic", "source"])
def test_public_feeds_read_back_with_the_right_items(client, harbour, kind, fmt):
    category, topic, articles = harbour
    key = {"category": category.slug, "topic": topic.slug, "source": articles[0].source.slug}[kind]
    expected = [a.headline for a in articles] if kind != "source" else [articles[0].headline]
    url = reverse("feeds:public", args=[kind, key, fmt])
    _, parsed = read_back(client, url, fmt)
    assert [e.title for e in parsed.entries] == expected
    first = parsed.entries[0]
    assert first.link == f"http://testserver{articles[0].get_absolute_url()}"
    assert first.id == first.link
    assert "Summary 0." in first.summary
    assert first.published_parsed is not None
    name = {"category": "Harbour", "topic": "Quay works", "source": articles[0].source.name}[kind]
    assert parsed.feed.title == f"{name} · Tidings"
    if fmt != "json":  # the channel links to the web page, not to the feed itself
        page = {"category": category, "topic": topic, "source": articles[0].source}[kind].get_absolute_url()
        assert parsed.feed.link == f"http://testserver{page}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_story_feed_lists_every_outlet(client, fmt):
    story, _ = story_of(("Herald", "Strike ends", 3), ("Courier", "Strike over", 2), ("Post", "Trains back", 1))
    _, parsed = read_back(client, reverse("feeds:public", args=["story", story.pk, fmt]), fmt)
    assert [e.title for e in parsed.entries] == ["Trains back", "Strike over", "Strike ends"]


def test_unknown_feeds_are_404(client, harbour):
    assert client.get("/feeds/category/no-such.rss").status_code == 404
    assert client.get("/feeds/planet/harbour.rss").status_code == 404
    assert client.get("/feeds/category/harbour.xml").status_code == 404
    assert client.get("/feeds/story/99999.json").status_code == 404
    assert client.get("/feeds/story/abc.json").status_code == 404
    assert client.post("/feeds/category/harbour.rss").status_code == 405


def test_pages_announce_their_feeds(client, harbour):
    category, topic, articles = harbour
    body = client.get(category.get_absolute_url()).content.decode()
    for fmt in FORMATS:
        assert f'<link rel="alternate" type="{MEDIA[fmt]}" title="Harbour' in body
        assert f'href="/feeds/category/harbour.{fmt}"' in body
    assert 'href="/feeds/topic/quay-works.atom"' in client.get(topic.get_absolute_url()).content.decode()
    source = articles[0].source
    assert f'href="/feeds/source/{source.slug}.json"' in client.get(source.get_absolute_url()).content.decode()


def signed_in(username):
    user = UserFactory(username=username)
    client = Client()
    client.force_login(user)
    return client, profile_for_user(user)


def private_urls(client):
    """The addresses the My interests page shows."""
    body = client.get(reverse("web:interests")).content.decode()
    return dict(re.findall(r'<span class="kind">(RSS|Atom|JSON Feed)</span><code class="break">([^<]+)</code>', body))


def test_private_feed_is_per_reader_rotatable_and_revocable(harbour):
    category, _, articles = harbour
    ana, ana_profile = signed_in("ana")
    ben, ben_profile = signed_in("ben")
    set_follow(ana_profile, category)
    ben_article = ArticleFactory(headline="Ben's own beat")
    beat = CategoryFactory(name="Beat", slug="beat")
    ArticleCategoryFactory(article=ben_article, category=beat)
    set_follow(ben_profile, beat)

    assert private_urls(ana) == {}
    assert "Make a private feed address" in ana.get(reverse("web:interests")).content.decode()
    ana.post(reverse("feeds:token"), {"action": "rotate"})
    ben.post(reverse("feeds:token"), {"action": "rotate"})
    ana_urls, ben_urls = private_urls(ana), private_urls(ben)
    assert set(ana_urls) == {"RSS", "Atom", "JSON Feed"}
    assert ana_urls["RSS"] != ben_urls["RSS"]

    stranger = Client()  # a feed reader has no session: the address alone is enough
    for name, fmt in (("RSS", "rss"), ("Atom", "atom"), ("JSON Feed", "json")):
        response, parsed = read_back(stranger, ana_urls[name].removeprefix("http://testserver"), fmt)
        titles = {e.title for e in parsed.entries}
        assert titles == {a.headline for a in articles}
        assert response["Cache-Control"] == "private, no-store"
        _, theirs = read_back(stranger, ben_urls[name].removeprefix("http://testserver"), fmt)
        assert {e.title for e in theirs.entries} == {"Ben's own beat"}

    # My News announces the private feed to its owner only.
    assert ana_urls["Atom"].removeprefix("http://testserver") in ana.get(reverse("web:my_news")).content.decode()
    assert ana_urls["Atom"].removeprefix("http://testserver") not in ben.get(reverse("web:my_news")).content.decode()

    old = ana_urls["RSS"].removeprefix("http://testserver")
    ana.post(reverse("feeds:token"), {"action": "rotate"})
    assert stranger.get(old).status_code == 404
    new = private_urls(ana)["RSS"].removeprefix("http://testserver")
    assert new != old and stranger.get(new).status_code == 200

    ana.post(reverse("feeds:token"), {"action": "revoke"})
    assert stranger.get(new).status_code == 404
    assert not FeedToken.objects.filter(profile=ana_profile).exists()
    assert stranger.get(ben_urls["RSS"].removeprefix("http://testserver")).status_code == 200


def test_bad_token_requests(client):
    assert client.get("/feeds/my/not-a-token.rss").status_code == 404
    assert client.get("/feeds/my/" + "x" * 80 + ".rss").status_code == 404
    assert client.post(reverse("feeds:token"), {"action": "explode"}).status_code == 400
    assert client.post(reverse("feeds:token"), {"action": "revoke"}).status_code == 302  # nothing to revoke
