from django.contrib import admin

from moderation.models import NGWord


@admin.register(NGWord)
class NGWordAdmin(admin.ModelAdmin):
    list_display = ["word", "created_by", "created_at"]
    readonly_fields = ["created_by"]
