"""Deployment check: the demo accounts (public password, public TOTP secret) in a real database."""

from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError


@register("mottainai", Tags.database, deploy=True)
def check_demo_accounts(app_configs=None, databases=None, **kwargs) -> list:
    """E006: anyone who read the README can sign in as a demo account, the staff one included.

    A database check: `manage.py check --deploy --database default` runs it (plain `check --deploy`
    does not touch the database).
    """
    from accounts.models import User
    from listings.demo import RESIDENTS, STAFF_EMAIL

    emails = [STAFF_EMAIL, *(email for email, _name in RESIDENTS)]
    messages = []
    for alias in databases or []:
        try:
            found = sorted(User.objects.using(alias).filter(email__in=emails).values_list("email", flat=True))
        except DatabaseError as exc:
            messages.append(
                Warning(
                    f"Could not look for demo accounts in the {alias!r} database: {exc}",
                    hint="Run `manage.py migrate` first, then check again.",
                    id="mottainai.W001",
                )
            )
            continue
        if found:
            messages.append(
                Error(
                    f"The {alias!r} database holds demo accounts ({', '.join(found)}), whose password "
                    "and two-factor secret are published: anyone can sign in as them.",
                    hint="This database was loaded with `load_demo`: deploy on a fresh database, "
                    "or delete these accounts in the admin.",
                    id="mottainai.E006",
                )
            )
    return messages
