from __future__ import annotations

import pytest
import time_machine

from yiwang.calendars.services import calendar_seed_from_package
from yiwang.identity import services
from yiwang.identity.models import StaffRole

pytestmark = pytest.mark.django_db


def _staff_client(client, department, role):
    user = services.staff_account_create(
        username=f"u-{role}",
        password="Gongzuo2026",
        display_name="测试人员",
        department=department,
        role=role,
    )
    services.staff_second_factor_activate(user=user, secret="JBSWY3DPEHPK3PXP")
    client.force_login(user)
    return user


def test_staff_home_lists_my_roles(client, department):
    _staff_client(client, department, StaffRole.REVIEWER)
    page = client.get("/workbench/").content.decode()
    assert "测试局 · 审批人员" in page
    assert "暂无待办事项" in page


@time_machine.travel("2026-10-15 10:00 +0800")
def test_administrators_are_warned_in_october_when_next_year_is_missing(client, department):
    calendar_seed_from_package(years=[2026])
    _staff_client(client, department, StaffRole.ADMINISTRATOR)
    page = client.get("/workbench/").content.decode()
    assert "2027年的全国工作日历尚未录入" in page
    assert 'role="alert"' in page


@time_machine.travel("2026-10-15 10:00 +0800")
def test_reviewers_are_not_shown_the_calendar_warning(client, department):
    calendar_seed_from_package(years=[2026])
    _staff_client(client, department, StaffRole.REVIEWER)
    page = client.get("/workbench/").content.decode()
    assert 'role="alert"' not in page
