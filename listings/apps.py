from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in

from accounts.signals import account_data_requested, account_deleting, account_files_requested


class ListingsConfig(AppConfig):
    name = "listings"
    verbose_name = "Listings"

    def ready(self) -> None:
        from listings import receivers  # in ready(): receivers import models, which load after every apps.py

        account_deleting.connect(receivers.withdraw_listings_of_deleted_account, dispatch_uid="listings_withdraw_on_delete")
        account_data_requested.connect(receivers.export_listings, dispatch_uid="listings_export")
        account_data_requested.connect(receivers.export_not_interested, dispatch_uid="listings_export_not_interested")
        account_files_requested.connect(receivers.export_photo_files, dispatch_uid="listings_export_photos")
        user_logged_in.connect(receivers.claim_visitor_uploads, dispatch_uid="listings_claim_visitor_uploads")
        from core import pagecache
        from listings.models import Category, Listing, NotInterested, Photo

        # Cached pages and counts show them (a resident's "not interested" changes their counts).
        pagecache.connect(Listing, Photo, Category, NotInterested)
