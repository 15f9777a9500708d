"""Cards from the shared cache (web.card_cache) are the partial's own output for each reader; a reader's state never
shows on another reader's card, and a change to what a card shows shows at once."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import caches
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from tests.articles.factories import ArticleFactory
from tests.taxonomy.factories import ArticleCategoryFactory, ArticleTopicFactory, CategoryFactory, TopicFactory
from tidings.articles.models import Article
from tidings.personalization.reading import CardStates
from tidings.sources.models import Source
from tidings.stories.collapse import StoryBadge
from tidings.taxonomy.models import Category, Topic
from tidings.web.card_cache import CACHE, card_key, slot
from tidings.web.listing import ArticleCard
from tidings.web.near_cache import clear_all

PLAIN = Template(
    '{% for card in cards %}{% include "web/partials/article_card.html" with lead=forloop.first %}{% endfor %}'
)
CACHED = Template("{% load tidings_web %}{% article_cards cards lead_first=True %}")
AWKWARD = ['Tom & Jerry "Inc" <b>', "O'Brien", "Ünïcødé — Straße <i>"]
WHEN = datetime(2026, 1, 1, 9, 30, tzinfo=UTC)


def _cards() -> list[ArticleCard]:
    source = Source(pk=12, name=AWKWARD[0], slug="tom-jerry")
    other = Source(pk=13, name="Daily", slug="daily")
    category = Category(pk=5, name="politics & <power>", slug="politics")
    topic = Topic(pk=40, name=AWKWARD[1], slug="obrien")
    second = Topic(pk=41, name=AWKWARD[2], slug="u")
    image = "https://img.example/a.jpg"
    full = Article(pk=7, source=source, headline=AWKWARD[1], standfirst=AWKWARD[2], published_at=WHEN, image_url=image)
    return [
        ArticleCard(full, (category,), (topic, second), StoryBadge(3, 4, 2), why="You follow O'Brien <x>"),
        ArticleCard(Article(pk=8, source=other, headline="Plain", published_at=WHEN), (), (second,), None, why=""),
        ArticleCard(Article(pk=9, source=source, headline="No chips", published_at=WHEN), (), (), StoryBadge(4, 3, 1)),
        ArticleCard(Article(pk=10, source=other, headline="Category only", published_at=WHEN), (category,), ()),
    ]


def _page(cards, *, read=(), saved=(), follow=None, csrf="Tok123abc", path="/my/?page=2&q=<b>"):
    return {
        "cards": cards,
        "request": RequestFactory().get(path),
        "card_states": CardStates(read=frozenset(read), saved=frozenset(saved)),
        "follow_states": follow or {},
        "csrf_token": csrf,
    }


@pytest.mark.parametrize("read", [(), (7, 9)])
@pytest.mark.parametrize("saved", [(), (7, 8)])
@pytest.mark.parametrize(
    "follow",
    [None, {"topic": {40: "follow", 41: "mute"}, "category": {5: "follow"}, "source": {12: "mute", 13: "follow"}}],
)
@pytest.mark.parametrize("csrf", ["Tok123abc", None])
def test_cached_cards_are_the_partials_output(read, saved, follow, csrf):
    values = _page(_cards(), read=read, saved=saved, follow=follow, csrf=csrf)
    plain = PLAIN.render(Context(values))
    first = CACHED.render(Context(values))  # rendered and kept
    again = CACHED.render(Context(values))  # from the cache
    assert first == plain
    assert again == plain
    assert "\x00" not in again


def test_two_readers_share_the_card_but_not_their_state():
    card = _cards()[0]
    mine = dataclasses.replace(card, why="You follow O'Brien")
    theirs = dataclasses.replace(card, why="Top story: 2 sources")
    me = _page([mine], follow={"topic": {40: "follow"}, "source": {12: "mute"}}, csrf="MyToken1")
    them = _page([theirs], follow={}, csrf="TheirToken2", path="/my/")
    assert card_key(mine, (True, False, False, True)) == card_key(theirs, (True, False, False, True))
    mine_html = CACHED.render(Context(me))
    theirs_html = CACHED.render(Context(them))  # the shared part from the cache
    assert theirs_html == PLAIN.render(Context(them))
    assert mine_html == PLAIN.render(Context(me))
    assert "You follow O&#x27;Brien" in mine_html and "You follow" not in theirs_html
    assert "Top story: 2 sources" in theirs_html and "Top story" not in mine_html
    assert "MyToken1" in mine_html and "MyToken1" not in theirs_html
    assert 'aria-label="Unfollow O&#x27;Brien"' in mine_html
    assert 'aria-label="Unfollow O&#x27;Brien"' not in theirs_html
    assert 'data-state="mute"' in mine_html and 'data-state="mute"' not in theirs_html


@pytest.mark.parametrize(
    "change",
    [
        lambda c: dataclasses.replace(c, article=_copy(c.article, headline="A new headline")),
        lambda c: dataclasses.replace(c, article=_copy(c.article, image_url="")),
        lambda c: dataclasses.replace(c, story=StoryBadge(3, 9, 5)),
        lambda c: dataclasses.replace(c, topics=(Topic(pk=40, name="Renamed", slug="renamed"),)),
        lambda c: dataclasses.replace(c, categories=()),
        lambda c: dataclasses.replace(c, article=_copy(c.article, source=Source(pk=12, name="New name", slug="n"))),
    ],
)
def test_a_change_to_what_the_card_shows_shows_at_once(change):
    before = _page(_cards()[:1])
    old = CACHED.render(Context(before))
    after = _page([change(_cards()[0])])
    new = CACHED.render(Context(after))
    assert new == PLAIN.render(Context(after))
    assert new != old


def _copy(article: Article, **changes: object) -> Article:
    fields = {f.attname: getattr(article, f.attname) for f in Article._meta.concrete_fields}
    copied = Article(**fields)
    copied.source = changes.pop("source", article.source)  # type: ignore[assignment]
    for name, value in changes.items():
        setattr(copied, name, value)
    return copied


def test_a_card_whose_text_holds_a_placeholder_is_rendered_as_it_is():
    card = _cards()[1]
    odd = dataclasses.replace(card, article=_copy(card.article, headline=f"x {slot('ago')} y"))
    values = _page([odd])
    assert CACHED.render(Context(values)) == PLAIN.render(Context(values))
    assert not caches[CACHE].get(card_key(odd, (True, False, False, False)))


@pytest.mark.django_db
def test_my_news_shows_an_edited_headline_and_each_readers_reason(client):
    from django.test import Client

    topic = TopicFactory(name="Harbour")
    category = CategoryFactory(name="politics", slug="politics")
    article = ArticleFactory(headline="Ferry strike ends", published_at=datetime.now(UTC) - timedelta(hours=1))
    ArticleTopicFactory(article=article, topic=topic, score=1.0)
    ArticleCategoryFactory(article=article, category=category, score=1.0)
    other = Client()
    client.post(reverse("web:follow", args=["topic", topic.pk]))
    other.post(reverse("web:follow", args=["category", category.pk]))
    first = client.get(reverse("web:my_news")).content.decode()
    second = other.get(reverse("web:my_news")).content.decode()
    assert "Ferry strike ends" in first and "Ferry strike ends" in second
    assert "You follow Harbour" in first and "You follow Harbour" not in second
    assert "You follow politics" in second and "You follow politics" not in first
    assert 'aria-label="Unfollow Harbour"' in first and 'aria-label="Unfollow Harbour"' not in second
    Article.objects.filter(pk=article.pk).update(headline="Ferry strike goes on")
    # An edit in place is not in the key of the reader's kept page (web.reader_pages): it shows once that ages
    # out (SHARED_POOLS_SECONDS), as here, where the default cache and the near copies are emptied. The cards'
    # own cache is kept.
    caches["default"].clear()
    clear_all()
    again = other.get(reverse("web:my_news")).content.decode()
    assert "Ferry strike goes on" in again and "Ferry strike ends" not in again
    Topic.objects.filter(pk=topic.pk).update(name="Harbour workers")
    caches["default"].clear()
    clear_all()
    renamed = other.get(reverse("web:my_news")).content.decode()
    assert ">Harbour workers</a>" in renamed and ">Harbour</a>" not in renamed
