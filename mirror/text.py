"""Text that any XML 1.0 or HTML reader accepts, whatever residents pasted into a listing."""

import re

# Vertical tab and form feed are how Excel and Word paste a line break inside a cell or a page.
_LINE_BREAKS = re.compile(r"[\x0b\x0c]")
# Everything XML 1.0 forbids (C0 controls but tab and line ends, lone surrogates, U+FFFE and
# U+FFFF), plus DEL and the C1 controls, which it only discourages but which no reader shows.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    """The text without control characters that an XML 1.0 document may not hold; vertical tabs
    and form feeds become line breaks."""
    if not text:
        return text
    return _UNPRINTABLE.sub("", _LINE_BREAKS.sub("\n", text))
