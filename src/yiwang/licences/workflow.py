"""Licence statuses, trust levels and holder kinds (DOMAIN §5), and the allowed status changes,
as data. No database access."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HolderKind(models.TextChoices):
    """Code types of the holder's code (national list): the two the platform issues to."""

    CITIZEN = "111", _("公民身份号码")
    ENTERPRISE = "001", _("统一社会信用代码")


class TrustLevel(models.TextChoices):
    """国办函〔2016〕108号: where a licence came from and how it may be used."""

    A = "A", _("A级：发证机关签发")
    B = "B", _("B级：经窗口与原件核对")
    C = "C", _("C级：申请人上传")
    D = "D", _("D级：申请人承诺")


class LicenceStatus(models.TextChoices):
    VALID = "valid", _("有效")
    SUSPENDED = "suspended", _("暂停使用")
    EXPIRED = "expired", _("已过期")
    REVOKED = "revoked", _("已吊销")
    CANCELLED = "cancelled", _("已注销")
    SUPERSEDED = "superseded", _("已换发")


class ValidityRule(models.TextChoices):
    LONG_TERM = "long_term", _("长期有效")
    FIXED_YEARS = "fixed_years", _("固定年限")
    STATED = "stated", _("以证面为准")


class AccessPurpose(models.TextChoices):
    LOOKUP = "lookup", _("查询")
    DOWNLOAD = "download", _("下载")
    REUSE = "reuse", _("办件复用")


class AccessResult(models.TextChoices):
    FOUND = "found", _("查到")
    NOT_FOUND = "not_found", _("未查到")
    DENIED = "denied", _("拒绝")


# Status changes a department (or the nightly expiry, or a renewal) may make. Revoked, cancelled
# and superseded licences are final; an expired one can still be renewed (superseded).
TRANSITIONS: dict[str, frozenset[str]] = {
    LicenceStatus.VALID: frozenset(
        {
            LicenceStatus.SUSPENDED,
            LicenceStatus.EXPIRED,
            LicenceStatus.REVOKED,
            LicenceStatus.CANCELLED,
            LicenceStatus.SUPERSEDED,
        }
    ),
    LicenceStatus.SUSPENDED: frozenset(
        {LicenceStatus.VALID, LicenceStatus.REVOKED, LicenceStatus.CANCELLED, LicenceStatus.EXPIRED}
    ),
    LicenceStatus.EXPIRED: frozenset({LicenceStatus.SUPERSEDED, LicenceStatus.CANCELLED}),
    LicenceStatus.REVOKED: frozenset(),
    LicenceStatus.CANCELLED: frozenset(),
    LicenceStatus.SUPERSEDED: frozenset(),
}

# Statuses a department sets by hand, with a reason (the others come from expiry and renewal).
MANUAL_STATUSES = frozenset(
    {LicenceStatus.VALID, LicenceStatus.SUSPENDED, LicenceStatus.REVOKED, LicenceStatus.CANCELLED}
)


def can_change(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())


# Watermark texts of DOMAIN §5 by trust level; `{issuer}` and `{valid_to}` are filled in.
WATERMARKS: dict[str, str] = {
    TrustLevel.A: "此件由{issuer}提供，仅供办理政务服务事项时使用，有效期至{valid_to}",
    TrustLevel.B: "此件经与原件核对无误，仅供办理政务服务事项时使用",
    TrustLevel.C: "",
    TrustLevel.D: "",
}
