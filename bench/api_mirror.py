"""Public API throughput and latency at scale, and how fast a change reaches the mirror.

    python bench/api_mirror.py                      # 200,000 listings on PostgreSQL
    python bench/api_mirror.py --write docs/PERFORMANCE.md

Creates (and drops) the PostgreSQL database `mottainai_bench_api` at 127.0.0.1, fills it with
`manage.py generate_listings`, serves the site with uvicorn, and loads it from a thread pool in
this process: requests per second and median / 95th-percentile time of the API list endpoint
(plain, filtered, a deep cursor page) and the detail endpoint. Then it changes listings and
measures how long until the API, the feed and the widget show the change.
"""

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import footer, fresh_postgres, publish, start  # noqa: E402

ENV = {
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/mottainai_bench_api?sslmode=disable",
    "REDIS_URL": "redis://127.0.0.1:6379/8",
    "CACHE_KEY_PREFIX": "mottainai-bench-api",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "MIRROR_API_RATE": "100000000/s",
    "MOTTAINAI_VAR_DIR": "/tmp/mottainai-bench-var",
    "MEDIA_ROOT": "/tmp/mottainai-bench-media",
    "LOG_LEVEL": "WARNING",
    "SITE_URL": "http://127.0.0.1:8765",
    "DATABASE_CONN_MAX_AGE": "0",  # ASGI: one connection per request thread  # `next` links point at the benchmark server
}


def setup(count: int) -> None:
    fresh_postgres("mottainai_bench_api")
    os.environ.update(ENV)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("generate_listings", count=count)
    print(f"generated {count} listings in {time.perf_counter() - started:.0f} s", flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def serve(port: int, workers: int) -> subprocess.Popen:
    return start(
        [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1", "--port", str(port),
         "--loop", "uvloop", "--http", "httptools", "--workers", str(workers), "--log-level", "warning", "--no-access-log"],
        port=port, cwd=ROOT, env={**os.environ, **ENV},
    )


def load(base: str, paths: list[str], seconds: float, concurrency: int) -> dict:
    """Closed loop with `concurrency` clients for `seconds`: throughput and latency percentiles."""
    import requests

    times: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(index: int) -> None:
        nonlocal errors
        session = requests.Session()
        i = index
        while time.perf_counter() < stop:
            started = time.perf_counter()
            response = session.get(base + paths[i % len(paths)])
            elapsed = time.perf_counter() - started
            with lock:
                if response.status_code == 200:
                    times.append(elapsed)
                else:
                    errors += 1
            i += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(times)
    return {
        "rps": len(times) / seconds,
        "p50": statistics.median(ordered) * 1000,
        "p95": ordered[int(0.95 * (len(ordered) - 1))] * 1000,
        "errors": errors,
    }


def deep_cursor(base: str, pages: int) -> str:
    import requests

    url = base + "/api/v1/listings?limit=20"
    for _ in range(pages):
        url = requests.get(url).json()["next"]
    return url.replace(base, "")


def freshness(base: str) -> list[tuple[str, float]]:
    """Withdraw the newest listing through the service; time until each channel stops showing it."""
    import requests

    from listings.lifecycle import Action
    from listings.models import Listing
    from listings.services import listing_transition

    newest = Listing.objects.filter(status="published").order_by("-published_at", "-id").first()
    marker = f"/listings/{newest.pk}/"
    shows = {
        "API list": lambda: marker in requests.get(base + "/api/v1/listings?limit=20").text,
        "API detail": lambda: requests.get(base + f"/api/v1/listings/{newest.pk}").status_code == 200,
        "Atom feed": lambda: marker in requests.get(base + "/feeds/listings.atom").text,
        "widget": lambda: marker in requests.get(base + "/embed/listings?limit=20").text,
    }
    assert all(check() for check in shows.values()), "the newest listing should show everywhere first"
    started = time.perf_counter()
    listing_transition(listing=newest, action=Action.WITHDRAW, actor=newest.owner)
    results = []
    for name, check in shows.items():
        while check() and time.perf_counter() - started < 120:
            time.sleep(0.05)
        results.append((name, time.perf_counter() - started))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--write")
    args = parser.parse_args()
    setup(args.count)
    from django.db import connections

    from listings.models import Listing

    ids = list(Listing.objects.filter(status="published").order_by("?").values_list("pk", flat=True)[:200])
    connections.close_all()
    port = 8765
    base = f"http://127.0.0.1:{port}"
    server = serve(port, args.workers)
    rows = []
    try:
        deep = deep_cursor(base, 200)
        scenarios = {
            "list, newest first": ["/api/v1/listings"],
            "list, kind + free filters": ["/api/v1/listings?kind=offer&free=true"],
            "list, by category, price order": ["/api/v1/listings?category=furniture&sort=price"],
            "list, page 201 (cursor)": [deep],
            "detail": [f"/api/v1/listings/{pk}" for pk in ids],
        }
        for name, paths in scenarios.items():
            load(base, paths, 2, args.concurrency)  # warm up
            result = load(base, paths, args.seconds, args.concurrency)
            rows.append((name, result))
            print(f"{name}: {result['rps']:.0f} req/s, p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms, errors {result['errors']}", flush=True)
        fresh = freshness(base)
        for name, seconds in fresh:
            print(f"freshness {name}: {seconds:.2f} s", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=10)
    report = render(args, rows, fresh)
    publish(report, args.write, "api-mirror")


def render(args, rows, fresh) -> str:
    import django

    lines = [
        "## Public API at scale, and freshness of the mirror",
        "",
        f"{args.count:,} listings generated by `manage.py generate_listings` (about half public) on PostgreSQL; "
        f"uvicorn with {args.workers} workers serving `config.asgi`; {args.concurrency} concurrent clients in the "
        f"benchmark process on the same 2-CPU machine, {args.seconds:.0f} s per row after a warm-up. Django {django.get_version()}.",
        "",
        "| request | requests/s | p50 (ms) | p95 (ms) | errors |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, r in rows:
        lines.append(f"| {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['errors']} |")
    lines += ["", "Time from withdrawing a listing (through the service) until each channel no longer shows it, "
              "polling every 50 ms without HTTP caches:", "", "| channel | seconds |", "| --- | ---: |"]
    for name, seconds in fresh:
        lines.append(f"| {name} | {seconds:.2f} |")
    lines += footer("`python bench/api_mirror.py --write docs/PERFORMANCE.md` (PostgreSQL and Redis at 127.0.0.1)")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
