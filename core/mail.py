"""Sending email: rendered in the recipient's language, sent by a task with retries, after commit.

Every email of the site goes through here, so that a mail server that is down neither fails the
action that sends it nor loses the email, and a subject never carries a line break (Django refuses
those in headers; a listing title with one must not lose the email or let it add headers).
"""

import unicodedata
from functools import partial

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from core.tasks import send_email
from core.text import bidi_controls_drop


def one_line(text: str) -> str:
    """The text as one header line: control characters (CR, LF, tab...) and line separators
    become spaces, runs of spaces one space, and bidi override controls are dropped (a title
    saved before forms refused them must not show a file name backwards in a mail client)."""
    text = bidi_controls_drop(text)
    return " ".join("".join(" " if unicodedata.category(char) == "Cc" else char for char in text).split())


def email_send_text(*, to: str, subject: str, body: str, headers: dict[str, str] | None = None, kind: str = "") -> None:
    """Queue a written email to `to` on the mail task once the current transaction commits (at
    once outside one): nothing is sent for an action that rolls back. `kind` names the email in
    the staff console's list of failed emails. The subject starts with EMAIL_SUBJECT_PREFIX."""
    headers = {name: one_line(value) for name, value in (headers or {}).items()}
    subject = one_line(settings.EMAIL_SUBJECT_PREFIX + subject)
    transaction.on_commit(
        partial(send_email.enqueue, to=to, subject=subject, body=body, headers=headers, kind=kind), robust=True
    )


def email_queue(*, to: str, subject: str, body: str, kind: str = "") -> None:
    """Queue a written email on the mail task at once, inside the current transaction: for
    allauth's emails, whose flows run outside ours (allauth has put ACCOUNT_EMAIL_SUBJECT_PREFIX,
    that is EMAIL_SUBJECT_PREFIX, before the subject). The database task queue commits or rolls
    back the task with the transaction, so nothing is sent for a change that rolls back either."""
    send_email.enqueue(to=to, subject=one_line(subject), body=body, headers={}, kind=kind)


def email_send(*, to: str, template: str, context: dict, language: str | None = None) -> None:
    """Render `<template>_subject.txt` and `<template>_body.txt` (plain text) in the recipient's
    `language` (default: the site's; accounts store no language yet) and send them as
    email_send_text does."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}_body.txt", context)
    email_send_text(to=to, subject=subject, body=body, kind=template)
