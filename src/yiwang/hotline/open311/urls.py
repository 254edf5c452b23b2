"""GeoReport v2 paths, mounted at /open311/v2/ by the project. The format is the suffix."""

from __future__ import annotations

from django.urls import path, re_path

from yiwang.hotline.open311 import views

app_name = "open311"

urlpatterns = [
    re_path(r"^discovery\.(?P<fmt>xml|json)$", views.discovery, name="discovery"),
    re_path(r"^services\.(?P<fmt>xml|json)$", views.services, name="services"),
    re_path(
        r"^services/(?P<code>[^/]+)\.(?P<fmt>xml|json)$",
        views.service_definition,
        name="service_definition",
    ),
    re_path(r"^requests\.(?P<fmt>xml|json)$", views.requests, name="requests"),
    re_path(
        r"^requests/(?P<number>[^/]+)\.(?P<fmt>xml|json)$",
        views.request_detail,
        name="request",
    ),
    re_path(r"^tokens/(?P<token>[^/]+)\.(?P<fmt>xml|json)$", views.token, name="token"),
    re_path(
        r"^servicerequestupdates\.(?P<fmt>xml|json)$",
        views.request_updates,
        name="request_updates",
    ),
    path("media/<int:attachment_id>.jpg", views.media, name="media"),
    # Anything else is the spec's 404, never the site's HTML error page.
    path("<path:path>", views.not_found, name="unknown"),
    path("", views.not_found, {"path": ""}, name="root"),
]
