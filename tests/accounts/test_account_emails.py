"""allauth's emails go the site's one way (core's mail task): a mail server that is down neither
fails sign-up or a password reset with an error page nor loses the email without a trace."""

import re
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from accounts.models import User
from core.models import FailedNotice
from core.tasks import MAIL_ATTEMPTS

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "newcomer@example.com",
    "password1": "a-long-enough-passphrase",
    "password2": "a-long-enough-passphrase",
    "display_name": "しんにゅう",
    "postal_code": "104-0061",
    "accept_terms": "on",
}


@pytest.fixture
def mail_server_down(monkeypatch):
    def send_messages(self, messages):
        raise smtplib.SMTPConnectError(421, "Service not available")

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)


def test_the_confirmation_email_goes_by_the_mail_task_with_a_one_line_subject(client):
    response = client.post(reverse("account_signup"), SIGNUP)

    assert response.status_code == 302
    [email] = mail.outbox
    assert email.to == ["newcomer@example.com"] and "\n" not in email.subject
    assert re.search(r"^\d{6}$", email.body, re.M)  # the code, typed in the page left open


def test_sign_up_with_the_mail_server_down_is_no_error_and_the_failure_is_recorded(client, mail_server_down):
    response = client.post(reverse("account_signup"), SIGNUP)

    assert response.status_code == 302
    assert User.objects.filter(email="newcomer@example.com").exists()
    [failed] = FailedNotice.objects.all()
    assert (failed.recipient, failed.kind, failed.attempts) == (
        "n***@example.com", "account/email/email_confirmation_signup", MAIL_ATTEMPTS
    )


def test_a_password_reset_with_the_mail_server_down_is_no_error(client, alice, mail_server_down):
    response = client.post(reverse("account_reset_password"), {"email": alice.email})

    assert response.status_code == 302
    assert FailedNotice.objects.get().kind == "account/email/password_reset_key"


def test_the_confirmation_email_speaks_in_the_sites_own_voice(client, settings):
    client.post(reverse("account_signup"), SIGNUP)

    [email] = mail.outbox
    assert f"もったいない（{settings.MUNICIPALITY_CITY} 不用品交換）にご登録いただきありがとうございます。" in email.body
    assert email.subject == settings.EMAIL_SUBJECT_PREFIX + "登録を完了するためにメールアドレスを確認してください"
    [code] = re.findall(r"^\d{6}$", email.body, re.M)
    assert "ブラウザで開いているページに次のコードを入力してください" in email.body
    text = email.body.replace(code, "")
    for stock in ("登録しようとしています", "example.com", "127.0.0.1", "testserver", "Mottainai"):
        assert stock not in text


def test_the_password_reset_email_names_the_service_and_no_host(client, alice):
    client.post(reverse("account_reset_password"), {"email": alice.email})

    [email] = mail.outbox
    assert "パスワード再設定の申し込みを受け付けました" in email.body
    [link] = [line for line in email.body.splitlines() if "/auth/password/reset/key/" in line]
    assert email.body.count("testserver") == 1 and link.startswith("http://testserver/")
