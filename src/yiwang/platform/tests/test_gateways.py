from __future__ import annotations

import logging
import time
from datetime import date

import pytest
from django.db import connection

from yiwang.platform.errors import GatewayError
from yiwang.platform.gateways import (
    get_email_gateway,
    get_realname_gateway,
    get_sms_gateway,
)
from yiwang.platform.gateways.realname import (
    ENTERPRISE_NAME_MISMATCH,
    ENTERPRISE_NOT_FOUND,
    LEGAL_REPRESENTATIVE_MISMATCH,
    PERSON_NAME_MISMATCH,
    PERSON_NOT_FOUND,
    SandboxRealNameGateway,
)
from yiwang.platform.gateways.sms import SandboxSmsGateway
from yiwang.platform.models import SandboxMessage, SandboxMessageStatus
from yiwang.platform.services import (
    SandboxEnterpriseData,
    SandboxPersonData,
    sandbox_registry_add_enterprises,
    sandbox_registry_add_people,
)
from yiwang.platform.tests.factories import citizen_id, uscc

pytestmark = pytest.mark.django_db


def test_factories_give_the_classes_named_in_settings_once_each():
    assert isinstance(get_sms_gateway(), SandboxSmsGateway)
    assert get_sms_gateway() is get_sms_gateway()
    assert isinstance(get_realname_gateway(), SandboxRealNameGateway)


def test_factory_follows_a_changed_setting(settings):
    settings.SMS_GATEWAY = "yiwang.platform.tests.test_gateways.SilentSmsGateway"
    assert isinstance(get_sms_gateway(), SilentSmsGateway)


class SilentSmsGateway:
    def send(self, *, phone: str, text: str):
        raise AssertionError("not called")


def test_sandbox_sms_keeps_the_message_and_reports_delivery_after_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        receipt = get_sms_gateway().send(phone="+86 138 1234 5678", text="验证码 1234")
    message = SandboxMessage.objects.get(reference=receipt.reference)
    assert receipt.reference.startswith("SBX-SMS-")
    assert message.status == SandboxMessageStatus.SENT
    assert message.recipient_masked == "138****5678"
    assert message.delivered_at is None

    for callback in callbacks:
        callback()
    message.refresh_from_db()
    assert message.status == SandboxMessageStatus.DELIVERED
    assert message.delivered_at is not None


def test_sandbox_recipient_is_encrypted_at_rest(django_capture_on_commit_callbacks):
    receipt = get_sms_gateway().send(phone="13812345678", text="hello")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT recipient FROM platform_sandboxmessage WHERE reference = %s",
            [receipt.reference],
        )
        (ciphertext,) = cursor.fetchone()
    assert "13812345678" not in ciphertext


def test_sandbox_email_keeps_subject_and_body():
    receipt = get_email_gateway().send(to="wang@example.cn", subject="通知", text="正文")
    message = SandboxMessage.objects.get(reference=receipt.reference)
    assert (message.channel, message.subject, message.body) == ("email", "通知", "正文")
    assert message.recipient_masked == "w***@example.cn"


def test_sandbox_fails_as_often_as_configured(settings):
    settings.SANDBOX_FAILURE_RATE = 1.0
    with pytest.raises(GatewayError) as caught:
        get_sms_gateway().send(phone="13812345678", text="x")
    assert caught.value.code == "gateway_unavailable"
    assert caught.value.status == 503
    assert SandboxMessage.objects.count() == 0


def test_sandbox_takes_the_configured_time(settings):
    settings.SANDBOX_DELAY_MS = 30
    started = time.perf_counter()
    get_sms_gateway().send(phone="13812345678", text="x")
    assert time.perf_counter() - started >= 0.03


# --- Real-name verification -------------------------------------------------------------------

ZHANG_SAN = citizen_id(11)


@pytest.fixture
def registry():
    sandbox_registry_add_people(
        [
            SandboxPersonData(name="张三", citizen_id=ZHANG_SAN),
            SandboxPersonData(name="买买提·艾力", citizen_id=citizen_id(13)),
        ]
    )
    sandbox_registry_add_enterprises(
        [
            SandboxEnterpriseData(
                name="三明市示例科技有限公司",
                uscc=uscc(),
                legal_representative_name="张三",
                legal_representative_citizen_id=ZHANG_SAN,
                registered_on=date(2015, 3, 1),
            )
        ]
    )


def test_person_in_the_registry_matches(registry):
    result = get_realname_gateway().verify_person(name="张三", citizen_id=ZHANG_SAN.lower())
    assert result.matched
    assert result.reason == ""
    assert result.reference.startswith("SBX-RN-")


def test_minority_name_matches_whichever_middle_dot_is_typed(registry):
    result = get_realname_gateway().verify_person(name="买买提•艾力", citizen_id=citizen_id(13))
    assert result.matched


def test_wrong_name_does_not_match(registry):
    result = get_realname_gateway().verify_person(name="李四", citizen_id=ZHANG_SAN)
    assert not result.matched
    assert result.reason == PERSON_NAME_MISMATCH == "姓名与身份证号码不一致"


def test_unknown_citizen_id_does_not_match(registry):
    result = get_realname_gateway().verify_person(name="张三", citizen_id=citizen_id(99))
    assert (result.matched, result.reason) == (False, PERSON_NOT_FOUND)


def test_malformed_citizen_id_does_not_match_and_says_why(registry):
    result = get_realname_gateway().verify_person(name="张三", citizen_id=ZHANG_SAN[:17] + "0")
    assert not result.matched
    assert "校验码" in result.reason


def test_real_name_check_never_logs_the_citizen_id(registry, caplog):
    caplog.set_level(logging.DEBUG)
    get_realname_gateway().verify_person(name="李四", citizen_id=ZHANG_SAN)
    assert caplog.records
    assert ZHANG_SAN not in caplog.text


def test_real_name_check_fails_as_a_gateway_error_when_the_sandbox_fails(registry, settings):
    settings.SANDBOX_FAILURE_RATE = 1.0
    with pytest.raises(GatewayError):
        get_realname_gateway().verify_person(name="张三", citizen_id=ZHANG_SAN)


def test_enterprise_in_the_registry_matches(registry):
    result = get_realname_gateway().verify_enterprise(
        name="三明市示例科技有限公司", uscc=uscc(), legal_representative="张三"
    )
    assert result.matched
    assert result.reference.startswith("SBX-EN-")


@pytest.mark.parametrize(
    ("name", "code", "representative", "reason"),
    [
        ("另一家公司", uscc(), "张三", ENTERPRISE_NAME_MISMATCH),
        ("三明市示例科技有限公司", uscc(), "李四", LEGAL_REPRESENTATIVE_MISMATCH),
        ("三明市示例科技有限公司", uscc("M000200Y"), "张三", ENTERPRISE_NOT_FOUND),
    ],
)
def test_enterprise_mismatch_says_which_part_differs(registry, name, code, representative, reason):
    result = get_realname_gateway().verify_enterprise(
        name=name, uscc=code, legal_representative=representative
    )
    assert (result.matched, result.reason) == (False, reason)
