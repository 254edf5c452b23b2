"""Password rule beyond Django's validators: at least one letter and one digit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class LettersAndDigitsValidator:
    def validate(self, password: str, user: object = None) -> None:
        if not (any(c.isalpha() for c in password) and any(c.isdigit() for c in password)):
            raise ValidationError(
                _("密码须同时包含字母和数字。"), code="password_letters_and_digits"
            )

    def get_help_text(self) -> str:
        return _("密码须同时包含字母和数字。")
