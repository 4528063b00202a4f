"""CSV files that staff open in a spreadsheet: no cell may run as a formula (CSV injection).

A cell that starts with =, +, -, @ (or their full-width forms), a tab or a carriage return is a
formula to Excel and LibreOffice, so `=HYPERLINK(...)` in a listing title or a reason would become
a live link or a calculation in the ward's office. Such text gets a leading apostrophe, which the
spreadsheet shows as text (OWASP's advice); numbers are written as they are.
"""

import csv

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_cell(value):
    """The value as a CSV cell that a spreadsheet shows as text, never as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


class SpreadsheetWriter:
    """csv.writer for files opened in a spreadsheet: every text cell through spreadsheet_cell."""

    def __init__(self, stream) -> None:
        self._writer = csv.writer(stream)

    def writerow(self, row):
        return self._writer.writerow([spreadsheet_cell(value) for value in row])
