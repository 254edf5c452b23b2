from __future__ import annotations

import pytest
from django.urls import reverse

from yiwang.platform.gateways import get_sms_gateway
from yiwang.platform.tests.factories import make_administrator, make_user

pytestmark = pytest.mark.django_db

URL = "/platform/sandbox/messages/"


def test_page_is_wired_under_platform():
    assert reverse("platform:sandbox_messages") == URL


def test_anonymous_visitor_gets_not_found(client):
    get_sms_gateway().send(phone="13812345678", text="验证码 123456")
    response = client.get(URL)
    assert response.status_code == 404
    assert "123456" not in response.content.decode()


def test_citizen_gets_not_found(client):
    client.force_login(make_user())
    assert client.get(URL).status_code == 404


def test_administrator_sees_messages_newest_first_with_masked_recipients(client):
    get_sms_gateway().send(phone="13812345678", text="较早的验证码 111111")
    get_sms_gateway().send(phone="13812345678", text="较新的验证码 222222")
    client.force_login(make_administrator())
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "138****5678" in page
    assert "13812345678" not in page
    assert page.index("222222") < page.index("111111")


def test_administrator_pages_through_many_messages(client):
    for n in range(25):
        get_sms_gateway().send(phone="13812345678", text=f"第{n:02d}条")
    client.force_login(make_administrator())
    first = client.get(URL).content.decode()
    second = client.get(URL, {"page": 2}).content.decode()
    assert "第24条" in first
    assert "第04条" not in first
    assert "第04条" in second
    assert "第 2 / 2 页" in second


def test_administrator_sees_an_empty_state(client):
    client.force_login(make_administrator())
    assert "还没有发出任何消息" in client.get(URL).content.decode()
