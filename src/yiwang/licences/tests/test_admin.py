"""The licence library in the Django admin: types edited through the service (schema problems as
form errors), licences read-only and scoped to one's departments with masked holder codes,
status changes with a reason, the Excel import page, and key rotation for administrators."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from yiwang.identity.models import StaffRole, User
from yiwang.licences.holders import Holder
from yiwang.licences.models import (
    Licence,
    LicenceAccess,
    LicenceStatusChange,
    LicenceType,
    SigningKey,
)
from yiwang.licences.selectors import licence_verify
from yiwang.licences.services import licence_lookup
from yiwang.licences.tests.factories import (
    MARRIAGE_FACE,
    make_department,
    make_licence,
    make_licence_type,
    make_staff,
    marriage_workbook,
)
from yiwang.licences.workflow import HolderKind, LicenceStatus
from yiwang.platform.models import AuditEntry
from yiwang.platform.validators import make_citizen_id

pytestmark = pytest.mark.django_db

LIST = "/admin/licences/licence/"
_born = [date(1980, 1, 1)]


def new_citizen_id() -> str:
    _born[0] += timedelta(days=1)
    return make_citizen_id("350102", _born[0], 3)


def page(response: Any) -> str:
    return str(response.content.decode())


def sign_in(client: Client, department, role: str) -> User:
    user = make_staff(department, role)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(user)
    return user


def counts() -> tuple[int, int, int]:
    return (
        Licence.objects.count(),
        LicenceStatusChange.objects.count(),
        LicenceAccess.objects.count(),
    )


@pytest.fixture
def department():
    return make_department(name="示范市民政局")


@pytest.fixture
def marriage():
    return make_licence_type(name="结婚证", code="MARRIAGE_ADMIN")


@pytest.fixture
def licence(department, marriage):
    return make_licence(
        holder=Holder(HolderKind.CITIZEN, new_citizen_id(), "陈静怡"),
        licence_type=marriage,
        issuer=department,
        number="J-ADMIN-001",
    )


# --- Who sees what --------------------------------------------------------------------------------


def test_an_administrator_sees_every_licence_with_masked_holder_codes(client, licence, marriage):
    other = make_licence(
        holder=Holder(HolderKind.CITIZEN, new_citizen_id(), "李明"),
        licence_type=marriage,
        number="J-OTHER-001",
    )
    sign_in(client, make_department(), StaffRole.ADMINISTRATOR)

    html = page(client.get(LIST))

    assert "J-ADMIN-001" in html
    assert "J-OTHER-001" in html
    for lic in (licence, other):
        assert lic.holder_code not in html
        assert lic.holder_code[:4] + "*" * 10 + lic.holder_code[-4:] in html
    detail = page(client.get(f"{LIST}{licence.pk}/change/"))
    assert licence.holder_code not in detail
    assert licence.identifier in detail
    assert "变更状态" in detail  # an administrator may change any licence's status


def test_search_by_number_or_identifier(client, licence, marriage):
    make_licence(
        holder=Holder(HolderKind.CITIZEN, new_citizen_id(), "李明"),
        licence_type=marriage,
        number="J-OTHER-001",
    )
    sign_in(client, make_department(), StaffRole.ADMINISTRATOR)
    for term in ("J-ADMIN-001", licence.identifier):
        html = page(client.get(LIST, {"q": term}))
        assert "J-ADMIN-001" in html
        assert "J-OTHER-001" not in html
    html = page(client.get(LIST, {"status__exact": "revoked"}))
    assert "J-ADMIN-001" not in html


def test_issuing_staff_see_only_their_departments_licences(client, licence, marriage):
    foreign = make_licence(
        holder=Holder(HolderKind.CITIZEN, new_citizen_id(), "李明"),
        licence_type=marriage,
        number="J-OTHER-001",
    )
    sign_in(client, licence.issuer, StaffRole.REVIEWER)

    html = page(client.get(LIST))

    assert "J-ADMIN-001" in html
    assert "J-OTHER-001" not in html
    assert client.get(f"{LIST}{foreign.pk}/change/").status_code == 404
    detail = page(client.get(f"{LIST}{licence.pk}/change/"))
    assert "变更状态" not in detail  # a reviewer issues; only the head changes status


@pytest.mark.parametrize(
    "role", [StaffRole.WINDOW_CLERK, StaffRole.DEPARTMENT_HANDLER, StaffRole.CATALOGUE_MANAGER]
)
def test_staff_without_issuing_rights_do_not_reach_the_library(client, licence, role):
    sign_in(client, licence.issuer, role)
    assert client.get(LIST).status_code == 403
    assert client.get("/admin/licences/licencetype/").status_code == 403
    assert client.get(f"{LIST}import/").status_code == 404
    assert "电子证照" not in page(client.get("/admin/"))


def test_nothing_is_added_or_deleted_in_the_read_only_lists(client, licence):
    sign_in(client, make_department(), StaffRole.ADMINISTRATOR)
    for model in ("licence", "licencestatuschange", "licenceaccess", "signingkey"):
        assert client.get(f"/admin/licences/{model}/add/").status_code == 403, model
    change = LicenceStatusChange.objects.get()
    assert client.get(f"/admin/licences/licencestatuschange/{change.pk}/delete/").status_code == 403
    assert client.post(f"{LIST}{licence.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Licence.objects.filter(pk=licence.pk).exists()


def test_the_access_log_is_read_only_and_scoped_to_ones_department(client, licence, department):
    clerk = make_staff(department, StaffRole.WINDOW_CLERK)
    licence_lookup(
        actor=clerk,
        department_id=department.pk,
        holder_code_type=HolderKind.CITIZEN,
        holder_code=licence.holder_code,
        licence_type_codes=[licence.licence_type.code],
        reason="办理户口迁移",
    )
    sign_in(client, department, StaffRole.DEPARTMENT_HEAD)
    assert "办理户口迁移" in page(client.get("/admin/licences/licenceaccess/"))
    sign_in(client, make_department(), StaffRole.DEPARTMENT_HEAD)
    assert "办理户口迁移" not in page(client.get("/admin/licences/licenceaccess/"))


# --- Types ----------------------------------------------------------------------------------------


def type_post(**over: Any) -> dict[str, Any]:
    return {
        "code": "DRIVING",
        "type_code": "11100000000013338W123",
        "name": "驾驶证",
        "defining_authority": "公安部",
        "holder_kind": "111",
        "face_fields": (
            '[{"key": "class", "label": "准驾车型", "kind": "choice", "choices": ["C1", "C2"]}]'
        ),
        "validity_rule": "fixed_years",
        "validity_years": "6",
    } | over


def test_an_administrator_adds_a_type_through_the_service(client):
    admin_user = sign_in(client, make_department(), StaffRole.ADMINISTRATOR)

    response = client.post("/admin/licences/licencetype/add/", type_post())

    assert response.status_code == 302
    created = LicenceType.objects.get(code="DRIVING")
    assert created.face_fields == [
        {"key": "class", "label": "准驾车型", "kind": "choice", "choices": ["C1", "C2"]}
    ]
    assert created.validity_years == 6
    audit = AuditEntry.objects.get(action="licences.type.created")
    assert (audit.actor_id, audit.target_id) == (admin_user.pk, str(created.pk))


def test_a_bad_face_schema_is_shown_as_form_errors_and_nothing_is_saved(client):
    sign_in(client, make_department(), StaffRole.ADMINISTRATOR)
    bad = (
        '[{"key": "Class", "label": "", "kind": "colour"}, '
        '{"key": "x", "label": "甲", "kind": "choice"}]'
    )

    response = client.post(
        "/admin/licences/licencetype/add/",
        type_post(face_fields=bad, validity_rule="fixed_years", validity_years=""),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors == {
        "face_fields": [
            "第 1 项的 key 应为小写英文字母开头的标识",
            "第 1 项缺少中文名称",
            "第 1 项的类型应为 text、date、number、choice",
            "第 2 项是选项类型，需要列出可选值",
        ],
        "validity_years": ["固定年限的证照需填写有效年限"],
    }
    assert not LicenceType.objects.filter(code="DRIVING").exists()
    assert not AuditEntry.objects.filter(action__startswith="licences.type").exists()


def test_a_duplicate_code_is_refused_by_the_form_not_silently_updated(client, marriage):
    sign_in(client, make_department(), StaffRole.ADMINISTRATOR)
    response = client.post(
        "/admin/licences/licencetype/add/", type_post(code=marriage.code, name="另一个")
    )
    assert response.status_code == 200
    assert "code" in response.context["adminform"].form.errors
    marriage.refresh_from_db()
    assert marriage.name == "结婚证"


def test_an_administrator_edits_a_type_but_not_its_code(client, marriage):
    sign_in(client, make_department(), StaffRole.ADMINISTRATOR)
    data = type_post(
        code="RENAMED",
        type_code=marriage.type_code,
        name="结婚证（新版）",
        face_fields='[{"key": "spouse_name", "label": "配偶姓名", "kind": "text"}]',
        validity_rule="long_term",
        validity_years="",
    )
    response = client.post(f"/admin/licences/licencetype/{marriage.pk}/change/", data)
    assert response.status_code == 302
    marriage.refresh_from_db()
    assert (marriage.code, marriage.name) == ("MARRIAGE_ADMIN", "结婚证（新版）")
    assert marriage.face_fields == [{"key": "spouse_name", "label": "配偶姓名", "kind": "text"}]
    assert LicenceType.objects.count() == 1


def test_issuing_staff_read_types_but_do_not_edit_them(client, marriage, department):
    sign_in(client, department, StaffRole.DEPARTMENT_HEAD)
    assert client.get("/admin/licences/licencetype/").status_code == 200
    assert client.get("/admin/licences/licencetype/add/").status_code == 403
    data = type_post(code=marriage.code, type_code=marriage.type_code, face_fields="[]")
    client.post(f"/admin/licences/licencetype/{marriage.pk}/change/", data)
    marriage.refresh_from_db()
    assert marriage.face_fields == MARRIAGE_FACE


# --- Status ---------------------------------------------------------------------------------------


def test_the_department_head_suspends_a_licence_with_a_reason(client, licence, department):
    head = sign_in(client, department, StaffRole.DEPARTMENT_HEAD)
    url = f"{LIST}{licence.pk}/status/"
    assert "变更状态" in page(client.get(f"{LIST}{licence.pk}/change/"))

    response = client.post(url, {"to_status": "suspended", "reason": "涉嫌冒名登记，核查中"})

    assert response.status_code == 302
    assert response["Location"] == f"{LIST}{licence.pk}/change/"
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.SUSPENDED
    change = LicenceStatusChange.objects.filter(licence=licence).last()
    assert change is not None
    assert (change.to_status, change.reason, change.actor_id) == (
        "suspended",
        "涉嫌冒名登记，核查中",
        head.pk,
    )
    assert licence_verify(licence.identifier).status == LicenceStatus.SUSPENDED
    detail = page(client.get(f"{LIST}{licence.pk}/change/"))
    assert "涉嫌冒名登记，核查中" in detail  # the status history on the change page


def test_a_status_change_without_a_reason_or_not_allowed_changes_nothing(
    client, licence, department
):
    sign_in(client, department, StaffRole.DEPARTMENT_HEAD)
    url = f"{LIST}{licence.pk}/status/"
    before = counts()

    missing = client.post(url, {"to_status": "revoked", "reason": ""})
    assert missing.status_code == 200
    assert missing.context["form"].errors == {"reason": ["这个字段是必填项。"]}

    not_allowed = client.post(url, {"to_status": "valid", "reason": "恢复"})
    assert not_allowed.status_code == 200
    assert not_allowed.context["form"].errors == {"__all__": ["证照当前为“有效”，不能改为“有效”。"]}
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.VALID
    assert counts() == before


@pytest.mark.parametrize(("where", "status"), [("same", 200), ("other", 404)])
def test_a_reviewer_cannot_change_a_status(client, licence, department, where, status):
    sign_in(client, department if where == "same" else make_department(), StaffRole.REVIEWER)
    before = counts()
    response = client.post(f"{LIST}{licence.pk}/status/", {"to_status": "revoked", "reason": "x"})
    assert response.status_code == status
    if status == 200:
        assert response.context["form"].errors == {
            "__all__": ["只有颁证部门的负责人可以变更证照状态。"]
        }
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.VALID
    assert counts() == before


# --- Import ---------------------------------------------------------------------------------------


def upload(rows: list[list[Any]]) -> SimpleUploadedFile:
    return marriage_workbook(rows, "history.xlsx")


def test_issuing_staff_import_a_file_and_see_the_count(client, department, marriage):
    sign_in(client, department, StaffRole.REVIEWER)
    assert "导入历史证照（Excel）" in page(client.get(LIST))
    rows = [
        [
            marriage.code,
            f"H{n}",
            "王芳",
            "111",
            new_citizen_id(),
            "2011-07-01",
            "陈明",
            "2011-07-01",
        ]
        for n in range(4)
    ]

    response = client.post(
        f"{LIST}import/", {"department": department.pk, "workbook": upload(rows)}, follow=True
    )

    assert response.redirect_chain == [(LIST, 302)]
    assert "导入完成：共颁发 4 张电子证照" in page(response)
    assert Licence.objects.filter(issuer=department).count() == 4


def test_a_bad_file_lists_every_problem_in_a_table_and_writes_nothing(client, department, marriage):
    sign_in(client, department, StaffRole.REVIEWER)
    rows = [
        [marriage.code, "H1", "王芳", "111", new_citizen_id(), "2011-07-01", "陈明", "2011-07-01"],
        [marriage.code, "H2", "王芳", "111", "123456", "2011-07-01", "陈明", "2011-07-01"],
        ["NOPE", "H3", "王芳", "111", new_citizen_id(), "2011-07-01", "陈明", "2011-07-01"],
    ]

    response = client.post(
        f"{LIST}import/", {"department": department.pk, "workbook": upload(rows)}
    )

    html = page(response)
    assert response.status_code == 200
    assert "文件有 2 处问题，未导入任何内容" in html
    cells = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td></tr>", html)
    assert cells == [
        ("E3", "第3行“持证主体代码”身份证号码应为18位，请核对后重新输入。"),
        ("A4", "第4行“证照类型简码”“NOPE”不是证照类型简码，请按模板说明填写"),
    ]
    assert counts() == (0, 0, 0)


def test_one_cannot_import_for_a_department_one_does_not_issue_for(client, department, marriage):
    sign_in(client, department, StaffRole.REVIEWER)
    other = make_department()
    rows = [
        [marriage.code, "H1", "王芳", "111", new_citizen_id(), "2011-07-01", "陈明", "2011-07-01"]
    ]
    response = client.post(f"{LIST}import/", {"department": other.pk, "workbook": upload(rows)})
    assert response.status_code == 200
    assert "department" in response.context["form"].errors
    assert counts() == (0, 0, 0)


def test_the_import_page_is_not_there_for_an_administrator_of_nothing(client, licence):
    # A superuser without a role may read the library, but issues for no department.
    user = User.objects.create_superuser("root", "Passw0rd!x")
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(user)
    assert client.get(LIST).status_code == 200
    assert client.get(f"{LIST}import/").status_code == 404


def test_the_template_download(client, department, marriage):
    sign_in(client, department, StaffRole.REVIEWER)
    response = client.get(f"{LIST}import/template/", {"type": marriage.code})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws is not None
    assert [c.value for c in ws[1]][-3:] == ["配偶姓名", "登记日期", "备注"]
    assert str(ws["A3"].value) == "示例：MARRIAGE_ADMIN"


# --- Keys -----------------------------------------------------------------------------------------


def test_an_administrator_rotates_a_departments_key(client, licence, department):
    old = SigningKey.objects.get(department=department)
    sign_in(client, make_department(), StaffRole.ADMINISTRATOR)
    html = page(client.get("/admin/licences/signingkey/"))
    assert old.key_id in html
    assert old.private_key not in html

    response = client.post(
        "/admin/licences/signingkey/",
        {"action": "rotate", "_selected_action": [old.pk]},
        follow=True,
    )

    assert response.status_code == 200
    old.refresh_from_db()
    assert old.retired_at is not None
    new = SigningKey.objects.get(department=department, retired_at__isnull=True)
    assert f"已启用新签名密钥 {new.key_id}" in page(response)
    assert licence_verify(licence.identifier).genuine  # old signatures still verify


def test_issuing_staff_do_not_see_or_rotate_keys(client, licence, department):
    sign_in(client, department, StaffRole.DEPARTMENT_HEAD)
    assert client.get("/admin/licences/signingkey/").status_code == 403
    key = SigningKey.objects.get()
    client.post("/admin/licences/signingkey/", {"action": "rotate", "_selected_action": [key.pk]})
    assert SigningKey.objects.count() == 1
