"""What Open311 client apps write: a request submitted through `POST requests` (the ticket, the
app's record of it, the uploaded photo, all in one transaction) and a citizen update posted
through FixMyStreet's `POST servicerequestupdates` (a supplement step the handling unit sees;
never a change of the ticket's status)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image

from yiwang.hotline.models import (
    Open311Client,
    Open311Submission,
    Open311Update,
    Ticket,
    TicketAttachment,
    TicketStep,
)
from yiwang.hotline.selectors import public_tickets
from yiwang.hotline.services.intake import TicketIntake, ticket_register

# The citizen report page's photo rules and public copy (EXIF stripped, faces and plates
# blurred), shared rather than repeated, so that both channels publish the same copy.
from yiwang.hotline.services.reporter import _checked_photo, _public_copy
from yiwang.hotline.workflow import TERMINAL_STATUSES, Channel, StepAction
from yiwang.platform.errors import FieldError, Forbidden, InvalidInput, InvalidTransition, NotFound
from yiwang.platform.services import audit_record

UPDATE_TEXT_MAX = 4000
# Statuses an app may send with an update (FixMyStreet's, lower case; clients send upper).
UPDATE_STATUSES = (
    "open",
    "closed",
    "fixed",
    "in_progress",
    "action_scheduled",
    "investigating",
    "duplicate",
    "not_councils_responsibility",
    "no_further_action",
    "internal_referral",
)
# What the citizen says when their app reports the problem as solved.
SOLVED_STATUSES = frozenset({"closed", "fixed"})


@dataclass(frozen=True)
class Photo:
    """A checked upload: the original bytes, their type, and the public copy."""

    name: str
    data: bytes
    content_type: str
    public: bytes


def _photo_checked(upload: UploadedFile) -> Photo:
    """Type, size and pixels checked as on the citizen report page; the public copy made.
    Done before any transaction, so that a bad file changes nothing."""
    data, content_type = _checked_photo(upload)
    try:
        public, _ = _public_copy(data)
    except (OSError, ValueError, Image.DecompressionBombError):
        raise InvalidInput(errors=[FieldError("photo", "照片已损坏，请重新拍摄")]) from None
    return Photo(upload.name or "photo", data, content_type, public)


def _attach(ticket: Ticket, photo: Photo) -> TicketAttachment:
    """The original sealed, the public copy beside it (as `ticket_attach_photo` keeps them)."""
    stem = PurePath(photo.name).stem[:40] or "photo"
    suffix = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}[photo.content_type]
    attachment = TicketAttachment(
        ticket=ticket, content_type=photo.content_type, size_bytes=len(photo.data)
    )
    attachment.original.save(f"{ticket.number}-{stem}{suffix}", ContentFile(photo.data), save=False)
    attachment.public_file.save(
        f"{ticket.number}-{stem}.jpg", ContentFile(photo.public), save=False
    )
    attachment.save()
    return attachment


@dataclass(frozen=True)
class Open311Sender:
    """What an app says about its user (besides name and phone, which go on the ticket)."""

    email: str = ""
    device_id: str = ""
    account_id: str = ""
    media_url: str = ""


def open311_request_submit(
    *,
    client: Open311Client,
    data: TicketIntake,
    sender: Open311Sender,
    upload: UploadedFile | None = None,
) -> Ticket:
    """Register the ticket (channel open311), record which app sent it and what it said about
    its user, and attach the uploaded photo: all or nothing. A bad photo changes nothing."""
    if data.channel != Channel.OPEN311:
        raise InvalidInput(errors=[FieldError("channel", "渠道不正确")])
    photo = _photo_checked(upload) if upload is not None else None
    with transaction.atomic():
        ticket = ticket_register(data=data, actor=None)
        Open311Submission.objects.create(
            ticket=ticket,
            client=client,
            email=sender.email.strip()[:200],
            device_id=sender.device_id.strip()[:100],
            account_id=sender.account_id.strip()[:100],
            media_url=sender.media_url.strip()[:500],
            submitted_at=ticket.received_at,
        )
        if photo is not None:
            _attach(ticket, photo)
    return ticket


@dataclass(frozen=True)
class Open311UpdateIn:
    """FixMyStreet's citizen update, parsed."""

    number: str
    status: str
    client_updated_at: datetime
    description: str
    email: str = ""
    name: str = ""
    media_url: str = ""
    update_id_ext: str = ""


@dataclass(frozen=True)
class PostedUpdate:
    step: TicketStep
    created: bool  # False: a retry of an update already recorded, which is returned


def _fingerprint(ticket: Ticket, data: Open311UpdateIn, photo: Photo | None) -> str:
    """The same update sent again by the same app: by the app's own `update_id_ext` when it
    sends one, else by the request, the app's time, status, text, link and photo bytes."""
    if data.update_id_ext:
        parts = [ticket.number, "ext", data.update_id_ext]
    else:
        parts = [
            ticket.number,
            data.client_updated_at.astimezone(UTC).isoformat(),
            data.status,
            data.description,
            data.media_url,
            hashlib.sha256(photo.data).hexdigest() if photo else "",
        ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _update_problems(data: Open311UpdateIn, photo: Photo | None) -> list[FieldError]:
    problems = []
    if data.status not in UPDATE_STATUSES:
        problems.append(FieldError("status", "状态不正确"))
    if not data.description.strip() and photo is None and not data.media_url:
        problems.append(FieldError("description", "请填写补充内容"))
    if len(data.description.strip()) > UPDATE_TEXT_MAX:
        problems.append(FieldError("description", f"补充内容不能超过 {UPDATE_TEXT_MAX} 个字"))
    return problems


def open311_update_post(
    *, client: Open311Client, data: Open311UpdateIn, upload: UploadedFile | None = None
) -> PostedUpdate:
    """Append the citizen's update to a public ticket their app submitted, as a public
    supplement step; the workflow state never changes. A "closed" or "fixed" from the app on an
    open ticket is recorded as the citizen saying the problem is solved, not as a closure (the
    hotline closes tickets after its own review and callback). A closed or merged ticket takes
    no more updates. The same update sent again returns the first one."""
    photo = _photo_checked(upload) if upload is not None else None
    problems = _update_problems(data, photo)
    if problems:
        raise InvalidInput(errors=problems)
    with transaction.atomic():
        found = public_tickets().filter(number=data.number).values_list("pk", flat=True).first()
        if found is None:
            raise NotFound("没有这个服务请求。")
        ticket = Ticket.objects.select_for_update().get(pk=found)
        submission = Open311Submission.objects.filter(ticket=ticket).first()
        if submission is None or submission.client_id != client.pk:
            raise Forbidden("只能补充通过本应用提交的服务请求。")
        fingerprint = _fingerprint(ticket, data, photo)
        earlier = (
            Open311Update.objects.filter(client=client, fingerprint=fingerprint)
            .select_related("step", "step__ticket")
            .first()
        )
        if earlier is not None:
            return PostedUpdate(earlier.step, created=False)
        if ticket.status in TERMINAL_STATUSES:
            raise InvalidTransition(
                "该服务请求已办结，不能再补充；如问题仍然存在，请提交新的服务请求。"
            )
        text = data.description.strip()
        note = text or "诉求人补充了照片。"
        if data.status in SOLVED_STATUSES:
            note = f"诉求人表示问题已解决。{text}".strip()
        now = timezone.now()
        attachment = _attach(ticket, photo) if photo is not None else None
        step = TicketStep.objects.create(
            ticket=ticket,
            action=StepAction.SUPPLEMENT,
            from_status=ticket.status,
            to_status=ticket.status,
            actor=None,
            actor_label=f"{client.name}（开放接口）"[:150],
            note=note,
            is_public=True,
            data={
                "client": client.pk,
                "status": data.status,
                "attachment": attachment.pk if attachment else None,
            },
            at=now,
        )
        try:
            with transaction.atomic():
                Open311Update.objects.create(
                    step=step,
                    client=client,
                    fingerprint=fingerprint,
                    status=data.status,
                    client_updated_at=data.client_updated_at,
                    update_id_ext=data.update_id_ext[:100],
                    email=data.email.strip()[:200],
                    name=data.name.strip()[:100],
                    media_url=data.media_url[:500],
                    attachment=attachment,
                    received_at=now,
                )
        except IntegrityError:  # the same update, committed by a parallel retry
            raise InvalidTransition("该补充正在处理中，请稍后重试。") from None
        Ticket.objects.filter(pk=ticket.pk).update(updated_at=now)
        audit_record(
            actor=None,
            action="hotline.open311.update_posted",
            target=ticket,
            summary=f"开放接口应用“{client.name}”补充了工单 {ticket.number}",
        )
    return PostedUpdate(step, created=True)
