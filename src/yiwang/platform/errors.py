"""Typed domain errors. They are translated to HTTP in one place (`yiwang.project.errors`).

Every error carries a stable `code` (for programs) and a Chinese `message` (for people). Raise them
from services and selectors; never build HTTP responses in domain code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field, for error summaries that link to the field."""

    field: str
    message: str


class DomainError(Exception):
    """Base of every error a user can cause. `status` is the HTTP status it maps to."""

    status: int = 400
    default_code: str = "invalid"
    default_message: str = "请求无法处理，请检查后重试。"

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        errors: list[FieldError] | None = None,
    ) -> None:
        self.message = message or self.default_message
        self.code = code or self.default_code
        self.errors = list(errors or [])
        super().__init__(self.message)


class NotFound(DomainError):
    """Missing and forbidden objects look the same: both raise this."""

    status = 404
    default_code = "not_found"
    default_message = "您要找的内容不存在，或您没有查看的权限。"


class Forbidden(DomainError):
    status = 403
    default_code = "forbidden"
    default_message = "您没有进行此操作的权限。"


class NotAuthenticated(DomainError):
    status = 401
    default_code = "not_authenticated"
    default_message = "请先登录。"


class InvalidInput(DomainError):
    status = 422
    default_code = "invalid_input"
    default_message = "填写的内容有误，请按提示修改。"


class InvalidTransition(DomainError):
    status = 409
    default_code = "invalid_transition"
    default_message = "当前状态下不能进行此操作。"


class Conflict(DomainError):
    status = 409
    default_code = "conflict"
    default_message = "该内容已存在或已被他人修改，请刷新后重试。"


class RateLimited(DomainError):
    status = 429
    default_code = "rate_limited"
    default_message = "操作过于频繁，请稍后再试。"


class RuleViolated(DomainError):
    """A business rule refused the action; `code` names the rule."""

    status = 422
    default_code = "rule_violated"
    default_message = "不符合办理规则。"


class GatewayError(DomainError):
    """An outside service (SMS, mail, real-name check) failed or did not answer in time.

    Background senders retry; a page that waited for the answer shows the message below.
    """

    status = 503
    default_code = "gateway_unavailable"
    default_message = "外部服务暂时不可用，请稍后再试。"
