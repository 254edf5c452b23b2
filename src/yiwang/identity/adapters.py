"""django-allauth adapters.

Phone numbers live encrypted on our `User` (blind-indexed for look-up); one-time codes leave
through the platform outbox; TOTP secrets are encrypted with the platform's data keys instead of
allauth's default (which stores them as they are).
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from yiwang.identity import services
from yiwang.identity.models import User
from yiwang.identity.phones import PHONE_FORMAT_MESSAGE, normalise_phone
from yiwang.identity.selectors import user_by_phone
from yiwang.platform import crypto
from yiwang.platform.errors import InvalidInput


class MainlandPhoneField(forms.CharField):
    """Accepts what people type (13800000001, 138 0000 0001, +86...) and gives E.164."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("手机号码"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "numeric"}),
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if not value:
            return value
        try:
            return normalise_phone(value)
        except InvalidInput as exc:
            raise forms.ValidationError(PHONE_FORMAT_MESSAGE, code="phone_format") from exc


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "phone_taken": _("该手机号码已注册，请直接登录。"),
        "incorrect_code": _("验证码不正确，请重新输入。"),
        "too_many_login_attempts": _("登录失败次数过多，请稍后再试。"),
    }

    def phone_form_field(self, **kwargs: Any) -> Any:
        kwargs["label"] = _("手机号码")
        kwargs.setdefault("help_text", _("11位中国大陆手机号码"))
        return MainlandPhoneField(**kwargs)

    def clean_phone(self, phone: str) -> str:
        return normalise_phone(phone)

    def set_phone(self, user: AbstractBaseUser, phone: str, verified: bool) -> None:
        assert isinstance(user, User)
        services.account_set_phone(user=user, phone=phone, verified=verified)

    def get_phone(self, user: AbstractBaseUser) -> tuple[str, bool] | None:
        assert isinstance(user, User)
        if not user.phone:
            return None
        return user.phone, user.phone_verified

    def set_phone_verified(self, user: AbstractBaseUser, phone: str) -> None:
        assert isinstance(user, User)
        services.account_mark_phone_verified(user=user)

    def get_user_by_phone(self, phone: str) -> AbstractBaseUser | None:
        try:
            return user_by_phone(normalise_phone(phone))
        except InvalidInput:
            return None

    def send_verification_code_sms(
        self, user: AbstractBaseUser, phone: str, code: str, **kwargs: Any
    ) -> None:
        services.account_send_phone_code(phone=phone, code=code)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Account mails (verification codes, password resets) leave through the outbox."""
        message = self.render_mail(template_prefix, email, context)
        services.account_send_email(to=email, subject=str(message.subject), body=message.body)

    def send_unknown_account_sms(self, phone: str, **kwargs: Any) -> None:
        # Enumeration prevention: say nothing to unknown numbers.
        return None

    def populate_username(self, request: Any, user: AbstractBaseUser) -> None:
        assert isinstance(user, User)
        if not user.username:
            user.username = services.new_account_code()


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text, associated="totp")

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text, associated="totp")

    def get_totp_issuer(self) -> str:
        return "一网通办"
