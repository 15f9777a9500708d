"""'Also published by': the other outlets of a near-duplicate group, on the article page and in the API."""

from __future__ import annotations

import pytest

from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    """A canonical article by the Harbour Herald and two near-duplicates by other outlets."""
    canonical = ArticleFactory(source=SourceFactory(name="Harbour Herald"), headline="Dredging plan approved")
    copy = ArticleFactory(
        source=SourceFactory(name="Valley Courier"), headline="Update: Dredging plan approved", duplicate_of=canonical
    )
    other = ArticleFactory(
        source=SourceFactory(name="Coast Ledger"), headline="Dredging plan approved (report)", duplicate_of=canonical
    )
    return canonical, copy, other


def test_canonical_page_lists_the_duplicates_sources(client, group):
    canonical, copy, other = group
    body = client.get(canonical.get_absolute_url()).content.decode()
    assert "Also published by" in body
    assert "Valley Courier" in body and "Coast Ledger" in body
    assert copy.get_absolute_url() in body and other.get_absolute_url() in body


def test_duplicate_page_links_the_canonical_article(client, group):
    canonical, copy, _other = group
    body = client.get(copy.get_absolute_url()).content.decode()
    assert "This is a copy of" in body
    assert f'href="{canonical.get_absolute_url()}"' in body
    assert "first published by Harbour Herald" in body


def test_duplicate_page_lists_the_canonical_and_the_other_copy_not_itself(client, group):
    canonical, copy, other = group
    body = client.get(copy.get_absolute_url()).content.decode()
    section = body.split("Also published by", 1)[1]
    assert canonical.get_absolute_url() in section
    assert other.get_absolute_url() in section
    assert copy.get_absolute_url() not in section


def test_article_without_duplicates_has_no_section(client):
    article = ArticleFactory(headline="Lone report")
    body = client.get(article.get_absolute_url()).content.decode()
    assert "Also published by" not in body


def test_api_detail_lists_also_published_by_canonical_first(client, group):
    canonical, copy, other = group
    body = client.get(f"/api/articles/{other.pk}").json()
    assert body["duplicate_of"] == canonical.pk
    assert [(a["id"], a["canonical"]) for a in body["also_published_by"]] == [(canonical.pk, True), (copy.pk, False)]
    assert body["also_published_by"][0]["source"]["name"] == "Harbour Herald"


def test_api_detail_of_a_lone_article_has_empty_also_published_by(client):
    article = ArticleFactory()
    body = client.get(f"/api/articles/{article.pk}").json()
    assert (body["duplicate_of"], body["also_published_by"]) == (None, [])
