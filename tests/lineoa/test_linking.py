"""Linking a resident's account to their LINE user: LINE's account-link flow, sign in with LINE,
and unlinking from LINE and from the site."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.signals import social_account_added

from lineoa.models import LinkNonce
from notifications.models import LineLink
from tests.lineoa.conftest import event, replies, text

pytestmark = pytest.mark.django_db

ALICE_LINE = "U" + "a" * 32


def link_token_from_reply(line) -> str:
    uri = line.requests_to("/v2/bot/message/reply")[-1]["messages"][-1]["template"]["actions"][0]["uri"]
    return parse_qs(urlsplit(uri).query)["linkToken"][0]


def open_link_page(client, user, token: str) -> str:
    client.force_login(user)
    response = client.get(f"/line/link/?linkToken={token}")
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == "https://access.line.me/dialog/bot/accountLink"
    query = parse_qs(target.query)
    assert query["linkToken"] == [token]
    return query["nonce"][0]


def account_link(user_id: str, nonce: str, result: str = "ok") -> dict:
    return event("accountLink", user_id, link={"result": result, "nonce": nonce})


def test_link_end_to_end(line, deliver, client, alice):
    deliver(text(ALICE_LINE, "連携"))
    token = link_token_from_reply(line)
    assert line.link_tokens[token] == ALICE_LINE
    nonce = open_link_page(client, alice, token)
    deliver(account_link(ALICE_LINE, nonce))
    assert LineLink.objects.get(user=alice).line_user_id == ALICE_LINE
    assert replies(line)[-1] == "連携しました。これからはサイトのお知らせがここに届きます。"


def test_a_nonce_works_once(line, deliver, client, alice, bob):
    nonce = open_link_page(client, alice, "token-1")
    deliver(account_link(ALICE_LINE, nonce))
    LineLink.objects.all().delete()
    deliver(account_link(ALICE_LINE, nonce))
    assert not LineLink.objects.exists()
    assert "期限" in replies(line)[-1]


def test_an_expired_or_unknown_nonce_is_refused(line, deliver, client, alice, clock):
    nonce = open_link_page(client, alice, "token-1")
    clock.shift(datetime.timedelta(minutes=11))
    deliver(account_link(ALICE_LINE, nonce))
    deliver(account_link(ALICE_LINE, "made-up"))
    deliver(account_link(ALICE_LINE, open_link_page(client, alice, "token-2"), result="failed"))
    assert not LineLink.objects.exists()


def test_linking_a_line_user_of_another_account_moves_it(line, deliver, client, alice, bob):
    LineLink.objects.create(user=bob, line_user_id=ALICE_LINE)
    deliver(account_link(ALICE_LINE, open_link_page(client, alice, "token-1")))
    assert list(LineLink.objects.values_list("user", "line_user_id")) == [(alice.pk, ALICE_LINE)]


def test_the_link_page_is_for_verified_residents(line, client):
    assert client.get("/line/link/?linkToken=t").status_code == 302  # the login page
    assert not LinkNonce.objects.exists()


def test_unlink_from_line(line, deliver, alice):
    LineLink.objects.create(user=alice, line_user_id=ALICE_LINE)
    deliver(text(ALICE_LINE, "連携解除"))
    assert not LineLink.objects.exists()
    assert "解除" in replies(line)[-1]


def test_unlink_from_the_settings_page(line, client, alice):
    LineLink.objects.create(user=alice, line_user_id=ALICE_LINE)
    client.force_login(alice)
    page = client.get("/notifications/").content.decode()
    assert "連携を解除する" in page
    response = client.post("/line/unlink/", follow=True)
    assert not LineLink.objects.exists()
    assert "LINEとの連携を解除しました" in response.content.decode()
    assert "連携を解除する" not in response.content.decode()


def test_sign_in_with_line_links_the_account(line, alice, rf):
    account = SocialAccount.objects.create(user=alice, provider="line", uid=ALICE_LINE)

    class Login:  # what allauth sends: the sociallogin of the account added
        pass

    login = Login()
    login.account, login.user = account, alice
    social_account_added.send(sender=SocialAccount, request=rf.get("/"), sociallogin=login)
    assert LineLink.objects.get(user=alice).line_user_id == ALICE_LINE


def test_signing_in_links_a_resident_with_a_line_login(line, client, alice):
    SocialAccount.objects.create(user=alice, provider="line", uid=ALICE_LINE)
    client.force_login(alice)
    assert LineLink.objects.get(user=alice).line_user_id == ALICE_LINE
