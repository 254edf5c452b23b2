"""What the reporter does on their own: attach a photo to a ticket they reported (the original
sealed, a public copy re-encoded without EXIF and with faces and plates blurred), and rate the
handling themselves instead of waiting for the callback — recorded as the callback, with the
callback's rules."""

from __future__ import annotations

import io
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError

from yiwang.hotline.models import Ticket, TicketAttachment
from yiwang.hotline.redaction import redact
from yiwang.hotline.selectors import ticket_for_reporter
from yiwang.hotline.services.closing import close_after_callback, send_back_for_rework
from yiwang.hotline.services.common import move
from yiwang.hotline.workflow import Resolution, Satisfaction, StepAction, TicketStatus
from yiwang.identity.models import User
from yiwang.platform.errors import FieldError, InvalidInput, InvalidTransition

PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000
PUBLIC_MAX_SIDE = 2048
PHOTO_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
UNSATISFIED = frozenset({Satisfaction.UNSATISFIED, Satisfaction.VERY_UNSATISFIED})


def _public_copy(data: bytes) -> tuple[bytes, str]:
    """A JPEG without any metadata (no EXIF: no GPS, no device), turned upright, at most
    2048 px on its longer side, with faces and licence plates pixelated."""
    with Image.open(io.BytesIO(data)) as image:
        upright = ImageOps.exif_transpose(image)
        upright = upright.convert("RGB")
        upright.thumbnail((PUBLIC_MAX_SIDE, PUBLIC_MAX_SIDE))
        public = redact(upright)
        out = io.BytesIO()
        public.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue(), "image/jpeg"


def _checked_photo(upload: UploadedFile) -> tuple[bytes, str]:
    size = upload.size or 0
    if size > PHOTO_MAX_BYTES:
        raise InvalidInput(errors=[FieldError("photo", "照片不能超过 10 MB，请压缩后再上传")])
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format or ""
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise InvalidInput(
            errors=[FieldError("photo", "无法识别该文件，请上传 JPG、PNG 或 WEBP 格式的照片")]
        ) from None
    if kind not in PHOTO_FORMATS:
        raise InvalidInput(errors=[FieldError("photo", "请上传 JPG、PNG 或 WEBP 格式的照片")])
    if width * height > PHOTO_MAX_PIXELS:
        raise InvalidInput(errors=[FieldError("photo", "照片分辨率过大，请缩小后再上传")])
    return data, PHOTO_FORMATS[kind]


def ticket_attach_photo(
    *, ticket: Ticket, upload: UploadedFile, reporter: User
) -> TicketAttachment:
    """Keep the reporter's photo as it came (sealed, staff only) and a public copy without
    EXIF, faces and plates blurred, for the reporter's page and Open311."""
    ticket = ticket_for_reporter(reporter, ticket.pk)
    data, content_type = _checked_photo(upload)
    try:
        public, _ = _public_copy(data)
    except (OSError, ValueError, Image.DecompressionBombError):
        raise InvalidInput(errors=[FieldError("photo", "照片已损坏，请重新拍摄")]) from None
    stem = PurePath(upload.name or "photo").stem[:40] or "photo"
    suffix = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}[content_type]
    with transaction.atomic():
        attachment = TicketAttachment(
            ticket=ticket, content_type=content_type, size_bytes=len(data)
        )
        attachment.original.save(f"{ticket.number}-{stem}{suffix}", ContentFile(data), save=False)
        attachment.public_file.save(f"{ticket.number}-{stem}.jpg", ContentFile(public), save=False)
        attachment.save()
    return attachment


def ticket_rate_by_reporter(
    *,
    ticket: Ticket,
    reporter: User,
    satisfaction: str,
    resolution: str,
    comment: str,
    rework_wanted: bool,
) -> Ticket:
    """The reporter rates a reviewed ticket not yet called back. Recorded as the callback (the
    reporter was reached: they answered themselves). Unsatisfied and asking for rework → back
    to the lead unit (the third rework escalates); otherwise the ticket closes."""
    ticket = ticket_for_reporter(reporter, ticket.pk)
    problems: list[FieldError] = []
    if satisfaction not in Satisfaction.values:
        problems.append(FieldError("satisfaction", "请选择满意程度"))
    if resolution not in Resolution.values:
        problems.append(FieldError("resolution", "请选择解决情况"))
    if rework_wanted and satisfaction not in UNSATISFIED:
        problems.append(FieldError("rework_wanted", "满意的工单无需重新办理"))
    if len(comment.strip()) > 500:
        problems.append(FieldError("comment", "意见不能超过 500 个字"))
    if problems:
        raise InvalidInput(errors=problems)
    comment = comment.strip()
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().select_related("category").get(pk=ticket.pk)
        if ticket.status != TicketStatus.REVIEWED:
            raise InvalidTransition("该工单现在不能评价：只有已审核、尚未回访的工单可以评价。")
        ticket.callback_at = timezone.now()
        ticket.callback_contacted = True
        ticket.satisfaction = satisfaction
        ticket.resolution = resolution
        label = Satisfaction(satisfaction).label
        move(
            ticket,
            StepAction.CALLBACK,
            actor=reporter,
            note=f"诉求人评价：{label}，{Resolution(resolution).label}"
            + (f"。{comment}" if comment else ""),
            data={"satisfaction": satisfaction, "resolution": resolution, "by": "reporter"},
            fields=("callback_at", "callback_contacted", "satisfaction", "resolution"),
        )
        if rework_wanted:
            return send_back_for_rework(ticket, reporter, f"诉求人不满意，要求重新办理：{comment}")
        return close_after_callback(ticket, reporter, "诉求人已评价，工单办结")
