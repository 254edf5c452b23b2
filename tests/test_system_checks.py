"""Django's system checks pass: a misconfiguration fails here, not at the first `migrate`."""

from __future__ import annotations

from django.core import checks


def test_system_checks_report_nothing():
    messages = checks.run_checks(include_deployment_checks=False)
    reported = [m for m in messages if m.level >= checks.WARNING and not m.is_silenced()]
    assert [f"{m.id}: {m.msg}" for m in reported] == []
