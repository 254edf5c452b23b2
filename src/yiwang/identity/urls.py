from __future__ import annotations

from django.urls import path

from yiwang.identity import views

app_name = "identity"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("verify/", views.verify, name="verify"),
    path("enterprises/", views.enterprises, name="enterprises"),
    path("enterprises/act-as/", views.act_as, name="act_as"),
    path("enterprises/<int:enterprise_id>/", views.enterprise, name="enterprise"),
    path("agents/<int:authorisation_id>/revoke/", views.agent_revoke, name="agent_revoke"),
]
