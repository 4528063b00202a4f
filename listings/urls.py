from django.urls import path

from listings import views

app_name = "listings"

urlpatterns = [
    path("", views.browse, name="browse"),
    path("new/", views.create, name="create"),
    path("uploads/", views.upload, name="upload"),
    path("uploads/<uuid:key>/", views.upload_thumbnail, name="upload_thumbnail"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/not-interested/", views.not_interested, name="not_interested"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/<slug:action>/", views.act, name="act"),
]
