"""Read and saved: dimmed read cards, Mark all as read and its undo, Only unread, the Saved and History pages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.articles.factories import ArticleFactory
from tests.taxonomy.factories import ArticleCategoryFactory, ArticleTopicFactory, CategoryFactory, TopicFactory
from tidings.personalization.feedback import set_read, set_saved
from tidings.personalization.models import ArticleState
from tidings.personalization.reading import MAX_MARK, mark_read
from tidings.personalization.services import profile_for_user, set_follow

pytestmark = pytest.mark.django_db


def headlines(response) -> list[str]:
    return re.findall(r'class="card-title"><a href="[^"]*">([^<]*)</a>', response.content.decode())


def read_cards(response) -> list[str]:
    body = response.content.decode()
    return re.findall(
        r'<article class="card[^"]*card-read"[^>]*>.*?class="card-title"><a href="[^"]*">([^<]*)<', body, re.S
    )


@pytest.fixture
def harbour():
    """A category with three articles (newest first: 0, 1, 2) and a topic on all of them."""
    category = CategoryFactory(name="Harbour", slug="harbour")
    topic = TopicFactory(name="Quay")
    now = timezone.now()
    articles = []
    for n in range(3):
        article = ArticleFactory(headline=f"Harbour news {n}", published_at=now - timedelta(hours=n))
        ArticleCategoryFactory(article=article, category=category)
        ArticleTopicFactory(article=article, topic=topic)
        articles.append(article)
    return category, topic, articles


@pytest.fixture
def reader():
    user = UserFactory(username="reader")
    client = Client()
    client.force_login(user)
    return client, profile_for_user(user)


def test_read_cards_are_dimmed_and_flagged(harbour, reader):
    category, _, articles = harbour
    client, profile = reader
    set_read(profile, articles[1], True)
    set_saved(profile, articles[2], True)
    response = client.get(category.get_absolute_url())
    assert headlines(response) == ["Harbour news 0", "Harbour news 1", "Harbour news 2"]
    assert read_cards(response) == ["Harbour news 1"]
    assert response.content.decode().count('data-saved="1"') == 1


def test_mark_all_as_read_then_undo_gives_back_only_what_was_unread(harbour, reader):
    category, _, articles = harbour
    client, profile = reader
    set_read(profile, articles[0], True)
    ids = " ".join(str(a.pk) for a in articles)
    page = client.get(category.get_absolute_url()).content.decode()
    assert f'name="ids" value="{ids}"' in page  # the form carries this page's cards

    response = client.post(reverse("web:mark_all_read"), {"ids": ids, "next": category.get_absolute_url()})
    assert response.status_code == 302 and response["Location"] == category.get_absolute_url()
    assert ArticleState.objects.filter(profile=profile, read_at__isnull=False).count() == 3
    after = client.get(category.get_absolute_url())
    assert read_cards(after) == ["Harbour news 0", "Harbour news 1", "Harbour news 2"]
    body = after.content.decode()
    assert "Marked 2 articles as read." in body
    undo_ids = re.search(r'action="/me/read/undo/">.*?name="ids" value="([^"]*)"', body, re.S).group(1)
    assert sorted(map(int, undo_ids.split())) == sorted([articles[1].pk, articles[2].pk])
    assert "Marked 2" not in client.get(category.get_absolute_url()).content.decode()  # said once

    client.post(reverse("web:mark_all_undo"), {"ids": undo_ids, "next": category.get_absolute_url()})
    still_read = set(
        ArticleState.objects.filter(profile=profile, read_at__isnull=False).values_list("article_id", flat=True)
    )
    assert still_read == {articles[0].pk}


def test_mark_all_as_read_refuses_bad_ids(harbour, reader):
    client, profile = reader
    url = reverse("web:mark_all_read")
    assert client.post(url, {"ids": ""}).status_code == 400
    assert client.post(url, {"ids": "1 two"}).status_code == 400
    assert client.post(url, {"ids": "-3"}).status_code == 400
    assert client.post(url, {"ids": " ".join(["1"] * (MAX_MARK + 1))}).status_code == 400
    assert client.get(url).status_code == 405
    assert client.post(url, {"ids": "999999", "next": "https://evil.example/"})["Location"] == "/"
    assert not ArticleState.objects.filter(profile=profile).exists()


def test_mark_read_counts_only_unread_and_skips_unknown_ids(harbour, reader):
    _, _, articles = harbour
    _, profile = reader
    set_read(profile, articles[0], True)
    set_saved(profile, articles[1], True)  # a state row with no read_at
    marked = mark_read(profile, [a.pk for a in articles] + [999999])
    assert marked == sorted([articles[1].pk, articles[2].pk])
    assert mark_read(profile, [a.pk for a in articles]) == []


@pytest.mark.parametrize("view", ["category", "topic", "source", "home", "my_news"])
def test_only_unread_leaves_out_read_articles(harbour, reader, view):
    category, topic, articles = harbour
    client, profile = reader
    set_follow(profile, category)
    set_read(profile, articles[1], True)
    url = {
        "category": category.get_absolute_url(),
        "topic": topic.get_absolute_url(),
        "source": articles[1].source.get_absolute_url(),
        "home": reverse("web:home"),
        "my_news": reverse("web:my_news"),
    }[view]
    everything = headlines(client.get(url))
    # My News never shows what was read (personalization.ranking.excluded); the other lists show it dimmed.
    assert ("Harbour news 1" in everything) is (view != "my_news")
    assert "Harbour news 0" in everything or view == "source"  # each article has its own source here
    unread = client.get(url + "?unread=1")
    assert "Harbour news 1" not in headlines(unread)
    assert set(headlines(unread)) == set(everything) - {"Harbour news 1"}
    assert "data-unread-toggle>Showing only unread" in unread.content.decode()


def test_only_unread_with_everything_read_says_so(harbour, reader):
    category, _, articles = harbour
    client, profile = reader
    mark_read(profile, [a.pk for a in articles])
    body = client.get(category.get_absolute_url() + "?unread=1").content.decode()
    assert "All read" in body and "Show everything" in body


def test_mark_one_article_read_and_unread(harbour, reader):
    _, _, articles = harbour
    client, profile = reader
    url = reverse("web:article_read", args=[articles[0].pk])
    response = client.post(url, {"read": "1"}, HTTP_ACCEPT="application/json")
    assert response.json() == {"id": articles[0].pk, "read": True}
    assert ArticleState.objects.get(profile=profile, article=articles[0]).read_at is not None
    response = client.post(url, {"read": "0", "next": "/my/"})
    assert response.status_code == 302 and response["Location"] == "/my/"
    assert ArticleState.objects.get(profile=profile, article=articles[0]).read_at is None
    assert client.post(url, {"read": "yes"}).status_code == 400
    assert client.post(reverse("web:article_read", args=[999999]), {"read": "1"}).status_code == 404


def test_saved_and_history_list_the_readers_own_last_first(harbour, reader):
    _, _, articles = harbour
    client, profile = reader
    now = timezone.now()
    set_saved(profile, articles[2], True, now=now - timedelta(minutes=5))
    set_saved(profile, articles[0], True, now=now)
    set_read(profile, articles[1], True, now=now - timedelta(minutes=1))
    ArticleState.objects.filter(profile=profile, article=articles[1]).update(read_at=now - timedelta(minutes=1))
    mark_read(profile, [articles[2].pk], now=now)
    other_user = UserFactory(username="other")
    other = profile_for_user(other_user)
    extra = ArticleFactory(headline="Someone else's pick")
    set_saved(other, extra, True)
    mark_read(other, [extra.pk])

    assert headlines(client.get(reverse("web:saved"))) == ["Harbour news 0", "Harbour news 2"]
    assert headlines(client.get(reverse("web:history"))) == ["Harbour news 2", "Harbour news 1"]
    history = client.get(reverse("web:history")).content.decode()
    assert "Mark all as read" not in history


def test_saved_and_history_for_a_first_visit_are_empty_and_make_no_profile():
    from tidings.personalization.models import Profile

    client = Client()
    assert "Nothing saved yet" in client.get(reverse("web:saved")).content.decode()
    assert "Nothing read yet" in client.get(reverse("web:history")).content.decode()
    assert Profile.objects.count() == 0


def test_card_menu_offers_the_other_read_state(harbour, reader):
    category, _, articles = harbour
    client, profile = reader
    set_read(profile, articles[1], True)
    body = client.get(category.get_absolute_url()).content.decode()
    items = re.findall(r'action="/article/(\d+)/read/" data-read-item>.*?<button[^>]*>([^<]+)</button>', body)
    assert dict(items) == {
        str(articles[0].pk): "Mark as read",
        str(articles[1].pk): "Mark as unread",
        str(articles[2].pk): "Mark as read",
    }


def test_mark_as_read_from_the_card_menu_offers_undo_like_hide(harbour, reader):
    _, _, articles = harbour
    client, profile = reader
    url = reverse("web:article_read", args=[articles[0].pk])
    card = client.post(url, {"read": "1", "next": "/my/"}, HTTP_HX_REQUEST="true").content.decode()
    assert card.lstrip().startswith('<article class="card card-read"')  # the card again, dimmed
    assert "Marked as read." in card
    undo = re.search(r'<form class="inline-form"[^>]*hx-post="([^"]+)"[^>]*>.*?name="read" value="(\d)".*?Undo<', card)
    assert undo is not None and undo.groups() == (url, "0")
    assert ArticleState.objects.get(profile=profile, article=articles[0]).read_at is not None

    card = client.post(url, {"read": "0", "next": "/my/"}, HTTP_HX_REQUEST="true").content.decode()
    assert card.lstrip().startswith('<article class="card"') and "Undo" not in card
    assert ArticleState.objects.get(profile=profile, article=articles[0]).read_at is None


def test_mark_as_read_without_htmx_goes_back_with_a_message(harbour, reader):
    _, _, articles = harbour
    client, _ = reader
    url = reverse("web:article_read", args=[articles[0].pk])
    response = client.post(url, {"read": "1", "next": "/my/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/my/"
    assert "Marked as read." in response.content.decode()
