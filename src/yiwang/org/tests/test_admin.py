from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model

from yiwang.org.models import Department, Region, Window
from yiwang.org.tests.factories import (
    DepartmentFactory,
    ServiceHallFactory,
    WindowFactory,
    new_department_uscc,
)
from yiwang.platform.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db):
    user = get_user_model().objects.create_superuser("orgadmin", "Passw0rd!x")
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize("model", ["region", "department", "servicehall", "window"])
def test_changelists_open_with_search_and_filters(admin_client, regions, model):
    WindowFactory.create(departments=[DepartmentFactory.create(region=regions["city"])])
    response = admin_client.get(f"/admin/org/{model}/", {"q": "示范"})
    assert response.status_code == 200


def test_adding_a_region_in_the_admin_goes_through_the_service(admin_client, admin_user, regions):
    response = admin_client.post(
        "/admin/org/region/add/",
        {"code": "359922", "name": "云山县", "level": 3, "parent": regions["city"].pk},
    )
    assert response.status_code == 302, response.content.decode()
    region = Region.objects.get(code="359922")
    entry = AuditEntry.objects.get(action="region.created")
    assert entry.actor_id == admin_user.pk
    assert entry.target_id == str(region.pk)


def test_a_region_code_that_does_not_fit_its_parent_is_shown_beside_the_field(
    admin_client, regions
):
    response = admin_client.post(
        "/admin/org/region/add/",
        {"code": "350122", "name": "错县", "level": 3, "parent": regions["city"].pk},
    )
    assert response.status_code == 200
    assert "区划代码应以上级区划代码的前缀 3599 开头" in response.content.decode()
    assert not Region.objects.filter(code="350122").exists()


def test_retiring_a_region_in_the_admin(admin_client, regions):
    response = admin_client.post(
        f"/admin/org/region/{regions['village'].pk}/change/",
        {"name": "石门村", "valid_from": "", "valid_to": "2026-07-01", "successor": ""},
    )
    assert response.status_code == 302, response.content.decode()
    regions["village"].refresh_from_db()
    assert str(regions["village"].valid_to) == "2026-07-01"
    assert AuditEntry.objects.filter(action="region.retired").count() == 1


def test_a_department_with_a_wrong_uscc_is_refused_with_the_reason(admin_client, regions):
    uscc = new_department_uscc("359900")
    response = admin_client.post(
        "/admin/org/department/add/",
        {
            "name": "示范市新局",
            "short_name": "",
            "uscc": uscc[:17] + ("0" if uscc[17] != "0" else "1"),
            "level": 3,
            "kind": "agency",
            "region": regions["city"].pk,
            "parent": "",
            "phone": "",
        },
    )
    assert response.status_code == 200
    assert "最后一位校验码不正确" in response.content.decode()
    assert not Department.objects.exists()


def test_editing_a_department_in_the_admin_records_the_change(admin_client, regions):
    department = DepartmentFactory.create(region=regions["city"], name="示范市旧名局")
    response = admin_client.post(
        f"/admin/org/department/{department.pk}/change/",
        {
            "name": "示范市新名局",
            "short_name": "",
            "uscc": department.uscc,
            "level": 3,
            "kind": "agency",
            "region": regions["city"].pk,
            "parent": "",
            "phone": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()
    entry = AuditEntry.objects.get(action="department.updated")
    assert entry.details == {"changes": {"name": ["示范市旧名局", "示范市新名局"]}}


def test_adding_a_window_inline_in_a_hall_goes_through_the_window_services(admin_client, regions):
    hall = ServiceHallFactory.create(region=regions["city"], name="示范市政务服务中心")
    market = DepartmentFactory.create(region=regions["city"], name="示范市市场监督管理局")
    response = admin_client.post(
        f"/admin/org/servicehall/{hall.pk}/change/",
        {
            "name": hall.name,
            "region": regions["city"].pk,
            "address": hall.address,
            "opening_hours": hall.opening_hours,
            "phone": "",
            "latitude": "",
            "longitude": "",
            "windows-TOTAL_FORMS": "1",
            "windows-INITIAL_FORMS": "0",
            "windows-MIN_NUM_FORMS": "0",
            "windows-MAX_NUM_FORMS": "1000",
            "windows-0-number": "A01",
            "windows-0-name": "综合受理窗口",
            "windows-0-kind": "general",
            "windows-0-departments": [market.pk],
            "windows-0-is_open": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()
    window = Window.objects.get(hall=hall, number="A01")
    assert list(window.departments.all()) == [market]
    assert AuditEntry.objects.filter(action="window.created").count() == 1


def test_organisation_rows_cannot_be_deleted_in_the_admin(admin_client, regions):
    response = admin_client.get(f"/admin/org/region/{regions['village'].pk}/delete/")
    assert response.status_code == 403


@pytest.mark.parametrize("model", ["region", "department", "servicehall", "window"])
def test_add_forms_open(admin_client, regions, model):
    assert admin_client.get(f"/admin/org/{model}/add/").status_code == 200


def test_a_hall_change_form_lists_its_windows(admin_client, regions):
    window = WindowFactory.create(number="A07")
    response = admin_client.get(f"/admin/org/servicehall/{window.hall.pk}/change/")
    assert response.status_code == 200
    assert 'value="A07"' in response.content.decode()
