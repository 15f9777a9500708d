"""Every admin page an editor may open loads, with a number of queries that does not grow with the rows shown.

The models are read from the admin's registry, so a newly registered model is checked too; the test fails if
the editor can no longer open one of the pages the Editors group is meant for.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.accounts.newsroom import editor, newsroom
from tidings.accounts.models import ApiToken
from tidings.personalization.models import Follow, Profile
from tidings.stories.models import ArticleStory, Story
from tidings.taxonomy.models import Alias, ArticleTopic, Topic

pytestmark = pytest.mark.django_db

# What editors open (app label, model); anything else registered (groups, sign-in attempts, task results) is
# for superusers.
EDITOR_MODELS = {
    ("articles", "article"),
    ("auth", "user"),
    ("enrichment", "stageresult"),
    ("sources", "opmlimport"),
    ("sources", "source"),
    ("stories", "articlestory"),
    ("stories", "story"),
    ("taxonomy", "articlecategory"),
    ("taxonomy", "articletopic"),
    ("taxonomy", "category"),
    ("taxonomy", "topic"),
}
# A page's queries: session, user, permissions, the rows, counts, filters' choices. Well under this, whatever
# the number of rows.
MAX_QUERIES = 25


def registered() -> list[tuple[str, str]]:
    return sorted((model._meta.app_label, model._meta.model_name) for model in admin.site._registry)


def editor_client() -> Client:
    client = Client()
    client.force_login(editor())
    return client


def queries(client: Client, url: str) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return len(captured), response


def test_the_editor_models_are_the_tidings_models_and_users():
    # the periodic jobs' leases (ops) are for superusers, as groups are
    assert {(app, model) for app, model in registered() if app in {"auth", *_tidings_apps()}} - {
        ("auth", "group"),
        ("ops", "periodiclease"),
    } == EDITOR_MODELS


def _tidings_apps() -> set[str]:
    return {model._meta.app_label for model in admin.site._registry if model.__module__.startswith("tidings.")}


@pytest.mark.parametrize(("app", "model"), sorted(EDITOR_MODELS))
def test_editor_opens_the_list_and_a_change_page(app, model):
    newsroom(2)
    client = editor_client()
    count, response = queries(client, reverse(f"admin:{app}_{model}_changelist"))
    assert response.status_code == 200, response.content[:500]
    assert count <= MAX_QUERIES
    first = response.context["cl"].result_list[0]
    count, response = queries(client, reverse(f"admin:{app}_{model}_change", args=[first.pk]))
    assert response.status_code == 200
    assert count <= MAX_QUERIES


@pytest.mark.parametrize(("app", "model"), sorted(EDITOR_MODELS))
def test_list_queries_do_not_grow_with_the_rows(app, model):
    room = newsroom(1)
    client = editor_client()
    url = reverse(f"admin:{app}_{model}_changelist")
    client.get(url)  # content types and the like, cached after the first page
    before, first = queries(client, url)
    for _ in range(3):
        room.add_batch()
    after, second = queries(client, url)
    assert len(second.context["cl"].result_list) > len(first.context["cl"].result_list)
    assert after == before


def test_change_page_queries_do_not_grow_with_the_inline_rows():
    """A story's articles, a topic's aliases, an article's topics, a reader's follows and tokens."""
    room = newsroom(1)
    client = editor_client()
    story, topic = Story.objects.get(), Topic.objects.filter(aliases__isnull=False).get()
    article = ArticleStory.objects.filter(story=story).first().article
    reader = Profile.objects.get().user
    pages = [
        reverse("admin:stories_story_change", args=[story.pk]),
        reverse("admin:taxonomy_topic_change", args=[topic.pk]),
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:auth_user_change", args=[reader.pk]),
    ]
    for url in pages:
        client.get(url)
    before = [queries(client, url)[0] for url in pages]

    room.add_batch()
    for link in ArticleStory.objects.exclude(story=story):
        link.story = story
        link.save()
    for n in range(3):
        Alias.objects.create(topic=topic, name=f"Board {n}", key=f"board {n}")
        ArticleTopic.objects.create(article=article, topic=Topic.objects.create(name=f"T {n}", kind="keyword"), score=1)
        ApiToken.issue(reader)
        Follow.objects.create(profile=reader.profile, topic=Topic.objects.get(name=f"T {n}"))
    after = [queries(client, url)[0] for url in pages]
    assert after == before


@pytest.mark.parametrize(
    "url",
    [
        "/admin/auth/group/",
        "/admin/axes/accessattempt/",
        "/admin/django_tasks_database/dbtaskresult/",
        "/admin/ops/periodiclease/",
    ],
)
def test_editor_does_not_open_what_is_for_superusers(url):
    assert editor_client().get(url).status_code == 403


def test_superuser_opens_every_registered_list(admin_client):
    newsroom(1)
    for app, model in registered():
        assert admin_client.get(reverse(f"admin:{app}_{model}_changelist")).status_code == 200, (app, model)
