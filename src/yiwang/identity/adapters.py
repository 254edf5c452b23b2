"""django-allauth adapter: phone numbers live encrypted on our User, codes go out by SMS."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    pass
