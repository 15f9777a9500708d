"""An editor merges stories and moves articles in the admin; every change goes through stories/editing.py."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.accounts.newsroom import editor
from tests.stories.helpers import story_of
from tidings.stories.editing import merge_stories
from tidings.stories.models import ArticleStory, Story

pytestmark = pytest.mark.django_db


@pytest.fixture
def ed_client(client):
    client.force_login(editor())
    return client


@pytest.fixture
def stories():
    strike, strike_articles = story_of(
        ("Harbour Herald", "Dunmore rail strike ends", 6),
        ("Dunmore Courier", "Rail strike over in Dunmore", 2),
        ("Evening Post", "Strikers back at work", 1),
    )
    bridge, bridge_articles = story_of(("Evening Post", "Bridge reopens after repairs", 9))
    return strike, strike_articles, bridge, bridge_articles


def count(story: Story) -> int:
    return Story.objects.get(pk=story.pk).article_count


def inline_post(story: Story, changes: dict[int, dict[str, str]]) -> dict[str, object]:
    """The story page's form as the browser sends it, with `changes` for the rows at those positions."""
    links = list(ArticleStory.objects.filter(story=story).order_by("article__published_at"))
    data: dict[str, object] = {
        "article_links-TOTAL_FORMS": len(links),
        "article_links-INITIAL_FORMS": len(links),
        "article_links-MIN_NUM_FORMS": 0,
        "article_links-MAX_NUM_FORMS": 1000,
    }
    for i, link in enumerate(links):
        data[f"article_links-{i}-id"] = link.pk
        data[f"article_links-{i}-story"] = story.pk
        data.update({f"article_links-{i}-{name}": value for name, value in changes.get(i, {}).items()})
    return data


def test_editor_merges_two_stories_into_the_chosen_one(ed_client, stories):
    strike, _, bridge, _ = stories
    response = ed_client.post(
        reverse("admin:stories_story_changelist"),
        {"action": "merge_selected", "_selected_action": [strike.pk, bridge.pk], "into": strike.pk},
        follow=True,
    )
    assert f"Merged into story {strike.pk}" in response.content.decode()
    assert count(strike) == 4 and Story.objects.get(pk=bridge.pk).merged_into_id == strike.pk


def test_story_page_moves_one_article_to_another_story_and_one_out(ed_client, stories):
    strike, strike_articles, bridge, _ = stories
    data = inline_post(strike, {0: {"move_to": str(bridge.pk)}, 2: {"out_to_new_story": "on"}})
    response = ed_client.post(reverse("admin:stories_story_change", args=[strike.pk]), data, follow=True)
    assert response.status_code == 200
    assert "Moved article" in response.content.decode()
    assert count(strike) == 1 and count(bridge) == 2
    alone = ArticleStory.objects.get(article=strike_articles[2]).story
    assert alone.pk not in {strike.pk, bridge.pk} and alone.article_count == 1


def test_story_page_refuses_both_a_story_and_a_new_one_for_one_article(ed_client, stories):
    strike, _, bridge, _ = stories
    data = inline_post(strike, {1: {"move_to": str(bridge.pk), "out_to_new_story": "on"}})
    response = ed_client.post(reverse("admin:stories_story_change", args=[strike.pk]), data)
    assert response.status_code == 200  # the form again, with the error
    assert "not both" in response.content.decode()
    assert count(strike) == 3 and count(bridge) == 1


def test_list_action_moves_the_ticked_articles_out_each_to_a_story(ed_client, stories):
    strike, strike_articles, _, _ = stories
    links = ArticleStory.objects.filter(article__in=strike_articles[:2])
    before = Story.objects.count()
    response = ed_client.post(
        reverse("admin:stories_articlestory_changelist"),
        {"action": "move_out_selected", "_selected_action": [link.pk for link in links]},
        follow=True,
    )
    assert "Each in a story of its own" in response.content.decode()
    assert Story.objects.count() == before + 2 and count(strike) == 1


def test_list_action_moves_the_ticked_articles_to_the_chosen_story(ed_client, stories):
    strike, strike_articles, bridge, _ = stories
    link = ArticleStory.objects.get(article=strike_articles[1])
    ed_client.post(
        reverse("admin:stories_articlestory_changelist"),
        {"action": "move_selected", "_selected_action": [link.pk], "to_story": bridge.pk},
    )
    assert count(strike) == 2 and count(bridge) == 2


def test_story_chooser_offers_live_stories_by_headline_only(ed_client, stories):
    _strike, _, bridge, _ = stories
    old, _ = story_of(("Harbour Herald", "Bridge closed for repairs", 30))
    merge_stories(bridge.pk, [old.pk])
    response = ed_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "stories", "model_name": "articlestory", "field_name": "story", "term": "bridge"},
    )
    ids = {int(result["id"]) for result in response.json()["results"]}
    assert ids == {bridge.pk}  # not the merged one, not the strike


def test_editor_cannot_delete_a_story(ed_client, stories):
    strike, _, _, _ = stories
    assert ed_client.get(reverse("admin:stories_story_delete", args=[strike.pk])).status_code == 403
