"""Message delivery through the real stack: uvicorn, Channels, the Redis layer and PostgreSQL.

Pairs of residents hold one conversation each; every client keeps a WebSocket open. Messages
are sent at a fixed total rate (open loop: each send is scheduled in advance and latency is
measured from its scheduled time, so a slow server cannot hide its backlog), and the time from
send to receipt at the other participant is recorded. The same run measures a bare websocket
echo on the same server as the floor, and then clients that behave like the site's conversation
page (the unread-badge socket open too, every message marked read on arrival).

    python bench/ws_delivery.py                       # 100, 500, 1000 clients at 200 msg/s, then faster
    python bench/ws_delivery.py --write docs/PERFORMANCE.md
    python bench/ws_delivery.py --clients 1000 --runs 5 --search ""   # the target: five runs, then page-like rates

Every run prints the server's CPU per message (and the whole machine's) next to its latency.

Needs PostgreSQL and Redis at 127.0.0.1 (it creates and drops the database `mottainai_bench`).
"""

import argparse
import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import footer, fresh_postgres, publish, start  # noqa: E402

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mottainai_bench?sslmode=disable")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
SERVER_ENV = {
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "CACHE_KEY_PREFIX": "mottainai-bench",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "MESSAGING_RATE_PER_MINUTE": "1000000",
    "MOTTAINAI_VAR_DIR": "/tmp/mottainai-bench-var",
    "LOG_LEVEL": "WARNING",
}


def prepare(pairs: int) -> list[tuple[str, str, int]]:
    """A fresh database with `pairs` conversations; returns (cookie A, cookie B, conversation id)."""
    fresh_postgres("mottainai_bench")
    os.environ.update(SERVER_ENV)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import PostalCode, User
    from listings.models import Category, Listing
    from messaging.models import Conversation

    call_command("migrate", verbosity=0)
    town = PostalCode.objects.get(code="1040061").town
    category = Category.objects.first()
    users = User.objects.bulk_create(
        [User(email=f"bench{i}@example.com", display_name=f"bench{i}", postal_code="1040061", town=town, password="!")
         for i in range(pairs * 2)]
    )
    EmailAddress.objects.bulk_create([EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users])
    now = timezone.now()
    listings = Listing.objects.bulk_create(
        [Listing(owner=users[2 * i], title=f"品物{i}", description="bench", category=category, town=town,
                 status="published", published_at=now, expires_at=now + timezone.timedelta(days=90))
         for i in range(pairs)]
    )
    conversations = Conversation.objects.bulk_create(
        [Conversation(listing=listings[i], requester=users[2 * i + 1]) for i in range(pairs)]
    )

    def cookie(user: User) -> str:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return f"sessionid={session.session_key}"

    return [(cookie(users[2 * i]), cookie(users[2 * i + 1]), conversations[i].pk) for i in range(pairs)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int) -> subprocess.Popen:
    return start(
        [sys.executable, "-m", "uvicorn", "bench.asgi_bench:application", "--host", "127.0.0.1", "--port", str(port),
         "--loop", "uvloop", "--http", "httptools", "--ws", "websockets-sansio", "--log-level", "warning", "--no-access-log",
         "--ws-max-queue", "256", "--workers", str(workers)],
        port=port, cwd=ROOT, env={**os.environ, **SERVER_ENV},
    )


def vacuum() -> None:
    """What autovacuum does between bursts in production (this machine's server has it off): each
    message updates its conversation's row, and the dead row versions would slow the next run."""
    import psycopg

    with psycopg.connect(DATABASE_URL.split("?")[0], autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def cpu_seconds() -> tuple[float, float]:
    """(CPU seconds used so far by the server's processes, by the whole machine) from /proc."""
    tick = os.sysconf("SC_CLK_TCK")

    def process(pid: int) -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / tick

    server = process(SERVER_PID)
    for child in Path(f"/proc/{SERVER_PID}/task/{SERVER_PID}/children").read_text().split():
        server += process(int(child))
    machine = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    busy = sum(int(v) for i, v in enumerate(machine) if i not in (3, 4))  # all but idle and iowait
    return server, busy / tick


SERVER_PID = 0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def run_load(port: int, sessions: list, clients: int, rate: float, duration: float, echo: bool, browser: bool = False) -> dict:
    """One run. With `browser`, each client also does what a resident's browser does on a
    conversation page: keep the unread-badge socket open and mark each message read on receipt."""
    import websockets

    pairs = sessions[: clients // 2]
    origin = f"http://127.0.0.1:{port}"
    scheduled: dict[str, float] = {}
    latencies: list[float] = []
    sockets = []

    async def reader(ws, me: int):
        async for raw in ws:
            data = json.loads(raw)
            if echo:
                token = data.get("t")
            elif data.get("type") == "message" and data["message"]["sender"] != me:
                # The message arrives as the page's HTML; the token is its text.
                token = re.search(r'<p class="msg-body">(.*?)</p>', data["message"]["html"]).group(1)
                if browser:
                    await ws.send(json.dumps({"type": "read", "upto": data["message"]["id"]}))
            else:
                continue
            sent = scheduled.pop(token, None)
            if sent is not None:
                latencies.append(time.perf_counter() - sent)

    async def drain(ws):
        async for _raw in ws:
            pass

    readers, badges = [], []
    for index, (cookie_a, cookie_b, conversation_id) in enumerate(pairs):
        for side, cookie in ((0, cookie_a), (1, cookie_b)):
            path = "/ws/echo/" if echo else f"/ws/conversations/{conversation_id}/"
            ws = await websockets.connect(
                f"ws://127.0.0.1:{port}{path}", origin=origin, additional_headers={"Cookie": cookie},
                max_queue=None, open_timeout=30,
            )
            sockets.append((ws, index, side))
            if browser:
                badges.append(await websockets.connect(
                    f"ws://127.0.0.1:{port}/ws/notifications/", origin=origin, additional_headers={"Cookie": cookie},
                    max_queue=None, open_timeout=30,
                ))
    for ws, index, side in sockets:
        readers.append(asyncio.create_task(reader(ws, me=-1 if echo else USER_IDS[(index, side)])))
    readers += [asyncio.create_task(drain(ws)) for ws in badges]
    await asyncio.sleep(1.0)

    total = int(rate * duration)
    start = time.perf_counter() + 0.5
    cpu_before = cpu_seconds()
    print(f"sending {total} {'echoes' if echo else 'messages'} to {len(sockets)} clients at {rate:.0f}/s", flush=True)
    for i in range(total):
        target = start + i / rate
        delay = target - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        ws, _index, _side = sockets[(i * 2 + (i // len(sockets)) % 2) % len(sockets)]
        token = f"m{i}"
        scheduled[token] = target
        payload = {"t": token} if echo else {"type": "send", "body": token, "client_id": token}
        await ws.send(json.dumps(payload))
    cpu_after = cpu_seconds()
    deadline = time.perf_counter() + 10
    while scheduled and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    elapsed = time.perf_counter() - start
    for task in readers:
        task.cancel()
    await asyncio.gather(*(ws.close() for ws, _i, _s in sockets), *(ws.close() for ws in badges), return_exceptions=True)
    return {
        "clients": len(sockets),
        "rate": rate,
        "sent": total,
        "delivered": len(latencies),
        "lost": len(scheduled),
        "throughput": len(latencies) / elapsed,
        "p50": percentile(latencies, 50) * 1000 if latencies else float("nan"),
        "p99": percentile(latencies, 99) * 1000 if latencies else float("nan"),
        # CPU time per message while sending: the server's processes, and everything on the machine
        "server_cpu": (cpu_after[0] - cpu_before[0]) / total * 1000,
        "machine_cpu": (cpu_after[1] - cpu_before[1]) / total * 1000,
    }


# (pair index, side) -> user id, so that a reader can tell the other participant's messages apart.
USER_IDS: dict[tuple[int, int], int] = {}


def learn_user_ids(pairs: int) -> None:
    from messaging.models import Conversation

    for index, conversation in enumerate(Conversation.objects.select_related("listing").order_by("pk")[:pairs]):
        USER_IDS[(index, 0)] = conversation.listing.owner_id
        USER_IDS[(index, 1)] = conversation.requester_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", default="100,500,1000")
    parser.add_argument("--rate", type=float, default=200.0, help="messages per second in total")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds of load per measurement")
    parser.add_argument("--runs", "--repeat", dest="runs", type=int, default=5,
                        help="runs at --rate with the largest client count")
    parser.add_argument("--search", default="200,250,300,350,400,450,500,600",
                        help="rates tried at the largest client count (empty: none)")
    parser.add_argument("--browser-rates", default="150,200,250,300,350,400",
                        help="rates tried at the largest client count with clients that also keep the unread-badge "
                             "socket open and mark each message read, like the site's conversation page")
    parser.add_argument("--workers", type=int, default=3, help="uvicorn worker processes")
    parser.add_argument("--write", help="replace the ws-delivery section of this Markdown file")
    args = parser.parse_args()
    counts = [int(c) for c in args.clients.split(",")]
    sessions = prepare(max(counts) // 2)
    learn_user_ids(max(counts) // 2)
    from django.db import connections

    connections.close_all()
    port = free_port()
    server = start_server(port, args.workers)
    global SERVER_PID
    SERVER_PID = server.pid
    rows = []
    try:
        import uvloop

        for clients in counts:
            echo = uvloop.run(run_load(port, sessions, clients, args.rate, args.duration, echo=True))
            rows.append(("echo floor", echo))
            print(f"{clients} clients @ {args.rate}/s: echo {summary(echo)}", flush=True)
            for run in range(args.runs if clients == max(counts) else 1):
                vacuum()
                real = uvloop.run(run_load(port, sessions, clients, args.rate, args.duration, echo=False))
                rows.append(("conversation message" + (f" (run {run + 1})" if run else ""), real))
                print(f"{clients} clients @ {args.rate}/s, run {run + 1}: {summary(real)}", flush=True)
        search, best = rate_search(port, sessions, max(counts), args.search, args.duration, browser=False)
        browser, browser_best = rate_search(port, sessions, max(counts), args.browser_rates, args.duration, browser=True)
    finally:
        server.terminate()
        server.wait(timeout=10)
    report = render(rows, search, best, browser, browser_best, args)
    publish(report, args.write, "ws-delivery")


def rate_search(port: int, sessions: list, clients: int, rates: str, duration: float, browser: bool) -> tuple[list, dict | None]:
    """Runs at rising rates until p99 passes 250 ms; returns them and the fastest that stayed under."""
    import uvloop

    results, best = [], None
    for rate in [float(r) for r in rates.split(",") if r]:
        time.sleep(5)  # let the server finish what an overloaded run left behind
        vacuum()
        result = uvloop.run(run_load(port, sessions, clients, rate, duration, echo=False, browser=browser))
        results.append(result)
        print(f"{'browser-like ' if browser else ''}search {rate}/s: {summary(result)}", flush=True)
        if result["p99"] >= 250 or result["lost"]:
            break
        best = result
    return results, best


def summary(r: dict) -> str:
    return (f"p50 {r['p50']:.1f} p99 {r['p99']:.1f} ms, {r['throughput']:.0f}/s delivered, lost {r['lost']}, "
            f"CPU per message: server {r['server_cpu']:.1f} ms, machine {r['machine_cpu']:.1f} ms")


def render(rows, search, best, browser, browser_best, args) -> str:
    from importlib.metadata import version

    import django

    def row(r: dict) -> str:
        return (f"{r['rate']:.0f} | {r['throughput']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {r['lost']} | "
                f"{r['server_cpu']:.1f} | {r['machine_cpu']:.1f} |")

    columns = "rate (msg/s) | delivered/s | p50 (ms) | p99 (ms) | late (> 10 s) | server CPU/msg (ms) | machine CPU/msg (ms) |"
    lines = [
        "## WebSocket message delivery",
        "",
        f"uvicorn (uvloop, websockets, {args.workers} worker processes) serving the ASGI app, Channels "
        f"{version('channels')} with the Redis pub/sub layer (channels-redis {version('channels-redis')}), PostgreSQL, "
        f"Django {django.get_version()}; the load generator runs in another process on the same machine, which also "
        f"runs PostgreSQL and Redis. Each run: {args.duration:.0f} s of messages at a fixed total rate (open loop), "
        "latency from the scheduled send time to receipt by the other participant. Each message is stored in "
        "PostgreSQL before it is broadcast. CPU per message is measured while sending: the server's processes, "
        "and everything on the machine (server, PostgreSQL, Redis and the load generator).",
        "",
        "| what | clients | " + columns,
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in rows:
        lines.append(f"| {name} | {r['clients']} | " + row(r))
    runs = [r for name, r in rows if name.startswith("conversation") and r["clients"] == max(x["clients"] for _n, x in rows)]
    if len(runs) > 1:
        lines += ["", f"Over the {len(runs)} runs at {runs[0]['clients']} clients and {args.rate:.0f} msg/s: p99 "
                  f"{min(r['p99'] for r in runs):.1f}–{max(r['p99'] for r in runs):.1f} ms, p50 "
                  f"{min(r['p50'] for r in runs):.1f}–{max(r['p50'] for r in runs):.1f} ms, server CPU per message "
                  f"{min(r['server_cpu'] for r in runs):.1f}–{max(r['server_cpu'] for r in runs):.1f} ms."]
    def search_table(title: str, results: list, best: dict | None) -> list[str]:
        if not results:
            return []
        return ["", title, "", "| " + columns, "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
                *("| " + row(r) for r in results), "",
                f"Highest rate measured with p99 under 250 ms: **{best['rate']:.0f} msg/s**." if best
                else "No searched rate kept p99 under 250 ms."]

    clients = max(r["clients"] for _name, r in rows)
    lines += search_table(f"Rate search at {clients} clients (stops at the first rate whose p99 passes 250 ms):", search, best)
    lines += search_table(
        f"Like the site's pages, at {clients} clients: each client also keeps the unread-badge socket open "
        "(twice the connections) and marks every message read when it arrives, as the conversation page does "
        "when it is visible; each message then also costs a read mark, a seen mark to both sides and badge counts:",
        browser, browser_best,
    )
    lines += footer("`python bench/ws_delivery.py --write docs/PERFORMANCE.md` (PostgreSQL and Redis at 127.0.0.1)")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
