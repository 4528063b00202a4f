"""The site's URLs plus a trivial view: the framework's floor for bench/browse_scale.py and
bench/pages_vs_floor.py, and the same view asking who is signed in (what any page for a signed-in
resident costs first: the session and the account)."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def trivial(request):
    return HttpResponse("ok")


def trivial_user(request):
    return HttpResponse("ok" if request.user.is_authenticated else "visitor")


urlpatterns = [path("bench/trivial", trivial), path("bench/trivial-user", trivial_user), *site_urlpatterns]
