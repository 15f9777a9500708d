"""Editors link an article to a topic enrichment missed, and remove a wrong one, on the article's admin page; the
article's text is read-only there (enrichment's offsets point into it)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.accounts.newsroom import editor
from tests.articles.factories import ArticleFactory
from tests.taxonomy.factories import ArticleTopicFactory, TopicFactory
from tidings.taxonomy.models import ArticleListing, ArticleTopic, Origin

pytestmark = pytest.mark.django_db


@pytest.fixture
def ed_client(client):
    client.force_login(editor())
    return client


def page_data(client, url: str) -> dict[str, Any]:
    """The change form as the browser sends it back unchanged, without the blank extra rows."""
    response = client.get(url)
    assert response.status_code == 200
    data: dict[str, Any] = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({f"{formset.prefix}-{k}": v for k, v in formset.management_form.initial.items()})
        data[f"{formset.prefix}-TOTAL_FORMS"] = len(formset.initial_forms)  # no blank extra rows
        for form in formset.initial_forms:
            data[f"{form.prefix}-id"] = form.instance.pk
            data[f"{form.prefix}-article"] = form.instance.article_id
            for name, field in form.fields.items():
                if name not in {"id", "article", "DELETE"} and (value := form.initial.get(name)) is not None:
                    data[f"{form.prefix}-{name}"] = value
    return data


def prefix_of(client, url: str, verbose: str) -> str:
    inlines = client.get(url).context["inline_admin_formsets"]
    return next(i.formset.prefix for i in inlines if i.opts.verbose_name_plural == verbose)


def test_editor_adds_a_topic_and_removes_a_wrong_one(ed_client):
    article = ArticleFactory(headline="Harbour board meets")
    wrong = ArticleTopicFactory(article=article, topic=TopicFactory(name="Harbour Lights"))
    missed = TopicFactory(name="Harbour Board")
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = page_data(ed_client, url)
    add, listed = prefix_of(ed_client, url, "add topics"), prefix_of(ed_client, url, "topics")
    data |= {f"{add}-TOTAL_FORMS": 1, f"{add}-0-topic": missed.pk, f"{add}-0-article": article.pk}
    data[f"{listed}-0-DELETE"] = "on"
    response = ed_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    [link] = ArticleTopic.objects.filter(article=article)
    assert (link.topic_id, link.origin, link.score) == (missed.pk, Origin.EDITOR, 1.0)
    assert not ArticleTopic.objects.filter(pk=wrong.pk).exists()
    # The listing that topic pages read follows (taxonomy.listing, through the link's save and delete).
    assert set(ArticleListing.objects.filter(article=article, kind="topic").values_list("target_id", flat=True)) == {
        missed.pk
    }


def test_adding_a_topic_the_article_already_has_is_refused(ed_client):
    article = ArticleFactory()
    present = ArticleTopicFactory(article=article).topic
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = page_data(ed_client, url)
    add = prefix_of(ed_client, url, "add topics")
    data |= {f"{add}-TOTAL_FORMS": 1, f"{add}-0-topic": present.pk, f"{add}-0-article": article.pk}
    response = ed_client.post(url, data)
    assert response.status_code == 200
    assert f"The article is already linked to {present.name!r}" in response.content.decode().replace("&#x27;", "'")
    assert ArticleTopic.objects.filter(article=article).count() == 1


def test_the_article_text_cannot_be_changed_in_the_admin(ed_client):
    article = ArticleFactory(headline="Original headline", body_text="Original body.")
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = page_data(ed_client, url) | {"headline": "Changed", "body_text": "<script>x</script>"}
    assert ed_client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert (article.headline, article.body_text) == ("Original headline", "Original body.")
