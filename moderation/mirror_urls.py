"""Staff pages for the mirror (webhooks, the widget builder), included at /staff/mirror/."""

from django.urls import path

from moderation import webhook_views, widget_views

app_name = "mirror_staff"

urlpatterns = [
    path("webhooks/", webhook_views.endpoint_list, name="endpoint_list"),
    path("webhooks/new/", webhook_views.endpoint_create, name="endpoint_create"),
    path("webhooks/<int:pk>/", webhook_views.endpoint_edit, name="endpoint_edit"),
    path("webhooks/<int:pk>/rotate-secret/", webhook_views.endpoint_rotate_secret, name="endpoint_rotate_secret"),
    path("webhooks/<int:pk>/delete/", webhook_views.endpoint_delete, name="endpoint_delete"),
    path("webhooks/<int:pk>/deliveries/", webhook_views.delivery_list, name="delivery_list"),
    path("deliveries/<int:pk>/redeliver/", webhook_views.delivery_redeliver, name="delivery_redeliver"),
    path("embed/", widget_views.embed_builder, name="embed_builder"),
]
