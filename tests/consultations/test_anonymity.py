"""Anonymous by construction: answering writes the ballot and nothing else that could link it to
the resident; no table, log line or audit row written during an answer names them, the ballot has
no account, no time and no sequential id, and no staff page shows who answered what."""

import logging
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations.models import Ballot, Comment
from core.models import AuditRecord
from tests.consultations.conftest import answer_data

pytestmark = pytest.mark.django_db

WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?([a-z0-9_]+)"?', re.IGNORECASE)


def _snapshot() -> dict[str, set]:
    """Every row of every table of ours and Django's, as tuples of its values."""
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (table names from the database itself)
            found[table] = {tuple(str(value) for value in row) for row in cursor.fetchall()}
    return found


def test_answering_writes_the_ballot_and_nothing_that_names_the_resident(alice, alice_client, consultation, caplog):
    url = reverse("consultations:detail", args=[consultation.pk])
    alice_client.get(url)  # the session exists before the answer
    before = _snapshot()
    caplog.set_level(logging.DEBUG)

    with CaptureQueriesContext(connection) as queries:
        response = alice_client.post(url, answer_data(consultation, text="公園にベンチを"))

    assert response.status_code == 302
    written = {match.group(2).lower() for query in queries.captured_queries if (match := WRITE.match(query["sql"]))}
    assert written <= {"consultations_ballot", "consultations_comment", "django_session"}, written
    after = _snapshot()
    # (her id is a small number that other columns share by chance: test_a_ballot_has_no_account covers it)
    identifying = {alice.email, alice.display_name, str(alice.public_id), alice.postal_code}
    for table, rows in after.items():
        new = rows - before.get(table, set())
        if table == "django_session":
            continue  # the resident's own session (a message for the next page), which never names the ballot
        for row in new:
            assert not identifying & set(row), (table, row)
    ballot = Ballot.objects.get()
    session_rows = after["django_session"] - before["django_session"]
    assert not any(str(ballot.pk) in " ".join(row) or ballot.voter in " ".join(row) for row in session_rows)
    # nothing in the log names the resident, the ballot or its keyed hash
    logged = "\n".join(record.getMessage() + " " + str(record.__dict__) for record in caplog.records)
    for secret in (alice.email, str(ballot.pk), ballot.voter, "公園にベンチを"):
        assert secret not in logged
    assert not AuditRecord.objects.filter(action__startswith="consultation.").exclude(
        action__in=["consultation.save", "consultation.questions", "consultation.publish"]
    ).exists()


def test_a_ballot_has_no_account_no_time_and_a_random_id():
    fields = {field.name: field for field in Ballot._meta.get_fields()}
    user_model = apps.get_model("accounts", "User")
    assert not [f for f in fields.values() if getattr(f, "related_model", None) is user_model]
    assert not [f for f in fields.values() if f.get_internal_type() in ("DateTimeField", "DateField", "TimeField")]
    assert fields["id"].get_internal_type() == "UUIDField"
    comment_fields = Comment._meta.get_fields()
    assert not [f for f in comment_fields if getattr(f, "related_model", None) is user_model]
    assert not [f for f in comment_fields if getattr(f, "get_internal_type", lambda: "")() in ("DateTimeField", "DateField")]


def test_the_keyed_hash_is_not_the_board_pseudonym_nor_guessable_without_its_key(alice_client, alice, consultation, settings):
    import hashlib

    alice_client.post(reverse("consultations:detail", args=[consultation.pk]), answer_data(consultation))
    voter = Ballot.objects.get().voter
    assert settings.CONSULTATION_VOTER_KEY not in (settings.BOARD_PSEUDONYM_KEY, settings.SECRET_KEY)
    plain = f"consultation:{consultation.pk}:account:{alice.pk}".encode()
    assert voter not in (hashlib.sha256(plain).hexdigest(), hashlib.sha256(str(alice.pk).encode()).hexdigest())


def test_staff_pages_about_the_consultation_never_show_who_answered(alice, alice_client, staff_client, consultation, clock):
    alice_client.post(reverse("consultations:detail", args=[consultation.pk]), answer_data(consultation, text="匿名の意見"))
    clock.move_to(consultation.closes_at)
    pages = [reverse("consultations:results", args=[consultation.pk]), reverse("consultations:results_csv", args=[consultation.pk]),
             reverse("consultations:detail", args=[consultation.pk])]
    for path in pages:
        body = staff_client.get(path).content.decode("utf-8-sig")
        assert alice.email not in body and alice.display_name not in body and str(alice.public_id) not in body
