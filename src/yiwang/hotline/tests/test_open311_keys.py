"""Open311 API keys: issued once, kept as a hash, checked, revoked; the management command."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yiwang.hotline.models import Open311Client
from yiwang.hotline.services import (
    open311_key_check,
    open311_key_issue,
    open311_key_register,
    open311_key_revoke,
)
from yiwang.hotline.services.open311_keys import LAST_USED_PRECISION
from yiwang.platform.errors import InvalidInput
from yiwang.platform.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_key_is_returned_once_and_only_its_hash_is_kept():
    issued = open311_key_issue(name="城市随手拍 App", contact="李工", actor=None)
    client = Open311Client.objects.get()
    assert issued.client == client
    assert len(issued.key) >= 40
    assert client.key_prefix == issued.key[:8]
    assert client.key_hash == hashlib.sha256(issued.key.encode()).hexdigest()
    stored = " ".join(str(v) for v in Open311Client.objects.values().get().values())
    assert issued.key not in stored
    assert (client.name, client.contact, client.is_active) == ("城市随手拍 App", "李工", True)
    assert AuditEntry.objects.filter(action="hotline.open311.key_issued").count() == 1


def test_every_key_is_different():
    keys = {open311_key_issue(name=f"应用{n}", actor=None).key for n in range(5)}
    assert len(keys) == 5


def test_checking_a_key_finds_its_app_and_records_the_use():
    issued = open311_key_issue(name="应用", actor=None)
    assert issued.client.last_used_at is None
    found = open311_key_check(key=issued.key)
    assert found == issued.client
    issued.client.refresh_from_db()
    assert issued.client.last_used_at is not None


def test_the_use_is_written_at_most_once_a_minute(django_assert_num_queries):
    issued = open311_key_issue(name="应用", actor=None)
    open311_key_check(key=issued.key)
    issued.client.refresh_from_db()
    first = issued.client.last_used_at
    assert first is not None
    with django_assert_num_queries(1):  # the look-up only: no write within the minute
        assert open311_key_check(key=issued.key) == issued.client
    issued.client.refresh_from_db()
    assert issued.client.last_used_at == first

    earlier = first - LAST_USED_PRECISION
    Open311Client.objects.filter(pk=issued.client.pk).update(last_used_at=earlier)
    open311_key_check(key=issued.key)
    issued.client.refresh_from_db()
    assert issued.client.last_used_at is not None
    assert issued.client.last_used_at > earlier


@pytest.mark.parametrize(
    "mangle",
    [
        lambda key: "",
        lambda key: key[:8],
        lambda key: key[:-1] + ("A" if key[-1] != "A" else "B"),
        lambda key: key + "x",
        lambda key: key.upper(),
        lambda key: key * 10,
    ],
)
def test_a_wrong_key_finds_nothing_and_records_nothing(mangle):
    issued = open311_key_issue(name="应用", actor=None)
    assert open311_key_check(key=mangle(issued.key)) is None
    issued.client.refresh_from_db()
    assert issued.client.last_used_at is None


def test_a_revoked_key_stops_working_and_revoking_twice_changes_nothing():
    issued = open311_key_issue(name="应用", actor=None)
    open311_key_revoke(client=issued.client, actor=None)
    client = Open311Client.objects.get()
    assert (client.is_active, client.revoked_at is not None) == (False, True)
    assert open311_key_check(key=issued.key) is None
    revoked_at = client.revoked_at
    open311_key_revoke(client=client, actor=None)
    client.refresh_from_db()
    assert client.revoked_at == revoked_at
    assert AuditEntry.objects.filter(action="hotline.open311.key_revoked").count() == 1


@pytest.mark.parametrize("name", ["", "   ", "名" * 101])
def test_an_app_needs_a_name(name):
    with pytest.raises(InvalidInput):
        open311_key_issue(name=name, actor=None)
    assert Open311Client.objects.count() == 0


def test_the_command_prints_a_working_key():
    out, err = StringIO(), StringIO()
    call_command("open311_key", "城市随手拍 App", "--contact", "李工", stdout=out, stderr=err)
    key = out.getvalue().strip()
    assert open311_key_check(key=key) == Open311Client.objects.get(name="城市随手拍 App")
    assert "只显示这一次" in err.getvalue()


def test_the_command_refuses_an_empty_name():
    with pytest.raises(CommandError):
        call_command("open311_key", " ", stdout=StringIO(), stderr=StringIO())
    assert Open311Client.objects.count() == 0


def test_a_registered_key_works_and_registering_it_again_changes_nothing():
    key = "demo" + "a" * 36
    client = open311_key_register(name="演示应用", key=key, actor=None)
    assert open311_key_register(name="演示应用", key=key, actor=None) == client
    assert open311_key_check(key=key) == client
    assert client.key_prefix == key[:8]
    with pytest.raises(InvalidInput):
        open311_key_register(name="另一个应用", key=key, actor=None)
    with pytest.raises(InvalidInput):
        open311_key_register(name="短", key="short", actor=None)
    assert Open311Client.objects.count() == 1
