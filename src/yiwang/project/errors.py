"""Domain errors → HTTP in one place: JSON `{code, message, errors}` for the API, pages for
people."""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from yiwang.platform.errors import DomainError, FieldError

log = logging.getLogger("yiwang.errors")


def error_body(error: DomainError) -> dict[str, Any]:
    return {
        "code": error.code,
        "message": error.message,
        "errors": [{"field": e.field, "message": e.message} for e in error.errors],
    }


def render_error_page(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(request, "errors/domain_error.html", {"error": error}, status=error.status)


_PYDANTIC_MESSAGES = {
    "missing": "此项为必填项。",
    "string_too_long": "内容过长。",
    "string_too_short": "内容过短。",
    "int_parsing": "请填写整数。",
    "date_from_datetime_parsing": "请填写正确的日期，例如 2026-11-22。",
    "date_parsing": "请填写正确的日期，例如 2026-11-22。",
    "datetime_parsing": "请填写正确的时间。",
    "greater_than_equal": "数值过小。",
    "less_than_equal": "数值过大。",
    "json_invalid": "请求内容不是有效的 JSON。",
}


def _field_errors(raw: list[dict[str, Any]]) -> list[FieldError]:
    errors = []
    for item in raw:
        loc = [str(part) for part in item.get("loc", []) if part not in ("body", "query", "path")]
        field = ".".join(loc) or "request"
        message = _PYDANTIC_MESSAGES.get(str(item.get("type")), "")
        if not message:
            ctx = item.get("ctx") or {}
            message = str(ctx.get("error") or "") or "填写的内容有误，请检查。"
        errors.append(FieldError(field=field, message=message))
    return errors


def install_api_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return api.create_response(request, error_body(exc), status=exc.status)

    @api.exception_handler(NinjaValidationError)
    def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        error = DomainError("提交的内容有误，请按提示修改。", code="invalid_input")
        error.errors = _field_errors(list(exc.errors))
        return api.create_response(request, error_body(error), status=422)

    @api.exception_handler(AuthenticationError)
    def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        body = {"code": "not_authenticated", "message": "请先登录。", "errors": []}
        return api.create_response(request, body, status=401)

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        body = {"code": f"http_{exc.status_code}", "message": str(exc), "errors": []}
        return api.create_response(request, body, status=exc.status_code)

    @api.exception_handler(Exception)
    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        log.exception("unhandled API error")
        body = {"code": "server_error", "message": "系统繁忙，请稍后再试。", "errors": []}
        return api.create_response(request, body, status=500)
