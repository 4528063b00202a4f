"""Server time of the pages residents use most, at 200,000 and 1,000,000 listings, on SQLite and
PostgreSQL, next to a trivial Django view (the framework's floor).

    python bench/browse_scale.py                          # both databases, both sizes
    python bench/browse_scale.py --sizes 200000 --databases postgresql
    python bench/browse_scale.py --write docs/PERFORMANCE.md

Each database runs in its own process. Listings come from `manage.py generate_listings` (grown
from the smaller size to the larger one). Requests go through Django's full middleware stack
in-process (django.test.Client), so the figures are server time without the network. Each page
is requested `--repeat` times after a warm-up; median and 95th percentile are reported.
PostgreSQL: creates and drops the database `mottainai_bench_scale` at 127.0.0.1.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import footer, fresh_postgres, publish  # noqa: E402

SQLITE_DIR = "/tmp/mottainai-bench-scale"


def worker(database: str, sizes: list[int], repeat: int) -> list[dict]:
    """Runs inside the per-database process: set up, grow, measure."""
    if database == "postgresql":
        os.environ["DATABASE_URL"] = fresh_postgres("mottainai_bench_scale")
    else:
        import shutil

        shutil.rmtree(SQLITE_DIR, ignore_errors=True)
        os.environ.pop("DATABASE_URL", None)
        os.environ["MOTTAINAI_VAR_DIR"] = SQLITE_DIR
    os.environ.setdefault("MOTTAINAI_VAR_DIR", SQLITE_DIR)
    os.environ["MEDIA_ROOT"] = SQLITE_DIR + "-media"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings

    from listings.models import Listing
    from listings.selectors import listings_public, page_after

    call_command("migrate", verbosity=0)
    results = []
    have = 0
    for size in sizes:
        started = time.perf_counter()
        call_command("generate_listings", count=size - have, seed=size, verbosity=0)
        have = size
        with connection.cursor() as cursor:
            # What autovacuum does in production after a bulk load (statistics, visibility map).
            cursor.execute("VACUUM ANALYZE" if database == "postgresql" else "ANALYZE")
        print(f"[{database}] {size:,} listings ready in {time.perf_counter() - started:.0f} s", flush=True)
        deep = None
        qs = listings_public()
        for _ in range(500):  # the cursor of page 501 of "newest"
            _rows, deep = page_after(qs, sort="newest", cursor=deep, limit=24)
        detail = Listing.objects.filter(status="published").order_by("-published_at").values_list("pk", flat=True)[500]
        pages = {
            "trivial Django view (floor)": "/bench/trivial",
            "home page": "/",
            "browse, two filters (category + free)": "/listings/?category=furniture&free=on",
            "keyword search, one term (本棚)": "/listings/?q=本棚",
            "keyword search, two terms (白い 棚)": "/listings/?q=白い+棚",
            "browse, page 501": f"/listings/?cursor={deep}",
            "listing detail": f"/listings/{detail}/",
        }
        client = Client()
        with override_settings(ROOT_URLCONF="bench.urls"):
            for name, url in pages.items():
                for _ in range(3):
                    assert client.get(url).status_code == 200, url
                times = []
                for _ in range(repeat):
                    t = time.perf_counter()
                    client.get(url)
                    times.append((time.perf_counter() - t) * 1000)
                times.sort()
                results.append({
                    "database": database, "size": size, "page": name,
                    "p50": statistics.median(times), "p95": times[int(0.95 * (len(times) - 1))],
                })
                print(f"[{database}] {size:,} {name}: p50 {results[-1]['p50']:.1f} ms, p95 {results[-1]['p95']:.1f} ms", flush=True)
        # The search itself, without the page around it: the page's ids and cards and the capped
        # count, as the browse view runs them (a fresh filter each time, as for each request).
        from django.contrib.auth.models import AnonymousUser

        from listings.filters import ListingFilter
        from listings.selectors import count_up_to, listings_public_for, page_around

        for name, words in (("keyword search query, one term (本棚)", "本棚"), ("keyword search query, two terms (白い 棚)", "白い 棚")):
            times = []
            for attempt in range(repeat + 3):
                t = time.perf_counter()
                found = ListingFilter({"q": words}, queryset=listings_public_for(AnonymousUser()))
                page_around(found.qs, cards=found.queryset, sort="newest", cursor=None, before=None, limit=24)  # as the view
                count_up_to(found.qs)
                if attempt >= 3:  # after a warm-up
                    times.append((time.perf_counter() - t) * 1000)
            times.sort()
            results.append({
                "database": database, "size": size, "page": name,
                "p50": statistics.median(times), "p95": times[int(0.95 * (len(times) - 1))],
            })
            print(f"[{database}] {size:,} {name}: p50 {results[-1]['p50']:.1f} ms, p95 {results[-1]['p95']:.1f} ms", flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="200000,1000000")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--write")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.worker:
        print("RESULTS " + json.dumps(worker(args.worker, sizes, args.repeat)), flush=True)
        return
    results = []
    for database in args.databases.split(","):
        proc = subprocess.run(
            [sys.executable, __file__, "--worker", database, "--sizes", args.sizes, "--repeat", str(args.repeat)],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )
        sys.stdout.write("".join(line + "\n" for line in proc.stdout.splitlines() if not line.startswith("RESULTS ")))
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr[-3000:])
            raise SystemExit(f"{database} run failed")
        results += json.loads([l for l in proc.stdout.splitlines() if l.startswith("RESULTS ")][0][8:])
    report = render(results, args)
    publish(report, args.write, "browse-scale-" + args.databases.replace(",", "-"))  # one section per database set


def render(results: list[dict], args) -> str:
    import django

    floors = {(r["database"], r["size"]): r["p50"] for r in results if r["page"].startswith("trivial")}
    lines = [
        f"## Browsing and search at scale ({', '.join(sorted({r['database'] for r in results}))})",
        "",
        f"Server time in-process (django.test.Client through the full middleware stack), {args.repeat} requests per row "
        f"after a warm-up, Django {django.get_version()}, data from `manage.py generate_listings` (about half of the "
        "listings public). The ratio compares each median with the trivial view's median on the same database and size.",
        "",
        "| database | listings | page | p50 (ms) | p95 (ms) | × floor |",
        "| --- | ---: | --- | ---: | ---: | ---: |",
    ]
    for r in results:
        floor = floors.get((r["database"], r["size"])) or 1
        lines.append(f"| {r['database']} | {r['size']:,} | {r['page']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p50'] / floor:.0f} |")
    lines += footer("`python bench/browse_scale.py --write docs/PERFORMANCE.md`")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
