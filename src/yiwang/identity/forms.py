"""Forms for identity pages. They check the shape of input; services apply the rules."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.platform.validators import validate_citizen_id, validate_uscc


class VerifyIdentityForm(forms.Form):
    name = forms.CharField(
        label=_("姓名"),
        max_length=50,
        help_text=_("与身份证上的姓名一致"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("请填写姓名。")},
    )
    citizen_id = forms.CharField(
        label=_("公民身份号码"),
        max_length=18,
        min_length=18,
        validators=[validate_citizen_id],
        help_text=_("18位，最后一位可能是字母 X"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
        error_messages={
            "required": _("请填写公民身份号码。"),
            "min_length": _("身份证号码应为18位，请核对。"),
            "max_length": _("身份证号码应为18位，请核对。"),
        },
    )


class EnterpriseRegisterForm(forms.Form):
    name = forms.CharField(
        label=_("企业名称"),
        max_length=200,
        help_text=_("与营业执照上的名称一致"),
        error_messages={"required": _("请填写企业名称。")},
    )
    uscc = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=18,
        min_length=18,
        validators=[validate_uscc],
        help_text=_("18位，见营业执照"),
        error_messages={
            "required": _("请填写统一社会信用代码。"),
            "min_length": _("统一社会信用代码应为18位，请核对。"),
            "max_length": _("统一社会信用代码应为18位，请核对。"),
        },
    )
    registered_address = forms.CharField(label=_("注册地址"), max_length=200, required=False)


class AgentAuthoriseForm(forms.Form):
    agent_name = forms.CharField(
        label=_("经办人姓名"), max_length=50, error_messages={"required": _("请填写经办人姓名。")}
    )
    agent_citizen_id = forms.CharField(
        label=_("经办人公民身份号码"),
        max_length=18,
        min_length=18,
        validators=[validate_citizen_id],
        error_messages={
            "required": _("请填写经办人的公民身份号码。"),
            "min_length": _("身份证号码应为18位，请核对。"),
            "max_length": _("身份证号码应为18位，请核对。"),
        },
    )
    valid_from = forms.DateField(
        label=_("授权开始日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("请选择开始日期。"), "invalid": _("请填写正确的日期。")},
    )
    valid_to = forms.DateField(
        label=_("授权截止日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("请选择截止日期。"), "invalid": _("请填写正确的日期。")},
    )
    scope_note = forms.CharField(
        label=_("授权范围"),
        max_length=200,
        required=False,
        help_text=_("不填写表示可办理本企业的全部事项"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["valid_from"].initial = today
        self.fields["valid_to"].initial = today + timedelta(days=365)


class LoginForm(AllauthLoginForm):  # type: ignore[misc]
    """allauth's sign-in form, with labels a citizen understands."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("手机号码或邮箱")
        login.widget.attrs.update({"autocomplete": "username", "placeholder": ""})
        self.fields["password"].widget.attrs["placeholder"] = ""
        if "remember" in self.fields:
            self.fields["remember"].label = _("在这台设备上保持登录")


class SignupForm(AllauthSignupForm):  # type: ignore[misc]
    """Register with a mobile number (the usual way) or an email address: one of them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].help_text = _("推荐使用手机号注册，我们会发送短信验证码。")
        self.fields["email"].label = _("电子邮箱（没有手机号时填写）")
        self.fields["email"].widget.attrs.update({"placeholder": "", "autocomplete": "email"})
        self.fields["password1"].widget.attrs["placeholder"] = ""
        self.order_fields(["phone", "email", "password1"])

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        if not cleaned.get("phone") and not cleaned.get("email") and not self.errors:
            self.add_error("phone", _("请填写手机号码或电子邮箱，二者填写一项即可。"))
        return cleaned
