"""The reader's controls in the pages: mute beside follow, card feedback, My interests and the first-visit picker."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory
from tests.stories.helpers import story_of
from tests.taxonomy.factories import ArticleCategoryFactory, ArticleTopicFactory, CategoryFactory, TopicFactory
from tidings.personalization.models import Follow, HiddenStory, Interaction, Profile
from tidings.personalization.services import profile_for_user, set_follow
from tidings.stories.models import Claim

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def follow_url(kind, target):
    return reverse("web:follow", args=[kind, target.pk])


def stored(client):
    profile = Profile.objects.get(pk=client.session["profile_id"])
    return {(f.action, f.target.name, f.weight) for f in Follow.objects.filter(profile=profile)}


def test_topic_page_has_follow_and_mute_toggles(client):
    topic = TopicFactory(name="Gaza", slug="gaza")
    body = client.get(topic.get_absolute_url()).content.decode()
    assert 'aria-label="Follow Gaza"' in body
    assert 'aria-label="Mute Gaza"' in body
    assert body.count(f'data-follow-key="topic-{topic.pk}"') == 1


def test_mute_then_follow_from_heading_replaces_mute_and_says_so(client):
    topic = TopicFactory(name="Gaza", slug="gaza")
    response = client.post(follow_url("topic", topic), {"control": "mute", "variant": "heading"}, **HTMX)
    event = json.loads(response["HX-Trigger"])["tidings:follow"]
    assert event == {"key": f"topic-{topic.pk}", "state": "mute", "message": "Muted Gaza."}
    assert 'data-state="mute"' in response.content.decode()
    response = client.post(follow_url("topic", topic), {"control": "follow", "variant": "heading"}, **HTMX)
    event = json.loads(response["HX-Trigger"])["tidings:follow"]
    assert event["state"] == "follow"
    assert event["message"] == "Following Gaza; no longer muted."
    assert stored(client) == {("follow", "Gaza", 0)}


def test_star_on_a_muted_target_shows_unmute_and_unmutes(client):
    topic = TopicFactory(name="Gaza", slug="gaza")
    client.post(follow_url("topic", topic), {"control": "mute"}, **HTMX)
    body = client.get(reverse("web:my_news")).content.decode()
    assert 'aria-label="Unmute Gaza"' in body  # the muted list now has an unmute control
    response = client.post(follow_url("topic", topic), {"control": "chip"}, **HTMX)
    assert json.loads(response["HX-Trigger"])["tidings:follow"]["state"] == "none"
    assert stored(client) == set()


def test_plain_post_tells_the_change_on_the_next_page(client):
    topic = TopicFactory(name="Gaza", slug="gaza")
    client.post(follow_url("topic", topic), {"control": "mute"})
    response = client.post(follow_url("topic", topic), {"control": "follow", "next": "/browse/"}, follow=True)
    assert "Following Gaza; no longer muted." in response.content.decode()


def test_unknown_control_is_400_and_changes_nothing(client):
    topic = TopicFactory(name="Gaza")
    response = client.post(follow_url("topic", topic), {"control": "adore"})
    assert response.status_code == 400
    assert "unknown control" in response.content.decode()
    assert not Follow.objects.exists()


def card_article(headline="Harbour reopens after storm"):
    category = CategoryFactory(name="economy", slug="economy")
    article = ArticleFactory(headline=headline)
    ArticleCategoryFactory(article=article, category=category)
    for n, name in enumerate(["Harbour", "Storm", "Port authority"]):
        ArticleTopicFactory(article=article, topic__name=name, score=0.9 - n / 10)
    for n in range(2):
        ArticleCategoryFactory(article=article, category__name=f"extra {n}", score=0.8)
    return article


def test_cards_carry_at_most_two_chips_and_the_actions_menu(client):
    card_article()
    body = client.get(reverse("web:home")).content.decode()
    card = body[body.index('<article class="card') : body.index("</article>")]
    assert len(re.findall(r'<li class="chip ', card)) == 2
    for text in ("More like this", "Less like this", "Hide this story"):
        assert text in card
    assert f'aria-label="Mute {ArticleFactory._meta.model.objects.get().source.name}"' in card
    top_topic = re.search(r'<li class="chip chip-topic"><a href="[^"]*">([^<]*)</a>', card).group(1)
    assert top_topic == "Port authority"  # a multi-word name before single words (web.listing._chip_tier)
    assert f'aria-label="Mute {top_topic}"' in card  # the top topic, muted from the menu


@pytest.mark.parametrize("kind", ["more", "less"])
def test_card_more_or_less_answers_htmx_with_a_note(client, kind):
    article = card_article()
    response = client.post(reverse("web:card_feedback", args=[article.pk, kind]), {"next": "/"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('<div class="card-foot"')
    assert f"you will see {kind} like this" in body
    assert list(Interaction.objects.values_list("kind", flat=True)) == [kind]


def test_card_hide_answers_with_undo_and_undo_brings_the_card_back(client):
    story, (article,) = story_of(("Gazette", "Council votes", 1))
    response = client.post(reverse("web:card_feedback", args=[article.pk, "hide"]), **HTMX)
    assert "Story hidden" in response.content.decode()
    assert reverse("web:card_feedback_undo", args=[article.pk, "hide"]) in response.content.decode()
    assert HiddenStory.objects.filter(story=story).exists()
    response = client.post(reverse("web:card_feedback_undo", args=[article.pk, "hide"]), **HTMX)
    assert "Council votes" in response.content.decode()
    assert not HiddenStory.objects.exists()


def test_card_feedback_without_js_redirects_back_with_message(client):
    article = card_article()
    response = client.post(reverse("web:card_feedback", args=[article.pk, "less"]), {"next": "/browse/"}, follow=True)
    assert response.redirect_chain == [("/browse/", 302)]
    assert "you will see less like this" in response.content.decode()


@pytest.mark.parametrize(("article_id", "kind"), [(987654, "less"), (None, "love")])
def test_card_feedback_on_unknown_article_or_kind_is_404(client, article_id, kind):
    article_id = article_id or ArticleFactory().pk
    response = client.post(reverse("web:card_feedback", args=[article_id, kind]))
    assert response.status_code == 404
    assert not Interaction.objects.exists()


def test_card_feedback_needs_post(client):
    article = ArticleFactory()
    assert client.get(reverse("web:card_feedback", args=[article.pk, "less"])).status_code == 405


def test_my_interests_lists_follows_and_mutes_by_kind_with_speakers_apart(client):
    user = UserFactory()
    client.force_login(user)
    profile = profile_for_user(user)
    speaker = TopicFactory(name="Jane Doe", kind="person")
    article = ArticleFactory()
    Claim.objects.create(
        article=article,
        order=0,
        cue_text="said",
        cue_start=0,
        cue_end=4,
        content_text="x",
        content_start=5,
        content_end=6,
        kind="claim",
        speaker_topic=speaker,
    )
    set_follow(profile, speaker)
    set_follow(profile, TopicFactory(name="Harbour"))
    set_follow(profile, SourceFactory(name="Gazette"), "mute")
    set_follow(profile, CategoryFactory(name="economy"))
    body = client.get(reverse("web:interests")).content.decode()
    sections = dict(re.findall(r'<h2 id="group-(\w+)" class="panel-title">.*?</h2>(.*?)</section>', body, re.S))
    assert "Jane Doe" in sections["speaker"] and "Jane Doe" not in sections["topic"]
    assert "Harbour" in sections["topic"]
    assert 'Unmute<span class="visually-hidden"> Gazette' in sections["source"]
    assert "economy" in sections["category"] and 'value="more"' in sections["category"]


def test_my_interests_weight_and_remove(client):
    category = CategoryFactory(name="economy")
    client.post(follow_url("category", category))
    response = client.post(reverse("web:interest_weight", args=["category", category.pk]), {"weight": "more"}, **HTMX)
    assert response.status_code == 200
    assert re.search(r'value="more" id="[^"]+" aria-pressed="true"', response.content.decode())
    assert stored(client) == {("follow", "economy", 1)}
    bad = client.post(reverse("web:interest_weight", args=["category", category.pk]), {"weight": "lots"}, **HTMX)
    assert bad.status_code == 400
    response = client.post(reverse("web:interest_remove", args=["category", category.pk]), **HTMX)
    assert "No longer following economy." in response.content.decode()
    assert stored(client) == set()
    again = client.post(reverse("web:interest_remove", args=["category", category.pk]), **HTMX)
    assert again.status_code == 404


def test_empty_my_interests_links_to_the_picker(client):
    body = client.get(reverse("web:interests")).content.decode()
    assert "?pick=1" in body


def test_picker_shows_until_three_follows_and_done_dismisses_it(client):
    categories = [CategoryFactory(name=f"top {n}") for n in range(4)]
    ArticleFactory()  # Home lists something, so its side panels show
    assert "New here?" in client.get(reverse("web:home")).content.decode()
    body = client.get(reverse("web:my_news")).content.decode()
    assert "Choose at least 3 categories" in body
    assert re.search(r"data-picker-done\s+disabled", body)
    refused = client.post(reverse("web:picker_done"), {"choice": "done"}, follow=True)
    assert "Choose at least 3 categories first" in refused.content.decode()
    for category in categories[:3]:
        client.post(follow_url("category", category))
    body = client.get(reverse("web:my_news")).content.decode()
    assert "Choose at least 3 categories" not in body  # 3 follows: not offered any more
    assert "New here?" not in client.get(reverse("web:home")).content.decode()
    assert "Choose at least 3 categories" in client.get(reverse("web:my_news") + "?pick=1").content.decode()
    client.post(reverse("web:picker_done"), {"choice": "done"})
    assert Profile.objects.get(pk=client.session["profile_id"]).onboarded_at is not None


def test_picker_not_now_dismisses_it_for_a_visitor_with_no_follows(client):
    CategoryFactory(name="top")
    ArticleFactory()
    response = client.post(reverse("web:picker_done"), {"choice": "skip"})
    assert response.status_code == 302
    assert "Choose at least 3 categories" not in client.get(reverse("web:my_news")).content.decode()
    assert "New here?" not in client.get(reverse("web:home")).content.decode()


def test_sign_up_keeps_the_visitors_feedback_and_mutes(client):
    article = card_article()
    topic = TopicFactory(name="Gaza")
    client.post(reverse("web:card_feedback", args=[article.pk, "less"]))
    client.post(follow_url("topic", topic), {"control": "mute"})
    response = client.post(
        reverse("accounts:signup"),
        {
            "username": "newreader",
            "password1": "correct horse battery staple",
            "password2": "correct horse battery staple",
        },
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user__username="newreader")
    assert list(Interaction.objects.values_list("profile_id", "kind")) == [(profile.pk, "less")]
    assert {(f.action, f.target.name) for f in Follow.objects.all()} == {("mute", "Gaza")}
    assert Follow.objects.get().profile_id == profile.pk
    assert Profile.objects.count() == 1
