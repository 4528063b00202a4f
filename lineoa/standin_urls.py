"""The Messaging API stand-in inside a development site (config/urls.py mounts it only when DEBUG)."""

import io

from django.http import HttpRequest, HttpResponse
from django.urls import re_path
from django.views.decorators.csrf import csrf_exempt

from lineoa.standin import DEV


@csrf_exempt
def stand_in(request: HttpRequest, rest: str) -> HttpResponse:
    environ = dict(request.META, PATH_INFO="/" + rest, CONTENT_LENGTH=str(len(request.body)))
    environ["wsgi.input"] = io.BytesIO(request.body)
    started = {}
    body = b"".join(DEV(environ, lambda status, headers: started.update(status=status, headers=headers)))
    response = HttpResponse(body, status=int(started["status"].split()[0]))
    for name, value in started["headers"]:
        response[name] = value
    return response


urlpatterns = [re_path(r"^(?P<rest>.*)$", stand_in)]
