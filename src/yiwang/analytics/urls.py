from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from yiwang.analytics import views

app_name = "analytics"

urlpatterns: list[URLPattern | URLResolver] = [
    path("hotline/", views.hotline_figures, name="hotline"),
    path("hotline/hotspots/", views.hotspots, name="hotspots"),
]
