"""Staff pages for webhooks, included at /staff/mirror/."""

from django.urls import path

from mirror import staff_views

app_name = "mirror_staff"

urlpatterns = [
    path("webhooks/", staff_views.endpoint_list, name="endpoint_list"),
    path("webhooks/new/", staff_views.endpoint_create, name="endpoint_create"),
    path("webhooks/<int:pk>/", staff_views.endpoint_edit, name="endpoint_edit"),
    path("webhooks/<int:pk>/rotate-secret/", staff_views.endpoint_rotate_secret, name="endpoint_rotate_secret"),
    path("webhooks/<int:pk>/delete/", staff_views.endpoint_delete, name="endpoint_delete"),
    path("webhooks/<int:pk>/deliveries/", staff_views.delivery_list, name="delivery_list"),
    path("deliveries/<int:pk>/redeliver/", staff_views.delivery_redeliver, name="delivery_redeliver"),
]
