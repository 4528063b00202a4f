from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import AuditRecord
from listings.models import Category, Listing
from listings.rules import rules_current
from listings.services import listing_update
from moderation import services
from moderation.models import ReasonTemplate
from moderation.ngwords import ng_word_add
from tests.factories import listing_data, make_listing, make_user


def _rules(staff, **changes):
    rules = rules_current()
    values = {
        "price_cap": rules.price_cap, "expiry_days": rules.expiry_days, "review_all": False, "review_new_accounts_days": 0,
        "review_categories": [], "review_ng_words": False, "prohibited_items": "",
    }
    values.update(changes)
    return services.listing_rules_update(actor=staff, **values)


def test_without_rules_a_listing_is_published_at_once(alice):
    assert make_listing(alice).status == Listing.Status.PUBLISHED


def test_review_every_listing(alice, staff):
    _rules(staff, review_all=True)
    listing = make_listing(alice)
    assert listing.status == Listing.Status.PENDING
    assert Listing.objects.get(pk=listing.pk).review_reasons


def test_review_only_young_accounts(alice, staff):
    _rules(staff, review_new_accounts_days=7)
    newcomer = make_user(email="new@example.com")
    assert make_listing(newcomer).status == Listing.Status.PENDING
    type(alice).objects.filter(pk=alice.pk).update(date_joined=timezone.now() - timedelta(days=30))
    alice.refresh_from_db()
    assert make_listing(alice).status == Listing.Status.PUBLISHED


def test_review_chosen_categories_and_ng_words(alice, staff):
    _rules(staff, review_categories=[Category.objects.get(slug="appliances")], review_ng_words=True)
    ng_word_add(actor=staff, word="転売")
    assert make_listing(alice, category=Category.objects.get(slug="appliances")).status == Listing.Status.PENDING
    held = make_listing(alice, description="転売歓迎です")
    assert held.status == Listing.Status.PENDING
    assert "転売" in Listing.objects.get(pk=held.pk).review_reasons
    assert make_listing(alice).status == Listing.Status.PUBLISHED


def test_a_listing_naming_a_prohibited_item_waits_for_review_with_that_reason(alice, staff):
    _rules(staff, prohibited_items="医薬品（処方薬・市販薬）\nエアガン")
    held = make_listing(alice, title="ｴｱｶﾞﾝ 中古", description="箱なし")  # half-width katakana, like NG words
    assert held.status == Listing.Status.PENDING
    assert "エアガン" in Listing.objects.get(pk=held.pk).review_reasons
    medicine = make_listing(alice, title="風邪薬", description="未開封の市販 薬です")
    assert medicine.status == Listing.Status.PENDING
    assert "市販薬" in Listing.objects.get(pk=medicine.pk).review_reasons
    assert make_listing(alice, title="木の椅子").status == Listing.Status.PUBLISHED


def test_changing_the_rules_is_audited_with_before_and_after_and_applies_at_once(alice, staff, staff_client):
    response = staff_client.post(reverse("moderation:rules"), {
        "price_cap": 3000, "expiry_days": 30, "review_new_accounts_days": 0, "prohibited_items": "武器\n医薬品",
    })
    assert response.status_code == 302
    record = AuditRecord.objects.get(action=AuditRecord.Action.RULES_CHANGE)
    assert record.before["price_cap"] == 10_000 and record.after["price_cap"] == 3000
    with pytest.raises(ValidationError):
        make_listing(alice, price=5000)
    listing = make_listing(alice, price=3000)
    assert (listing.expires_at - listing.published_at).days == 30
    form = staff_client.get(reverse("listings:create")).content.decode()
    assert "医薬品" in form


def test_the_rules_page_refuses_nonsense(staff_client):
    response = staff_client.post(reverse("moderation:rules"), {"price_cap": -1, "expiry_days": 0, "review_new_accounts_days": "x"})
    assert response.status_code == 200
    assert not AuditRecord.objects.exists()


@pytest.fixture
def waiting(alice, bob, staff):
    _rules(staff, review_all=True)
    first = make_listing(alice, title="古い出品", photos=1)
    Listing.objects.filter(pk=first.pk).update(status_changed_at=timezone.now() - timedelta(hours=5))
    second = make_listing(bob, title="新しい出品")
    return first, second


def test_the_queue_shows_the_oldest_first_with_waiting_time_photos_and_history(staff_client, waiting):
    staff_client.cookies["django_language"] = "en"
    html = staff_client.get(reverse("moderation:listing_queue")).content.decode()
    assert html.index("古い出品") < html.index("新しい出品")
    assert "waiting 5" in html
    assert "<img" in html
    assert "listings, 0 handed over, 0 rejected" in html


def test_the_queue_uses_a_constant_number_of_queries(staff_client, waiting, alice, bob):
    with CaptureQueriesContext(connection) as few:
        staff_client.get(reverse("moderation:listing_queue"))
    for n in range(4):
        make_listing(make_user(email=f"more{n}@example.com"), photos=1)
    with CaptureQueriesContext(connection) as more:
        staff_client.get(reverse("moderation:listing_queue"))
    assert len(few.captured_queries) == len(more.captured_queries)


def test_approving_publishes_tells_the_resident_and_is_audited(staff_client, staff, waiting, django_capture_on_commit_callbacks):
    first, _second = waiting
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("moderation:listing_approve", args=[first.pk]))
    first.refresh_from_db()
    assert first.status == Listing.Status.PUBLISHED
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert "古い出品" in mail.outbox[0].subject
    assert AuditRecord.objects.filter(action=AuditRecord.Action.LISTING_APPROVE, actor=staff, target_id=str(first.pk)).exists()


def test_bulk_approve(staff_client, waiting):
    ids = [listing.pk for listing in waiting]
    staff_client.post(reverse("moderation:listing_approve_bulk"), {"listing": [*ids, "999999", "abc"]})
    assert set(Listing.objects.filter(pk__in=ids).values_list("status", flat=True)) == {Listing.Status.PUBLISHED}
    assert AuditRecord.objects.filter(action=AuditRecord.Action.LISTING_APPROVE).count() == 2


def test_rejecting_with_a_template_tells_the_resident_why(staff_client, alice_client, waiting, django_capture_on_commit_callbacks):
    first, _second = waiting
    template = ReasonTemplate.objects.get(title="写真が不鮮明")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("moderation:listing_reject", args=[first.pk]), {"template": template.pk, "reason": ""})
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.status, first.rejection_reason) == (Listing.Status.REJECTED, template.text)
    assert template.text in mail.outbox[0].body
    assert template.text in alice_client.get(reverse("listings:mine")).content.decode()
    record = AuditRecord.objects.get(action=AuditRecord.Action.LISTING_REJECT)
    assert record.reason == template.text


def test_a_rejection_needs_a_reason(staff_client, waiting):
    first, _second = waiting
    response = staff_client.post(reverse("moderation:listing_reject", args=[first.pk]), {"template": "", "reason": "  "})
    assert response.status_code == 200
    first.refresh_from_db()
    assert first.status == Listing.Status.PENDING


def test_staff_edit_the_reason_templates(staff_client):
    count = ReasonTemplate.objects.count()
    staff_client.post(reverse("moderation:reason_templates"), {"title": "重複出品", "text": "同じ品物がすでに出品されています。"})
    template = ReasonTemplate.objects.get(title="重複出品")
    staff_client.post(reverse("moderation:reason_template_delete", args=[template.pk]))
    assert ReasonTemplate.objects.count() == count
    assert AuditRecord.objects.filter(action__startswith="settings.reason_template").count() == 2


def test_staff_add_rename_and_retire_categories(staff_client, alice_client):
    url = reverse("moderation:categories")
    response = staff_client.post(url, {"name_ja": "園芸", "name_en": "Gardening", "slug": "garden", "position": 95, "is_active": "on"})
    assert response.status_code == 302
    category = Category.objects.get(slug="garden")
    assert "園芸" in alice_client.get(reverse("listings:create")).content.decode()
    staff_client.post(f"{url}?edit={category.pk}", {"name_ja": "園芸・植物", "name_en": "Garden", "slug": "hacked", "position": 95})
    category.refresh_from_db()
    assert (category.name_ja, category.slug, category.is_active) == ("園芸・植物", "garden", False)
    assert "園芸・植物" not in alice_client.get(reverse("listings:create")).content.decode()
    assert AuditRecord.objects.filter(action=AuditRecord.Action.CATEGORY_SAVE).count() == 2
    assert staff_client.post(url, {"name_ja": "", "name_en": "", "slug": "bad slug!", "position": "x"}).status_code == 200


# --- Edits of public listings ------------------------------------------------------------------


def _edit_form(listing, **overrides) -> dict:
    data = {
        "kind": listing.kind, "title": listing.title, "description": listing.description, "category": listing.category_id,
        "condition": listing.condition, "price": str(listing.price), "town": listing.town_id,
    }
    data.update(overrides)
    return data


def test_an_edit_that_a_review_rule_catches_goes_back_to_the_queue(alice, alice_client, client, staff, staff_client):
    _rules(staff, review_ng_words=True)
    ng_word_add(actor=staff, word="転売")
    listing = make_listing(alice, title="本棚")
    assert listing.status == Listing.Status.PUBLISHED
    alice_client.cookies["django_language"] = "en"
    response = alice_client.post(
        reverse("listings:edit", args=[listing.pk]), _edit_form(listing, description="転売歓迎です"), follow=True
    )
    listing.refresh_from_db()
    assert listing.status == Listing.Status.PENDING
    assert "edited after publication" in listing.review_reasons and "転売" in listing.review_reasons
    assert "Staff will check them before the listing is shown again" in response.content.decode()
    assert client.get(listing.get_absolute_url()).status_code == 404  # out of public view meanwhile
    assert "本棚" in staff_client.get(reverse("moderation:listing_queue")).content.decode()


def test_an_edit_no_rule_catches_stays_public(alice, staff):
    _rules(staff, review_ng_words=True)
    ng_word_add(actor=staff, word="転売")
    listing = make_listing(alice, title="本棚")
    edited = listing_update(listing=listing, actor=alice, data=listing_data(title="白い本棚"))
    assert edited.status == Listing.Status.PUBLISHED


def test_with_review_of_everything_a_text_edit_is_reviewed_but_reordering_photos_is_not(alice, staff):
    listing = make_listing(alice, title="本棚", photos=2)
    _rules(staff, review_all=True)
    first, second = listing.photos.all()
    same = listing_update(listing=listing, actor=alice, data=listing_data(title="本棚"), order=[second.pk, first.pk])
    assert same.status == Listing.Status.PUBLISHED
    edited = listing_update(listing=listing, actor=alice, data=listing_data(title="本棚（美品）"))
    assert edited.status == Listing.Status.PENDING


def test_a_reserved_listing_edited_into_review_is_reserved_again_on_approval(alice, bob, staff):
    from messaging.services.conversations import conversation_start, message_send
    from messaging.services.handover import reservation_create

    listing = make_listing(alice, title="本棚")
    conversation = conversation_start(listing=listing, requester=bob, body="ください")
    reservation_create(conversation=conversation, actor=alice)
    listing.refresh_from_db()
    published_at, expires_at = listing.published_at, listing.expires_at
    _rules(staff, review_all=True)
    edited = listing_update(listing=listing, actor=alice, data=listing_data(title="本棚と椅子"))
    assert edited.status == Listing.Status.PENDING
    message_send(conversation=conversation, sender=bob, body="いつ取りに行けますか")  # the handover carries on
    services.listing_approve(listing=edited, actor=staff)
    listing.refresh_from_db()
    assert listing.status == Listing.Status.RESERVED
    assert listing.reservations.get().status == "active"
    assert (listing.published_at, listing.expires_at) == (published_at, expires_at)  # approval is no free renewal


def test_the_queue_names_ng_words_as_staff_wrote_them(alice, staff, staff_client):
    _rules(staff, review_ng_words=True)
    ng_word_add(actor=staff, word="エアガン")
    make_listing(alice, description="えあがんです")
    html = staff_client.get(reverse("moderation:listing_queue")).content.decode()
    assert "エアガン" in html and "えあがん" not in html.replace("えあがんです", "")


def test_staff_change_a_reason_template_and_the_change_is_audited(staff_client, staff, waiting):
    template = ReasonTemplate.objects.create(title="重複出品", text="同じ品物がすでに出品されています。")
    page = staff_client.get(reverse("moderation:reason_templates")).content.decode()
    assert reverse("moderation:reason_template_edit", args=[template.pk]) in page
    assert "同じ品物がすでに出品されています。" in staff_client.get(reverse("moderation:reason_template_edit", args=[template.pk])).content.decode()
    response = staff_client.post(
        reverse("moderation:reason_template_edit", args=[template.pk]), {"title": "重複出品", "text": "同じ品物が出品済みです。"}
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.text == "同じ品物が出品済みです。"
    record = AuditRecord.objects.get(action=AuditRecord.Action.REASON_TEMPLATE_EDIT)
    assert record.actor == staff and record.before["text"] == "同じ品物がすでに出品されています。"
    assert record.after["text"] == "同じ品物が出品済みです。"
    # a text of only invisible characters is refused, and nothing changes
    response = staff_client.post(reverse("moderation:reason_template_edit", args=[template.pk]), {"title": "重複出品", "text": "\u200b\u3000"})
    assert response.status_code == 200 and ReasonTemplate.objects.get(pk=template.pk).text == "同じ品物が出品済みです。"


def test_a_category_name_already_used_is_refused_whatever_its_width_or_case(staff_client):
    url = reverse("moderation:categories")
    furniture = Category.objects.get(slug="furniture")
    staff_client.cookies["django_language"] = "en"
    response = staff_client.post(url, {"name_ja": f" {furniture.name_ja} ", "name_en": "Other furniture", "slug": "furniture2", "position": 96, "is_active": "on"})
    assert response.status_code == 200 and not Category.objects.filter(slug="furniture2").exists()
    assert f"There is already a category named “{furniture.name_ja}”." in response.content.decode()
    response = staff_client.post(url, {"name_ja": "ｶｸﾞ類", "name_en": furniture.name_en.upper(), "slug": "furniture3", "position": 96})
    assert response.status_code == 200 and not Category.objects.filter(slug="furniture3").exists()
    Category.objects.create(slug="kagu", name_ja="カグ類", name_en="Kagu", position=97)
    response = staff_client.post(url, {"name_ja": "ｶｸﾞ類", "name_en": "Kagu 2", "slug": "furniture4", "position": 96})
    assert response.status_code == 200 and not Category.objects.filter(slug="furniture4").exists()
    # keeping its own name while changing something else is fine
    response = staff_client.post(f"{url}?edit={furniture.pk}", {"name_ja": furniture.name_ja, "name_en": furniture.name_en, "position": 5, "is_active": "on"})
    assert response.status_code == 302


def test_staff_free_text_loses_control_characters_and_invisible_text_is_refused(staff_client, staff, alice):
    from moderation.models import AccountWarning

    url = reverse("moderation:account_warn", args=[alice.pk])
    staff_client.post(url, {"reason": "\u200b \u3000"})
    assert not AccountWarning.objects.exists()
    staff_client.post(url, {"reason": "規約\x07違反の\x00出品です。"})
    assert AccountWarning.objects.get().text == "規約違反の出品です。"
    response = staff_client.post(reverse("moderation:categories"), {"name_ja": "\u200b", "name_en": "\u2060", "slug": "blank", "position": 1})
    assert response.status_code == 200 and not Category.objects.filter(slug="blank").exists()


def test_a_listing_that_just_arrived_waits_since_just_now_not_0_minutes(staff_client, waiting):
    html = staff_client.get(reverse("moderation:listing_queue")).content.decode()
    assert "たった今から確認待ち" in html and "0分前から" not in html
    assert "5時間前から確認待ち" in html
