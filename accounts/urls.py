from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("notifications/", views.notifications, name="notifications"),
    path("export/", views.export, name="export"),
    path("delete/", views.delete, name="delete"),
    path("terms/", views.terms, name="terms"),
]
