"""Requests per second of our pages against a trivial Django view, on one granian worker.

    python bench/pages_vs_floor.py [--listings 200000] [--rounds 3] [--seconds 5] [--write docs/PERFORMANCE.md]

Starts the production stack (deploy/stack.py: production settings, PostgreSQL, Redis, photos in
S3 through moto), fills it with `generate_listings` (70% of the listings with a photo), then
starts one more granian worker (WSGI, one worker) serving the site plus a trivial view through
the full middleware (bench/wsgi.py): the floor, measured in the same run. wrk (Debian's `wrk`;
1 thread, 8 connections) loads each page for `--seconds`, the pages taking turns round after
round; the report gives each page's median requests per second and its ratio to the floor's
(how many times slower than the floor). Pages are fetched as a visitor (served from the page
cache after the first request, as in production) and as a signed-in resident (a session cookie;
their own copy in the page cache, under their account and badges). Goals (issue 20): visitor pages at most 5x the floor, keyword search at most 10x,
signed-in pages at most 10x.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import footer, publish, start  # noqa: E402

from deploy.stack import PYTHON, Stack, free_port  # noqa: E402

PREPARE = """
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from importlib import import_module
from allauth.account.models import EmailAddress
from accounts.models import PostalCode, User
from listings.models import Listing
town = PostalCode.objects.get(code="1040061").town
user = User.objects.create_user(email="pages@example.com", password="pages-bench-password", display_name="計測住民", town=town, postal_code="1040061")
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
session = import_module(settings.SESSION_ENGINE).SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.save()
detail = Listing.objects.filter(status="published").order_by("-published_at").values_list("pk", flat=True)[500]
print(settings.SESSION_COOKIE_NAME, session.session_key, detail)
"""

# (name, path, goal as "at most N times the floor"); {detail} is a published listing.
PAGES = [
    ("home", "/", 5),
    ("browse, category + free", "/listings/?category=furniture&free=on", 5),
    ("listing detail", "/listings/{detail}/", 5),
    ("board", "/board/", 5),
    ("API list", "/api/v1/listings?limit=20", 5),
    ("keyword search, one term (本棚)", "/listings/?q=" + quote("本棚"), 10),
    ("keyword search, two terms (白い 棚)", "/listings/?q=" + quote("白い 棚"), 10),
]


def wrk(url: str, seconds: int, cookie: str = "") -> dict:
    command = ["wrk", "-t1", "-c8", f"-d{seconds}s", "--latency", url]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "errors": int(errors.group(1)) if errors else 0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listings", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--write")
    args = parser.parse_args()
    stack = Stack()
    server = None
    os.environ["MIRROR_API_RATE"] = "1000000/m"  # wrk's requests all come from one address
    try:
        stack.up()
        started = time.monotonic()
        subprocess.run([sys.executable, "manage.py", "generate_listings", "--count", str(args.listings)], cwd=ROOT,
                       env=stack.env, check=True, stdout=subprocess.DEVNULL)
        print(f"generated {args.listings:,} listings in {time.monotonic() - started:.0f} s", flush=True)
        import psycopg

        with psycopg.connect(stack.env["DATABASE_URL"].split("?")[0], autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")  # fresh statistics after the bulk load, as a real database has
        out = subprocess.run([sys.executable, "manage.py", "shell", "-c", PREPARE], cwd=ROOT, env=stack.env, check=True,
                             capture_output=True, text=True).stdout.strip().splitlines()[-1]
        cookie_name, session_key, detail = out.split()
        cookie = f"{cookie_name}={session_key}"
        port = free_port()
        server = start([PYTHON, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
                        "--blocking-threads", "4", "bench.wsgi:application"], port=port, cwd=ROOT, env=stack.env)
        base = f"http://127.0.0.1:{port}"
        runs = [("trivial Django view (floor)", "/bench/trivial", "", None),
                # no goal: what a signed-in page costs before its own work (session and account)
                ("trivial view asking who is signed in, signed in", "/bench/trivial-user", cookie, None)]
        for name, path, goal in PAGES:
            runs.append((f"{name}, visitor", path.format(detail=detail), "", goal))
        for name, path, _goal in PAGES:
            if not path.startswith("/api/"):  # the API has no signed-in variant
                runs.append((f"{name}, signed in", path.format(detail=detail), cookie, 10))
        for _name, path, jar, _goal in runs:  # warm up: imports, the page cache, database buffers
            wrk(base + path, 1, jar)
        results: dict[str, list[dict]] = {name: [] for name, *_ in runs}
        for round_number in range(args.rounds):
            for name, path, jar, _goal in runs:
                results[name].append(wrk(base + path, args.seconds, jar))
            print(f"round {round_number + 1} of {args.rounds} done", flush=True)
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
        stack.down()
    floor = statistics.median(r["rps"] for r in results[runs[0][0]])
    lines = [
        "## Pages against the framework's floor (one granian worker)",
        "",
        f"{args.listings:,} listings on PostgreSQL (70% with a photo, stored in S3 through moto), production settings with Redis; "
        f"one granian WSGI worker; wrk with 1 thread and 8 connections, {args.seconds} s per page, {args.rounds} rounds taking turns; "
        "medians. The floor is a trivial Django view through the full middleware, on the same server in the same run. "
        "Pages come from the page cache (core/pagecache.py) as in production: the visitors' copy, and the resident's own copy "
        "(their account, their generation and their two badges are read on every request).",
        "",
        "| page | requests/s (median) | × floor | goal | met | non-2xx |",
        "| --- | ---: | ---: | ---: | --- | ---: |",
    ]
    met_all = True
    for name, _path, _jar, goal in runs:
        rps = statistics.median(r["rps"] for r in results[name])
        ratio = floor / rps if rps else float("inf")
        errors = sum(r["errors"] for r in results[name])
        met = goal is None or (ratio <= goal and not errors)
        met_all &= met
        lines.append(f"| {name} | {rps:,.0f} | {ratio:.1f} | {'' if goal is None else f'≤ {goal}'} | "
                     f"{'' if goal is None else ('yes' if met else 'no')} | {errors} |")
    lines += ["", f"Result: {'every goal met' if met_all else 'not every goal met'}."]
    lines += footer("`python bench/pages_vs_floor.py --write docs/PERFORMANCE.md`")
    publish("\n".join(lines), args.write, "pages-vs-floor")


if __name__ == "__main__":
    main()
