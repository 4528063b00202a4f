from django.urls import path

from alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.saved_list, name="list"),
    path("save/", views.save, name="save"),
    path("<int:pk>/", views.results, name="results"),
    path("<int:pk>/settings/", views.update, name="update"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("unsubscribe-digest/<str:token>/", views.unsubscribe_digest, name="unsubscribe_digest"),
]
