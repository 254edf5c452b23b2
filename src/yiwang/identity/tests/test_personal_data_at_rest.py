"""No plaintext ID number or phone number anywhere in the database, nor in the logs."""

from __future__ import annotations

import logging

import pytest
from django.db import connection

from yiwang.identity import services
from yiwang.identity.tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def _every_stored_value() -> str:
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")
            for row in cursor.fetchall():
                chunks.append("|".join(str(value) for value in row))
    return "\n".join(chunks)


def test_no_plaintext_id_number_or_phone_in_any_table_or_log(registry_person, caplog):
    user = make_user()
    name, citizen_id = registry_person("宋佳")
    caplog.set_level(logging.DEBUG)

    services.account_set_phone(user=user, phone="13912345678", verified=True)
    services.person_verify_identity(user=user, name=name, citizen_id=citizen_id)
    services.account_send_phone_code(phone="13912345678", code="123456")

    stored = _every_stored_value()
    assert citizen_id not in stored
    assert citizen_id.lower() not in stored
    assert "13912345678" not in stored
    assert citizen_id not in caplog.text
    assert "13912345678" not in caplog.text
