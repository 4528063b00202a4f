from django.urls import path

from community import views

app_name = "community"

urlpatterns = [
    path("", views.board, name="board"),
    path("new/", views.thread_create, name="thread_create"),
    path("threads/<int:pk>/", views.thread, name="thread"),
    path("threads/<int:pk>/reply/", views.reply, name="reply"),
    path("posts/<int:pk>/", views.post_redirect, name="post"),
    path("posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:pk>/delete/", views.post_delete, name="post_delete"),
    path("posts/<int:pk>/helpful/", views.helpful, name="helpful"),
    path("posts/<int:pk>/report/", views.report, name="report"),
    path("facilities/", views.facility_list, name="facility_list"),
    path("facilities/<int:pk>/", views.facility_detail, name="facility"),
]
