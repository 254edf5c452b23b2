"""Administrators manage accounts, staff memberships and see verification records.

Personal data is shown masked here too: the admin is not a way around the masking rule.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from yiwang.identity.models import (
    AgentAuthorisation,
    Enterprise,
    Person,
    RealNameVerification,
    StaffMembership,
    User,
)
from yiwang.platform.masking import mask_citizen_id, mask_phone


class StaffMembershipInline(admin.TabularInline[StaffMembership, User]):
    model = StaffMembership
    extra = 0
    autocomplete_fields = ["department"]
    fk_name = "user"


@admin.register(User)
class UserAdmin(admin.ModelAdmin[User]):
    list_display = ["username", "display_name", "masked_phone", "is_active", "is_staff"]
    search_fields = ["username", "display_name", "email"]
    list_filter = ["is_active", "is_staff", "memberships__role"]
    fields = [
        "username",
        "display_name",
        "email",
        "masked_phone",
        "phone_verified",
        "is_active",
        "is_staff",
        "is_superuser",
        "date_joined",
        "last_login",
    ]
    readonly_fields = ["masked_phone", "date_joined", "last_login"]
    inlines = [StaffMembershipInline]

    @admin.display(description="手机号码")
    def masked_phone(self, obj: User) -> str:
        return mask_phone(obj.phone) if obj.phone else "-"


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    list_display = ["name", "masked_citizen_id", "realname_level", "realname_method", "verified_at"]
    search_fields = ["name"]
    list_filter = ["realname_level", "realname_method"]
    fields = [
        "user",
        "name",
        "masked_citizen_id",
        "realname_level",
        "realname_method",
        "verified_at",
    ]
    readonly_fields = [
        "user",
        "name",
        "masked_citizen_id",
        "realname_level",
        "realname_method",
        "verified_at",
    ]

    @admin.display(description="公民身份号码")
    def masked_citizen_id(self, obj: Person) -> str:
        return mask_citizen_id(obj.citizen_id)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin[Enterprise]):
    list_display = ["name", "uscc", "legal_representative", "realname_level"]
    search_fields = ["name", "uscc"]
    readonly_fields = ["legal_representative", "verified_at"]


@admin.register(AgentAuthorisation)
class AgentAuthorisationAdmin(admin.ModelAdmin[AgentAuthorisation]):
    list_display = ["enterprise", "agent", "valid_from", "valid_to", "revoked_at"]
    list_filter = ["revoked_at"]
    readonly_fields = [
        "enterprise",
        "agent",
        "authorised_by",
        "authorised_at",
        "revoked_at",
        "revoked_by",
    ]


@admin.register(StaffMembership)
class StaffMembershipAdmin(admin.ModelAdmin[StaffMembership]):
    list_display = ["user", "department", "role", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "user__display_name", "department__name"]
    autocomplete_fields = ["user", "department"]


@admin.register(RealNameVerification)
class RealNameVerificationAdmin(admin.ModelAdmin[RealNameVerification]):
    list_display = ["user", "subject_kind", "method", "level", "outcome", "created_at"]
    list_filter = ["outcome", "method", "subject_kind"]
    readonly_fields = [f.name for f in RealNameVerification._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
