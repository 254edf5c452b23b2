"""Licence library API (电子证照): public verification and types, the holder's wallet, and the
departments' look-up (with a stated reason), issuing, status changes and bulk import.

`/verify/{identifier}` and `/types` need no sign-in; everything else acts for the signed-in user
(session). A licence that is not yours, or not your department's, is a 404.

No `from __future__ import annotations` here: ninja reads the `Form[...]`/`File[...]`
annotations at import time.
"""

from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import django_auth
from pydantic import Field

from yiwang.identity.models import User
from yiwang.licences import selectors, services
from yiwang.licences.holders import Holder, mask_holder_code
from yiwang.licences.models import Licence, LicenceAccess, LicenceType
from yiwang.licences.workflow import LicenceStatus, TrustLevel, ValidityRule

router = Router(tags=["电子证照"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


# --- Schemas --------------------------------------------------------------------------------------


class VerificationOut(Schema):
    identifier: str
    found: bool
    genuine: bool = Field(description="发证机关的电子签名与证照内容相符")
    usable: bool = Field(description="真实且今天有效")
    status: str = Field(description="valid, suspended, expired, revoked, cancelled, superseded")
    status_label: str
    message: str = Field(description="给查验人看的结论（中文）")
    licence_name: str
    number: str
    holder: str = Field(description="持证主体（个人姓名已遮盖）")
    holder_code: str = Field(description="持证主体代码（公民身份号码已遮盖）")
    issuer: str
    issued_on: date | None
    valid_from: date | None
    valid_to: date | None = Field(description="空为长期有效")
    trust_level: str


class FaceFieldOut(Schema):
    key: str
    label: str
    kind: str = Field(description="text, date, number, choice")
    required: bool
    max_length: int | None = None
    choices: list[str] = []


class ValidityOut(Schema):
    rule: str = Field(description="long_term 长期有效, fixed_years 固定年限, stated 以证面为准")
    label: str
    years: int | None


class LicenceTypeOut(Schema):
    code: str = Field(description="类型简码，事项的申请材料以此列出可替代的电子证照")
    type_code: str = Field(description="证照类型代码（GB/T 36904：定义机构统一社会信用代码+3位）")
    name: str
    defining_authority: str
    holder_kind: str = Field(description="持证主体代码类型：111 公民身份号码，001 统一社会信用代码")
    face_fields: list[FaceFieldOut]
    validity: ValidityOut

    @staticmethod
    def resolve_face_fields(obj: LicenceType) -> list[FaceFieldOut]:
        return [
            FaceFieldOut(
                key=str(f["key"]),
                label=str(f.get("label") or f["key"]),
                kind=str(f.get("kind", "text")),
                required=bool(f.get("required", True)),
                max_length=f.get("max_length"),
                choices=[str(c) for c in f.get("choices", [])],
            )
            for f in obj.face_fields
        ]

    @staticmethod
    def resolve_validity(obj: LicenceType) -> ValidityOut:
        rule = ValidityRule(obj.validity_rule)
        return ValidityOut(rule=rule.value, label=str(rule.label), years=obj.validity_years)


class FaceValueOut(Schema):
    key: str
    label: str
    value: str


class LicenceOut(Schema):
    id: int
    identifier: str = Field(description="电子证照标识（GB/T 36904）")
    licence_type_code: str
    licence_name: str
    number: str
    holder_name: str
    holder_code_type: str
    holder_code: str = Field(description="持证主体代码（公民身份号码已遮盖）")
    issuer_name: str
    issuer_code: str
    region_code: str
    issued_on: date
    valid_from: date
    valid_to: date | None = Field(description="空为长期有效")
    status: str
    status_label: str
    trust_level: str
    version: int
    face: list[FaceValueOut] = Field(description="证面信息，按证照类型的信息项顺序")

    @staticmethod
    def resolve_licence_type_code(obj: Licence) -> str:
        return obj.licence_type.code

    @staticmethod
    def resolve_licence_name(obj: Licence) -> str:
        return obj.licence_type.name

    @staticmethod
    def resolve_holder_code(obj: Licence) -> str:
        return mask_holder_code(obj.holder_code_type, obj.holder_code)

    @staticmethod
    def resolve_status_label(obj: Licence) -> str:
        return str(LicenceStatus(obj.status).label)

    @staticmethod
    def resolve_face(obj: Licence) -> list[FaceValueOut]:
        labels = {
            str(f["key"]): str(f.get("label") or f["key"]) for f in obj.licence_type.face_fields
        }
        return [
            FaceValueOut(key=key, label=labels.get(key, key), value=str(value))
            for key, value in obj.face.items()
        ]


class LicenceDetailOut(LicenceOut):
    previous_identifier: str | None = Field(description="换发前的证照标识")

    @staticmethod
    def resolve_previous_identifier(obj: Licence) -> str | None:
        return obj.previous.identifier if obj.previous is not None else None


class AccessOut(Schema):
    accessed_at: datetime
    unit_name: str = Field(description="查询或用证的单位")
    purpose: str = Field(description="lookup 查询, download 下载, reuse 办件复用")
    purpose_label: str
    result: str = Field(description="found, not_found, denied")
    result_label: str
    reason: str = Field(description="申请事由")
    case_number: str

    @staticmethod
    def resolve_purpose_label(obj: LicenceAccess) -> str:
        return obj.get_purpose_display()

    @staticmethod
    def resolve_result_label(obj: LicenceAccess) -> str:
        return obj.get_result_display()


class LookupIn(Schema):
    department_id: int = Field(description="以哪个部门的名义查询（须为本人所在部门）")
    holder_code_type: str = Field(description="111 公民身份号码，001 统一社会信用代码")
    holder_code: str
    licence_type_codes: list[str] = Field(description="要查询的证照类型简码")
    reason: str = Field("", description="申请事由（必填，最多200字），记入用证记录")
    case_number: str = ""
    number: str = Field("", description="证照编号（可选）")


class IssueIn(Schema):
    licence_type_code: str
    department_id: int = Field(description="颁证部门")
    holder_code_type: str = Field(description="111 公民身份号码，001 统一社会信用代码")
    holder_code: str
    holder_name: str
    face: dict[str, Any] = Field(default_factory=dict, description="证面信息，按证照类型的信息项")
    number: str = Field("", description="证照编号；空则使用顺序号")
    issued_on: date | None = Field(None, description="颁证日期，空为今天")
    valid_from: date | None = Field(None, description="有效期起，空为颁证日期")
    valid_to: date | None = Field(None, description="有效期至，空则按证照类型的有效期规则")
    trust_level: str = Field(TrustLevel.A.value, description="A、B、C、D")
    source_case_number: str = ""


class StatusIn(Schema):
    to_status: str = Field(
        description="valid 恢复有效, suspended 暂停使用, revoked 吊销, cancelled 注销"
    )
    reason: str = Field("", description="变更原因（必填，最多200字）")


class ImportOut(Schema):
    issued: int
    superseded: int = Field(description="其中取代了持证主体原有同类证照的张数")
    seconds: float
    summary: str


class TemplateQuery(Schema):
    licence_type_code: list[str] = Field(
        default_factory=list, description="证照类型简码，可多个；空为全部在用类型"
    )


# --- Public ---------------------------------------------------------------------------------------


@router.get("/verify/{identifier}", response=VerificationOut, summary="核验电子证照（公开）")
def verify(request: HttpRequest, identifier: str) -> HttpResponse:
    """Is the licence genuine and valid today? A malformed or unknown identifier is an answer
    (`found: false` and why), not an error."""
    # Built here rather than validated through the response schema: this is the busiest public
    # read (bench/licence_verify), and the schema's validation cost a third of the framework's
    # time per call. A test keeps the body equal to what `VerificationOut` would give.
    return JsonResponse(_verification_body(selectors.licence_verify(identifier)))


def _verification_body(verification: selectors.Verification) -> dict[str, Any]:
    """The verify answer as `VerificationOut` describes it."""
    v = verification
    return {
        "identifier": v.identifier,
        "found": v.found,
        "genuine": v.genuine,
        "usable": v.usable,
        "status": v.status,
        "status_label": v.status_label,
        "message": v.message,
        "licence_name": v.licence_name,
        "number": v.number,
        "holder": v.holder,
        "holder_code": v.holder_code,
        "issuer": v.issuer,
        "issued_on": v.issued_on,
        "valid_from": v.valid_from,
        "valid_to": v.valid_to,
        "trust_level": v.trust_level,
    }


@router.get("/types", response=list[LicenceTypeOut], summary="在用的电子证照类型")
def types(request: HttpRequest) -> list[LicenceType]:
    return selectors.licence_types_active()


# --- The holder's wallet --------------------------------------------------------------------------


@router.get("/mine", response=list[LicenceOut], auth=django_auth, summary="我的电子证照")
@paginate(PageNumberPagination)
def mine(request: HttpRequest, include_ended: bool = False) -> list[Licence]:
    """Licences the user holds, or holds for an enterprise they represent; with
    `include_ended`, also the replaced, revoked and cancelled ones."""
    return selectors.licences_for_user(_user(request), include_ended=include_ended)


@router.get("/mine/{licence_id}", response=LicenceDetailOut, auth=django_auth, summary="证照详情")
def mine_detail(request: HttpRequest, licence_id: int) -> Licence:
    return selectors.licence_for_user(_user(request), licence_id)


@router.get(
    "/mine/{licence_id}/accesses",
    response=list[AccessOut],
    auth=django_auth,
    summary="谁查询或使用过我的证照",
)
def mine_accesses(request: HttpRequest, licence_id: int) -> list[LicenceAccess]:
    return selectors.licence_accesses_for_user(_user(request), licence_id)


# --- Departments ----------------------------------------------------------------------------------


@router.post(
    "/lookup", response=list[LicenceOut], auth=django_auth, summary="部门查询持证主体的证照"
)
def lookup(request: HttpRequest, payload: LookupIn) -> list[Licence]:
    """Usable licences of a holder, for a department handling the holder's business. A reason
    is required (`reason_required`); every look-up, found or not, is in the holder's log."""
    return services.licence_lookup(actor=_user(request), **payload.model_dump())


@router.post("/issue", response={201: LicenceDetailOut}, auth=django_auth, summary="颁发电子证照")
def issue(request: HttpRequest, payload: IssueIn) -> Status[Licence]:
    licence_type, department = selectors.licence_issue_target(
        payload.licence_type_code, payload.department_id
    )
    licence = services.licence_issue(
        licence_type=licence_type,
        holder=Holder(payload.holder_code_type, payload.holder_code, payload.holder_name),
        issuer=department,
        face=payload.face,
        actor=_user(request),
        number=payload.number,
        issued_on=payload.issued_on,
        valid_from=payload.valid_from,
        valid_to=payload.valid_to,
        trust_level=payload.trust_level,
        source_case_number=payload.source_case_number,
    )
    return Status(201, licence)


@router.post(
    "/{licence_id}/status", response=LicenceDetailOut, auth=django_auth, summary="变更证照状态"
)
def change_status(request: HttpRequest, licence_id: int, payload: StatusIn) -> Licence:
    """Suspend, revoke, cancel or reinstate, with a reason: the issuing department's head."""
    user = _user(request)
    licence = selectors.licence_for_issuer_staff(user, licence_id)
    return services.licence_status_change(
        licence=licence, to_status=payload.to_status, reason=payload.reason, actor=user
    )


@router.post("/import", response=ImportOut, auth=django_auth, summary="批量导入历史证照（Excel）")
def import_workbook(
    request: HttpRequest, department_id: Form[int], workbook: File[UploadedFile]
) -> ImportOut:
    """All or nothing: 200 with the count, or 422 `import_refused` listing every problem by
    cell (`E12`) with a sentence naming its row and column; nothing is written then."""
    report = services.licence_import_workbook(
        data=workbook.read(), department_id=department_id, actor=_user(request)
    )
    return ImportOut(
        issued=report.issued,
        superseded=report.superseded,
        seconds=round(report.seconds, 2),
        summary=report.summary(),
    )


@router.get(
    "/import/template",
    auth=django_auth,
    summary="批量导入模板（Excel）",
    response={200: None},
    openapi_extra={"responses": {200: {"content": {XLSX: {}}, "description": "导入模板"}}},
)
def import_template(request: HttpRequest, query: Query[TemplateQuery]) -> HttpResponse:
    data = services.licence_import_template(licence_type_codes=query.licence_type_code)
    response = HttpResponse(data, content_type=XLSX)
    name = quote("电子证照批量导入模板.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response
