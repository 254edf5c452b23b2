"""Platform pages: what the sandbox gateways sent, for administrators of a demo or test system."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yiwang.platform.selectors import sandbox_messages_for_administrator

SANDBOX_MESSAGES_PER_PAGE = 20


def sandbox_messages(request: HttpRequest) -> HttpResponse:
    messages = sandbox_messages_for_administrator(request.user)
    page = Paginator(messages, SANDBOX_MESSAGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "platform/sandbox_messages.html", {"page": page})
