"""Bar charts of a consultation's results as SVG drawn on the server: no script, readable by screen
readers (a title and a description naming every figure), and the same numbers as the table beside
each chart (docs/CONSULTATIONS.md)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from consultations.results import QuestionResult

WIDTH = 320  # the drawing's own units; it scales to the page
LABEL_HEIGHT = 18
BAR_HEIGHT = 14
GAP = 10


@dataclass
class Bar:
    label: str
    value: int
    text: str  # "12 (40%)"
    y_label: int
    y_bar: int
    width: int


@dataclass
class Chart:
    height: int
    width: int
    bars: list[Bar]
    description: str


def bar_chart(result: QuestionResult) -> Chart | None:
    """The question's rows as horizontal bars (for a ranking, the first choices); None without rows."""
    if not result.rows:
        return None
    largest = max((row.total for row in result.rows), default=0) or 1
    bars, y = [], 0
    for row in result.rows:
        text = _("%(count)s (%(percent)s%%)") % {"count": row.total, "percent": row.percent}
        width = round((WIDTH - 90) * row.total / largest)  # room for "1234 (100%)" after the longest bar
        bars.append(Bar(row.label, row.total, text, y + 13, y + LABEL_HEIGHT, width))
        y += LABEL_HEIGHT + BAR_HEIGHT + GAP
    description = "; ".join(f"{bar.label}: {bar.text}" for bar in bars)
    return Chart(height=y, width=WIDTH, bars=bars, description=description)
