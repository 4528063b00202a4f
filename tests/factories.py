"""Test data builders: real rows through the real services, real image bytes made here."""

import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import STAFF_GROUP, PostalCode, User
from accounts.services import account_create
from listings.models import Category, Listing
from listings.photos import process_photo
from listings.services import ListingData, listing_create

_counter = itertools.count(1)


STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"


def make_user(*, email: str | None = None, name: str = "テスト住民", postal_code: str = "1040061",
              verified: bool = True, password: str = "correct-horse-battery", is_staff: bool = False, **extra) -> User:
    """A resident; with is_staff=True, a member of the staff role with TOTP set up (STAFF_TOTP_SECRET)."""
    email = email or f"resident{next(_counter)}@example.com"
    user = account_create(email=email, password=password, display_name=name, postal_code=postal_code, verified=verified, **extra)
    if is_staff:
        from allauth.mfa.totp.internal.auth import TOTP
        from django.contrib.auth.models import Group

        user.groups.add(Group.objects.get(name=STAFF_GROUP))
        TOTP.activate(user, STAFF_TOTP_SECRET)
    return user


def jpeg_bytes(size: tuple[int, int] = (800, 600), colour: tuple[int, int, int] = (200, 80, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def upload(name: str = "photo.jpg", content: bytes | None = None, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes() if content is None else content, content_type=content_type)


def listing_data(**overrides) -> ListingData:
    values = {
        "kind": Listing.Kind.OFFER,
        "title": "木製の本棚",
        "description": "引っ越しのため譲ります。",
        "category": Category.objects.get(slug="furniture"),
        "condition": Listing.Condition.GOOD,
        "price": 0,
        "town": PostalCode.objects.get(code="1040061").town,
    }
    values.update(overrides)
    return ListingData(**values)


def make_listing(owner: User, *, photos: int = 0, publish: bool = True, **overrides) -> Listing:
    processed = [process_photo(io.BytesIO(jpeg_bytes(colour=(i * 40 % 255, 90, 120)))) for i in range(photos)]
    return listing_create(owner=owner, data=listing_data(**overrides), photos=processed, publish=publish, check_rate=False)


def login_staff(client, user: User) -> None:
    """Log a staff member in as if they had passed the TOTP step (allauth's session record)."""
    import time

    client.force_login(user)
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "email": user.email},
        {"method": "mfa", "at": time.time(), "type": "totp"},
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
