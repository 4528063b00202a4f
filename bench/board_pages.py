"""How fast board pages render with long threads and many threads.

    python bench/board_pages.py [--database postgresql|sqlite] [--write docs/PERFORMANCE.md]

Fills a fresh database with 20,000 listed threads (one with 1,000 replies, one with 10,000) and
times full page renders through Django's test client in this process (URL routing, queries,
templates; no network): the thread list's first and 500th page, and the first, middle and last
page of the long threads, as a visitor. 50 renders of each after 5 warm-ups.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import footer, fresh_postgres, publish  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="postgresql", choices=["postgresql", "sqlite"])
    parser.add_argument("--threads", type=int, default=20_000)
    parser.add_argument("--write")
    args = parser.parse_args()
    var = f"/tmp/mottainai-bench-board-{args.database}"
    if args.database == "postgresql":
        os.environ["DATABASE_URL"] = fresh_postgres("mottainai_bench_board")
    else:
        import shutil

        shutil.rmtree(var, ignore_errors=True)
    os.environ.update({"MOTTAINAI_VAR_DIR": var, "MEDIA_ROOT": var + "-media", "LOG_LEVEL": "WARNING",
                       "DJANGO_ALLOWED_HOSTS": "testserver", "DJANGO_SETTINGS_MODULE": "config.settings"})
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import Town, User
    from community.models import Post, Thread, Topic
    from community.services import pseudonym, thread_refresh

    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    towns = list(Town.objects.all())
    users = User.objects.bulk_create(
        [User(email=f"board{i}@example.com", display_name=f"住民{i}", town=rng.choice(towns), password="!") for i in range(2_000)]
    )
    now = timezone.now()
    threads = Thread.objects.bulk_create([
        Thread(topic=rng.choice(Topic.values), title=f"スレッド{i} 保育園の話", author=rng.choice(users), is_listed=True,
               last_number=1, created_at=now - timedelta(minutes=i), last_activity_at=now - timedelta(minutes=i))
        for i in range(args.threads)
    ], batch_size=5000)
    Post.objects.bulk_create([
        Post(thread=t, number=1, author_id=t.author_id, pseudonym=pseudonym(thread_id=t.pk, user_id=t.author_id), body="はじめの投稿です。" * 5)
        for t in threads
    ], batch_size=5000)
    long_threads = {}
    for size, thread in ((1_000, threads[1]), (10_000, threads[2])):
        Post.objects.bulk_create([
            Post(thread=thread, number=n, author=(u := rng.choice(users)), pseudonym=pseudonym(thread_id=thread.pk, user_id=u.pk),
                 body=f"返信{n}です。園の様子について書きます。" * 3)
            for n in range(2, size + 2)
        ], batch_size=5000)
        Thread.objects.filter(pk=thread.pk).update(last_number=size + 1)
        thread_refresh(thread.pk)
        long_threads[size] = thread.pk
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = Client()
    board = reverse("community:board")
    cases = [
        ("thread list, page 1", board, {}),
        ("thread list, page 500", board, {"page": 500}),
        ("thread list, one topic", board, {"topic": "nurseries"}),
    ]
    for size, pk in long_threads.items():
        url = reverse("community:thread", args=[pk])
        last = (size + 1 - 1) // 50 + 1
        cases += [(f"{size:,} replies, page 1", url, {}), (f"{size:,} replies, page {last // 2}", url, {"page": last // 2}),
                  (f"{size:,} replies, last page ({last})", url, {"page": last})]
    rows = []
    for label, url, params in cases:
        for _ in range(5):
            assert client.get(url, params).status_code == 200
        times = []
        for _ in range(50):
            started = time.perf_counter()
            client.get(url, params)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        rows.append(f"| {label} | {statistics.median(times):.1f} | {times[int(0.95 * (len(times) - 1))]:.1f} |")
    report = "\n".join([
        f"## Board pages on {args.database}",
        "",
        f"{args.threads:,} listed threads, one with 1,000 replies and one with 10,000; full renders through Django's "
        "test client in-process (routing, queries, templates), as a visitor, 50 times each.",
        "",
        "| page | p50 (ms) | p95 (ms) |",
        "| --- | ---: | ---: |",
        *rows,
        *footer(f"`python bench/board_pages.py --database {args.database} --write docs/PERFORMANCE.md`"),
    ])
    publish(report, args.write, f"board-{args.database}")


if __name__ == "__main__":
    main()
