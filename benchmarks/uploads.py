"""The upload benchmark (`python -m benchmarks uploads`, docs/benchmarks.md), and its corpus.

The corpus is the worst files an upload can be, built here, cheaply, by writing the archive's
XML directly with `zipfile` (never a spreadsheet program, never openpyxl writing a million
rows): a ZIP bomb (a workbook whose sheet expands a thousand times), a workbook declaring the
largest possible sheet, one whose empty rows are styled down to row 1,048,576 (and one empty
column styled out to XFD), a DOCX bomb, an archive with too many members. The tests build
the same files (tests/uploads).

`measure` reads one file the way an upload is read (`read_table` for a workbook, the evidence
check for a document) and reports its outcome, its time and its peak memory: the Python heap
(tracemalloc) and the process's resident set. The command runs each file in its own child
process, so that each peak belongs to one file, and prints each as a ratio against the floor:
reading a normal workbook of one row.
"""

from __future__ import annotations

import io
import resource
import time
import tracemalloc
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

MiB = 1024 * 1024

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "application/vnd.openxmlformats-officedocument"

CONTENT_TYPES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" ContentType="{OFFICE}.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{OFFICE}.spreadsheetml.worksheet+xml"/>\
<Override PartName="/xl/styles.xml" ContentType="{OFFICE}.spreadsheetml.styles+xml"/>\
<Override PartName="/xl/sharedStrings.xml" ContentType="{OFFICE}.spreadsheetml.sharedStrings+xml"/>\
</Types>"""
PACKAGE_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" \
Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"""
WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="{NS}" xmlns:r="{REL}"><sheets>\
<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{PKG_REL}">\
<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>\
<Relationship Id="rId2" Type="{REL}/styles" Target="styles.xml"/>\
<Relationship Id="rId3" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>\
</Relationships>"""
STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{NS}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font>\
</fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill \
patternType="solid"><fgColor rgb="FFFFFF00"/></patternFill></fill></fills><borders count="1">\
<border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" \
borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" \
borderId="0" xfId="0"/><xf numFmtId="0" fontId="0" fillId="1" borderId="0" xfId="0" \
applyFill="1"/></cellXfs></styleSheet>"""
SHARED_STRINGS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="{NS}" count="1" uniqueCount="1"><si><t>shared</t></si></sst>"""
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<worksheet xmlns="{NS}"><dimension ref="{{dimension}}"/><sheetData>'
)
SHEET_END = "</sheetData></worksheet>"

#: The header and the one data row of every workbook of the corpus.
HEADER = ("name", "amount")
DATA = ("Acme", 5)


def _cell(reference: str, value: object) -> str:
    if isinstance(value, int | float):
        return f'<c r="{reference}"><v>{value}</v></c>'
    return f'<c r="{reference}" t="inlineStr"><is><t>{value}</t></is></c>'


def row_xml(number: int, values: Iterable[object]) -> str:
    """One row of cells with values, in columns A, B, …"""
    cells = "".join(_cell(f"{chr(65 + i)}{number}", v) for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


def styled_empty_row(number: int) -> str:
    """A row as spreadsheet programs write one that is formatted but empty."""
    if number % 10:
        return f'<row r="{number}" spans="1:2" s="1" customFormat="1" ht="15"/>'
    # Every tenth row also holds styled empty cells.
    return f'<row r="{number}" s="1" customFormat="1"><c r="A{number}" s="1"/><c r="B{number}" s="1"/></row>'  # noqa: E501


def workbook(
    rows: Iterable[str], *, dimension: str = "A1:B2", parts: dict[str, bytes] | None = None
) -> bytes:
    """An XLSX file with one sheet of these rows (XML), written straight into the archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", STYLES)
        archive.writestr("xl/sharedStrings.xml", SHARED_STRINGS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(SHEET_START.replace("{dimension}", dimension).encode())
            batch: list[str] = []
            for row in rows:
                batch.append(row)
                if len(batch) >= 10_000:
                    sheet.write("".join(batch).encode())
                    batch = []
            sheet.write("".join(batch).encode())
            sheet.write(SHEET_END.encode())
        for name, content in (parts or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def normal_workbook() -> bytes:
    """The floor: a header and one row."""
    return workbook([row_xml(1, HEADER), row_xml(2, DATA)])


def styled_rows_workbook(last: int = 1_048_576) -> bytes:
    """A header and one row, then empty rows styled down to row `last`, and an empty cell
    styled in the last column (XFD) of row 2."""

    def rows() -> Iterator[str]:
        yield row_xml(1, HEADER)
        yield row_xml(2, DATA)[: -len("</row>")] + '<c r="XFD2" s="1"/></row>'
        for number in range(3, last + 1):
            yield styled_empty_row(number)

    return workbook(rows(), dimension=f"A1:XFD{last}")


def declared_dimension_workbook() -> bytes:
    """Two rows, declaring the largest sheet there can be (17 billion cells)."""
    return workbook([row_xml(1, HEADER), row_xml(2, DATA)], dimension="A1:XFD1048576")


def _zeros_member(archive: zipfile.ZipFile, name: str, size: int) -> None:
    """A member of `size` zero bytes, written in blocks (never `size` bytes in memory)."""
    block = b"\0" * MiB
    with archive.open(name, "w", force_zip64=size > 2**31) as member:
        for _start in range(0, size, MiB):
            member.write(block)


def bomb_workbook(expanded: int = 1024 * MiB) -> bytes:
    """A workbook whose sheet expands about a thousand times: `expanded` bytes of a few kB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", STYLES)
        _zeros_member(archive, "xl/worksheets/sheet1.xml", expanded)
    return buffer.getvalue()


def bomb_docx(expanded: int = 1024 * MiB) -> bytes:
    """A Word document whose text part expands about a thousand times."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        _zeros_member(archive, "word/document.xml", expanded)
    return buffer.getvalue()


def normal_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("word/document.xml", "<w:document>" + "Evidence. " * 500 + "</w:document>")
    return buffer.getvalue()


#: The corpus: name → (builder, kind); "xlsx" files are imported, "docx" checked as evidence.
CORPUS: dict[str, tuple[Callable[[], bytes], str]] = {
    "normal-1-row.xlsx": (normal_workbook, "xlsx"),
    "bomb-1gb.xlsx": (bomb_workbook, "xlsx"),
    "bomb-64mb.xlsx": (lambda: bomb_workbook(64 * MiB), "xlsx"),
    "declared-xfd1048576.xlsx": (declared_dimension_workbook, "xlsx"),
    "styled-rows-to-1048576.xlsx": (styled_rows_workbook, "xlsx"),
    "normal.docx": (normal_docx, "docx"),
    "bomb-1gb.docx": (bomb_docx, "docx"),
}
FLOOR = {"xlsx": "normal-1-row.xlsx", "docx": "normal.docx"}


def build(folder: Path) -> dict[str, Path]:
    """The corpus's files in `folder` (made once, reused)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, (builder, _kind) in CORPUS.items():
        path = folder / name
        if not path.exists():
            partial = path.with_name(path.name + ".partial")
            partial.write_bytes(builder())
            partial.replace(path)
        paths[name] = path
    return paths


# -- Measuring -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measurement:
    file: str
    kind: str
    file_mb: float
    outcome: str
    seconds: float
    peak_heap_mb: float
    peak_rss_mb: float
    baseline_rss_mb: float

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _rss_mb() -> float:
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_upload(path: Path, kind: str) -> str:
    """Read the file as an upload of its kind is read; what came of it, in a few words."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from adelante.errors import ServiceError
    from adelante.exchange.problems import ImportRejected
    from adelante.exchange.readers import read_table
    from adelante.workflow import files

    if kind == "xlsx":
        try:
            table = read_table(path)
        except ImportRejected as rejected:
            return "refused: " + rejected.problems[0].reason
        return f"read {len(table.rows)} row(s)"
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    try:
        files.check(upload)
    except ServiceError as refused:
        return "refused: " + " ".join(t for texts in refused.field_errors.values() for t in texts)
    return "accepted"


def measure(path: Path, kind: str) -> Measurement:
    """One file, in this process: the modules loaded first, then the read timed and traced."""
    read_upload(path.parent / FLOOR[kind], kind)  # modules imported and caches warmed first
    baseline = _rss_mb()
    tracemalloc.start()
    start = time.perf_counter()
    outcome = read_upload(path, kind)
    seconds = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return Measurement(
        file=path.name,
        kind=kind,
        file_mb=round(path.stat().st_size / MiB, 2),
        outcome=outcome,
        seconds=round(seconds, 3),
        peak_heap_mb=round(peak / MiB, 2),
        peak_rss_mb=round(_rss_mb(), 1),
        baseline_rss_mb=round(baseline, 1),
    )


# -- The table -------------------------------------------------------------------------------

COLUMNS = (
    "file",
    "file MB",
    "outcome",
    "s",
    "x floor",
    "heap MB",
    "x floor",
    "RSS growth MB",
)


def table_rows(measurements: list[Measurement]) -> list[tuple[str, ...]]:
    floors = {m.kind: m for m in measurements if m.file == FLOOR[m.kind]}
    rows: list[tuple[str, ...]] = []
    for m in measurements:
        floor = floors.get(m.kind, m)
        rows.append(
            (
                m.file,
                f"{m.file_mb:g}",
                m.outcome[:70],
                f"{m.seconds:.2f}",
                f"{m.seconds / floor.seconds:.1f}" if floor.seconds else "-",
                f"{m.peak_heap_mb:.1f}",
                f"{m.peak_heap_mb / floor.peak_heap_mb:.1f}" if floor.peak_heap_mb else "-",
                f"{m.peak_rss_mb - m.baseline_rss_mb:.0f}",
            )
        )
    return rows


def format_table(measurements: list[Measurement], *, markdown: bool = False) -> str:
    rows = table_rows(measurements)
    if markdown:
        align = ["---", "---:", "---"] + ["---:"] * (len(COLUMNS) - 3)
        lines = ["| " + " | ".join(COLUMNS) + " |", "| " + " | ".join(align) + " |"]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(COLUMNS)]

    def line(cells: tuple[str, ...] | list[str]) -> str:
        return "  ".join(
            cell.ljust(w) if i in (0, 2) else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([line(list(COLUMNS)), line(["-" * w for w in widths]), *map(line, rows)])
