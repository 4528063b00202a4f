from django.apps import AppConfig

from accounts.signals import account_data_requested
from listings.signals import listing_transitioned


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = "Messaging"

    def ready(self) -> None:
        from messaging import receivers  # in ready(): receivers import models, which load after every apps.py

        listing_transitioned.connect(receivers.close_handover_on_listing_change, dispatch_uid="messaging_listing_changed")
        listing_transitioned.connect(receivers.draw_due_lottery, dispatch_uid="messaging_draw_due_lottery")
        account_data_requested.connect(receivers.export_messaging, dispatch_uid="messaging_export")
        from core import pagecache
        from messaging.models import Lottery, Reservation, Thanks
        from messaging.selectors import unread_count

        # Residents' cached pages (core/pagecache.py): the header's unread badge, a listing page's
        # handover record, and a listing's lottery, which visitors see too.
        pagecache.resident_state(unread_count)
        pagecache.connect_residents(Reservation, lambda reservation: (reservation.requester_id, reservation.listing.owner_id))
        pagecache.connect_residents(Thanks, lambda thanks: (thanks.sender_id, thanks.receiver_id))
        pagecache.connect(Lottery)
