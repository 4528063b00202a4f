"""The README and the documents in docs/ stand alone: a person who clones the repository has
everything they point to. Nothing names a path outside the repository (`../`), and every relative
link or image opens a file that exists."""

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]

# Known leftovers that another branch of the same redesign removes: (document, exact text).

_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
_INLINE_TARGET = re.compile(r"\]\(\s*(<[^>]*>|[^)\s]+)")  # [text](target "title") and ![alt](target)
_REFERENCE_TARGET = re.compile(r"^[ ]{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)", re.MULTILINE)
_HTML_TARGET = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")  # https:, mailto:...
_BACKTICKED_DOCUMENT = re.compile(r"`((?:docs/[^`\s]+)|README\.md)`")


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _without_code(text: str) -> str:
    """The text with fenced blocks and code spans blanked out: what is in them is not a link."""
    text = _FENCE.sub(lambda match: "\n" * match.group(0).count("\n"), text)
    return _CODE_SPAN.sub("", text)


def link_targets(text: str) -> list[str]:
    """Every link and image target in a Markdown text (inline, reference-style and HTML)."""
    prose = _without_code(text)
    found = _INLINE_TARGET.findall(prose) + _REFERENCE_TARGET.findall(prose) + _HTML_TARGET.findall(prose)
    return [target.strip("<>") for target in found]


def local_path(target: str) -> str | None:
    """The file part of a link to something in the repository; None for web addresses and anchors."""
    if _SCHEME.match(target) or target.startswith("//"):
        return None
    path = unquote(target.split("#", 1)[0].split("?", 1)[0])
    return path or None  # "#section" points into the same document


def resolve(document: Path, path: str) -> Path:
    """Where a link in `document` leads: from the repository root when it starts with /, else
    from the document's own folder (as GitHub renders it)."""
    base = ROOT if path.startswith("/") else document.parent
    return (base / path.lstrip("/")).resolve()


# --- the link finder itself ----------------------------------------------------------------------


def test_the_link_finder_finds_links_images_and_references_but_not_code():
    text = (
        "See [the product](PRODUCT.md#roles) and ![a phone](screenshots/home.png \"Home\").\n"
        "[![badge](img/b.svg)](STAFF.md)\n"
        "[style]: <CODE_STYLE.md>\n"
        '<img src="docs/x.png" alt=""> and [a site](https://example.jp/a) and [top](#top)\n'
        "Not links: `[x](inline-code.md)` and\n```\n[y](fenced.md)\n```\n"
    )
    targets = link_targets(text)
    assert sorted(targets) == sorted([
        "PRODUCT.md#roles", "screenshots/home.png", "img/b.svg", "STAFF.md", "https://example.jp/a", "#top",
        "CODE_STYLE.md", "docs/x.png",
    ])
    assert {target: local_path(target) for target in targets} == {
        "PRODUCT.md#roles": "PRODUCT.md", "screenshots/home.png": "screenshots/home.png", "img/b.svg": "img/b.svg",
        "STAFF.md": "STAFF.md", "https://example.jp/a": None, "#top": None, "CODE_STYLE.md": "CODE_STYLE.md",
        "docs/x.png": "docs/x.png",
    }


def test_a_link_resolves_from_the_documents_own_folder():
    assert resolve(ROOT / "docs" / "PRODUCT.md", "STAFF.md") == ROOT / "docs" / "STAFF.md"
    assert resolve(ROOT / "README.md", "docs/STAFF.md") == ROOT / "docs" / "STAFF.md"
    assert resolve(ROOT / "docs" / "PRODUCT.md", "/README.md") == ROOT / "README.md"
    assert not resolve(ROOT / "docs" / "PRODUCT.md", "../../shared/PRODUCT.md").is_relative_to(ROOT)


# --- the documents ------------------------------------------------------------------------------


def test_the_documents_are_found_and_link_to_each_other():
    names = {_name(document) for document in DOCUMENTS}
    assert {"README.md", "docs/PRODUCT.md", "docs/CODE_STYLE.md", "docs/ARCHITECTURE.md"} <= names
    readme_links = {local_path(target) for target in link_targets((ROOT / "README.md").read_text(encoding="utf-8"))}
    assert "docs/PRODUCT.md" in readme_links


@pytest.mark.parametrize("document", DOCUMENTS, ids=_name)
def test_no_document_names_a_path_outside_the_repository(document):
    outside = []
    for number, line in enumerate(document.read_text(encoding="utf-8").splitlines(), start=1):
        if "../" in line or "..\\" in line:
            outside.append(f"{_name(document)}:{number}: {line.strip()}")
    assert not outside, "a clone of the repository has nothing outside it:\n" + "\n".join(outside)


@pytest.mark.parametrize("document", DOCUMENTS, ids=_name)
def test_every_relative_link_opens_a_file_in_the_repository(document):
    broken = []
    for target in link_targets(document.read_text(encoding="utf-8")):
        path = local_path(target)
        if path is None:
            continue
        where = resolve(document, path)
        if not where.is_relative_to(ROOT) or not where.exists():
            broken.append(target)
    assert not broken, f"{_name(document)} links to files that are not in the repository: {broken}"


@pytest.mark.parametrize("document", DOCUMENTS, ids=_name)
def test_every_document_named_in_code_exists(document):
    """Documents name each other by their path from the repository root (`docs/STAFF.md`)."""
    named = _BACKTICKED_DOCUMENT.findall(document.read_text(encoding="utf-8"))
    missing = [path for path in named if not (ROOT / path.rstrip("/")).exists()]
    assert not missing, f"{_name(document)} names documents that do not exist: {missing}"
