"""Each page renders its content, its empty state, and a 404 for an unknown slug or id."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory
from tests.taxonomy.factories import ArticleCategoryFactory, ArticleTopicFactory, CategoryFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_home_lists_newest_visible_article(client):
    article = ArticleFactory(headline="Harbour reopens after storm")
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    assert "Harbour reopens after storm" in response.content.decode()
    assert article.get_absolute_url() in response.content.decode()


def test_home_hides_duplicates(client):
    original = ArticleFactory(headline="Original report")
    ArticleFactory(headline="Copied report", duplicate_of=original)
    body = client.get(reverse("web:home")).content.decode()
    assert "Original report" in body
    assert "Copied report" not in body


def test_home_empty_state_points_to_sources(client):
    body = client.get(reverse("web:home")).content.decode()
    assert "No news yet" in body
    assert reverse("web:sources") in body


def test_home_paginates_twenty_per_page(client):
    ArticleFactory.create_batch(21)
    first = client.get(reverse("web:home")).content.decode()
    second = client.get(reverse("web:home") + "?page=2").content.decode()
    assert "Page 1 of 2" in first
    assert second.count('class="card-title"') == 1


def test_home_bad_page_number_shows_first_page(client):
    ArticleFactory(headline="Only story")
    response = client.get(reverse("web:home") + "?page=banana")
    assert response.status_code == 200
    assert "Only story" in response.content.decode()


def test_category_page_shows_articles_of_its_subcategories(client):
    parent = CategoryFactory(name="conflict, war and peace", slug="conflict-war-and-peace")
    child = CategoryFactory(name="armed conflict", slug="armed-conflict", parent=parent)
    ArticleCategoryFactory(category=child, article=ArticleFactory(headline="Ceasefire holds"))
    body = client.get(reverse("web:category", args=[parent.slug])).content.decode()
    assert "Ceasefire holds" in body
    assert "armed conflict" in body


def test_category_page_empty_state(client):
    CategoryFactory(name="weather", slug="weather")
    body = client.get(reverse("web:category", args=["weather"])).content.decode()
    assert "No articles in weather yet" in body


def test_unknown_category_is_404_with_plain_words(client):
    response = client.get(reverse("web:category", args=["no-such-thing"]))
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_topic_page_lists_its_articles(client):
    topic = TopicFactory(name="Gaza")
    ArticleTopicFactory(topic=topic, article=ArticleFactory(headline="Aid convoy arrives"))
    body = client.get(reverse("web:topic", args=[topic.slug])).content.decode()
    assert "Aid convoy arrives" in body


def test_topic_page_empty_state(client):
    topic = TopicFactory(name="Lisbon")
    body = client.get(reverse("web:topic", args=[topic.slug])).content.decode()
    assert "No articles about Lisbon yet" in body


def test_unknown_topic_is_404(client):
    assert client.get(reverse("web:topic", args=["nobody"])).status_code == 404


def test_source_page_shows_health_in_plain_words(client):
    source = SourceFactory(name="Daily Planet", last_error="The server answered 503 three times", last_status=503)
    body = client.get(reverse("web:source", args=[source.slug])).content.decode()
    assert "The server answered 503 three times" in body
    assert "HTTP 503" in body
    assert "failing" in body


def test_source_page_shows_paused_reason(client):
    source = SourceFactory(name="Quiet Times", paused_reason="Feed gone for 30 days")
    body = client.get(reverse("web:source", args=[source.slug])).content.decode()
    assert "Feed gone for 30 days" in body


def test_source_page_empty_state(client):
    source = SourceFactory(name="Brand New")
    body = client.get(reverse("web:source", args=[source.slug])).content.decode()
    assert "No articles from Brand New yet" in body


def test_unknown_source_is_404(client):
    assert client.get(reverse("web:source", args=["nowhere"])).status_code == 404


def test_sources_page_lists_sources(client):
    SourceFactory(name="Evening Post")
    body = client.get(reverse("web:sources")).content.decode()
    assert "Evening Post" in body
    assert "Add a source" in body


def test_sources_page_empty_state(client):
    assert "No sources yet" in client.get(reverse("web:sources")).content.decode()


def test_article_page_shows_body_image_credit_and_original_link(client):
    article = ArticleFactory(
        headline="Bridge opens",
        standfirst="A long wait ends.",
        body_text="First paragraph.\n\nSecond paragraph.",
        image_url="https://img.example.org/bridge.jpg",
        image_caption="The new bridge at dawn",
        image_credit="Photo: J. Doe",
        author="Sam Writer",
    )
    body = client.get(article.get_absolute_url()).content.decode()
    for text in (
        "Bridge opens",
        "A long wait ends.",
        "<p>First paragraph.</p>",
        "<p>Second paragraph.</p>",
        "The new bridge at dawn",
        "Photo: J. Doe",
        "By Sam Writer",
        article.url,
    ):
        assert text in body


def test_article_page_shows_caption_without_image(client):
    article = ArticleFactory(image_url="", image_caption="Protesters in the square", image_credit="AP")
    body = client.get(article.get_absolute_url()).content.decode()
    assert "Protesters in the square" in body
    assert "<img" not in body


def test_article_page_shows_category_and_topic_chips(client):
    article = ArticleFactory()
    ArticleCategoryFactory(article=article, category=CategoryFactory(name="politics", slug="politics"))
    ArticleTopicFactory(article=article, topic=TopicFactory(name="Ankara"))
    body = client.get(article.get_absolute_url()).content.decode()
    assert 'aria-label="Follow politics"' in body
    assert 'aria-label="Follow Ankara"' in body


def test_unknown_article_is_404(client):
    assert client.get(reverse("web:article", args=[999999])).status_code == 404


def test_search_finds_article_by_headline_word(client):
    ArticleFactory(headline="Volcano erupts near village", body_text="Lava reached the road.")
    ArticleFactory(headline="Market closes higher", body_text="Shares rose.")
    body = client.get(reverse("web:search"), {"q": "volcano"}).content.decode()
    assert "Volcano erupts near village" in body
    assert "Market closes higher" not in body


def test_search_without_query_explains_itself(client):
    body = client.get(reverse("web:search")).content.decode()
    assert "Search the news" in body


def test_search_without_results_says_so(client):
    ArticleFactory(headline="Market closes higher")
    body = client.get(reverse("web:search"), {"q": "zeppelin"}).content.decode()
    assert "No articles match" in body


def test_server_error_page_renders_without_context():
    from django.template.loader import render_to_string

    body = render_to_string("500.html")
    assert "Something went wrong" in body
    assert 'href="/"' in body


def test_unsure_category_is_not_shown_as_chip(client):
    article = ArticleFactory()
    ArticleCategoryFactory(article=article, category=CategoryFactory(name="war", slug="war"), score=0.9)
    ArticleCategoryFactory(article=article, category=CategoryFactory(name="politics", slug="politics"), score=0.05)
    body = client.get(article.get_absolute_url()).content.decode()
    assert 'aria-label="Follow war"' in body
    assert 'aria-label="Follow politics"' not in body


def test_favicon_is_served_not_404(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith(".svg")
    page = client.get("/").content.decode()
    assert 'rel="icon"' in page
