"""Reads of the licence library: verification, the holder's wallet, reuse, staff lists.

Object-level permission lives here: `*_for_user` selectors return only what the user holds (as a
person, or for an enterprise they represent) and raise `NotFound` for anything else.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

import psycopg
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from yiwang.identity.models import StaffRole, User
from yiwang.identity.selectors import (
    departments_where,
    enterprises_for_user,
    person_of,
    user_has_role,
)
from yiwang.licences.holders import Holder, holder_index, mask_holder_code, mask_holder_name
from yiwang.licences.identifier import IdentifierError, parse_identifier
from yiwang.licences.models import (
    Licence,
    LicenceAccess,
    LicenceStatusChange,
    LicenceType,
    SigningKey,
)
from yiwang.licences.signing import SignedContent, verify
from yiwang.licences.workflow import HolderKind, LicenceStatus
from yiwang.org.models import Department
from yiwang.platform import crypto
from yiwang.platform.errors import NotFound

# Roles that may issue and load licences for their department; status changes need the head.
ISSUING_ROLES = (StaffRole.REVIEWER, StaffRole.DEPARTMENT_HEAD)
# Roles that look up citizens' licences while handling their business (with a stated reason).
LOOKUP_ROLES = (
    StaffRole.WINDOW_CLERK,
    StaffRole.REVIEWER,
    StaffRole.DEPARTMENT_HEAD,
    StaffRole.DEPARTMENT_HANDLER,
)


# --- Types ----------------------------------------------------------------------------------------


def licence_types_active() -> list[LicenceType]:
    return list(LicenceType.objects.filter(is_active=True).order_by("name"))


def licence_type_by_code(code: str) -> LicenceType:
    found = LicenceType.objects.filter(code=code).first()
    if found is None:
        raise NotFound(f"没有类型简码为“{code}”的证照类型。")
    return found


def licence_type_names(codes: list[str]) -> dict[str, str]:
    """Names of the given type codes (unknown codes are left out), for material rows."""
    return dict(LicenceType.objects.filter(code__in=codes).values_list("code", "name"))


# --- Signatures -----------------------------------------------------------------------------------


def signed_content_of(licence: Licence, *, previous_identifier: str | None = None) -> SignedContent:
    """What the issuer signed, rebuilt from the stored licence (the holder code decrypted)."""
    if previous_identifier is None:
        previous = licence.previous if licence.previous_id else None
        previous_identifier = previous.identifier if previous is not None else ""
    return SignedContent(
        identifier=licence.identifier,
        type_code=licence.licence_type.type_code,
        number=licence.number,
        holder_name=licence.holder_name,
        holder_code_type=licence.holder_code_type,
        holder_code=licence.holder_code,
        issuer_code=licence.issuer_code,
        issuer_name=licence.issuer_name,
        issued_on=licence.issued_on,
        valid_from=licence.valid_from,
        valid_to=licence.valid_to,
        face=dict(licence.face),
        trust_level=licence.trust_level,
        version=licence.version,
        previous_identifier=previous_identifier,
    )


def licence_signature_holds(licence: Licence) -> bool:
    return verify(signed_content_of(licence), licence.signature, licence.signing_key.public_key)


# --- Public verification --------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """What the public verify page and API show. `genuine` is the signature check; `usable` is
    genuine and valid today."""

    identifier: str
    found: bool
    genuine: bool
    status: str
    status_label: str
    message: str
    licence_name: str = ""
    number: str = ""
    holder: str = ""
    holder_code: str = ""
    issuer: str = ""
    issued_on: date | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    trust_level: str = ""

    @property
    def usable(self) -> bool:
        return self.found and self.genuine and self.status == LicenceStatus.VALID


_VERDICTS = {
    LicenceStatus.VALID: "证照真实有效。",
    LicenceStatus.SUSPENDED: "证照真实，但已暂停使用。",
    LicenceStatus.EXPIRED: "证照真实，但已超过有效期。",
    LicenceStatus.REVOKED: "证照已被发证机关吊销或撤销，不能使用。",
    LicenceStatus.CANCELLED: "证照已注销，不能使用。",
    LicenceStatus.SUPERSEDED: "证照已换发新证，此版本不再使用。",
}


def licence_verify(identifier_text: str) -> Verification:
    """Is the licence with this identifier genuine, and is it valid? The holder is masked.

    The hot path of the bench (`bench/licence_verify/`): one hand-written indexed query with
    the type, key and predecessor's identifier, and a cached public key object. Equivalent to
    `licence_signature_holds` over the ORM instance (a test keeps the two in step).
    """
    text = identifier_text.strip().upper()[:120]
    try:
        parse_identifier(text)
    except IdentifierError as error:
        return Verification(text, False, False, "", "", error.message)
    row = _verify_row(text)
    if row is None:
        return Verification(text, False, False, "", "", "证照库中没有这个标识的证照。")
    (number, holder_name, code_type, code_token, issuer_code, issuer_name, issued_on,
     valid_from, valid_to, face, trust_level, status, version, signature, type_code,
     type_name, public_key, previous_identifier) = row  # fmt: skip
    issued_on, valid_from = _as_date(issued_on), _as_date(valid_from)
    valid_to = _as_date(valid_to) if valid_to else None
    holder_code = crypto.decrypt(code_token) if code_token else ""
    content = SignedContent(
        identifier=text,
        type_code=type_code,
        number=number,
        holder_name=holder_name,
        holder_code_type=code_type,
        holder_code=holder_code,
        issuer_code=issuer_code,
        issuer_name=issuer_name,
        issued_on=issued_on,
        valid_from=valid_from,
        valid_to=valid_to,
        face=json.loads(face) if isinstance(face, str | bytes) else dict(face or {}),
        trust_level=trust_level,
        version=int(version),
        previous_identifier=previous_identifier or "",
    )
    if status == LicenceStatus.VALID and valid_to and valid_to < _today():
        status = LicenceStatus.EXPIRED  # before the nightly task gets to it
    genuine = verify(content, signature, public_key)
    return Verification(
        identifier=text,
        found=True,
        genuine=genuine,
        status=status,
        status_label=str(LicenceStatus(status).label),
        message=_VERDICTS[LicenceStatus(status)]
        if genuine
        else "证照内容与发证机关的电子签名不符，可能被篡改，请勿使用。",
        licence_name=type_name,
        number=number,
        holder=mask_holder_name(code_type, holder_name),
        holder_code=mask_holder_code(code_type, holder_code),
        issuer=issuer_name,
        issued_on=issued_on,
        valid_from=valid_from,
        valid_to=valid_to,
        trust_level=trust_level,
    )


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


# One statement with the licence, its type, key and predecessor: the verify hot path measured in
# bench/licence_verify (building the ORM query cost more than running it). A test checks that
# the table names are the models'.
VERIFY_SQL = (
    "SELECT l.number, l.holder_name, l.holder_code_type, l.holder_code, l.issuer_code, "
    "l.issuer_name, l.issued_on, l.valid_from, l.valid_to, l.face, l.trust_level, "
    "l.status, l.version, l.signature, t.type_code, t.name, k.public_key, p.identifier "
    "FROM licences_licence l "
    "JOIN licences_licencetype t ON t.id = l.licence_type_id "
    "JOIN licences_signingkey k ON k.id = l.signing_key_id "
    "LEFT JOIN licences_licence p ON p.id = l.previous_id "
    "WHERE l.identifier = %s"
)


def _verify_row(identifier: str) -> tuple[Any, ...] | None:
    """The licence row `VERIFY_SQL` reads. On PostgreSQL as a prepared statement (ADR 0015):
    planning it cost 0.3–0.5 ms against 0.1 ms for running it, on every call. Django binds
    parameters on the client, and such a statement cannot be prepared, so this one query goes
    through a server-binding psycopg cursor on Django's own connection."""
    if connection.vendor != "postgresql" or not settings.DB_PREPARED_STATEMENTS:
        with connection.cursor() as cursor:
            cursor.execute(VERIFY_SQL, [identifier])
            return cast("tuple[Any, ...] | None", cursor.fetchone())
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:  # Django's default: preparing off, for poolers
        raw.prepare_threshold = _PREPARE_AFTER  # only server-binding cursors ever prepare
    started = time.monotonic()
    with connection.wrap_database_errors, psycopg.Cursor(raw) as cursor:
        cursor.execute(VERIFY_SQL, [identifier], prepare=True)
        row = cursor.fetchone()
    if connection.queries_logged:  # as Django's debug cursor would: tests count queries
        sql = VERIFY_SQL.replace("%s", f"'{identifier}'")
        connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})
    return row


_PREPARE_AFTER = 5


def _today() -> date:
    return timezone.localdate()


# --- The holder's wallet --------------------------------------------------------------------------


def holders_of_user(user: User | AnonymousUser) -> list[Holder]:
    """The user as a verified person, then every enterprise they may act for today."""
    holders: list[Holder] = []
    person = person_of(user)
    if person is None or not person.verified_at:
        return holders
    holders.append(Holder(HolderKind.CITIZEN, person.citizen_id, person.name))
    for enterprise in enterprises_for_user(user):
        holders.append(Holder(HolderKind.ENTERPRISE, enterprise.uscc, enterprise.name))
    return holders


def _wallet_queryset(indexes: list[str]) -> QuerySet[Licence]:
    return (
        Licence.objects.filter(holder_code_index__in=indexes)
        .select_related("licence_type")
        .order_by("holder_code_type", "licence_type__name", "-version", "-issued_on")
    )


def licences_for_user(user: User | AnonymousUser, *, include_ended: bool = False) -> list[Licence]:
    """The wallet: licences the user holds or holds for an enterprise. By default only the
    usable and the merely paused or expired ones, not those replaced, revoked or cancelled."""
    indexes = [h.index for h in holders_of_user(user)]
    if not indexes:
        return []
    licences = _wallet_queryset(indexes)
    if not include_ended:
        licences = licences.filter(
            status__in=[LicenceStatus.VALID, LicenceStatus.SUSPENDED, LicenceStatus.EXPIRED]
        )
    return list(licences)


def licence_for_user(user: User | AnonymousUser, licence_id: int) -> Licence:
    indexes = [h.index for h in holders_of_user(user)]
    licence = (
        Licence.objects.filter(pk=licence_id, holder_code_index__in=indexes)
        .select_related("licence_type", "signing_key", "previous", "issuer")
        .first()
    )
    if licence is None:
        raise NotFound()
    return licence


def licence_accesses(licence: Licence, *, limit: int = 100) -> list[LicenceAccess]:
    """Who looked at or used this licence, newest first (the holder's view)."""
    return list(
        licence.accesses.select_related("department").order_by("-accessed_at", "-id")[:limit]
    )


def licence_history(licence: Licence) -> list[LicenceStatusChange]:
    return list(licence.status_changes.order_by("changed_at", "id"))


def licence_chain(licence: Licence) -> list[Licence]:
    """The licence and every version before it, newest first (the renewal chain)."""
    chain = [licence]
    current = licence
    while current.previous_id is not None and len(chain) < 100:
        current = Licence.objects.select_related("licence_type").get(pk=current.previous_id)
        chain.append(current)
    return chain


# --- Reuse when applying --------------------------------------------------------------------------


def licences_usable_for(holder: Holder, licence_type_codes: list[str]) -> dict[str, Licence]:
    """The holder's valid licence of each type asked for (the newest, when several), so that
    the application offers "已有电子证照，一键使用" instead of an upload. A read for the holder's
    own application; a department's look-up goes through `services.licence_lookup` (reason,
    access log)."""
    if not licence_type_codes:
        return {}
    today = _today()
    found: dict[str, Licence] = {}
    rows = (
        Licence.objects.filter(
            holder_code_index=holder_index(holder.code_type, holder.code),
            licence_type__code__in=licence_type_codes,
            status=LicenceStatus.VALID,
        )
        .select_related("licence_type")
        .order_by("-issued_on", "-id")
    )
    for licence in rows:
        if licence.valid_to is not None and licence.valid_to < today:
            continue
        found.setdefault(licence.licence_type.code, licence)
    return found


# --- Staff ----------------------------------------------------------------------------------------


def user_may_issue(user: User | AnonymousUser, department_id: int) -> bool:
    if user_has_role(user, StaffRole.ADMINISTRATOR):
        return True
    return any(user_has_role(user, role, department_id=department_id) for role in ISSUING_ROLES)


def user_may_change_status(user: User | AnonymousUser, department_id: int) -> bool:
    return user_has_role(user, StaffRole.ADMINISTRATOR) or user_has_role(
        user, StaffRole.DEPARTMENT_HEAD, department_id=department_id
    )


def user_may_look_up(user: User | AnonymousUser, department_id: int) -> bool:
    return any(user_has_role(user, role, department_id=department_id) for role in LOOKUP_ROLES)


def licences_issued_by(department_id: int, *, page: int = 1, per_page: int = 20) -> Page[Licence]:
    rows = (
        Licence.objects.filter(issuer_id=department_id)
        .select_related("licence_type")
        .order_by("-issued_on", "-id")
    )
    return Paginator(rows, per_page).get_page(page)


def licence_for_issuer_staff(user: User | AnonymousUser, licence_id: int) -> Licence:
    """A licence the user's department issued, for its staff to manage; 404 otherwise."""
    licence = (
        Licence.objects.filter(pk=licence_id)
        .select_related("licence_type", "signing_key", "previous", "issuer")
        .first()
    )
    if licence is None or not user_may_issue(user, licence.issuer_id):
        raise NotFound()
    return licence


# --- Administration: the API's staff endpoints, the admin and the bulk import ---------------------
# (Added with licences/api.py and admin.py. Reads only; the services decide every write.)


def user_administers_licences(user: User | AnonymousUser) -> bool:
    """Superusers and administrators see the whole library in the admin."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser) or user_has_role(user, StaffRole.ADMINISTRATOR)


def departments_issuing_for(user: User | AnonymousUser) -> QuerySet[Department]:
    """Departments the user may issue and import licences for: every active one for an
    administrator, those where the user is a reviewer or department head otherwise."""
    departments = Department.objects.filter(is_active=True).order_by("region__code", "name")
    if user_has_role(user, StaffRole.ADMINISTRATOR):
        return departments
    ids: set[int] = set()
    for role in ISSUING_ROLES:
        ids.update(departments_where(user, role))
    return departments.filter(pk__in=ids)


def user_uses_licence_admin(user: User | AnonymousUser) -> bool:
    """May the user open the licence library in the admin (read, import, manage)?"""
    return user_administers_licences(user) or departments_issuing_for(user).exists()


def licences_for_staff(user: User | AnonymousUser) -> QuerySet[Licence]:
    """The licences the admin lists: all for administrators, else those the user's issuing
    departments issued."""
    rows = Licence.objects.select_related("licence_type")
    if user_administers_licences(user):
        return rows
    return rows.filter(issuer__in=departments_issuing_for(user))


def licence_status_changes_for_staff(user: User | AnonymousUser) -> QuerySet[LicenceStatusChange]:
    return LicenceStatusChange.objects.filter(licence__in=licences_for_staff(user)).select_related(
        "licence", "licence__licence_type"
    )


def licence_accesses_for_staff(user: User | AnonymousUser) -> QuerySet[LicenceAccess]:
    """Access log rows: all for administrators, else the look-ups the user's departments made."""
    rows = LicenceAccess.objects.select_related("licence", "licence__licence_type", "department")
    if user_administers_licences(user):
        return rows
    return rows.filter(department__in=departments_issuing_for(user))


def signing_keys_for_staff(user: User | AnonymousUser) -> QuerySet[SigningKey]:
    """Department signing keys (public parts) for administrators only."""
    if not user_administers_licences(user):
        return SigningKey.objects.none()
    return SigningKey.objects.select_related("department")


def licence_accesses_for_user(
    user: User | AnonymousUser, licence_id: int, *, limit: int = 100
) -> list[LicenceAccess]:
    """The access log of one of the user's own licences (404 for anyone else's)."""
    return licence_accesses(licence_for_user(user, licence_id), limit=limit)


def licence_issue_target(
    licence_type_code: str, department_id: int
) -> tuple[LicenceType, Department]:
    """The type and the issuing department an issue request names (404 for unknown ones); who
    may issue is `licence_issue`'s decision."""
    department = Department.objects.filter(pk=department_id).select_related("region").first()
    if department is None:
        raise NotFound("没有找到该部门。")
    return licence_type_by_code(licence_type_code), department
