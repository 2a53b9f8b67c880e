"""Text cells safe to open in a spreadsheet: no formula injection.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return may be
run as a formula by Excel, LibreOffice or Google Sheets. Exports prefix such text with a single
quote (``'=1+1``), which spreadsheets show as text; the importer takes the quote off again, so
an exported file imports back unchanged.
"""

from __future__ import annotations

DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def safe_text(value: str) -> str:
    if value.startswith(DANGEROUS_STARTS):
        return QUOTE + value
    return value


def unescape(value: str) -> str:
    """The text an export escaped with `safe_text`, as it was."""
    if value.startswith(QUOTE) and value[1:].startswith(DANGEROUS_STARTS):
        return value[1:]
    return value
