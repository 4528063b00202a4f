from django.contrib import admin
from django.utils import timezone

from listings.models import PUBLIC_FIELDS, Category, Listing, Photo


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name_ja", "name_en", "slug", "position", "is_active"]
    list_editable = ["position", "is_active"]


class PhotoInline(admin.TabularInline):
    model = Photo
    extra = 0
    fields = ["image", "position"]
    readonly_fields = ["image"]


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "category", "town", "price", "published_at"]
    list_filter = ["status", "kind", "category"]
    search_fields = ["title"]
    raw_id_fields = ["owner"]
    inlines = [PhotoInline]

    def save_related(self, request, form, formsets, change) -> None:
        """A superuser's change to something public moves updated_at, as listings.services does."""
        super().save_related(request, form, formsets, change)
        if set(PUBLIC_FIELDS) & set(form.changed_data) or any(formset.has_changed() for formset in formsets):
            Listing.objects.filter(pk=form.instance.pk).update(updated_at=timezone.now())
