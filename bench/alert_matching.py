"""How long matching one newly published listing against 100,000 saved searches takes.

    python bench/alert_matching.py [--searches 100000] [--database postgresql|sqlite] [--write docs/PERFORMANCE.md]

Saved searches are a realistic mix (keywords alone, category and town, category and free,
keywords and category) over 20,000 residents. For 200 new listings the bench times
`alerts.services.matching`: one indexed query narrows the searches by their structured filters,
then each candidate's keywords are checked against the listing's normalised text.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import footer, fresh_postgres, publish  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--searches", type=int, default=100_000)
    parser.add_argument("--database", default="postgresql", choices=["postgresql", "sqlite"])
    parser.add_argument("--listings", type=int, default=200)
    parser.add_argument("--write")
    args = parser.parse_args()
    if args.database == "postgresql":
        os.environ["DATABASE_URL"] = fresh_postgres("mottainai_bench_alerts")
    else:
        import shutil

        shutil.rmtree("/tmp/mottainai-bench-alerts", ignore_errors=True)
    os.environ["MOTTAINAI_VAR_DIR"] = "/tmp/mottainai-bench-alerts"
    os.environ["MEDIA_ROOT"] = "/tmp/mottainai-bench-alerts-media"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import Town, User
    from alerts.models import Alert, SavedSearch
    from alerts.matching import alerts_insert, listing_published, matching
    from listings.generate import WORDS
    from listings.models import Category, Listing
    from listings.search import key_gram, terms

    call_command("migrate", verbosity=0)
    rng = random.Random(1)
    towns = list(Town.objects.all())
    categories = list(Category.objects.all())
    users = User.objects.bulk_create(
        [User(email=f"alert{i}@example.com", display_name=f"住民{i}", town=rng.choice(towns), password="!") for i in range(20_000)]
    )
    rows = []
    for i in range(args.searches):
        shape = rng.random()
        q = rng.choice(WORDS) if shape < 0.4 or shape >= 0.9 else ""
        rows.append(SavedSearch(
            user=rng.choice(users), q=q, terms=terms(q), key_gram=key_gram(terms(q)),
            category=rng.choice(categories) if shape >= 0.4 else None,
            town=rng.choice(towns) if 0.4 <= shape < 0.7 else None,
            free=0.7 <= shape < 0.9,
            frequency=rng.choice(["instant", "daily", "badge"]),
        ))
    SavedSearch.objects.bulk_create(rows, batch_size=5000)
    # Saved long before the generated listings (up to three years old) went up, so that they match.
    SavedSearch.objects.update(created_at=datetime(2000, 1, 1, tzinfo=UTC), last_seen_at=datetime(2000, 1, 1, tzinfo=UTC))
    call_command("generate_listings", count=args.listings, owners=50, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    listings = list(Listing.objects.order_by("?")[: args.listings])
    times, matched, recording = [], [], []
    for listing in listings:
        started = time.perf_counter()
        found = matching(listing)
        times.append((time.perf_counter() - started) * 1000)
        matched.append(len(found))
        started = time.perf_counter()
        listing_published(listing=listing)  # matching plus writing the alerts, as the task does
        recording.append((time.perf_counter() - started) * 1000)
    # Writing 8,000 alerts about one listing, whatever the generator's vocabulary makes match.
    target = listings[0]
    Alert.objects.filter(listing=target).delete()
    eight_thousand = list(SavedSearch.objects.order_by("id").values_list("id", flat=True)[:8000])
    started = time.perf_counter()
    written = alerts_insert(target.pk, eight_thousand)
    write_8000 = (time.perf_counter() - started) * 1000
    most = max(range(len(matched)), key=matched.__getitem__)  # the listing that matched the most searches
    most_matched, most_recording = matched[most], recording[most]
    times.sort()
    recording.sort()
    matching_p95 = times[int(0.95 * (len(times) - 1))]
    recording_p95 = recording[int(0.95 * (len(recording) - 1))]
    verdict = lambda met: "met" if met else "not met"  # noqa: E731
    report = "\n".join([
        "## Matching a new listing against saved searches",
        "",
        f"{args.searches:,} saved searches over 20,000 residents on {args.database}; {len(listings)} listings from "
        "`generate_listings`; time of `alerts.services.matching` per listing (in-process), and of "
        "`listing_published` (matching and writing the alerts, what the task worker runs).",
        "",
        "| saved searches | matching p50 (ms) | matching p95 (ms) | max (ms) | searches matched per listing (median) | matching and writing the alerts p50 / p95 (ms) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {args.searches:,} | {statistics.median(times):.1f} | {matching_p95:.1f} | {times[-1]:.1f} "
        f"| {statistics.median(matched):.0f} | {statistics.median(recording):.1f} / {recording_p95:.1f} |",
        "",
        f"The listing that matched the most searches matched {most_matched:,}; matching it and writing its "
        f"{most_matched:,} alerts took {most_recording:.1f} ms.",
        "",
        f"Writing {written:,} alerts about one listing (one statement): {write_8000:.1f} ms.",
        "",
        f"Result: matching at most 50 ms at p95: {verdict(matching_p95 <= 50)} ({matching_p95:.1f} ms). "
        f"Matching and writing the alerts at most 300 ms at p95: {verdict(recording_p95 <= 300)} ({recording_p95:.1f} ms). "
        f"Writing 8,000 alerts at most 300 ms: {verdict(write_8000 <= 300 and written == 8000)} ({write_8000:.1f} ms).",
        *footer(f"`python bench/alert_matching.py --database {args.database} --write docs/PERFORMANCE.md`"),
    ])
    publish(report, args.write, "alert-matching")


if __name__ == "__main__":
    main()
