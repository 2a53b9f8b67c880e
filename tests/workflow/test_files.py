"""Uploads are judged by their content, not their name; they go through the storage API."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from adelante.workflow import files, reporting
from adelante.workflow.models import Action, Evidence, ReviewEvent
from tests import builders
from tests.workflow.conftest import PDF_BYTES

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 50


def zipped(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (PDF_BYTES, "pdf"),
        (PNG, "png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "jpeg"),
        (zipped("[Content_Types].xml", "word/document.xml"), "docx"),
        (zipped("[Content_Types].xml", "xl/workbook.xml"), "xlsx"),
        ("país,valor\nGT,3\n".encode(), "text"),
    ],
)
def test_accepted_kinds(content, kind):
    assert files.check(upload("whatever.bin", content)).kind.code == kind


@pytest.mark.parametrize(
    "content",
    [
        EXE,
        zipped("evil.exe"),
        b"\x7fELF\x02\x01\x01" + b"\x00" * 20,
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20,  # old binary Office file
        "texto".encode("utf-16"),
    ],
)
def test_disguised_files_are_refused(content):
    with pytest.raises(files.FileRefused, match="whatever its name says"):
        files.check(upload("report.pdf", content))


def test_size_limits(settings):
    settings.ADELANTE_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(files.FileRefused, match="too large"):
        files.check(upload("big.pdf", PDF_BYTES + b" " * 1000))
    with pytest.raises(files.FileRefused, match="empty"):
        files.check(upload("empty.pdf", b""))


def test_the_name_is_kept_for_display_only():
    checked = files.check(upload("..\\..\\etc/<script>.pdf", PDF_BYTES))
    assert checked.original_name == "<script>.pdf"
    stored = checked.storage_name("evidence/1")
    assert stored.startswith("evidence/1/") and stored.endswith(".pdf")
    assert "<" not in stored


@pytest.mark.django_db
def test_evidence_is_stored_through_the_storage_api(
    member, partner, django_capture_on_commit_callbacks
):
    c = builders.commitment(partner.name, "10", date(2023, 2, 6))
    report = reporting.start_report(
        user=member, commitment=c, period_start=date(2023, 2, 6), period_end=date(2023, 6, 30)
    )
    reporting.save_report(
        user=member,
        report=report,
        narrative="",
        values=[reporting.ValueInput("usd_invested", Decimal(1))],
    )
    evidence = reporting.add_evidence(
        user=member, report=report, upload=upload("receipt.pdf", PDF_BYTES), description="Receipt"
    )
    assert evidence.kind == "pdf" and evidence.size == len(PDF_BYTES)
    assert default_storage.exists(evidence.file.name)
    with default_storage.open(evidence.file.name) as stored:
        assert stored.read() == PDF_BYTES
    with pytest.raises(files.FileRefused):
        reporting.add_evidence(user=member, report=report, upload=upload("virus.pdf", EXE))
    assert Evidence.objects.count() == 1
    assert ReviewEvent.objects.filter(action=Action.EVIDENCE_UPLOADED).count() == 1
    name = evidence.file.name
    with django_capture_on_commit_callbacks(execute=True):
        reporting.remove_evidence(user=member, evidence=evidence)
    assert not Evidence.objects.exists()
    assert not default_storage.exists(name)


@pytest.mark.django_db
def test_a_verified_report_records_whether_it_carries_evidence(member, partner, reviewer):
    """The grade of evidence of every figure (issue 13): fixed when the report is verified."""
    c = builders.commitment(partner.name, "10", date(2023, 2, 6))
    graded = {}
    for end, with_file in ((date(2023, 6, 30), True), (date(2023, 12, 31), False)):
        report = reporting.start_report(
            user=member, commitment=c, period_start=end.replace(day=1), period_end=end
        )
        reporting.save_report(
            user=member,
            report=report,
            narrative="",
            values=[reporting.ValueInput("usd_invested", Decimal(1))],
        )
        if with_file:
            reporting.add_evidence(
                user=member, report=report, upload=upload("receipt.pdf", PDF_BYTES)
            )
        assert not report.evidence_attached  # only verification says so
        reporting.submit_report(user=member, report=report)
        verified = reporting.verify_report(reviewer=reviewer, report=report)
        graded[end] = verified.evidence_attached
        assert verified.history.latest().evidence_attached == with_file
    assert graded == {date(2023, 6, 30): True, date(2023, 12, 31): False}
