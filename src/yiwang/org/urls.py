from __future__ import annotations

from django.urls import path

from yiwang.org import views

app_name = "org"
urlpatterns = [
    path("departments/", views.department_list, name="departments"),
    path("halls/", views.hall_list, name="halls"),
]
