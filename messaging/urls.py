from django.urls import path

from messaging import views

app_name = "messaging"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.conversation, name="conversation"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/<slug:action>/", views.act, name="act"),
    path("request/<int:listing_pk>/", views.start, name="start"),
    path("listing/<int:listing_pk>/", views.listing_requests, name="requests"),
    path("listing/<int:listing_pk>/lottery/", views.lottery, name="lottery"),
    path("listing/<int:listing_pk>/lottery/cancel/", views.lottery_cancel, name="lottery_cancel"),
    path("message/<int:message_pk>/report/", views.report, name="report"),
    path("people/<str:public_id>/", views.profile, name="profile"),
]
