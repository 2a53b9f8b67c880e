"""ZIP archives checked from their table of contents, before any member is expanded.

An XLSX workbook and a DOCX document are ZIP archives. A "ZIP bomb" is an archive whose
members expand to far more than it stores (2.8 MB expanding to 2.8 GB): whatever opens it runs
out of memory. The sizes are in the archive's central directory, so the check reads no member:

* at most `archive_max_members` members;
* at most `archive_max_bytes` once expanded, all members together;
* no member, and not the whole, compressed more than `archive_max_ratio` times (members and
  archives under 1 MiB expanded are never refused for their ratio: tiny files compress oddly).

Python's `zipfile` never expands a member beyond the size its directory declares (a member
that holds more fails its CRC check), so the declared sizes bound what reading can cost.
`check_members` reads every member once, in small blocks, to prove that they match.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import IO

from django.utils.translation import gettext as _

from adelante.uploads.limits import Limits, MiB, current, megabytes

#: Members (and archives) smaller than this, expanded, are never refused for their ratio.
RATIO_FLOOR = 1 * MiB


class Refused(ValueError):
    """An upload refused before it was opened; the message says which limit, for the person."""

    @property
    def reason(self) -> str:
        return str(self.args[0])


def open_zip(source: bytes | IO[bytes]) -> zipfile.ZipFile:
    """The archive's table of contents (raises `zipfile.BadZipFile` if it is not a ZIP)."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    stream.seek(0)
    return zipfile.ZipFile(stream)


def check_archive(archive: zipfile.ZipFile, limits: Limits | None = None) -> None:
    """Refuse (`Refused`) an archive beyond the limits, from its table of contents alone."""
    limits = limits or current()
    members = archive.infolist()
    if len(members) > limits.archive_max_members:
        raise Refused(
            _("The archive holds %(count)d files; the limit is %(limit)d. Nothing was written.")
            % {"count": len(members), "limit": limits.archive_max_members}
        )
    expanded = sum(member.file_size for member in members)
    stored = sum(member.compress_size for member in members)
    if expanded > limits.archive_max_bytes:
        raise Refused(
            _(
                "The file would expand to %(size)s MB once opened; the limit is %(limit)s MB. "
                "Nothing was written."
            )
            % {"size": megabytes(expanded), "limit": megabytes(limits.archive_max_bytes)}
        )
    for member in members:
        if _too_compressed(member.file_size, member.compress_size, limits):
            raise Refused(
                _(
                    "The part “%(part)s” of the file is compressed %(ratio)d times (%(size)s MB "
                    "once expanded); the limit is %(limit)d times. Nothing was written."
                )
                % {
                    "part": member.filename[:100],
                    "ratio": member.file_size // max(member.compress_size, 1),
                    "size": megabytes(member.file_size),
                    "limit": limits.archive_max_ratio,
                }
            )
    if _too_compressed(expanded, stored, limits):
        raise Refused(
            _(
                "The file is compressed %(ratio)d times (%(size)s MB once expanded); the limit "
                "is %(limit)d times. Nothing was written."
            )
            % {
                "ratio": expanded // max(stored, 1),
                "size": megabytes(expanded),
                "limit": limits.archive_max_ratio,
            }
        )


def _too_compressed(expanded: int, stored: int, limits: Limits) -> bool:
    return expanded > RATIO_FLOOR and expanded > limits.archive_max_ratio * max(stored, 1)


def check_members(archive: zipfile.ZipFile) -> None:
    """Read every member once, in small blocks, to prove it is what the table says (its CRC).

    Call after `check_archive`, which bounds what this reads. Refuses a damaged archive, or one
    whose members hold more than their declared size."""
    try:
        bad = archive.testzip()
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError):
        # Damaged data, an unknown compression method, or a password (RuntimeError).
        bad = "?"
    if bad is not None:
        raise Refused(_("The file is damaged (a part of the archive does not match its size)."))
