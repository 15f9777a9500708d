"""The story page: the first report's headline, a timeline, outlets, categories and topics; redirects and 404s."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.stories.helpers import story_of
from tests.stories.test_story_claims import claim
from tests.taxonomy.factories import ArticleCategoryFactory, ArticleTopicFactory, CategoryFactory, TopicFactory
from tidings.articles.models import Article
from tidings.stories.editing import merge_stories
from tidings.stories.models import Story
from tidings.stories.overview import overview

pytestmark = pytest.mark.django_db


@pytest.fixture
def strike():
    return story_of(
        ("Dunmore Courier", "Rail strike over in Dunmore", 2),
        ("Harbour Herald", "Dunmore rail strike ends after nine days", 6),
        ("Dunmore Courier", "What the rail deal means for commuters", 1),
    )


def test_headline_is_the_first_reports(strike):
    story, _ = strike
    view = overview(story)
    assert view.headline == "Dunmore rail strike ends after nine days"
    assert view.first_reported_by is not None and view.first_reported_by.name == "Harbour Herald"


def test_outlets_group_articles_first_reporter_first(strike):
    story, _ = strike
    view = overview(story)
    assert [o.source.name for o in view.outlets] == ["Harbour Herald", "Dunmore Courier"]
    assert [a.headline for a in view.outlets[1].articles] == [
        "Rail strike over in Dunmore",
        "What the rail deal means for commuters",
    ]


def test_page_shows_timeline_in_publication_order_with_first_marked(client, strike):
    story, _ = strike
    response = client.get(reverse("web:story", args=[story.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    timeline = body[body.index('class="timeline"') :]
    sources = re.findall(r'class="timeline-source">([^<]*)<', timeline)
    assert sources == ["Harbour Herald", "Dunmore Courier", "Dunmore Courier"]
    assert "First reported by <a" in body and "Harbour Herald</a>" in body
    assert body.count('class="badge">First') == 2  # the outlet and the timeline entry


def test_categories_follow_the_membership_rule_and_topics_are_counted(client, strike):
    story, articles = strike
    parent = CategoryFactory(name="economy", slug="economy")
    labour = CategoryFactory(name="labour", slug="labour", parent=parent)
    weak = CategoryFactory(name="weather", slug="weather")
    ArticleCategoryFactory(article=articles[0], category=labour)
    ArticleCategoryFactory(article=articles[1], category=weak, score=0.1)  # below the listing floor
    union = TopicFactory(name="Dunmore Rail Union")
    for article in articles[:2]:
        ArticleTopicFactory(article=article, topic=union)
    view = overview(story)
    assert [c.target.name for c in view.categories] == ["economy", "labour"]  # listed through its child, too
    assert [(t.target.name, t.article_count) for t in view.topics] == [("Dunmore Rail Union", 2)]
    body = client.get(reverse("web:story", args=[story.pk])).content.decode()
    assert 'data-follow="category-' in body and 'data-follow="topic-' in body


def test_merged_story_redirects_to_the_kept_one(client, strike):
    story, _ = strike
    other, _ = story_of(("Evening Post", "Rail strike: commuters relieved", 0.5))
    merge_stories(story.pk, [other.pk])
    response = client.get(reverse("web:story", args=[other.pk]))
    assert response.status_code == 301
    assert response["Location"] == reverse("web:story", args=[story.pk])


def test_unknown_story_is_a_404_page(client):
    assert client.get(reverse("web:story", args=[987654])).status_code == 404
    assert client.get("/stories/99999999999999999999999/").status_code == 404


def test_story_without_articles_says_so(client):
    empty = Story.objects.create(headline="Left empty")
    body = client.get(reverse("web:story", args=[empty.pk])).content.decode()
    assert "No articles left in this story" in body


@pytest.mark.parametrize("extra", [0, 8])
def test_story_page_query_count_does_not_grow_with_articles(client, strike, extra, django_assert_max_num_queries):
    story, _articles = strike
    topic = TopicFactory(name="Dunmore Rail Union")
    category = CategoryFactory(name="labour", slug="labour")
    for n in range(extra):
        more, _ = story_of((f"Outlet {n}", f"Follow-up {n}", 0.1 * n))
        merge_stories(story.pk, [more.pk])
    speaker = TopicFactory(name="Dunmore Rail Union press office")
    for n, article in enumerate(Article.objects.filter(story_link__story=story)):
        ArticleTopicFactory(article=article, topic=topic)
        ArticleCategoryFactory(article=article, category=category)
        claim(article, 0, f"{100 + n} trains were cancelled", "the union", topic=speaker)
        claim(article, 1, f"{10 + n} drivers stayed home")
    with django_assert_max_num_queries(9):  # 7 before the story ledger, its claims, their speakers' aliases
        response = client.get(reverse("web:story", args=[story.pk]))
    assert response.content.decode().count('class="timeline-item') == 3 + extra
