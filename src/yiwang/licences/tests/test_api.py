"""The licence API: public verification (one query, an answer even for nonsense), types, the
holder's wallet (only your own), and the departments' look-up, issue, status change and import —
each refused for the wrong role with nothing changed."""

from __future__ import annotations

import io
import itertools
import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import resolve
from openpyxl import load_workbook

from yiwang.identity.models import StaffRole, User
from yiwang.licences.models import Licence, LicenceAccess, LicenceStatusChange
from yiwang.licences.selectors import licence_verify
from yiwang.licences.services import licence_lookup, licence_status_change
from yiwang.licences.tests.factories import (
    BUSINESS_FACE,
    citizen,
    make_department,
    make_licence,
    make_licence_type,
    make_staff,
    make_user,
    marriage_face,
    marriage_workbook,
)
from yiwang.licences.workflow import HolderKind, LicenceStatus, ValidityRule
from yiwang.platform.validators import make_citizen_id, make_uscc

pytestmark = pytest.mark.django_db

_ids = itertools.count(1)


def new_citizen_id() -> str:
    return make_citizen_id("350102", date(1985, 1, 1) + timedelta(days=next(_ids)), 7)


def new_uscc() -> str:
    return make_uscc("9", "1", "350102", f"{70000000 + next(_ids):08d}")


BASE = "/api/v1/licences"


def counts() -> tuple[int, int, int]:
    return (
        Licence.objects.count(),
        LicenceAccess.objects.count(),
        LicenceStatusChange.objects.count(),
    )


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"{BASE}{path}", body, content_type="application/json")


@pytest.fixture
def marriage():
    return make_licence_type(name="结婚证", code="MARRIAGE_API")


@pytest.fixture
def department():
    return make_department(name="示范市民政局")


@pytest.fixture
def holder(verified_person):
    return verified_person("陈静怡")


@pytest.fixture
def licence(holder, marriage, department):
    return make_licence(
        holder=citizen(holder),
        licence_type=marriage,
        issuer=department,
        face=marriage_face(spouse_name="刘德明"),
        number="J350100-2020-001",
        issued_on=date(2020, 5, 20),
    )


def staff(client: Client, department, role: str) -> User:
    user = make_staff(department, role)
    client.force_login(user)
    return user


# --- Verification ---------------------------------------------------------------------------------


def test_verify_answers_with_the_masked_holder_in_one_query(
    client, licence, holder, django_assert_num_queries
):
    with django_assert_num_queries(1):
        response = client.get(f"{BASE}/verify/{licence.identifier}")

    assert response.status_code == 200
    masked = holder.citizen_id[:4] + "*" * 10 + holder.citizen_id[-4:]
    assert response.json() == {
        "identifier": licence.identifier,
        "found": True,
        "genuine": True,
        "usable": True,
        "status": "valid",
        "status_label": "有效",
        "message": "证照真实有效。",
        "licence_name": "结婚证",
        "number": "J350100-2020-001",
        "holder": "陈**",
        "holder_code": masked,
        "issuer": "示范市民政局",
        "issued_on": "2020-05-20",
        "valid_from": "2020-05-20",
        "valid_to": None,
        "trust_level": "A",
    }
    assert holder.citizen_id not in response.content.decode()


def _schema_types(prop: dict[str, Any]) -> set[str]:
    """JSON types an OpenAPI property allows (`anyOf` for the nullable ones)."""
    return {t["type"] for t in prop["anyOf"]} if "anyOf" in prop else {prop["type"]}


_JSON_TYPES = {str: "string", bool: "boolean", type(None): "null", int: "integer"}


@pytest.mark.parametrize("known", [True, False])
def test_the_verify_body_is_what_the_published_schema_describes(client, licence, known):
    """The handler builds its JSON by hand (the hot path): the OpenAPI document must still
    describe it field for field, type for type."""
    identifier = licence.identifier if known else licence.identifier[:-1] + "Z"
    body = client.get(f"{BASE}/verify/{identifier}").json()
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/licences/verify/{identifier}"]["get"]
    reference = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    described = schema["components"]["schemas"][reference.rsplit("/", 1)[1]]

    assert body["found"] is known
    assert set(body) == set(described["properties"])
    assert set(described.get("required", [])) <= set(body)
    for name, value in body.items():
        assert _JSON_TYPES[type(value)] in _schema_types(described["properties"][name]), name


@pytest.mark.parametrize("prepared", [True, False])
def test_verify_answers_the_same_with_and_without_prepared_statements(
    client, licence, settings, prepared
):
    settings.DB_PREPARED_STATEMENTS = prepared
    first = client.get(f"{BASE}/verify/{licence.identifier}").json()
    again = client.get(f"{BASE}/verify/{licence.identifier}").json()
    assert first == again
    assert (first["found"], first["genuine"], first["usable"]) == (True, True, True)


def test_verify_reads_lower_case_and_tells_a_revoked_licence(client, licence, department):
    head = make_staff(department, StaffRole.DEPARTMENT_HEAD)
    licence_status_change(
        licence=licence, to_status=LicenceStatus.REVOKED, reason="骗取", actor=head
    )
    body = client.get(f"{BASE}/verify/{licence.identifier.lower()}").json()
    assert (body["found"], body["genuine"], body["usable"], body["status"]) == (
        True,
        True,
        False,
        "revoked",
    )
    assert body["message"] == "证照已被发证机关吊销或撤销，不能使用。"


@pytest.mark.parametrize(
    ("identifier", "queries", "message"),
    [
        ("hello", 0, "这不是电子证照标识（应以 1.2.156.3005.2 开头）"),
        (
            "1.2.156.3005.2.1.2",
            0,
            "电子证照标识应由类型代码、颁证单位代码、顺序号、版本号和校验位五段组成",
        ),
        (
            "1.2.156.3005.2.11100000000013338W001.113504000030000149.2025000123.001.A",
            0,
            "校验位不符，标识可能抄错或被改动",
        ),
        (
            "1.2.156.3005.2.11100000000013338W001.113504000030000149.2025000123.001.K",
            1,
            "证照库中没有这个标识的证照。",
        ),
    ],
)
def test_verify_of_a_malformed_or_unknown_identifier_is_an_answer_not_an_error(
    client, django_assert_num_queries, identifier, queries, message
):
    with django_assert_num_queries(queries):
        response = client.get(f"{BASE}/verify/{identifier}")
    assert response.status_code == 200
    body = response.json()
    assert (body["found"], body["genuine"], body["usable"], body["message"]) == (
        False,
        False,
        False,
        message,
    )
    assert body["identifier"] == identifier.upper()


def test_the_verify_handler_touches_neither_session_nor_user(licence, django_assert_num_queries):
    """The benchmark's hot path: the handler itself reads only the licence (middleware may
    still look at a signed-in user's session; an anonymous checker has none)."""

    class Untouchable:
        def __getattr__(self, name: str) -> Any:
            raise AssertionError(f"the handler read request.{name}")

    path = f"{BASE}/verify/{licence.identifier}"
    request = RequestFactory().get(path)
    request.session = Untouchable()  # type: ignore[assignment]
    request.user = Untouchable()  # type: ignore[assignment]
    with django_assert_num_queries(1):
        response = resolve(path).func(request, identifier=licence.identifier)
    assert response.status_code == 200
    assert json.loads(response.content)["usable"] is True


# --- Types ----------------------------------------------------------------------------------------


def test_types_lists_the_active_types_with_their_face_fields(client, marriage):
    business = make_licence_type(
        name="营业执照",
        holder_kind=HolderKind.ENTERPRISE,
        face_fields=BUSINESS_FACE,
        validity_rule=ValidityRule.FIXED_YEARS,
        validity_years=20,
    )
    stopped = make_licence_type(name="旧证")
    type(stopped).objects.filter(pk=stopped.pk).update(is_active=False)

    response = client.get(f"{BASE}/types")

    assert response.status_code == 200
    body = response.json()
    assert [t["name"] for t in body] == sorted(["结婚证", "营业执照"])
    by_name = {t["name"]: t for t in body}
    assert by_name["结婚证"]["code"] == "MARRIAGE_API"
    assert by_name["结婚证"]["holder_kind"] == "111"
    assert by_name["结婚证"]["validity"] == {
        "rule": "long_term",
        "label": "长期有效",
        "years": None,
    }
    assert by_name["结婚证"]["face_fields"][0] == {
        "key": "spouse_name",
        "label": "配偶姓名",
        "kind": "text",
        "required": True,
        "max_length": 50,
        "choices": [],
    }
    assert by_name["营业执照"]["type_code"] == business.type_code
    assert by_name["营业执照"]["validity"] == {
        "rule": "fixed_years",
        "label": "固定年限",
        "years": 20,
    }
    assert by_name["营业执照"]["face_fields"][2]["choices"] == [
        "有限责任公司",
        "个人独资企业",
        "合伙企业",
    ]


# --- The wallet -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/mine", "/mine/1", "/mine/1/accesses"], ids=["list", "detail", "accesses"]
)
def test_the_wallet_needs_a_signed_in_user(client, path):
    response = client.get(f"{BASE}{path}")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_the_wallet_lists_only_the_users_own_licences(client, licence, holder, verified_person):
    other = make_licence(holder=citizen(verified_person("李明")), licence_type=licence.licence_type)
    client.force_login(holder.user)

    body = client.get(f"{BASE}/mine").json()

    assert body["count"] == 1
    (item,) = body["items"]
    assert item["id"] == licence.pk
    assert item["identifier"] == licence.identifier
    assert item["licence_type_code"] == "MARRIAGE_API"
    assert item["holder_name"] == "陈静怡"
    assert item["holder_code"] == holder.citizen_id[:4] + "*" * 10 + holder.citizen_id[-4:]
    assert item["face"] == [
        {"key": "spouse_name", "label": "配偶姓名", "value": "刘德明"},
        {"key": "registered_on", "label": "登记日期", "value": "2020-05-20"},
    ]
    assert item["status_label"] == "有效"
    assert other.pk not in [i["id"] for i in body["items"]]

    detail = client.get(f"{BASE}/mine/{licence.pk}").json()
    assert detail["previous_identifier"] is None
    assert detail["number"] == "J350100-2020-001"
    for path in (f"/mine/{other.pk}", f"/mine/{other.pk}/accesses", "/mine/999999"):
        response = client.get(f"{BASE}{path}")
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"


def test_an_unverified_user_has_an_empty_wallet(client, licence):
    client.force_login(make_user())
    assert client.get(f"{BASE}/mine").json() == {"items": [], "count": 0}


def test_ended_licences_are_listed_on_request(client, licence, holder, department):
    head = make_staff(department, StaffRole.DEPARTMENT_HEAD)
    licence_status_change(
        licence=licence, to_status=LicenceStatus.CANCELLED, reason="注销", actor=head
    )
    client.force_login(holder.user)
    assert client.get(f"{BASE}/mine").json()["count"] == 0
    assert client.get(f"{BASE}/mine?include_ended=true").json()["count"] == 1


def test_the_holder_reads_who_looked_at_a_licence(client, licence, holder, department):
    clerk = make_staff(department, StaffRole.WINDOW_CLERK)
    licence_lookup(
        actor=clerk,
        department_id=department.pk,
        holder_code_type=HolderKind.CITIZEN,
        holder_code=holder.citizen_id,
        licence_type_codes=["MARRIAGE_API"],
        reason="办理户口迁移",
        case_number="C2026-0001",
    )
    client.force_login(holder.user)

    body = client.get(f"{BASE}/mine/{licence.pk}/accesses").json()

    assert len(body) == 1
    assert {k: v for k, v in body[0].items() if k != "accessed_at"} == {
        "unit_name": "示范市民政局",
        "purpose": "lookup",
        "purpose_label": "查询",
        "result": "found",
        "result_label": "查到",
        "reason": "办理户口迁移",
        "case_number": "C2026-0001",
    }


# --- Look-up --------------------------------------------------------------------------------------


def lookup_body(department, holder, **over: Any) -> dict[str, Any]:
    return {
        "department_id": department.pk,
        "holder_code_type": "111",
        "holder_code": holder.citizen_id,
        "licence_type_codes": ["MARRIAGE_API"],
        "reason": "办理户口迁移",
        "case_number": "C2026-0001",
    } | over


@pytest.mark.parametrize("role", [StaffRole.WINDOW_CLERK, StaffRole.DEPARTMENT_HANDLER])
def test_staff_look_up_a_holders_licences_with_a_reason_and_it_is_logged(
    client, licence, holder, department, role
):
    user = staff(client, department, role)

    response = post(client, "/lookup", lookup_body(department, holder))

    assert response.status_code == 200
    (item,) = response.json()
    assert item["identifier"] == licence.identifier
    assert item["holder_code"] == holder.citizen_id[:4] + "*" * 10 + holder.citizen_id[-4:]
    assert holder.citizen_id not in response.content.decode()
    access = LicenceAccess.objects.get()
    assert (access.licence_id, access.accessor_id, access.reason, access.case_number) == (
        licence.pk,
        user.pk,
        "办理户口迁移",
        "C2026-0001",
    )


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_look_up_without_a_reason_is_refused_and_leaves_no_trace(
    client, licence, holder, department, reason
):
    staff(client, department, StaffRole.WINDOW_CLERK)
    body = lookup_body(department, holder)
    if reason is None:
        del body["reason"]
    else:
        body["reason"] = reason
    before = counts()

    response = post(client, "/lookup", body)

    assert response.status_code == 422
    assert response.json() == {
        "code": "reason_required",
        "message": "查询或使用他人的电子证照须说明申请事由。",
        "errors": [{"field": "reason", "message": "请填写申请事由（如办理的事项和办件编号）"}],
    }
    assert counts() == before


@pytest.mark.parametrize(
    ("where", "role"),
    [
        ("other", StaffRole.WINDOW_CLERK),
        ("other", StaffRole.DEPARTMENT_HEAD),
        ("same", StaffRole.HOTLINE_OPERATOR),
        ("same", StaffRole.CATALOGUE_MANAGER),
        ("same", StaffRole.SUPERVISOR),
    ],
)
def test_a_look_up_outside_ones_department_is_forbidden_and_nothing_is_written(
    client, licence, holder, department, where, role
):
    staff(client, department if where == "same" else make_department(), role)
    before = counts()
    response = post(client, "/lookup", lookup_body(department, holder))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert counts() == before


def test_a_look_up_needs_a_signed_in_user(client, licence, holder, department):
    before = counts()
    response = post(client, "/lookup", lookup_body(department, holder))
    assert response.status_code == 401
    assert counts() == before


# --- Issue ----------------------------------------------------------------------------------------


def issue_body(department, marriage, **over: Any) -> dict[str, Any]:
    return {
        "licence_type_code": marriage.code,
        "department_id": department.pk,
        "holder_code_type": "111",
        "holder_code": new_citizen_id(),
        "holder_name": "王芳",
        "face": {"spouse_name": "陈明", "registered_on": "2026-01-05"},
        "number": "J-2026-0001",
        "issued_on": "2026-01-05",
        "trust_level": "A",
        "source_case_number": "C2026-0002",
    } | over


@pytest.mark.parametrize("role", [StaffRole.REVIEWER, StaffRole.DEPARTMENT_HEAD])
def test_issuing_staff_issue_a_licence_that_verifies(client, department, marriage, role):
    staff(client, department, role)

    response = post(client, "/issue", issue_body(department, marriage))

    assert response.status_code == 201
    body = response.json()
    licence = Licence.objects.get()
    assert body["id"] == licence.pk
    assert body["identifier"] == licence.identifier
    assert body["identifier"].startswith(f"1.2.156.3005.2.{marriage.type_code}.{department.uscc}.")
    assert (body["number"], body["issued_on"], body["status"]) == (
        "J-2026-0001",
        "2026-01-05",
        "valid",
    )
    assert licence.source_case_number == "C2026-0002"
    assert licence_verify(licence.identifier).usable


@pytest.mark.parametrize(
    ("where", "role"),
    [
        ("same", StaffRole.WINDOW_CLERK),
        ("same", StaffRole.DEPARTMENT_HANDLER),
        ("same", StaffRole.CATALOGUE_MANAGER),
        ("other", StaffRole.REVIEWER),
        ("other", StaffRole.DEPARTMENT_HEAD),
    ],
)
def test_issuing_without_the_right_is_forbidden_and_nothing_is_written(
    client, department, marriage, where, role
):
    staff(client, department if where == "same" else make_department(), role)
    response = post(client, "/issue", issue_body(department, marriage))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert counts() == (0, 0, 0)


def test_a_citizen_cannot_issue(client, department, marriage):
    client.force_login(make_user())
    assert post(client, "/issue", issue_body(department, marriage)).status_code == 403
    assert counts() == (0, 0, 0)


def test_a_bad_issue_lists_every_problem(client, department, marriage):
    staff(client, department, StaffRole.REVIEWER)
    body = issue_body(
        department,
        marriage,
        holder_code="350102199001011234",
        face={"registered_on": "昨天", "colour": "红"},
        trust_level="Z",
    )
    response = post(client, "/issue", body)
    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid_input",
        "message": "填写的内容有误，请按提示修改。",
        "errors": [
            {
                "field": "holder_code",
                "message": "身份证号码最后一位校验码不正确，请核对后重新输入。",
            },
            {"field": "trust_level", "message": "可信等级应为 A、B、C 或 D"},
            {"field": "face.colour", "message": "此类证照没有“colour”信息项"},
            {"field": "face.spouse_name", "message": "请填写“配偶姓名”"},
            {"field": "face.registered_on", "message": "“登记日期”应为日期（如 2026-01-31）"},
        ],
    }
    assert counts() == (0, 0, 0)


def test_issuing_an_unknown_type_is_not_found(client, department, marriage):
    staff(client, department, StaffRole.REVIEWER)
    response = post(client, "/issue", issue_body(department, marriage, licence_type_code="NOPE"))
    assert response.status_code == 404
    assert counts() == (0, 0, 0)


# --- Status ---------------------------------------------------------------------------------------


def test_the_department_head_revokes_with_a_reason(client, licence, department):
    head = staff(client, department, StaffRole.DEPARTMENT_HEAD)

    response = post(client, f"/{licence.pk}/status", {"to_status": "revoked", "reason": "骗取登记"})

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["status_label"]) == ("revoked", "已吊销")
    change = LicenceStatusChange.objects.filter(licence=licence).last()
    assert change is not None
    assert (change.from_status, change.to_status, change.reason, change.actor_id) == (
        "valid",
        "revoked",
        "骗取登记",
        head.pk,
    )
    assert licence_verify(licence.identifier).status == LicenceStatus.REVOKED


@pytest.mark.parametrize(
    ("where", "role", "status"),
    [
        ("same", StaffRole.REVIEWER, 403),  # may issue, may not change status
        ("same", StaffRole.WINDOW_CLERK, 404),
        ("other", StaffRole.DEPARTMENT_HEAD, 404),
        ("other", StaffRole.REVIEWER, 404),
    ],
)
def test_a_status_change_by_anyone_else_changes_nothing(
    client, licence, department, where, role, status
):
    staff(client, department if where == "same" else make_department(), role)
    before = counts()
    response = post(client, f"/{licence.pk}/status", {"to_status": "revoked", "reason": "骗取登记"})
    assert response.status_code == status
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.VALID
    assert counts() == before


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"to_status": "revoked"}, 422, "invalid_input"),
        ({"to_status": "superseded", "reason": "换证"}, 422, "invalid_input"),
        ({"to_status": "valid", "reason": "恢复"}, 409, "invalid_transition"),
    ],
)
def test_a_bad_status_change_changes_nothing(client, licence, department, body, status, code):
    staff(client, department, StaffRole.DEPARTMENT_HEAD)
    before = counts()
    response = post(client, f"/{licence.pk}/status", body)
    assert (response.status_code, response.json()["code"]) == (status, code)
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.VALID
    assert counts() == before


# --- Import ---------------------------------------------------------------------------------------


def sheet(rows: list[list[Any]]) -> SimpleUploadedFile:
    return marriage_workbook(rows, "licences.xlsx")


def test_an_import_through_the_api(client, department, marriage):
    staff(client, department, StaffRole.REVIEWER)
    rows = [
        [
            marriage.code,
            f"H{n}",
            "王芳",
            "111",
            new_citizen_id(),
            "2012-03-04",
            "陈明",
            "2012-03-04",
        ]
        for n in range(3)
    ]

    response = client.post(
        f"{BASE}/import", {"department_id": department.pk, "workbook": sheet(rows)}
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["issued"], body["superseded"]) == (3, 0)
    assert body["summary"].startswith("导入完成：共颁发 3 张电子证照")
    assert Licence.objects.filter(issuer=department, issued_on=date(2012, 3, 4)).count() == 3


def test_a_refused_import_lists_every_problem_and_writes_nothing(client, department, marriage):
    staff(client, department, StaffRole.REVIEWER)
    rows = [
        [marriage.code, "H1", "王芳", "111", new_citizen_id(), "2012-03-04", "陈明", "2012-03-04"],
        [marriage.code, "H2", "", "111", "123", "2012-03-04", "陈明", "2012-03-04"],
        [marriage.code, "H1", "李雷", "001", new_citizen_id(), "2012-03-04", "", "2012-03-04"],
    ]

    response = client.post(
        f"{BASE}/import", {"department_id": department.pk, "workbook": sheet(rows)}
    )

    assert response.status_code == 422
    assert response.json() == {
        "code": "import_refused",
        "message": "导入文件有 5 处错误，未导入任何内容。请逐项修改后重新上传。",
        "errors": [
            {"field": "C3", "message": "第3行“持证主体名称”不能为空"},
            {"field": "E3", "message": "第3行“持证主体代码”身份证号码应为18位，请核对后重新输入。"},
            {"field": "B4", "message": "第4行“证照编号”与第2行重复（同一类型的编号不能重复）"},
            {
                "field": "D4",
                "message": "第4行“持证主体代码类型”应为 111：结婚证的持证主体为公民身份号码",
            },
            {"field": "G4", "message": "第4行：请填写“配偶姓名”"},
        ],
    }
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize(
    ("where", "role"),
    [("same", StaffRole.WINDOW_CLERK), ("other", StaffRole.REVIEWER)],
)
def test_an_import_without_issuing_rights_is_forbidden(client, department, marriage, where, role):
    staff(client, department if where == "same" else make_department(), role)
    rows = [
        [marriage.code, "H1", "王芳", "111", new_citizen_id(), "2012-03-04", "陈明", "2012-03-04"]
    ]
    response = client.post(
        f"{BASE}/import", {"department_id": department.pk, "workbook": sheet(rows)}
    )
    assert response.status_code == 403
    assert counts() == (0, 0, 0)


def test_an_import_without_a_file_is_a_422(client, department):
    staff(client, department, StaffRole.REVIEWER)
    response = client.post(f"{BASE}/import", {"department_id": department.pk})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert [e["message"] for e in body["errors"]] == ["此项为必填项。"]
    assert body["errors"][0]["field"].endswith("workbook")


def test_the_import_template_for_a_type(client, department, marriage):
    staff(client, department, StaffRole.REVIEWER)
    response = client.get(f"{BASE}/import/template?licence_type_code={marriage.code}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws is not None
    assert [c.value for c in ws[1]][-3:] == ["配偶姓名", "登记日期", "备注"]
    assert client.get(f"{BASE}/import/template?licence_type_code=NOPE").status_code == 404


def test_staff_posts_need_the_csrf_token(licence, holder, department):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_staff(department, StaffRole.WINDOW_CLERK))
    before = counts()
    response = post(client, "/lookup", lookup_body(department, holder))
    assert response.status_code == 403
    assert counts() == before
    client.get("/")  # sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        f"{BASE}/lookup",
        lookup_body(department, holder),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200
