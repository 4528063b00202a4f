"""After a new version of the terms of use, a signed-in resident accepts it before the next page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from accounts.selectors import must_accept_terms

# What a resident may open without accepting: the documents and the acceptance page, and the ways
# to leave instead (sign out, download their data, delete the account).
OPEN_VIEWS = {
    "terms", "privacy", "accounts:terms", "accounts:suspended", "accounts:export", "accounts:data", "accounts:export_zip", "accounts:delete", "account_logout", "set_language", "healthz",
}


class TermsMiddleware:
    """Send a resident who has not accepted settings.TERMS_VERSION to the acceptance page."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        # Only a page a browser opens: a form already filled in (POST), a script's fetch or a feed
        # reader is never turned away, so nothing typed is lost; the next page asks.
        if request.method != "GET" or "text/html" not in request.headers.get("Accept", ""):
            return None
        match = request.resolver_match
        if match is None or match.view_name in OPEN_VIEWS or not must_accept_terms(request.user):
            return None
        return redirect(f"{reverse('accounts:terms')}?{urlencode({'next': request.get_full_path()})}")
