"""Download my data and delete my account: every table pointing at a user or profile is found by walking the
model registry, so a table added later is covered by these tests without editing them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.accounts.personal_rows import fill_account, fill_profile, force_login_verified
from tidings.accounts.deletion import KEPT_WITHOUT_OWNER, delete_account, email_hash
from tidings.accounts.models import ApiToken, PasswordResetRequest
from tidings.accounts.personal_data import NOT_EXPORTED, SECTIONS, Subject, export_personal_data
from tidings.personalization.models import Follow, Profile
from tidings.sources.models import Source

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
# Tables pointing at a user that fill_account leaves empty (no reader action makes them).
NOT_FILLED = {"admin.LogEntry", "auth.User_groups", "auth.User_user_permissions"}


def pointers() -> list[tuple[type[models.Model], models.Field[Any, Any]]]:
    """Every (model, field) whose field is a many-to-one or one-to-one to the user model or to Profile."""
    user_model = get_user_model()
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete and (field.many_to_one or field.one_to_one)):
                continue
            if field.related_model in (user_model, Profile):
                found.append((model, field))
    return found


def label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def rows_of(user: Any) -> dict[tuple[str, str], set[Any]]:
    """Primary keys of the rows pointing at the user or at their profile, per (model, field)."""
    profile_ids = list(Profile.objects.filter(user=user).values_list("pk", flat=True))
    out = {}
    for model, field in pointers():
        ids = [user.pk] if field.related_model is get_user_model() else profile_ids
        pks = set(model._base_manager.filter(**{f"{field.attname}__in": ids}).values_list("pk", flat=True))
        out[(label(model), field.name)] = pks
    return out


def test_the_walk_finds_the_known_tables():
    found = {label(m) for m, _ in pointers()}
    assert {"personalization.Follow", "accounts.ApiToken", "feeds.FeedToken", "otp_totp.TOTPDevice"} <= found


def test_every_table_pointing_at_a_reader_is_exported_or_says_why_not():
    exported = {m for section in SECTIONS.values() for m in section.models}
    missing = {label(m) for m, _ in pointers()} - exported - set(NOT_EXPORTED)
    assert not missing, f"add a SECTIONS line (or a NOT_EXPORTED reason) for {sorted(missing)}"


def test_the_filled_account_has_a_row_in_every_table_pointing_at_it():
    user = UserFactory()
    fill_account(user, "a")
    empty = {key[0] for key, pks in rows_of(user).items() if not pks} - NOT_FILLED
    assert not empty, f"tests/accounts/personal_rows.py makes no row in {sorted(empty)}"


def test_delete_account_leaves_no_row_of_the_user_and_keeps_the_other_readers():
    user, other = UserFactory(), UserFactory()
    fill_account(user, "a")
    made_other = fill_account(other, "b")
    before_user, before_other = rows_of(user), rows_of(other)
    added_sources = before_user[("sources.Source", "added_by")]

    delete_account(user)

    assert not get_user_model().objects.filter(pk=user.pk).exists()
    for (model_label, field_name), pks in before_user.items():
        model = apps.get_model(model_label)
        left = model._base_manager.filter(pk__in=pks)
        if (model_label, field_name) in KEPT_WITHOUT_OWNER:
            assert all(getattr(row, f"{field_name}_id") is None for row in left), model_label
        else:
            assert not left.exists(), f"{model_label}.{field_name}: rows of the deleted user remain"
    assert Source.objects.filter(pk__in=added_sources).count() == len(added_sources) == 1
    # Rows naming the user without a foreign key: throttle records (by username), reset requests (by address).
    assert not AccessAttempt.objects.filter(username=user.username).exists()
    assert AccessAttempt.objects.filter(username=other.username).exists()
    assert not PasswordResetRequest.objects.filter(email_hash=email_hash(user.email)).exists()
    assert PasswordResetRequest.objects.filter(email_hash=email_hash(other.email)).exists()
    assert rows_of(other) == before_other
    assert Follow.objects.filter(profile__user=other, category=made_other["category"], weight=1).exists()


def test_export_has_every_section_filled_and_no_secret():
    user = UserFactory()
    made = fill_account(user, "a")
    token, raw = ApiToken.issue(user, name="newsboat")
    document = export_personal_data(Subject(user=user, profile=Profile.objects.get(user=user)))
    assert set(SECTIONS) <= set(document)
    assert all(document[name] for name in SECTIONS), [n for n in SECTIONS if not document[n]]
    follows = {(f["kind"], f["action"], f["weight"]) for f in document["follows"]}
    assert follows == {("category", "follow", 1), ("source", "mute", 0)}
    assert document["article_states"][0]["saved_at"] is not None
    assert document["interactions"][0]["value"] == 42
    assert document["interests"][0]["name"] == made["category"].name
    assert document["two_factor"] == {"enabled": True, "recovery_codes_left": 1}
    text = json.dumps(document, default=str)
    assert raw not in text and token.key_hash not in text and "feedtoken-a" not in text
    assert made["totp"].key not in text


def test_web_download_is_a_json_attachment(client):
    user = UserFactory()
    fill_account(user, "a")
    force_login_verified(client, user)
    response = client.get(reverse("account:data_export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(f'attachment; filename="tidings-{user.username}-')
    document = json.loads(response.content)
    assert document["account"]["username"] == user.username and len(document["follows"]) == 2


def test_web_delete_needs_the_password(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("account:data_delete"), {"password": "not it"})
    assert response.status_code == 400
    assert "That is not your password." in response.content.decode()
    assert get_user_model().objects.filter(pk=user.pk).exists()


def test_web_delete_with_the_password_deletes_and_signs_out(client):
    user = UserFactory()
    fill_account(user, "a")
    force_login_verified(client, user)
    response = client.post(reverse("account:data_delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("account:overview")).status_code == 302  # to sign in


def test_anonymous_visitor_downloads_and_deletes_their_browser_data(client):
    other = Profile.objects.create(session_key="someone-else")
    fill_profile(other, "other")
    client.post(reverse("web:follow", args=["category", fill_profile_target()]))
    profile = Profile.objects.get(pk=client.session["profile_id"])
    document = json.loads(client.get(reverse("account:data_export")).content)
    assert document["account"] is None and len(document["follows"]) == 1
    response = client.post(reverse("account:data_delete"))
    assert response.status_code == 302
    assert not Profile.objects.filter(pk=profile.pk).exists()
    assert not Follow.objects.filter(profile_id=profile.pk).exists()
    assert Follow.objects.filter(profile=other).count() == 2


def fill_profile_target() -> int:
    from tests.taxonomy.factories import CategoryFactory

    return CategoryFactory(name="anonymous pick", slug="anonymous-pick").pk


def test_data_page_offers_download_opml_and_delete(client):
    user = UserFactory()
    client.force_login(user)
    body = client.get(reverse("account:data")).content.decode()
    assert reverse("account:data_export") in body and reverse("web:export_follows") in body
    assert 'for="id_password"' in body and "Delete my account" in body


def test_wrong_passwords_on_the_delete_form_count_for_the_sign_in_lock(client, settings):
    settings.SIGNIN_MAX_FAILURES = 3
    user = UserFactory()
    client.force_login(user)
    for _ in range(3):
        client.post(reverse("account:data_delete"), {"password": "guess"}, REMOTE_ADDR="203.0.113.50")
    locked = client.post(reverse("account:data_delete"), {"password": PASSWORD}, REMOTE_ADDR="203.0.113.50")
    assert locked.status_code == 429
    assert get_user_model().objects.filter(pk=user.pk).exists()
