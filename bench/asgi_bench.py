"""The site's ASGI application plus a bare websocket echo at /ws/echo/, the floor for
bench/ws_delivery.py. Not used by the site itself."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402

from config.asgi import application as site  # noqa: E402


class Echo(AsyncWebsocketConsumer):
    async def receive(self, text_data=None, bytes_data=None):
        await self.send(text_data=text_data)


echo = Echo.as_asgi()


async def application(scope, receive, send):
    if scope["type"] == "websocket" and scope["path"] == "/ws/echo/":
        return await echo(scope, receive, send)
    return await site(scope, receive, send)
