from __future__ import annotations

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from yiwang.project import errors_views, health
from yiwang.project.api import api

admin.site.site_header = "一网通办 管理后台"
admin.site.site_title = "一网通办"
admin.site.index_title = "平台管理"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("platform/", include("yiwang.platform.urls")),
    path("calendar/", include("yiwang.calendars.urls")),
    path("org/", include("yiwang.org.urls")),
    path("me/", include("yiwang.identity.urls")),
    path("licences/", include("yiwang.licences.urls")),
    path("services/", include("yiwang.catalog.urls")),
    path("workbench/", include("yiwang.workbench.urls")),
    path("analytics/", include("yiwang.analytics.urls")),
    path("hotline/", include("yiwang.hotline.urls")),
    path("open311/v2/", include("yiwang.hotline.open311.urls")),
    path("", include("yiwang.portal.urls")),
]
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = errors_views.bad_request
handler403 = errors_views.permission_denied
handler404 = errors_views.page_not_found
handler500 = errors_views.server_error
