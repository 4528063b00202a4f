from django.urls import path

from moderation import board_views

app_name = "community_staff"

urlpatterns = [
    path("", board_views.queue, name="queue"),
    path("posts/<int:pk>/hide/", board_views.post_moderate, {"action": "hide"}, name="post_hide"),
    path("posts/<int:pk>/restore/", board_views.post_moderate, {"action": "restore"}, name="post_restore"),
    path("posts/<int:pk>/approve/", board_views.post_moderate, {"action": "approve"}, name="post_approve"),
    path("posts/<int:pk>/reveal/", board_views.reveal_request_create, name="reveal_request"),
    path("reports/<int:pk>/dismiss/", board_views.report_dismiss, name="report_dismiss"),
    path("threads/<int:pk>/answer/", board_views.official_answer, name="official_answer"),
    path("reveals/", board_views.reveal_list, name="reveal_list"),
    path("reveals/<int:pk>/", board_views.reveal_decide, name="reveal_decide"),
    path("reveals/<int:pk>/show/", board_views.reveal_show, name="reveal_show"),
    path("ng-words/", board_views.ng_words, name="ng_words"),
    path("ng-words/<int:pk>/delete/", board_views.ng_word_delete, name="ng_word_delete"),
    path("facilities/import/", board_views.facility_import, name="facility_import"),
]
