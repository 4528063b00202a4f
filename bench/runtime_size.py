"""Measure what a ward's server installs: the runtime set of uv.lock, as the image and bin/install
install it (`uv sync --frozen --no-dev`), next to the full development set (`--all-groups`).

Run from the project root (after bin/test, which puts uv into .venv):

    .venv/bin/python bench/runtime_size.py                          # print a Markdown table
    .venv/bin/python bench/runtime_size.py --write docs/PERFORMANCE.md

Each set goes into a fresh virtualenv in a temporary directory, made with the Python of .venv; the
size is every file under the virtualenv, bytecode included (every set is compiled, as the image
compiles it and as pip did for 0.1.0); the count is the installed distributions (`.dist-info`).
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import footer, publish  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
UV = ROOT / ".venv" / "bin" / "uv"


def measure(*sync_args: str) -> tuple[int, int]:
    """Install one set into a fresh virtualenv; return (distributions, bytes)."""
    with tempfile.TemporaryDirectory() as tmp:
        venv = Path(tmp) / "venv"
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
        env = {**os.environ, "UV_PROJECT_ENVIRONMENT": str(venv), "UV_PYTHON_DOWNLOADS": "never",
               "UV_LINK_MODE": "copy"}
        subprocess.run([str(UV), "sync", "--project", str(ROOT), "--frozen", "--quiet", "--compile-bytecode", *sync_args],
                       check=True, env=env)
        return _count_and_size(venv)


def _count_and_size(venv: Path) -> tuple[int, int]:
    site = next(venv.glob("lib/python3*/site-packages"))
    count = sum(1 for _ in site.glob("*.dist-info"))
    size = sum(f.stat().st_size for f in venv.rglob("*") if f.is_file() and not f.is_symlink())
    return count, size


def measure_requirements(path: str) -> tuple[int, int]:
    """The 0.1.0 way, for comparison: pip installs a requirements file into a fresh virtualenv."""
    with tempfile.TemporaryDirectory() as tmp:
        venv = Path(tmp) / "venv"
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
        env = {**os.environ, "VIRTUAL_ENV": str(venv), "UV_PYTHON_DOWNLOADS": "never", "UV_LINK_MODE": "copy"}
        subprocess.run([str(UV), "pip", "install", "--quiet", "--compile-bytecode", "--python", str(venv / "bin" / "python"),
                        "-r", path], check=True, env=env)
        return _count_and_size(venv)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", help="write the report into this Markdown file")
    parser.add_argument("--old-requirements", metavar="FILE",
                        help="also measure a requirements file, e.g. 0.1.0's: "
                             "git show 10672dd:requirements.txt > /tmp/requirements-0.1.0.txt")
    args = parser.parse_args()
    old = measure_requirements(args.old_requirements) if args.old_requirements else None
    runtime = measure("--no-dev")
    everything = measure("--all-groups")
    lines = [
        "## Install size",
        "",
        "| What is installed | Used by | Packages | Size |",
        "|---|---|---:|---:|",
        f"| runtime set (`uv sync --no-dev`) | the image, `bin/install` | {runtime[0]} | {runtime[1] / 1e6:.0f} MB |",
        f"| runtime + every group (`--all-groups`) | `bin/test`, CI | {everything[0]} | {everything[1] / 1e6:.0f} MB |",
        *([f"| 0.1.0 `requirements.txt` (pip, `--old-requirements`) | everything, the image too | {old[0]} | {old[1] / 1e6:.0f} MB |"]
          if old else []),
        "",
        "The runtime set is what the container image and `bin/install` put on a server;",
        "`tests/test_packaging.py` keeps test, browser, benchmark and load-test tools out of it.",
        *footer("`git show 10672dd:requirements.txt > /tmp/requirements-0.1.0.txt; "
                 ".venv/bin/python bench/runtime_size.py --old-requirements /tmp/requirements-0.1.0.txt "
                 "--write docs/PERFORMANCE.md`"),
    ]
    publish("\n".join(lines), args.write, "install-size")


if __name__ == "__main__":
    main()
