from django.contrib import admin

from listings.models import Category, Listing, Photo


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
