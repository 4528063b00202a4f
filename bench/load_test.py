"""Load test of the production stack on this machine (locust, headless).

    python bench/load_test.py [--listings 200000] [--users 60] [--seconds 120] [--write docs/PERFORMANCE.md]

Starts deploy/stack.py (nginx, granian with 2 workers, uvicorn, the task worker, PostgreSQL,
Redis, moto S3), fills it with `generate_listings`, creates 200 resident accounts with a
conversation and a session each (one resident in ten logs in through the form; the others use
their session: every simulated user comes from 127.0.0.1, which allauth's per-address login limit
would refuse), then runs bench/locustfile.py: visitors browsing and searching (weight 6),
residents posting a listing with a photo (1) and residents writing messages (2). Locust runs on
the same 2 cores as the servers, so the figures are a floor.
"""

import argparse
import csv
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import footer, publish  # noqa: E402

from deploy.stack import Stack  # noqa: E402

PREPARE = """
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from accounts.models import PostalCode, User
from listings.models import Listing
from messaging.models import Conversation, Message
town = PostalCode.objects.get(code="1040061").town
password = make_password("load-test-password")
users = User.objects.bulk_create([User(email=f"load{i}@example.com", display_name=f"住民{i}", password=password, town=town, postal_code="1040061") for i in range(200)])
EmailAddress.objects.bulk_create([EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users])
listings = list(Listing.objects.filter(status="published").order_by("?")[:200])
for user, listing in zip(users, listings):
    conversation = Conversation.objects.create(listing=listing, requester=user)
    Message.objects.create(conversation=conversation, sender=user, body="ください")
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
keys = []
for user in users:
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    keys.append(session.session_key)
print(settings.SESSION_COOKIE_NAME, ",".join(keys))
print(Listing.objects.order_by("-id").values_list("id", flat=True).first())
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listings", type=int, default=200_000)
    parser.add_argument("--users", type=int, default=60)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--write")
    args = parser.parse_args()
    stack = Stack(wsgi_workers=2)
    try:
        stack.up()
        started = time.monotonic()
        subprocess.run([sys.executable, "manage.py", "generate_listings", "--count", str(args.listings)], cwd=ROOT, env=stack.env,
                       check=True, stdout=subprocess.DEVNULL)
        print(f"generated {args.listings} listings in {time.monotonic() - started:.0f} s", flush=True)
        import psycopg

        with psycopg.connect(stack.env["DATABASE_URL"].split("?")[0], autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")  # fresh statistics after the bulk load, as a real database has
        prepared = subprocess.run([sys.executable, "manage.py", "shell", "-c", PREPARE], cwd=ROOT, env=stack.env, check=True,
                                  capture_output=True, text=True).stdout.strip().splitlines()
        cookie_name, sessions = prepared[-2].split()
        max_id = prepared[-1]
        prefix = stack.run_dir / "locust"
        env = {**os.environ, "LOAD_ACCOUNTS": ",".join(f"load{i}@example.com" for i in range(200)), "LOAD_MAX_ID": max_id,
               "LOAD_SESSIONS": sessions, "LOAD_SESSION_COOKIE": cookie_name}
        subprocess.run([sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "-u", str(args.users),
                        "-r", "10", "-t", f"{args.seconds}s", "--host", stack.url, "--csv", str(prefix), "--only-summary"],
                       cwd=ROOT, env=env, check=False)
        rows = list(csv.DictReader(open(f"{prefix}_stats.csv", encoding="utf-8")))
        failures = list(csv.DictReader(open(f"{prefix}_failures.csv", encoding="utf-8")))
    finally:
        stack.down()
    table = []
    for row in rows:
        name = "**all requests**" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
        table.append(f"| {name} | {int(row['Request Count']):,} | {int(row['Failure Count']):,} | {float(row['Requests/s']):.1f} | "
                     f"{row['50%']} | {row['95%']} | {row['99%']} |")
    report = "\n".join([
        "## Load test of the production stack",
        "",
        f"{args.listings:,} listings on PostgreSQL; nginx in front of granian (2 workers) and uvicorn; {args.users} simulated users "
        f"for {args.seconds} s (locust: visitors browsing and searching 6, residents posting with a photo 1, residents messaging 2), "
        "locust on the same 2 cores as every server.",
        "",
        "| request | count | failures | requests/s | p50 (ms) | p95 (ms) | p99 (ms) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        *table,
        "",
        *(["Failures, by request and reason:", "", "| request | error | occurrences |", "| --- | --- | ---: |",
           *(f"| {f['Method']} {f['Name']} | {f['Error']} | {f['Occurrences']} |" for f in failures)] if failures else
          ["No request failed."]),
        *footer(f"`python bench/load_test.py --users {args.users} --seconds {args.seconds} --write docs/PERFORMANCE.md`"),
    ])
    publish(report, args.write, "load-test")


if __name__ == "__main__":
    main()
