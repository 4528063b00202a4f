"""The runtime set (what the image and bin/install put on a ward's server) holds no development,
test, browser, benchmark or load-test tool, and every dependency is pinned in one place.

The runtime set is read from uv.lock the way uv installs it with `--no-dev`: the project's
dependencies, their extras and everything they pull in, transitively."""

import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Tools that have no business on a server, and the heavy things they drag in (the 0.1.0 image
# carried all of these).
NOT_AT_RUNTIME = {
    "pytest", "pytest-django", "pytest-xdist", "time-machine", "polib", "schemathesis",
    "hypothesis", "feedparser", "playwright", "axe-playwright-python", "moto", "locust", "pyvips",
    "flask", "gevent", "sympy", "daphne", "twisted", "uv", "responses", "docker", "cfn-lint",
}


def _lock() -> dict:
    return tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def runtime_set(lock: dict) -> set[str]:
    packages = {package["name"]: package for package in lock["package"]}
    root = next(p for p in lock["package"] if p.get("source", {}).get("virtual") == ".")
    wanted, seen = list(root.get("dependencies", [])), set()
    while wanted:
        dependency = wanted.pop()
        name = dependency["name"]
        package = packages[name]
        extras = tuple(dependency.get("extra", ()))
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        wanted.extend(package.get("dependencies", []))
        for extra in extras:
            wanted.extend(package.get("optional-dependencies", {}).get(extra, []))
    return {name for name, _ in seen}


def test_no_test_bench_or_load_tool_is_installed_at_runtime():
    runtime = runtime_set(_lock())
    assert runtime & NOT_AT_RUNTIME == set()
    # The servers and the site itself are there.
    assert {"django", "granian", "uvicorn", "psycopg", "boto3", "structlog"} <= runtime


def test_the_runtime_set_is_the_small_one():
    # 0.1.0 installed 146 packages everywhere; bench/runtime_size.py measures the bytes. 0.2.0 had
    # 65; the notices added pywebpush and LINE's SDK (aiohttp, pydantic and their helpers: 75).
    assert len(runtime_set(_lock())) < 80


def test_the_walk_sees_what_a_group_brings():
    """The check above would pass on an empty set: the same walk over the test group finds the
    tools it must keep out."""
    lock = _lock()
    root = next(p for p in lock["package"] if p.get("source", {}).get("virtual") == ".")
    grouped = runtime_set({"package": [
        *(p for p in lock["package"] if p is not root),
        {**root, "dependencies": [d for group in root["dev-dependencies"].values() for d in group]},
    ]})
    assert {"pytest", "playwright", "moto", "locust", "hypothesis", "flask"} <= grouped


def test_every_dependency_is_pinned_once_and_the_lock_matches():
    project = _pyproject()
    declared = list(project["project"]["dependencies"])
    for group in project["dependency-groups"].values():
        declared.extend(group)
    assert all("==" in requirement for requirement in declared), "pin every direct dependency"
    names = [requirement.split("[")[0].split("==")[0].lower() for requirement in declared]
    assert len(names) == len(set(names)), "a dependency is declared twice"
    lock = _lock()
    root = next(p for p in lock["package"] if p.get("source", {}).get("virtual") == ".")
    # uv writes what it resolved from; a pyproject edit without `uv lock` leaves them apart.
    locked = {d["name"] for d in root["metadata"]["requires-dist"]}
    assert locked == {n.replace("_", "-") for n in names[: len(project["project"]["dependencies"])]}
    assert not (ROOT / "requirements.txt").exists()


@pytest.mark.parametrize("package", ["pytest", "playwright", "moto", "locust", "daphne"])
def test_the_tools_live_in_a_group(package):
    groups = _pyproject()["dependency-groups"]
    assert any(requirement.lower().startswith(package) for group in groups.values() for requirement in group)
