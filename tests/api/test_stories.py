"""GET /api/stories and /api/stories/{id}: newest first, outlets, the first report, categories and topics."""

from __future__ import annotations

import pytest

from tests.articles.factories import ArticleFactory
from tests.stories.helpers import story_of
from tests.stories.test_story_claims import claim
from tests.taxonomy.factories import ArticleCategoryFactory, ArticleTopicFactory, CategoryFactory, TopicFactory
from tidings.articles.models import Article
from tidings.stories.editing import merge_stories
from tidings.stories.models import ArticleStory, Story

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories():
    strike, strike_articles = story_of(
        ("Dunmore Courier", "Rail strike over in Dunmore", 2),
        ("Harbour Herald", "Dunmore rail strike ends", 6),
    )
    bridge, _ = story_of(("Evening Post", "Bridge reopens", 1))
    return strike, strike_articles, bridge


def test_list_is_newest_first_with_counts_and_outlets(client, stories):
    strike, _, bridge = stories
    Story.objects.create(headline="Emptied by an editor")  # no articles: not listed
    body = client.get("/api/stories").json()
    assert body["count"] == 2 and body["next"] is None
    assert [s["id"] for s in body["items"]] == [bridge.pk, strike.pk]
    listed = body["items"][1]
    assert listed["article_count"] == 2
    assert [o["name"] for o in listed["outlets"]] == ["Harbour Herald", "Dunmore Courier"]


def test_list_pages_with_limit_and_offset(client, stories):
    first = client.get("/api/stories?limit=1").json()
    second = client.get(first["next"]).json()
    assert len(first["items"]) == 1 and len(second["items"]) == 1
    assert first["items"][0]["id"] != second["items"][0]["id"]
    assert second["next"] is None


def test_detail_has_articles_first_reporter_categories_and_topics(client, stories):
    strike, articles, _ = stories
    ArticleCategoryFactory(article=articles[0], category=CategoryFactory(name="labour", slug="labour"))
    ArticleTopicFactory(article=articles[1], topic=TopicFactory(name="Dunmore Rail Union"))
    body = client.get(f"/api/stories/{strike.pk}").json()
    assert body["headline"] == "Dunmore rail strike ends"
    assert body["first_reported_by"]["name"] == "Harbour Herald"
    assert [a["headline"] for a in body["articles"]] == ["Dunmore rail strike ends", "Rail strike over in Dunmore"]
    assert body["categories"] == [
        {"qcode": body["categories"][0]["qcode"], "name": "labour", "slug": "labour", "article_count": 1}
    ]
    assert [(t["name"], t["article_count"]) for t in body["topics"]] == [("Dunmore Rail Union", 1)]


def test_detail_has_claims_by_speaker_and_the_figures_that_differ(client, stories):
    strike, articles, _ = stories
    courier, herald = articles
    union = TopicFactory(name="Dunmore Rail Union")
    claim(herald, 0, "1,200 trains were cancelled", "the union", topic=union, cue="reported", quote=True)
    claim(courier, 0, "900 trains were cancelled", "The operator", cue="said")
    claim(courier, 1, "commuters were stranded")
    body = client.get(f"/api/stories/{strike.pk}").json()
    assert [(g["speaker"], g["attributed"]) for g in body["claims"]] == [
        ("Dunmore Rail Union", True),
        ("The operator", True),
        (None, False),
    ]
    union_group = body["claims"][0]
    assert union_group["topic"] == {"id": union.pk, "slug": union.slug, "name": "Dunmore Rail Union"}
    assert union_group["outlets"] == [{"id": herald.source_id, "name": "Harbour Herald", "slug": herald.source.slug}]
    assert union_group["claims"] == [
        {
            "article_id": herald.pk,
            "outlet": {"id": herald.source_id, "name": "Harbour Herald", "slug": herald.source.slug},
            "cue": "reported",
            "content": "1,200 trains were cancelled",
            "quote": True,
            "kind": "report",
        }
    ]
    [conflict] = body["conflicting_figures"]
    assert conflict["about"] == "trains"
    assert [(f["value"], f["text"], f["speaker"], f["outlet"]["name"]) for f in conflict["figures"]] == [
        (900, "900", "The operator", "Dunmore Courier"),
        (1200, "1,200", "Dunmore Rail Union", "Harbour Herald"),
    ]


def test_detail_without_claims_has_empty_lists(client, stories):
    strike, _, _ = stories
    body = client.get(f"/api/stories/{strike.pk}").json()
    assert body["claims"] == [] and body["conflicting_figures"] == []


def test_detail_leaves_out_near_duplicates(client, stories):
    strike, articles, _ = stories
    copy = ArticleFactory(headline="Syndicated copy")
    Article.objects.filter(pk=copy.pk).update(duplicate_of=articles[0])
    ArticleStory.objects.create(article=copy, story=strike, score=0.9)
    body = client.get(f"/api/stories/{strike.pk}").json()
    assert "Syndicated copy" not in [a["headline"] for a in body["articles"]]
    assert body["article_count"] == 2


def test_a_merged_story_answers_with_the_kept_one(client, stories):
    strike, _, bridge = stories
    merge_stories(strike.pk, [bridge.pk])
    body = client.get(f"/api/stories/{bridge.pk}").json()
    assert body["id"] == strike.pk and body["article_count"] == 3
    assert [s["id"] for s in client.get("/api/stories").json()["items"]] == [strike.pk]


@pytest.mark.parametrize("story_id", ["0", "987654", "99999999999999999999"])
def test_unknown_story_is_a_json_404_or_422(client, story_id):
    response = client.get(f"/api/stories/{story_id}")
    assert response.status_code in {404, 422}
    assert "detail" in response.json()
