"""12345 hotline API: the reporter's intake and their own tickets; staff lists and details within
what they may see; one POST per action of the ticket lifecycle (DOMAIN §7).

Every endpoint acts for the signed-in user (session; POSTs need the CSRF token). A ticket,
assignment or extension request the user may not see is a 404; an action their role may not take
is a 403; an action the ticket's state does not allow is a 409. Contact data of the reporter is
returned only to whoever `contact_visible_to` allows.

No `from __future__ import annotations` here: ninja reads the annotations at import time.
"""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import django_auth

from yiwang.hotline import selectors, services
from yiwang.hotline.models import ExtensionRequest, Ticket, TicketAssignment, TicketStep
from yiwang.hotline.workflow import Channel, StepAction, TicketStatus
from yiwang.identity.models import User
from yiwang.org.selectors import department_get, departments_by_ids
from yiwang.platform.errors import FieldError, InvalidInput, NotFound

router = Router(tags=["12345 热线"], auth=django_auth)

# Channels a reporter uses by themselves through this API.
REPORTER_CHANNELS = (Channel.APP, Channel.WEB, Channel.WECHAT)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _label(choices: Any, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


# --- Schemas --------------------------------------------------------------------------------------


class TicketIn(Schema):
    ticket_type: str = Field(description="consultation, help, complaint, report, suggestion …")
    category_code: str = Field(description="分类代码（即 Open311 的 service_code）")
    content: str = Field(max_length=4000)
    title: str = ""
    channel: str = Field("app", description="app（随手拍）、web 或 wechat")
    latitude: float | None = None
    longitude: float | None = None
    address: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""
    anonymous: bool = False
    confidential: bool = False
    reply_wanted: bool = True
    answers: dict[str, str] = {}
    idempotency_key: str = Field("", max_length=64, description="重复提交时返回同一工单")


class TicketStepOut(Schema):
    action: str
    action_label: str
    from_status: str
    to_status: str
    department_name: str | None
    note: str
    at: datetime

    @staticmethod
    def resolve_action_label(obj: TicketStep) -> str:
        return _label(StepAction, obj.action)

    @staticmethod
    def resolve_department_name(obj: TicketStep) -> str | None:
        return obj.department.name if obj.department else None


class TicketStepStaffOut(TicketStepOut):
    actor_label: str
    is_public: bool


class TicketRowOut(Schema):
    id: int
    number: str
    channel: str
    ticket_type: str
    urgency: str
    category_code: str
    category_name: str
    title: str
    status: str
    status_label: str
    received_at: datetime
    lead_department_name: str | None
    handling_due_at: datetime | None
    closed_at: datetime | None

    @staticmethod
    def resolve_category_code(obj: Ticket) -> str:
        return obj.category.code

    @staticmethod
    def resolve_category_name(obj: Ticket) -> str:
        return obj.category.name

    @staticmethod
    def resolve_status_label(obj: Ticket) -> str:
        return _label(TicketStatus, obj.status)

    @staticmethod
    def resolve_lead_department_name(obj: Ticket) -> str | None:
        return obj.lead_department.name if obj.lead_department else None


class MyTicketOut(TicketRowOut):
    content: str
    address: str
    reply: str
    satisfaction: str
    steps: list[TicketStepOut] = Field(description="对诉求人公开的办理过程")

    @staticmethod
    def resolve_steps(obj: Ticket) -> list[TicketStep]:
        return selectors.ticket_steps(obj, public_only=True)


class TicketContactOut(Schema):
    reporter_name: str
    reporter_phone: str
    enterprise_name: str
    enterprise_uscc: str


class TicketAssignmentOut(Schema):
    id: int
    department_id: int
    department_name: str
    role: str
    status: str
    is_active: bool
    dispatched_at: datetime
    sign_due_at: datetime
    signed_at: datetime | None
    handling_due_at: datetime
    extension_days: int
    replied_at: datetime | None
    report: str
    return_reason: str
    return_note: str

    @staticmethod
    def resolve_department_name(obj: TicketAssignment) -> str:
        return obj.department.name


class StaffTicketOut(TicketRowOut):
    content: str
    latitude: float | None
    longitude: float | None
    address: str
    region_code: str
    anonymous: bool
    confidential: bool
    reply_wanted: bool
    is_public: bool
    flag_for_leader: bool
    reply: str
    direct_answer: bool
    satisfaction: str
    resolution: str
    rework_count: int
    transfer_count: int
    escalated_at: datetime | None
    master_number: str | None
    contact: TicketContactOut | None = Field(
        description="诉求人联系方式：仅热线中心，及非保密工单（或经热线公开）的承办单位可见"
    )
    steps: list[TicketStepStaffOut]
    assignments: list[TicketAssignmentOut]

    @staticmethod
    def resolve_master_number(obj: Ticket) -> str | None:
        return obj.master.number if obj.master else None

    @staticmethod
    def resolve_contact(obj: Ticket, context: dict[str, Any]) -> TicketContactOut | None:
        user = context["request"].user
        if not selectors.contact_visible_to(user, obj):
            return None
        return TicketContactOut(
            reporter_name=obj.reporter_name,
            reporter_phone=obj.reporter_phone,
            enterprise_name=obj.enterprise_name,
            enterprise_uscc=obj.enterprise_uscc,
        )

    @staticmethod
    def resolve_steps(obj: Ticket) -> list[TicketStep]:
        return selectors.ticket_steps(obj, public_only=False)

    @staticmethod
    def resolve_assignments(obj: Ticket) -> list[TicketAssignment]:
        return selectors.ticket_assignments(obj)


class TicketFilter(Schema):
    status: str = Field("", description="工单状态，如 received、handling、closed")
    department: int | None = Field(None, description="主办单位 id")


class TicketNoteIn(Schema):
    note: str = ""


class TicketDispatchIn(Schema):
    lead_department_id: int
    co_department_ids: list[int] = []
    note: str = ""


class TicketReturnIn(Schema):
    reason_code: str = Field(description="not_our_duty, wrong_area, unclear, duplicate, other")
    note: str


class TicketExtensionIn(Schema):
    days: int
    reason: str


class ExtensionDecisionIn(Schema):
    approve: bool
    note: str = ""


class CoReportIn(Schema):
    report: str


class TicketReplyIn(Schema):
    reply: str


class TicketReviewIn(Schema):
    approve: bool
    note: str = ""


class TicketCallbackIn(Schema):
    contacted: bool
    satisfaction: str = ""
    resolution: str = ""
    note: str = ""
    rework: bool = False


class TicketMergeIn(Schema):
    master_number: str


class TicketAnswerIn(Schema):
    answer: str


class ReleaseContactIn(Schema):
    department_id: int
    reason: str


class TicketActionOut(Schema):
    """Where the ticket stands after an action."""

    id: int
    number: str
    status: str
    status_label: str

    @staticmethod
    def resolve_status_label(obj: Ticket) -> str:
        return _label(TicketStatus, obj.status)


class TicketExtensionOut(Schema):
    id: int
    assignment_id: int
    days: int
    reason: str
    status: str
    decision_note: str


class ContactReleaseOut(Schema):
    id: int
    ticket_id: int
    department_id: int
    released_at: datetime


# --- The reporter ---------------------------------------------------------------------------------


@router.post("/tickets", response={201: MyTicketOut}, summary="反映问题（随手拍、网站、微信）")
def register(request: HttpRequest, payload: TicketIn) -> Status[Ticket]:
    if payload.channel not in REPORTER_CHANNELS:
        raise InvalidInput(errors=[FieldError("channel", "渠道应为 app、web 或 wechat")])
    ticket = services.ticket_register(
        data=services.TicketIntake(
            channel=payload.channel,
            ticket_type=payload.ticket_type,
            category_code=payload.category_code,
            content=payload.content,
            title=payload.title,
            reporter_name=payload.reporter_name,
            reporter_phone=payload.reporter_phone,
            reporter_user=_user(request),
            anonymous=payload.anonymous,
            confidential=payload.confidential,
            reply_wanted=payload.reply_wanted,
            latitude=payload.latitude,
            longitude=payload.longitude,
            address=payload.address,
            answers=payload.answers,
            idempotency_key=payload.idempotency_key,
        ),
        actor=_user(request),
    )
    return Status(201, ticket)


@router.get("/tickets/mine", response=list[TicketRowOut], summary="我反映的问题")
@paginate(PageNumberPagination)
def mine(request: HttpRequest) -> Any:
    return (
        selectors.tickets_of_reporter(_user(request))
        .select_related("category", "lead_department")
        .order_by("-received_at", "-id")
    )


@router.get(
    "/tickets/mine/{ticket_id}", response=MyTicketOut, summary="我反映的问题：详情与办理过程"
)
def mine_detail(request: HttpRequest, ticket_id: int) -> Ticket:
    return selectors.ticket_for_reporter(_user(request), ticket_id)


# --- Staff: reads ---------------------------------------------------------------------------------


@router.get("/tickets", response=list[TicketRowOut], summary="工单列表（本人可见范围内）")
@paginate(PageNumberPagination)
def tickets(request: HttpRequest, filters: Query[TicketFilter]) -> Any:
    return selectors.tickets_for_staff(
        _user(request), status=filters.status or "", department_id=filters.department
    )


@router.get(
    "/tickets/{ticket_id}", response=StaffTicketOut, summary="工单详情（流转记录、承办单位）"
)
def ticket_detail(request: HttpRequest, ticket_id: int) -> Ticket:
    return selectors.ticket_for_staff(_user(request), ticket_id)


# --- Staff: the hotline centre's actions ----------------------------------------------------------


@router.post(
    "/tickets/{ticket_id}/answer-directly", response=TicketActionOut, summary="直接答复并办结"
)
def answer_directly(request: HttpRequest, ticket_id: int, payload: TicketAnswerIn) -> Ticket:
    user = _user(request)
    ticket = selectors.ticket_for_staff(user, ticket_id)
    return services.ticket_answer_directly(ticket=ticket, answer=payload.answer, actor=user)


@router.post("/tickets/{ticket_id}/dispatch", response=TicketActionOut, summary="派单")
def dispatch(request: HttpRequest, ticket_id: int, payload: TicketDispatchIn) -> Ticket:
    user = _user(request)
    ticket = selectors.ticket_for_staff(user, ticket_id)
    lead = department_get(department_id=payload.lead_department_id)
    co = list(departments_by_ids(ids=payload.co_department_ids))
    if len(co) != len(set(payload.co_department_ids)):
        raise InvalidInput(errors=[FieldError("co_department_ids", "协办单位不存在")])
    return services.ticket_dispatch(
        ticket=ticket, lead=lead, co_handlers=co, actor=user, note=payload.note
    )


@router.post(
    "/extensions/{request_id}/decision", response=TicketExtensionOut, summary="审批延期申请"
)
def extension_decide(
    request: HttpRequest, request_id: int, payload: ExtensionDecisionIn
) -> ExtensionRequest:
    user = _user(request)
    extension = selectors.extension_for_dispatcher(user, request_id)
    return services.ticket_extension_decide(
        request=extension, approve=payload.approve, note=payload.note, actor=user
    )


@router.post(
    "/tickets/{ticket_id}/review", response=TicketActionOut, summary="审核答复（通过或退回重办）"
)
def review(request: HttpRequest, ticket_id: int, payload: TicketReviewIn) -> Ticket:
    user = _user(request)
    ticket = selectors.ticket_for_staff(user, ticket_id)
    return services.ticket_review(
        ticket=ticket, approve=payload.approve, note=payload.note, actor=user
    )


@router.post("/tickets/{ticket_id}/callback", response=TicketActionOut, summary="回访")
def callback(request: HttpRequest, ticket_id: int, payload: TicketCallbackIn) -> Ticket:
    user = _user(request)
    ticket = selectors.ticket_for_staff(user, ticket_id)
    return services.ticket_callback(
        ticket=ticket,
        contacted=payload.contacted,
        satisfaction=payload.satisfaction,
        resolution=payload.resolution,
        note=payload.note,
        rework=payload.rework,
        actor=user,
    )


@router.post("/tickets/{ticket_id}/merge", response=TicketActionOut, summary="合并到主工单")
def merge(request: HttpRequest, ticket_id: int, payload: TicketMergeIn) -> Ticket:
    user = _user(request)
    duplicate = selectors.ticket_for_staff(user, ticket_id)
    master = selectors.ticket_by_number_for_staff(user, payload.master_number.strip())
    if master is None:
        raise NotFound("没有这个主工单。")
    return services.ticket_merge(duplicate=duplicate, master=master, actor=user)


@router.post("/tickets/{ticket_id}/reopen", response=TicketActionOut, summary="重启工单")
def reopen(request: HttpRequest, ticket_id: int, payload: TicketNoteIn) -> Ticket:
    user = _user(request)
    ticket = selectors.ticket_for_staff(user, ticket_id)
    return services.ticket_reopen(ticket=ticket, note=payload.note, actor=user)


@router.post(
    "/tickets/{ticket_id}/release-contact",
    response=ContactReleaseOut,
    summary="向承办单位公开诉求人联系方式",
)
def release_contact(request: HttpRequest, ticket_id: int, payload: ReleaseContactIn) -> Any:
    user = _user(request)
    ticket = selectors.ticket_for_staff(user, ticket_id)
    department = department_get(department_id=payload.department_id)
    return services.ticket_release_contact(
        ticket=ticket, department=department, reason=payload.reason, actor=user
    )


@router.post("/tickets/{ticket_id}/leader-read", response=TicketActionOut, summary="领导阅示")
def leader_read(request: HttpRequest, ticket_id: int, payload: TicketNoteIn) -> Ticket:
    user = _user(request)
    ticket = selectors.ticket_for_leader(user, ticket_id)
    return services.ticket_leader_read(ticket=ticket, note=payload.note, actor=user)


# --- Staff: the units' actions (on their own assignment) ------------------------------------------


def _ticket_of(assignment: TicketAssignment) -> Ticket:
    return assignment.ticket


@router.post("/assignments/{assignment_id}/sign", response=TicketActionOut, summary="签收")
def sign(request: HttpRequest, assignment_id: int) -> Ticket:
    user = _user(request)
    assignment = selectors.assignment_for_unit(user, assignment_id)
    return _ticket_of(services.ticket_sign(assignment=assignment, actor=user))


@router.post("/assignments/{assignment_id}/start", response=TicketActionOut, summary="开始办理")
def start(request: HttpRequest, assignment_id: int, payload: TicketNoteIn) -> Ticket:
    user = _user(request)
    assignment = selectors.assignment_for_unit(user, assignment_id)
    return services.ticket_start(assignment=assignment, actor=user, note=payload.note)


@router.post("/assignments/{assignment_id}/return", response=TicketActionOut, summary="退单")
def return_ticket(request: HttpRequest, assignment_id: int, payload: TicketReturnIn) -> Ticket:
    user = _user(request)
    assignment = selectors.assignment_for_unit(user, assignment_id)
    return services.ticket_return(
        assignment=assignment, reason_code=payload.reason_code, note=payload.note, actor=user
    )


@router.post(
    "/assignments/{assignment_id}/extension",
    response={201: TicketExtensionOut},
    summary="申请延期",
)
def extension_request(
    request: HttpRequest, assignment_id: int, payload: TicketExtensionIn
) -> Status[ExtensionRequest]:
    user = _user(request)
    assignment = selectors.assignment_for_unit(user, assignment_id)
    extension = services.ticket_extension_request(
        assignment=assignment, days=payload.days, reason=payload.reason, actor=user
    )
    return Status(201, extension)


@router.post("/assignments/{assignment_id}/co-report", response=TicketActionOut, summary="协办反馈")
def co_report(request: HttpRequest, assignment_id: int, payload: CoReportIn) -> Ticket:
    user = _user(request)
    assignment = selectors.assignment_for_unit(user, assignment_id)
    return _ticket_of(
        services.ticket_co_report(assignment=assignment, report=payload.report, actor=user)
    )


@router.post("/assignments/{assignment_id}/reply", response=TicketActionOut, summary="主办单位答复")
def reply(request: HttpRequest, assignment_id: int, payload: TicketReplyIn) -> Ticket:
    user = _user(request)
    assignment = selectors.assignment_for_unit(user, assignment_id)
    return services.ticket_reply(assignment=assignment, reply=payload.reply, actor=user)
