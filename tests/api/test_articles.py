"""GET /api/articles and GET /api/articles/{id}."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory
from tests.taxonomy.factories import ArticleCategoryFactory, ArticleTopicFactory, CategoryFactory, TopicFactory

pytestmark = pytest.mark.django_db

URL = "/api/articles"


def headlines(response):
    return [item["headline"] for item in response.json()["items"]]


def test_list_is_newest_first(client):
    now = timezone.now()
    ArticleFactory(headline="Older", published_at=now - timedelta(hours=2))
    ArticleFactory(headline="Newer", published_at=now - timedelta(hours=1))
    assert headlines(client.get(URL)) == ["Newer", "Older"]


def test_duplicates_are_not_listed(client):
    original = ArticleFactory(headline="Original")
    ArticleFactory(headline="Copy", duplicate_of=original)
    assert headlines(client.get(URL)) == ["Original"]


def test_list_item_names_its_source_categories_and_topics(client):
    source = SourceFactory(name="Harbour Times", slug="harbour-times")
    article = ArticleFactory(source=source)
    category = CategoryFactory(qcode="medtop:11000000", name="Politics", slug="politics")
    ArticleCategoryFactory(article=article, category=category, score=0.75, origin="publisher")
    topic = TopicFactory(name="City Council", kind="organisation")
    ArticleTopicFactory(article=article, topic=topic, score=0.5)

    [item] = client.get(URL).json()["items"]

    assert item["source"] == {"id": source.pk, "name": "Harbour Times", "slug": "harbour-times"}
    assert item["categories"] == [
        {"qcode": "medtop:11000000", "name": "Politics", "slug": "politics", "score": 0.75, "origin": "publisher"}
    ]
    assert item["topics"] == [
        {"id": topic.pk, "slug": topic.slug, "name": "City Council", "kind": "organisation", "score": 0.5}
    ]


def test_list_query_count_does_not_grow_with_articles(client, django_assert_num_queries):
    for _ in range(5):
        link = ArticleCategoryFactory()
        ArticleTopicFactory(article=link.article)
    # count, articles with sources, category links, categories, topic links, topics, story links
    with django_assert_num_queries(7):
        response = client.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], len(body["items"])) == (5, 5)
    assert all(len(item["categories"]) == 1 and len(item["topics"]) == 1 for item in body["items"]), body["items"]


def test_pagination_gives_count_and_next_url(client):
    ArticleFactory.create_batch(5)
    body = client.get(URL, {"limit": 2, "offset": 2}).json()
    assert len(body["items"]) == 2
    assert body["count"] == 5
    assert "/api/articles?limit=2&cursor=" in body["next"]  # offset still works; its next link is a cursor
    following = client.get(body["next"]).json()
    assert [i["id"] for i in following["items"]] == [i["id"] for i in client.get(URL, {"offset": 4}).json()["items"]]


def test_last_page_has_no_next_url(client):
    ArticleFactory.create_batch(3)
    body = client.get(URL, {"limit": 2, "offset": 2}).json()
    assert len(body["items"]) == 1
    assert body["next"] is None


def test_next_url_keeps_filters(client):
    source = SourceFactory(slug="gazette")
    ArticleFactory.create_batch(3, source=source)
    body = client.get(URL, {"source": "gazette", "limit": 1}).json()
    assert "source=gazette" in body["next"]


def test_offset_past_the_end_is_an_empty_page(client):
    ArticleFactory.create_batch(2)
    body = client.get(URL, {"offset": 50}).json()
    assert body == {"items": [], "count": 2, "count_exact": True, "next": None}


@pytest.mark.parametrize(
    ("params", "field"),
    [({"limit": 0}, "limit"), ({"limit": 100000}, "limit"), ({"offset": -1}, "offset"), ({"limit": "ten"}, "limit")],
)
def test_bad_page_parameters_are_422_with_message(client, params, field):
    response = client.get(URL, params)
    assert response.status_code == 422
    assert response.json()["detail"].startswith(f"{field}: ")


def test_filter_by_category_qcode_includes_subcategories(client):
    politics = CategoryFactory(qcode="medtop:11000000", slug="politics")
    elections = CategoryFactory(qcode="medtop:20000587", slug="elections", parent=politics)
    ArticleCategoryFactory(article__headline="Parliament sits", category=politics)
    ArticleCategoryFactory(article__headline="Polls open", category=elections)
    ArticleFactory(headline="Football final")
    assert sorted(headlines(client.get(URL, {"category": "medtop:11000000"}))) == ["Parliament sits", "Polls open"]


def test_filter_by_category_slug(client):
    sport = CategoryFactory(slug="sport")
    ArticleCategoryFactory(article__headline="Football final", category=sport)
    ArticleFactory(headline="Parliament sits")
    assert headlines(client.get(URL, {"category": "sport"})) == ["Football final"]


def test_unknown_category_is_400_with_message(client):
    response = client.get(URL, {"category": "no-such-thing"})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("no category 'no-such-thing'")


@pytest.mark.parametrize("key", ["slug", "id"])
def test_filter_by_topic_slug_or_id(client, key):
    topic = TopicFactory(name="Harbour Bridge")
    ArticleTopicFactory(article__headline="Bridge closed", topic=topic)
    ArticleFactory(headline="Unrelated")
    value = topic.slug if key == "slug" else str(topic.pk)
    assert headlines(client.get(URL, {"topic": value})) == ["Bridge closed"]


@pytest.mark.parametrize("key", ["slug", "id"])
def test_filter_by_source_slug_or_id(client, key):
    source = SourceFactory(slug="gazette")
    ArticleFactory(headline="From the gazette", source=source)
    ArticleFactory(headline="From elsewhere")
    value = source.slug if key == "slug" else str(source.pk)
    assert headlines(client.get(URL, {"source": value})) == ["From the gazette"]


@pytest.mark.parametrize("value", ["999999999999999999999999", "²", "nope"])
def test_unknown_source_is_400(client, value):
    response = client.get(URL, {"source": value})
    assert response.status_code == 400
    assert "no source" in response.json()["detail"]


@pytest.mark.parametrize("since", ["2026-11-20", "2026-11-20T00:00:00", "2026-11-20T00:00:00+00:00"])
def test_filter_since_date_or_datetime(client, since):
    tz = timezone.get_current_timezone()
    ArticleFactory(headline="Before", published_at=timezone.datetime(2026, 11, 19, 23, 0, tzinfo=tz))
    ArticleFactory(headline="After", published_at=timezone.datetime(2026, 11, 20, 1, 0, tzinfo=tz))
    assert headlines(client.get(URL, {"since": since})) == ["After"]


@pytest.mark.parametrize("since", ["yesterday", "2026-13-45", "2026-02-30T25:00", "2026-11-20T10:00+25:00"])
def test_bad_since_is_400_with_message(client, since):
    response = client.get(URL, {"since": since})
    assert response.status_code == 400
    assert "not an ISO date" in response.json()["detail"]


@pytest.mark.parametrize("since", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59-05:00"])
def test_since_beyond_storable_dates_is_400_with_message(client, since):
    response = client.get(URL, {"since": since})
    assert response.status_code == 400
    assert "outside the dates" in response.json()["detail"]


def test_q_orders_by_relevance(client):
    now = timezone.now()
    ArticleFactory(headline="Flood waters rise", published_at=now - timedelta(days=2))
    ArticleFactory(headline="Weather", body_text="A flood is possible.", published_at=now)
    ArticleFactory(headline="Budget passes", published_at=now)
    assert headlines(client.get(URL, {"q": "flood"})) == ["Flood waters rise", "Weather"]


@pytest.mark.parametrize("q", ['"unbalanced', "AND OR NOT", "*", "NEAR(", "\x00"])
def test_q_with_search_syntax_is_never_a_server_error(client, q):
    ArticleFactory(headline="Flood waters rise")
    response = client.get(URL, {"q": q})
    assert response.status_code in (200, 422)
    if response.status_code == 200:
        assert response.json()["items"] == []
    else:
        assert response.json()["detail"]


def test_q_combines_with_filters(client):
    source = SourceFactory(slug="gazette")
    ArticleFactory(headline="Flood in the gazette", source=source)
    ArticleFactory(headline="Flood elsewhere")
    assert headlines(client.get(URL, {"q": "flood", "source": "gazette"})) == ["Flood in the gazette"]


def test_q_combines_with_category_filter(client):
    sport = CategoryFactory(slug="sport")
    ArticleCategoryFactory(article__headline="Flood stops the match", category=sport)
    ArticleCategoryFactory(article__headline="Match report", category=sport)
    ArticleFactory(headline="Flood in town")
    assert headlines(client.get(URL, {"q": "flood", "category": "sport"})) == ["Flood stops the match"]


def test_detail_has_the_full_article(client):
    article = ArticleFactory(
        body_text="First paragraph.\n\nSecond paragraph.",
        image_url="https://img.example.org/a.jpg",
        image_caption="The harbour at dawn",
        image_credit="Photo: A. Photographer",
    )
    body = client.get(f"{URL}/{article.pk}").json()
    assert body["paragraphs"] == ["First paragraph.", "Second paragraph."]
    assert body["body_html"] == article.body_html
    assert (body["image_url"], body["image_caption"], body["image_credit"]) == (
        "https://img.example.org/a.jpg",
        "The harbour at dawn",
        "Photo: A. Photographer",
    )
    assert body["source"]["id"] == article.source_id


def test_missing_article_is_404_with_message(client):
    response = client.get(f"{URL}/424242")
    assert response.status_code == 404
    assert response.json() == {"detail": "no article 424242"}


@pytest.mark.parametrize("article_id", ["abc", "1.5", "99999999999999999999999"])
def test_bad_article_id_is_4xx_with_message(client, article_id):
    response = client.get(f"{URL}/{article_id}")
    assert response.status_code in (404, 422)
    assert response.json()["detail"]


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/no-such-thing/here")
    assert response.status_code == 404
    assert response.json() == {"detail": "no API endpoint at /api/no-such-thing/here"}


def test_openapi_docs_are_served(client):
    assert client.get("/api/docs").status_code == 200
    assert "/api/articles" in client.get("/api/openapi.json").json()["paths"]
