from django.urls import path

from community import staff_views

app_name = "community_staff"

urlpatterns = [
    path("", staff_views.queue, name="queue"),
    path("posts/<int:pk>/hide/", staff_views.post_moderate, {"action": "hide"}, name="post_hide"),
    path("posts/<int:pk>/restore/", staff_views.post_moderate, {"action": "restore"}, name="post_restore"),
    path("posts/<int:pk>/approve/", staff_views.post_moderate, {"action": "approve"}, name="post_approve"),
    path("posts/<int:pk>/reveal/", staff_views.reveal_request_create, name="reveal_request"),
    path("reports/<int:pk>/dismiss/", staff_views.report_dismiss, name="report_dismiss"),
    path("threads/<int:pk>/answer/", staff_views.official_answer, name="official_answer"),
    path("reveals/", staff_views.reveal_list, name="reveal_list"),
    path("reveals/<int:pk>/", staff_views.reveal_decide, name="reveal_decide"),
    path("reveals/<int:pk>/show/", staff_views.reveal_show, name="reveal_show"),
    path("ng-words/", staff_views.ng_words, name="ng_words"),
    path("ng-words/<int:pk>/delete/", staff_views.ng_word_delete, name="ng_word_delete"),
    path("facilities/import/", staff_views.facility_import, name="facility_import"),
]
