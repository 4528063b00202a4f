"""What the benches share: a fresh PostgreSQL database, starting a server, the closing lines of a
report, and writing a report into docs/PERFORMANCE.md (one section between two markers per bench)."""

import os
import platform
import re
import socket
import subprocess
import time
from datetime import date
from pathlib import Path

PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"


def fresh_postgres(name: str) -> str:
    """Drop and create the database `name` on the local PostgreSQL; returns its DATABASE_URL."""
    import psycopg  # only the PostgreSQL benches need the driver

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return f"postgres://postgres@127.0.0.1:5432/{name}?sslmode=disable"


def start(command: list[str], *, port: int, cwd: Path, env: dict) -> subprocess.Popen:
    """Start a server process and return it once it accepts connections on 127.0.0.1:`port` (10 s at most)."""
    proc = subprocess.Popen(command, cwd=cwd, env=env)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not start")


def footer(command: str) -> list[str]:
    """A report's last lines: when and on what machine it ran, and the command that runs it again."""
    return [
        "",
        f"- Date: {date.today().isoformat()}; {os.cpu_count()} CPUs; Python {platform.python_version()}",
        f"- Reproduce: {command}",
    ]


def write_section(path: str | Path, key: str, report: str) -> None:
    """Replace the section `<!-- key:start -->` ... `<!-- key:end -->` (or append it) with `report`;
    a missing file is created with a heading."""
    path = Path(path)
    start, end = f"<!-- {key}:start -->", f"<!-- {key}:end -->"
    text = path.read_text() if path.exists() else "# Performance\n"
    block = f"{start}\n{report}\n{end}"
    if start in text and end in text:
        text = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _m: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def publish(report: str, path: str | None, key: str) -> None:
    """Print the report, and write it into section `key` of `path` when one is given (--write)."""
    print(report)
    if path:
        write_section(path, key, report)
