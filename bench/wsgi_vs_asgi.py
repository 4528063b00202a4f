"""Pages under WSGI (granian) against the same pages under ASGI (uvicorn), through the real servers.

    python bench/wsgi_vs_asgi.py [--listings 20000] [--seconds 10] [--write docs/PERFORMANCE.md]

Starts the production stack (deploy/stack.py: PostgreSQL, Redis, one granian worker and one
uvicorn worker serving the same Django project), fills it with `generate_listings`, then loads
each server directly with wrk (1 thread, 8 connections) on: a static file through WhiteNoise, /healthz, the home page, browse,
a keyword search and a listing detail. Requests per second and latency percentiles per server.
Why: the issue's earlier measurement found a plain view about 8x faster under WSGI; this checks
it for our real pages, which decides the WSGI-for-pages, ASGI-for-websockets split.
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import footer, publish  # noqa: E402

from deploy.stack import Stack  # noqa: E402

PAGES = [("static file (WhiteNoise)", "/static/css/site.css"), ("health check (database, cache, channel layer)", "/healthz"), ("home page", "/"), ("browse, category + free", "/listings/?category=furniture&free=on"),
         ("keyword search (本棚)", "/listings/?q=%E6%9C%AC%E6%A3%9A"), ("listing detail", "/listings/{id}/")]


def wrk(url: str, seconds: int) -> dict:
    out = subprocess.run(["wrk", "-t1", "-c8", f"-d{seconds}s", "--latency", url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def ms(label: str) -> float:
        value, unit = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) / 1000 if unit == "us" else float(value) * 1000 if unit == "s" else float(value)

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": ms("50"), "p99": ms("99"), "errors": int(errors.group(1)) if errors else 0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listings", type=int, default=20_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--write")
    args = parser.parse_args()
    stack = Stack()
    try:
        stack.up()
        subprocess.run([sys.executable, "manage.py", "generate_listings", "--count", str(args.listings)], cwd=ROOT, env=stack.env,
                       check=True, stdout=subprocess.DEVNULL)
        import psycopg

        with psycopg.connect(stack.env["DATABASE_URL"].split("?")[0]) as conn:
            detail_id = conn.execute("SELECT id FROM listings_listing WHERE status = 'published' ORDER BY id DESC LIMIT 1").fetchone()[0]
            conn.execute("ANALYZE")
        rows = []
        for label, path in PAGES:
            path = path.format(id=detail_id)
            wsgi = wrk(f"http://127.0.0.1:{stack.wsgi_port}{path}", args.seconds)
            asgi = wrk(f"http://127.0.0.1:{stack.asgi_port}{path}", args.seconds)
            rows.append(f"| {label} | {wsgi['rps']:.0f} | {wsgi['p50']:.1f} / {wsgi['p99']:.1f} | {asgi['rps']:.0f} | "
                        f"{asgi['p50']:.1f} / {asgi['p99']:.1f} | {(wsgi['rps'] / asgi['rps']) if asgi['rps'] else float('inf'):.1f}× |")
            print(rows[-1], flush=True)
    finally:
        stack.down()
    report = "\n".join([
        "## Pages under WSGI and under ASGI",
        "",
        f"The same Django project, {args.listings:,} listings on PostgreSQL, one worker process each: granian (WSGI) and "
        f"uvicorn with uvloop and httptools (ASGI), loaded directly with wrk (1 thread, 8 connections, {args.seconds} s per row; wrk shares the 2 cores).",
        "",
        "| page | WSGI requests/s | WSGI p50 / p99 (ms) | ASGI requests/s | ASGI p50 / p99 (ms) | WSGI ÷ ASGI |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        *rows,
        "",
        "Pages are therefore served by WSGI and only websockets by ASGI (`docs/DEPLOY.md`).",
        *footer("`python bench/wsgi_vs_asgi.py --write docs/PERFORMANCE.md`"),
    ])
    publish(report, args.write, "wsgi-vs-asgi")


if __name__ == "__main__":
    main()
