"""Article items in /api/articles, /api/articles/{id}, /api/me/feed and /api/stories/{id} name their story."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.articles.factories import ArticleFactory
from tests.stories.helpers import source, story_of
from tidings.personalization.candidates import reset_described
from tidings.personalization.services import profile_for_user, set_follow

pytestmark = pytest.mark.django_db


def by_headline(items):
    return {item["headline"]: item for item in items}


def test_list_items_carry_their_story_or_null(client):
    story, _ = story_of(("Dunmore Courier", "Rail strike over", 2), ("Harbour Herald", "Rail strike ends", 3))
    ArticleFactory(headline="Alone")
    items = by_headline(client.get("/api/articles").json()["items"])
    for headline in ("Rail strike over", "Rail strike ends"):
        assert items[headline]["story_id"] == story.pk
        assert items[headline]["story"] == {
            "id": story.pk,
            "url": f"/stories/{story.pk}/",
            "api_url": f"/api/stories/{story.pk}",
            "article_count": 2,
            "source_count": 2,
        }
    assert items["Alone"]["story_id"] is None and items["Alone"]["story"] is None


def test_story_count_leaves_out_near_duplicates_and_counts_outlets_once(client):
    _, (first, _, _) = story_of(
        ("Dunmore Courier", "Rail strike over", 2),
        ("Dunmore Courier", "Rail strike: the details", 3),
        ("Harbour Herald", "Rail strike ends", 4),
    )
    ArticleFactory(headline="Copy", duplicate_of=first)
    items = by_headline(client.get("/api/articles").json()["items"])
    assert items["Rail strike ends"]["story"]["article_count"] == 3
    assert items["Rail strike ends"]["story"]["source_count"] == 2


def test_the_link_follows_a_story_page_that_exists(client):
    story, _ = story_of(("Dunmore Courier", "Rail strike over", 2), ("Harbour Herald", "Rail strike ends", 3))
    [item, _] = client.get("/api/articles").json()["items"]
    answer = client.get(item["story"]["api_url"])
    assert answer.status_code == 200 and answer.json()["id"] == story.pk


def test_detail_carries_its_story(client):
    story, (article, _) = story_of(("Dunmore Courier", "Rail strike over", 2), ("Harbour Herald", "Ends", 3))
    assert client.get(f"/api/articles/{article.pk}").json()["story_id"] == story.pk
    assert client.get(f"/api/articles/{ArticleFactory().pk}").json()["story_id"] is None


def test_story_detail_articles_name_the_story(client):
    story, _ = story_of(("Dunmore Courier", "Rail strike over", 2), ("Harbour Herald", "Ends", 3))
    articles = client.get(f"/api/stories/{story.pk}").json()["articles"]
    assert [a["story_id"] for a in articles] == [story.pk, story.pk]
    assert {a["story"]["article_count"] for a in articles} == {2}


def queries_for(client, url, **kwargs):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return len(captured.captured_queries), response.json()


def test_list_queries_do_not_grow_with_stories(client):
    for n in range(2):
        story_of((f"Outlet {n}a", f"Story {n} a", 2), (f"Outlet {n}b", f"Story {n} b", 3))
    few, body = queries_for(client, "/api/articles")
    assert len(body["items"]) == 4 and all(item["story_id"] for item in body["items"])
    for n in range(2, 8):
        story_of((f"Outlet {n}a", f"Story {n} a", 2), (f"Outlet {n}b", f"Story {n} b", 3))
    many, body = queries_for(client, "/api/articles")
    assert len(body["items"]) == 16 and all(item["story_id"] for item in body["items"])
    assert many == few


def test_feed_items_carry_their_story_without_a_query_each(client, reader):
    outlet = source("Dunmore Courier")
    profile = profile_for_user(reader.user)
    set_follow(profile, outlet)
    story_of(("Dunmore Courier", "Story 0 here", 2), ("Harbour Herald", "Story 0 there", 3))
    ArticleFactory(source=outlet, headline="Alone")
    client.get("/api/me/feed", headers=reader.headers)  # the first call also notes the token's use
    # Both measured calls rebuild the shared pools: personalization.candidates keeps them in the cache and in
    # this process (reset_described forgets the process's copy).
    cache.clear()
    reset_described()
    few, body = queries_for(client, "/api/me/feed", headers=reader.headers)
    items = by_headline(body["items"])
    assert items["Alone"]["story_id"] is None
    assert items["Story 0 here"]["story"]["source_count"] == 2
    for n in range(1, 6):
        story_of(("Dunmore Courier", f"Story {n} here", 2), ("Harbour Herald", f"Story {n} there", 3))
    cache.clear()
    reset_described()
    many, body = queries_for(client, "/api/me/feed", headers=reader.headers)
    assert len(body["items"]) == 7 and sum(1 for item in body["items"] if item["story_id"]) == 6
    assert many == few
