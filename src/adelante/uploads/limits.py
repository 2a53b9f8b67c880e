"""The limits of uploads, from the settings (README, "Configuration"; docs/security.md).

Each limit has a setting of the same name, read from the environment by `adelante.settings`;
a deployment that defines its own settings without them gets the defaults below.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

MiB = 1024 * 1024

#: Size of a request body (Content-Length) refused with 413 before it is read: the largest
#: file limit (the staff's 20 MB import) and room for the form around it.
DEFAULT_REQUEST_MAX_BYTES = 21 * MiB
#: What a ZIP archive (XLSX, DOCX …) may expand to, all members together.
DEFAULT_ARCHIVE_MAX_BYTES = 128 * MiB
#: How much a member (and the whole archive) may be compressed: expanded size ÷ stored size.
#: Spreadsheet and document XML compresses 5 to 20 times; a ZIP bomb about 1,000 times.
DEFAULT_ARCHIVE_MAX_RATIO = 100
#: Members of one archive: a document has tens, a workbook with pictures a few hundred.
DEFAULT_ARCHIVE_MAX_MEMBERS = 1000
#: Rows of a sheet read, up to its last filled row (styled empty rows after it cost nothing).
DEFAULT_SHEET_MAX_ROWS = 100_000
#: Filled cells of a sheet (and strings in a workbook's table of shared strings).
DEFAULT_SHEET_MAX_CELLS = 1_000_000
#: Seconds a write waits for the embedded SQLite database while another one writes.
DEFAULT_SQLITE_TIMEOUT = 30.0


@dataclass(frozen=True)
class Limits:
    request_max_bytes: int = DEFAULT_REQUEST_MAX_BYTES
    archive_max_bytes: int = DEFAULT_ARCHIVE_MAX_BYTES
    archive_max_ratio: float = DEFAULT_ARCHIVE_MAX_RATIO
    archive_max_members: int = DEFAULT_ARCHIVE_MAX_MEMBERS
    sheet_max_rows: int = DEFAULT_SHEET_MAX_ROWS
    sheet_max_cells: int = DEFAULT_SHEET_MAX_CELLS


def current() -> Limits:
    """The limits the settings give (ADELANTE_REQUEST_MAX_BYTES, ADELANTE_ARCHIVE_MAX_BYTES,
    ADELANTE_ARCHIVE_MAX_RATIO, ADELANTE_ARCHIVE_MAX_MEMBERS, ADELANTE_SHEET_MAX_ROWS,
    ADELANTE_SHEET_MAX_CELLS), else the defaults."""
    return Limits(
        request_max_bytes=int(
            getattr(settings, "ADELANTE_REQUEST_MAX_BYTES", DEFAULT_REQUEST_MAX_BYTES)
        ),
        archive_max_bytes=int(
            getattr(settings, "ADELANTE_ARCHIVE_MAX_BYTES", DEFAULT_ARCHIVE_MAX_BYTES)
        ),
        archive_max_ratio=float(
            getattr(settings, "ADELANTE_ARCHIVE_MAX_RATIO", DEFAULT_ARCHIVE_MAX_RATIO)
        ),
        archive_max_members=int(
            getattr(settings, "ADELANTE_ARCHIVE_MAX_MEMBERS", DEFAULT_ARCHIVE_MAX_MEMBERS)
        ),
        sheet_max_rows=int(getattr(settings, "ADELANTE_SHEET_MAX_ROWS", DEFAULT_SHEET_MAX_ROWS)),
        sheet_max_cells=int(getattr(settings, "ADELANTE_SHEET_MAX_CELLS", DEFAULT_SHEET_MAX_CELLS)),
    )


def megabytes(size: float) -> str:
    """A size in MB (MiB) for a message: one decimal below 10, none above."""
    value = size / MiB
    return f"{value:.1f}" if value < 10 else f"{value:.0f}"
