from django.urls import path

from moderation import views

app_name = "moderation"

urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export.csv", views.audit_log_csv, name="audit_log_csv"),
    path("listings/", views.listing_queue, name="listing_queue"),
    path("listings/approve/", views.listing_approve_bulk, name="listing_approve_bulk"),
    path("listings/<int:pk>/approve/", views.listing_approve, name="listing_approve"),
    path("listings/<int:pk>/reject/", views.listing_reject, name="listing_reject"),
    path("listings/<int:pk>/unhide/", views.listing_unhide, name="listing_unhide"),
    path("reports/", views.report_queue, name="report_queue"),
    path("reports/<str:kind>/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<str:kind>/<int:pk>/<str:action>/", views.report_act, name="report_act"),
    path("reported-conversations/<int:report_pk>/", views.reported_conversation, name="reported_conversation"),
    path("accounts/<int:pk>/", views.account, name="account"),
    path("accounts/<int:pk>/suspend/", views.account_act, {"action": "suspend"}, name="account_suspend"),
    path("accounts/<int:pk>/restore/", views.account_act, {"action": "restore"}, name="account_restore"),
    path("accounts/<int:pk>/warn/", views.account_act, {"action": "warn"}, name="account_warn"),
    path("print/", views.print_board, name="print_board"),
    path("rules/", views.rules, name="rules"),
    path("reasons/", views.reason_templates, name="reason_templates"),
    path("reasons/<int:pk>/delete/", views.reason_template_delete, name="reason_template_delete"),
]
