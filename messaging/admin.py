"""Superuser views of messaging data; staff get their own console with the moderation issue."""

from django.contrib import admin

from messaging.models import Block, MessageReport, Reservation


@admin.register(Reservation)
class ReservationAdmin(admin.ModelAdmin):
    list_display = ["listing", "requester", "status", "pickup_at", "created_at", "ended_at"]
    list_filter = ["status"]
    search_fields = ["requester__email", "requester__display_name"]
    raw_id_fields = ["listing", "conversation", "requester", "pickup_proposed_by"]


@admin.register(MessageReport)
class MessageReportAdmin(admin.ModelAdmin):
    list_display = ["message", "reporter", "reason", "status", "created_at"]
    list_filter = ["status", "reason"]
    raw_id_fields = ["message", "reporter"]


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["blocker", "blocked", "created_at"]
    raw_id_fields = ["blocker", "blocked"]
