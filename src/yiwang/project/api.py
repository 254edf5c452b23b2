"""The one NinjaAPI, mounted at /api/v1/. Each context contributes one Router."""

from __future__ import annotations

from ninja import NinjaAPI

from yiwang.analytics.api import router as analytics_router
from yiwang.calendars.api import router as calendars_router
from yiwang.catalog.api import router as catalog_router
from yiwang.hotline.api import router as hotline_router
from yiwang.identity.api import router as identity_router
from yiwang.licences.api import router as licences_router
from yiwang.org.api import router as org_router
from yiwang.platform.api import router as platform_router
from yiwang.project.errors import install_api_handlers

api = NinjaAPI(
    title="一网 Yiwang API",
    version="1",
    description=(
        "一网通办平台的开放接口。错误统一返回 `{code, message, errors}`，message 为中文说明。"
    ),
    urls_namespace="api",
)
install_api_handlers(api)
api.add_router("/platform", platform_router)
api.add_router("/calendar", calendars_router)
api.add_router("/org", org_router)
api.add_router("/identity", identity_router)
api.add_router("/catalog", catalog_router)
api.add_router("/licences", licences_router)
api.add_router("/hotline", hotline_router)
api.add_router("/analytics", analytics_router)
