from __future__ import annotations

import base64
import threading
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from yiwang.platform import crypto, services, tasks
from yiwang.platform.management.commands.worker import Housekeeper
from yiwang.platform.models import (
    DayAnnouncement,
    OutboxMessage,
    OutboxStatus,
    SandboxMessage,
    SandboxPersonRecord,
    WorkerHeartbeat,
)
from yiwang.platform.services import (
    SandboxPersonData,
    outbox_enqueue,
    sandbox_registry_add_people,
)
from yiwang.platform.tests.factories import citizen_id

OLD_KEY = base64.b64encode(b"o" * 32).decode()
NEW_KEY = base64.b64encode(b"n" * 32).decode()


def stored(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
def test_rotate_keys_re_encrypts_every_value_under_an_old_key(settings):
    settings.DATA_KEYS = f"k1:{OLD_KEY}"
    people = [SandboxPersonData(name=f"居民{n}", citizen_id=citizen_id(n)) for n in range(7)]
    sandbox_registry_add_people(people)
    outbox_enqueue(channel="sms", recipient="13800000001", body="x")
    assert all(
        crypto.key_id_of(v) == "k1" for v in stored("platform_sandboxpersonrecord", "citizen_id")
    )

    settings.DATA_KEYS = f"k2:{NEW_KEY},k1:{OLD_KEY}"
    out = StringIO()
    call_command("rotate_keys", "--batch-size", "3", stdout=out)

    output = out.getvalue()
    assert "platform.sandboxpersonrecord.citizen_id: re-encrypted 7" in output
    assert "platform.outboxmessage.recipient: re-encrypted 1" in output
    assert "current key: k2" in output
    assert all(
        crypto.key_id_of(v) == "k2" for v in stored("platform_sandboxpersonrecord", "citizen_id")
    )
    assert crypto.key_id_of(stored("platform_outboxmessage", "recipient")[0]) == "k2"

    # The old key can go: everything reads under the new one alone.
    settings.DATA_KEYS = f"k2:{NEW_KEY}"
    assert sorted(p.citizen_id for p in SandboxPersonRecord.objects.all()) == sorted(
        p.citizen_id for p in people
    )
    assert OutboxMessage.objects.get().recipient == "13800000001"


@pytest.mark.django_db
def test_rotate_keys_a_second_time_rotates_nothing(settings):
    settings.DATA_KEYS = f"k1:{OLD_KEY}"
    sandbox_registry_add_people([SandboxPersonData(name="甲", citizen_id=citizen_id(1))])
    settings.DATA_KEYS = f"k2:{NEW_KEY},k1:{OLD_KEY}"
    call_command("rotate_keys", stdout=StringIO())
    out = StringIO()
    call_command("rotate_keys", stdout=out)
    assert "re-encrypted 0 values" in out.getvalue()


@pytest.mark.django_db
def test_rotate_keys_dry_run_changes_nothing(settings):
    settings.DATA_KEYS = f"k1:{OLD_KEY}"
    sandbox_registry_add_people([SandboxPersonData(name="甲", citizen_id=citizen_id(1))])
    settings.DATA_KEYS = f"k2:{NEW_KEY},k1:{OLD_KEY}"
    out = StringIO()
    call_command("rotate_keys", "--dry-run", stdout=out)
    assert "platform.sandboxpersonrecord.citizen_id: would re-encrypt 1" in out.getvalue()
    assert crypto.key_id_of(stored("platform_sandboxpersonrecord", "citizen_id")[0]) == "k1"


@pytest.mark.django_db
def test_housekeeping_beats_and_sweeps_on_its_own_clock(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        first = outbox_enqueue(channel="sms", recipient="13800000001", body="一")
    housekeeper = Housekeeper(worker="host-1", heartbeat_seconds=15, sweep_seconds=30)

    housekeeper.run_once(now=1000.0)
    assert WorkerHeartbeat.objects.filter(worker="host-1").exists()
    assert OutboxMessage.objects.get(pk=first.pk).status == OutboxStatus.SENT

    with django_capture_on_commit_callbacks(execute=False):
        second = outbox_enqueue(channel="sms", recipient="13800000001", body="二")
    housekeeper.run_once(now=1015.0)  # a heartbeat, no sweep yet
    assert OutboxMessage.objects.get(pk=second.pk).status == OutboxStatus.PENDING
    housekeeper.run_once(now=1030.0)
    assert OutboxMessage.objects.get(pk=second.pk).status == OutboxStatus.SENT


@pytest.mark.django_db(transaction=True)
def test_worker_command_runs_queued_tasks_and_beats(settings, monkeypatch):
    # The test database (in-memory SQLite) takes no writes from a second thread: run the
    # housekeeping round in this one. Its clock is set before the first sweep is due, so that
    # the queued task, not the sweep, sends the message.
    def start_in_this_thread(housekeeper):
        housekeeper.run_once(now=-1.0)
        thread = threading.Thread(target=lambda: None)
        thread.start()
        return thread

    monkeypatch.setattr(Housekeeper, "start", start_in_this_thread)
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    message = outbox_enqueue(channel="sms", recipient="13800000001", body="验证码 1234")
    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.PENDING

    call_command(
        "worker",
        "--batch",
        "--no-startup-delay",
        "--no-reload",
        "--verbosity",
        "0",
        stdout=StringIO(),
    )

    results = {r.task_path.rsplit(".", 1)[-1]: r.status for r in DBTaskResult.objects.all()}
    assert results == {"deliver_outbox_message": "SUCCESSFUL", "announce_day": "SUCCESSFUL"}
    assert DayAnnouncement.objects.count() == 1
    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.SENT
    assert SandboxMessage.objects.count() == 1
    assert WorkerHeartbeat.objects.count() == 1


def test_housekeeping_thread_runs_a_first_round_at_once_and_stops_when_asked(monkeypatch):
    rounds = []
    monkeypatch.setattr(Housekeeper, "run_once", lambda self, now=None: rounds.append(now))
    housekeeper = Housekeeper(worker="host-1", heartbeat_seconds=60)
    thread = housekeeper.start()
    housekeeper.stop()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert rounds == [None]


@pytest.mark.django_db
def test_a_failing_heartbeat_does_not_stop_the_sweep(monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    swept: list[int] = []

    def sweep() -> int:
        swept.append(1)
        return 0

    monkeypatch.setattr(services, "worker_heartbeat_beat", broken)
    monkeypatch.setattr(tasks, "deliver_due_outbox_messages", SimpleNamespace(call=sweep))
    Housekeeper(worker="host-1").run_once(now=0.0)
    assert swept == [1]
    assert "worker heartbeat failed" in caplog.text
