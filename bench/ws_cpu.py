"""CPU and queries per message on the websocket consumer path, in one process: the real ASGI app
(origin check, session auth, routing, consumers) driven by channels' WebsocketCommunicator, the
Redis channel layer and PostgreSQL. No sockets and no uvicorn, so the figure is the consumer
path alone and hardly moves with other work on the machine (it is CPU time, not latency).

Messages go one after another, round robin over the pairs; each waits until the other
participant has it (and, with --page-like, until the sender has the seen mark). CPU is this
process's (client side included: the communicator is cheap next to the consumers) plus its
PostgreSQL backend's, per message; queries are counted on every connection the process opens,
health checks (SELECT 1 before a connection's first query after each database_sync_to_async
call, CONN_HEALTH_CHECKS) apart.

    python bench/ws_cpu.py                     # plain conversation messages
    python bench/ws_cpu.py --page-like         # also the badge socket and a read mark per message
    python bench/ws_cpu.py --profile /tmp/ws.prof

Needs PostgreSQL and Redis at 127.0.0.1 (it creates and drops the database `mottainai_bench`).
Not a latency measurement: bench/ws_delivery.py is.
"""

import argparse
import asyncio
import cProfile
import os
import pstats
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import ws_delivery  # noqa: E402

QUERIES: Counter = Counter()


def count_queries() -> None:
    """Count every query on every connection this process opens (consumer threads included)."""
    from django.db import connections
    from django.db.backends.signals import connection_created

    def wrapper(execute, sql, params, many, context):
        QUERIES[sql[:70] if os.environ.get("WS_CPU_SQL") else sql.split(None, 1)[0].upper()] += 1
        return execute(sql, params, many, context)

    def created(sender, connection, **kwargs):
        QUERIES["new connection"] += 1
        if wrapper not in connection.execute_wrappers:
            connection.execute_wrappers.append(wrapper)

    connection_created.connect(created, weak=False)
    for backend in {type(c) for c in connections.all()}:
        original = backend.is_usable

        def is_usable(self, original=original):
            QUERIES["health check"] += 1
            return original(self)

        backend.is_usable = is_usable


def backend_cpu(pid: int) -> float:
    if not pid:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def run(sessions: list, messages: int, page_like: bool, warmup: int, profile: str | None = None, tag: str = "") -> dict:
    from channels.db import database_sync_to_async
    from channels.testing import WebsocketCommunicator
    from django.db import connection

    from config.asgi import application

    headers = [(b"origin", b"http://127.0.0.1:8000"), (b"host", b"127.0.0.1:8000")]

    def socket(path: str, cookie: str) -> WebsocketCommunicator:
        return WebsocketCommunicator(application, path, headers=[*headers, (b"cookie", cookie.encode())])

    pairs, badges = [], []
    for index, (cookie_a, cookie_b, conversation_id) in enumerate(sessions):
        sides = [socket(f"/ws/conversations/{conversation_id}/", c) for c in (cookie_a, cookie_b)]
        for ws in sides:
            assert (await ws.connect())[0], "conversation socket refused"
        pairs.append((index, sides))
        if page_like:
            for cookie in (cookie_a, cookie_b):
                badge = socket("/ws/notifications/", cookie)
                assert (await badge.connect())[0], "badge socket refused"
                badges.append(badge)

    async def drain(badge) -> None:
        while True:
            await badge.receive_output(timeout=3600)

    async def until(ws, kind: str, **match) -> dict:
        while True:
            frame = await ws.receive_json_from(timeout=10)
            if frame["type"] == kind and all(frame.get(k) == v for k, v in match.items()):
                return frame

    async def one(i: int) -> None:
        index, sides = pairs[i % len(pairs)]
        side = (i // len(pairs)) % 2
        sender, recipient = sides[side], sides[1 - side]
        token = f"{tag}m{i}"  # also the client id: a repeated one would be a resend, not a new message
        await sender.send_json_to({"type": "send", "body": token, "client_id": token})
        sent = await until(sender, "sent", client_id=token)
        await until(sender, "message")  # the sender's own copy
        arrived = await until(recipient, "message")
        assert arrived["message"]["id"] == sent["id"]
        if page_like:  # the page marks it read on arrival; both sides get the seen mark
            await recipient.send_json_to({"type": "read", "upto": sent["id"]})
            await until(sender, "seen", upto=sent["id"])
            await until(recipient, "seen", upto=sent["id"])

    drainers = [asyncio.create_task(drain(badge)) for badge in badges]
    for i in range(warmup):
        await one(i)
    await asyncio.sleep(0.5)
    def backend_pid() -> int:
        with connection.cursor() as cursor:
            return cursor.connection.info.backend_pid

    pid = await database_sync_to_async(backend_pid)()
    profiler = cProfile.Profile(time.process_time) if profile else None
    if profiler:  # on Python 3.12+ it sees every thread, the database work's thread included
        profiler.enable()
    QUERIES.clear()
    cpu, db_cpu, wall = time.process_time(), backend_cpu(pid), time.perf_counter()
    for i in range(warmup, warmup + messages):
        await one(i)
    await asyncio.sleep(2 * 0.2 + 0.1)  # the last badge counts (they wait 0.2 s)
    cpu, db_cpu, wall = time.process_time() - cpu, backend_cpu(pid) - db_cpu, time.perf_counter() - wall
    queries = dict(QUERIES)
    if await database_sync_to_async(backend_pid)() != pid:  # reconnected meanwhile (CONN_MAX_AGE)
        db_cpu = float("nan")
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(40)
    for drainer in drainers:
        drainer.cancel()
    for _index, sides in pairs:
        for ws in sides:
            await ws.disconnect()
    for badge in badges:
        await badge.disconnect()
    return {"cpu": cpu / messages * 1000, "db_cpu": db_cpu / messages * 1000, "wall": wall / messages * 1000,
            "queries": {k: v / messages for k, v in sorted(queries.items())}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=50)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--page-like", action="store_true", help="badge sockets open and a read mark per message")
    parser.add_argument("--repeat", type=int, default=1, help="measurements in a row (one setup)")
    parser.add_argument("--profile", help="write a cProfile of the measured messages here (and print its top); "
                        "CPU figures then include the profiler's cost")
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")
    sessions = ws_delivery.prepare(args.pairs)
    count_queries()
    from django.db import connections

    connections.close_all()
    import uvloop

    for n in range(args.repeat):
        result = uvloop.run(run(sessions, args.messages, args.page_like, args.warmup, args.profile, tag=f"r{n}"))
        queries = ", ".join(f"{k} {v:.2f}" for k, v in result["queries"].items())
        print(f"{'page-like' if args.page_like else 'plain'} run {n + 1}: CPU per message {result['cpu']:.2f} ms "
              f"in process + {result['db_cpu']:.2f} ms PostgreSQL backend; {result['wall']:.1f} ms wall; "
              f"per message: {queries}", flush=True)


if __name__ == "__main__":
    main()
