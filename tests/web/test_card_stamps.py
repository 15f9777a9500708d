"""A card's menu filled in from a stamp (web.card_stamps) is the partial's own output, for every shape."""

from __future__ import annotations

import pytest
from django.template import Context
from django.template.loader import get_template
from django.test import RequestFactory

from tidings.articles.models import Article
from tidings.personalization.reading import CardStates
from tidings.sources.models import Source
from tidings.taxonomy.models import Topic
from tidings.web.card_stamps import TEMPLATE, card_actions_html
from tidings.web.listing import ArticleCard

AWKWARD = ['Tom & Jerry "Inc" <b>', "O'Brien 3805117433961", "a\x00path\x00b", "Ünïcødé — Straße"]


def _cards():
    """Unsaved articles (the menu reads only ids, names and slugs), with and without a topic."""
    source = Source(pk=12, name=AWKWARD[0], slug="tom-jerry")
    other = Source(pk=4805117433961, name=AWKWARD[2], slug="a-path-b")
    topic = Topic(pk=40, name=AWKWARD[1], slug="obrien")
    return [
        ArticleCard(Article(pk=7, source=source), (), (topic,)),
        ArticleCard(Article(pk=3805117433961, source=other), (), (Topic(pk=41, name=AWKWARD[3], slug="u_2"),)),
        ArticleCard(Article(pk=8, source=source), (), ()),
    ]


@pytest.mark.parametrize("read", [False, True])
@pytest.mark.parametrize("state", [None, "follow", "mute", "bogus"])
@pytest.mark.parametrize("csrf_token", ["Abc123tokenXYZ", None, "NOTPROVIDED"])
@pytest.mark.parametrize("next_url", ["", "/my/?page=2&x=<i>\"'"])
def test_stamped_menu_is_the_rendered_partial(read, state, csrf_token, next_url):
    request = RequestFactory().get("/category/politics/", {"unread": "1", "q": "<script>\"'&"})
    for card in _cards():
        pk, source_pk = card.article.pk, card.article.source.pk
        topic_pk = card.topics[0].pk if card.topics else None
        values = {
            "card": card,
            "card_states": CardStates(read=frozenset({pk}) if read else frozenset()),
            "follow_states": {"source": {source_pk: state}, "topic": {topic_pk: "mute" if state else None}},
            "request": request,
            "next_url": next_url,
            "csrf_token": csrf_token,
        }
        rendered = get_template(TEMPLATE).render(values)
        assert card_actions_html(Context(values)) == rendered


def test_menus_differ_by_card_and_carry_its_ids():
    request = RequestFactory().get("/")
    first, second, _ = _cards()
    one = card_actions_html(Context({"card": first, "request": request, "csrf_token": "tok"}))
    two = card_actions_html(Context({"card": second, "request": request, "csrf_token": "tok"}))
    assert "/card/7/more/" in one and "/card/3805117433961/more/" in two
    assert "Mute O&#x27;Brien 3805117433961" in one
    assert one != two
