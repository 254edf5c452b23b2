"""Staff must use a TOTP second factor: set it up first, then give a code at every sign-in."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from yiwang.identity import services
from yiwang.identity.models import StaffRole

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXP"


def totp_now(secret: str = SECRET) -> str:
    return str(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))


def _staff(department, *, with_totp: bool):
    user = services.staff_account_create(
        username="clerk1",
        password="Chuangkou2026",
        display_name="窗口一号",
        department=department,
        role=StaffRole.WINDOW_CLERK,
        phone="13600000001",
    )
    if with_totp:
        services.staff_second_factor_activate(user=user, secret=SECRET)
    return user


def test_staff_without_a_second_factor_must_set_one_up_first(client, department):
    user = _staff(department, with_totp=False)
    client.force_login(user)

    response = client.get("/workbench/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_citizens_are_not_asked_for_a_second_factor(client, verified_person):
    person = verified_person("普通市民")
    client.force_login(person.user)
    assert client.get("/me/").status_code == 200


def test_staff_sign_in_asks_for_the_totp_code(client, department):
    _staff(department, with_totp=True)

    first = client.post("/accounts/login/", {"login": "13600000001", "password": "Chuangkou2026"})
    assert first.status_code == 302
    assert first["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/workbench/").status_code == 302

    second = client.post("/accounts/2fa/authenticate/", {"code": totp_now()})

    assert second.status_code == 302
    assert client.get("/workbench/").status_code == 200


def test_a_wrong_totp_code_keeps_staff_out(client, department):
    _staff(department, with_totp=True)
    client.post("/accounts/login/", {"login": "13600000001", "password": "Chuangkou2026"})
    real = totp_now()
    wrong = f"{(int(real) + 1) % 1_000_000:06d}"

    response = client.post("/accounts/2fa/authenticate/", {"code": wrong})

    assert response.status_code == 200
    assert client.get("/workbench/").status_code == 302


def test_workbench_is_not_found_for_citizens(client, verified_person):
    person = verified_person("好奇市民")
    client.force_login(person.user)
    assert client.get("/workbench/").status_code == 404


def test_totp_secret_is_stored_encrypted(department):
    user = _staff(department, with_totp=True)
    stored = Authenticator.objects.get(user=user).data["secret"]
    assert SECRET not in stored
    assert stored.startswith("v1:")


def test_key_rotation_re_encrypts_totp_secrets(department, settings):
    from yiwang.platform.services import data_keys_rotate

    user = _staff(department, with_totp=True)
    old = Authenticator.objects.get(user=user).data["secret"]
    new_key = "cm90YXRpb24tdGVzdC1rZXktMzItYnl0ZXMtbG9uZyE="
    settings.DATA_KEYS = f"k2:{new_key},{settings.DATA_KEYS}"

    counts = {c.field: c.rotated for c in data_keys_rotate()}

    assert counts["mfa.authenticator.data.secret"] == 1
    stored = Authenticator.objects.get(user=user).data["secret"]
    assert stored.startswith("v1:k2:")
    assert stored != old
    assert {c.field: c.rotated for c in data_keys_rotate()}["mfa.authenticator.data.secret"] == 0
