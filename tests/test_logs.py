"""Logs an operator can search: one JSON object per line on stdout, the request id in every line
of a request and of the tasks it queued (also in the worker), and no personal data."""

import io
import json
import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from config.logs import formatter
from config.request_id import request_id_from
from messaging.models import Message
from tests.accounts.test_signup import SIGNUP, confirm_by_code
from tests.factories import make_listing


@pytest.fixture
def log_lines():
    """What the console handler prints (JSON), one parsed object per line, as a function."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter("json"))
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def test_a_line_of_the_running_site_is_one_json_object_on_stdout(tmp_path):
    env = {**os.environ, "DJANGO_DEBUG": "0", "MOTTAINAI_VAR_DIR": str(tmp_path)}
    env.pop("MOTTAINAI_TESTING", None)
    env.pop("LOG_FORMAT", None)
    code = "import logging; logging.getLogger('mirror.webhooks').warning('Webhook delivery given up', extra={'delivery_id': 42})"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=settings.BASE_DIR, env=env,
        capture_output=True, text=True, timeout=120, check=True,
    )
    [line] = [line for line in result.stdout.splitlines() if "Webhook" in line]
    entry = json.loads(line)
    assert entry["event"] == "Webhook delivery given up" and entry["delivery_id"] == 42
    assert (entry["level"], entry["logger"]) == ("warning", "mirror.webhooks")
    assert entry["time"].endswith("Z")  # ISO 8601, UTC


@pytest.mark.parametrize("incoming,kept", [
    ("req-42.a_B", True),
    ("x" * 64, True),
    ("x" * 65, False),
    ("bad id", False),
    ("<script>", False),
    ("", False),
])
def test_an_incoming_request_id_is_kept_only_when_sane(incoming, kept):
    made = request_id_from(incoming)
    assert (made == incoming) is kept
    if not kept:
        assert len(made) == 32 and made.isalnum()


@pytest.mark.django_db
def test_every_answer_carries_its_request_id_and_every_line_of_the_request_names_it(client, log_lines):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a")
    assert response["X-Request-ID"] == "lb-7f3a"
    not_found = client.get("/no-such-page/")
    assert not_found.status_code == 404 and len(not_found["X-Request-ID"]) == 32
    assert client.get("/", HTTP_X_REQUEST_ID="no spaces please")["X-Request-ID"] != "no spaces please"
    [warning] = [line for line in log_lines() if line["event"].startswith("Not Found")]
    assert warning["request_id"] == not_found["X-Request-ID"]


@pytest.mark.django_db
def test_a_task_queued_by_a_request_logs_in_the_worker_with_the_same_request_id(client, settings, log_lines, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = client.post(reverse("account_signup"), SIGNUP, HTTP_X_REQUEST_ID="signup-1")
    assert response.status_code == 302
    task = DBTaskResult.objects.get(task_path="core.tasks.send_email")
    assert task.args_kwargs["request_id"] == "signup-1"
    assert "request_id" not in task.args_kwargs["kwargs"]  # the task function never sees it

    # The worker, later, in another context: the mail server is down.
    def down(self, messages):
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", down)
    worker = Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=1, worker_id="test-worker", excluded_queue_names=[])
    task.claim(worker.worker_id)
    worker.run_task(task)

    lines = [line for line in log_lines() if line.get("task_id") == str(task.pk)]
    [retry] = [line for line in lines if line["event"] == "Sending an email failed; trying again"]
    assert retry["request_id"] == "signup-1"
    assert (retry["error"], retry["attempt"], retry["kind"]) == ("ConnectionRefusedError", 1, "account/email/email_confirmation_signup")
    assert {line["request_id"] for line in lines} == {"signup-1"}  # Django's "Task ... started" line too
    # The retry it queued carries the same id.
    again = DBTaskResult.objects.filter(status="READY", task_path="core.tasks.send_email").get()
    assert again.args_kwargs["request_id"] == "signup-1"


@pytest.mark.django_db
def test_signing_up_signing_in_and_messaging_log_no_email_name_or_message_text(
    client, bob_client, alice, log_lines, django_capture_on_commit_callbacks
):
    logging.getLogger().setLevel(logging.DEBUG)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("account_signup"), SIGNUP)
            confirm_by_code(client)
            client.logout()
            client.post(reverse("account_login"), {"login": SIGNUP["email"], "password": "wrong-guess-here"})
            client.post(reverse("account_login"), {"login": SIGNUP["email"], "password": SIGNUP["password1"]})
            listing = make_listing(alice)
            bob_client.post(reverse("messaging:start", args=[listing.pk]), {"body": "土曜の午後に取りに行けます"})
    finally:
        logging.getLogger().setLevel(logging.INFO)
    # The flows ran: the confirmation email went, the message was written.
    assert len(mail.outbox) == 1 and Message.objects.filter(body="土曜の午後に取りに行けます").exists()
    text = json.dumps(log_lines(), ensure_ascii=False)
    assert text != "[]"
    for personal in (SIGNUP["email"], SIGNUP["display_name"], SIGNUP["password1"], alice.email, alice.display_name,
                     "土曜の午後に取りに行けます", "bob@example.com"):
        assert personal not in text


def test_log_format_is_json_or_console():
    from django.core.exceptions import ImproperlyConfigured

    from config.logs import logging_config

    assert logging_config("INFO", "console")["formatters"]["structured"]["log_format"] == "console"
    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT"):
        logging_config("INFO", "xml")
    logging_config("INFO", "json")  # structlog configured as the settings leave it
