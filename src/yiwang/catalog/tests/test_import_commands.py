"""`yiwang catalog_export` and `yiwang catalog_import`, and imports of entries built in code."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from yiwang.catalog.models import ServiceItem, ServiceItemVersion
from yiwang.catalog.services.imports import ItemEntry, catalog_items_import
from yiwang.catalog.tests.factories import (
    make_basic_item,
    make_department,
    make_published_version,
    make_user,
    publishable_children,
    publishable_guide_fields,
)
from yiwang.platform.errors import RuleViolated
from yiwang.platform.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sample_file() -> None:
    path = publishable_guide_fields()["result_sample"]
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(b"%PDF-1.4 sample"))


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_export_then_import_reports_everything_unchanged(tmp_path: Path):
    make_published_version()
    make_published_version()
    path = tmp_path / "list.xlsx"
    out, _ = run("catalog_export", str(path))
    assert "已导出到" in out
    out, _ = run("catalog_import", str(path))
    assert "导入完成" in out
    assert "未变 2 个" in out


def test_export_of_one_department_and_the_template(tmp_path: Path):
    version = make_published_version()
    make_published_version()
    path = tmp_path / "one.xlsx"
    run("catalog_export", str(path), "--department", version.item.department.uscc)
    out, _ = run("catalog_import", str(path), "--check")
    assert "检查通过，未写入" in out
    assert "未变 1 个" in out
    with pytest.raises(CommandError, match="没有统一社会信用代码为"):
        run("catalog_export", str(path), "--department", "91350100M000100Y43")
    run("catalog_export", str(tmp_path / "template.xlsx"), "--template")
    with pytest.raises(CommandError, match="未导入任何内容"):
        run("catalog_import", str(tmp_path / "template.xlsx"))


def test_a_bad_file_prints_every_error_and_fails(tmp_path: Path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"this is not a spreadsheet")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 处错误"):
        call_command("catalog_import", str(path), stdout=io.StringIO(), stderr=err)
    assert "文件不是有效的 Excel 文件（.xlsx）" in err.getvalue()
    with pytest.raises(CommandError, match="无法读取"):
        run("catalog_import", str(tmp_path / "missing.xlsx"))


def entry(**guide: object) -> ItemEntry:
    department = make_department()
    basic = make_basic_item()
    children = publishable_children()
    children["procedure_steps"] = children.pop("procedure")
    return ItemEntry(
        implementation_code=f"{basic.basic_code}-359900000000-000-{department.uscc}-1-00",
        basic_code=basic.basic_code,
        department_uscc=department.uscc,
        region_code=department.region.code,
        exercise_level="3",
        guide=publishable_guide_fields(name="测试事项", **guide),
        children=children,
    )


def test_entries_built_in_code_are_checked_and_written():
    good = entry()
    report = catalog_items_import(items=[good], by=None)
    assert report.items_created == 1
    item = ServiceItem.objects.get(implementation_code=good.implementation_code)
    assert item.live_version is not None
    assert item.live_version.name == "测试事项"
    assert catalog_items_import(items=[good], by=None).items_unchanged == 1


def test_entries_that_break_the_rules_are_refused_with_their_code():
    bad = entry(visit_count=2, onsite_reason="")
    with pytest.raises(RuleViolated) as caught:
        catalog_items_import(items=[bad], by=None)
    messages = [e.message for e in caught.value.errors]
    assert all(m.startswith(bad.implementation_code) for m in messages)
    assert any("必须到现场办理的原因" in m for m in messages)
    assert ServiceItemVersion.objects.count() == 0


def test_check_only_writes_nothing_even_for_a_good_file(tmp_path: Path):
    version = make_published_version()
    path = tmp_path / "list.xlsx"
    run("catalog_export", str(path))
    version.item.live_version = None
    version.item.save(update_fields=["live_version"])
    ServiceItemVersion.objects.filter(pk=version.pk).update(status="retired")
    out, _ = run("catalog_import", str(path), "--check")
    assert "检查通过，未写入" in out
    assert "发布新版本 1 个" in out
    assert ServiceItemVersion.objects.filter(status="published").count() == 0


def test_an_import_by_a_user_is_audited_as_theirs():
    user = make_user()
    report = catalog_items_import(items=[entry()], by=user)
    version = ServiceItemVersion.objects.get(pk=report.published_version_ids[0])
    assert (version.created_by, version.published_by) == (user, user)
    audit = AuditEntry.objects.get(action="catalog.import")
    assert audit.actor_id == user.pk
    assert AuditEntry.objects.filter(action="catalog.version.published", actor=user).count() == 1
