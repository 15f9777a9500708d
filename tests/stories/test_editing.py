"""Editors move articles and merge stories (stories/editing.py, through the admin too); counts stay right."""

from __future__ import annotations

import pytest
from django.db.models import Max

from tests.articles.factories import ArticleFactory
from tests.stories.helpers import story_of
from tidings.lib.errors import InvalidInput
from tidings.stories.editing import kept_story, merge_stories, move_article, move_to_new_story
from tidings.stories.models import ArticleStory, Story

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_stories():
    strike, strike_articles = story_of(
        ("Harbour Herald", "Dunmore rail strike ends", 6),
        ("Dunmore Courier", "Rail strike over in Dunmore", 2),
    )
    bridge, bridge_articles = story_of(
        ("Evening Post", "Bridge reopens after repairs", 9),
        ("Harbour Herald", "Harbour bridge open again", 1),
    )
    return strike, strike_articles, bridge, bridge_articles


def reload(story: Story) -> Story:
    return Story.objects.get(pk=story.pk)


def test_moving_an_article_recounts_both_stories(two_stories):
    strike, _strike_articles, bridge, bridge_articles = two_stories
    move_article(bridge_articles[0].pk, strike.pk)
    strike, bridge = reload(strike), reload(bridge)
    assert strike.article_count == 3 and bridge.article_count == 1
    assert strike.first_published_at == bridge_articles[0].published_at
    assert strike.headline == "Bridge reopens after repairs"  # the earliest article's, as everywhere
    assert bridge.first_published_at == bridge.last_published_at == bridge_articles[1].published_at
    assert bridge.headline == "Harbour bridge open again"


def test_moving_the_last_article_leaves_an_empty_story(two_stories):
    strike, _strike_articles, _bridge, _ = two_stories
    lone, [article] = story_of(("Evening Post", "A lone report", 3))
    move_article(article.pk, strike.pk)
    lone = reload(lone)
    assert lone.article_count == 0 and lone.first_published_at is None
    assert reload(strike).article_count == 3


def test_a_moved_link_is_a_new_row_so_workers_refill_their_index(two_stories):
    strike, _, _, bridge_articles = two_stories
    newest = ArticleStory.objects.aggregate(n=Max("id"))["n"]
    move_article(bridge_articles[1].pk, strike.pk)
    assert ArticleStory.objects.get(article=bridge_articles[1]).pk > newest


def test_moving_into_a_merged_story_lands_in_the_kept_one(two_stories):
    strike, _, bridge, _ = two_stories
    merge_stories(strike.pk, [bridge.pk])
    loose = ArticleFactory()
    assert move_article(loose.pk, bridge.pk).pk == strike.pk
    assert reload(strike).article_count == 5


def test_merge_moves_articles_and_points_the_merged_story_at_the_kept_one(two_stories):
    strike, _strike_articles, bridge, bridge_articles = two_stories
    kept = merge_stories(strike.pk, [bridge.pk])
    assert kept.pk == strike.pk and kept.article_count == 4
    assert kept.first_published_at == bridge_articles[0].published_at
    assert kept.last_published_at == bridge_articles[1].published_at
    bridge = reload(bridge)
    assert bridge.merged_into_id == strike.pk and bridge.article_count == 0
    assert set(ArticleStory.objects.values_list("story_id", flat=True)) == {strike.pk}


def test_merge_repoints_stories_merged_earlier(two_stories):
    strike, _, bridge, _ = two_stories
    older, _ = story_of(("Evening Post", "Earlier coverage", 20))
    merge_stories(bridge.pk, [older.pk])
    merge_stories(strike.pk, [bridge.pk])
    assert reload(older).merged_into_id == strike.pk
    assert kept_story(reload(older)).pk == strike.pk


@pytest.mark.parametrize(
    ("kept", "others", "message"),
    [(987654, [1], "no story 987654"), (None, [987654], "no story 987654"), (None, [], "at least two different")],
)
def test_bad_merges_say_why(two_stories, kept, others, message):
    strike = two_stories[0]
    with pytest.raises(InvalidInput, match=message):
        merge_stories(kept or strike.pk, others)


def test_bad_moves_say_why(two_stories):
    strike, strike_articles, _, _ = two_stories
    with pytest.raises(InvalidInput, match="no story 987654"):
        move_article(strike_articles[0].pk, 987654)
    with pytest.raises(InvalidInput, match="no article 987654"):
        move_article(987654, strike.pk)


# The admin (stories/admin.py) goes through the same functions.


def test_admin_lists_stories_with_counts(admin_client, two_stories):
    response = admin_client.get("/admin/stories/story/")
    assert response.status_code == 200
    assert "Dunmore rail strike ends" in response.content.decode()
    assert admin_client.get(f"/admin/stories/story/{two_stories[0].pk}/change/").status_code == 200


def test_admin_merge_action_keeps_the_first_reported_story(admin_client, two_stories):
    strike, _, bridge, _ = two_stories
    response = admin_client.post(
        "/admin/stories/story/",
        {"action": "merge_selected", "_selected_action": [strike.pk, bridge.pk], "into": ""},
        follow=True,
    )
    assert f"Merged into story {bridge.pk}" in response.content.decode()  # bridge was reported 9 hours ago
    assert reload(bridge).article_count == 4 and reload(strike).merged_into_id == bridge.pk


def test_admin_move_action_and_change_form_move_articles(admin_client, two_stories):
    strike, strike_articles, bridge, bridge_articles = two_stories
    link = ArticleStory.objects.get(article=bridge_articles[0])
    admin_client.post(
        "/admin/stories/articlestory/",
        {"action": "move_selected", "_selected_action": [link.pk], "to_story": strike.pk},
    )
    assert reload(strike).article_count == 3 and reload(bridge).article_count == 1
    link = ArticleStory.objects.get(article=strike_articles[0])
    response = admin_client.post(
        f"/admin/stories/articlestory/{link.pk}/change/", {"story": bridge.pk, "article": strike_articles[0].pk}
    )
    assert response.status_code == 302
    assert reload(strike).article_count == 2 and reload(bridge).article_count == 2


def test_moving_an_article_out_makes_a_story_of_its_own(two_stories):
    strike, strike_articles, _, _ = two_stories
    new = move_to_new_story(strike_articles[0].pk)
    assert new.pk != strike.pk and new.article_count == 1 and new.headline == "Dunmore rail strike ends"
    assert ArticleStory.objects.get(article=strike_articles[0]).story_id == new.pk
    strike = reload(strike)
    assert strike.article_count == 1 and strike.headline == "Rail strike over in Dunmore"


def test_an_article_alone_in_its_story_stays_there(two_stories):
    lone, [article] = story_of(("Evening Post", "A lone report", 3))
    before = Story.objects.count()
    assert move_to_new_story(article.pk).pk == lone.pk
    assert Story.objects.count() == before


def test_an_article_in_no_story_gets_one_and_an_unknown_one_is_refused():
    loose = ArticleFactory(headline="Loose report")
    assert move_to_new_story(loose.pk).headline == "Loose report"
    with pytest.raises(InvalidInput, match="no article 999999"):
        move_to_new_story(999999)
