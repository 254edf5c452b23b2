from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from yiwang.platform import outbox, tasks
from yiwang.platform.models import OutboxMessage, OutboxStatus, SandboxMessage
from yiwang.platform.selectors import sandbox_messages_to
from yiwang.platform.services import outbox_enqueue, outbox_retry

pytestmark = pytest.mark.django_db

PHONE = "+8613800000001"


def enqueue_sms(body: str = "【一网】您的验证码是 482913，5分钟内有效。", **extra) -> OutboxMessage:
    return outbox_enqueue(channel="sms", recipient=PHONE, body=body, **extra)


def reload(message: OutboxMessage) -> OutboxMessage:
    return OutboxMessage.objects.get(pk=message.pk)


def test_enqueued_message_is_sent_once_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue_sms()
    message = reload(message)
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 1
    assert message.sent_at is not None
    assert message.provider_reference.startswith("SBX-SMS-")
    sent = sandbox_messages_to(PHONE)
    assert [m.reference for m in sent] == [message.provider_reference]
    assert sent[0].body == message.body


def test_running_the_task_and_the_sweep_again_sends_nothing_more(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue_sms()
    tasks.deliver_outbox_message.enqueue(message.pk)
    tasks.deliver_due_outbox_messages.enqueue()
    assert SandboxMessage.objects.count() == 1
    assert reload(message).attempts == 1


def test_nothing_is_sent_before_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = enqueue_sms()
    assert len(callbacks) == 1
    assert reload(message).status == OutboxStatus.PENDING
    assert SandboxMessage.objects.count() == 0


def test_rolled_back_message_is_never_written_nor_sent(django_capture_on_commit_callbacks):
    def write_then_fail() -> None:
        with transaction.atomic():
            enqueue_sms()
            raise RuntimeError("the surrounding write failed")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        write_then_fail()
    assert OutboxMessage.objects.count() == 0
    assert SandboxMessage.objects.count() == 0


def test_recipient_is_encrypted_at_rest_and_masked_for_display():
    message = enqueue_sms()
    assert message.recipient_masked == "138****0001"
    assert reload(message).recipient == PHONE
    with connection.cursor() as cursor:
        cursor.execute("SELECT recipient FROM platform_outboxmessage WHERE id = %s", [message.pk])
        (ciphertext,) = cursor.fetchone()
    assert ciphertext.startswith("v1:")
    assert "13800000001" not in ciphertext


def test_same_dedupe_key_gives_the_same_message_and_one_send(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = enqueue_sms(dedupe_key="case-1:accepted")
        second = enqueue_sms(dedupe_key="case-1:accepted")
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1
    assert SandboxMessage.objects.count() == 1


def test_mail_goes_through_the_email_gateway(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox_enqueue(
            channel="email", recipient="li.si@example.cn", subject="办件受理通知", body="已受理。"
        )
    message = reload(message)
    assert message.status == OutboxStatus.SENT
    assert message.recipient_masked == "l***@example.cn"
    (sent,) = sandbox_messages_to("li.si@example.cn")
    assert sent.subject == "办件受理通知"
    assert sent.channel == "email"


def test_webhook_goes_through_the_webhook_gateway(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox_enqueue(
            channel="webhook", recipient="https://dept.example.gov.cn/hook", body='{"case": 1}'
        )
    assert reload(message).provider_reference.startswith("SBX-HOOK-")


def test_unknown_channel_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown outbox channel"):
        outbox_enqueue(channel="pigeon", recipient="x", body="y")


def test_back_off_doubles_from_thirty_seconds_up_to_an_hour():
    assert [outbox.retry_delay(n).total_seconds() for n in range(1, 7)] == [
        30,
        60,
        120,
        240,
        480,
        960,
    ]
    assert outbox.retry_delay(20) == timedelta(hours=1)


def test_failed_send_is_retried_with_back_off_and_dead_after_six_attempts(
    settings, django_capture_on_commit_callbacks, time_machine, caplog
):
    settings.SANDBOX_FAILURE_RATE = 1.0
    time_machine.move_to(timezone.now(), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue_sms()

    message = reload(message)
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == 1
    assert message.next_attempt_at == timezone.now() + timedelta(seconds=30)
    assert "沙箱" in message.last_error

    # Not due yet: the sweep leaves it alone.
    assert tasks.deliver_due_outbox_messages.call() == 0
    assert reload(message).attempts == 1

    for attempt in range(2, 7):
        time_machine.move_to(reload(message).next_attempt_at)
        tasks.deliver_due_outbox_messages.call()
        message = reload(message)
        assert message.attempts == attempt

    assert message.status == OutboxStatus.DEAD
    assert any(
        record.levelno == logging.ERROR and "dead" in record.getMessage()
        for record in caplog.records
    )
    time_machine.move_to(timezone.now() + timedelta(days=1))
    tasks.deliver_due_outbox_messages.call()
    assert reload(message).attempts == 6
    assert SandboxMessage.objects.count() == 0


def test_failed_message_is_sent_by_the_sweep_once_the_provider_recovers(
    settings, django_capture_on_commit_callbacks, time_machine
):
    settings.SANDBOX_FAILURE_RATE = 1.0
    time_machine.move_to(timezone.now(), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue_sms()
    settings.SANDBOX_FAILURE_RATE = 0.0
    time_machine.move_to(timezone.now() + timedelta(seconds=31))
    assert tasks.deliver_due_outbox_messages.call() == 1
    message = reload(message)
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 2
    assert message.last_error == ""


def test_sweep_delivers_a_message_whose_task_never_ran(django_capture_on_commit_callbacks):
    # The process died between the commit and the enqueue: the callback never ran.
    with django_capture_on_commit_callbacks(execute=False):
        message = enqueue_sms()
    assert tasks.deliver_due_outbox_messages.call() == 1
    assert reload(message).status == OutboxStatus.SENT
    assert len(sandbox_messages_to(PHONE)) == 1


def test_message_being_sent_elsewhere_is_not_sent_again_until_its_lease_ends(
    django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    with django_capture_on_commit_callbacks(execute=False):
        message = enqueue_sms()
    # Another worker claimed it and then died in the middle of the provider call.
    assert outbox.claim(message.pk, now=timezone.now()) is not None

    assert outbox.deliver(message.pk) is None
    assert tasks.deliver_due_outbox_messages.call() == 0
    assert SandboxMessage.objects.count() == 0

    time_machine.move_to(timezone.now() + outbox.SEND_LEASE)
    assert tasks.deliver_due_outbox_messages.call() == 1
    assert reload(message).attempts == 2
    assert SandboxMessage.objects.count() == 1


def test_administrator_retry_sends_a_dead_message_again(
    settings, django_capture_on_commit_callbacks
):
    message = enqueue_sms()
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.DEAD, attempts=outbox.MAX_ATTEMPTS
    )
    with django_capture_on_commit_callbacks(execute=True):
        outbox_retry(message=reload(message))
    message = reload(message)
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 1


def test_a_broken_gateway_counts_as_a_failed_attempt(settings, django_capture_on_commit_callbacks):
    settings.SMS_GATEWAY = "yiwang.platform.tests.test_outbox.BrokenSmsGateway"
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue_sms()
    message = reload(message)
    assert message.status == OutboxStatus.FAILED
    assert message.last_error.startswith("RuntimeError")
    assert "13800000001" not in message.last_error


class BrokenSmsGateway:
    def send(self, *, phone: str, text: str):
        raise RuntimeError(f"connection reset while sending to {phone}")
