"""The world the authorization matrix runs in: the seven roles, signed in, and one of everything
a URL can point at. Objects are named; the matrix's args column uses these names.

Roles: visitor (not logged in); unverified (Carol, email not confirmed); resident (Alice, who owns
the objects); other (Bob, another resident: the requester in Alice's conversation); suspended (a
resident suspended by staff); staff (staff role, second factor passed); superuser (also staff,
second factor passed). Three more sessions are almost staff (password only, no authenticator,
Django's is_staff flag without the staff role) for the staff pages' second-factor test.
"""

import io
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import STAFF_GROUP
from alerts.services import digest_unsubscribe_token, saved_search_create, unsubscribe_token
from community.models import Facility, Post, PostReport, RevealRequest, Thread, Topic
from community.services import post_reply, post_report, thread_create
from consultations import services as consultation_services
from core.models import NGWord
from listings.models import ListingReport
from listings.services import listing_report
from listings.uploads import Uploader, upload_store
from messaging.models import Block
from messaging.services.conversations import conversation_start, message_report
from messaging.services.handover import reservation_create
from mirror.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from moderation import services as moderation_services
from moderation.assisted import assisted_register
from moderation.models import ReasonTemplate
from tests.consultations.conftest import make_consultation
from tests.factories import jpeg_bytes, listing_data, login_staff, make_listing, make_user

ROLES = ("visitor", "unverified", "resident", "other", "suspended", "staff", "superuser")


@dataclass
class World:
    sessions: dict[str, str | None]  # role -> session key (None: the visitor)
    objects: dict[str, object]  # name in the args column -> URL argument
    _clients: dict[str, Client] = field(default_factory=dict)

    def client(self, role: str) -> Client:
        """The role's client holding only its session cookie: a response that logged out or
        rotated the session cannot leak into the next request. (Clients are kept: each new one
        loads the middleware again, WhiteNoise's scan of the static files included.)"""
        client = self._clients.setdefault(role, Client())
        client.cookies = SimpleCookie()
        if self.sessions[role]:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        return client

    def arg(self, token: str, url_name: str) -> object:
        """An args-column token: `=text` is the text itself, `obj` a row of the admin page's
        model, any other token the object of that name (a typo is a KeyError, not a literal)."""
        if token.startswith("="):
            return token[1:]
        if token == "obj":
            return admin_object_id(url_name)
        return self.objects[token]


def admin_object_id(url_name: str) -> str:
    """The pk of a row of the model behind an admin URL name (`admin:<app>_<model>_<view>`), or
    0 when the table is empty (the admin then redirects with "does not exist")."""
    for model in admin.site._registry:
        if url_name.startswith(f"admin:{model._meta.app_label}_{model._meta.model_name}_"):
            first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
            return str(first or 0)
    raise LookupError(f"{url_name} is not an admin page of a registered model")


def _session(user, *, second_factor: bool = False) -> str:
    client = Client()
    if second_factor:
        login_staff(client, user)
    else:
        client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def build_world(*, alice, bob, carol, staff) -> World:
    """Everything the matrix's URLs point at, made through the services where they exist."""
    suspended = make_user(email="suspended@example.com", name="停止中")
    moderation_services.account_suspend(user=suspended, actor=staff, reason="テスト")
    root = make_user(email="root@example.com", name="管理者", is_superuser=True, is_staff=True)

    listing = make_listing(alice, title="木製の本棚", photos=1)
    draft = make_listing(alice, title="下書きの椅子", publish=False, photos=1)
    conversation = conversation_start(listing=listing, requester=bob, body="ください")
    message = conversation.messages.get()
    listing_report(listing=listing, reporter=bob, reason=ListingReport.Reason.OTHER)
    # A second listing, reserved for Bob; Carol blocked the suspended account (rows for the admin).
    reserved = make_listing(alice, title="予約済みのランプ")
    reservation_create(conversation=conversation_start(listing=reserved, requester=bob, body="ほしい"), actor=alice)
    Block.objects.create(blocker=carol, blocked=suspended)
    reported_message = message_report(message=message, reporter=alice, reason="spam")

    facility = Facility.objects.create(name="架空図書館", kind="library", source_key="id:X")
    thread = thread_create(author=alice, topic=Topic.OTHER, title="題名", body="本文", facility=facility)
    post = thread.posts.get(number=1)  # Alice's opening post
    reply = post_reply(thread=thread, author=bob, body="返信")
    reported_post = post_report(post=post, reporter=bob, reason=PostReport.Reason.OTHER)
    # Alice's second thread waits for review: unlisted, its opening post held.
    held_thread = thread_create(author=alice, topic=Topic.OTHER, title="確認待ち", body="本文")
    Thread.objects.filter(pk=held_thread.pk).update(is_listed=False)
    held_post = held_thread.posts.get(number=1)
    Post.objects.filter(pk=held_post.pk).update(status=Post.Status.HELD)
    reveal = RevealRequest.objects.create(post=post, requested_by=staff, reason="照会")

    saved = saved_search_create(user=alice, q="本棚")
    assisted = assisted_register(
        actor=staff, resident_name="山田花子", phone="03-1234-5678", postal_code="1040061", note="",
        data=listing_data(title="桐のたんす"),
    )
    assisted_conversation = conversation_start(listing=assisted.listing, requester=bob, body="ほしいです")
    endpoint = WebhookEndpoint.objects.create(url="https://cms.example.jp/hooks/mottainai", description="区CMS")
    event = WebhookEvent.objects.create(type="listing.published", listing_id=listing.pk, sequence=1, payload={"id": listing.pk})
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event=event)
    ng_word = NGWord.objects.create(word="禁句", normalised="禁句", created_by=staff)
    reason_template = ReasonTemplate.objects.create(title="不適切", text="出品できない品です。")

    # A consultation open to every resident, with a PDF document and one paper answer whose free
    # text waits for review; and a draft only staff see.
    consultation = make_consultation(staff)
    document = consultation_services.attachment_add(actor=staff, consultation=consultation, upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan"))
    text_question = consultation.questions.get(kind="text")
    consultation_services.paper_answer_add(actor=staff, consultation=consultation, answers={}, comments={text_question.pk: "紙の意見"}, town=None)
    consultation_draft = make_consultation(staff, publish=False, title="下書きのアンケート")

    photo_upload = upload_store(Uploader(owner_id=alice.pk), io.BytesIO(jpeg_bytes()), name="a.jpg")  # waiting for a listing
    stranger = make_user(email="stranger@example.com", name="通りすがり")  # no listing, no conversation

    # Three ways of being almost staff, for the staff pages' second-factor check (test_matrix.py).
    password_only = _session(staff)
    no_authenticator = make_user(email="newstaff@example.com", name="新任職員")
    no_authenticator.groups.add(Group.objects.get(name=STAFF_GROUP))
    flag_only = make_user(email="flag@example.com", name="フラグのみ")
    flag_only.is_staff = True  # Django's flag alone is not the staff role
    flag_only.save(update_fields=["is_staff"])

    sessions = {
        "visitor": None,
        "unverified": _session(carol),
        "resident": _session(alice),
        "other": _session(bob),
        "suspended": _session(suspended),
        "staff": _session(staff, second_factor=True),
        "superuser": _session(root, second_factor=True),
        "staff with the password only": password_only,
        "staff without an authenticator": _session(no_authenticator),
        "Django's staff flag only": _session(flag_only),
    }
    objects = {
        "listing": listing.pk, "draft": draft.pk, "upload": photo_upload.key,
        "listing_photo": listing.photos.get().image.name, "draft_photo": draft.photos.get().thumbnail.name, "listing_type": ContentType.objects.get_for_model(listing).pk,
        "conversation": conversation.pk, "message": message.pk, "message_report": reported_message.pk, "resident": alice.pk, "suspended": suspended.pk,
        "facility": facility.pk, "thread": thread.pk, "post": post.pk, "reply": reply.pk,
        "post_report": reported_post.pk, "held_thread": held_thread.pk, "held_post": held_post.pk,
        "reveal": reveal.pk, "saved": saved.pk, "unsubscribe": unsubscribe_token(saved),
        "digest": digest_unsubscribe_token(user=alice),
        "assisted": assisted.pk, "assisted_conversation": assisted_conversation.pk,
        "consultation": consultation.pk, "consultation_draft": consultation_draft.pk, "consultation_document": document.pk,
        "consultation_question": text_question.pk, "consultation_comment": str(text_question.comments.get().pk),
        "endpoint": endpoint.pk, "delivery": delivery.pk, "ng_word": ng_word.pk, "reason_template": reason_template.pk,
        # allauth's signed link: Alice's password reset
        "reset_uid": user_pk_to_url_str(alice), "reset_key": default_token_generator.make_token(alice),
        # people pages (messaging:profile), by public id
        "person": alice.public_id, "other_person": bob.public_id, "staff_person": staff.public_id,
        "unverified_person": carol.public_id, "suspended_person": suspended.public_id, "stranger": stranger.public_id,
    }
    return World(sessions=sessions, objects=objects)
