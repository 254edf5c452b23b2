"""Departments using citizens' licences (用证): every look-up, download and reuse states a reason
and is logged, so that the holder can see who looked, when and why. A request without a reason is
refused and leaves no trace in the access log."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from yiwang.identity.models import User
from yiwang.licences.holders import holder_index, normalise_holder_code
from yiwang.licences.models import Licence, LicenceAccess
from yiwang.licences.selectors import user_may_look_up
from yiwang.licences.workflow import WATERMARKS, AccessPurpose, AccessResult, LicenceStatus
from yiwang.org.models import Department
from yiwang.platform.errors import FieldError, Forbidden, InvalidInput, NotFound
from yiwang.platform.services import audit_record

REASON_MAX = 200


def _checked_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            "查询或使用他人的电子证照须说明申请事由。",
            code="reason_required",
            errors=[FieldError("reason", "请填写申请事由（如办理的事项和办件编号）")],
        )
    if len(reason) > REASON_MAX:
        raise InvalidInput(
            errors=[FieldError("reason", f"申请事由不能超过 {REASON_MAX} 个字")],
        )
    return reason


def _department_for(actor: User, department_id: int) -> Department:
    if not user_may_look_up(actor, department_id):
        raise Forbidden("您不能以该部门名义查询电子证照。")
    department = Department.objects.filter(pk=department_id).select_related("region").first()
    if department is None:
        raise NotFound()
    return department


def watermark_for(licence: Licence) -> str:
    template = WATERMARKS.get(licence.trust_level, "")
    valid_to = f"{licence.valid_to:%Y年%m月%d日}" if licence.valid_to else "长期"
    return template.format(issuer=licence.issuer_name, valid_to=valid_to)


def _log(
    *,
    licence: Licence | None,
    index: str,
    type_codes: list[str],
    purpose: str,
    result: str,
    reason: str,
    case_number: str,
    department: Department,
    actor: User,
) -> LicenceAccess:
    return LicenceAccess.objects.create(
        licence=licence,
        holder_code_index=index,
        licence_type_codes=",".join(type_codes)[:400],
        purpose=purpose,
        result=result,
        reason=reason,
        case_number=case_number[:40],
        department=department,
        unit_name=department.name[:100],
        accessor=actor,
        accessor_label=actor.get_username()[:150],
        watermark=watermark_for(licence)[:200] if licence is not None else "",
        region_code=department.region.code if department.region_id else "",
        accessed_at=timezone.now(),
    )


def licence_lookup(
    *,
    actor: User,
    department_id: int,
    holder_code_type: str,
    holder_code: str,
    licence_type_codes: list[str],
    reason: str,
    case_number: str = "",
    number: str = "",
) -> list[Licence]:
    """A department's look-up of a holder's licences by code, code type and licence types
    (and number). Returns the usable ones (valid, not past their end); each licence found, or
    the empty result, is logged with the reason."""
    reason = _checked_reason(reason)
    department = _department_for(actor, department_id)
    code = normalise_holder_code(holder_code_type, holder_code)
    types = sorted({c.strip() for c in licence_type_codes if c.strip()})
    if not types:
        raise InvalidInput(errors=[FieldError("licence_type_codes", "请选择要查询的证照类型")])
    index = holder_index(holder_code_type, code)
    rows = Licence.objects.filter(
        holder_code_index=index, licence_type__code__in=types, status=LicenceStatus.VALID
    ).select_related("licence_type", "issuer")
    if number.strip():
        rows = rows.filter(number=number.strip())
    today = timezone.localdate()
    found = [
        r for r in rows.order_by("-issued_on", "-id") if r.valid_to is None or r.valid_to >= today
    ]
    with transaction.atomic():
        if not found:
            _log(
                licence=None,
                index=index,
                type_codes=types,
                purpose=AccessPurpose.LOOKUP,
                result=AccessResult.NOT_FOUND,
                reason=reason,
                case_number=case_number,
                department=department,
                actor=actor,
            )
        for licence in found:
            _log(
                licence=licence,
                index=index,
                type_codes=[licence.licence_type.code],
                purpose=AccessPurpose.LOOKUP,
                result=AccessResult.FOUND,
                reason=reason,
                case_number=case_number,
                department=department,
                actor=actor,
            )
        audit_record(
            actor=actor,
            action="licences.lookup",
            summary=f"{department.name} 查询电子证照 {len(found)} 张",
            details={"types": types, "case": case_number},
        )
    return found


def licence_use(
    *,
    actor: User,
    department_id: int,
    licence: Licence,
    reason: str,
    purpose: str = AccessPurpose.DOWNLOAD,
    case_number: str = "",
) -> LicenceAccess:
    """A department downloads a licence or uses it in a case instead of a paper copy; logged
    with the watermark that goes on the copy it gets. Only usable licences can be used."""
    reason = _checked_reason(reason)
    department = _department_for(actor, department_id)
    if purpose not in (AccessPurpose.DOWNLOAD, AccessPurpose.REUSE):
        raise InvalidInput(errors=[FieldError("purpose", "用途应为下载或办件复用")])
    today = timezone.localdate()
    if licence.status != LicenceStatus.VALID or (
        licence.valid_to is not None and licence.valid_to < today
    ):
        raise InvalidInput(
            f"该证照{LicenceStatus(licence.status).label}，不能使用。", code="licence_not_usable"
        )
    with transaction.atomic():
        access = _log(
            licence=licence,
            index=licence.holder_code_index,
            type_codes=[licence.licence_type.code],
            purpose=purpose,
            result=AccessResult.FOUND,
            reason=reason,
            case_number=case_number,
            department=department,
            actor=actor,
        )
    return access
