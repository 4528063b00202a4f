from django.urls import path

from mirror import feeds, views

app_name = "mirror"

urlpatterns = [
    path("feeds/listings.atom", feeds.ListingsFeed(), name="feed"),
    path("feeds/consultations.atom", feeds.ConsultationsFeed(), name="consultations_feed"),
    path("embed/listings", views.embed, name="embed"),
]
