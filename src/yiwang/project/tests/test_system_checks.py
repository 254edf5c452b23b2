from __future__ import annotations

from django.core.management import call_command


def test_system_checks_pass():
    """The settings as a whole are consistent (allauth's checks run only here, not in tests)."""
    call_command("check", fail_level="ERROR")
