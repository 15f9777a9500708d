"""A source's page shows its full-text setting; the reader who added it changes it with a small form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.sources.factories import SourceFactory
from tidings.sources.models import Source

pytestmark = pytest.mark.django_db


def full_text_url(source: Source) -> str:
    return reverse("web:source_full_text", args=[source.slug])


def test_source_page_shows_the_current_setting(client):
    source = SourceFactory(full_text="never")
    body = client.get(source.get_absolute_url()).content.decode()
    assert "Never: keep what the feed carries." in body


def test_reader_who_added_it_sees_the_form_with_the_setting_selected(client):
    owner = UserFactory()
    source = SourceFactory(full_text="always", added_by=owner)
    client.force_login(owner)
    body = client.get(source.get_absolute_url()).content.decode()
    assert f'action="{full_text_url(source)}"' in body
    assert '<option value="always" selected>' in body


def test_anonymous_reader_gets_no_form(client):
    source = SourceFactory()
    body = client.get(source.get_absolute_url()).content.decode()
    assert full_text_url(source) not in body
    assert "to change it" in body


def test_reader_who_added_it_changes_the_setting(client):
    owner = UserFactory()
    source = SourceFactory(full_text="auto", added_by=owner)
    client.force_login(owner)
    response = client.post(full_text_url(source), {"full_text": "always"})
    assert response.status_code == 302 and response["Location"] == source.get_absolute_url()
    assert Source.objects.get(pk=source.pk).full_text == "always"


def test_change_is_confirmed_on_the_next_page(client):
    owner = UserFactory()
    source = SourceFactory(name="Evening Post", added_by=owner)
    client.force_login(owner)
    body = client.post(full_text_url(source), {"full_text": "never"}, follow=True).content.decode()
    assert "Full text for Evening Post: never." in body
    assert Source.objects.get(pk=source.pk).full_text == "never"


def test_anonymous_change_is_sent_to_sign_in_and_stores_nothing(client):
    source = SourceFactory(full_text="auto")
    response = client.post(full_text_url(source), {"full_text": "never"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:signin") + "?next=")
    assert Source.objects.get(pk=source.pk).full_text == "auto"


def test_unknown_setting_is_explained_inline(client):
    owner = UserFactory()
    source = SourceFactory(full_text="auto", added_by=owner)
    client.force_login(owner)
    response = client.post(full_text_url(source), {"full_text": "sometimes"})
    assert response.status_code == 400
    assert "Select a valid choice. sometimes is not one of the available choices." in response.content.decode()
    assert Source.objects.get(pk=source.pk).full_text == "auto"


def test_changing_a_missing_source_is_404(client):
    client.force_login(UserFactory())
    response = client.post(reverse("web:source_full_text", args=["no-such-source"]), {"full_text": "never"})
    assert response.status_code == 404


def test_server_wide_switch_is_shown_on_the_source_page(client, settings):
    settings.FETCH_FULL_TEXT = False
    body = client.get(SourceFactory().get_absolute_url()).content.decode()
    assert "Fetching full text is switched off for every source on this server" in body
