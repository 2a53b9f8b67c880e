"""Uploaded files: what they are is read from their content (magic bytes), never their name.

Accepted: PDF, PNG, JPEG, Word (DOCX), Excel (XLSX) and plain UTF-8 text or CSV, up to
`ADELANTE_UPLOAD_MAX_BYTES` (10 MiB by default). A Windows program renamed to .pdf is
refused because it does not start with ``%PDF-``; a ZIP is only a DOCX or XLSX when it holds
the parts those formats must have, and within the limits of `adelante.uploads.archives`
(checked from its table of contents before any part is expanded, then every part read once
to prove it: no ZIP bomb is stored). Files are kept through Django's storage API
(`default_storage`, through the model's FileField), under a random name with the extension
of what they are, so a deployment can keep them in object storage; the name the partner gave
is kept for display only.
"""

from __future__ import annotations

import os
import secrets
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from adelante.errors import Invalid
from adelante.uploads.archives import Refused, check_archive, check_members, open_zip

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
#: Bytes read to tell what a file is.
HEAD = 8192


@dataclass(frozen=True)
class Kind:
    code: str
    extension: str
    content_type: str
    label: str


PDF = Kind("pdf", "pdf", "application/pdf", "PDF")
PNG = Kind("png", "png", "image/png", "PNG")
JPEG = Kind("jpeg", "jpg", "image/jpeg", "JPEG")
DOCX = Kind(
    "docx",
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "Word",
)
XLSX = Kind(
    "xlsx",
    "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "Excel",
)
TEXT = Kind("text", "txt", "text/plain; charset=utf-8", "text")
KINDS = {k.code: k for k in (PDF, PNG, JPEG, DOCX, XLSX, TEXT)}


class FileRefused(Invalid):
    """Why an upload is refused (a service's `Invalid`); the message is for the user."""


def _refused(message: str) -> FileRefused:
    """The refusal of the input named "file" (a door shows it beside its file field)."""
    return FileRefused(field_errors={"file": [message]})


def max_bytes() -> int:
    """The size limit: the setting, else the environment variable, else 10 MiB."""
    configured = getattr(settings, "ADELANTE_UPLOAD_MAX_BYTES", None)
    if configured is None:
        configured = os.environ.get("ADELANTE_UPLOAD_MAX_BYTES") or DEFAULT_MAX_BYTES
    return int(configured)


def _zip_kind(stream: IO[bytes]) -> Kind | None:
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def _is_text(head: bytes, complete: bool) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        if complete or exc.start < len(head) - 3:
            return False
    return True


def sniff(stream: IO[bytes]) -> Kind | None:
    """What the content is, from its first bytes (and, for a ZIP, its table of contents)."""
    stream.seek(0)
    head = stream.read(HEAD)
    complete = len(head) < HEAD
    kind: Kind | None = None
    if head.startswith(b"%PDF-"):
        kind = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        kind = JPEG
    elif head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(stream)
    elif head and _is_text(head, complete):
        kind = TEXT
    stream.seek(0)
    return kind


def _check_archive(stream: IO[bytes]) -> None:
    """An Office document (a ZIP archive) within the archive limits, every part intact."""
    try:
        with open_zip(stream) as archive:
            check_archive(archive)
            check_members(archive)
    except Refused as refused:
        raise _refused(refused.reason) from None
    finally:
        stream.seek(0)


def accepted_types() -> str:
    return ", ".join(k.label for k in KINDS.values())


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile[bytes]
    kind: Kind
    size: int
    original_name: str

    def storage_name(self, folder: str) -> str:
        return f"{folder}/{secrets.token_hex(16)}.{self.kind.extension}"


def check(upload: UploadedFile[bytes]) -> CheckedFile:
    """The upload if it is an accepted type within the size limit; else FileRefused."""
    size = upload.size or 0
    limit = max_bytes()
    if size == 0:
        raise _refused(_("The file is empty."))
    if size > limit:
        raise _refused(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(size / 1048576, 1), "limit": round(limit / 1048576, 1)}
        )
    stream = upload.file
    kind = sniff(stream) if stream is not None else None
    if kind is None:
        raise _refused(
            _("This file is not of an accepted type (%(types)s), whatever its name says.")
            % {"types": accepted_types()}
        )
    if kind in (DOCX, XLSX) and stream is not None:
        _check_archive(stream)
    name = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:200] or kind.code
    return CheckedFile(upload, kind, size, name)
