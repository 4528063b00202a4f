"""Plain-text emails carry titles as residents typed them: no HTML escaping in a text/plain body."""

from django.core import mail

from messaging.services.conversations import conversation_start
from messaging.services.handover import reservation_create
from tests.factories import make_listing


def test_a_title_with_an_ampersand_reads_the_same_in_the_email(alice, bob, django_capture_on_commit_callbacks):
    listing = make_listing(alice, title="机 & 椅子 <セット>")
    conversation = conversation_start(listing=listing, requester=bob, body="ください")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reservation_create(conversation=conversation, actor=alice)
    [email] = mail.outbox
    assert "机 & 椅子 <セット>" in email.subject + email.body
    assert "&amp;" not in email.subject + email.body and "&lt;" not in email.subject + email.body
