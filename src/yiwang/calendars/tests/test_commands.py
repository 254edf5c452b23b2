from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from yiwang.calendars.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db


def test_seed_calendar_enters_the_chosen_years_and_can_run_again():
    out = StringIO()
    call_command("seed_calendar", "--year", "2025", "--year", "2026", stdout=out)
    assert out.getvalue().strip() == "已导入 2025–2026 年的全国日历，写入 730 天。"
    call_command("seed_calendar", "--year", "2025", stdout=(again := StringIO()))
    assert "写入 0 天" in again.getvalue()
    assert CalendarDay.objects.count() == 730
    assert set(CalendarYear.objects.values_list("year", flat=True)) == {2025, 2026}


def test_seed_calendar_enters_every_year_the_package_knows():
    call_command("seed_calendar", stdout=StringIO())
    assert CalendarYear.objects.filter(is_complete=True).count() == 2026 - 2004 + 1


def test_seed_calendar_explains_a_year_it_cannot_seed():
    with pytest.raises(CommandError, match="2030年请由管理员录入"):
        call_command("seed_calendar", "--year", "2030", stdout=StringIO())
