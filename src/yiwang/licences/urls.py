from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from yiwang.licences.views import public, wallet

app_name = "licences"

urlpatterns: list[URLPattern | URLResolver] = [
    path("verify/", public.verify_form, name="verify"),
    path("verify/<str:identifier>/", public.verify_result, name="verify_result"),
    path("wallet/", wallet.wallet, name="wallet"),
    path("wallet/<int:licence_id>/", wallet.licence_detail, name="licence"),
    path("wallet/<int:licence_id>/pdf/", wallet.licence_pdf_download, name="licence_pdf"),
]
