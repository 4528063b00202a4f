import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.core.management.base import BaseCommand, CommandError

from listings.demo import DEMO_TOTP_SECRET, STAFF_EMAIL


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo staff account (demo data only)."

    def handle(self, *args, **options) -> None:
        authenticator = Authenticator.objects.filter(user__email=STAFF_EMAIL, type=Authenticator.Type.TOTP).first()
        if authenticator is None or decrypt(authenticator.data["secret"]) != DEMO_TOTP_SECRET:
            raise CommandError("The demo staff account with the demo authenticator is not there (run load_demo).")
        counter = int(time.time()) // 30
        self.stdout.write(format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter)))
