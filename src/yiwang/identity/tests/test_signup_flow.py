"""Register with a phone number and an SMS code, sign out, sign in again (by password or code)."""

from __future__ import annotations

import pytest
from django.test import Client

from yiwang.identity.models import User
from yiwang.platform.selectors import latest_sandbox_code, sandbox_messages_to

# Transactional: the SMS leaves through the outbox after commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "+8613700000123"


def _signup(client, phone="137 0000 0123", password="Qingxi2026"):
    return client.post("/accounts/signup/", {"phone": phone, "password1": password})


def test_signup_sends_a_code_and_the_code_verifies_the_phone(client):
    response = _signup(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/phone/verify/"

    code = latest_sandbox_code(PHONE)
    assert code is not None
    assert len(code) == 6
    user = User.objects.get()
    assert user.phone == PHONE
    assert user.phone_verified is False

    confirmed = client.post("/accounts/phone/verify/", {"code": code})

    assert confirmed.status_code == 302
    user.refresh_from_db()
    assert user.phone_verified is True
    assert client.get("/me/").status_code == 200


def test_a_wrong_code_does_not_verify_the_phone(client):
    _signup(client)
    real = latest_sandbox_code(PHONE)
    wrong = "000000" if real != "000000" else "111111"

    response = client.post("/accounts/phone/verify/", {"code": wrong})

    assert response.status_code == 200
    assert "验证码" in response.content.decode() or "代码" in response.content.decode()
    assert User.objects.get().phone_verified is False


def test_a_badly_typed_phone_number_is_explained(client):
    response = _signup(client, phone="12345")
    assert response.status_code == 200
    assert "请输入11位手机号码" in response.content.decode()
    assert not User.objects.exists()


def test_a_weak_password_is_refused_with_the_rule(client):
    response = _signup(client, password="12345678")
    page = response.content.decode()
    assert response.status_code == 200
    assert "密码须同时包含字母和数字" in page or "不能全都是数字" in page
    assert not User.objects.exists()


def test_the_same_phone_cannot_register_twice(client):
    _signup(client)
    client.post("/accounts/phone/verify/", {"code": latest_sandbox_code(PHONE)})
    client.post("/accounts/logout/")

    response = _signup(client)

    assert User.objects.count() == 1
    # Enumeration prevention: the form never says the number exists; a repeat within a minute
    # is answered with the friendly "too frequent" page, and no second account appears.
    assert response.status_code == 429
    assert "操作过于频繁" in response.content.decode()


def test_sign_in_by_phone_and_password_after_signing_out(client):
    _signup(client)
    client.post("/accounts/phone/verify/", {"code": latest_sandbox_code(PHONE)})
    client.post("/accounts/logout/")
    assert client.get("/me/").status_code == 302

    response = client.post("/accounts/login/", {"login": "13700000123", "password": "Qingxi2026"})

    assert response.status_code == 302
    assert client.get("/me/").status_code == 200


def test_wrong_password_does_not_sign_in(client):
    _signup(client)
    client.post("/accounts/phone/verify/", {"code": latest_sandbox_code(PHONE)})
    client.post("/accounts/logout/")

    response = client.post("/accounts/login/", {"login": "13700000123", "password": "wrong-pass1"})

    assert response.status_code == 200
    assert client.get("/me/").status_code == 302


def test_sign_in_by_sms_code(client):
    _signup(client)
    client.post("/accounts/phone/verify/", {"code": latest_sandbox_code(PHONE)})
    client.post("/accounts/logout/")

    requested = client.post("/accounts/login/code/", {"phone": "13700000123"})
    assert requested.status_code == 302
    code = latest_sandbox_code(PHONE)
    confirmed = client.post(requested["Location"], {"code": code})

    assert confirmed.status_code == 302
    assert client.get("/me/").status_code == 200


def test_signup_by_email_sends_a_code_by_mail(client):
    response = client.post(
        "/accounts/signup/", {"email": "Chen@Example.com", "password1": "Qingxi2026"}
    )
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "chen@example.com"
    assert user.phone == ""
    [mail] = sandbox_messages_to("chen@example.com")
    assert mail.channel == "email"


def test_signup_needs_a_phone_or_an_email(client):
    response = client.post("/accounts/signup/", {"password1": "Qingxi2026"})
    assert response.status_code == 200
    assert "请填写手机号码或电子邮箱" in response.content.decode()
    assert not User.objects.exists()


def test_sign_in_by_email_and_password(client):
    client.post("/accounts/signup/", {"email": "li@example.com", "password1": "Qingxi2026"})
    client.post("/accounts/logout/")
    response = client.post(
        "/accounts/login/", {"login": "li@example.com", "password": "Qingxi2026"}
    )
    assert response.status_code == 302
    assert client.get("/me/").status_code == 200


def test_repeated_wrong_passwords_lock_the_account_for_a_while(client):
    client.post("/accounts/signup/", {"email": "wu@example.com", "password1": "Qingxi2026"})
    client.post("/accounts/logout/")
    for _ in range(5):
        wrong = client.post(
            "/accounts/login/", {"login": "wu@example.com", "password": "bad-pass1"}
        )
        assert wrong.status_code == 200

    locked = client.post("/accounts/login/", {"login": "wu@example.com", "password": "Qingxi2026"})

    assert locked.status_code == 200
    assert "登录失败次数过多" in locked.content.decode()
    assert client.get("/me/").status_code == 302


def test_sms_code_requests_are_rate_limited(client):
    _signup(client)
    client.post("/accounts/phone/verify/", {"code": latest_sandbox_code(PHONE)})
    client.post("/accounts/logout/")
    sent_before = len(sandbox_messages_to(PHONE))
    # Each request from a fresh session, as a script hammering the endpoint would.
    statuses = [
        Client().post("/accounts/login/code/", {"phone": "13700000123"}).status_code
        for _ in range(5)
    ]
    assert statuses == [302, 302, 302, 200, 200]
    assert len(sandbox_messages_to(PHONE)) - sent_before == 3
