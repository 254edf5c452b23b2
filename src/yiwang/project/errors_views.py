"""Friendly pages for the HTTP errors Django raises itself."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _page(request: HttpRequest, status: int, title: str, body: str) -> HttpResponse:
    context = {"title": title, "body": body, "status": status}
    return render(request, "errors/http_error.html", context, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 400, _("请求有误"), _("请返回上一页检查后重试。"))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 403, _("没有权限"), _("您没有查看此页面的权限。如有疑问，请联系管理员。"))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404, _("页面不存在"), _("您要找的页面不存在，或您没有查看的权限。"))


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(
        request, 500, _("系统繁忙"), _("系统暂时无法处理您的请求，请稍后再试。我们已记录此问题。")
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """An expired or forged form: say so plainly and let them try again."""
    return _page(
        request,
        403,
        _("页面已过期"),
        _("页面停留时间过长或已在其他窗口提交。请返回上一页，刷新后重新提交。"),
    )
