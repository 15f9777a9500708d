"""The Editors group and `tidings create_editor`; what an editor sees of accounts (no secrets) and may not do."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.accounts.newsroom import editor, newsroom
from tidings.accounts.editors import editor_permission_names, is_editor, sync_editors_group
from tidings.accounts.models import ApiToken
from tidings.feeds.models import FeedToken
from tidings.personalization.models import Profile
from tidings.sources.access import EDITORS_GROUP, reader_for

pytestmark = pytest.mark.django_db


def test_create_editor_makes_an_existing_account_a_staff_editor():
    user = UserFactory(username="ada")
    out = io.StringIO()
    call_command("create_editor", "ada", stdout=out)
    user.refresh_from_db()
    assert user.is_staff and not user.is_superuser and is_editor(user)
    assert reader_for(user).is_editor  # the sources app's rule agrees
    assert "'ada' is an editor" in out.getvalue()
    assert user.has_perm("stories.change_story") and not user.has_perm("auth.change_user")


def test_the_group_holds_exactly_the_listed_permissions_after_a_change_by_hand():
    group = sync_editors_group()
    group.permissions.clear()
    call_command("create_editor", stdout=io.StringIO())  # no username: only brings the group up to date
    held = {f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name=EDITORS_GROUP).permissions.all()}
    assert held == set(editor_permission_names())
    assert not any(name.startswith(("auth.change", "auth.add", "auth.delete")) for name in held)


def test_create_editor_refuses_an_unknown_account_and_changes_nothing():
    UserFactory(username="ada")
    with pytest.raises(CommandError, match="no account named 'nobody'; create it with `tidings create_user`"):
        call_command("create_editor", "ada", "nobody", stdout=io.StringIO())
    assert not Group.objects.filter(name=EDITORS_GROUP, user__username="ada").exists()


def test_editor_sees_a_readers_profile_but_no_secret(client):
    newsroom(1)
    reader = Profile.objects.get().user
    FeedToken.objects.create(profile=reader.profile, token="feed-secret-0123456789")
    token = ApiToken.objects.get(user=reader)
    client.force_login(editor())
    page = client.get(reverse("admin:auth_user_change", args=[reader.pk])).content.decode()
    assert "Harbour Board 1" in page  # what the reader follows
    assert "Gazette 1" in page  # and mutes
    assert token.prefix in page and token.name in page
    assert token.key_hash not in page
    assert "feed-secret-0123456789" not in page
    assert reader.password not in page and "md5$" not in page  # not even the masked hash summary
    assert "field-password" not in page  # the row Django shows staff who may change the account


def test_superuser_still_sees_the_password_row(admin_client):
    reader = UserFactory(username="ada")
    page = admin_client.get(reverse("admin:auth_user_change", args=[reader.pk])).content.decode()
    assert "field-password" in page


def test_editor_cannot_change_an_account_or_make_themselves_superuser(client):
    ed = editor()
    client.force_login(ed)
    url = reverse("admin:auth_user_change", args=[ed.pk])
    response = client.post(url, {"username": "ed", "is_superuser": "on", "is_staff": "on"})
    assert response.status_code == 403
    ed.refresh_from_db()
    assert not ed.is_superuser
