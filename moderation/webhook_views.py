"""Staff pages for webhooks: endpoints (list, add, edit, rotate secret, delete), delivery log, redeliver.

Plain forms that work without JavaScript; every write goes through mirror.webhooks.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import staff_required
from core.forms import add_errors, flash_errors
from mirror import webhooks
from mirror.forms import EndpointForm
from mirror.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

DELIVERIES_PER_PAGE = 25


@staff_required
def endpoint_list(request: HttpRequest) -> HttpResponse:
    endpoints = WebhookEndpoint.objects.annotate(
        failing=Count("deliveries", filter=Q(deliveries__status__in=[WebhookDelivery.Status.FAILED, WebhookDelivery.Status.GAVE_UP]))
    )
    return render(request, "moderation/webhooks/endpoint_list.html", {"endpoints": endpoints})


@staff_required
def endpoint_create(request: HttpRequest) -> HttpResponse:
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = webhooks.webhook_endpoint_create(**form.cleaned_data, actor=request.user)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Endpoint added. Give the ward its signing secret below."))
            return redirect("mirror_staff:endpoint_edit", pk=endpoint.pk)
    return render(request, "moderation/webhooks/endpoint_form.html", {"form": form, "endpoint": None})


@staff_required
def endpoint_edit(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    form = EndpointForm.for_endpoint(endpoint, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            webhooks.webhook_endpoint_update(endpoint=endpoint, **form.cleaned_data, actor=request.user)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Endpoint saved."))
            return redirect("mirror_staff:endpoint_list")
    return render(request, "moderation/webhooks/endpoint_form.html", {"form": form, "endpoint": endpoint})


@staff_required
@require_POST
def endpoint_rotate_secret(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    webhooks.webhook_endpoint_rotate_secret(endpoint=endpoint, actor=request.user)
    messages.success(request, _("New signing secret made. Give it to the ward: the old one no longer verifies."))
    return redirect("mirror_staff:endpoint_edit", pk=endpoint.pk)


@staff_required
def endpoint_delete(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    if request.method == "POST":
        webhooks.webhook_endpoint_delete(endpoint=endpoint, actor=request.user)
        messages.success(request, _("Endpoint deleted."))
        return redirect("mirror_staff:endpoint_list")
    return render(request, "moderation/webhooks/endpoint_confirm_delete.html", {"endpoint": endpoint})


@staff_required
def delivery_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The delivery log of one endpoint, newest first, each delivery with all its attempts."""
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    deliveries = (
        endpoint.deliveries.select_related("event")
        .prefetch_related(Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("started_at", "pk")))
        .order_by("-created_at", "-pk")
    )
    page = Paginator(deliveries, DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "moderation/webhooks/delivery_list.html", {"endpoint": endpoint, "page": page})


@staff_required
@require_POST
def delivery_redeliver(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(WebhookDelivery, pk=pk)
    try:
        webhooks.webhook_delivery_redeliver(delivery=delivery)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The event will be sent again in a moment."))
    return redirect("mirror_staff:delivery_list", pk=delivery.endpoint_id)
