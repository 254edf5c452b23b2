from __future__ import annotations

from django.urls import path

from yiwang.calendars import views

app_name = "calendars"
urlpatterns = [
    path("", views.year_page, name="year"),
    path("<int:year>/", views.year_page, name="year_detail"),
]
