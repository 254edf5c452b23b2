"""The 12345 ticket lifecycle of DOMAIN §7 as data: statuses, the allowed transitions per
action, the code lists (type, urgency, channel, satisfaction). No database access.

    received ─dispatch→ dispatched ─sign→ signed ─start→ handling ─reply→ replied
       │  ↑return (unit)                                   ↑ rework      │ review
       └─answer directly→ closed ←close─ callback ←callback─ reviewed ←──┘
                            ↑──────────close (no callback wanted)──┘
    closed ─reopen→ handling;   any open ─merge→ merged (under a master ticket)
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketType(models.TextChoices):
    CONSULTATION = "consultation", _("咨询")
    HELP = "help", _("求助")
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")
    SUGGESTION = "suggestion", _("建议")
    PRAISE = "praise", _("表扬")
    OTHER = "other", _("其他")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")


class Channel(models.TextChoices):
    PHONE = "phone", _("电话")
    WEB = "web", _("网站")
    APP = "app", _("随手拍")
    ENTERPRISE = "enterprise", _("政企直通车")
    OPEN311 = "open311", _("开放接口")
    WECHAT = "wechat", _("微信")
    SMS = "sms", _("短信")
    EMAIL = "email", _("电子邮件")


class TicketStatus(models.TextChoices):
    RECEIVED = "received", _("已登记")
    DISPATCHED = "dispatched", _("已派单")
    SIGNED = "signed", _("已签收")
    HANDLING = "handling", _("办理中")
    REPLIED = "replied", _("已答复")
    REVIEWED = "reviewed", _("已审核")
    CALLBACK = "callback", _("已回访")
    CLOSED = "closed", _("已办结")
    MERGED = "merged", _("已合并")


OPEN_STATUSES = frozenset(
    {
        TicketStatus.RECEIVED,
        TicketStatus.DISPATCHED,
        TicketStatus.SIGNED,
        TicketStatus.HANDLING,
        TicketStatus.REPLIED,
        TicketStatus.REVIEWED,
        TicketStatus.CALLBACK,
    }
)
TERMINAL_STATUSES = frozenset({TicketStatus.CLOSED, TicketStatus.MERGED})


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("主办")
    CO = "co", _("协办")


class AssignmentStatus(models.TextChoices):
    DISPATCHED = "dispatched", _("待签收")
    SIGNED = "signed", _("已签收")
    HANDLING = "handling", _("办理中")
    REPLIED = "replied", _("已答复")
    RETURNED = "returned", _("已退单")
    WITHDRAWN = "withdrawn", _("已改派")


class ReturnReason(models.TextChoices):
    """退单 reasons a unit must choose from (free text explains)."""

    NOT_OUR_DUTY = "not_our_duty", _("不属于本单位职责")
    WRONG_AREA = "wrong_area", _("不属于本辖区")
    UNCLEAR = "unclear", _("诉求不清，无法办理")
    DUPLICATE = "duplicate", _("重复工单")
    OTHER = "other", _("其他")


class Satisfaction(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("非常满意")
    SATISFIED = "satisfied", _("满意")
    BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")
    VERY_UNSATISFIED = "very_unsatisfied", _("非常不满意")


SATISFIED_LEVELS = frozenset(
    {Satisfaction.VERY_SATISFIED, Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED}
)


class Resolution(models.TextChoices):
    RESOLVED = "resolved", _("已解决")
    PARTLY = "partly", _("部分解决")
    UNRESOLVED = "unresolved", _("未解决")


class LimitUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("工作日")
    CALENDAR_DAYS = "calendar_days", _("自然日")
    HOURS = "hours", _("小时")


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已同意")
    REFUSED = "refused", _("未同意")


class StepAction(models.TextChoices):
    REGISTER = "register", _("登记")
    ANSWER_DIRECTLY = "answer_directly", _("直接答复")
    DISPATCH = "dispatch", _("派单")
    SIGN = "sign", _("签收")
    RETURN = "return", _("退单")
    ARBITRATE = "arbitrate", _("退单仲裁")
    START = "start", _("开始办理")
    CO_REPORT = "co_report", _("协办反馈")
    EXTENSION_REQUEST = "extension_request", _("申请延期")
    EXTENSION_DECISION = "extension_decision", _("延期审批")
    REPLY = "reply", _("答复")
    REVIEW = "review", _("审核通过")
    SEND_BACK = "send_back", _("退回重办")
    CALLBACK = "callback", _("回访")
    CLOSE = "close", _("办结")
    REOPEN = "reopen", _("重启")
    MERGE = "merge", _("合并")
    ESCALATE = "escalate", _("提级督办")
    REMIND = "remind", _("催办")
    LEADER_READ = "leader_read", _("领导阅示")
    CONTACT_RELEASE = "contact_release", _("公开联系方式")
    # The reporter adds to their request (through an Open311 app); no status change.
    SUPPLEMENT = "supplement", _("诉求人补充")


# Ticket status moves per action: action → (allowed from, to). Assignment-level details
# (each unit's own sign-for) are checked by the services.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    StepAction.ANSWER_DIRECTLY: (frozenset({TicketStatus.RECEIVED}), TicketStatus.CLOSED),
    StepAction.DISPATCH: (frozenset({TicketStatus.RECEIVED}), TicketStatus.DISPATCHED),
    StepAction.SIGN: (frozenset({TicketStatus.DISPATCHED}), TicketStatus.SIGNED),
    StepAction.RETURN: (
        frozenset({TicketStatus.DISPATCHED, TicketStatus.SIGNED}),
        TicketStatus.RECEIVED,
    ),
    StepAction.START: (frozenset({TicketStatus.SIGNED}), TicketStatus.HANDLING),
    StepAction.REPLY: (
        frozenset({TicketStatus.SIGNED, TicketStatus.HANDLING}),
        TicketStatus.REPLIED,
    ),
    StepAction.REVIEW: (frozenset({TicketStatus.REPLIED}), TicketStatus.REVIEWED),
    StepAction.CALLBACK: (frozenset({TicketStatus.REVIEWED}), TicketStatus.CALLBACK),
    StepAction.SEND_BACK: (
        frozenset({TicketStatus.REPLIED, TicketStatus.REVIEWED, TicketStatus.CALLBACK}),
        TicketStatus.HANDLING,
    ),
    StepAction.CLOSE: (
        frozenset({TicketStatus.REVIEWED, TicketStatus.CALLBACK}),
        TicketStatus.CLOSED,
    ),
    StepAction.REOPEN: (frozenset({TicketStatus.CLOSED}), TicketStatus.HANDLING),
    StepAction.MERGE: (OPEN_STATUSES, TicketStatus.MERGED),
}


def allowed(action: str, status: str) -> bool:
    sources, _target = TRANSITIONS[action]
    return status in sources


def target(action: str) -> str:
    return TRANSITIONS[action][1]


# Escalation (提级督办) happens automatically after this many reworks or transfers.
ESCALATE_AFTER = 3

# Types whose reporter is always hidden from units (举报), whatever the reporter chose.
ALWAYS_CONFIDENTIAL = frozenset({TicketType.REPORT})


class ContactKind(models.TextChoices):
    """Contacts that did not become a ticket. Silent and abusive ones are not valid contacts
    and do not count against the acceptance rate; the others do."""

    SILENT = "silent", _("无声电话")
    ABUSIVE = "abusive", _("骚扰电话")
    HUNG_UP = "hung_up", _("未说明诉求即挂断")
    NOT_REGISTERED = "not_registered", _("有效诉求未登记")


INVALID_CONTACT_KINDS = frozenset({ContactKind.SILENT, ContactKind.ABUSIVE})
