"""Django admin of the hotline: the Open311 client apps and their keys.

A key is issued when an app is added and shown once, in the confirmation message; only its
hash is kept. Keys are revoked by the action, never deleted or edited. `request` is typed `Any`
(the admin's own habit here; `django.http` stays in views).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yiwang.hotline.models import Open311Client
from yiwang.hotline.services import open311_key_issue, open311_key_revoke
from yiwang.identity.models import User
from yiwang.platform.errors import InvalidInput


def _actor(request: Any) -> User | None:
    user = request.user
    return user if isinstance(user, User) else None


class Open311ClientForm(forms.ModelForm[Open311Client]):
    class Meta:
        model = Open311Client
        fields = ["name", "contact"]


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin[Open311Client]):
    form = Open311ClientForm
    list_display = (
        "name",
        "key_prefix",
        "contact",
        "is_active",
        "created_at",
        "last_used_at",
        "revoked_at",
        "submission_count",
        "update_count",
    )
    list_filter = ("is_active",)
    search_fields = ("name", "key_prefix", "contact")
    actions = ("revoke_keys",)
    readonly_fields = (
        "name",
        "contact",
        "key_prefix",
        "is_active",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
        "submission_count",
        "update_count",
    )

    def get_queryset(self, request: Any) -> QuerySet[Open311Client]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                submissions_total=Count("submissions", distinct=True),
                updates_total=Count("updates", distinct=True),
            )
        )

    @admin.display(description=_("提交的诉求"), ordering="submissions_total")
    def submission_count(self, obj: Open311Client) -> int:
        return int(getattr(obj, "submissions_total", 0))

    @admin.display(description=_("补充"), ordering="updates_total")
    def update_count(self, obj: Open311Client) -> int:
        return int(getattr(obj, "updates_total", 0))

    def get_readonly_fields(self, request: Any, obj: Open311Client | None = None) -> Any:
        # Adding names the app; after that nothing is edited, only revoked.
        return () if obj is None else self.readonly_fields

    def get_fields(self, request: Any, obj: Open311Client | None = None) -> Any:
        return ["name", "contact"] if obj is None else list(self.readonly_fields)

    def has_delete_permission(self, request: Any, obj: Open311Client | None = None) -> bool:
        return False  # revoked keys stay, for the record

    def save_model(
        self, request: Any, obj: Open311Client, form: forms.ModelForm[Open311Client], change: bool
    ) -> None:
        if change:
            return  # nothing is editable after adding
        try:
            issued = open311_key_issue(name=obj.name, contact=obj.contact, actor=_actor(request))
        except InvalidInput as error:
            self.message_user(request, error.message, level=messages.ERROR)
            return
        for field in Open311Client._meta.concrete_fields:
            setattr(obj, field.attname, getattr(issued.client, field.attname))
        self.message_user(
            request,
            gettext("“%(name)s”的密钥：%(key)s（只显示这一次，请立即复制并交给应用开发者）")
            % {"name": issued.client.name, "key": issued.key},
            level=messages.WARNING,
        )

    @admin.action(description=_("吊销所选应用的密钥"))
    def revoke_keys(self, request: Any, queryset: QuerySet[Open311Client]) -> None:
        revoked = 0
        for client in queryset.filter(is_active=True):
            open311_key_revoke(client=client, actor=_actor(request))
            revoked += 1
        self.message_user(
            request,
            gettext("已吊销 %(count)s 个应用的密钥。") % {"count": revoked},
            level=messages.SUCCESS,
        )


from yiwang.hotline import admin_learning  # noqa: E402, F401  (learned dispatch runs)
