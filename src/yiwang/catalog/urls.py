from __future__ import annotations

from django.urls import path

from yiwang.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.home, name="home"),
    path("items/", views.item_list, name="items"),
    path("items/<int:item_id>/", views.guide, name="guide"),
    path("items/<int:item_id>/history/", views.history, name="history"),
    path(
        "materials/<int:material_id>/form/",
        views.material_file,
        {"kind": "form"},
        name="material_form",
    ),
    path(
        "materials/<int:material_id>/sample/",
        views.material_file,
        {"kind": "sample"},
        name="material_sample",
    ),
    path("search/", views.search, name="search"),
    path("suggest/", views.suggestions, name="suggest"),
    path("themes/<str:code>/", views.theme, name="theme"),  # codes have dots: life.birth
    path("bundles/", views.bundles, name="bundles"),
    path("licences/", views.licence_catalogue, name="licences"),
    path("bundles/<int:bundle_id>/", views.bundle, name="bundle"),
]
