"""Every write about saved searches and alerts: save, change, match new listings, send, digest."""

from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, ngettext, override
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from core.ratelimit import Limit, rate_limit
from alerts.models import Alert, SavedSearch
from alerts.notify import Notice, Section, notify
from alerts.selectors import (
    DIGEST_UNSUBSCRIBE_SALT,
    UNSUBSCRIBE_SALT,
    digest_owner_for_token,
    digest_searches,
    saved_search_for_token,
)
from alerts.tasks import send_digests
from listings import search
from listings.cards import listing_card
from listings.models import PUBLIC_STATUSES, Listing, NotInterested
from notifications.models import Preference


# --- Saved searches ----------------------------------------------------------------------------


def saved_search_create(*, user: User, q: str = "", kind: str = "", category=None, town=None, free: bool = False,
                        frequency: str = SavedSearch.Frequency.DAILY) -> SavedSearch:
    """Save the current search (one click on the browse page)."""
    if SavedSearch.objects.filter(user=user).count() >= settings.ALERTS_MAX_SAVED_SEARCHES:
        raise ValidationError(
            _("You can save at most %(n)s searches. Delete one first.") % {"n": settings.ALERTS_MAX_SAVED_SEARCHES}
        )
    saved = SavedSearch(user=user, q=(q or "").strip()[:100], kind=kind or "", category=category, town=town,
                        free=bool(free), frequency=frequency)
    saved.terms = search.terms(saved.q)
    saved.key_gram = search.key_gram(saved.terms)
    saved.full_clean(exclude=["user", "terms"])
    same_filters = SavedSearch.objects.filter(
        user=user, kind=saved.kind, category=category, town=town, free=saved.free
    )
    # ｲｽ and イス, or "木製 本棚" and "本棚 木製", are the same search: it would alert twice.
    if any(set(other.terms) == set(saved.terms) for other in same_filters.only("terms")):
        raise ValidationError(_("This search is already saved."), code="duplicate")
    # Deleting and saving again would get round the cap above; this limits the churn.
    limit = settings.ALERTS_SAVED_SEARCHES_PER_HOUR
    message = _("You can save at most %(n)s searches an hour.") % {"n": limit}
    rate_limit(user.pk, Limit("saved_search_create", limit, timedelta(hours=1), message))
    saved.save()
    return saved


def saved_searches_normalise(*, batch: int = 2000) -> int:
    """Recompute every saved search's terms and key gram from its keywords, as saving does (after
    a change to listings.search's normalisation). Returns how many saved searches were read."""
    count = 0
    ids = list(SavedSearch.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        rows = list(SavedSearch.objects.filter(pk__in=ids[start : start + batch]).only("pk", "q"))
        for saved in rows:
            saved.terms = search.terms(saved.q)
            saved.key_gram = search.key_gram(saved.terms)
        SavedSearch.objects.bulk_update(rows, ["terms", "key_gram"])
        count += len(rows)
    return count


def saved_search_update(*, saved: SavedSearch, frequency: str, is_active: bool) -> SavedSearch:
    """Change how often (and whether) a saved search alerts; where to is on the resident's
    notification settings page."""
    saved.frequency = frequency
    saved.is_active = is_active
    saved.full_clean(exclude=["user", "terms"])
    saved.save(update_fields=["frequency", "is_active"])
    return saved


def saved_search_delete(*, saved: SavedSearch) -> None:
    saved.delete()


def saved_search_seen(*, saved: SavedSearch) -> None:
    """The resident opened the results: "new since your last visit" starts again from now."""
    SavedSearch.objects.filter(pk=saved.pk).update(last_seen_at=timezone.now())
    Alert.objects.filter(saved_search=saved, sent_at__isnull=True, saved_search__frequency=SavedSearch.Frequency.BADGE).update(
        sent_at=timezone.now()
    )


def unsubscribe_token(saved: SavedSearch) -> str:
    return signing.dumps(saved.pk, salt=UNSUBSCRIBE_SALT)


def digest_unsubscribe_token(*, user: User) -> str:
    """A signed link that stops every saved search feeding the resident's digest."""
    return signing.dumps(user.pk, salt=DIGEST_UNSUBSCRIBE_SALT)


def digest_unsubscribe(*, token: str) -> tuple[User, list[SavedSearch]] | None:
    """Stop every saved search that feeds the digest a signed link names (no login needed):
    the resident and the searches stopped; None for a bad or unknown token."""
    user = digest_owner_for_token(token)
    if user is None:
        return None
    stopped = list(digest_searches(user=user))
    SavedSearch.objects.filter(pk__in=[saved.pk for saved in stopped]).update(is_active=False)
    return user, stopped


def unsubscribe(*, token: str) -> SavedSearch | None:
    """Stop the alert a signed link names (no login needed); None for a bad or unknown token."""
    saved = saved_search_for_token(token)
    if saved is not None and saved.is_active:
        saved.is_active = False
        saved.save(update_fields=["is_active"])
    return saved


# --- Sending -----------------------------------------------------------------------------------


def instant_send(*, saved_search_id: int, now=None) -> bool:
    """Send pending alerts of an instant search at once, unless one went out in the last hour
    (then they wait for the next digest). Returns whether a notice was sent."""
    now = now or timezone.now()
    with transaction.atomic():
        saved = SavedSearch.objects.select_for_update().select_related("user").filter(pk=saved_search_id, is_active=True).first()
        if saved is None:
            return False
        limit = timedelta(minutes=settings.ALERTS_INSTANT_MIN_INTERVAL_MINUTES)
        if saved.last_instant_at and now - saved.last_instant_at < limit:
            return False  # no alert fatigue: the rest go into the next digest
        hidden = NotInterested.objects.filter(user_id=saved.user_id).values("listing")
        pending = list(
            saved.alerts.filter(sent_at__isnull=True).exclude(listing__in=hidden).select_related("listing", "listing__town")
        )
        if not pending:
            return False
        saved.last_instant_at = now
        saved.save(update_fields=["last_instant_at"])
        Alert.objects.filter(pk__in=[a.pk for a in pending]).update(sent_at=now)
        transaction.on_commit(lambda: _notify(saved, [a.listing for a in pending]))
    return True


def digests_send(*, now=None) -> int:
    """Send every resident one digest of their pending daily and instant alerts, grouped by saved
    search, on the channels they chose for saved-search alerts; returns how many were sent.

    Daily searches show at most the resident's daily cap of new items in all (Preference's
    alerts_daily_cap), each section saying how many more its link shows; what instant searches
    held back past the hour is shown whole. The reads are three queries whatever the number of
    residents and searches (the pending alerts with what the digest shows, the "not interested"
    marks and the caps of their residents); each digest then costs one update and its sending.
    """
    now = now or timezone.now()
    pending = list(
        Alert.objects.filter(sent_at__isnull=True, saved_search__is_active=True)
        .exclude(saved_search__frequency=SavedSearch.Frequency.BADGE)
        .select_related(
            "saved_search", "saved_search__user", "saved_search__category", "saved_search__town",
            "listing", "listing__town",
        )
        .order_by("saved_search__user_id", "saved_search__created_at", "saved_search_id", "created_at")
    )
    users = {a.saved_search.user_id for a in pending}
    hidden = set(NotInterested.objects.filter(user_id__in=users).values_list("user_id", "listing_id"))
    caps = dict(Preference.objects.filter(user_id__in=users).values_list("user_id", "alerts_daily_cap"))
    # One digest per resident: a resident with five daily searches gets one email.
    digests: dict[int, dict[int, list[Alert]]] = {}
    for alert in pending:
        digests.setdefault(alert.saved_search.user_id, {}).setdefault(alert.saved_search_id, []).append(alert)
    sent = 0
    for user_id, by_search in digests.items():
        room = caps.get(user_id, settings.NOTICES["ALERTS_DAILY_CAP"])
        sections = []
        for alerts in by_search.values():
            saved = alerts[0].saved_search
            listings = [
                a.listing for a in alerts
                if a.listing.status in PUBLIC_STATUSES and (user_id, a.listing_id) not in hidden
            ]
            if not listings:
                continue
            shown = listings
            if saved.frequency == SavedSearch.Frequency.DAILY:
                shown = listings[: max(room, 0)]
                room -= len(shown)
            sections.append(DigestSection(saved, shown, more=len(listings) - len(shown)))
        with transaction.atomic():  # an error leaves these alerts pending; the email goes out on commit, with retries
            sent_alerts = [a.pk for alerts in by_search.values() for a in alerts]
            Alert.objects.filter(pk__in=sent_alerts).update(sent_at=now)
            if sections:
                _notify_digest(user=sections[0].saved.user, sections=sections, key=f"alert-digest:{user_id}:{min(sent_alerts)}")
                sent += 1
    return sent


@dataclass(frozen=True)
class DigestSection:
    """A saved search's part of a digest: the new items it shows, and how many more its link shows."""

    saved: SavedSearch
    listings: list[Listing]
    more: int = 0


def _results_url(saved: SavedSearch) -> str:
    return settings.SITE_URL + reverse("alerts:results", args=[saved.pk])


def _unsubscribe_url(saved: SavedSearch) -> str:
    return settings.SITE_URL + reverse("alerts:unsubscribe", args=[unsubscribe_token(saved)])


def _notify(saved: SavedSearch, listings: list[Listing]) -> None:
    """The instant notice of one saved search."""
    context = {
        "saved": saved,
        "listings": listings,
        "site": settings.SITE_URL,
        "url": _results_url(saved),
        "unsubscribe_url": _unsubscribe_url(saved),
    }
    # notify() adds its own words (the unsubscribe line): it must run in the same language.
    with override("ja"):
        subject = render_to_string("alerts/email/subject.txt", context).strip()
        body = render_to_string("alerts/email/body.txt", context)
        notify(
            user=saved.user,
            notice=Notice(
                subject=subject, body=body, url=context["url"], unsubscribe_url=context["unsubscribe_url"],
                cards=tuple(listing_card(listing) for listing in listings[:10]),  # LINE's carousel; the link shows all
            ),
            key=f"alert:{saved.pk}:{listings[0].pk}", summary=_summary(len(listings)), path=reverse("alerts:results", args=[saved.pk]),
        )


def _notify_digest(*, user: User, sections: list[DigestSection], key: str) -> None:
    """One digest: a section per saved search, headed by its name, with its own stop link."""
    site = settings.SITE_URL
    context = {
        "sections": [
            {"saved": section.saved, "listings": section.listings, "more": section.more,
             "url": _results_url(section.saved), "unsubscribe_url": _unsubscribe_url(section.saved)}
            for section in sections
        ],
        "total": sum(len(section.listings) + section.more for section in sections),
        "site": site,
    }
    # The message's own stop link (the List-Unsubscribe header, one click in the mail client)
    # stops every search that feeds this digest, not one of them: the resident asked to stop
    # *this email*, and stopping only the first search would leave the email coming with the
    # others, so the client's "unsubscribe" would seem broken. It is a signed link rather than
    # the settings page because RFC 8058 one-click is a POST from the mail client, without login.
    # Each section keeps its own link to stop just that search.
    unsubscribe_url = site + reverse("alerts:unsubscribe_digest", args=[digest_unsubscribe_token(user=user)])
    with override("ja"):
        subject = render_to_string("alerts/email/digest_subject.txt", context).strip()
        body = render_to_string("alerts/email/digest_body.txt", context)
        # LINE splits a long digest into several messages, each search's section whole; one
        # that still does not fit shows its first items and "and N more" (alerts.notify).
        parts = tuple(
            Section(count=len(section["listings"]), render=partial(_digest_section, section, site))
            for section in context["sections"]
        )
        notify(
            user=user,
            notice=Notice(subject=subject, body=body, url=site + reverse("alerts:list"), unsubscribe_url=unsubscribe_url, sections=parts),
            key=key, summary=_summary(context["total"]), path=reverse("alerts:list"),
        )


def _summary(count: int) -> str:
    """What a push notification says of an alert."""
    return ngettext("%(count)s new item matches your saved search.", "%(count)s new items match your saved searches.", count) % {"count": count}


def _digest_section(section: dict, site: str, shown: int) -> str:
    """One search's part of a digest, showing its first `shown` items, as the email shows it."""
    listings = section["listings"]
    return render_to_string(
        "alerts/email/digest_section.txt",
        {**section, "listings": listings[:shown], "more": section["more"] + len(listings) - shown, "site": site},
    )


# --- The daily digest's schedule ---------------------------------------------------------------


def next_digest_time(now=None):
    """The next ALERTS_DIGEST_HOUR o'clock in the ward's time zone."""
    now = timezone.localtime(now or timezone.now())
    run = now.replace(hour=settings.ALERTS_DIGEST_HOUR, minute=0, second=0, microsecond=0)
    return run if run > now else run + timedelta(days=1)


def digests_schedule() -> bool:
    """Queue the daily digest task once (the worker runs it at the digest hour and each run queues
    the next). Returns False when it is already queued or the task backend cannot defer."""
    if not send_digests.get_backend().supports_defer:
        return False
    if DBTaskResult.objects.filter(task_path=send_digests.module_path, status="READY").exists():
        return False
    send_digests.using(run_after=next_digest_time()).enqueue()
    return True
