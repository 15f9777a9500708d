"""A reader's kept page sent early (web.reader_sessions): one query for a repeat view, and never a page of another
reader, of a signed-out or changed session, or one that misses a change the reader made."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.taxonomy.factories import CategoryFactory
from tests.web.reader_helpers import HTMX, TOKEN, headlines, in_category
from tidings.accounts.two_factor_guard import REQUIRED_KEY
from tidings.personalization.models import Profile
from tidings.personalization.services import profile_for_user, set_follow

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def my_news(client, **kwargs):
    return client.get(reverse("web:my_news"), **kwargs)


def early(client, **kwargs):
    """My News with the queries it made: (response, number of queries)."""
    with CaptureQueriesContext(connection) as queries:
        response = my_news(client, **kwargs)
    return response, len(queries)


@pytest.fixture
def harbour():
    category = CategoryFactory(name="Harbour", slug="harbour")
    return category, [in_category(category, f"Harbour news {n}", hours=n) for n in range(3)]


@pytest.fixture
def quay():
    category = CategoryFactory(name="Quay", slug="quay")
    return category, [in_category(category, f"Quay news {n}", hours=n) for n in range(2)]


def session_reader(category) -> Client:
    """A session reader (no account) following `category`, with My News made and noted."""
    client = Client()
    client.post(reverse("web:follow", args=["category", category.pk]))
    my_news(client)  # the follow's message is shown here: not kept
    my_news(client)  # made and kept, and noted
    return client


def signed_in(username, category) -> tuple[Client, object]:
    user = UserFactory(username=username)
    set_follow(profile_for_user(user), category, "follow")
    client = Client()
    client.post(reverse("accounts:signin"), {"username": username, "password": PASSWORD})
    assert client.session.get("_auth_user_id") == str(user.pk)
    my_news(client)
    my_news(client)
    return client, user


def with_cookie(session_key: str) -> Client:
    client = Client()
    client.cookies["sessionid"] = session_key
    return client


def test_a_repeat_view_is_one_query_with_a_fresh_token_and_the_chains_headers(harbour):
    reader = session_reader(harbour[0])
    made = my_news(reader)
    response, queries = early(reader)
    assert queries == 1
    assert response.status_code == 200
    assert headlines(response) == headlines(made) == ["Harbour news 0", "Harbour news 1", "Harbour news 2"]
    secret = reader.cookies["csrftoken"].value
    assert {_unmask_cipher_token(t) for t in TOKEN.findall(response.content.decode())} == {secret}
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Type"):
        assert response[header] == made[header]
    assert early(reader, headers={"if-none-match": response["ETag"]})[0].status_code == 304


def test_a_signed_in_repeat_view_is_one_query(harbour):
    client, _user = signed_in("margaret", harbour[0])
    response, queries = early(client)
    assert queries == 1
    assert "margaret" in response.content.decode()
    assert headlines(response) == ["Harbour news 0", "Harbour news 1", "Harbour news 2"]


def test_two_session_readers_never_see_each_others_page(harbour, quay):
    first, second = session_reader(harbour[0]), session_reader(quay[0])
    for _ in range(2):
        assert headlines(early(first)[0]) == ["Harbour news 0", "Harbour news 1", "Harbour news 2"]
        assert headlines(early(second)[0]) == ["Quay news 0", "Quay news 1"]


def test_two_accounts_never_see_each_others_page(harbour, quay):
    margaret, _ = signed_in("margaret", harbour[0])
    dennis, _ = signed_in("dennis", quay[0])
    for _ in range(2):
        body = early(margaret)[0].content.decode()
        assert "margaret" in body and "dennis" not in body and "Quay news 0" not in body
        body = early(dennis)[0].content.decode()
        assert "dennis" in body and "margaret" not in body and "Harbour news 0" not in body


@pytest.mark.parametrize(
    "action",
    [
        lambda c, h, q: c.post(reverse("web:follow", args=["category", q[0].pk]), headers=HTMX),
        lambda c, h, q: c.post(reverse("web:card_feedback", args=[h[1][0].pk, "hide"]), headers=HTMX),
        lambda c, h, q: c.post(reverse("web:article_read", args=[h[1][0].pk]), {"read": "1"}, headers=HTMX),
        lambda c, h, q: set_follow(Profile.objects.get(user__isnull=True), q[0], "follow"),  # elsewhere
    ],
    ids=["follow", "hide", "read", "follow-elsewhere"],
)
def test_any_reader_action_shows_at_once(harbour, quay, action):
    reader = session_reader(harbour[0])
    before = early(reader)
    assert before[1] == 1
    action(reader, harbour, quay)
    after = my_news(reader)
    assert after.context is not None  # made again, not the kept page
    assert headlines(after) != headlines(before[0])


def test_signing_out_never_leaves_the_accounts_page_to_the_old_cookie(harbour):
    client, _user = signed_in("margaret", harbour[0])
    old_key = client.cookies["sessionid"].value
    assert early(client)[1] == 1
    client.post(reverse("accounts:signout"))
    for browser in (client, with_cookie(old_key)):
        body = my_news(browser).content.decode()
        assert "margaret" not in body and "Harbour news 0" not in body


def test_a_revoked_or_expired_session_never_gets_the_page(harbour):
    client, _user = signed_in("margaret", harbour[0])
    key = client.cookies["sessionid"].value
    assert early(client)[1] == 1
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert "Harbour news 0" not in my_news(with_cookie(key)).content.decode()
    other, _ = signed_in("dennis", harbour[0])
    key = other.cookies["sessionid"].value
    Session.objects.filter(session_key=key).delete()
    assert "dennis" not in my_news(with_cookie(key)).content.decode()


def test_a_password_change_or_deactivation_elsewhere_signs_the_session_out(harbour):
    client, user = signed_in("margaret", harbour[0])
    assert early(client)[1] == 1
    user.set_password("another horse battery staple")
    user.save()
    assert "margaret" not in my_news(client).content.decode()
    client, user = signed_in("dennis", harbour[0])
    assert early(client)[1] == 1
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    assert "dennis" not in my_news(client).content.decode()


def test_signing_in_from_a_session_reader_gets_the_accounts_own_page(harbour, quay):
    reader = session_reader(harbour[0])
    old_key = reader.cookies["sessionid"].value
    user = UserFactory(username="dennis")
    profile = profile_for_user(user)
    set_follow(profile, quay[0], "follow")
    set_follow(profile, harbour[0], "mute")  # the account's own choice wins over the merged follow
    reader.post(reverse("accounts:signin"), {"username": "dennis", "password": PASSWORD})
    assert reader.cookies["sessionid"].value != old_key
    for _ in range(3):
        response = my_news(reader)
        assert "dennis" in response.content.decode()
        assert not any(h.startswith("Harbour") for h in headlines(response))
    assert not any(h.startswith("Harbour") for h in headlines(my_news(with_cookie(old_key))))


def test_a_session_changed_by_hand_is_not_served_early(harbour):
    """Another profile put in the session (or any other edit of it) is not the session the page was noted for."""
    reader = session_reader(harbour[0])
    assert early(reader)[1] == 1
    stranger = Profile.objects.create()
    session = Session.objects.get(session_key=reader.cookies["sessionid"].value)
    data = session.get_decoded()
    data["profile_id"] = stranger.pk
    Session.objects.filter(pk=session.pk).update(session_data=Session.objects.encode(data))
    response, queries = early(reader)
    assert queries > 1
    assert headlines(response) != ["Harbour news 0", "Harbour news 1", "Harbour news 2"]


def test_a_two_factor_session_goes_through_the_whole_chain(harbour):
    client, _user = signed_in("margaret", harbour[0])
    session = client.session
    session[REQUIRED_KEY] = False
    session.save()
    my_news(client)
    assert early(client)[1] == 1  # the mark alone, off, changes nothing
    session = client.session
    session[REQUIRED_KEY] = True
    session.save()
    response, queries = early(client)
    assert queries > 1  # the chain checks the device (and here signs the session out: no code was given)
    assert "Harbour news 0" not in response.content.decode()


def test_a_waiting_message_is_shown_by_the_chain(harbour):
    reader = session_reader(harbour[0])
    assert early(reader)[1] == 1
    reader.post(reverse("web:card_feedback", args=[harbour[1][1].pk, "more"]))  # no htmx: a message waits
    shown = my_news(reader)
    assert 'class="messages"' in shown.content.decode()
