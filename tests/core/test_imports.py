"""core sits at the bottom: it imports Django, the standard library and third-party packages, never
one of the project's own packages (apps, config)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT_PACKAGES = {path.parent.name for path in ROOT.glob("*/__init__.py")} - {"core"}


def _imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_core_imports_no_project_package():
    assert {"accounts", "listings", "moderation", "config"} <= PROJECT_PACKAGES  # the check sees the apps
    modules = sorted((ROOT / "core").rglob("*.py"))
    assert modules
    offending = {str(path.relative_to(ROOT)): sorted(_imported(path) & PROJECT_PACKAGES) for path in modules}
    assert {path: names for path, names in offending.items() if names} == {}
