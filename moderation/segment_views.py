"""The staff page of segment messages on LINE: write, preview with the number of recipients, send;
the messages sent before with their status. A plain form that works without JavaScript."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.decorators import staff_required
from core.forms import add_errors
from moderation.forms import LineSegmentForm
from moderation.line_segments import line_segment_send, segment_messages_recent
from notifications.segments import segment_audience
from notifications.selectors import line_configured


@staff_required
def line_segments(request: HttpRequest) -> HttpResponse:
    """POST "preview" shows the message as LINE will and counts the recipients; "send" sends it when
    the count is still the one the preview showed, else shows the preview again."""
    form = LineSegmentForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        towns, categories = list(data["towns"]), list(data["categories"])
        count = len(segment_audience(town_ids=[town.pk for town in towns], category_ids=[category.pk for category in categories]))
        if request.POST.get("action") == "send" and data["expected"] == count:
            try:
                message = line_segment_send(actor=request.user, text=data["text"], towns=towns, categories=categories)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The message is being sent to %(count)s residents.") % {"count": message.recipients})
                return redirect("moderation:line_segments")
        elif request.POST.get("action") == "send":
            messages.warning(request, _("The number of recipients has changed since the preview. Check it, then send again."))
        preview = {"text": data["text"], "count": count, "towns": towns, "categories": categories}
        form = LineSegmentForm(initial={**data, "expected": count}) if not form.errors else form
    return render(request, "moderation/line_segments.html", {
        "form": form,
        "preview": preview,
        "line_configured": line_configured(),
        "sent": segment_messages_recent(),
    })
