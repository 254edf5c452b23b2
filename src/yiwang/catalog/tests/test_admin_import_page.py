"""The Excel import/export page in the catalogue admin (administrators only)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from yiwang.catalog.models import ServiceItem
from yiwang.catalog.services.imports import catalog_export_workbook
from yiwang.catalog.tests.factories import make_department, make_published_version, make_staff_user
from yiwang.identity.models import StaffRole

pytestmark = pytest.mark.django_db


def _client(client, role):
    user = make_staff_user(role=role, department=make_department())
    client.force_login(user)
    return user


def _cells(data: bytes) -> dict[str, list[tuple[object, ...]]]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_administrator_exports_and_reimports_the_list_unchanged(client):
    make_published_version()
    _client(client, StaffRole.ADMINISTRATOR)

    exported = client.get("/admin/catalog/serviceitem/export/")
    assert exported.status_code == 200
    assert exported["Content-Disposition"].startswith("attachment;")
    data = exported.content
    # The same cells as the service's export (the bytes differ by the zip's timestamps).
    assert _cells(data) == _cells(catalog_export_workbook())

    upload = SimpleUploadedFile("list.xlsx", data)
    response = client.post("/admin/catalog/serviceitem/import/", {"workbook": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "导入完成" in page
    assert ServiceItem.objects.count() == 1


def test_a_bad_file_lists_the_problem_and_writes_nothing(client):
    _client(client, StaffRole.ADMINISTRATOR)
    upload = SimpleUploadedFile("list.xlsx", b"not a workbook at all")
    response = client.post("/admin/catalog/serviceitem/import/", {"workbook": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "未导入任何内容" in page
    assert ServiceItem.objects.count() == 0


def test_a_department_catalogue_manager_cannot_import(client):
    _client(client, StaffRole.CATALOGUE_MANAGER)
    assert client.get("/admin/catalog/serviceitem/import/").status_code == 404
    assert client.get("/admin/catalog/serviceitem/export/").status_code == 404
