"""Issuing many licences at once: a department's existing register loaded into the library (a
migration from the old licence system, the demo city).

Each row is checked as `licence_issue` checks it and signed the same way (`signed_content_of`,
`signing.sign`, the issuer's active key); what differs is that serials are taken per (type,
issuer, year) for the whole batch, keys are fetched once per issuer, and rows are written with
`bulk_create`. Only first issues: a row may not replace a licence (use `licence_issue` or
`licence_renew` for that), so a holder who already has a valid licence of a one-per-holder type
is a problem of that row.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from yiwang.identity.models import User
from yiwang.licences.events import LicenceIssued
from yiwang.licences.face import clean_face
from yiwang.licences.holders import Holder, holder_index, normalise_holder_code
from yiwang.licences.identifier import LicenceIdentifier
from yiwang.licences.models import Licence, LicenceStatusChange, LicenceType, SerialCounter
from yiwang.licences.selectors import signed_content_of, user_may_issue
from yiwang.licences.services.issuing import SYSTEM_LABEL, _validity_end
from yiwang.licences.services.keys import signing_key_active
from yiwang.licences.signing import sign
from yiwang.licences.workflow import HolderKind, LicenceStatus, TrustLevel
from yiwang.org.models import Department
from yiwang.platform.errors import FieldError, Forbidden, InvalidInput
from yiwang.platform.events import publish
from yiwang.platform.services import audit_record

BATCH_SIZE = 1000
_LOOKUP_CHUNK = 900  # holder indexes per IN (…) query


@dataclass(frozen=True)
class LicenceToIssue:
    """One licence of a bulk issue; the arguments of `licence_issue` without `previous`."""

    licence_type: LicenceType
    holder: Holder
    issuer: Department
    face: dict[str, Any]
    number: str = ""
    issued_on: date | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    trust_level: str = TrustLevel.A
    source_case_number: str = ""


@dataclass(frozen=True)
class _Checked:
    row: LicenceToIssue
    code: str
    index: str
    face: dict[str, str]
    issued_on: date
    valid_from: date
    valid_to: date | None


def _check(position: int, row: LicenceToIssue, today: date) -> tuple[_Checked, list[FieldError]]:
    """The checks of `licence_issue`, with each field named after its row (`rows[3].face.x`)."""
    where = f"rows[{position}]"
    problems: list[FieldError] = []
    licence_type = row.licence_type
    code = row.holder.code
    try:
        code = normalise_holder_code(row.holder.code_type, row.holder.code)
    except InvalidInput as error:
        problems.extend(FieldError(f"{where}.{e.field}", e.message) for e in error.errors)
    if row.holder.code_type != licence_type.holder_kind:
        kind = HolderKind(licence_type.holder_kind).label
        problems.append(
            FieldError(f"{where}.holder_code_type", f"{licence_type.name}的持证主体应为{kind}")
        )
    if not row.holder.name.strip():
        problems.append(FieldError(f"{where}.holder_name", "请填写持证主体名称"))
    if not licence_type.is_active:
        problems.append(FieldError(f"{where}.licence_type", f"证照类型“{licence_type.name}”已停用"))
    if row.trust_level not in TrustLevel.values:
        problems.append(FieldError(f"{where}.trust_level", "可信等级应为 A、B、C 或 D"))
    cleaned, face_problems = clean_face(licence_type.face_fields, row.face)
    problems.extend(FieldError(f"{where}.{p.field}", p.message) for p in face_problems)
    issued_on = row.issued_on or today
    valid_from = row.valid_from or issued_on
    end: date | None = None
    try:
        end = _validity_end(licence_type, valid_from, row.valid_to)
    except InvalidInput as error:
        problems.extend(FieldError(f"{where}.{e.field}", e.message) for e in error.errors)
    checked = _Checked(
        row, code, holder_index(row.holder.code_type, code), cleaned, issued_on, valid_from, end
    )
    return checked, problems


def _one_per_holder_problems(checked: list[_Checked]) -> list[FieldError]:
    """A type that allows one valid licence per holder: not twice in the batch, and not for a
    holder who already has one in the library."""
    single = [(n, c) for n, c in enumerate(checked) if not c.row.licence_type.several_valid]
    problems: list[FieldError] = []
    seen: set[tuple[int, str]] = set()
    for position, c in single:
        key = (c.row.licence_type.pk, c.index)
        if key in seen:
            problems.append(
                FieldError(
                    f"rows[{position}].holder_code",
                    f"同一持证主体在本批中有两张{c.row.licence_type.name}",
                )
            )
        seen.add(key)
    held: set[tuple[int, str]] = set()
    indexes = sorted({c.index for _, c in single})
    type_ids = {c.row.licence_type.pk for _, c in single}
    for start in range(0, len(indexes), _LOOKUP_CHUNK):
        held.update(
            Licence.objects.filter(
                licence_type_id__in=type_ids,
                holder_code_index__in=indexes[start : start + _LOOKUP_CHUNK],
                status__in=[LicenceStatus.VALID, LicenceStatus.SUSPENDED],
            ).values_list("licence_type_id", "holder_code_index")
        )
    for position, c in single:
        if (c.row.licence_type.pk, c.index) in held:
            problems.append(
                FieldError(
                    f"rows[{position}].holder_code",
                    f"持证主体已有有效的{c.row.licence_type.name}，请用换发办理",
                )
            )
    return problems


def _take_serials(checked: list[_Checked]) -> list[str]:
    """Serials `<year><7 digits>` for every row, taken from the counters once per group."""
    wanted: Counter[tuple[int, int, int]] = Counter(
        (c.row.licence_type.pk, c.row.issuer.pk, c.issued_on.year) for c in checked
    )
    type_ids = {key[0] for key in wanted}
    issuer_ids = {key[1] for key in wanted}

    def counters() -> dict[tuple[int, int, int], SerialCounter]:
        rows = SerialCounter.objects.select_for_update().filter(
            licence_type_id__in=type_ids, issuer_id__in=issuer_ids
        )
        return {(c.licence_type_id, c.issuer_id, c.year): c for c in rows}

    found = counters()
    missing = [key for key in wanted if key not in found]
    if missing:
        SerialCounter.objects.bulk_create(
            (SerialCounter(licence_type_id=t, issuer_id=i, year=y) for t, i, y in missing),
            ignore_conflicts=True,  # another issue made it meanwhile: then its number counts
        )
        found = counters()
    next_number: dict[tuple[int, int, int], int] = {}
    for key, count in wanted.items():
        counter = found[key]
        next_number[key] = counter.last + 1
        counter.last += count
    SerialCounter.objects.bulk_update([found[key] for key in wanted], ["last"], batch_size=500)
    serials = []
    for c in checked:
        key = (c.row.licence_type.pk, c.row.issuer.pk, c.issued_on.year)
        serials.append(f"{c.issued_on.year}{next_number[key]:07d}")
        next_number[key] += 1
    return serials


def licences_issue_bulk(
    *, rows: Sequence[LicenceToIssue], actor: User | None, batch_size: int = BATCH_SIZE
) -> list[Licence]:
    """Issue every row as a new licence (version 1), signed with its issuer's key, in one
    transaction; all or nothing.

    `actor` must be allowed to issue for every issuer in the batch, or be None for the platform
    itself (a migration, the demo loader). Raises `InvalidInput` listing every problem of every
    row (fields named `rows[<n>].<field>`) before anything is written. Writes one status record
    per licence, one audit entry per (issuer, type) and publishes `LicenceIssued` per licence.
    """
    if not rows:
        return []
    if actor is not None:
        for issuer_id in {row.issuer.pk for row in rows}:
            if not user_may_issue(actor, issuer_id):
                raise Forbidden("您没有以该部门名义颁发证照的权限。")
    today = timezone.localdate()
    checked: list[_Checked] = []
    problems: list[FieldError] = []
    for position, row in enumerate(rows):
        one, row_problems = _check(position, row, today)
        checked.append(one)
        problems.extend(row_problems)
    if not problems:
        problems = _one_per_holder_problems(checked)
    if problems:
        raise InvalidInput(errors=problems)

    actor_label = (actor.get_username() if actor is not None else SYSTEM_LABEL)[:150]
    with transaction.atomic():
        serials = _take_serials(checked)
        keys = {
            issuer.pk: signing_key_active(department=issuer)
            for issuer in {row.issuer.pk: row.issuer for row in rows}.values()
        }
        licences: list[Licence] = []
        for c, serial in zip(checked, serials, strict=True):
            row, issuer = c.row, c.row.issuer
            key = keys[issuer.pk]
            licence = Licence(
                identifier=str(
                    LicenceIdentifier(row.licence_type.type_code, issuer.uscc, serial, 1)
                ),
                licence_type=row.licence_type,
                number=(row.number or serial).strip()[:60],
                holder_name=row.holder.name.strip()[:200],
                holder_code_type=row.holder.code_type,
                holder_code=c.code,
                holder_code_index=c.index,
                issuer=issuer,
                issuer_name=issuer.name,
                issuer_code=issuer.uscc,
                region_code=issuer.region.code if issuer.region_id else "",
                issued_on=c.issued_on,
                valid_from=c.valid_from,
                valid_to=c.valid_to,
                face=c.face,
                trust_level=row.trust_level,
                version=1,
                source_case_number=row.source_case_number[:40],
                signing_key=key,
            )
            licence.signature = sign(
                signed_content_of(licence, previous_identifier=""), key.private_key
            )
            licences.append(licence)
        Licence.objects.bulk_create(licences, batch_size=batch_size)
        now = timezone.now()
        LicenceStatusChange.objects.bulk_create(
            (
                LicenceStatusChange(
                    licence=licence,
                    from_status="",
                    to_status=LicenceStatus.VALID,
                    reason="颁发",
                    actor=actor,
                    actor_label=actor_label,
                    changed_at=now,
                )
                for licence in licences
            ),
            batch_size=batch_size,
        )
        groups: dict[tuple[int, int], list[Licence]] = defaultdict(list)
        for licence in licences:
            groups[(licence.issuer_id, licence.licence_type_id)].append(licence)
        for group in groups.values():
            first = group[0]
            audit_record(
                actor=actor,
                action="licences.licence.issued_in_bulk",
                target=first.licence_type,
                summary=f"{first.issuer_name}批量颁发{first.licence_type.name} {len(group)} 张",
                details={
                    "issuer": first.issuer_code,
                    "count": len(group),
                    "first": first.identifier,
                    "last": group[-1].identifier,
                },
            )
        for licence in licences:
            publish(
                LicenceIssued(
                    licence_id=licence.pk,
                    licence_type_code=licence.licence_type.code,
                    issuer_id=licence.issuer_id,
                    source_case_number=licence.source_case_number,
                    previous_id=None,
                )
            )
    return licences
