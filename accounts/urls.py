from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("notifications/", views.notifications, name="notifications"),
    path("export/", views.export, name="export"),
    path("data/", views.data, name="data"),
    path("data/archive.zip", views.export_archive, name="export_zip"),
    path("delete/", views.delete, name="delete"),
    path("terms/", views.terms, name="terms"),
    path("suspended/", views.suspended, name="suspended"),
]
