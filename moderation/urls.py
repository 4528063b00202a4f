from django.urls import path

from moderation import assisted_views, impact_views, report_views, views

app_name = "moderation"

urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export.csv", views.audit_log_csv, name="audit_log_csv"),
    path("listings/", views.listing_queue, name="listing_queue"),
    path("listings/approve/", views.listing_approve_bulk, name="listing_approve_bulk"),
    path("listings/<int:pk>/approve/", views.listing_approve, name="listing_approve"),
    path("listings/<int:pk>/reject/", views.listing_reject, name="listing_reject"),
    path("listings/<int:pk>/unhide/", report_views.listing_unhide, name="listing_unhide"),
    path("reports/", report_views.report_queue, name="report_queue"),
    path("reports/<str:kind>/<int:pk>/", report_views.report_detail, name="report_detail"),
    path("reports/<str:kind>/<int:pk>/<str:action>/", report_views.report_act, name="report_act"),
    path("reported-conversations/<int:report_pk>/", report_views.reported_conversation, name="reported_conversation"),
    path("accounts/<int:pk>/", report_views.account, name="account"),
    path("accounts/<int:pk>/suspend/", report_views.account_act, {"action": "suspend"}, name="account_suspend"),
    path("accounts/<int:pk>/restore/", report_views.account_act, {"action": "restore"}, name="account_restore"),
    path("accounts/<int:pk>/warn/", report_views.account_act, {"action": "warn"}, name="account_warn"),
    path("print/", views.print_board, name="print_board"),
    path("assisted/", assisted_views.assisted_inbox, name="assisted_inbox"),
    path("assisted/new/", assisted_views.assisted_new, name="assisted_new"),
    path("assisted/<int:pk>/", assisted_views.assisted_detail, name="assisted_detail"),
    path("assisted/<int:pk>/receipt/", assisted_views.assisted_receipt, name="assisted_receipt"),
    path("assisted/<int:pk>/release/", assisted_views.assisted_act, {"action": "release"}, name="assisted_release"),
    path("assisted/<int:pk>/hand-over/", assisted_views.assisted_act, {"action": "hand_over"}, name="assisted_hand_over"),
    path("assisted/<int:pk>/edit/", assisted_views.assisted_edit, name="assisted_edit"),
    path("assisted/<int:pk>/withdraw/", assisted_views.assisted_act, {"action": "withdraw"}, name="assisted_withdraw"),
    path("assisted/<int:pk>/note/", assisted_views.assisted_act, {"action": "note"}, name="assisted_note"),
    path("assisted/<int:pk>/requests/<int:conversation_pk>/message/", assisted_views.assisted_act, {"action": "message"}, name="assisted_message"),
    path("assisted/<int:pk>/requests/<int:conversation_pk>/reserve/", assisted_views.assisted_act, {"action": "reserve"}, name="assisted_reserve"),
    path("impact/", impact_views.dashboard, name="impact"),
    path("impact/settings/", impact_views.settings_page, name="impact_settings"),
    path("impact/export.csv", impact_views.export_csv, name="impact_csv"),
    path("rules/", views.rules, name="rules"),
    path("categories/", views.categories, name="categories"),
    path("reasons/", views.reason_templates, name="reason_templates"),
    path("reasons/<int:pk>/edit/", views.reason_template_edit, name="reason_template_edit"),
    path("reasons/<int:pk>/delete/", views.reason_template_delete, name="reason_template_delete"),
]
