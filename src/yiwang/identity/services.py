"""Writes about accounts and people. Every write is audited; events go out after commit."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.db import IntegrityError, transaction
from django.utils import timezone

from yiwang.identity.events import (
    AgentAuthorised,
    AgentRevoked,
    EnterpriseRegistered,
    PersonVerified,
)
from yiwang.identity.models import (
    AgentAuthorisation,
    Enterprise,
    Person,
    RealNameLevel,
    RealNameMethod,
    RealNameVerification,
    StaffMembership,
    StaffRole,
    User,
    VerificationOutcome,
)
from yiwang.identity.phones import normalise_phone
from yiwang.identity.selectors import (
    enterprise_representable_by,
    failed_verifications_today,
    person_by_citizen_id,
    user_by_phone,
)
from yiwang.org.models import Department
from yiwang.platform.crypto import blind_index, decrypt, encrypt, keyring
from yiwang.platform.errors import Conflict, Forbidden, InvalidInput, RateLimited, RuleViolated
from yiwang.platform.events import publish
from yiwang.platform.gateways import get_realname_gateway
from yiwang.platform.masking import mask_phone
from yiwang.platform.services import (
    KeyRotationCount,
    audit_record,
    key_rotation_register,
    outbox_enqueue,
)
from yiwang.platform.validators import normalise_citizen_id, normalise_uscc

MAX_FAILED_VERIFICATIONS_PER_DAY = 5
MAX_AGENT_PERIOD_DAYS = 3 * 366
SMS_SIGNATURE = "【一网通办】"


def phone_normalised(phone: str) -> str:
    """A mainland mobile number as +86…, or `InvalidInput` with a Chinese message."""
    return normalise_phone(phone)


def phone_index(phone: str) -> str:
    return blind_index(normalise_phone(phone), purpose="phone")


@transaction.atomic
def account_set_phone(*, user: User, phone: str, verified: bool) -> User:
    """Attach a mainland mobile number to an account (encrypted, indexed)."""
    normalised = normalise_phone(phone)
    owner = user_by_phone(normalised)
    if owner is not None and owner.pk != user.pk:
        raise Conflict("该手机号码已注册，请直接登录。", code="phone_taken")
    user.phone = normalised
    user.phone_index = blind_index(normalised, purpose="phone")
    user.phone_verified = verified
    if user.pk:
        user.save(update_fields=["phone", "phone_index", "phone_verified"])
        audit_record(
            actor=user,
            action="account.phone_set",
            target=user,
            summary=f"手机号码设为 {mask_phone(normalised)}",
        )
    return user


@transaction.atomic
def account_mark_phone_verified(*, user: User) -> User:
    user.phone_verified = True
    user.save(update_fields=["phone_verified"])
    audit_record(actor=user, action="account.phone_verified", target=user)
    return user


def account_send_phone_code(*, phone: str, code: str) -> None:
    """One-time codes go out through the outbox, so a crash after commit loses nothing."""
    minutes = 15
    outbox_enqueue(
        channel="sms",
        recipient=normalise_phone(phone),
        body=(
            f"{SMS_SIGNATURE}您的验证码为 {code}，{minutes}分钟内有效。如非本人操作，请忽略本短信。"
        ),
        template="verification_code",
    )


def account_send_email(*, to: str, subject: str, body: str) -> None:
    outbox_enqueue(channel="email", recipient=to, subject=subject, body=body, template="account")


def person_verify_identity(
    *,
    user: User,
    name: str,
    citizen_id: str,
    method: str = RealNameMethod.POLICE_ID_CHECK,
) -> Person:
    """Real-name verification (实名认证): checks name + ID number with the verifier.

    The first verified identity of an account creates its `Person`; an ID number can belong to
    one account only. Every attempt is recorded, failed ones too (they are limited per day), so
    the attempt is committed before a mismatch is reported.
    """
    name = name.strip()
    if not name:
        raise InvalidInput("请填写姓名。", code="name_required")
    normalised = normalise_citizen_id(citizen_id)
    index = blind_index(normalised, purpose="citizen_id")
    if failed_verifications_today(user) >= MAX_FAILED_VERIFICATIONS_PER_DAY:
        raise RateLimited("今日认证失败次数过多，请明天再试或到政务服务大厅办理。")
    existing = person_by_citizen_id(normalised)
    if existing is not None and existing.user_id != user.pk:
        raise Conflict(
            "该身份证号码已绑定其他账户。如非本人操作，请拨打12345反映。",
            code="citizen_id_taken",
        )
    own = Person.objects.filter(user=user).first()
    if own is not None and own.citizen_id_index != index:
        raise Conflict("您的账户已完成实名认证，不能更换为他人身份。", code="already_verified")

    result = get_realname_gateway().verify_person(name=name, citizen_id=normalised)
    level = RealNameLevel.L2 if method == RealNameMethod.POLICE_ID_CHECK else RealNameLevel.L3
    with transaction.atomic():
        RealNameVerification.objects.create(
            user=user,
            subject_kind="person",
            method=method,
            level=level if result.matched else RealNameLevel.NONE,
            outcome=VerificationOutcome.PASSED if result.matched else VerificationOutcome.FAILED,
            provider_reference=result.reference,
            reason=result.reason[:200],
        )
        if not result.matched:
            audit_record(actor=user, action="person.verification_failed", target=user)
    if not result.matched:
        raise RuleViolated(
            result.reason or "姓名与身份证号码不一致，请核对后重试。", code="verification_failed"
        )

    with transaction.atomic():
        person = own or Person(user=user)
        person.name = name
        person.citizen_id = normalised
        person.citizen_id_index = index
        person.realname_level = max(person.realname_level, level)
        person.realname_method = method
        person.verified_at = timezone.now()
        try:
            with transaction.atomic():
                person.save()
        except IntegrityError as exc:
            raise Conflict("该身份证号码已绑定其他账户。", code="citizen_id_taken") from exc
        if not user.display_name:
            user.display_name = name
            user.save(update_fields=["display_name"])
        audit_record(
            actor=user,
            action="person.verified",
            target=person,
            summary=f"实名认证通过（{RealNameLevel(person.realname_level).label}）",
            details={"method": method},
        )
        publish(PersonVerified(user.pk, person.pk, person.realname_level, method))
    return person


@transaction.atomic
def enterprise_register(
    *, user: User, name: str, uscc: str, registered_address: str = ""
) -> Enterprise:
    """The legal representative registers the enterprise (USCC checked with the registry)."""
    person = Person.objects.filter(user=user).first()
    if person is None or person.realname_level < RealNameLevel.L2:
        raise RuleViolated(
            "请先完成个人实名认证，再以法定代表人身份注册企业。", code="person_not_verified"
        )
    name = name.strip()
    if not name:
        raise InvalidInput("请填写企业名称。", code="enterprise_name_required")
    code = normalise_uscc(uscc)
    if Enterprise.objects.filter(uscc=code).exists():
        raise Conflict("该企业已注册。如需办理业务，请联系企业法定代表人为您授权。")
    result = get_realname_gateway().verify_enterprise(
        name=name, uscc=code, legal_representative=person.name
    )
    RealNameVerification.objects.create(
        user=user,
        subject_kind="enterprise",
        method=RealNameMethod.BUSINESS_REGISTRY,
        level=RealNameLevel.L2 if result.matched else RealNameLevel.NONE,
        outcome=VerificationOutcome.PASSED if result.matched else VerificationOutcome.FAILED,
        provider_reference=result.reference,
        reason=result.reason[:200],
    )
    if not result.matched:
        raise RuleViolated(
            result.reason or "企业名称、统一社会信用代码与法定代表人信息不一致。",
            code="enterprise_verification_failed",
        )
    try:
        with transaction.atomic():
            enterprise = Enterprise.objects.create(
                name=name,
                uscc=code,
                legal_representative=person,
                registered_address=registered_address,
                realname_level=RealNameLevel.L2,
                realname_method=RealNameMethod.BUSINESS_REGISTRY,
                verified_at=timezone.now(),
            )
    except IntegrityError as exc:
        raise Conflict("该企业已注册。") from exc
    audit_record(actor=user, action="enterprise.registered", target=enterprise, summary=name)
    publish(EnterpriseRegistered(enterprise.pk, user.pk))
    return enterprise


@transaction.atomic
def agent_authorise(
    *,
    enterprise: Enterprise,
    by_user: User,
    agent_name: str,
    agent_citizen_id: str,
    valid_from: date,
    valid_to: date,
    scope_note: str = "",
) -> AgentAuthorisation:
    """The legal representative authorises a verified person as agent (经办人) for a period."""
    if not enterprise_representable_by(enterprise, by_user, as_legal_representative=True):
        raise Forbidden("只有企业法定代表人可以授权经办人。")
    if valid_to < valid_from:
        raise InvalidInput("授权截止日期不能早于开始日期。", code="agent_period_order")
    if valid_to > valid_from + timedelta(days=MAX_AGENT_PERIOD_DAYS):
        raise InvalidInput("授权期限最长为三年。", code="agent_period_too_long")
    if valid_to < timezone.localdate():
        raise InvalidInput("授权截止日期已过，请重新选择。", code="agent_period_past")
    agent = person_by_citizen_id(normalise_citizen_id(agent_citizen_id))
    if agent is None or agent.name != agent_name.strip():
        raise RuleViolated(
            "未找到该经办人的实名账户，或姓名与身份证号码不一致。请经办人先注册并完成实名认证。",
            code="agent_not_found",
        )
    if agent.pk == enterprise.legal_representative_id:
        raise RuleViolated("法定代表人无需授权自己。", code="agent_is_representative")
    overlapping = AgentAuthorisation.objects.filter(
        enterprise=enterprise,
        agent=agent,
        revoked_at__isnull=True,
        valid_from__lte=valid_to,
        valid_to__gte=valid_from,
    )
    if overlapping.exists():
        raise Conflict("该经办人在此期间已有有效授权。", code="agent_overlap")
    authorisation = AgentAuthorisation.objects.create(
        enterprise=enterprise,
        agent=agent,
        scope_all_items=not scope_note,
        scope_note=scope_note,
        valid_from=valid_from,
        valid_to=valid_to,
        authorised_by=by_user,
    )
    audit_record(
        actor=by_user,
        action="agent.authorised",
        target=authorisation,
        summary=f"授权经办人，{valid_from:%Y-%m-%d} 至 {valid_to:%Y-%m-%d}",
    )
    publish(AgentAuthorised(authorisation.pk, enterprise.pk, agent.pk))
    return authorisation


@transaction.atomic
def agent_revoke(*, authorisation: AgentAuthorisation, by_user: User) -> AgentAuthorisation:
    if not enterprise_representable_by(
        authorisation.enterprise, by_user, as_legal_representative=True
    ):
        raise Forbidden("只有企业法定代表人可以撤销授权。")
    if authorisation.revoked_at is not None:
        return authorisation
    authorisation.revoked_at = timezone.now()
    authorisation.revoked_by = by_user
    authorisation.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(actor=by_user, action="agent.revoked", target=authorisation)
    publish(AgentRevoked(authorisation.pk, authorisation.enterprise_id))
    return authorisation


@transaction.atomic
def staff_membership_grant(
    *, user: User, department: Department, role: str, granted_by: User | None
) -> StaffMembership:
    if role not in StaffRole.values:
        raise InvalidInput("岗位角色不存在。", code="role_unknown")
    membership, created = StaffMembership.objects.get_or_create(
        user=user, department=department, role=role
    )
    if not created and membership.is_active:
        return membership  # already held: nothing changes, nothing to audit
    if not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    audit_record(
        actor=granted_by,
        action="staff.membership_granted",
        target=membership,
        summary=f"{department.name} · {StaffRole(role).label}",
    )
    return membership


@transaction.atomic
def staff_membership_revoke(*, membership: StaffMembership, revoked_by: User) -> StaffMembership:
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    audit_record(actor=revoked_by, action="staff.membership_revoked", target=membership)
    return membership


def new_account_code() -> str:
    """A user code (用户编码) that names the account without revealing anything personal."""
    return f"U{secrets.token_hex(6).upper()}"


@transaction.atomic
def staff_second_factor_activate(*, user: User, secret: str) -> None:
    """Give a staff account a TOTP authenticator with a known secret (demo and set-up scripts;
    staff normally scan the QR code on the set-up page themselves)."""
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        return
    TOTP.activate(user, secret)
    audit_record(actor=None, action="staff.totp_activated", target=user)


@transaction.atomic
def staff_account_create(
    *,
    username: str,
    password: str,
    display_name: str,
    department: Department,
    role: str,
    phone: str = "",
    is_admin_site_user: bool = False,
) -> User:
    """Create (or update) a staff account with one membership; idempotent on `username`."""
    user, created = User.objects.get_or_create(
        username=username, defaults={"display_name": display_name}
    )
    if created:
        user.set_password(password)
    user.display_name = display_name
    user.is_staff = is_admin_site_user
    user.is_superuser = is_admin_site_user and role == StaffRole.ADMINISTRATOR
    user.save()
    if phone and not user.phone:
        account_set_phone(user=user, phone=phone, verified=True)
    staff_membership_grant(user=user, department=department, role=role, granted_by=None)
    return user


@transaction.atomic
def citizen_account_create(*, username: str, password: str, phone: str) -> User:
    """A citizen account with a verified phone (demo accounts); idempotent on `username`."""
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.set_password(password)
        user.save()
    if not user.phone:
        account_set_phone(user=user, phone=phone, verified=True)
    return user


def totp_secrets_rotate(dry_run: bool) -> KeyRotationCount:
    """Re-encrypt TOTP secrets (kept by allauth in a JSON column) under the current data key."""
    current_prefix = f"v1:{keyring().current_id}:"
    rotated = 0
    for authenticator in Authenticator.objects.filter(type=Authenticator.Type.TOTP).iterator():
        stored = str(authenticator.data.get("secret", ""))
        if not stored or stored.startswith(current_prefix):
            continue
        rotated += 1
        if not dry_run:
            plain = decrypt(stored, associated="totp")
            authenticator.data["secret"] = encrypt(plain, associated="totp")
            authenticator.save(update_fields=["data"])
    return KeyRotationCount(field="mfa.authenticator.data.secret", rotated=rotated)


key_rotation_register(totp_secrets_rotate)
