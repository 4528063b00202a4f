"""Writing a bench's results into docs/PERFORMANCE.md: one section between two markers per bench."""

import re
from pathlib import Path


def write_section(path: str | Path, key: str, report: str) -> None:
    """Replace the section `<!-- key:start -->` ... `<!-- key:end -->` (or append it) with `report`."""
    path = Path(path)
    start, end = f"<!-- {key}:start -->", f"<!-- {key}:end -->"
    text = path.read_text()
    block = f"{start}\n{report}\n{end}"
    if start in text:
        text = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _m: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text)
