"""OPML downloads from the pages: the sources a reader may see, and the sources they follow (read back)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.sources.factories import SourceFactory
from tidings.personalization.services import profile_for_user, set_follow
from tidings.sources.opml import parse_opml

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def feed_urls(response):
    return sorted(feed.xml_url for feed in parse_opml(response.content).feeds)


def test_anonymous_visitors_are_sent_to_sign_in():
    for name in ("web:export_sources", "web:export_follows"):
        response = Client().get(reverse(name))
        assert response.status_code == 302
        assert reverse("accounts:signin") in response["Location"]


def test_a_reader_exports_the_sources_they_added_and_those_they_follow_that_they_may_see():
    reader, other = UserFactory(), UserFactory()
    mine = SourceFactory(added_by=reader, folder="Local")
    theirs = SourceFactory(added_by=other, url="https://private.example.org/feed.xml?token=secret")
    operators = SourceFactory(added_by=None)
    profile = profile_for_user(reader)
    for source in (mine, theirs):
        set_follow(profile, source)
    set_follow(profile, operators, "mute")
    client = signed_in(reader)

    sources = client.get(reverse("web:export_sources"))
    assert sources.status_code == 200 and sources["Content-Type"].startswith("text/x-opml")
    assert feed_urls(sources) == [mine.url]

    follows = client.get(reverse("web:export_follows"))
    assert follows.status_code == 200
    assert feed_urls(follows) == [mine.url]  # the other reader's tokenised address never leaves
    assert follows["X-Tidings-Left-Out"] == "1"
    assert [f.folder for f in parse_opml(follows.content).feeds] == ["Local"]


def test_staff_export_every_followed_source():
    editor = UserFactory(is_staff=True)
    a, b = SourceFactory(), SourceFactory(added_by=UserFactory())
    profile = profile_for_user(editor)
    set_follow(profile, a)
    set_follow(profile, b)
    response = signed_in(editor).get(reverse("web:export_follows"))
    assert feed_urls(response) == sorted([a.url, b.url])
    assert response["X-Tidings-Left-Out"] == "0"


def test_the_pages_link_to_the_exports():
    client = signed_in(UserFactory())
    assert reverse("web:export_follows") in client.get(reverse("web:interests")).content.decode()
    page = client.get(reverse("web:sources")).content.decode()
    assert reverse("web:export_sources") in page and reverse("web:export_follows") in page
