"""Domain errors → HTTP in one place: JSON `{code, message, errors}` for the API, pages for
people."""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from yiwang.platform.errors import DomainError, FieldError

log = logging.getLogger("yiwang.errors")


# Errors answered by ninja or Django themselves carry English text (or none); clients get these.
HTTP_ERRORS: dict[int, tuple[str, str]] = {
    400: ("bad_request", "请求内容无法解析，请检查格式。"),
    401: ("not_authenticated", "请先登录。"),
    403: ("forbidden", "您没有进行此操作的权限。"),
    404: ("not_found", "接口不存在，请检查请求地址。"),
    405: ("method_not_allowed", "该接口不支持此请求方法。"),
    413: ("too_large", "提交的内容过大。"),
    429: ("rate_limited", "操作过于频繁，请稍后再试。"),
}
_FALLBACK = ("invalid", "请求无法处理，请检查后重试。")


def _speaks_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def api_error_response(status: int) -> JsonResponse:
    """The API's error shape for errors raised outside ninja (unknown path, wrong method)."""
    code, message = HTTP_ERRORS.get(status, _FALLBACK)
    body = {"code": code, "message": message, "errors": []}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


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
        loc = [str(part) for part in item.get("loc", [])]
        if loc and loc[0] in ("body", "query", "path", "form"):
            loc = loc[1:]
            # ninja nests a body schema under its parameter name ("payload"): clients never
            # sent that name, so the field is named as they sent it.
            if len(loc) > 1:
                loc = loc[1:]
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
        text = str(exc)
        if _speaks_chinese(text):  # raised by our own code, already written for people
            body = {"code": f"http_{exc.status_code}", "message": text, "errors": []}
        else:
            code, message = HTTP_ERRORS.get(exc.status_code, _FALLBACK)
            body = {"code": code, "message": message, "errors": []}
        return api.create_response(request, body, status=exc.status_code)

    @api.exception_handler(Exception)
    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        log.exception("unhandled API error")
        body = {"code": "server_error", "message": "系统繁忙，请稍后再试。", "errors": []}
        return api.create_response(request, body, status=500)
