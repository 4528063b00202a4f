"""Websocket routes."""

from django.urls import path

from messaging import consumers

websocket_urlpatterns = [
    path("ws/conversations/<int:pk>/", consumers.ConversationConsumer.as_asgi()),
    path("ws/notifications/", consumers.NotificationConsumer.as_asgi()),
]
