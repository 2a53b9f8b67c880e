"""A document to HTML (Django template), PDF (reportlab) or DOCX (python-docx).

All three lay out the same blocks; none computes or formats a figure. PDF and DOCX carry the
edition's dates and checksum in their metadata and in every page's footer.
"""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import matplotlib
from django.template.loader import render_to_string

from adelante.reports.document import (
    Chart,
    Document,
    Facts,
    Heading,
    Links,
    Paragraph,
    Table,
)

HTML = "html"
PDF = "pdf"
DOCX = "docx"
FORMATS = (HTML, PDF, DOCX)
CONTENT_TYPES = {
    HTML: "text/html; charset=utf-8",
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

#: Fonts that ship with matplotlib (a pip package), so Spanish accents render in every PDF.
FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"


def render(document: Document, fmt: str) -> bytes:
    if fmt == HTML:
        return render_html(document).encode()
    if fmt == PDF:
        return render_pdf(document)
    if fmt == DOCX:
        return render_docx(document)
    raise ValueError(f"unknown format {fmt!r}")


# --- HTML -------------------------------------------------------------------------------------


def render_html(document: Document) -> str:
    """A self-contained page: styles and charts (SVG) inline, nothing linked but sources."""
    return render_to_string("reports/document.html", {"document": document})


# --- PDF --------------------------------------------------------------------------------------


def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD)


def _styles() -> dict[str, Any]:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    ink = colors.HexColor("#1f2933")
    muted = colors.HexColor("#52606d")
    base = ParagraphStyle("base", fontName=FONT, fontSize=9.5, leading=13, textColor=ink)
    return {
        "title": ParagraphStyle("title", base, fontName=FONT_BOLD, fontSize=18, leading=22),
        "subtitle": ParagraphStyle("subtitle", base, textColor=muted),
        "h2": ParagraphStyle(
            "h2",
            base,
            fontName=FONT_BOLD,
            fontSize=13,
            leading=16,
            spaceBefore=12,
            spaceAfter=4,
        ),
        "h3": ParagraphStyle(
            "h3",
            base,
            fontName=FONT_BOLD,
            fontSize=10.5,
            leading=13,
            spaceBefore=8,
            spaceAfter=3,
        ),
        "body": ParagraphStyle("body", base, spaceAfter=4),
        "note": ParagraphStyle("note", base, fontSize=8, leading=10, textColor=muted, spaceAfter=4),
        "cell": ParagraphStyle("cell", base, fontSize=7.5, leading=9.5),
        # Figures never break inside a number: they wrap at spaces only.
        "num": ParagraphStyle(
            "num", base, fontSize=7.5, leading=9.5, alignment=TA_RIGHT, splitLongWords=0
        ),
        "head": ParagraphStyle("head", base, fontName=FONT_BOLD, fontSize=7.5, leading=9.5),
        "fact_label": ParagraphStyle("fact_label", base, fontSize=8, textColor=muted),
        "fact_value": ParagraphStyle(
            "fact_value", base, fontName=FONT_BOLD, fontSize=12.5, leading=15
        ),
        "colophon": ParagraphStyle("colophon", base, fontSize=7.5, leading=9.5, textColor=muted),
    }


def _text(text: str, href: str = "") -> str:
    safe = escape(text)
    if href:
        return f'<a href="{escape(href, {chr(34): "&quot;"})}" color="#1d4f91">{safe}</a>'
    return safe


def render_pdf(document: Document) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        CondPageBreak,
        Image,
        KeepTogether,
        ListFlowable,
        ListItem,
        SimpleDocTemplate,
        Spacer,
        TableStyle,
    )
    from reportlab.platypus import Paragraph as P
    from reportlab.platypus import Table as T

    _register_fonts()
    styles = _styles()
    out = io.BytesIO()
    margin = 16 * mm
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin + 4 * mm,
        title=document.title,
        author="Adelante",
        subject=f"as of {document.as_of.isoformat()}; recorded on "
        f"{document.recorded_on.isoformat()}; sha256 {document.checksum}",
        keywords=list(document.keywords),
        creator="Adelante",
        lang=document.language,
        # The same document gives the same bytes: no creation time, no random ids.
        invariant=1,
    )
    width = A4[0] - 2 * margin
    story: list[Any] = [P(_text(document.title), styles["title"])]
    story += [P(_text(line), styles["subtitle"]) for line in document.subtitle]
    story.append(Spacer(1, 4 * mm))
    grid = colors.HexColor("#cbd2d9")
    for block in document.blocks:
        if isinstance(block, Heading):
            # A heading starts a new page rather than sit alone at the foot of one.
            story.append(CondPageBreak(35 * mm if block.level == 2 else 25 * mm))
            story.append(P(_text(block.text), styles["h2" if block.level == 2 else "h3"]))
        elif isinstance(block, Paragraph):
            story.append(P(_text(block.text), styles["note" if block.note else "body"]))
        elif isinstance(block, Facts):
            cells = [
                [
                    P(_text(f.label), styles["fact_label"]),
                    P(_text(f.value), styles["fact_value"]),
                    P(_text(f.note), styles["note"]),
                ]
                for f in block.items
            ]
            table = T(cells, colWidths=[width * 0.3, width * 0.3, width * 0.4])
            table.setStyle(
                TableStyle(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                        ("LINEBELOW", (0, 0), (-1, -1), 0.4, grid),
                    ]
                )
            )
            story.append(table)
        elif isinstance(block, Table):
            story.extend(_pdf_table(block, width, styles, grid))
        elif isinstance(block, Chart):
            image = Image(io.BytesIO(block.png))
            scale = min(1.0, width / image.drawWidth) * 0.92
            image.drawWidth *= scale
            image.drawHeight *= scale
            story.append(KeepTogether([image]))
        elif isinstance(block, Links):
            story.append(
                ListFlowable(
                    [ListItem(P(_text(c.text, c.href), styles["cell"])) for c in block.items],
                    bulletType="1",
                    bulletFontName=FONT,
                    bulletFontSize=7.5,
                )
            )
    story.append(Spacer(1, 6 * mm))
    story += [P(_text(line), styles["colophon"]) for line in document.colophon]

    def footer(canvas: Any, page_doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.HexColor("#52606d"))
        canvas.drawString(margin, 9 * mm, document.footer)
        canvas.drawRightString(A4[0] - margin, 9 * mm, str(page_doc.page))
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def _pdf_table(block: Table, width: float, styles: dict[str, Any], grid: Any) -> list[Any]:
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, TableStyle
    from reportlab.platypus import Paragraph as P
    from reportlab.platypus import Table as T

    def row(cells: Any, bold: bool = False) -> list[Any]:
        return [
            P(
                _text(c.text, c.href),
                styles["num"] if i in block.numeric else styles["head" if bold else "cell"],
            )
            for i, c in enumerate(cells)
        ]

    header = [
        P(_text(name), styles["head"] if i not in block.numeric else styles["num"])
        for i, name in enumerate(block.header)
    ]
    data = [header, *(row(r) for r in block.rows)]
    if block.total:
        data.append(row(block.total, bold=True))
    relative = block.widths or tuple(1.0 for _ in block.header)
    widths = [width * w / sum(relative) for w in relative]
    table = T(data, colWidths=widths, repeatRows=1)
    commands: list[Any] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f5f7fa")),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, grid),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if block.total:
        commands.append(("LINEABOVE", (0, -1), (-1, -1), 1, colors.HexColor("#9aa5b1")))
    table.setStyle(TableStyle(commands))
    flow: list[Any] = []
    if block.show_caption:
        flow += [CondPageBreak(25 * mm), P(_text(block.caption), styles["h3"])]
    flow.append(table)
    if block.note:
        flow.append(P(_text(block.note), styles["note"]))
    return flow


# --- DOCX -------------------------------------------------------------------------------------


def render_docx(document: Document) -> bytes:
    """An editable Word document: staff can write around the figures."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    word = docx.Document()
    normal = word.styles["Normal"]
    normal.font.name = "DejaVu Sans"
    normal.font.size = Pt(9.5)
    section = word.sections[0]
    section.left_margin = section.right_margin = Cm(1.8)
    usable = int(section.page_width or Cm(21)) - 2 * int(Cm(1.8))

    props = word.core_properties
    props.title = document.title
    props.subject = (
        f"as of {document.as_of.isoformat()}; recorded on {document.recorded_on.isoformat()}"
    )
    props.keywords = "; ".join(document.keywords)
    props.identifier = f"sha256:{document.checksum}"
    # Core properties hold at most 255 characters each.
    props.comments = f"{props.subject}; sha256 {document.checksum}"
    props.author = "Adelante"
    props.language = document.language
    props.category = document.kind
    # Reproducible: the document is dated by its edition, not by the moment of writing.
    moment = datetime.datetime.combine(document.recorded_on, datetime.time(), tzinfo=datetime.UTC)
    props.created = props.modified = moment
    props.revision = 1

    word.add_heading(document.title, level=0)
    for line in document.subtitle:
        word.add_paragraph(line)
    for block in document.blocks:
        if isinstance(block, Heading):
            word.add_heading(block.text, level=1 if block.level == 2 else 2)
        elif isinstance(block, Paragraph):
            paragraph = word.add_paragraph(block.text)
            if block.note:
                for run in paragraph.runs:
                    run.font.size = Pt(8)
        elif isinstance(block, Facts):
            table = word.add_table(rows=0, cols=3)
            table.style = "Table Grid"
            for fact in block.items:
                cells = table.add_row().cells
                cells[0].text = fact.label
                cells[1].text = ""
                cells[1].paragraphs[0].add_run(fact.value).bold = True
                cells[2].text = fact.note
        elif isinstance(block, Table):
            _docx_table(word, block, usable)
        elif isinstance(block, Chart):
            word.add_picture(io.BytesIO(block.png), width=Cm(16))
        elif isinstance(block, Links):
            for item in block.items:
                paragraph = word.add_paragraph(style="List Number")
                _add_hyperlink(paragraph, item.text, item.href)
    for line in document.colophon:
        paragraph = word.add_paragraph(line)
        paragraph.runs[0].font.size = Pt(7.5)
    footer = section.footer.paragraphs[0]
    footer.text = document.footer
    footer.alignment = WD_ALIGN_PARAGRAPH.LEFT
    footer.runs[0].font.size = Pt(7)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _docx_table(word: Any, block: Table, usable: int) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    if block.show_caption:
        word.add_paragraph(block.caption, style="Caption")
    table = word.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    rows = [*block.rows, *([block.total] if block.total else [])]
    for i, name in enumerate(block.header):
        cell = table.rows[0].cells[i]
        cell.text = ""
        cell.paragraphs[0].add_run(name).bold = True
    for n, cells in enumerate(rows):
        out = table.add_row().cells
        for i, c in enumerate(cells):
            paragraph = out[i].paragraphs[0]
            if c.href:
                _add_hyperlink(paragraph, c.text, c.href)
            else:
                run = paragraph.add_run(c.text)
                run.bold = block.total is not None and n == len(rows) - 1
            if i in block.numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(8)
    if block.widths:
        total = sum(block.widths)
        for i, column in enumerate(table.columns):
            for cell in column.cells:
                cell.width = int(usable * block.widths[i] / total)
    if block.note:
        note = word.add_paragraph(block.note)
        note.runs[0].font.size = Pt(8)


def _add_hyperlink(paragraph: Any, text: str, url: str) -> None:
    """A real link (python-docx has no API for it: a relationship and a w:hyperlink)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), "1D4F91")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    props.extend([style, colour, underline])
    run.append(props)
    node = OxmlElement("w:t")
    node.text = text
    node.set(qn("xml:space"), "preserve")
    run.append(node)
    link.append(run)
    paragraph._p.append(link)
