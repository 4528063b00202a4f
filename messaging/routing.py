"""Websocket routes (conversations arrive with the messaging issue)."""

websocket_urlpatterns: list = []
