from __future__ import annotations

from django.urls import path

from yiwang.identity import views

app_name = "identity"
urlpatterns = [
    path("", views.profile, name="profile"),
]
