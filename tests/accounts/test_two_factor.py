"""Two-factor sign-in: enrol with one code, the sign-in asks for a code, recovery codes, disable, apps' tokens."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.factories import UserFactory
from tests.accounts.personal_rows import force_login_verified
from tidings.accounts import two_factor
from tidings.accounts.models import ApiToken

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0 - steps_ahead * device.step, digits=6):06d}"


def enrolled(user) -> list[str]:
    enrolment = two_factor.start_enrolment(user)
    device = TOTPDevice.objects.get(pk=enrolment.device_id)
    codes = two_factor.confirm_enrolment(user, device.pk, code_for(device))
    assert codes is not None
    return codes


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(reverse("accounts:signin"), {"username": username, "password": password, **extra})


def test_enrolment_shows_the_secret_and_the_otpauth_link(client):
    user = UserFactory(username="ada")
    client.force_login(user)
    client.post(reverse("account:two_factor_start"))
    body = client.get(reverse("account:two_factor")).content.decode()
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', body).group(1)
    assert secret == two_factor.enrolment_of(device).secret
    assert "otpauth://totp/Tidings%3Aada?secret=" in body.replace("&amp;", "&")
    assert 'for="id_code"' in body


def test_enrolment_asks_for_the_apps_code_not_a_recovery_code(client):
    """Recovery codes are made when two-factor turns on: the enrolment form does not offer them; the sign-in's
    code step does."""
    user = UserFactory(username="ada")
    client.force_login(user)
    client.post(reverse("account:two_factor_start"))
    body = client.get(reverse("account:two_factor")).content.decode()
    assert "The 6-digit code your authenticator app shows now." in body
    assert "recovery codes." not in body
    enrolled(user)
    signed_out = Client()
    sign_in(signed_out, user.username)
    step = signed_out.get(reverse("accounts:signin_code")).content.decode()
    assert "or one of your recovery codes" in step


def test_a_wrong_code_leaves_two_factor_off(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("account:two_factor_start"))
    device = TOTPDevice.objects.get(user=user)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("account:two_factor_confirm"), {"code": wrong})
    assert response.status_code == 400 and "That code is not right" in response.content.decode()
    assert not two_factor.is_enabled(user)


def test_the_right_code_turns_it_on_and_shows_ten_recovery_codes_once(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("account:two_factor_start"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("account:two_factor_confirm"), {"code": code_for(device)})
    body = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    shown = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", body)
    assert len(shown) == 10
    assert sorted(shown) == sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert two_factor.is_enabled(user)
    assert not re.findall(r"<li><code>", client.get(reverse("account:two_factor")).content.decode())


def test_sign_in_asks_for_the_code_and_signs_in_only_with_it():
    user = UserFactory(username="bea")
    enrolled(user)
    client = Client()
    response = sign_in(client, "bea", next="/me/diet/")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:signin_code")
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("accounts:signin_code"), {"code": "000000"})
    assert wrong.status_code == 400 and "_auth_user_id" not in client.session
    device = TOTPDevice.objects.get(user=user)
    device.throttling_failure_count = 0  # the wrong code above made the device wait; that is tested below
    device.throttling_failure_timestamp = None
    device.save()
    # Enrolment used this step's code; the next step's is within the tolerance of one step.
    right = client.post(reverse("accounts:signin_code"), {"code": code_for(device, steps_ahead=1)})
    assert right.status_code == 302 and right["Location"] == "/me/diet/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_code_cannot_be_used_twice():
    user = UserFactory(username="cy")
    enrolled(user)  # used the current code
    device = TOTPDevice.objects.get(user=user)
    client = Client()
    sign_in(client, "cy")
    response = client.post(reverse("accounts:signin_code"), {"code": code_for(device)})
    assert response.status_code == 400 and "_auth_user_id" not in client.session


def test_wrong_codes_are_throttled_by_the_device():
    user = UserFactory(username="dee")
    enrolled(user)
    device = TOTPDevice.objects.get(user=user)
    assert two_factor.verify_sign_in_code(user, "000001") is None
    # Right after a failure the device refuses even the right code (django-otp's growing wait).
    assert two_factor.verify_sign_in_code(user, code_for(device, steps_ahead=1)) is None


def test_five_wrong_codes_need_the_password_again():
    user = UserFactory(username="eve")
    enrolled(user)
    client = Client()
    sign_in(client, "eve")
    for _ in range(4):
        assert client.post(reverse("accounts:signin_code"), {"code": "123456"}).status_code == 400
    response = client.post(reverse("accounts:signin_code"), {"code": "123456"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:signin")
    assert client.get(reverse("accounts:signin_code"))["Location"] == reverse("accounts:signin")


def test_the_code_step_expires(monkeypatch):
    user = UserFactory(username="fay")
    enrolled(user)
    client = Client()
    sign_in(client, "fay")
    later = time.time() + 11 * 60
    monkeypatch.setattr("tidings.accounts.pending_signin.time.time", lambda: later)
    response = client.get(reverse("accounts:signin_code"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:signin")


def test_a_recovery_code_signs_in_once():
    user = UserFactory(username="gus")
    codes = enrolled(user)
    client = Client()
    sign_in(client, "gus")
    response = client.post(reverse("accounts:signin_code"), {"code": codes[0].upper()[:4] + "-" + codes[0][4:]})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)
    assert two_factor.two_factor_status(user).recovery_codes_left == 9
    again = Client()
    sign_in(again, "gus")
    assert again.post(reverse("accounts:signin_code"), {"code": codes[0]}).status_code == 400


def test_disable_needs_the_password(client):
    user = UserFactory()
    enrolled(user)
    force_login_verified(client, user)
    refused = client.post(reverse("account:two_factor_disable"), {"password": "wrong"})
    assert refused.status_code == 400 and two_factor.is_enabled(user)
    client.post(reverse("account:two_factor_disable"), {"password": PASSWORD})
    assert not two_factor.is_enabled(user)
    assert not StaticToken.objects.filter(device__user=user).exists()
    assert sign_in(Client(), user.username)["Location"] == reverse("web:my_news")


def test_new_recovery_codes_replace_the_old(client):
    user = UserFactory()
    old = enrolled(user)
    force_login_verified(client, user)
    body = client.post(reverse("account:two_factor_recovery"), {"password": PASSWORD}).content.decode()
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", body)
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == set(new)


def test_api_tokens_keep_working_with_two_factor_on(client):
    user = UserFactory()
    _, raw = ApiToken.issue(user)
    enrolled(user)
    assert client.get("/api/me/follows", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


def test_client_login_takes_an_api_token_not_the_password_once_two_factor_is_on(client):
    user = UserFactory(username="hal")
    _, raw = ApiToken.issue(user)
    assert client.post("/accounts/ClientLogin", {"Email": "hal", "Passwd": PASSWORD}).status_code == 200
    assert client.post("/accounts/ClientLogin", {"Email": "hal", "Passwd": raw}).status_code == 401
    enrolled(user)
    refused = client.post("/accounts/ClientLogin", {"Email": "hal", "Passwd": PASSWORD})
    assert refused.status_code == 401 and "two-factor sign-in is on" in refused.content.decode()
    accepted = client.post("/accounts/ClientLogin", {"Email": "hal", "Passwd": raw})
    assert accepted.status_code == 200 and "Auth=tid_" in accepted.content.decode()
    other = UserFactory(username="ivy")
    enrolled(other)
    assert client.post("/accounts/ClientLogin", {"Email": "ivy", "Passwd": raw}).status_code == 401


def test_a_password_only_sign_in_elsewhere_is_signed_out_when_two_factor_is_on():
    """The admin's sign-in page takes the password alone; the session it makes does not outlive its next request."""
    user = UserFactory(username="jo", is_staff=True, is_superuser=True)
    enrolled(user)
    client = Client()
    response = client.post(reverse("admin:login"), {"username": "jo", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
    admin = client.get("/admin/")
    assert admin.status_code == 302 and admin["Location"].startswith(reverse("admin:login"))
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("account:overview")).status_code == 302


def test_a_verified_session_may_use_the_admin():
    user = UserFactory(username="kim", is_staff=True, is_superuser=True)
    enrolled(user)
    client = Client()
    sign_in(client, "kim")
    device = TOTPDevice.objects.get(user=user)
    client.post(reverse("accounts:signin_code"), {"code": code_for(device, steps_ahead=1)})
    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("account:overview")).status_code == 200


def test_turning_two_factor_on_signs_out_the_other_sessions_and_keeps_this_one():
    user = UserFactory(username="lee")
    here, there = Client(), Client()
    sign_in(here, "lee")
    sign_in(there, "lee")
    here.post(reverse("account:two_factor_start"))
    device = TOTPDevice.objects.get(user=user)
    assert here.post(reverse("account:two_factor_confirm"), {"code": code_for(device)}).status_code == 200
    assert here.get(reverse("account:overview")).status_code == 200
    assert there.get(reverse("account:overview")).status_code == 302


def test_a_code_typed_during_the_wait_is_told_to_wait_not_that_it_is_wrong():
    user = UserFactory(username="fay")
    enrolled(user)
    device = TOTPDevice.objects.get(user=user)
    client = Client()
    sign_in(client, "fay")
    wrong = client.post(reverse("accounts:signin_code"), {"code": "000000"}).content.decode()
    assert "That code is not right" in wrong
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=4)  # a wait of 8 s, however slow this runs
    right_too_soon = client.post(reverse("accounts:signin_code"), {"code": code_for(device, steps_ahead=1)})
    body = right_too_soon.content.decode()
    assert right_too_soon.status_code == 400 and re.search(r"wait [5-8] seconds", body) and "not right" not in body
    assert "_auth_user_id" not in client.session
