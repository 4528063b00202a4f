"""The site's URLs plus a trivial view: the framework's floor for bench/browse_scale.py."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def trivial(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/trivial", trivial), *site_urlpatterns]
