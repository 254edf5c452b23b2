"""Tickets (工单): one type for every channel, with each unit's assignment, the append-only
step history, extension requests, attachments and the log of contact-data releases."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from yiwang.hotline.models.setup import Area, Category, KnowledgeArticle
from yiwang.hotline.workflow import (
    AssignmentRole,
    AssignmentStatus,
    Channel,
    ContactKind,
    ExtensionStatus,
    Resolution,
    ReturnReason,
    Satisfaction,
    StepAction,
    TicketStatus,
    TicketType,
    Urgency,
)
from yiwang.identity.models import Enterprise
from yiwang.org.models import Department
from yiwang.platform.fields import EncryptedTextField


class TicketCounter(models.Model):
    """The last ticket number used per region and day: numbers are
    `<region code 6><yyyymmdd><6 digits>`, taken under a row lock."""

    region_code = models.CharField(max_length=12)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region_code", "day"], name="hotline_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.day}: {self.last}"


class Ticket(models.Model):
    number = models.CharField("工单编号", max_length=24, unique=True)
    channel = models.CharField("渠道", max_length=12, choices=Channel.choices)
    ticket_type = models.CharField("诉求类型", max_length=20, choices=TicketType.choices)
    category = models.ForeignKey(
        Category, verbose_name="分类", on_delete=models.PROTECT, related_name="tickets"
    )
    urgency = models.CharField(
        "紧急程度", max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    title = models.CharField("标题", max_length=80)
    content = models.TextField("诉求内容")
    # The reporter: hidden from units when confidential (and always for 举报) unless released.
    reporter_name = models.CharField("诉求人", max_length=100, blank=True)
    reporter_phone = EncryptedTextField("联系电话", blank=True, default="")
    reporter_phone_index = models.CharField(max_length=64, blank=True, db_index=True)
    reporter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    enterprise = models.ForeignKey(
        Enterprise, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    enterprise_name = models.CharField("企业名称", max_length=200, blank=True)
    enterprise_uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    anonymous = models.BooleanField("匿名", default=False)
    confidential = models.BooleanField("保密", default=False)
    reply_wanted = models.BooleanField("需要回复", default=True)
    flag_for_leader = models.BooleanField("提请领导关注", default=False)
    leader_read_at = models.DateTimeField("领导阅示时间", null=True, blank=True)
    is_public = models.BooleanField("可公开", default=False)
    # Where.
    latitude = models.FloatField("纬度", null=True, blank=True)
    longitude = models.FloatField("经度", null=True, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    region_code = models.CharField("区划代码", max_length=12, db_index=True)
    area = models.ForeignKey(
        Area,
        verbose_name="片区",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Where it stands.
    status = models.CharField(
        "状态", max_length=12, choices=TicketStatus.choices, default=TicketStatus.RECEIVED
    )
    received_at = models.DateTimeField("登记时间", default=timezone.now, db_index=True)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    master = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    # Decided once, at registration (DOMAIN §7 重复投诉): the earlier ticket, of any type, that
    # had been closed at most HOTLINE_REPEAT_WINDOW_DAYS before this one came in, from the same
    # reporter or in the same leaf category nearby. Never revised: a later reopen of the earlier
    # ticket does not undo it (see hotline/selectors/repeats.py).
    repeat_of = models.ForeignKey(
        "self",
        verbose_name="重复诉求的前一工单",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dispatch_due_at = models.DateTimeField("派单期限", null=True, blank=True)
    dispatched_at = models.DateTimeField("派单时间", null=True, blank=True)
    handling_due_at = models.DateTimeField("办理期限", null=True, blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    # Set at the first reply, never changed: was it by the (extended) due time? The on-time and
    # reply rates read this, so that a rework's new clock does not rewrite history.
    replied_on_time = models.BooleanField("首次答复按时", null=True, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    reply = models.TextField("答复内容", blank=True)
    direct_answer = models.BooleanField("直接答复", default=False)
    knowledge_article = models.ForeignKey(
        KnowledgeArticle, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Callback (回访).
    callback_due_at = models.DateTimeField("回访期限", null=True, blank=True)
    callback_at = models.DateTimeField("回访时间", null=True, blank=True)
    callback_contacted = models.BooleanField("回访联系上", default=False)
    satisfaction = models.CharField(
        "满意度", max_length=20, choices=Satisfaction.choices, blank=True
    )
    resolution = models.CharField("解决情况", max_length=12, choices=Resolution.choices, blank=True)
    rework_count = models.PositiveSmallIntegerField("发回重办次数", default=0)
    transfer_count = models.PositiveSmallIntegerField("退单改派次数", default=0)
    escalated_at = models.DateTimeField("提级督办时间", null=True, blank=True)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    class Meta:
        verbose_name = "工单"
        verbose_name_plural = verbose_name
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "handling_due_at"], name="hotline_status_due"),
            models.Index(fields=["lead_department", "status"], name="hotline_lead_status"),
            models.Index(fields=["category", "received_at"], name="hotline_category_received"),
            # The live hotspot check: one area's tickets of the last half hour, at every intake.
            models.Index(fields=["area", "received_at"], name="hotline_area_received"),
            # The repeat look-up at registration: a leaf category's closures of the last days.
            models.Index(fields=["category", "closed_at"], name="hotline_category_closed"),
            models.Index(fields=["is_public", "received_at"], name="hotline_public_received"),
        ]

    def __str__(self) -> str:
        return self.number


class TicketAssignment(models.Model):
    """A unit's part in a ticket: the lead or a co-handler, each with its own sign-for and
    handling due time. A returned or withdrawn assignment stays as history."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="assignments")
    department = models.ForeignKey(
        Department, verbose_name="承办单位", on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField("角色", max_length=4, choices=AssignmentRole.choices)
    status = models.CharField(
        "状态", max_length=12, choices=AssignmentStatus.choices, default=AssignmentStatus.DISPATCHED
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    dispatched_at = models.DateTimeField("派单时间", default=timezone.now)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sign_due_at = models.DateTimeField("签收期限")
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    handling_due_at = models.DateTimeField("办理期限")
    extension_days = models.PositiveSmallIntegerField("已批准延期（天）", default=0)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    report = models.TextField("办理情况", blank=True)
    return_reason = models.CharField(
        "退单原因", max_length=20, choices=ReturnReason.choices, blank=True
    )
    return_note = models.CharField("退单说明", max_length=500, blank=True)
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "工单承办"
        verbose_name_plural = verbose_name
        ordering = ["ticket_id", "-role", "dispatched_at", "id"]
        indexes = [
            models.Index(fields=["department", "is_active", "status"], name="hotline_assign_dept"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.get_role_display()} {self.department_id}"


class TicketStep(models.Model):
    """The append-only history: every action on a ticket, who, when, from and to, and why.
    `is_public` steps are what the reporter and Open311 see."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField("动作", max_length=24, choices=StepAction.choices)
    from_status = models.CharField("原状态", max_length=12, blank=True)
    to_status = models.CharField("新状态", max_length=12, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField("操作人", max_length=150, blank=True)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField("说明", blank=True)
    is_public = models.BooleanField("对诉求人可见", default=False)
    data: models.JSONField[dict[str, Any], dict[str, Any]] = models.JSONField(
        default=dict, blank=True
    )
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "工单流转记录"
        verbose_name_plural = verbose_name
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.get_action_display()}"


class ExtensionRequest(models.Model):
    assignment = models.ForeignKey(
        TicketAssignment, on_delete=models.CASCADE, related_name="extension_requests"
    )
    days = models.PositiveSmallIntegerField("延期天数")
    reason = models.CharField("申请理由", max_length=500)
    status = models.CharField(
        "状态", max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=500, blank=True)

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = verbose_name
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.assignment_id} +{self.days}"


class TicketAttachment(models.Model):
    """A photo or file. The original is sealed (staff only); `public_file` is the copy with
    EXIF (GPS, device) stripped that the reporter and Open311 see."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    original = models.FileField("原件", upload_to="hotline/originals/%Y/%m/")
    public_file = models.FileField("公开件", upload_to="hotline/public/%Y/%m/", blank=True)
    content_type = models.CharField(max_length=60)
    size_bytes = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = "工单附件"
        verbose_name_plural = verbose_name
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original.name or ""


class ContactRelease(models.Model):
    """The hotline released a hidden reporter's contact data to a unit; logged with why."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="contact_releases")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField("理由", max_length=200)
    released_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "联系方式公开记录"
        verbose_name_plural = verbose_name
        ordering = ["-released_at"]

    def __str__(self) -> str:
        return f"{self.ticket_id} → {self.department_id}"


class UnregisteredContact(models.Model):
    """A call or message the operator did not register as a ticket (for the acceptance rate)."""

    kind = models.CharField("类别", max_length=20, choices=ContactKind.choices)
    channel = models.CharField(
        "渠道", max_length=12, choices=Channel.choices, default=Channel.PHONE
    )
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    region_code = models.CharField("区划代码", max_length=12, blank=True)
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "未登记来电"
        verbose_name_plural = verbose_name
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
