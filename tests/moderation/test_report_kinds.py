"""Every kind in the staff reports table, end to end: a resident reports, staff see it and act."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from community.models import Topic
from community.services import thread_create
from messaging.services.conversations import conversation_start, message_send
from moderation.reports import KINDS
from tests.factories import make_listing


def _listing(alice, bob):
    listing = make_listing(alice, title="怪しい出品")
    return listing, reverse("listings:report", args=[listing.pk]), "scam", "怪しい出品", lambda report: listing.get_absolute_url()


def _message(alice, bob):
    conversation = conversation_start(listing=make_listing(alice), requester=bob, body="まだありますか？")
    message = message_send(conversation=conversation, sender=alice, body="失礼なメッセージ")
    return message, reverse("messaging:report", args=[message.pk]), "harassment", "失礼なメッセージ", lambda report: reverse("moderation:reported_conversation", args=[report.pk])


def _post(alice, bob):
    post = thread_create(author=alice, topic=Topic.SCHOOLS, title="先生について", body="某先生の悪口").posts.get(number=1)
    return post, reverse("community:report", args=[post.pk]), "personal_info", "某先生の悪口", lambda report: post.get_absolute_url()


# What each kind's resident reports, and what staff and the reporter read (English pages).
SETUPS = {"listing": (_listing, "Listing"), "message": (_message, "Message"), "post": (_post, "Board post")}
OUTCOMES = {"hide": ("resolved", "Handled"), "dismiss": ("dismissed", "Checked: no action needed")}


@pytest.mark.parametrize("action", OUTCOMES)
@pytest.mark.parametrize("kind_name", KINDS)
def test_each_kind_is_reported_queued_with_its_label_and_link_and_handled(kind_name, action, alice, bob, bob_client, staff, staff_client):
    make, label = SETUPS[kind_name]  # a new kind in the table needs its row here
    target, report_url, reason, text, target_url_of = make(alice, bob)
    assert bob_client.post(report_url, {"reason": reason, "note": "見てください"}).status_code == 302
    report = KINDS[kind_name].model.objects.get(reporter=bob)

    staff_client.cookies["django_language"] = "en"
    detail_url = reverse("moderation:report_detail", args=[kind_name, target.pk])
    queue = staff_client.get(reverse("moderation:report_queue")).content.decode()
    assert f'<span class="badge">{label}</span>' in queue and text in queue and "見てください" in queue
    assert f'href="{detail_url}"' in queue
    detail = staff_client.get(detail_url).content.decode()
    assert f'<span class="badge">{label}</span>' in detail
    assert f'href="{target_url_of(report)}"' in detail
    assert text in staff_client.get(target_url_of(report), follow=True).content.decode()  # the link leads to it

    before = timezone.now()
    response = staff_client.post(reverse("moderation:report_act", args=[kind_name, target.pk, action]), {"reason": "確認しました"})
    assert response.status_code == 302
    report.refresh_from_db()
    status, reporter_reads = OUTCOMES[action]
    assert (report.status, report.handled_by) == (status, staff)
    assert before <= report.handled_at <= timezone.now()
    assert f'<span class="badge">{label}</span>' not in staff_client.get(reverse("moderation:report_queue")).content.decode()

    bob_client.cookies["django_language"] = "en"
    mine = bob_client.get(reverse("my_reports")).content.decode()
    assert f"<strong>{label}</strong>" in mine and reporter_reads in mine


@pytest.mark.parametrize("kind_name", KINDS)
def test_the_database_refuses_a_report_status_outside_the_shared_choices(kind_name, alice, bob):
    target, *_ = SETUPS[kind_name][0](alice, bob)
    report = KINDS[kind_name].model.objects.create(**{KINDS[kind_name].target_field: target}, reporter=bob, reason="other")
    with pytest.raises(IntegrityError), transaction.atomic():
        type(report).objects.filter(pk=report.pk).update(status="closed")


def test_a_kind_that_is_not_in_the_table_is_not_found(staff_client):
    assert staff_client.get(reverse("moderation:report_detail", args=["thread", 1])).status_code == 404
