"""My News kept per reader (web.reader_pages): a repeat view is the kept page, and anything the reader changes
(follow, mute, feedback, hide, read, save), a change made elsewhere, or a new article shows on the next view at
once; two readers never share a page."""

from __future__ import annotations

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.taxonomy.factories import CategoryFactory
from tests.web.reader_helpers import HTMX, TOKEN, headlines, in_category
from tidings.personalization.feedback import set_read, set_saved
from tidings.personalization.models import Profile
from tidings.personalization.services import profile_for_user, set_follow

pytestmark = pytest.mark.django_db


@pytest.fixture
def harbour():
    category = CategoryFactory(name="Harbour", slug="harbour")
    articles = [in_category(category, f"Harbour news {n}", hours=n) for n in range(3)]
    return category, articles


@pytest.fixture
def reader(harbour):
    """A session reader (no account) following the harbour, with My News seen once and kept."""
    client = Client()
    client.post(reverse("web:follow", args=["category", harbour[0].pk]))
    client.get(reverse("web:my_news"))  # the follow's message is shown here, so this one is not kept
    made = client.get(reverse("web:my_news"))
    assert made.context is not None
    return client


def my_news(client, **kwargs):
    return client.get(reverse("web:my_news"), **kwargs)


def test_a_repeat_view_is_the_kept_page_with_a_fresh_token(reader):
    first = my_news(reader)
    again = my_news(reader)
    assert again.context is None  # nothing rendered
    assert headlines(again) == headlines(first) == ["Harbour news 0", "Harbour news 1", "Harbour news 2"]
    secret = reader.cookies["csrftoken"].value
    assert {_unmask_cipher_token(t) for t in TOKEN.findall(again.content.decode())} == {secret}
    assert "tidings-csrf-token-placeholder" not in again.content.decode()
    assert my_news(reader, headers={"if-none-match": again["ETag"]}).status_code == 304


def test_a_new_article_shows_at_once(reader, harbour):
    my_news(reader)
    in_category(harbour[0], "Harbour floods")
    assert "Harbour floods" in headlines(my_news(reader))


def test_a_follow_shows_at_once(reader):
    quay = CategoryFactory(name="Quay", slug="quay")
    in_category(quay, "Quay rebuilt", hours=5)
    my_news(reader)
    reader.post(reverse("web:follow", args=["category", quay.pk]), headers=HTMX)
    assert "Quay rebuilt" in headlines(my_news(reader))


def test_hiding_a_story_shows_at_once(reader, harbour):
    my_news(reader)
    reader.post(reverse("web:card_feedback", args=[harbour[1][0].pk, "hide"]), headers=HTMX)
    assert "Harbour news 0" not in headlines(my_news(reader))


def test_less_like_this_makes_a_new_page(reader, harbour):
    kept = my_news(reader)
    assert kept.context is None
    reader.post(reverse("web:card_feedback", args=[harbour[1][1].pk, "less"]), headers=HTMX)
    assert my_news(reader).context is not None  # made again for the changed reader


def test_marking_read_shows_at_once(reader, harbour):
    my_news(reader)
    reader.post(reverse("web:article_read", args=[harbour[1][2].pk]), {"read": "1"}, headers=HTMX)
    assert headlines(my_news(reader)) == ["Harbour news 0", "Harbour news 1"]  # My News leaves read ones out


def test_saving_shows_at_once(reader, harbour):
    assert 'data-saved="1"' not in my_news(reader).content.decode()
    reader.post(reverse("web:article_save", args=[harbour[1][1].pk]), {"saved": "1"}, headers=HTMX)
    assert my_news(reader).content.decode().count('data-saved="1"') == 1


def test_a_change_made_elsewhere_shows_at_once(reader):
    """An import task, the API or a shell: no request from the reader moves their version on."""
    profile = Profile.objects.get()
    quay = CategoryFactory(name="Quay", slug="quay")
    in_category(quay, "Quay rebuilt", hours=5)
    my_news(reader)
    set_follow(profile, quay, "follow")
    assert "Quay rebuilt" in headlines(my_news(reader))
    muted = my_news(reader)
    set_follow(profile, quay, "mute")
    assert "Quay rebuilt" not in headlines(my_news(reader))
    assert muted.context is None or "Quay rebuilt" in headlines(muted)


def test_read_and_saved_elsewhere_show_at_once(reader, harbour):
    profile = Profile.objects.get()
    my_news(reader)
    set_read(profile, harbour[1][0], True)
    assert headlines(my_news(reader)) == ["Harbour news 1", "Harbour news 2"]
    my_news(reader)
    set_saved(profile, harbour[1][2], True)
    assert my_news(reader).content.decode().count('data-saved="1"') == 1


def test_two_readers_with_the_same_follows_never_share_a_page(harbour):
    pages = {}
    for name in ("margaret", "dennis"):
        user = UserFactory(username=name)
        set_follow(profile_for_user(user), harbour[0], "follow")
        client = Client()
        client.force_login(user)
        my_news(client)
        pages[name] = my_news(client)
    assert "margaret" in pages["margaret"].content.decode()
    assert "dennis" not in pages["margaret"].content.decode()
    assert "dennis" in pages["dennis"].content.decode()
    assert "margaret" not in pages["dennis"].content.decode()


def test_a_session_reader_and_a_stranger_never_share_a_page(reader):
    my_news(reader)
    stranger = Client()
    body = my_news(stranger).content.decode()
    assert "Harbour news 0" not in body


def test_a_waiting_message_is_shown_not_kept(reader, harbour):
    my_news(reader)
    reader.post(reverse("web:card_feedback", args=[harbour[1][1].pk, "more"]))  # no htmx: a message waits
    shown = my_news(reader)
    assert shown.context is not None
    assert 'class="messages"' in shown.content.decode()
    assert 'class="messages"' not in my_news(reader).content.decode()


def test_a_session_naming_an_accounts_profile_never_gets_its_page(harbour):
    owner = UserFactory(username="margaret")
    profile = profile_for_user(owner)
    set_follow(profile, harbour[0], "follow")
    signed_in = Client()
    signed_in.force_login(owner)
    my_news(signed_in)
    assert "Harbour news 0" in headlines(my_news(signed_in))
    stranger = Client()
    session = stranger.session
    session["profile_id"] = profile.pk
    session.save()
    stranger.cookies["sessionid"] = session.session_key
    for _ in range(2):
        response = my_news(stranger)
        assert response.context is not None  # made for them each time, never kept under that profile
        assert "Harbour news 0" not in headlines(response)
