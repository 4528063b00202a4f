"""The LINE simulator (development only, docs/NOTIFICATIONS.md): staff play a resident's LINE app
against the Messaging API stand-in; it exists only while the LINE settings point at a stand-in in
this process (lineoa.standin.active), so never on a site that talks to LINE."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.decorators import staff_required
from accounts.models import User
from lineoa import simulator, standin

PHOTO_MAX_BYTES = 10 * 1024 * 1024
RESIDENTS_SHOWN = 50


def _sender(value: str) -> User | None:
    return User.objects.filter(pk=int(value), deleted_at__isnull=True).first() if value.isdigit() else None


@staff_required
def line_simulator(request: HttpRequest) -> HttpResponse:
    stand_in = standin.active()
    if stand_in is None:
        raise Http404
    if request.method == "POST":
        user = _sender(request.POST.get("as", ""))
        photo = request.FILES.get("photo")
        event = simulator.step(
            stand_in, user=user, action=request.POST.get("action", ""), value=request.POST.get("value", ""),
            label=request.POST.get("label", ""), photo=photo.read(PHOTO_MAX_BYTES) if photo else b"",
        )
        if event is not None:
            simulator.post_to_webhook(request.build_absolute_uri(reverse("lineoa:webhook")), event)
        return redirect(f"{reverse('moderation:line_simulator')}?as={user.pk if user else ''}")
    user = _sender(request.GET.get("as", ""))
    residents = User.objects.filter(deleted_at__isnull=True, town__isnull=False).order_by("pk")[:RESIDENTS_SHOWN]
    return render(request, "moderation/line_simulator.html", {
        "residents": residents,
        "chosen": user,
        "linked": user is not None and hasattr(user, "line_link"),
        "bubbles": simulator.bubbles(stand_in, simulator.sender_id(user)),
        "link_path": reverse("lineoa:link"),
    })
