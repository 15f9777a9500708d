"""The reader's explicit controls in services: which state a click leads to, weights, and merging a visitor's profile."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.personalization.factories import ProfileFactory
from tests.sources.factories import SourceFactory
from tests.stories.helpers import story_of
from tests.taxonomy.factories import ArticleTopicFactory, CategoryFactory, TopicFactory
from tidings.lib.errors import InvalidInput
from tidings.personalization.learning import record
from tidings.personalization.models import (
    ArticleState,
    Follow,
    HiddenStory,
    Interaction,
    Interest,
    Profile,
    Weight,
)
from tidings.personalization.services import (
    apply_control,
    change_message,
    follow_state,
    merge_profiles,
    next_state,
    parse_weight,
    set_follow,
    set_weight,
)


@pytest.mark.parametrize(
    ("control", "before", "after"),
    [
        ("chip", None, "follow"),
        ("chip", "follow", None),
        ("chip", "mute", None),  # a muted star shows the mute and undoes it; it never follows silently
        ("follow", None, "follow"),
        ("follow", "follow", None),
        ("follow", "mute", "follow"),  # only the Follow button replaces a mute
        ("mute", None, "mute"),
        ("mute", "follow", "mute"),
        ("mute", "mute", None),
    ],
)
def test_next_state_by_control(control, before, after):
    assert next_state(control, before) == after


def test_unknown_control_is_invalid_input():
    with pytest.raises(InvalidInput, match="unknown control 'adore'"):
        next_state("adore", None)


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        (None, "follow", "Following Gaza."),
        ("mute", "follow", "Following Gaza; no longer muted."),
        ("follow", "mute", "Muted Gaza; no longer following."),
        (None, "mute", "Muted Gaza."),
        ("mute", None, "Unmuted Gaza."),
        ("follow", None, "No longer following Gaza."),
    ],
)
def test_change_message_names_a_replaced_choice(before, after, message):
    assert change_message("Gaza", before, after) == message


@pytest.mark.django_db
def test_chip_on_muted_target_unmutes_instead_of_following():
    profile = ProfileFactory()
    topic = TopicFactory(name="Gaza")
    set_follow(profile, topic, "mute")
    assert apply_control(profile, topic, "chip") == ("mute", None)
    assert not Follow.objects.exists()


@pytest.mark.django_db
def test_follow_button_on_muted_target_replaces_the_mute():
    profile = ProfileFactory()
    topic = TopicFactory(name="Gaza")
    set_follow(profile, topic, "mute")
    assert apply_control(profile, topic, "follow") == ("mute", "follow")
    assert list(Follow.objects.values_list("action", "topic_id")) == [("follow", topic.pk)]


@pytest.mark.parametrize(("given", "value"), [("more", 1), ("LESS", -1), (" normal ", 0), (1, 1), ("-1", -1), (0, 0)])
def test_parse_weight(given, value):
    assert parse_weight(given) == value


@pytest.mark.parametrize("given", ["lots", "2", "", "1.0"])
def test_parse_weight_refuses_other_values(given):
    with pytest.raises(InvalidInput, match="unknown weight"):
        parse_weight(given)


@pytest.mark.django_db
def test_set_weight_on_a_follow():
    profile = ProfileFactory()
    source = SourceFactory(name="Gazette")
    set_follow(profile, source)
    set_weight(profile, source, "more")
    assert Follow.objects.get().weight == Weight.MORE


@pytest.mark.django_db
def test_set_weight_refuses_a_mute_and_a_target_not_followed():
    profile = ProfileFactory()
    muted, other = SourceFactory(name="Muted"), SourceFactory(name="Other")
    set_follow(profile, muted, "mute")
    for target in (muted, other):
        with pytest.raises(InvalidInput, match="you do not follow"):
            set_weight(profile, target, "less")
    assert list(Follow.objects.values_list("weight", flat=True)) == [0]


@pytest.mark.django_db
def test_merge_moves_weights_states_hidden_stories_and_interactions_account_choice_wins():
    visitor = Profile.objects.create(session_key="visitor", onboarded_at=timezone.now())
    account = ProfileFactory()
    kept, moved = TopicFactory(name="Kept"), TopicFactory(name="Moved")
    category = CategoryFactory(name="politics")
    set_follow(account, kept, "mute")  # the account's own choice
    set_follow(visitor, kept)
    set_follow(visitor, moved)
    set_weight(visitor, moved, "more")
    set_follow(visitor, category)
    set_weight(visitor, category, "less")
    story_a, (article_a,) = story_of(("Gazette", "Council votes", 1))
    story_b, (article_b,) = story_of(("Herald", "Port reopens", 2))
    HiddenStory.objects.create(profile=visitor, story=story_a)
    HiddenStory.objects.create(profile=visitor, story=story_b)
    HiddenStory.objects.create(profile=account, story=story_b)
    now = timezone.now()
    ArticleState.objects.create(profile=visitor, article=article_a, saved_at=now)
    ArticleState.objects.create(profile=visitor, article=article_b, read_at=now)
    ArticleState.objects.create(profile=account, article=article_b, hidden_at=now)
    ArticleTopicFactory(article=article_a, topic=moved)
    record(visitor, "more", article=article_a, now=now - timedelta(hours=1))

    assert merge_profiles(visitor, account) == 2

    assert not Profile.objects.filter(pk=visitor.pk).exists()
    follows = {(f.target.name, f.action, f.weight) for f in Follow.objects.filter(profile=account)}
    assert follows == {("Kept", "mute", 0), ("Moved", "follow", 1), ("politics", "follow", -1)}
    assert set(HiddenStory.objects.values_list("profile_id", "story_id")) == {
        (account.pk, story_a.pk),
        (account.pk, story_b.pk),
    }
    states = {(s.article_id, bool(s.saved_at), bool(s.read_at), bool(s.hidden_at)) for s in ArticleState.objects.all()}
    assert states == {(article_a.pk, True, False, False), (article_b.pk, False, False, True)}
    assert list(Interaction.objects.values_list("profile_id", "kind")) == [(account.pk, "more")]
    assert Interest.objects.filter(profile=account, kind="topic", target_id=moved.pk, score__gt=0).exists()
    account.refresh_from_db()
    assert account.onboarded_at is not None
    assert follow_state(account, kept) == "mute"


@pytest.mark.django_db
def test_changing_follow_to_mute_resets_the_weight():
    profile = ProfileFactory()
    topic = TopicFactory(name="Gaza")
    set_follow(profile, topic)
    set_weight(profile, topic, "more")
    apply_control(profile, topic, "mute")
    apply_control(profile, topic, "follow")
    assert list(Follow.objects.values_list("action", "weight")) == [("follow", 0)]
