"""Forms of the hotline pages. They check the shape of input; services apply the rules and
their refusals are shown beside the fields they concern."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from yiwang.hotline.selectors import category_choices, point_in_city
from yiwang.hotline.workflow import (
    Channel,
    ContactKind,
    Resolution,
    ReturnReason,
    Satisfaction,
    TicketType,
    Urgency,
)
from yiwang.org.models import Department

CONTENT_MAX = 4000


def _category_field(*, required: bool, label: Any = None) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label or _("问题分类"),
        required=required,
        choices=[],
        error_messages={
            "required": _("请选择问题分类。"),
            "invalid_choice": _("请从列表中选择问题分类。"),
        },
    )


def _with_categories(field: forms.Field, *, blank: Any) -> None:
    assert isinstance(field, forms.ChoiceField)
    field.choices = [("", blank)] + [(c.code, c.label) for c in category_choices()]


class IntakeForm(forms.Form):
    """The operator's register form: who calls, what about, where."""

    reporter_phone = forms.CharField(
        label=_("来电号码"),
        max_length=20,
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "off", "accesskey": "p", "type": "tel"}
        ),
    )
    reporter_name = forms.CharField(
        label=_("诉求人姓名"), max_length=100, required=False, widget=forms.TextInput()
    )
    ticket_type = forms.ChoiceField(
        label=_("诉求类型"),
        choices=TicketType.choices,
        initial=TicketType.CONSULTATION,
        error_messages={"required": _("请选择诉求类型。"), "invalid_choice": _("请选择诉求类型。")},
    )
    category_code = _category_field(required=True)
    urgency = forms.ChoiceField(
        label=_("紧急程度"),
        required=False,
        choices=[("", _("按分类默认")), *Urgency.choices],
        error_messages={"invalid_choice": _("紧急程度应为一般或紧急。")},
    )
    address = forms.CharField(label=_("地点"), max_length=200, required=False)
    content = forms.CharField(
        label=_("诉求内容"),
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "accesskey": "c"}),
        error_messages={
            "required": _("请记录来电人反映的问题。"),
            "max_length": _("诉求内容不能超过 4000 个字。"),
        },
    )
    confidential = forms.BooleanField(label=_("来电人要求保密"), required=False)
    reply_wanted = forms.BooleanField(label=_("需要回复"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _with_categories(self.fields["category_code"], blank=_("请选择分类"))


class DirectAnswerForm(IntakeForm):
    """Answering from the knowledge base: the article's category and text unless changed."""

    article = forms.IntegerField(widget=forms.HiddenInput())
    answer = forms.CharField(
        label=_("答复口径"),
        max_length=CONTENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["content"].required = False
        self.fields["category_code"].required = False


class UnregisteredForm(forms.Form):
    kind = forms.ChoiceField(choices=ContactKind.choices)


class DispatchForm(forms.Form):
    lead = forms.TypedChoiceField(
        label=_("主办单位"),
        coerce=int,
        choices=[],
        error_messages={
            "required": _("请选择主办单位。"),
            "invalid_choice": _("请从列表中选择主办单位。"),
        },
    )
    co_handlers = forms.TypedMultipleChoiceField(
        label=_("协办单位"),
        coerce=int,
        choices=[],
        required=False,
        help_text=_("可多选；按住 Ctrl（苹果电脑为 Command）键点选"),
        error_messages={"invalid_choice": _("请从列表中选择协办单位。")},
    )
    note = forms.CharField(label=_("派单说明"), max_length=500, required=False)

    def __init__(self, *args: Any, departments: list[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(d.pk, d.name) for d in departments]
        lead = self.fields["lead"]
        co = self.fields["co_handlers"]
        assert isinstance(lead, forms.ChoiceField)
        assert isinstance(co, forms.ChoiceField)
        lead.choices = [("", _("请选择主办单位")), *choices]
        co.choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lead = data.get("lead")
        co = [d for d in data.get("co_handlers", []) if d != lead]
        data["co_handlers"] = co
        return data


class MergeForm(forms.Form):
    master_number = forms.CharField(
        label=_("主工单编号"),
        max_length=24,
        help_text=_("与本工单反映同一问题、仍在办理的工单"),
        error_messages={"required": _("请填写主工单编号。")},
    )


class ReleaseForm(forms.Form):
    department = forms.TypedChoiceField(
        label=_("公开给"),
        coerce=int,
        choices=[],
        error_messages={
            "required": _("请选择承办单位。"),
            "invalid_choice": _("请选择本工单的承办单位。"),
        },
    )
    reason = forms.CharField(
        label=_("理由"),
        max_length=200,
        error_messages={"required": _("请说明公开联系方式的理由。")},
    )

    def __init__(self, *args: Any, departments: list[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("请选择")), *((d.pk, d.name) for d in departments)]


DECISIONS = [("approve", _("同意")), ("refuse", _("不同意"))]


class ExtensionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审批"),
        choices=DECISIONS,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择同意或不同意。")},
    )
    note = forms.CharField(label=_("审批意见"), max_length=500, required=False)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结果"),
        choices=[("approve", _("审核通过")), ("send_back", _("退回重办"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择审核通过或退回重办。")},
    )
    note = forms.CharField(
        label=_("审核意见"),
        max_length=500,
        required=False,
        help_text=_("退回重办时必须说明原因"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _satisfaction_field(required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("满意程度"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        required=required,
        error_messages={"required": _("请选择满意程度。")},
    )


def _resolution_field(required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("解决情况"),
        choices=Resolution.choices,
        widget=forms.RadioSelect,
        required=required,
        error_messages={"required": _("请选择解决情况。")},
    )


class CallbackForm(forms.Form):
    contacted = forms.TypedChoiceField(
        label=_("是否联系上诉求人"),
        choices=[("1", _("已联系上")), ("0", _("未联系上"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择是否联系上诉求人。")},
    )
    satisfaction = _satisfaction_field(required=False)
    resolution = _resolution_field(required=False)
    note = forms.CharField(label=_("回访记录"), max_length=500, required=False)
    rework = forms.BooleanField(label=_("诉求人不满意，退回重办"), required=False)


class ReturnForm(forms.Form):
    reason_code = forms.ChoiceField(
        label=_("退单原因"),
        choices=[("", _("请选择退单原因")), *ReturnReason.choices],
        error_messages={"required": _("请选择退单原因。")},
    )
    note = forms.CharField(
        label=_("退单说明"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请说明退单理由。")},
    )


class ExtensionRequestForm(forms.Form):
    days = forms.IntegerField(
        label=_("延期天数"),
        min_value=1,
        max_value=30,
        error_messages={
            "required": _("请填写延期天数。"),
            "invalid": _("延期天数应为 1 至 30 的整数。"),
            "min_value": _("延期天数应为 1 至 30 天。"),
            "max_value": _("延期天数应为 1 至 30 天。"),
        },
    )
    reason = forms.CharField(
        label=_("延期理由"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请说明延期理由。")},
    )


class StartForm(forms.Form):
    note = forms.CharField(label=_("办理安排"), max_length=500, required=False)


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("答复内容"),
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("诉求人会看到这段答复，请写明办理结果"),
        error_messages={"required": _("请填写答复内容。")},
    )


class CoReportForm(forms.Form):
    report = forms.CharField(
        label=_("协办情况"),
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写协办情况。")},
    )


class ReportForm(forms.Form):
    """The citizen's snap-and-report (随手拍)."""

    photo = forms.FileField(
        label=_("现场照片"),
        required=False,
        help_text=_("可直接拍照；JPG、PNG 或 WEBP，不超过 10 MB。公开的照片会去除拍摄位置等信息"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    content = forms.CharField(
        label=_("问题描述"),
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("说清楚是什么问题、在哪里、影响到什么"),
        error_messages={
            "required": _("请描述您遇到的问题。"),
            "max_length": _("问题描述不能超过 4000 个字。"),
        },
    )
    category_code = _category_field(required=False)
    address = forms.CharField(
        label=_("地点"),
        max_length=200,
        required=False,
        help_text=_("如“清溪路与园区路交叉口”；也可以在地图上选择，或点“使用我的位置”"),
    )
    latitude = forms.FloatField(
        required=False, widget=forms.HiddenInput(), min_value=-90, max_value=90
    )
    longitude = forms.FloatField(
        required=False, widget=forms.HiddenInput(), min_value=-180, max_value=180
    )
    reporter_name = forms.CharField(label=_("您的姓名"), max_length=100, required=False)
    reporter_phone = forms.CharField(
        label=_("联系电话"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    anonymous = forms.BooleanField(
        label=_("匿名反映（不留姓名和电话，不能接受回访）"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _with_categories(self.fields["category_code"], blank=_("不清楚，请帮我选择"))
        if Channel.APP not in settings.HOTLINE_ANONYMOUS_CHANNELS:
            del self.fields["anonymous"]

    # Set when the submitted point lay outside the city: the page then drops it, so that the
    # next submission with an address goes through even without JavaScript.
    point_refused = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if latitude is None or longitude is None:
            if not (data.get("address") or "").strip():
                self.add_error(
                    "address", _("请填写问题所在的地点，或在地图上选择，或点“使用我的位置”。")
                )
        elif not point_in_city(longitude, latitude):
            self.point_refused = True
            self.add_error(
                "address",
                _("您选择的位置不在本市范围内。请在地图上重新选择，或填写问题所在的地址后再提交。"),
            )
        return data


class RateForm(forms.Form):
    satisfaction = _satisfaction_field()
    resolution = _resolution_field()
    comment = forms.CharField(
        label=_("您的意见"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rework_wanted = forms.BooleanField(
        label=_("问题没有解决，要求重新办理"),
        required=False,
        help_text=_("仅在不满意时可选"),
    )


class EnterpriseForm(forms.Form):
    enterprise = forms.TypedChoiceField(
        label=_("企业"),
        coerce=int,
        choices=[],
        error_messages={
            "required": _("请选择以哪家企业的名义反映。"),
            "invalid_choice": _("请选择您可以代表的企业。"),
        },
    )
    ticket_type = forms.ChoiceField(
        label=_("诉求类型"),
        choices=TicketType.choices,
        initial=TicketType.HELP,
        error_messages={"required": _("请选择诉求类型。"), "invalid_choice": _("请选择诉求类型。")},
    )
    category_code = _category_field(required=True)
    content = forms.CharField(
        label=_("诉求内容"),
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("请填写诉求内容。"),
            "max_length": _("诉求内容不能超过 4000 个字。"),
        },
    )
    confidential = forms.BooleanField(
        label=_("涉及商业秘密，请对承办单位保密企业联系人信息"), required=False
    )
    flag_for_leader = forms.BooleanField(label=_("提请市领导关注（阅示）"), required=False)

    def __init__(self, *args: Any, enterprises: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enterprise"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("请选择企业")), *enterprises]
        if len(enterprises) == 1:
            field.initial = enterprises[0][0]
        _with_categories(self.fields["category_code"], blank=_("请选择分类"))


class LeaderReadForm(forms.Form):
    note = forms.CharField(
        label=_("阅示意见"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写阅示意见。")},
    )
