"""The release this code is: the version in pyproject.toml, read once when the module loads.

Shown in the site footer and in the /healthz answer, so an operator can see which release runs."""

import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"

with PYPROJECT.open("rb") as _file:
    VERSION: str = tomllib.load(_file)["project"]["version"]
