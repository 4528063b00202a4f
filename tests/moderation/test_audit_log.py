import csv
import io

from django.test import Client
from django.urls import reverse

from core.audit import audit_record
from core.models import AuditRecord
from moderation.ngwords import ng_word_add
from tests.factories import login_staff, make_user


def test_staff_see_and_filter_the_audit_log(staff, staff2, staff_client):
    ng_word_add(actor=staff, word="詐欺")
    ng_word_add(actor=staff2, word="暴言")
    url = reverse("moderation:audit_log")
    html = staff_client.get(url).content.decode()
    assert "詐欺" in html and "暴言" in html
    html = staff_client.get(url, {"actor": staff2.pk}).content.decode()
    assert "暴言" in html and "詐欺" not in html
    html = staff_client.get(url, {"action": "board.post_hide"}).content.decode()
    assert "暴言" not in html


def test_only_a_superuser_exports_the_log_and_the_export_is_audited(staff, staff_client, db):
    audit_record(actor=staff, action=AuditRecord.Action.NG_WORD_ADD, reason="テスト, \"引用\"")
    url = reverse("moderation:audit_log_csv")
    assert staff_client.get(url).status_code == 403
    root = make_user(email="root@example.com", is_superuser=True, is_staff=True)
    c = Client()
    login_staff(c, root)
    response = c.get(url)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:5] == ["id", "when", "staff_id", "staff", "action"]
    assert rows[1][4] == "audit.export"  # newest first: the export records itself
    assert rows[2][4] == "settings.ng_word_add" and rows[2][8] == "テスト, \"引用\""
    assert AuditRecord.objects.filter(action=AuditRecord.Action.AUDIT_EXPORT, actor=root).exists()


def test_changes_to_the_wards_webhook_endpoints_are_audited_without_the_secret(staff, staff_client):
    from mirror.models import WebhookEndpoint

    staff_client.post(reverse("mirror_staff:endpoint_create"), {"url": "https://www.city.example.jp/hook", "description": "区HP", "is_active": "on"})
    endpoint = WebhookEndpoint.objects.get()
    staff_client.post(reverse("mirror_staff:endpoint_rotate_secret", args=[endpoint.pk]))
    staff_client.post(reverse("mirror_staff:endpoint_delete", args=[endpoint.pk]))
    records = list(AuditRecord.objects.order_by("id"))
    assert [r.action for r in records] == ["settings.webhook_add", "settings.webhook_secret", "settings.webhook_delete"]
    assert all(r.actor == staff for r in records)
    assert endpoint.secret not in str([(r.before, r.after) for r in records])


def test_the_log_shows_what_was_done_and_readable_details(staff, staff_client):
    from listings.models import Listing
    from tests.factories import make_listing

    listing = make_listing(staff, title="椅子")
    audit_record(actor=staff, action=AuditRecord.Action.LISTING_HIDE, target=listing, reason="規約違反",
                 before={"status": Listing.Status.PUBLISHED}, after={"status": Listing.Status.HIDDEN})
    html = staff_client.get(reverse("moderation:audit_log")).content.decode()
    assert "<td>出品を非表示にした</td>" in html  # the action's label, not an empty cell
    assert "{&#x27;status&#x27;" not in html  # no Python dict
    assert "<dt>ステータス</dt><dd>職員により非表示</dd>" in html


def test_the_csv_export_carries_before_and_after_as_json(staff, db):
    import json

    audit_record(actor=staff, action=AuditRecord.Action.NG_WORD_ADD, before=None, after={"word": "詐欺", "flag": True})
    # a reveal record written before reveals stopped naming the account: the export leaves it out
    audit_record(actor=staff, action=AuditRecord.Action.REVEAL_VIEW, after={"request": 7, "account": 42})
    root = make_user(email="root@example.com", is_superuser=True, is_staff=True)
    c = Client()
    login_staff(c, root)
    text = b"".join(c.get(reverse("moderation:audit_log_csv")).streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert (rows[3][9], json.loads(rows[3][10])) == ("", {"word": "詐欺", "flag": True})
    assert json.loads(rows[2][10]) == {"request": 7}


def test_the_csv_export_never_hands_a_spreadsheet_a_formula(staff, db):
    """Text that starts like a formula (a listing title, a staff reason) opens as text."""
    audit_record(actor=staff, action=AuditRecord.Action.NG_WORD_ADD, reason='=HYPERLINK("http://evil.example","x")')
    audit_record(actor=staff, action=AuditRecord.Action.NG_WORD_ADD, reason="@SUM(1+1)*cmd|' /C calc'!A0")
    audit_record(actor=staff, action=AuditRecord.Action.NG_WORD_ADD, reason="＝1+1")
    audit_record(actor=staff, action=AuditRecord.Action.NG_WORD_ADD, reason="-2+3")
    root = make_user(email="root@example.com", is_superuser=True, is_staff=True)
    c = Client()
    login_staff(c, root)
    text = b"".join(c.get(reverse("moderation:audit_log_csv")).streaming_content).decode("utf-8-sig")
    reasons = [row[8] for row in csv.reader(io.StringIO(text))][1:]
    assert reasons[1:] == ["'-2+3", "'＝1+1", "'@SUM(1+1)*cmd|' /C calc'!A0", "'=HYPERLINK(\"http://evil.example\",\"x\")"]
    assert all(not reason.startswith(("=", "+", "-", "@", "＝")) for reason in reasons)


def test_a_superuser_without_a_display_name_is_named_by_email_and_can_be_filtered(staff, staff_client):
    root = make_user(email="root@example.com", name="", is_superuser=True)
    ng_word_add(actor=root, word="詐欺")
    html = staff_client.get(reverse("moderation:audit_log")).content.decode()
    assert f'<option value="{root.pk}">root@example.com</option>' in html  # in the staff filter
    assert "<td>root@example.com</td>" in html
    html = staff_client.get(reverse("moderation:audit_log"), {"actor": root.pk}).content.decode()
    assert "詐欺" in html


def test_the_log_names_objects_in_words_with_a_link_to_their_staff_page(staff, alice, staff_client):
    from tests.factories import make_listing

    listing = make_listing(alice, title="椅子")
    audit_record(actor=staff, action=AuditRecord.Action.LISTING_HIDE, target=listing, reason="規約違反")
    audit_record(actor=staff, action=AuditRecord.Action.ACCOUNT_WARN, target=alice, reason="迷惑行為")
    audit_record(actor=staff, action=AuditRecord.Action.NG_WORD_ADD, reason="x")  # no object: an empty cell
    html = staff_client.get(reverse("moderation:audit_log")).content.decode()
    assert f'<a href="{listing.get_absolute_url()}">出品 #{listing.pk}</a>' in html
    assert f'<a href="{reverse("moderation:account", args=[alice.pk])}">利用者 #{alice.pk}</a>' in html
    assert "listings.listing" not in html and "accounts.user" not in html
    staff_client.cookies["django_language"] = "en"
    html = staff_client.get(reverse("moderation:audit_log")).content.decode()
    assert f">Listing #{listing.pk}</a>" in html and f">User #{alice.pk}</a>" in html


def test_an_object_without_a_staff_page_is_named_without_a_link_and_an_unknown_kind_as_stored(staff, alice, bob, staff_client):
    from messaging.services.conversations import conversation_start
    from tests.factories import make_listing

    conversation = conversation_start(listing=make_listing(alice), requester=bob, body="ください")
    audit_record(actor=staff, action=AuditRecord.Action.CONVERSATION_VIEW, target=conversation, after={"report": 1})
    AuditRecord.objects.create(actor=staff, action=AuditRecord.Action.NG_WORD_ADD, target_type="someapp.thing", target_id="9")
    html = staff_client.get(reverse("moderation:audit_log")).content.decode()
    assert f"<td>やりとり #{conversation.pk}<br>" in html
    assert "<td>someapp.thing:9</td>" in html


def test_the_log_shows_known_values_in_words_and_unknown_ones_as_they_are(staff, staff_client):
    audit_record(actor=staff, action=AuditRecord.Action.REPORT_RESOLVE, after={"outcome": "hidden"})
    audit_record(actor=staff, action=AuditRecord.Action.IMPACT_EXPORT, after={"table": "monthly", "months": 12})
    audit_record(actor=staff, action=AuditRecord.Action.REPORT_DISMISS_ANY, after={"kind": "message", "reports": 2})
    audit_record(actor=staff, action=AuditRecord.Action.WEBHOOK_ADD, after={"events": ["listing.published", "listing.future"]})
    audit_record(actor=staff, action=AuditRecord.Action.FACILITY_IMPORT, after={"dataset": "kouen", "created": 3, "updated": 2, "errors": 0})
    html = staff_client.get(reverse("moderation:audit_log")).content.decode()
    assert "<dt>結果</dt><dd>非表示にした</dd>" in html
    assert "<dt>表</dt><dd>月ごと</dd>" in html
    assert "<dt>種類</dt><dd>メッセージ</dd>" in html
    assert "<dd>出品の掲載, listing.future</dd>" in html
    assert "<dt>新規</dt><dd>3</dd>" in html and "<dt>更新</dt><dd>2</dd>" in html  # PostgreSQL's jsonb orders the keys its own way
    assert "作成日時" not in html and "更新日時" not in html
