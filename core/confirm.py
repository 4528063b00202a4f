"""One way to confirm an irreversible step, without JavaScript: the form posts without `confirm`,
the view answers with a small page naming the item and what will happen, a 「はい、…」 button
that posts the same form again with `confirm=1`, and a 「やめる」 link back. The words of each step
live in one table (listings.confirmations), so a step reads the same wherever it is offered."""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise


@dataclass(frozen=True)
class Confirmation:
    question: str | Promise  # 「…しますか？」
    consequence: str | Promise  # what happens, and that it cannot be undone
    button: str | Promise  # 「はい、…」
    danger: bool = True  # the button in the danger colour


def is_confirmed(request: HttpRequest) -> bool:
    return request.method == "POST" and request.POST.get("confirm") == "1"


def confirmation_page(request: HttpRequest, confirmation: Confirmation, *, subject: str, cancel_url: str) -> HttpResponse:
    """The question for `subject` (the item's title, a search's name...). The fields of the first
    post go with the second, so a step that takes a value keeps it."""
    fields = [(name, value) for name, value in request.POST.items() if name not in ("csrfmiddlewaretoken", "confirm")]
    return render(
        request,
        "components/confirm.html",
        {"confirmation": confirmation, "subject": subject, "cancel_url": cancel_url, "action": request.path, "fields": fields},
    )
