"""The release this code is comes from pyproject.toml, one place: the site footer and /healthz
show it, so a resident reporting a problem and an operator watching the service name the same
version."""

import tomllib
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]


def pyproject_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["project"]["version"]


def test_the_version_is_a_plain_release_number():
    version = pyproject_version()
    assert version.count(".") == 2 and all(part.isdigit() for part in version.split("."))


@pytest.mark.django_db
def test_every_page_footer_names_the_release(client):
    page = client.get(reverse("home")).content.decode()
    footer = page[page.index('<footer class="site-footer">') :]
    assert f"Mottainai {pyproject_version()}" in footer


@pytest.mark.django_db
def test_healthz_names_the_release(client):
    body = client.get(reverse("healthz")).json()
    assert body["status"] == "ok"
    assert body["version"] == pyproject_version()


def test_the_changelog_has_a_section_for_the_release():
    assert f"## [{pyproject_version()}]" in (ROOT / "CHANGELOG.md").read_text()
