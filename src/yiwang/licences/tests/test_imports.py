"""Bulk import of historical licences from Excel: all or nothing, every problem located by row
and column, good rows issued through `licence_issue` and verifiable at once."""

from __future__ import annotations

import io
import itertools
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from yiwang.identity.models import StaffRole
from yiwang.licences import excel
from yiwang.licences.holders import Holder
from yiwang.licences.models import Licence, LicenceAccess, LicenceStatusChange
from yiwang.licences.selectors import licence_verify
from yiwang.licences.services import (
    imports,
    licence_import_template,
    licence_import_workbook,
    licence_status_change,
)
from yiwang.licences.tests.factories import (
    BUSINESS_FACE,
    make_department,
    make_licence,
    make_licence_type,
    make_staff,
)
from yiwang.licences.workflow import HolderKind, LicenceStatus, ValidityRule
from yiwang.platform.errors import Forbidden, NotFound, RuleViolated
from yiwang.platform.models import AuditEntry
from yiwang.platform.validators import make_citizen_id, make_uscc

pytestmark = pytest.mark.django_db

_ids = itertools.count(1)


def new_citizen_id() -> str:
    return make_citizen_id("350102", date(1985, 1, 1) + timedelta(days=next(_ids)), 7)


def new_uscc() -> str:
    return make_uscc("9", "1", "350102", f"{70000000 + next(_ids):08d}")


HEADERS = [
    "证照类型简码",
    "证照编号",
    "持证主体名称",
    "持证主体代码类型",
    "持证主体代码",
    "颁证日期",
    "有效期起",
    "有效期至",
    "可信等级",
]


def workbook(rows: list[list[Any]], headers: list[str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "电子证照"
    sheet.append(headers or [*HEADERS, "配偶姓名", "登记日期", "备注"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def counts() -> tuple[int, int, int, int]:
    return (
        Licence.objects.count(),
        LicenceStatusChange.objects.count(),
        LicenceAccess.objects.count(),
        AuditEntry.objects.filter(action__startswith="licences.licence").count(),
    )


@pytest.fixture
def department():
    return make_department()


@pytest.fixture
def reviewer(department):
    return make_staff(department, StaffRole.REVIEWER)


@pytest.fixture
def marriage():
    return make_licence_type()


def refused(data: bytes, department, actor) -> list[tuple[str, str]]:
    with pytest.raises(RuleViolated) as caught:
        licence_import_workbook(data=data, department_id=department.pk, actor=actor)
    assert caught.value.code == "import_refused"
    return [(e.field, e.message) for e in caught.value.errors]


def test_a_good_sheet_issues_every_row_and_each_licence_verifies(department, reviewer, marriage):
    business = make_licence_type(holder_kind=HolderKind.ENTERPRISE, face_fields=BUSINESS_FACE)
    first, second, company = new_citizen_id(), new_citizen_id(), new_uscc()
    headers = [
        *HEADERS,
        "配偶姓名",
        "登记日期",
        "备注",
        "法定代表人",
        "face:registered_capital",
        "类型",
    ]
    data = workbook(
        [
            [
                marriage.code,
                "J350001",
                "王芳",
                "111",
                first,
                date(2015, 3, 2),
                None,
                None,
                "B",
                "陈明",
                date(2015, 3, 2),
                None,
                None,
                None,
                None,
            ],
            [
                marriage.code,
                "J350002",
                "赵丽",
                111,
                second.lower(),
                "2016/4/5",
                "",
                "长期有效",
                "",
                "周强",
                "2016年4月5日",
                "再婚",
                None,
                None,
                None,
            ],
            [
                business.code,
                "B-0001",
                "示范市某某有限公司",
                1,
                company,
                "20180101",
                "2018-01-01",
                "2038-12-31",
                "A",
                None,
                None,
                None,
                "刘洋",
                500.0,
                "有限责任公司",
            ],
        ],
        headers,
    )

    report = licence_import_workbook(data=data, department_id=department.pk, actor=reviewer)

    assert (report.issued, report.superseded) == (3, 0)
    assert Licence.objects.count() == 3
    assert LicenceStatusChange.objects.count() == 3
    one, two, three = (Licence.objects.get(number=n) for n in ("J350001", "J350002", "B-0001"))
    assert (one.holder_code, one.issued_on, one.valid_from, one.valid_to) == (
        first,
        date(2015, 3, 2),
        date(2015, 3, 2),
        None,
    )
    assert one.trust_level == "B"
    assert one.face == {"spouse_name": "陈明", "registered_on": "2015-03-02"}
    assert two.holder_code == second.upper()
    assert two.trust_level == "A"
    assert two.face == {"spouse_name": "周强", "registered_on": "2016-04-05", "remarks": "再婚"}
    assert three.holder_code_type == "001"
    assert three.valid_to == date(2038, 12, 31)
    assert three.face == {
        "legal_representative": "刘洋",
        "registered_capital": "500",
        "entity_type": "有限责任公司",
    }
    assert {lic.issuer_id for lic in (one, two, three)} == {department.pk}
    for licence in (one, two, three):
        verdict = licence_verify(licence.identifier)
        assert (verdict.found, verdict.genuine, verdict.status, verdict.usable) == (
            True,
            True,
            LicenceStatus.VALID,
            True,
        )
        assert verdict.number == licence.number
        assert verdict.issued_on == licence.issued_on
    audit = AuditEntry.objects.get(action="licences.import")
    assert audit.actor_id == reviewer.pk
    assert audit.details == {"issued": 3, "superseded": 0}
    assert "3" in report.summary()


def test_several_bad_rows_are_reported_together_and_nothing_is_written(
    department, reviewer, marriage
):
    good = new_citizen_id()
    before = counts()
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = workbook(
        [
            [
                marriage.code,
                "N1",
                "王芳",
                "111",
                good,
                "2015-03-02",
                None,
                None,
                None,
                "陈明",
                "2015-03-02",
                None,
            ],
            [
                marriage.code,
                "N2",
                "李雷",
                "111",
                "350102199001011234",
                "2015-03-02",
                None,
                None,
                None,
                "韩梅梅",
                "2015-03-02",
                None,
            ],
            [
                "NO_SUCH_TYPE",
                "N3",
                "张三",
                "111",
                new_citizen_id(),
                "2015-03-02",
                None,
                None,
                None,
                "李四",
                "2015-03-02",
                None,
            ],
            [
                marriage.code,
                "N4",
                "孙七",
                "001",
                new_citizen_id(),
                "去年",
                None,
                None,
                "E",
                None,
                "2015-13-40",
                None,
            ],
            [
                marriage.code,
                "N1",
                "周八",
                "111",
                new_citizen_id(),
                tomorrow,
                None,
                "2014-01-01",
                None,
                "吴九",
                "2015-03-02",
                None,
            ],
            [marriage.code, None, None, None, None, None, None, None, None, None, None, None],
        ]
    )

    problems = refused(data, department, reviewer)

    assert problems == [
        ("E3", "第3行“持证主体代码”身份证号码最后一位校验码不正确，请核对后重新输入。"),
        ("A4", "第4行“证照类型简码”“NO_SUCH_TYPE”不是证照类型简码，请按模板说明填写"),
        ("D5", f"第5行“持证主体代码类型”应为 111：{marriage.name}的持证主体为公民身份号码"),
        ("F5", "第5行“颁证日期”应为日期（如 2019-06-30）"),
        ("I5", "第5行“可信等级”应为 A、B、C 或 D"),
        ("J5", "第5行：请填写“配偶姓名”"),
        ("K5", "第5行：“登记日期”应为日期（如 2026-01-31）"),
        ("B6", "第6行“证照编号”与第2行重复（同一类型的编号不能重复）"),
        ("F6", "第6行“颁证日期”不能晚于今天"),
        ("B7", "第7行“证照编号”不能为空"),
        ("C7", "第7行“持证主体名称”不能为空"),
        ("D7", "第7行“持证主体代码类型”不能为空"),
        ("E7", "第7行“持证主体代码”不能为空"),
        ("F7", "第7行“颁证日期”不能为空"),
        ("J7", "第7行：请填写“配偶姓名”"),
        ("K7", "第7行：请填写“登记日期”"),
    ]
    assert counts() == before == (0, 0, 0, 0)
    assert not AuditEntry.objects.filter(action="licences.import").exists()


def marriage_row(licence_type, number: str, citizen_id: Any, **over: Any) -> list[Any]:
    values = {
        "issued_on": "2015-03-02",
        "valid_from": None,
        "valid_to": None,
        "trust": None,
        "name": "王芳",
        "spouse": "陈明",
    } | over
    return [
        licence_type.code,
        number,
        values["name"],
        "111",
        citizen_id,
        values["issued_on"],
        values["valid_from"],
        values["valid_to"],
        values["trust"],
        values["spouse"],
        "2015-03-02",
        None,
    ]


@pytest.mark.parametrize(
    "role", [StaffRole.WINDOW_CLERK, StaffRole.DEPARTMENT_HANDLER, StaffRole.CATALOGUE_MANAGER]
)
def test_staff_without_issuing_rights_cannot_import(department, marriage, role):
    data = workbook([marriage_row(marriage, "N1", new_citizen_id())])
    with pytest.raises(Forbidden):
        licence_import_workbook(
            data=data, department_id=department.pk, actor=make_staff(department, role)
        )
    assert counts() == (0, 0, 0, 0)


def test_a_reviewer_of_another_department_cannot_import_for_this_one(department, marriage):
    outsider = make_staff(make_department(), StaffRole.REVIEWER)
    data = workbook([marriage_row(marriage, "N1", new_citizen_id())])
    with pytest.raises(Forbidden):
        licence_import_workbook(data=data, department_id=department.pk, actor=outsider)
    assert counts() == (0, 0, 0, 0)


def test_an_administrator_imports_for_any_department_but_not_for_a_missing_one(
    department, marriage
):
    admin = make_staff(make_department(), StaffRole.ADMINISTRATOR)
    data = workbook([marriage_row(marriage, "N1", new_citizen_id())])
    with pytest.raises(NotFound):
        licence_import_workbook(data=data, department_id=999_999, actor=admin)
    assert licence_import_workbook(data=data, department_id=department.pk, actor=admin).issued == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件为空，请选择按模板填写的 Excel 文件（.xlsx）"),
        (b"not a workbook", "文件不是有效的 Excel 文件（.xlsx），请用下载的模板填写后上传"),
        (b"PK\x03\x04broken", "文件不是有效的 Excel 文件（.xlsx），请用下载的模板填写后上传"),
    ],
)
def test_an_unreadable_file_is_refused(department, reviewer, data, message):
    assert refused(data, department, reviewer) == [("", message)]


def test_a_sheet_without_rows_is_refused(department, reviewer):
    assert refused(workbook([]), department, reviewer) == [
        ("", "表中没有任何证照，请从第2行起每行填写一张证照")
    ]


def test_wrong_headers_are_listed_before_any_row_is_read(department, reviewer, marriage):
    headers = [h for h in HEADERS if h != "持证主体代码"] + ["配偶姓名", "配偶性别", "配偶姓名"]
    data = workbook([[marriage.code]], headers)
    assert refused(data, department, reviewer) == [
        ("1", "第1行缺少必填列“持证主体代码”"),
        ("K1", "第1行“配偶姓名”列重复"),
    ]
    headers = [*HEADERS, "配偶姓名", "配偶性别"]
    data = workbook([marriage_row(marriage, "N1", new_citizen_id())], headers)
    assert refused(data, department, reviewer) == [
        ("K1", "第1行“配偶性别”不是模板中的列，也不是任何证照类型的证面信息项，请核对列名")
    ]


def test_a_number_the_department_already_has_is_refused(department, reviewer, marriage):
    existing = make_licence(
        holder=Holder(HolderKind.CITIZEN, new_citizen_id(), "王芳"),
        licence_type=marriage,
        issuer=department,
        number="N1",
    )
    before = counts()
    data = workbook([marriage_row(marriage, "N1", new_citizen_id())])
    assert refused(data, department, reviewer) == [
        ("B2", f"第2行“证照编号”证照库中已有本单位颁发的编号为“N1”的{marriage.name}，不能重复导入")
    ]
    assert counts() == before
    # Another department may have a licence with the same number.
    other = make_department()
    admin = make_staff(other, StaffRole.ADMINISTRATOR)
    report = licence_import_workbook(data=data, department_id=other.pk, actor=admin)
    assert report.issued == 1
    assert existing.number == Licence.objects.get(issuer=other).number


def test_a_historical_row_never_replaces_a_newer_valid_licence(department, reviewer, marriage):
    citizen_id = new_citizen_id()
    current = make_licence(
        holder=Holder(HolderKind.CITIZEN, citizen_id, "王芳"),
        licence_type=marriage,
        issued_on=date(2020, 1, 1),
    )
    before = counts()
    data = workbook([marriage_row(marriage, "OLD-1", citizen_id, issued_on="2015-03-02")])
    assert refused(data, department, reviewer) == [
        (
            "E2",
            f"第2行：持证主体已有更晚颁发的有效{marriage.name}（编号 {current.number}，"
            "2020-01-01 颁发），历史证照不能取代它",
        )
    ]
    assert counts() == before


def test_rows_of_one_holder_are_issued_oldest_first_and_supersede_older_licences(
    department, reviewer, marriage
):
    citizen_id = new_citizen_id()
    older = make_licence(
        holder=Holder(HolderKind.CITIZEN, citizen_id, "王芳"),
        licence_type=marriage,
        issued_on=date(2010, 1, 1),
    )
    data = workbook(
        [
            marriage_row(marriage, "LATER", citizen_id, issued_on="2018-06-01"),
            marriage_row(marriage, "EARLIER", citizen_id, issued_on="2012-06-01"),
        ]
    )
    report = licence_import_workbook(data=data, department_id=department.pk, actor=reviewer)

    assert (report.issued, report.superseded) == (2, 2)
    earlier = Licence.objects.get(number="EARLIER")
    later = Licence.objects.get(number="LATER")
    older.refresh_from_db()
    assert older.status == LicenceStatus.SUPERSEDED
    assert earlier.previous_id == older.pk
    assert earlier.status == LicenceStatus.SUPERSEDED
    assert later.previous_id == earlier.pk
    assert later.version == 2  # same issuer: same serial, next version
    assert later.identifier.split(".")[-3] == earlier.identifier.split(".")[-3]
    assert licence_verify(later.identifier).usable
    assert licence_verify(earlier.identifier).status == LicenceStatus.SUPERSEDED


def test_validity_follows_the_type_when_the_sheet_leaves_it_empty(department, reviewer):
    fixed = make_licence_type(validity_rule=ValidityRule.FIXED_YEARS, validity_years=5)
    stated = make_licence_type(validity_rule=ValidityRule.STATED)
    data = workbook(
        [
            marriage_row(fixed, "F1", new_citizen_id(), issued_on="2019-03-02"),
            marriage_row(fixed, "F2", new_citizen_id(), valid_from="2019-04-01", valid_to="长期"),
            marriage_row(stated, "S1", new_citizen_id()),
            marriage_row(stated, "S2", new_citizen_id(), valid_to="2014-01-01"),
        ]
    )
    assert refused(data, department, reviewer) == [
        ("H4", f"第4行“有效期至”不能为空：{stated.name}的有效期以证面为准"),
        ("H5", "第5行“有效期至”不能早于有效期起（2015-03-02）"),
    ]
    data = workbook(
        [
            marriage_row(fixed, "F1", new_citizen_id(), issued_on="2019-03-02"),
            marriage_row(fixed, "F2", new_citizen_id(), valid_from="2019-04-01", valid_to="长期"),
            marriage_row(stated, "S1", new_citizen_id(), valid_to=date(2030, 1, 1)),
        ]
    )
    licence_import_workbook(data=data, department_id=department.pk, actor=reviewer)
    got = {lic.number: (lic.valid_from, lic.valid_to) for lic in Licence.objects.all()}
    assert got == {
        "F1": (date(2019, 3, 2), date(2024, 3, 1)),
        "F2": (date(2019, 4, 1), date(2024, 3, 31)),
        "S1": (date(2015, 3, 2), date(2030, 1, 1)),
    }


def test_an_id_number_excel_turned_into_a_number_gets_a_hint(department, reviewer, marriage):
    citizen_id = new_citizen_id()
    data = workbook([marriage_row(marriage, "N1", float(citizen_id[:17] + "0"))])
    ((cell, message),) = refused(data, department, reviewer)
    assert cell == "E2"
    assert message.startswith("第2行“持证主体代码”身份证号码")
    assert message.endswith(
        "（该单元格是数字，Excel 可能已改动号码：请将本列设为文本格式后重新填写）"
    )


def test_face_cells_of_another_type_must_stay_empty(department, reviewer, marriage):
    business = make_licence_type(holder_kind=HolderKind.ENTERPRISE, face_fields=BUSINESS_FACE)
    headers = [*HEADERS, "配偶姓名", "登记日期", "备注", "法定代表人"]
    row = marriage_row(marriage, "N1", new_citizen_id())
    data = workbook([[*row, "刘洋"]], headers)
    assert refused(data, department, reviewer) == [
        ("M2", f"第2行“法定代表人”不是{marriage.name}的证面信息项，应留空")
    ]
    assert business.is_active


def test_a_stopped_type_cannot_be_imported(department, reviewer, marriage):
    type(marriage).objects.filter(pk=marriage.pk).update(is_active=False)
    data = workbook([marriage_row(marriage, "N1", new_citizen_id())])
    assert refused(data, department, reviewer) == [
        ("A2", f"第2行“证照类型简码”证照类型“{marriage.name}”已停用")
    ]


def test_the_template_round_trips(department, reviewer, marriage):
    business = make_licence_type(holder_kind=HolderKind.ENTERPRISE, face_fields=BUSINESS_FACE)
    data = licence_import_template(licence_type_codes=[marriage.code, business.code])

    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    assert sheet.title == "电子证照"
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == [
        "证照类型简码*",
        "证照编号*",
        "持证主体名称*",
        "持证主体代码类型*",
        "持证主体代码*",
        "颁证日期*",
        "有效期起",
        "有效期至",
        "可信等级",
        "配偶姓名",
        "登记日期",
        "备注",
        "法定代表人",
        "注册资本（万元）",
        "类型",
    ]
    assert str(rows[1][0]).startswith("说明：")
    assert rows[1][9] == f"必填。证面信息项（{marriage.name}）。文字。最多 50 字"
    assert rows[2][0] == f"示例：{marriage.code}"
    # The note and example rows are skipped; a licence typed below them is imported.
    sheet.append(marriage_row(marriage, "T1", new_citizen_id()))
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    report = licence_import_workbook(
        data=buffer.getvalue(), department_id=department.pk, actor=reviewer
    )
    assert report.issued == 1
    assert Licence.objects.get().number == "T1"


def test_the_template_of_an_unknown_type_is_not_found(marriage):
    with pytest.raises(NotFound):
        licence_import_template(licence_type_codes=["NO_SUCH_TYPE"])
    headers = next(excel.read_sheet(licence_import_template()).letters.items().__iter__())
    assert headers == ("证照类型简码", "A")


def test_a_label_shared_by_two_fields_of_a_type_takes_the_key_as_column(department, reviewer):
    twins = make_licence_type(
        face_fields=[
            {"key": "first", "label": "姓名", "kind": "text"},
            {"key": "second", "label": "姓名", "kind": "text"},
        ]
    )
    template = load_workbook(io.BytesIO(licence_import_template(licence_type_codes=[twins.code])))
    assert [c.value for c in next(template.active.iter_rows(max_row=1))][9:] == [
        "face:first",
        "face:second",
    ]
    headers = [*HEADERS, "face:first", "face:second"]
    row = marriage_row(twins, "N1", new_citizen_id())[:9]
    report = licence_import_workbook(
        data=workbook([[*row, "甲", "乙"]], headers), department_id=department.pk, actor=reviewer
    )
    assert report.issued == 1
    assert Licence.objects.get().face == {"first": "甲", "second": "乙"}


def test_a_status_change_after_import_shows_in_verification(department, marriage):
    head = make_staff(department, StaffRole.DEPARTMENT_HEAD)
    data = workbook([marriage_row(marriage, "N1", new_citizen_id())])
    licence_import_workbook(data=data, department_id=department.pk, actor=head)
    licence = Licence.objects.get()
    licence_status_change(
        licence=licence, to_status=LicenceStatus.REVOKED, reason="骗取登记", actor=head
    )
    assert licence_verify(licence.identifier).status == LicenceStatus.REVOKED


def test_too_many_rows_are_refused_with_where_reading_stopped(
    department, reviewer, marriage, monkeypatch
):
    monkeypatch.setattr(excel, "MAX_ROWS", 2)
    rows = [marriage_row(marriage, f"N{n}", new_citizen_id()) for n in range(3)]
    assert refused(workbook(rows), department, reviewer) == [
        ("4", "超过 2 行，请分成几个文件导入（从第 4 行起未读取）")
    ]


def test_a_long_list_of_problems_is_cut_with_a_count_of_the_rest(
    department, reviewer, marriage, monkeypatch
):
    monkeypatch.setattr(imports, "MAX_ERRORS_SHOWN", 3)
    rows = [marriage_row(marriage, f"N{n}", "123") for n in range(5)]
    problems = refused(workbook(rows), department, reviewer)
    assert [cell for cell, _message in problems] == ["E2", "E3", "E4", ""]
    assert problems[-1][1] == "另有 2 处错误未列出。"
    assert counts() == (0, 0, 0, 0)
