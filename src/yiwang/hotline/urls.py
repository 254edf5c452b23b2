from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from yiwang.hotline.views import citizen, dispatch, leader, operator, unit

app_name = "hotline"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", operator.staff_home, name="home"),
    # The operator's console.
    path("console/", operator.console, name="console"),
    path("console/knowledge/", operator.knowledge, name="knowledge"),
    path("console/history/", operator.history, name="history"),
    path("console/answer/", operator.answer, name="answer"),
    path("console/unregistered/", operator.unregistered, name="unregistered"),
    # The hotline centre: lists and the ticket page with its actions.
    path("dispatch/", dispatch.work_lists, name="dispatch"),
    path("tickets/<int:ticket_id>/", dispatch.ticket_page, name="ticket"),
    path("tickets/<int:ticket_id>/dispatch/", dispatch.dispatch, name="ticket_dispatch"),
    path("tickets/<int:ticket_id>/merge/", dispatch.merge, name="ticket_merge"),
    path("tickets/<int:ticket_id>/release/", dispatch.release, name="ticket_release"),
    path("tickets/<int:ticket_id>/review/", dispatch.review, name="ticket_review"),
    path("tickets/<int:ticket_id>/callback/", dispatch.callback, name="ticket_callback"),
    path("extensions/<int:request_id>/decide/", dispatch.extension_decide, name="extension_decide"),
    # Units.
    path("unit/", unit.work, name="unit"),
    path("unit/<int:assignment_id>/", unit.ticket, name="unit_ticket"),
    path("unit/<int:assignment_id>/sign/", unit.sign, name="unit_sign"),
    path("unit/<int:assignment_id>/start/", unit.start, name="unit_start"),
    path("unit/<int:assignment_id>/return/", unit.give_back, name="unit_return"),
    path("unit/<int:assignment_id>/extension/", unit.extension, name="unit_extension"),
    path("unit/<int:assignment_id>/co-report/", unit.co_report, name="unit_co_report"),
    path("unit/<int:assignment_id>/reply/", unit.reply, name="unit_reply"),
    # Citizens and enterprises.
    path("report/", citizen.report, name="report"),
    path("report/category-hint/", citizen.category_hint, name="category_hint"),
    path("mine/", citizen.mine, name="mine"),
    path("mine/<int:ticket_id>/", citizen.mine_ticket, name="mine_ticket"),
    path("mine/<int:ticket_id>/rate/", citizen.rate, name="rate"),
    path("enterprise/", citizen.enterprise, name="enterprise"),
    path("attachments/<int:attachment_id>/", citizen.attachment, name="attachment"),
    path(
        "attachments/<int:attachment_id>/original/",
        citizen.attachment,
        {"original": True},
        name="attachment_original",
    ),
    # Leaders.
    path("leader/", leader.flagged, name="leader"),
    path("leader/<int:ticket_id>/", leader.read, name="leader_ticket"),
]
