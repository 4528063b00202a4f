from django.urls import reverse

from core.models import AuditRecord
from listings.models import Category, Listing
from messaging.models import Message, Reservation
from messaging.services.conversations import conversation_start
from moderation.assisted import DESK_EMAIL
from moderation.models import AssistedRegistration
from tests.factories import make_listing

FORM = {
    "resident_name": "山田花子", "phone": "03-1234-5678", "postal_code": "104-0061", "staff_note": "午前中に電話可",
    "kind": "offer", "title": "桐のたんす", "description": "はがきで受付。状態良好です。", "condition": "good", "price": "0",
}


def _form(**changes):
    data = {**FORM, "category": Category.objects.get(slug="furniture").pk}
    from accounts.models import PostalCode

    data["town"] = PostalCode.objects.get(code="1040061").town_id
    data.update(changes)
    return data


def test_staff_register_a_postcard_listing_and_print_a_receipt(staff_client, client, staff):
    response = staff_client.post(reverse("moderation:assisted_new"), _form())
    registration = AssistedRegistration.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("moderation:assisted_receipt", args=[registration.pk])
    listing = registration.listing
    assert listing.status == Listing.Status.PUBLISHED and listing.owner.email == DESK_EMAIL
    receipt = staff_client.get(response["Location"]).content.decode()
    assert listing.number in receipt and "山田花子" in receipt
    # nothing about the resident is public
    public = client.get(listing.get_absolute_url()).content.decode() + client.get("/api/v1/listings").content.decode()
    for secret in ["山田花子", "03-1234-5678", "1040061", "午前中に電話可"]:
        assert secret not in public
    assert AuditRecord.objects.filter(action=AuditRecord.Action.ASSISTED_REGISTER, actor=staff).exists()


def test_the_resident_must_live_in_the_ward_and_have_a_phone(staff_client):
    response = staff_client.post(reverse("moderation:assisted_new"), _form(postal_code="100-0001", phone="abc"))
    assert response.status_code == 200
    assert not AssistedRegistration.objects.exists() and not Listing.objects.exists()


def test_requests_reach_the_staff_inbox_and_staff_relay_reserve_and_record_the_handover(staff_client, bob, bob_client):
    staff_client.post(reverse("moderation:assisted_new"), _form())
    registration = AssistedRegistration.objects.get()
    conversation = conversation_start(listing=registration.listing, requester=bob, body="たんすを譲っていただけますか？")
    inbox = staff_client.get(reverse("moderation:assisted_inbox")).content.decode()
    assert "桐のたんす" in inbox and 'badge-count">1<' in inbox
    detail = staff_client.get(reverse("moderation:assisted_detail", args=[registration.pk])).content.decode()
    assert "たんすを譲っていただけますか？" in detail
    staff_client.post(reverse("moderation:assisted_message", args=[registration.pk, conversation.pk]), {"body": "出品者に確認して折り返します。"})
    assert Message.objects.filter(conversation=conversation, body="出品者に確認して折り返します。").exists()
    assert "出品者に確認して折り返します。" in bob_client.get(conversation.get_absolute_url()).content.decode()
    staff_client.post(reverse("moderation:assisted_note", args=[registration.pk]), {"text": "11/24 山田さんに電話、ぼぶさんに譲ることで了承"})
    staff_client.post(reverse("moderation:assisted_reserve", args=[registration.pk, conversation.pk]))
    registration.listing.refresh_from_db()
    assert registration.listing.status == Listing.Status.RESERVED
    detail = staff_client.get(reverse("moderation:assisted_detail", args=[registration.pk])).content.decode()
    # a neutral sentence naming both sides, not the residents' "for this conversation" wording
    desk = registration.listing.owner.addressed_name
    assert f"{desk}がぼぶさんのために品物を取り置きしました。" in detail and "[reserved]" not in detail
    assert "このやりとりの相手の方" not in detail
    staff_client.post(reverse("moderation:assisted_hand_over", args=[registration.pk]))
    registration.listing.refresh_from_db()
    assert registration.listing.status == Listing.Status.HANDED_OVER
    assert Reservation.objects.get().status == Reservation.Status.HANDED_OVER
    actions = set(AuditRecord.objects.values_list("action", flat=True))
    assert {"assisted.register", "assisted.message", "assisted.note", "assisted.reserve", "assisted.hand_over"} <= actions


def test_the_inbox_and_a_registration_page_use_a_constant_number_of_queries(staff_client, bob):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_user

    staff_client.post(reverse("moderation:assisted_new"), _form())
    registration = AssistedRegistration.objects.get()
    conversation_start(listing=registration.listing, requester=bob, body="ください")
    counts = []
    for n in range(2):
        with CaptureQueriesContext(connection) as ctx:
            staff_client.get(reverse("moderation:assisted_detail", args=[registration.pk]))
            staff_client.get(reverse("moderation:assisted_inbox"))
        counts.append(len(ctx.captured_queries))
        for m in range(3):
            conversation_start(listing=registration.listing, requester=make_user(email=f"asker{n}{m}@example.com"), body="欲しいです")
        staff_client.post(reverse("moderation:assisted_new"), _form(title=f"椅子{n}"))
    assert counts[0] == counts[1]


def test_a_phone_number_typed_with_japanese_dashes_is_accepted(staff_client):
    staff_client.post(reverse("moderation:assisted_new"), _form(phone="０３ー１２３４－５６７８"))
    assert AssistedRegistration.objects.get().phone == "03-1234-5678"
    staff_client.post(reverse("moderation:assisted_new"), _form(phone="03−1234−5679", title="二つ目"))
    assert AssistedRegistration.objects.filter(phone="03-1234-5679").exists()


def _edit_form(registration, **changes):
    data = _form(**changes)
    for key in ("resident_name", "phone", "postal_code", "staff_note"):
        data.pop(key)
    return data


def test_staff_correct_a_postcard_listing_and_the_change_is_audited(staff_client, client, staff):
    staff_client.post(reverse("moderation:assisted_new"), _form())
    registration = AssistedRegistration.objects.get()
    detail = staff_client.get(reverse("moderation:assisted_detail", args=[registration.pk])).content.decode()
    assert reverse("moderation:assisted_edit", args=[registration.pk]) in detail
    page = staff_client.get(reverse("moderation:assisted_edit", args=[registration.pk])).content.decode()
    assert "桐のたんす" in page  # the form starts from the listing as it is
    response = staff_client.post(
        reverse("moderation:assisted_edit", args=[registration.pk]), _edit_form(registration, title="桐の整理たんす", price="500"),
    )
    assert response.status_code == 302 and response["Location"] == reverse("moderation:assisted_detail", args=[registration.pk])
    listing = Listing.objects.get()
    assert listing.title == "桐の整理たんす" and listing.price == 500 and listing.status == Listing.Status.PUBLISHED
    assert "桐の整理たんす" in client.get(listing.get_absolute_url()).content.decode()
    record = AuditRecord.objects.get(action=AuditRecord.Action.ASSISTED_EDIT)
    assert record.actor == staff and record.before == {"title": "桐のたんす", "price": 0}
    assert record.after == {"title": "桐の整理たんす", "price": 500}


def test_a_correction_that_a_review_rule_catches_stays_published(staff_client):
    from listings.models import ListingRules
    from listings.rules import rules_forget

    staff_client.post(reverse("moderation:assisted_new"), _form())
    registration = AssistedRegistration.objects.get()
    ListingRules.objects.filter(pk=1).update(review_all=True)
    rules_forget()
    staff_client.post(reverse("moderation:assisted_edit", args=[registration.pk]), _edit_form(registration, title="桐のたんす（小）"))
    assert Listing.objects.get().status == Listing.Status.PUBLISHED  # staff wrote it; no queue for themselves


def test_a_bad_correction_shows_the_error_and_changes_nothing(staff_client):
    staff_client.post(reverse("moderation:assisted_new"), _form())
    registration = AssistedRegistration.objects.get()
    response = staff_client.post(reverse("moderation:assisted_edit", args=[registration.pk]), _edit_form(registration, title="\u200b"))
    assert response.status_code == 200 and Listing.objects.get().title == "桐のたんす"
    assert not AuditRecord.objects.filter(action=AuditRecord.Action.ASSISTED_EDIT).exists()


def test_staff_withdraw_a_postcard_listing_and_its_reservation_ends(staff_client, client, bob, staff):
    staff_client.post(reverse("moderation:assisted_new"), _form())
    registration = AssistedRegistration.objects.get()
    conversation = conversation_start(listing=registration.listing, requester=bob, body="ください")
    staff_client.post(reverse("moderation:assisted_reserve", args=[registration.pk, conversation.pk]))
    detail = staff_client.get(reverse("moderation:assisted_detail", args=[registration.pk])).content.decode()
    assert reverse("moderation:assisted_withdraw", args=[registration.pk]) in detail
    staff_client.post(reverse("moderation:assisted_withdraw", args=[registration.pk]), {"reason": "電話で取り下げの依頼"})
    listing = Listing.objects.get()
    assert listing.status == Listing.Status.WITHDRAWN
    assert not Reservation.objects.filter(status=Reservation.Status.ACTIVE).exists()
    assert client.get(listing.get_absolute_url()).status_code == 404
    record = AuditRecord.objects.get(action=AuditRecord.Action.ASSISTED_WITHDRAW)
    assert record.actor == staff and record.reason == "電話で取り下げの依頼" and record.after == {"status": "withdrawn"}
    detail = staff_client.get(reverse("moderation:assisted_detail", args=[registration.pk])).content.decode()
    assert reverse("moderation:assisted_withdraw", args=[registration.pk]) not in detail
    assert reverse("moderation:assisted_edit", args=[registration.pk]) not in detail


def test_the_receipt_is_in_japanese_for_english_speaking_staff_and_gives_the_office_phone(staff_client, settings):
    settings.ENVIRONMENT_OFFICE_PHONE = "03-3546-5405"
    staff_client.post(reverse("moderation:assisted_new"), _form())
    registration = AssistedRegistration.objects.get()
    staff_client.cookies["django_language"] = "en"
    assert "Correct the listing" in staff_client.get(reverse("moderation:assisted_detail", args=[registration.pk])).content.decode()
    response = staff_client.get(reverse("moderation:assisted_receipt", args=[registration.pk]))
    receipt = response.content.decode()
    assert "品物を登録しました" in receipt and "We have registered your item" not in receipt
    assert "中央区" in receipt and "Chuo City" not in receipt
    assert "03-3546-5405" in receipt and response["Content-Language"] == "ja"


def test_the_staff_overview_counts_postcard_requests_with_unread_messages(staff_client, bob, alice):
    staff_client.post(reverse("moderation:assisted_new"), _form())
    registration = AssistedRegistration.objects.get()
    first = conversation_start(listing=registration.listing, requester=bob, body="ください")
    message_send_as_desk = reverse("moderation:assisted_message", args=[registration.pk, first.pk])
    conversation_start(listing=registration.listing, requester=alice, body="私もほしいです")
    home = staff_client.get(reverse("moderation:home")).content.decode()
    inbox_link = f'<a href="{reverse("moderation:assisted_inbox")}"><span class="stat-number">2</span>'
    assert inbox_link in home
    staff_client.get(reverse("moderation:assisted_detail", args=[registration.pk]))  # staff read them
    staff_client.post(message_send_as_desk, {"body": "確認します。"})  # the desk's own message is not unread
    home = staff_client.get(reverse("moderation:home")).content.decode()
    assert f'<a href="{reverse("moderation:assisted_inbox")}"><span class="stat-number">0</span>' in home


def test_the_staff_forms_show_the_listing_fields_as_the_residents_form_does(alice, alice_client, staff_client):
    def kind_fieldset(url, client):
        html = client.get(url).content.decode()
        start = html.index('<fieldset class="field">')  # the kind, first of the listing's own fields
        return html[start:html.index("</fieldset>", start)]

    resident_new = kind_fieldset(reverse("listings:create"), alice_client)
    assert "<legend>" in resident_new and 'class="radio-row"' in resident_new
    assert kind_fieldset(reverse("moderation:assisted_new"), staff_client) == resident_new
    staff_client.post(reverse("moderation:assisted_new"), _form())
    resident_edit = kind_fieldset(reverse("listings:edit", args=[make_listing(alice).pk]), alice_client)
    assert kind_fieldset(reverse("moderation:assisted_edit", args=[AssistedRegistration.objects.get().pk]), staff_client) == resident_edit


def test_staff_see_the_contact_detail_warning_and_must_confirm_it(staff_client):
    # The resident's own phone (staff-only field) is expected; in the listing's text it is not.
    response = staff_client.post(reverse("moderation:assisted_new"), _form(description="お電話は 03-1234-5678 まで"))
    page = response.content.decode()
    assert response.status_code == 200 and not AssistedRegistration.objects.exists()
    assert "「03-1234-5678」は電話番号のようです。" in page and "これは連絡先ではありません" in page
    staff_client.post(reverse("moderation:assisted_new"), _form(description="お電話は 03-1234-5678 まで", send_anyway="on"))
    assert AssistedRegistration.objects.get().listing.status == Listing.Status.PUBLISHED  # staff confirmed it themselves


def test_staff_correcting_an_assisted_listing_are_warned_too(staff_client):
    staff_client.post(reverse("moderation:assisted_new"), _form())
    registration = AssistedRegistration.objects.get()
    url = reverse("moderation:assisted_edit", args=[registration.pk])
    response = staff_client.post(url, _form(title="桐のたんす 佃2-3-4"))
    assert response.status_code == 200 and "「2-3-4」は番地まで含む住所のようです。" in response.content.decode()
    registration.listing.refresh_from_db()
    assert registration.listing.title == "桐のたんす"
