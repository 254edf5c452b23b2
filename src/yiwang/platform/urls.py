from __future__ import annotations

from django.urls import URLPattern, path

from yiwang.platform import views

app_name = "platform"
urlpatterns: list[URLPattern] = [
    path("sandbox/messages/", views.sandbox_messages, name="sandbox_messages"),
]
