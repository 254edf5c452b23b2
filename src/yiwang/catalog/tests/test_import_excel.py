"""Excel import and export of the implementation list: all or nothing, every error listed."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from openpyxl import Workbook, load_workbook

from yiwang.catalog import excel, services
from yiwang.catalog.models import (
    BasicItem,
    FeeItem,
    MaterialRequirement,
    ServiceItem,
    ServiceItemVersion,
    Theme,
)
from yiwang.catalog.selectors.management import CHILD_KINDS, GUIDE_FIELDS
from yiwang.catalog.services.imports import (
    catalog_export_workbook,
    catalog_import_template,
    catalog_import_workbook,
)
from yiwang.catalog.tests.factories import (
    make_department,
    make_draft_version,
    make_published_version,
    make_theme,
    publishable_guide_fields,
)
from yiwang.org.models import Department
from yiwang.platform.errors import RuleViolated
from yiwang.platform.models import AuditEntry

pytestmark = pytest.mark.django_db

SAMPLE = publishable_guide_fields()["result_sample"]


@pytest.fixture(autouse=True)
def _sample_file() -> None:
    if not default_storage.exists(SAMPLE):
        default_storage.save(SAMPLE, ContentFile(b"%PDF-1.4 sample"))


@pytest.fixture
def theme() -> Theme:
    return make_theme(code="person.birth_adoption", name="生育收养")


def catalogue(
    theme: Theme, departments: list[Department] | None = None
) -> list[ServiceItemVersion]:
    """Three published items: a plain licence, one with a theme, a fee, a special step and a
    handling item, and one of another department whose name looks like a formula."""
    market, police = departments or [make_department(), make_department()]
    first = make_published_version(department=market, name="食品经营许可证核发")
    fees: dict[str, Any] = {
        "charged": True,
        "fee_basis": "《收费标准》",
        "online_payment_supported": True,
    }
    children: dict[str, list[dict[str, Any]]] = {
        "materials": [{"name": "居民身份证", "accepted_licence_types": ["ID_CARD", "X"]}],
        "faqs": [{"question": "要多久？", "answer": "10个工作日。"}],
        "procedure": [{"name": s} for s in ("受理", "审核", "审批", "办结", "送达")],
        "fees": [{"name": "工本费", "standard": "每证20元", "amount_yuan": "20.00",
                  "basis": "《收费标准》"}],
        "special_steps": [{"name": "专家评审", "limit_value": 15, "limit_unit": "WD"}],
        "handling_items": [{"code": "H-01", "name": "新办", "kind": "new"}],
    }  # fmt: skip
    second = make_published_version(
        department=market, name="居民身份证首次申领", themes=[theme], children=children, **fees
    )
    third = make_published_version(department=police, name="=1+1 不是公式")
    return [first, second, third]


def counts() -> dict[str, int]:
    return {
        "items": ServiceItem.objects.count(),
        "versions": ServiceItemVersion.objects.count(),
        "basics": BasicItem.objects.count(),
        "materials": MaterialRequirement.objects.count(),
        "fees": FeeItem.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def rows_of(data: bytes) -> dict[str, list[dict[str, Any]]]:
    book = excel.read_workbook(data)
    assert book.problems == []
    return {
        relation: sorted(
            (row.values for row in rows),
            key=lambda values: tuple(str(v) for v in values.values()),
        )
        for relation, rows in book.rows.items()
    }


def edited(data: bytes, change: Callable[[Workbook], None]) -> bytes:
    """The workbook with a change made in it, as a manager would in Excel."""
    workbook = load_workbook(io.BytesIO(data))
    change(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def column(sheet: excel.Sheet, header: str) -> int:
    """1-based column of a header in the template."""
    return [c.header for c in sheet.columns].index(header) + 1


def refused(data: bytes) -> RuleViolated:
    with pytest.raises(RuleViolated) as caught:
        catalog_import_workbook(data=data, by=None)
    assert caught.value.code == "import_refused"
    return caught.value


# --- Round trips ----------------------------------------------------------------------------------


def test_an_exported_catalogue_imported_into_an_empty_one_is_the_same(theme):
    departments = [make_department(), make_department()]
    with transaction.atomic():
        catalogue(theme, departments)
        exported = catalog_export_workbook()
        transaction.set_rollback(True)
    assert ServiceItem.objects.count() == 0

    report = catalog_import_workbook(data=exported, by=None)

    assert report.items_created == 3
    assert report.versions_published == 3
    assert rows_of(catalog_export_workbook()) == rows_of(exported)
    version = ServiceItemVersion.objects.get(name="居民身份证首次申领")
    assert version.status == "published"
    assert version.item.live_version == version
    assert [t.code for t in version.themes.all()] == ["person.birth_adoption"]
    assert version.materials.get().accepted_licence_types == ["ID_CARD", "X"]
    assert str(version.fees.get().amount_yuan) == "20.00"
    assert AuditEntry.objects.filter(action="catalog.version.published").count() == 3
    assert AuditEntry.objects.filter(action="catalog.import").count() == 1


def test_importing_an_unchanged_export_changes_nothing(theme):
    catalogue(theme)
    before = counts()
    report = catalog_import_workbook(data=catalog_export_workbook(), by=None)
    assert report.items_unchanged == 3
    assert report.versions_published == 0
    assert counts() == before


def test_a_changed_cell_publishes_a_new_version_and_retires_the_old(theme):
    first, _, _ = catalogue(theme)
    exported = catalog_export_workbook()
    promised = column(excel.ITEMS, "承诺办结时限")

    def shorten(workbook: Workbook) -> None:
        sheet = workbook["事项"]
        for row in sheet.iter_rows(min_row=2):
            if row[0].value == first.item.implementation_code:
                row[promised - 1].value = 5

    report = catalog_import_workbook(data=edited(exported, shorten), by=None)

    assert (report.items_revised, report.items_unchanged) == (1, 2)
    first.refresh_from_db()
    assert first.status == "retired"
    live = ServiceItem.objects.get(pk=first.item_id).live_version
    assert live is not None
    assert (live.number, live.promised_limit_value, live.based_on_id) == (2, 5, first.pk)
    assert live.materials.count() == first.materials.count()


def test_a_new_row_creates_an_item_and_its_basic_item(theme):
    catalogue(theme)
    exported = catalog_export_workbook()
    code = "XK99001001-359900000000-000-113599000090000019-1-00"

    def add(workbook: Workbook) -> None:
        items = workbook["事项"]
        template = [cell.value for cell in items[2]]
        row = list(template)
        row[column(excel.ITEMS, "实施编码") - 1] = code
        row[column(excel.ITEMS, "基本编码") - 1] = "XK99001001"
        row[column(excel.ITEMS, "基本目录事项名称") - 1] = "测试许可（子项）"
        row[column(excel.ITEMS, "主项基本编码") - 1] = "XK99001000"
        row[column(excel.ITEMS, "主项名称") - 1] = "测试许可"
        row[column(excel.ITEMS, "事项名称") - 1] = "测试许可（子项）"
        items.append(row)
        first_code = template[0]
        for sheet in excel.CHILD_SHEETS:
            ws = workbook[sheet.title]
            for copied in [[c.value for c in r] for r in ws.iter_rows(min_row=2)]:
                if copied[0] == first_code:
                    if sheet is excel.SHEETS[-1]:
                        copied[1] = f"{code}-h"
                    ws.append([code, *copied[1:]])

    report = catalog_import_workbook(data=edited(exported, add), by=None)

    assert report.items_created == 1
    assert report.basic_items_created == 2
    item = ServiceItem.objects.get(implementation_code=code)
    assert item.basic_item.parent is not None
    assert item.basic_item.parent.name == "测试许可"
    assert item.live_version is not None
    assert item.live_version.procedure_steps.count() == 5


def test_text_that_looks_like_a_formula_stays_text(theme):
    catalogue(theme)
    exported = catalog_export_workbook()
    names = [row["name"] for row in rows_of(exported)["items"]]
    assert "=1+1 不是公式" in names
    report = catalog_import_workbook(data=exported, by=None)
    assert report.items_unchanged == 3


# --- Refusals -------------------------------------------------------------------------------------


def test_a_bad_file_lists_every_error_and_writes_nothing(theme):
    first, second, third = catalogue(theme)
    exported = catalog_export_workbook()
    before = counts()
    codes = {v.item.implementation_code: v for v in (first, second, third)}
    positions: dict[str, int] = {}

    def spoil(workbook: Workbook) -> None:
        items = workbook["事项"]
        for index, row in enumerate(items.iter_rows(min_row=2), start=2):
            positions[codes[row[0].value].name] = index
        food = positions["食品经营许可证核发"]
        identity = positions["居民身份证首次申领"]
        other = positions["=1+1 不是公式"]
        items.cell(food, column(excel.ITEMS, "承诺办结时限"), "三天")
        items.cell(food, column(excel.ITEMS, "事项类型"), "99")
        items.cell(identity, column(excel.ITEMS, "实施主体统一社会信用代码"), "91350100M000100Y43")
        items.cell(identity, column(excel.ITEMS, "主题代码"), "person.birth_adoption、no.such")
        items.cell(other, column(excel.ITEMS, "网上办理深度"), 4)  # one visit: rule 4
        materials = workbook["申请材料"]
        materials.append(["XK-NOT-IN-THE-LIST", 1, "营业执照"])
        faqs = workbook["常见问题"]
        faqs.cell(2, column(excel.template.FAQS, "问题")).value = None

    error = refused(edited(exported, spoil))

    found = {e.field: e.message for e in error.errors}
    food, identity, other = (
        positions["食品经营许可证核发"],
        positions["居民身份证首次申领"],
        positions["=1+1 不是公式"],
    )

    def cell(header: str, row: int, sheet: excel.Sheet = excel.ITEMS) -> str:
        index = column(sheet, header)
        return f"{sheet.title}!{_letter(index)}{row}"

    assert found[cell("承诺办结时限", food)] == f"第{food}行“承诺办结时限”应为不小于0的整数"
    assert "应为以下之一" in found[cell("事项类型", food)]
    assert "不是系统中在用部门" in found[cell("实施主体统一社会信用代码", identity)]
    assert "no.such" in found[cell("主题代码", identity)]
    assert "不符合发布规则" in found[cell("到办事现场次数", other)]
    assert "不在“事项”表中" in next(m for f, m in found.items() if f.startswith("申请材料!A"))
    assert found[cell("问题", 2, excel.template.FAQS)] == "第2行“问题”不能为空"
    assert len(error.errors) >= 7
    assert counts() == before


def _letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def test_a_wrong_header_is_named_and_nothing_is_written(theme):
    catalogue(theme)
    exported = catalog_export_workbook()
    before = counts()
    promised = column(excel.ITEMS, "承诺办结时限")

    def rename(workbook: Workbook) -> None:
        workbook["事项"].cell(1, promised, "承诺时限")

    messages = [e.message for e in refused(edited(exported, rename)).errors]
    assert "第1行“承诺时限”不是模板中的列，请核对列名" in messages
    assert "缺少必填列“承诺办结时限”" in messages
    assert counts() == before


def test_a_missing_sheet_is_named():
    def drop(workbook: Workbook) -> None:
        del workbook["常见问题"]

    messages = [e.message for e in refused(edited(catalog_import_template(), drop)).errors]
    assert "缺少工作表“常见问题”" in messages


def test_an_empty_file_and_an_empty_template_are_refused_in_words():
    assert [e.message for e in refused(b"").errors] == [
        "文件为空，请选择按模板填写的 Excel 文件（.xlsx）"
    ]
    assert [e.message for e in refused(catalog_import_template()).errors] == [
        "“事项”表没有任何事项，请至少填写一行"
    ]


@pytest.mark.parametrize(
    "data",
    [b"not an excel file at all", b"PK\x03\x04garbage", _letter(3).encode() * 1000],
)
def test_garbage_is_refused_with_a_clear_message(data):
    error = refused(data)
    assert [e.message for e in error.errors] == [
        "文件不是有效的 Excel 文件（.xlsx），请用导出的模板填写后上传"
    ]
    assert error.errors[0].field == ""


def test_a_workbook_part_with_a_dtd_is_refused():
    template = catalog_import_template()
    source = io.BytesIO(template)
    target = io.BytesIO()
    with zipfile.ZipFile(source) as inside, zipfile.ZipFile(target, "w") as outside:
        for info in inside.infolist():
            content = inside.read(info.filename)
            if info.filename == "xl/workbook.xml":
                content = content.replace(
                    b"<workbook", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><workbook', 1
                )
            outside.writestr(info, content)
    assert "不是有效的 Excel" in refused(target.getvalue()).errors[0].message


def test_an_item_with_an_open_draft_is_not_overwritten(theme):
    first, _, _ = catalogue(theme)
    exported = catalog_export_workbook()
    make_draft_version(department=first.item.department)  # another item: unaffected
    services.version_draft_from(item=first.item, by=None)
    messages = [e.message for e in refused(exported).errors]
    assert any("有未发布的草稿（第2版）" in m for m in messages)


def test_the_template_explains_every_column_and_code_list():
    workbook = load_workbook(io.BytesIO(catalog_import_template()), read_only=True)
    assert workbook.sheetnames == ["说明", *(s.title for s in excel.SHEETS)]
    explained = " ".join(
        str(v) for row in workbook["说明"].iter_rows(values_only=True) for v in row if v
    )
    for sheet in excel.SHEETS:
        headers = next(workbook[sheet.title].iter_rows(values_only=True))
        assert [str(h).rstrip("*") for h in headers] == [c.header for c in sheet.columns]
        for c in sheet.columns:
            assert c.header in explained
    for text in ("01 行政许可", "4 县级", "1 自然人", "2 承诺件", "4 快递申请"):
        assert text in explained


def test_the_template_has_a_column_for_every_guide_field_and_child_column():
    """A new model field must get a column, or a round trip would lose it."""
    items = {c.field for c in excel.ITEMS.columns}
    assert set(GUIDE_FIELDS) <= items
    for kind in CHILD_KINDS:
        sheet = next(s for s in excel.SHEETS if s.relation == kind.relation)
        assert set(kind.columns) <= {c.field for c in sheet.columns}, sheet.title
