"""Status changes after issue: suspension, revocation, cancellation, reinstatement by the
issuing department; expiry and the 30-day reminder by the daily clock."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from yiwang.identity.models import User
from yiwang.identity.selectors import phone_of_citizen, phone_of_enterprise
from yiwang.licences.events import LicenceStatusChanged
from yiwang.licences.models import Licence, LicenceStatusChange
from yiwang.licences.selectors import user_may_change_status
from yiwang.licences.workflow import MANUAL_STATUSES, HolderKind, LicenceStatus, can_change
from yiwang.platform.errors import FieldError, Forbidden, InvalidInput, InvalidTransition
from yiwang.platform.events import publish
from yiwang.platform.services import audit_record, outbox_enqueue

REMINDER_DAYS = 30
REASON_MAX = 200


def _change(licence: Licence, to_status: str, reason: str, actor: User | None) -> Licence:
    from_status = licence.status
    licence.status = to_status
    licence.status_changed_at = timezone.now()
    licence.save(update_fields=["status", "status_changed_at"])
    LicenceStatusChange.objects.create(
        licence=licence,
        from_status=from_status,
        to_status=to_status,
        reason=reason[:REASON_MAX],
        actor=actor,
        actor_label=(actor.get_username() if actor is not None else "系统")[:150],
    )
    publish(LicenceStatusChanged(licence.pk, from_status, to_status, reason))
    return licence


def licence_status_change(*, licence: Licence, to_status: str, reason: str, actor: User) -> Licence:
    """The issuing department suspends, revokes, cancels or reinstates a licence, with a reason.
    Denied and invalid requests change nothing."""
    if not user_may_change_status(actor, licence.issuer_id):
        raise Forbidden("只有颁证部门的负责人可以变更证照状态。")
    reason = reason.strip()
    if to_status not in MANUAL_STATUSES:
        raise InvalidInput(errors=[FieldError("to_status", "只能设为有效、暂停使用、吊销或注销")])
    if not reason:
        raise InvalidInput(errors=[FieldError("reason", "请填写变更原因")])
    if len(reason) > REASON_MAX:
        raise InvalidInput(errors=[FieldError("reason", f"变更原因不能超过 {REASON_MAX} 个字")])
    with transaction.atomic():
        locked = Licence.objects.select_for_update().get(pk=licence.pk)
        if not can_change(locked.status, to_status):
            raise InvalidTransition(
                f"证照当前为“{LicenceStatus(locked.status).label}”，"
                f"不能改为“{LicenceStatus(to_status).label}”。"
            )
        if (
            to_status == LicenceStatus.VALID
            and locked.valid_to is not None
            and locked.valid_to < timezone.localdate()
        ):
            raise InvalidTransition("证照已超过有效期，不能恢复为有效，请换发新证。")
        _change(locked, to_status, reason, actor)
        audit_record(
            actor=actor,
            action="licences.licence.status_changed",
            target=locked,
            summary=f"{LicenceStatus(to_status).label}：{reason}"[:200],
            details={"to": to_status},
        )
    licence.refresh_from_db()
    return licence


def licences_expire_due(*, today: date) -> int:
    """Valid or suspended licences whose validity ended before `today` become expired. Run by
    the daily clock; catches up on any days the worker missed. Returns how many changed."""
    changed = 0
    due = Licence.objects.filter(
        status__in=[LicenceStatus.VALID, LicenceStatus.SUSPENDED], valid_to__lt=today
    ).values_list("pk", flat=True)
    for pk in list(due.iterator(chunk_size=2000)):
        with transaction.atomic():
            licence = Licence.objects.select_for_update().get(pk=pk)
            if licence.status in (LicenceStatus.VALID, LicenceStatus.SUSPENDED):
                _change(licence, LicenceStatus.EXPIRED, "超过有效期", None)
                changed += 1
    return changed


def _holder_phone(licence: Licence) -> str:
    if licence.holder_code_type == HolderKind.CITIZEN:
        return phone_of_citizen(licence.holder_code)
    return phone_of_enterprise(licence.holder_code)


def licence_expiry_reminders_send(*, today: date) -> int:
    """Tell holders, 30 days ahead, that a licence is about to expire (once per licence and
    validity end), through the outbox. Returns how many reminders were written."""
    horizon = today + timedelta(days=REMINDER_DAYS)
    due = (
        Licence.objects.filter(
            status=LicenceStatus.VALID,
            valid_to__gte=today,
            valid_to__lte=horizon,
            expiry_reminded_on__isnull=True,
        )
        .select_related("licence_type")
        .order_by("valid_to", "pk")
    )
    sent = 0
    for licence in due.iterator(chunk_size=500):
        assert licence.valid_to is not None
        with transaction.atomic():
            phone = _holder_phone(licence)
            if phone:
                days = (licence.valid_to - today).days
                outbox_enqueue(
                    channel="sms",
                    recipient=phone,
                    body=(
                        f"【一网通办】您的{licence.licence_type.name}（编号 {licence.number}）"
                        f"将于 {licence.valid_to:%Y年%m月%d日} 到期（还有 {days} 天），"
                        "请及时办理换证。"
                    ),
                    template="licence_expiry",
                    dedupe_key=f"licence-expiry:{licence.pk}:{licence.valid_to.isoformat()}",
                )
                sent += 1
            Licence.objects.filter(pk=licence.pk).update(expiry_reminded_on=today)
    return sent
