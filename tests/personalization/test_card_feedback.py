"""More like this, less like this, hide this story, and undo: what each stores."""

from __future__ import annotations

import pytest

from tests.articles.factories import ArticleFactory
from tests.personalization.factories import ProfileFactory
from tests.stories.helpers import story_of
from tests.taxonomy.factories import ArticleTopicFactory, TopicFactory
from tidings.lib.errors import InvalidInput
from tidings.personalization.card_feedback import give_feedback, undo_feedback
from tidings.personalization.models import ArticleState, HiddenStory, Interaction, Interest

pytestmark = pytest.mark.django_db


def topic_score(profile, topic):
    row = Interest.objects.filter(profile=profile, kind="topic", target_id=topic.pk).first()
    return row.score if row else None


@pytest.mark.parametrize(("kind", "sign"), [("more", 1), ("less", -1)])
def test_more_and_less_log_an_interaction_and_move_the_learned_interest(kind, sign):
    profile = ProfileFactory()
    topic = TopicFactory(name="Harbour")
    article = ArticleFactory()
    ArticleTopicFactory(article=article, topic=topic)
    result = give_feedback(profile, article, kind)
    assert list(Interaction.objects.values_list("profile_id", "article_id", "kind")) == [(profile.pk, article.pk, kind)]
    score = topic_score(profile, topic)
    assert score is not None and score * sign > 0
    assert "like this" in result.message
    assert not HiddenStory.objects.exists() and not ArticleState.objects.exists()


def test_hide_stores_the_story_and_undo_lifts_it():
    profile = ProfileFactory()
    story, (article, _other) = story_of(("Gazette", "Council votes", 1), ("Herald", "Council votes again", 2))
    result = give_feedback(profile, article, "hide")
    assert result.story_id == story.pk
    assert list(HiddenStory.objects.values_list("profile_id", "story_id")) == [(profile.pk, story.pk)]
    assert Interaction.objects.get().kind == "hide"
    undo_feedback(profile, article, "hide")
    assert not HiddenStory.objects.exists()
    assert not Interaction.objects.exists()


def test_hide_of_an_article_without_story_sets_its_hidden_state():
    profile = ProfileFactory()
    article = ArticleFactory()
    give_feedback(profile, article, "hide")
    assert not HiddenStory.objects.exists()
    state = ArticleState.objects.get(profile=profile, article=article)
    assert state.hidden_at is not None
    undo_feedback(profile, article, "hide")
    state.refresh_from_db()
    assert state.hidden_at is None


def test_undo_less_removes_only_the_newest_less_and_relearns():
    profile = ProfileFactory()
    topic = TopicFactory(name="Harbour")
    article = ArticleFactory()
    ArticleTopicFactory(article=article, topic=topic)
    give_feedback(profile, article, "more")
    give_feedback(profile, article, "less")
    undo_feedback(profile, article, "less")
    assert list(Interaction.objects.values_list("kind", flat=True)) == ["more"]
    assert topic_score(profile, topic) > 0


def test_unknown_feedback_is_invalid_input_and_stores_nothing():
    profile = ProfileFactory()
    with pytest.raises(InvalidInput, match="unknown feedback 'love'"):
        give_feedback(profile, ArticleFactory(), "love")
    assert not Interaction.objects.exists()
