"""The production stack on loopback (deploy/stack.py), for tests that go through real servers.

Skipped, with the reason, where the machine lacks a part (nginx, PostgreSQL's server programs,
redis-server); `.ci/run` installs nginx so that CI always runs them.
"""

import glob
import re
import time
from email import message_from_string
import shutil
import sys
from pathlib import Path

import pytest
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from deploy.stack import Stack  # noqa: E402


def pytest_collection_modifyitems(items):
    """The stack runs in other processes with the machine's clock (TOTP codes, cookie expiry), so
    these tests keep it too."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.real_clock)


def require_stack_parts() -> None:
    """Skip, with the reason, where the machine lacks a part of the stack."""
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        pytest.skip("nginx is not installed (apt-get install nginx-light); .ci/run installs it")
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb") and not shutil.which("initdb"):
        pytest.skip("PostgreSQL's server programs are not installed (apt-get install postgresql)")
    if not shutil.which("redis-server") and not Path("/usr/bin/redis-server").exists():
        pytest.skip("redis-server is not installed (apt-get install redis-server)")


@pytest.fixture(scope="session")
def stack():
    require_stack_parts()
    running = Stack().up()
    yield running
    running.down()


def _confirmation_code(mail_dir: Path, email: str) -> str | None:
    """The sign-up code of the newest email to `email` (the file backend writes one file per
    connection, messages separated by a line of dashes, bodies base64-encoded)."""
    for path in sorted(mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True):
        for raw in path.read_text(errors="replace").split("-" * 79):
            message = message_from_string(raw.strip())
            if email not in (message.get("To") or ""):
                continue
            body = message.get_payload(decode=True).decode("utf-8", errors="replace")
            found = re.search(r"^(\d{6})$", body, re.M)
            if found:
                return found.group(1)
    return None


def confirmation_code_sent(stack: Stack, email: str) -> str | None:
    """The sign-up code once the task worker has sent it (as every email). The worker may still be
    starting on a busy machine (the stack is ready when its web servers answer): 90 s."""
    deadline = time.monotonic() + 90
    while (code := _confirmation_code(stack.run_dir / "var" / "mail", email)) is None and time.monotonic() < deadline:
        time.sleep(0.2)
    return code


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf(session: requests.Session, url: str) -> str:
    response = session.get(url, timeout=10)
    response.raise_for_status()
    return CSRF.search(response.text).group(1)


def sign_up(stack: Stack, email: str, name: str, postal_code: str) -> requests.Session:
    """Sign up through the real site and type the emailed code, as a resident would."""
    session = requests.Session()
    url = f"{stack.url}/auth/signup/"
    response = session.post(url, data={
        "csrfmiddlewaretoken": csrf(session, url), "email": email, "password1": "correct-horse-battery-42",
        "display_name": name, "postal_code": postal_code,
        "accept_terms": "on",
    }, headers={"Referer": url}, timeout=10)
    assert response.status_code == 200, response.text[:500]
    code = confirmation_code_sent(stack, email)
    assert code, "no confirmation email"
    url = f"{stack.url}/auth/confirm-email/"
    response = session.post(url, data={"csrfmiddlewaretoken": csrf(session, url), "code": code}, headers={"Referer": url}, timeout=10)
    assert response.status_code == 200 and "/auth/confirm-email/" not in response.url, response.text[:500]
    return session


STAFF_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"


def make_staff(stack: Stack, email: str, password: str) -> None:
    """A staff member in the stack's database, with the staff role and TOTP (STAFF_SECRET) set up."""
    import subprocess

    code = (
        "from allauth.account.models import EmailAddress; from allauth.mfa.totp.internal.auth import TOTP; "
        "from django.contrib.auth.models import Group; from accounts.models import User; "
        f"u = User.objects.create_user(email={email!r}, password={password!r}, display_name='環境推進課'); "
        "u.groups.add(Group.objects.get(name='staff')); "
        f"EmailAddress.objects.create(user=u, email={email!r}, verified=True, primary=True); "
        f"TOTP.activate(u, {STAFF_SECRET!r})"
    )
    subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=Path(__file__).resolve().parents[2], env=stack.env, check=True,
                   stdout=subprocess.DEVNULL)


def totp_now() -> str:
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(STAFF_SECRET, int(time.time()) // 30))
