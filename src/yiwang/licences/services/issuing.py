"""Licence types and issuing: `licence_issue` (called by the case workflow on approval, by the
bulk import and by departments), and renewal."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from yiwang.identity.models import User
from yiwang.licences.events import LicenceIssued, LicenceStatusChanged
from yiwang.licences.face import clean_face, schema_problems
from yiwang.licences.holders import Holder, holder_index, normalise_holder_code
from yiwang.licences.identifier import LicenceIdentifier
from yiwang.licences.models import (
    Licence,
    LicenceStatusChange,
    LicenceType,
    SerialCounter,
)
from yiwang.licences.selectors import signed_content_of, user_may_issue
from yiwang.licences.services.keys import signing_key_active
from yiwang.licences.signing import sign
from yiwang.licences.workflow import HolderKind, LicenceStatus, TrustLevel, ValidityRule
from yiwang.org.models import Department
from yiwang.platform.errors import FieldError, Forbidden, InvalidInput, InvalidTransition
from yiwang.platform.events import publish
from yiwang.platform.services import audit_record

SYSTEM_LABEL = "系统"

# --- Types ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LicenceTypeData:
    code: str
    type_code: str
    name: str
    defining_authority: str
    holder_kind: str
    face_fields: list[dict[str, Any]] = field(default_factory=list)
    validity_rule: str = ValidityRule.LONG_TERM
    validity_years: int | None = None
    several_valid: bool = False


def _type_problems(data: LicenceTypeData) -> list[FieldError]:
    problems = [FieldError(p.field, p.message) for p in schema_problems(data.face_fields)]
    if not data.code.strip():
        problems.append(FieldError("code", "请填写类型简码"))
    if len(data.type_code) != 21 or not data.type_code[-3:].isdigit():
        problems.append(
            FieldError("type_code", "证照类型代码应为定义机构的统一社会信用代码加 3 位顺序号")
        )
    if not data.name.strip():
        problems.append(FieldError("name", "请填写证照名称"))
    if data.holder_kind not in HolderKind.values:
        problems.append(FieldError("holder_kind", "持证主体代码类型应为 111 或 001"))
    if data.validity_rule not in ValidityRule.values:
        problems.append(FieldError("validity_rule", "有效期规则不正确"))
    if data.validity_rule == ValidityRule.FIXED_YEARS and not (data.validity_years or 0) >= 1:
        problems.append(FieldError("validity_years", "固定年限的证照需填写有效年限"))
    return problems


def licence_type_save(*, data: LicenceTypeData, actor: User | None) -> LicenceType:
    """Create the type, or update the one with the same `code`; idempotent for the demo."""
    problems = _type_problems(data)
    if problems:
        raise InvalidInput(errors=problems)
    values = {
        "type_code": data.type_code,
        "name": data.name.strip(),
        "defining_authority": data.defining_authority.strip(),
        "holder_kind": data.holder_kind,
        "face_fields": data.face_fields,
        "validity_rule": data.validity_rule,
        "validity_years": data.validity_years,
        "several_valid": data.several_valid,
        "updated_at": timezone.now(),
    }
    with transaction.atomic():
        licence_type, created = LicenceType.objects.update_or_create(
            code=data.code.strip(), defaults=values
        )
        audit_record(
            actor=actor,
            action="licences.type.created" if created else "licences.type.updated",
            target=licence_type,
            summary=f"证照类型 {licence_type.name}（{licence_type.code}）",
        )
    return licence_type


# --- Issuing --------------------------------------------------------------------------------------


def _next_serial(licence_type: LicenceType, issuer: Department, year: int) -> str:
    counter, _ = SerialCounter.objects.select_for_update().get_or_create(
        licence_type=licence_type, issuer=issuer, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{year}{counter.last:07d}"


def _validity_end(
    licence_type: LicenceType, valid_from: date, valid_to: date | None
) -> date | None:
    if valid_to is not None:
        if valid_to < valid_from:
            raise InvalidInput(errors=[FieldError("valid_to", "有效期至不能早于有效期起")])
        return valid_to
    if licence_type.validity_rule == ValidityRule.FIXED_YEARS and licence_type.validity_years:
        try:
            end = valid_from.replace(year=valid_from.year + licence_type.validity_years)
        except ValueError:  # 29 February
            end = valid_from.replace(year=valid_from.year + licence_type.validity_years, day=28)
        return end - timedelta(days=1)
    if licence_type.validity_rule == ValidityRule.STATED:
        raise InvalidInput(errors=[FieldError("valid_to", "此类证照需填写有效期至")])
    return None


def _record_status(
    licence: Licence, from_status: str, to_status: str, reason: str, actor: User | None
) -> None:
    LicenceStatusChange.objects.create(
        licence=licence,
        from_status=from_status,
        to_status=to_status,
        reason=reason[:200],
        actor=actor,
        actor_label=(actor.get_username() if actor is not None else SYSTEM_LABEL)[:150],
    )


def _supersede(old: Licence, actor: User | None, reason: str) -> None:
    from_status = old.status
    if from_status not in (LicenceStatus.VALID, LicenceStatus.EXPIRED, LicenceStatus.SUSPENDED):
        raise InvalidTransition(f"该证照{LicenceStatus(from_status).label}，不能换发。")
    old.status = LicenceStatus.SUPERSEDED
    old.status_changed_at = timezone.now()
    old.save(update_fields=["status", "status_changed_at"])
    _record_status(old, from_status, LicenceStatus.SUPERSEDED, reason, actor)
    publish(LicenceStatusChanged(old.pk, from_status, LicenceStatus.SUPERSEDED, reason))


def licence_issue(
    *,
    licence_type: LicenceType,
    holder: Holder,
    issuer: Department,
    face: dict[str, Any],
    actor: User | None,
    number: str = "",
    issued_on: date | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
    trust_level: str = TrustLevel.A,
    source_case_number: str = "",
    previous: Licence | None = None,
) -> Licence:
    """Issue a licence into the library, signed with the issuer's key.

    `actor` is the staff member (who must be allowed to issue for `issuer`) or None for the
    platform itself (the case workflow's system step, the demo loader). When the type allows one
    valid licence per holder, the holder's current one is superseded by this one and becomes its
    `previous`. Raises `InvalidInput` with every problem at once.
    """
    if actor is not None and not user_may_issue(actor, issuer.pk):
        raise Forbidden("您没有以该部门名义颁发证照的权限。")
    problems: list[FieldError] = []
    code = holder.code
    try:
        code = normalise_holder_code(holder.code_type, holder.code)
    except InvalidInput as error:
        problems.extend(error.errors)
    if holder.code_type != licence_type.holder_kind:
        kind = HolderKind(licence_type.holder_kind).label
        problems.append(FieldError("holder_code_type", f"{licence_type.name}的持证主体应为{kind}"))
    if not holder.name.strip():
        problems.append(FieldError("holder_name", "请填写持证主体名称"))
    if not licence_type.is_active:
        problems.append(FieldError("licence_type", f"证照类型“{licence_type.name}”已停用"))
    if trust_level not in TrustLevel.values:
        problems.append(FieldError("trust_level", "可信等级应为 A、B、C 或 D"))
    cleaned, face_problems = clean_face(licence_type.face_fields, face)
    problems.extend(FieldError(p.field, p.message) for p in face_problems)
    issued_on = issued_on or timezone.localdate()
    valid_from = valid_from or issued_on
    try:
        end = _validity_end(licence_type, valid_from, valid_to)
    except InvalidInput as error:
        problems.extend(error.errors)
        end = None
    if problems:
        raise InvalidInput(errors=problems)
    index = holder_index(holder.code_type, code)

    with transaction.atomic():
        if previous is None and not licence_type.several_valid:
            previous = (
                Licence.objects.select_for_update()
                .filter(
                    holder_code_index=index,
                    licence_type=licence_type,
                    status__in=[LicenceStatus.VALID, LicenceStatus.SUSPENDED],
                )
                .order_by("-issued_on", "-id")
                .first()
            )
        if previous is not None:
            _supersede(previous, actor, "换发新证")
        if previous is not None and previous.issuer_id == issuer.pk:
            serial_text = previous.identifier.split(".")[-3]
            version = previous.version + 1
        else:
            serial_text = _next_serial(licence_type, issuer, issued_on.year)
            version = 1
        identifier = str(
            LicenceIdentifier(licence_type.type_code, issuer.uscc, serial_text, version)
        )
        key = signing_key_active(department=issuer)
        licence = Licence(
            identifier=identifier,
            licence_type=licence_type,
            number=(number or serial_text).strip()[:60],
            holder_name=holder.name.strip()[:200],
            holder_code_type=holder.code_type,
            holder_code=code,
            holder_code_index=index,
            issuer=issuer,
            issuer_name=issuer.name,
            issuer_code=issuer.uscc,
            region_code=issuer.region.code if issuer.region_id else "",
            issued_on=issued_on,
            valid_from=valid_from,
            valid_to=end,
            face=cleaned,
            trust_level=trust_level,
            version=version,
            previous=previous,
            source_case_number=source_case_number[:40],
            signing_key=key,
        )
        content = signed_content_of(
            licence, previous_identifier=previous.identifier if previous else ""
        )
        licence.signature = sign(content, key.private_key)
        licence.save()
        _record_status(licence, "", LicenceStatus.VALID, "颁发", actor)
        audit_record(
            actor=actor,
            action="licences.licence.issued",
            target=licence,
            summary=f"颁发{licence_type.name} {licence.number}",
            details={"identifier": identifier, "case": source_case_number},
        )
        publish(
            LicenceIssued(
                licence_id=licence.pk,
                licence_type_code=licence_type.code,
                issuer_id=issuer.pk,
                source_case_number=source_case_number,
                previous_id=previous.pk if previous else None,
            )
        )
    return licence


def licence_renew(
    *,
    licence: Licence,
    actor: User | None,
    face: dict[str, Any] | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
    source_case_number: str = "",
) -> Licence:
    """A new version of the licence (换证、变更): same serial, next version, the old one
    superseded. Face fields not given are carried over."""
    return licence_issue(
        licence_type=licence.licence_type,
        holder=Holder(licence.holder_code_type, licence.holder_code, licence.holder_name),
        issuer=licence.issuer,
        face={**licence.face, **(face or {})},
        actor=actor,
        number=licence.number,
        valid_from=valid_from,
        valid_to=valid_to,
        trust_level=licence.trust_level,
        source_case_number=source_case_number,
        previous=licence,
    )
