"""Workbooks (XLSX) checked before openpyxl opens them, and sheets read only as far as they hold.

Before the workbook is opened (`check_workbook`):

* the archive's limits (`archives.check_archive`: members, expanded size, compression ratio);
* the parts openpyxl reads whole when it opens a workbook (the workbook, its relationships,
  styles, theme …) at most `PART_MAX_BYTES` each once expanded;
* the table of shared strings at most `sheet_max_cells` strings, and no part with a DTD.

Before the sheet is read (`bounded_rows`), its XML is scanned, streaming, for the cells that
hold a value (`scan_sheet`): how many there are (at most `sheet_max_cells`), and the last row
and column that hold one. The sheet is then read up to that row and column only: rows and
columns that are styled but empty after the last value (a sheet formatted down to row
1,048,576) are never materialised. Empty rows before a value are read, and cost what they
cost, up to `sheet_max_rows`: a value below that row refuses the file, saying where it is.

The declared size of a sheet (its ``<dimension>``) is not trusted either way: some programs
write a wrong one, and a huge one says nothing about what the sheet holds.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any
from xml.etree import ElementTree
from xml.parsers import expat

from django.utils.translation import gettext as _

from adelante.uploads.archives import Refused, check_archive, open_zip
from adelante.uploads.limits import Limits, MiB, current, megabytes

#: A part openpyxl reads whole when it opens a workbook (not a sheet, not the shared strings).
PART_MAX_BYTES = 16 * MiB
#: The largest row and column a spreadsheet can have (XFD1048576).
MAX_ROW = 1_048_576
MAX_COLUMN = 16_384

CONTENT_TYPES = "[Content_Types].xml"
WORKSHEET = "worksheet+xml"
SHARED_STRINGS = "sharedStrings+xml"
#: Parts of these kinds are XML that openpyxl may parse; pictures and the like are not read.
XML_SUFFIXES = (".xml", ".rels", ".vml")

#: The sheet XML is scanned in blocks of CHUNK bytes, each with the OVERLAP bytes after it, so
#: that a cell cut by the end of a block is found whole in one of them.
CHUNK = 1 * MiB
OVERLAP = 64 * 1024

_PREFIX = rb"(?:[A-Za-z_][\w.\-]*:)?"
#: The start of a value: ``<v>`` (numbers, shared strings, booleans …) or ``<is>`` (inline text).
_VALUE = re.compile(rb"<" + _PREFIX + rb"(?:v|is)[\s/>]")
#: A tag: its slash if it closes, its local name, its attributes, its slash if it is empty.
_TAG = re.compile(rb"<(/?)" + _PREFIX + rb"([A-Za-z_][\w.\-]*)((?:\s[^>]*?)?)(/?)>")
_REFERENCE = re.compile(rb"""(?:^|\s)r\s*=\s*["']([A-Za-z]{1,3})([0-9]{1,7})["']""")
_SHARED_STRING = re.compile(rb"<" + _PREFIX + rb"si[\s/>]")
_DOCTYPE = b"<!DOCTYPE"
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._\-]+)["']""")
#: Encodings in which the markup is plain ASCII bytes, so the fast scan reads it as it is.
_ASCII_MARKUP = {b"utf-8", b"utf8", b"us-ascii", b"ascii", b"iso-8859-1", b"latin-1"}


@dataclass(frozen=True)
class Extent:
    """What a sheet holds: its cells with a value, and the last row and column with one."""

    filled: int
    last_row: int
    last_column: int


# -- Before the workbook is opened -----------------------------------------------------------


def check_workbook(data: bytes, limits: Limits | None = None) -> None:
    """Refuse (`Refused`) a workbook beyond the limits, before openpyxl opens it.

    A file that is not a ZIP archive, or has no table of content types, is left to openpyxl,
    which refuses it as not a workbook."""
    limits = limits or current()
    try:
        archive = open_zip(data)
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with archive:
        check_archive(archive, limits)
        kinds = _content_types(archive)
        for member in archive.infolist():
            name = member.filename
            kind = kinds.get(name.lower(), "")
            if kind.endswith(SHARED_STRINGS):
                _check_shared_strings(archive, name, limits)
            elif (
                not kind.endswith(WORKSHEET)
                and name.lower().endswith(XML_SUFFIXES)
                and member.file_size > PART_MAX_BYTES
            ):
                raise Refused(
                    _(
                        "The part “%(part)s” of the workbook is %(size)s MB once expanded; the "
                        "limit is %(limit)s MB. Nothing was written."
                    )
                    % {
                        "part": name[:100],
                        "size": megabytes(member.file_size),
                        "limit": megabytes(PART_MAX_BYTES),
                    }
                )


def _content_types(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each part's content type, by its name in the archive (lower case), from the overrides
    of ``[Content_Types].xml`` (how openpyxl finds the shared strings and the sheets)."""
    try:
        info = archive.getinfo(CONTENT_TYPES)
    except KeyError:
        return {}
    if info.file_size > PART_MAX_BYTES:
        raise Refused(
            _("The workbook's list of parts is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": megabytes(info.file_size), "limit": megabytes(PART_MAX_BYTES)}
        )
    text = archive.read(info)
    if _DOCTYPE in text:
        raise _dtd_refused(CONTENT_TYPES)
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError:
        return {}
    kinds: dict[str, str] = {}
    for element in root:
        part = element.get("PartName", "")
        if element.tag.endswith("Override") and part:
            kinds[part.lstrip("/").lower()] = element.get("ContentType", "")
    return kinds


def _check_shared_strings(archive: zipfile.ZipFile, name: str, limits: Limits) -> None:
    count = 0
    with archive.open(name) as stream:
        for data, start, end in _blocks(stream):
            if _DOCTYPE in data:
                raise _dtd_refused(name)
            count += sum(1 for _found in _SHARED_STRING.finditer(data, start, end))
            if count > limits.sheet_max_cells:
                raise Refused(
                    _(
                        "The workbook holds more than %(limit)d different texts; the limit is "
                        "%(limit)d. Nothing was written."
                    )
                    % {"limit": limits.sheet_max_cells}
                )


def _dtd_refused(part: str) -> Refused:
    return Refused(
        _(
            "The part “%(part)s” of the file declares a DTD, which spreadsheets never do; save "
            "the file again from a spreadsheet program. Nothing was written."
        )
        % {"part": part[:100]}
    )


def _blocks(stream: IO[bytes]) -> Iterator[tuple[bytes, int, int]]:
    """The stream in blocks: (data, start, end). A match that starts in data[start:end]
    belongs to this block; `data` holds up to OVERLAP bytes before `start` and after `end`
    (except at the beginning and the end of the stream), and the next block starts at `end`."""
    buffer = b""
    start = 0
    while True:
        chunk = stream.read(CHUNK)
        buffer += chunk
        last = not chunk
        end = len(buffer) if last else len(buffer) - OVERLAP
        if end > start:
            yield buffer, start, end
            cut = max(0, end - OVERLAP)
            buffer = buffer[cut:]
            start = end - cut
        if last:
            return


# -- Before the sheet is read ----------------------------------------------------------------


def scan_sheet(stream: IO[bytes], limits: Limits | None = None) -> Extent:
    """The cells with a value in a sheet's XML, and the last row and column with one.

    A fast pass finds each value tag with a regular expression over the raw bytes, and reads
    the reference (``r="B12"``) of the cell tag just before it. When that is not possible (a
    cell without a reference, a comment between the tags, a value tag outside a cell, a text
    encoding other than UTF-8) the sheet is scanned again with an XML parser, which is exact
    and slower. Either way the memory used does not grow with the sheet."""
    limits = limits or current()
    fast = _fast_scan(stream, limits)
    if fast is not None:
        return fast
    stream.seek(0)
    return _exact_scan(stream, limits)


def _fast_scan(stream: IO[bytes], limits: Limits) -> Extent | None:
    cells = last_row = last_column = 0
    first = True
    for data, start, end in _blocks(stream):
        if first:
            first = False
            if not _ascii_markup(data[:200]):
                return None
        if _DOCTYPE in data:
            raise _dtd_refused("sheet")
        for found in _VALUE.finditer(data, start):
            if found.start() >= end:
                break
            reference = _cell_reference(data, found.start())
            if reference is None:
                return None
            row, column = _position(reference.group(1), reference.group(2))
            cells += 1
            last_row = max(last_row, row)
            last_column = max(last_column, column)
            _check_cells(cells, limits)
    return Extent(cells, last_row, last_column)


def _cell_reference(data: bytes, value: int) -> re.Match[bytes] | None:
    """The reference of the cell whose value tag starts at `value`: the tag before it must open
    a cell (``<c r="B12" …>``), or a formula (``<f>…</f>`` or ``<f …/>``) right after one, with
    nothing but spaces between them."""
    tag = _tag_before(data, value)
    if tag is not None and tag.group(2) == b"f" and not tag.group(1) and tag.group(4):
        tag = _tag_before(data, tag.start())  # <c …><f …/><v>
    elif tag is not None and tag.group(2) == b"f" and tag.group(1):
        opening = data.rfind(b"<", 0, tag.start())
        formula = _TAG.match(data, opening) if opening >= 0 else None
        if formula is None or formula.group(2) != b"f" or formula.group(1) or formula.group(4):
            return None
        tag = _tag_before(data, opening)  # <c …><f …>text</f><v>
    if tag is None or tag.group(2) != b"c" or tag.group(1) or tag.group(4):
        return None
    return _REFERENCE.search(tag.group(3))


def _tag_before(data: bytes, position: int) -> re.Match[bytes] | None:
    """The tag that ends right before `position`, with only spaces after it."""
    opening = data.rfind(b"<", 0, position)
    if opening < 0:
        return None
    tag = _TAG.match(data, opening, position)
    if tag is None or data[tag.end() : position].strip():
        return None
    return tag


def _ascii_markup(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4]:
        return False
    declared = _ENCODING.search(head.split(b"?>", 1)[0]) if head.startswith(b"<?xml") else None
    return declared is None or declared.group(1).lower() in _ASCII_MARKUP


def _exact_scan(stream: IO[bytes], limits: Limits) -> Extent:
    parser = expat.ParserCreate(namespace_separator=" ")
    state = {"row": 0, "column": 0, "cells": 0, "last_row": 0, "last_column": 0}
    cell = [0, 0]

    def start(name: str, attributes: dict[str, str]) -> None:
        local = name.rpartition(" ")[2]
        if local == "row":
            given = attributes.get("r", "")
            state["row"] = int(given) if given.isdigit() else state["row"] + 1
            state["column"] = 0
        elif local == "c":
            found = _REFERENCE.search(b" r='" + attributes.get("r", "").encode() + b"'")
            if found is not None:
                cell[:] = _position(found.group(1), found.group(2))
            else:
                cell[:] = [state["row"], state["column"] + 1]
            state["row"], state["column"] = cell
        elif local in ("v", "is"):
            state["cells"] += 1
            state["last_row"] = max(state["last_row"], cell[0])
            state["last_column"] = max(state["last_column"], cell[1])
            _check_cells(state["cells"], limits)

    def doctype(*_args: Any) -> None:
        raise _dtd_refused("sheet")

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = doctype
    try:
        while chunk := stream.read(CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError:
        # Not well-formed: openpyxl refuses it when it reads the sheet.
        pass
    return Extent(state["cells"], state["last_row"], state["last_column"])


def _position(letters: bytes, digits: bytes) -> tuple[int, int]:
    """(row, column) of a cell reference such as ``AB12``; refused beyond a sheet's edges."""
    column = 0
    for letter in letters.upper():
        column = column * 26 + letter - 64
    row = int(digits)
    if not 1 <= row <= MAX_ROW or not 1 <= column <= MAX_COLUMN:
        raise Refused(
            _(
                "The sheet has a cell at %(cell)s, beyond the last row and column a spreadsheet "
                "can have. Nothing was written."
            )
            % {"cell": (letters + digits).decode("ascii")}
        )
    return row, column


def _check_cells(cells: int, limits: Limits) -> None:
    if cells > limits.sheet_max_cells:
        raise Refused(
            _(
                "The sheet has more than %(limit)d cells with a value; the limit is %(limit)d. "
                "Split the file. Nothing was written."
            )
            % {"limit": limits.sheet_max_cells}
        )


# -- Reading the sheet -----------------------------------------------------------------------


def bounded_rows(
    data: bytes, sheet: Any, limits: Limits | None = None
) -> Iterator[tuple[int, tuple[object, ...]]]:
    """(row number, values) of an openpyxl read-only sheet of the workbook `data`: row 1, and
    every later row that holds a value, up to the last row and column with a value.

    Raises `Refused` if the sheet holds too many values, or a value below `sheet_max_rows`."""
    limits = limits or current()
    # openpyxl (3.1) keeps the sheet's part name here; the sheet was chosen by its title.
    part = sheet._worksheet_path
    with open_zip(data) as archive, archive.open(part) as stream:
        extent = scan_sheet(stream, limits)
    if extent.last_row > limits.sheet_max_rows:
        raise Refused(
            _(
                "The sheet has a value in row %(row)d; the limit is %(limit)d rows. Delete the "
                "empty rows above it, or split the file. Nothing was written."
            )
            % {"row": extent.last_row, "limit": limits.sheet_max_rows}
        )
    if not extent.filled:
        return
    rows = sheet.iter_rows(
        min_row=1, max_row=extent.last_row, max_col=extent.last_column, values_only=True
    )
    for number, values in enumerate(rows, 1):
        if number == 1 or any(value is not None for value in values):
            yield number, tuple(values)
