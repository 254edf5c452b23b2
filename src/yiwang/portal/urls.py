from __future__ import annotations

from django.urls import path

from yiwang.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("elder-mode", views.elder_mode, name="elder_mode"),
]
