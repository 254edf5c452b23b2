from __future__ import annotations

import pytest

from yiwang.platform.errors import NotFound
from yiwang.platform.gateways import get_email_gateway, get_sms_gateway
from yiwang.platform.selectors import (
    latest_sandbox_code,
    sandbox_messages_for_administrator,
    sandbox_messages_to,
)
from yiwang.platform.tests.factories import make_administrator, make_user

pytestmark = pytest.mark.django_db


def test_messages_to_a_phone_are_found_however_the_number_is_written():
    get_sms_gateway().send(phone="+8613800000002", text="第一条")
    get_sms_gateway().send(phone="13800000002", text="第二条")
    get_sms_gateway().send(phone="13800000003", text="别人的")
    found = sandbox_messages_to("138 0000 0002")
    assert [m.body for m in found] == ["第二条", "第一条"]


def test_latest_code_is_the_last_code_in_the_newest_sms():
    get_sms_gateway().send(phone="+8613800000002", text="【一网】验证码 111111，5分钟内有效。")
    get_sms_gateway().send(
        phone="+8613800000002", text="【一网】您的验证码是 482913，5分钟内有效。"
    )
    get_email_gateway().send(to="a@example.cn", subject="x", text="code 999999")
    assert latest_sandbox_code("13800000002") == "482913"


def test_latest_code_is_none_without_an_sms_or_without_a_code():
    assert latest_sandbox_code("13800000009") is None
    get_sms_gateway().send(phone="13800000009", text="您的办件已受理。")
    assert latest_sandbox_code("13800000009") is None


def test_only_administrators_may_list_sandbox_messages():
    get_sms_gateway().send(phone="13800000002", text="x")
    assert sandbox_messages_for_administrator(make_administrator()).count() == 1
    with pytest.raises(NotFound):
        sandbox_messages_for_administrator(make_user())
