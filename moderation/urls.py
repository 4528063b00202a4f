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
    path("rules/", views.rules, name="rules"),
    path("reasons/", views.reason_templates, name="reason_templates"),
    path("reasons/<int:pk>/delete/", views.reason_template_delete, name="reason_template_delete"),
]
