"""Intake: registering a ticket from any channel, answering it directly from the knowledge base,
recording contacts that did not become tickets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from yiwang.hotline.events import TicketRegistered
from yiwang.hotline.models import Category, KnowledgeArticle, Ticket, UnregisteredContact
from yiwang.hotline.selectors import (
    area_at,
    due_after,
    limits_for,
    repeat_of_at_registration,
    user_is_operator,
)
from yiwang.hotline.services.common import add_step, move, next_number, notify_reporter
from yiwang.hotline.workflow import (
    ALWAYS_CONFIDENTIAL,
    Channel,
    ContactKind,
    StepAction,
    TicketStatus,
    TicketType,
    Urgency,
)
from yiwang.identity.models import Enterprise, User
from yiwang.identity.services import phone_normalised
from yiwang.platform.crypto import blind_index
from yiwang.platform.errors import FieldError, Forbidden, InvalidInput
from yiwang.platform.events import publish
from yiwang.platform.services import audit_record

CONTENT_MAX = 4000
TITLE_LENGTH = 30
# Channels on which staff, not the reporter, register the ticket.
STAFF_CHANNELS = frozenset({Channel.PHONE, Channel.SMS, Channel.EMAIL, Channel.WECHAT})


@dataclass(frozen=True)
class TicketIntake:
    channel: str
    ticket_type: str
    category_code: str
    content: str
    title: str = ""
    urgency: str = ""  # empty: the category's default
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_user: User | None = None
    enterprise: Enterprise | None = None
    anonymous: bool = False
    confidential: bool = False
    reply_wanted: bool = True
    flag_for_leader: bool = False
    latitude: float | None = None
    longitude: float | None = None
    address: str = ""
    region_code: str = ""
    received_at: datetime | None = None  # for imports and demo data; now by default
    idempotency_key: str = ""
    answers: dict[str, str] = field(default_factory=dict)


def _problems(data: TicketIntake) -> tuple[list[FieldError], Category | None, str]:
    problems: list[FieldError] = []
    if data.channel not in Channel.values:
        problems.append(FieldError("channel", "渠道不正确"))
    if data.ticket_type not in TicketType.values:
        problems.append(FieldError("ticket_type", "请选择诉求类型"))
    if data.urgency and data.urgency not in Urgency.values:
        problems.append(FieldError("urgency", "紧急程度应为一般或紧急"))
    category = Category.objects.filter(code=data.category_code, is_active=True).first()
    if category is None:
        problems.append(FieldError("category_code", "请选择问题分类"))
    content = data.content.strip()
    if not content:
        problems.append(FieldError("content", "请描述您遇到的问题"))
    elif len(content) > CONTENT_MAX:
        problems.append(FieldError("content", f"诉求内容不能超过 {CONTENT_MAX} 个字"))
    phone = ""
    if data.reporter_phone.strip():
        try:
            phone = phone_normalised(data.reporter_phone)
        except InvalidInput as error:
            problems.append(FieldError("reporter_phone", error.message))
    if data.anonymous:
        if data.channel not in settings.HOTLINE_ANONYMOUS_CHANNELS:
            problems.append(FieldError("anonymous", "该渠道不受理匿名反映，请留下姓名和联系电话"))
        if data.enterprise is not None:
            problems.append(FieldError("anonymous", "企业诉求不能匿名"))
    elif data.channel in STAFF_CHANNELS and not (data.reporter_name.strip() or phone):
        problems.append(FieldError("reporter_name", "请填写诉求人姓名或联系电话"))
    if data.channel == Channel.ENTERPRISE and data.enterprise is None:
        problems.append(FieldError("enterprise", "政企直通车须以企业身份提交"))
    if (data.latitude is None) != (data.longitude is None):
        problems.append(FieldError("latitude", "位置需要同时有经度和纬度"))
    elif (
        data.latitude is not None
        and data.longitude is not None
        and not (-90 <= data.latitude <= 90 and -180 <= data.longitude <= 180)
    ):
        problems.append(FieldError("latitude", "位置的经纬度超出范围"))
    return problems, category, phone


def ticket_register(*, data: TicketIntake, actor: User | None) -> Ticket:
    """Register a ticket from any channel; every problem is reported at once. A repeated
    request with the same `idempotency_key` returns the ticket made the first time."""
    if data.channel in STAFF_CHANNELS and (actor is None or not user_is_operator(actor)):
        raise Forbidden("只有热线话务员可以登记电话、短信、邮件和微信渠道的诉求。")
    if data.idempotency_key:
        existing = Ticket.objects.filter(idempotency_key=data.idempotency_key).first()
        if existing is not None:
            return existing
    problems, category, phone = _problems(data)
    if problems:
        raise InvalidInput(errors=problems)
    assert category is not None
    received_at = data.received_at or timezone.now()
    urgency = data.urgency or (Urgency.URGENT if category.urgent_by_default else Urgency.NORMAL)
    area = area_at(data.longitude, data.latitude)
    region_code = (area.region_code if area else data.region_code) or (settings.HOTLINE_REGION_CODE)
    limits = limits_for(ticket_type=data.ticket_type, category=category, urgency=urgency)
    content = data.content.strip()
    confidential = data.confidential or data.anonymous or data.ticket_type in ALWAYS_CONFIDENTIAL
    public = (
        category.is_public
        and not confidential
        and data.enterprise is None
        and data.channel != Channel.ENTERPRISE
    )
    phone_index = blind_index(phone, purpose="phone") if phone and not data.anonymous else ""
    # Repeat complaints are decided here, once, for every ticket (the metric counts complaints).
    repeat_of_id = repeat_of_at_registration(
        received_at=received_at,
        category_id=category.pk,
        latitude=data.latitude,
        longitude=data.longitude,
        phone_index=phone_index,
        user_id=data.reporter_user.pk if data.reporter_user is not None else None,
    )
    try:
        with transaction.atomic():
            ticket = Ticket.objects.create(
                number=next_number(settings.HOTLINE_REGION_CODE, received_at),
                channel=data.channel,
                ticket_type=data.ticket_type,
                category=category,
                urgency=urgency,
                title=(data.title.strip() or content.replace("\n", " ")[:TITLE_LENGTH])[:80],
                content=content,
                reporter_name="" if data.anonymous else data.reporter_name.strip()[:100],
                reporter_phone="" if data.anonymous else phone,
                reporter_phone_index=phone_index,
                reporter_user=data.reporter_user,
                enterprise=data.enterprise,
                enterprise_name=data.enterprise.name if data.enterprise else "",
                enterprise_uscc=data.enterprise.uscc if data.enterprise else "",
                anonymous=data.anonymous,
                confidential=confidential,
                reply_wanted=data.reply_wanted and not data.anonymous,
                flag_for_leader=data.flag_for_leader and data.enterprise is not None,
                is_public=public,
                latitude=data.latitude,
                longitude=data.longitude,
                address=data.address.strip()[:200],
                region_code=region_code,
                area=area,
                received_at=received_at,
                operator=actor if data.channel in STAFF_CHANNELS else None,
                dispatch_due_at=due_after(
                    received_at,
                    limits.dispatch_value,
                    limits.dispatch_unit,
                    region_code=region_code,
                ),
                idempotency_key=data.idempotency_key or None,
                repeat_of_id=repeat_of_id,
                updated_at=received_at,
            )
            add_step(
                ticket,
                StepAction.REGISTER,
                actor=actor,
                to_status=TicketStatus.RECEIVED,
                note="",
                is_public=True,
                data={"answers": data.answers} if data.answers else None,
                at=received_at,
            )
            notify_reporter(
                ticket,
                f"您反映的问题已登记，工单编号 {ticket.number}，我们会尽快转交办理。",
                key="registered",
            )
            publish(TicketRegistered(ticket.pk, ticket.channel, direct_answer=False))
    except IntegrityError:
        if data.idempotency_key:
            return Ticket.objects.get(idempotency_key=data.idempotency_key)
        raise
    return ticket


def ticket_answer_directly(
    *, ticket: Ticket, answer: str, actor: User, article: KnowledgeArticle | None = None
) -> Ticket:
    """The operator answers at intake (from the knowledge base); the ticket closes and counts
    toward the direct-answer rate."""
    if not user_is_operator(actor):
        raise Forbidden("只有热线话务员可以直接答复。")
    answer = answer.strip() or (article.body if article else "")
    if not answer:
        raise InvalidInput(errors=[FieldError("answer", "请填写答复内容或选择知识库条目")])
    now = timezone.now()
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        ticket.direct_answer = True
        ticket.reply = answer
        ticket.replied_at = now
        ticket.closed_at = now
        ticket.knowledge_article = article
        move(
            ticket,
            StepAction.ANSWER_DIRECTLY,
            actor=actor,
            note=answer,
            data={"article": article.pk} if article else None,
            fields=("direct_answer", "reply", "replied_at", "closed_at", "knowledge_article"),
        )
        if article is not None:
            KnowledgeArticle.objects.filter(pk=article.pk).update(use_count=F("use_count") + 1)
        publish(TicketRegistered(ticket.pk, ticket.channel, direct_answer=True))
    return ticket


def contact_record_unregistered(*, kind: str, actor: User, channel: str = Channel.PHONE) -> None:
    """A call that did not become a ticket (silent, abusive, hung up ...), for the acceptance
    rate."""
    if not user_is_operator(actor):
        raise Forbidden()
    if kind not in ContactKind.values:
        raise InvalidInput(errors=[FieldError("kind", "来电类别不正确")])
    UnregisteredContact.objects.create(
        kind=kind, channel=channel, operator=actor, region_code=settings.HOTLINE_REGION_CODE
    )
    audit_record(actor=actor, action="hotline.contact.unregistered", summary=kind)
