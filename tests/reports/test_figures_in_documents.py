"""Every figure in a generated document is the figures module's answer for the same date, in
HTML, PDF and DOCX, in English and Spanish."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from babel.dates import format_date
from django.utils import translation

from adelante.figures.committed import committed, committed_by
from adelante.figures.labels import row_labels
from adelante.figures.ladder import ladder
from adelante.figures.listing import commitment_lines
from adelante.figures.progress import reached_by, target_progress
from adelante.figures.reached import invested, reached_all
from adelante.figures.reconcile import reconcile
from adelante.money.formatting import as_stated, format_number, format_usd, with_qualifier
from adelante.money.qualifiers import TotalQualifier
from adelante.reports.build import generate
from adelante.reports.editions import checksum_of, progress_edition
from tests.reports import extract
from tests.reports.conftest import AS_OF, SECOND

pytestmark = pytest.mark.django_db

FORMATS = ["html", "pdf", "docx"]
LANGUAGES = ["en", "es"]


def usd(amount: Decimal, qualifier: str, lang: str) -> str:
    return extract.squash(with_qualifier(format_usd(amount, lang), qualifier, lang))


def expected_figures(as_of: datetime.date, lang: str) -> list[str]:
    """Every figure the progress report must show, formatted from the figures module."""
    with translation.override(lang):
        total = committed(as_of)
        figures = [usd(total.amount_usd, total.qualifier, lang)]
        figures.append(extract.squash(format_usd(invested(as_of).value, lang)))
        figures += [extract.squash(format_number(r.value, lang)) for r in reached_all(as_of)]
        for row in reconcile(as_of):
            figures.append(
                extract.squash(
                    as_stated(format_usd(row.stated_value, lang), row.stated_qualifier, lang)
                )
            )
            figures.append(usd(row.computed_value, row.computed_qualifier, lang))
            if row.judgement.by is not None:  # the verdict: never a negative gap
                figures.append(usd(row.judgement.by, TotalQualifier.EXACT, lang))
        found = ladder(as_of)
        for step in found.steps:
            figures.append(usd(step.committed_usd, TotalQualifier.EXACT, lang))
            figures.append(usd(step.invested_usd, TotalQualifier.EXACT, lang))
        for dimension in ("country", "kind", "focus"):
            for row in committed_by(dimension, as_of).rows:
                figures.append(usd(row.amount_usd, row.qualifier, lang))
            for row in reached_by("usd_invested", dimension, as_of).rows:
                figures.append(extract.squash(format_usd(row.value, lang)))
            for row in reached_by("people_trained", dimension, as_of).rows:
                figures.append(extract.squash(format_number(row.value, lang)))
        for line in commitment_lines(as_of):
            if line.amount_usd is not None:
                figures.append(usd(line.amount_usd, line.qualifier, lang))
        for target in target_progress(as_of):
            figures.append(extract.squash(format_number(target.expected, lang)))
            if target.reported is not None:
                figures.append(extract.squash(format_number(target.reported, lang)))
        figures.append(extract.squash(format_date(as_of, format="long", locale=lang)))
    return figures


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_figure_of_the_progress_report(record, fmt, lang):
    output = generate("progress", as_of=AS_OF, language=lang, fmt=fmt)
    text = extract.text_of(output.content, fmt)
    missing = [figure for figure in expected_figures(AS_OF, lang) if figure not in text]
    assert not missing, f"not in the {fmt} ({lang}): {missing}"
    assert output.edition.checksum in text


def test_known_figures_in_both_languages(record):
    en = extract.html_text(generate("progress", as_of=AS_OF, language="en").content)
    es = extract.html_text(generate("progress", as_of=AS_OF, language="es").content)
    # Alpha at least 312,345,678.90 + Beta 45,500,000 + Epsilon 77,000,000.
    assert "at least US$434,845,678.90" in en
    assert "US$434,845,678.90" in es
    assert "September 30, 2023" in en
    assert "30 de septiembre de 2023" in es
    # Invested: Alpha's latest verified (23,456,789.10) + Beta's (1,000,000; H3 not verified).
    assert "US$24,456,789.10" in en
    assert "US$24,456,789.10" in es  # Latin-American Spanish (CLDR es_419)


def test_html_tables_match_the_breakdowns_row_by_row(record):
    page = extract.html(generate("progress", as_of=AS_OF, language="en").content)
    with translation.override("en"):
        for dimension, caption in (
            ("country", "Committed by country"),
            ("kind", "Committed by kind of money"),
            ("focus", "Committed by focus area"),
        ):
            breakdown = committed_by(dimension, AS_OF)
            labels = row_labels(breakdown)
            rows = {r[0]: r[1] for r in page.tables[caption][1:]}
            for row in breakdown.rows:
                assert rows[labels[row.key]] == usd(row.amount_usd, row.qualifier, "en")
            if breakdown.total:
                assert rows["Total"] == usd(
                    breakdown.total.amount_usd, breakdown.total.qualifier, "en"
                )
            else:
                assert "Total" not in rows
    assert page.facts["Committed"] == usd(
        committed(AS_OF).amount_usd, committed(AS_OF).qualifier, "en"
    )
    assert page.facts["People trained"] == "4,100"
    statements = page.tables["Official statements beside the record"]
    assert [r[2] for r in statements[1:]] == [
        "more than US$1,900,000,000",
        "more than US$4,200,000,000",
    ]
    targets = page.tables["Progress against targets"]
    status = {r[0]: r[-1] for r in targets[1:]}
    assert status == {"Alpha Cafés": "behind", "Epsilon Bank": "no report"}
    assert "https://example.org/alpha-cafes" in page.links
    assert "https://example.org/fact-sheet-2023" in page.links


def test_checksum_is_of_the_figures_shown(record):
    edition = progress_edition(AS_OF)
    assert edition.checksum == checksum_of("progress", "", AS_OF, edition.figures)
    assert len(edition.checksum) == 64
    assert progress_edition(SECOND).checksum != edition.checksum
    # The same figures in another language are the same edition.
    en = generate("progress", as_of=AS_OF, language="en")
    es = generate("progress", as_of=AS_OF, language="es")
    assert en.edition.checksum == es.edition.checksum == edition.checksum


def test_pdf_and_docx_carry_dates_and_checksum_in_their_metadata(record):
    pdf = generate("progress", as_of=AS_OF, fmt="pdf")
    meta = extract.pdf_metadata(pdf.content)
    assert f"sha256={pdf.edition.checksum}" in meta["/Keywords"]
    assert "as-of=2023-09-30" in meta["/Keywords"]
    assert meta["/Title"] == "Central America Forward: progress report"
    word = generate("progress", as_of=AS_OF, fmt="docx", language="es")
    props = extract.docx_properties(word.content)
    assert props.identifier == f"sha256:{word.edition.checksum}"
    assert "as-of=2023-09-30" in props.keywords
    assert props.language == "es"


def test_round_fact_sheet_figures(record):
    output = generate("round", record["epsilon"].round.slug, fmt="pdf", language="es")
    text = extract.pdf_text(output.content)
    breakdown = committed_by("round", SECOND)
    row = next(r for r in breakdown.rows if r.key == str(record["epsilon"].round_id))
    assert usd(row.amount_usd, row.qualifier, "es") in text
    assert usd(committed(SECOND).amount_usd, committed(SECOND).qualifier, "es") in text
    assert "6 de febrero de 2023" in text
    assert "Epsilon Bank" in text
    html = extract.html(generate("round", "Round of 2022-06-07").content)
    assert html.facts["Partners new to the partnership"] == "3"
    assert html.facts["New money in this round"] == "at least US$357,845,678.90"


def test_partner_scorecard_figures(record):
    output = generate("partner", "Alpha Cafés", as_of=AS_OF, fmt="docx")
    text = extract.docx_text(output.content)
    assert "at least US$312,345,678.90" in text
    assert "restatement (counts zero)" in text
    for value in ("US$12,345,678.90", "US$23,456,789.10", "2,500", "4,100"):
        assert value in text
    assert output.edition.figures.total.amount_usd == Decimal("312345678.90")
    page = extract.html(generate("partner", "alpha-cafes", as_of=AS_OF).content)
    assert page.facts["Reports on time"] == "2 of 2"
    assert "Verified values at the end of each reporting period" in page.tables
    assert "<svg" in generate("partner", "alpha-cafes", as_of=AS_OF).content.decode()
