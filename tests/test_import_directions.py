"""The layout rules a new module must follow: imports between our packages point one way (the
table below, drawn in docs/ARCHITECTURE.md), and no module outside migrations is over 400 lines.

Every .py file is parsed, function-level imports included; migrations are skipped (they import
what the schema needed at the time).
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRS = {".venv", ".git", "migrations", "node_modules", "__pycache__"}

DOMAIN_APPS = {"accounts", "listings", "messaging", "community", "alerts", "notifications", "consultations"}
APPS = {"core", *DOMAIN_APPS, "lineoa", "mirror", "moderation", "demo"}
EVERYTHING = APPS | {"config", "deploy", "bench", "tests", "manage"}

# Each of our top-level packages and the packages of ours it may import (besides itself).
# docs/ARCHITECTURE.md ("Import directions") draws the same table; change both together.
ALLOWED: dict[str, set[str]] = {
    "core": set(),  # the bottom: text, mail, audit log, form helpers; imports no app
    "accounts": {"core"},
    "listings": {"core", "accounts"},
    "notifications": {"core", "accounts"},  # notices on every channel; the apps that notify import it
    "community": {"core", "accounts", "listings"},  # the facility import uses the search terms
    "messaging": {"core", "accounts", "listings", "notifications"},
    "alerts": {"core", "accounts", "listings", "notifications"},
    "consultations": {"core", "accounts", "community"},  # ward consultations; a facility of the directory
    "lineoa": {"core", "accounts", "listings", "messaging", "alerts", "notifications"},  # the ward's LINE Official Account
    "mirror": {"core", "accounts", "listings", "consultations"},  # the public API, feeds, widget and webhooks
    "moderation": {"core", *DOMAIN_APPS, "lineoa", "mirror"},  # the one staff area
    "demo": APPS,  # loads demo data through every app's services, so that no app imports another for it
    "config": EVERYTHING,  # settings, URLs, ASGI/WSGI: the top
    "manage": EVERYTHING,
    "deploy": {"config"},  # stand-alone scripts; backup.py reads variables with config.env, as the settings do
    "bench": EVERYTHING,
    "tests": EVERYTHING,
}


MAX_LINES = 400


def _python_files() -> list[Path]:
    """Every .py file of the project, outside the virtualenv and migrations."""
    return sorted(
        path for path in ROOT.rglob("*.py")
        if not SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts[:-1])
    )


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[str, int]]:
    """(imported module, line) for every import statement in the file, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path).split(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            # A relative import stays inside the importing package.
            found.append((node.module if node.level == 0 else package, node.lineno))
    return found


def _forbidden_imports() -> list[tuple[str, str, str]]:
    """(importing module, imported module, where) for every import the table does not allow."""
    found = []
    for path in _python_files():
        module = _module_name(path)
        source = module.split(".")[0]
        for imported, line in _imports(path):
            target = imported.split(".")[0]
            if target in ALLOWED and target != source and target not in ALLOWED[source]:
                found.append((module, imported, f"{path.relative_to(ROOT)}:{line}"))
    return found


def test_every_package_of_ours_has_a_row_in_the_table():
    packages = {_module_name(path).split(".")[0] for path in _python_files()}
    assert packages - ALLOWED.keys() == set(), "add the new package to ALLOWED and to docs/ARCHITECTURE.md"


def test_imports_point_one_way():
    problems = [
        f"{where}: {module} imports {imported}, but {module.split('.')[0]} may import only "
        f"{', '.join(sorted(ALLOWED[module.split('.')[0]])) or 'no package of ours'}"
        for module, imported, where in _forbidden_imports()
    ]
    assert not problems, (
        "Imports against the direction table (tests/test_import_directions.py, docs/ARCHITECTURE.md); "
        "move the code to the lower package, or let the lower package send a signal the higher one "
        "connects to:\n" + "\n".join(problems)
    )


def test_the_checker_sees_function_level_and_relative_imports(tmp_path, monkeypatch):
    module = tmp_path / "listings" / "views.py"
    module.parent.mkdir()
    module.write_text("from . import forms\n\ndef view():\n    from moderation.models import NGWord\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert _forbidden_imports() == [("listings.views", "moderation.models", "listings/views.py:4")]


def test_no_module_is_over_400_lines():
    too_long = []
    for path in _python_files():
        name = path.relative_to(ROOT).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            too_long.append(f"{name}: {lines} lines")
    assert not too_long, f"split these modules by sub-area (at most {MAX_LINES} lines each):\n" + "\n".join(too_long)
