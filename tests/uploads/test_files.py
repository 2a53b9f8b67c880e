"""The worst files an upload can be, refused before they are opened, or read cheaply.

The corpus is built here (benchmarks/uploads.py writes the archives' XML directly). Each read
runs under tracemalloc, and its peak is asserted below a fixed bound: a resource bound, not a
timing.
"""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from adelante.errors import ServiceError
from adelante.exchange.problems import ImportRejected
from adelante.exchange.readers import read_table
from adelante.uploads import sheets
from adelante.uploads.archives import Refused, check_archive, check_members, open_zip
from adelante.uploads.limits import Limits
from adelante.workflow import files
from benchmarks import uploads as corpus

MiB = 1024 * 1024
#: Peak Python heap allowed while reading any file of the corpus.
MEMORY_BOUND = 50 * MiB


def traced(call):
    """The result of `call()` (or the exception it raised) and its peak traced memory."""
    tracemalloc.start()
    try:
        try:
            result = call()
        except Exception as exc:  # the refusal is the result
            result = exc
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def reason(rejected: ImportRejected) -> str:
    [problem] = rejected.problems
    assert problem.line == 1
    return problem.reason


def test_a_normal_workbook_is_read(tmp_path):
    table = read_table(write(tmp_path, "normal.xlsx", corpus.normal_workbook()))
    assert table.columns == ("name", "amount")
    assert [row.cells for row in table.rows] == [{"name": "Acme", "amount": "5"}]


def test_a_zip_bomb_is_refused_before_it_is_opened(tmp_path):
    path = write(tmp_path, "bomb.xlsx", corpus.bomb_workbook(256 * MiB))
    read_table(write(tmp_path, "warm.xlsx", corpus.normal_workbook()))  # modules loaded
    refused, peak = traced(lambda: read_table(path))
    assert isinstance(refused, ImportRejected)
    assert "256 MB" in reason(refused) and "limit is 128 MB" in reason(refused)
    assert peak < MEMORY_BOUND


def test_a_member_compressed_a_thousand_times_is_refused(tmp_path):
    path = write(tmp_path, "bomb.xlsx", corpus.bomb_workbook(32 * MiB))
    with pytest.raises(ImportRejected) as refused:
        read_table(path)
    text = reason(refused.value)
    assert "xl/worksheets/sheet1.xml" in text and "the limit is 100 times" in text


def test_the_refusal_is_in_spanish_for_a_spanish_reader(tmp_path):
    path = write(tmp_path, "bomb.xlsx", corpus.bomb_workbook(32 * MiB))
    with translation.override("es"), pytest.raises(ImportRejected) as refused:
        read_table(path)
    assert "el límite es de 100 veces" in reason(refused.value)


def test_too_many_members_are_refused(tmp_path):
    parts = {f"xl/media/image{n}.png": b"x" for n in range(1001)}
    path = write(tmp_path, "many.xlsx", corpus.workbook([corpus.row_xml(1, ("a",))], parts=parts))
    with pytest.raises(ImportRejected) as refused:
        read_table(path)
    assert "the limit is 1000" in reason(refused.value)


def test_a_huge_declared_sheet_is_read_by_what_it_holds(tmp_path):
    path = write(tmp_path, "declared.xlsx", corpus.declared_dimension_workbook())
    table, peak = traced(lambda: read_table(path))
    assert [row.cells for row in table.rows] == [{"name": "Acme", "amount": "5"}]
    assert peak < MEMORY_BOUND


def test_rows_styled_down_to_the_last_row_cost_nothing(tmp_path):
    path = write(tmp_path, "styled.xlsx", corpus.styled_rows_workbook())
    read_table(write(tmp_path, "warm.xlsx", corpus.normal_workbook()))
    table, peak = traced(lambda: read_table(path))
    assert not isinstance(table, Exception), table
    assert table.columns == ("name", "amount")
    assert [(row.line, row.cells) for row in table.rows] == [(2, {"name": "Acme", "amount": "5"})]
    assert peak < MEMORY_BOUND


def test_a_value_after_a_gap_is_read(tmp_path):
    rows = [corpus.row_xml(1, corpus.HEADER), corpus.row_xml(2, corpus.DATA)]
    rows += [corpus.styled_empty_row(n) for n in range(3, 5000)]
    rows.append(corpus.row_xml(5000, ("Beta", 7)))
    table = read_table(write(tmp_path, "gap.xlsx", corpus.workbook(rows)))
    assert [(row.line, row.get("name")) for row in table.rows] == [(2, "Acme"), (5000, "Beta")]


def test_a_value_below_the_row_limit_is_refused_saying_where(tmp_path, settings):
    settings.ADELANTE_SHEET_MAX_ROWS = 1000
    rows = [corpus.row_xml(1, corpus.HEADER), corpus.row_xml(2, corpus.DATA)]
    rows += [corpus.styled_empty_row(n) for n in range(3, 1500)]
    rows.append(corpus.row_xml(1500, ("Beta", 7)))
    with pytest.raises(ImportRejected) as refused:
        read_table(write(tmp_path, "far.xlsx", corpus.workbook(rows)))
    assert "a value in row 1500; the limit is 1000 rows" in reason(refused.value)


def test_too_many_cells_are_refused(tmp_path, settings):
    settings.ADELANTE_SHEET_MAX_CELLS = 50
    rows = [corpus.row_xml(n, ("x", n)) for n in range(1, 40)]
    with pytest.raises(ImportRejected) as refused:
        read_table(write(tmp_path, "cells.xlsx", corpus.workbook(rows)))
    assert "more than 50 cells with a value" in reason(refused.value)


def test_a_sheet_with_a_dtd_is_refused(tmp_path):
    content = corpus.workbook([corpus.row_xml(1, ("a",))])
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.endswith("sheet1.xml"):
                data = data.replace(b"?>\n", b'?>\n<!DOCTYPE x [<!ENTITY e "<v>1</v>">]>', 1)
            target.writestr(item, data)
    with pytest.raises(ImportRejected) as refused:
        read_table(write(tmp_path, "dtd.xlsx", buffer.getvalue()))
    assert "DTD" in reason(refused.value)


# -- The scan of a sheet: its fast pass equals the exact one ----------------------------------

cells = st.lists(
    st.tuples(
        st.integers(1, 60),
        st.integers(1, 30),
        st.sampled_from(["number", "text", "formula", "empty", "styled"]),
    ),
    max_size=40,
)


def sheet_xml(entries, *, spaces: bool) -> bytes:
    by_row: dict[int, dict[int, str]] = {}
    for row, column, kind in entries:
        by_row.setdefault(row, {})[column] = kind
    gap = "\n  " if spaces else ""
    parts = [corpus.SHEET_START.replace("{dimension}", "A1")]
    for row in sorted(by_row):
        parts.append(f'<row r="{row}">')
        for column in sorted(by_row[row]):
            ref = f"{sheets_column(column)}{row}"
            kind = by_row[row][column]
            parts.append(
                {
                    "number": f'<c r="{ref}">{gap}<v>1</v></c>',
                    "text": f'<c r="{ref}" t="inlineStr">{gap}<is><t>a</t></is></c>',
                    "formula": f'<c r="{ref}"><f>SUM(A1:A2)</f>{gap}<v>3</v></c>',
                    "empty": f'<c r="{ref}"/>',
                    "styled": f'<c r="{ref}" s="1"></c>',
                }[kind]
            )
        parts.append("</row>")
    parts.append(corpus.SHEET_END)
    return "".join(parts).encode()


def sheets_column(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@hypothesis_settings(max_examples=60, deadline=None)
@given(entries=cells, spaces=st.booleans(), chunk=st.integers(16, 300))
def test_the_fast_scan_finds_what_the_exact_scan_finds(entries, spaces, chunk):
    """In blocks as small as a few cells (a cell cut by every block's end), the fast pass and
    the XML parser agree, and both count what the sheet holds."""
    xml = sheet_xml(entries, spaces=spaces)
    limits = Limits()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sheets, "CHUNK", chunk)
        patch.setattr(sheets, "OVERLAP", 120)
        fast = sheets._fast_scan(io.BytesIO(xml), limits)
        exact = sheets._exact_scan(io.BytesIO(xml), limits)
    assert fast == exact
    written = {(r, c): kind for r, c, kind in entries}  # the last kind given for a cell
    filled = {key for key, kind in written.items() if kind in ("number", "text", "formula")}
    assert exact.filled == len(filled)
    assert exact.last_row == max((r for r, _c in filled), default=0)
    assert exact.last_column == max((c for _r, c in filled), default=0)


def test_cells_without_references_are_scanned_exactly():
    xml = (
        corpus.SHEET_START.replace("{dimension}", "A1")
        + "<row><c><v>1</v></c><c><v>2</v></c></row><row/><row><c/><c/><c><v>3</v></c></row>"
        + corpus.SHEET_END
    ).encode()
    assert sheets.scan_sheet(io.BytesIO(xml)) == sheets.Extent(3, 3, 3)


# -- Evidence ----------------------------------------------------------------------------------


def evidence(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("report.docx", content, content_type="application/octet-stream")


def test_a_normal_document_is_accepted():
    assert files.check(evidence(corpus.normal_docx())).kind == files.DOCX


def test_a_docx_bomb_is_refused_as_evidence():
    upload = evidence(corpus.bomb_docx(256 * MiB))
    files.check(evidence(corpus.normal_docx()))
    refused, peak = traced(lambda: files.check(upload))
    assert isinstance(refused, ServiceError)
    assert "limit is 128 MB" in refused.field_errors["file"][0]
    assert peak < MEMORY_BOUND


def test_a_document_whose_parts_lie_about_their_size_is_refused():
    content = bytearray(corpus.normal_docx())
    # The central directory's record of the text part says it is 10 bytes long, expanded.
    record = content.find(b"PK\x01\x02")
    while True:
        length = int.from_bytes(content[record + 28 : record + 30], "little")
        if content[record + 46 : record + 46 + length] == b"word/document.xml":
            break
        record = content.find(b"PK\x01\x02", record + 46)
    content[record + 24 : record + 28] = (10).to_bytes(4, "little")
    with open_zip(bytes(content)) as archive:
        check_archive(archive)
        with pytest.raises(Refused):
            check_members(archive)
    with pytest.raises(ServiceError):
        files.check(evidence(bytes(content)))
