"""Issue 15: nothing typed is lost, numbers as people write them, a report in few steps, and
the reviewer's page (Django's test client; the browser stories are in tests/browser)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from adelante.catalogue.models import Metric
from adelante.commitments.models import Round, Target
from adelante.currency.models import ExchangeRate
from adelante.progress.models import ProgressReport, ProgressValue, ReportStatus
from adelante.workflow import intake, reporting
from adelante.workflow.models import DueDiligenceAnswer, Evidence, Stage
from tests import builders
from tests.workflow.conftest import PDF_BYTES, complete_checklist, screen_and_clear

pytestmark = pytest.mark.django_db


def _errs(resp: Any) -> Any:
    import re

    c = resp.content.decode()
    return re.findall(r"<li>(?:<a[^>]*>)?([^<]{0,200})", c.split("error-summary")[-1])[:8]


FIRST_END = date(2023, 6, 30)


@pytest.fixture
def commitment(partner):
    made = builders.commitment(
        partner.name, "1000000", date(2023, 2, 6), countries=("GT",), reporting=True
    )
    Target.objects.create(
        commitment=made, metric=Metric.objects.get(code="people_trained"), value=Decimal(500)
    )
    return made


@pytest.fixture
def report(member, commitment):
    return reporting.start_report(
        user=member, commitment=commitment, period_start=date(2023, 2, 6), period_end=FIRST_END
    )


def edit_url(partner, report, **query: str) -> str:
    url = reverse("workflow:report_edit", kwargs={"partner": partner.slug, "pk": report.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def version(client, partner, report) -> str:
    return client.get(edit_url(partner, report)).context["form"]["version"].value()


def post(client, partner, report, **data: Any):
    values = {"action": "save", "version": version(client, partner, report)}
    values.update(data)
    return client.post(edit_url(partner, report), values)


# -- The period comes from the row ----------------------------------------------------------


def test_the_workspace_row_starts_the_report_for_its_period(client, member, partner, commitment):
    client.force_login(member)
    workspace = client.get(reverse("workflow:workspace", kwargs={"partner": partner.slug}))
    content = workspace.content.decode()
    assert f'name="period" value="{FIRST_END.isoformat()}"' in content
    started = client.post(
        reverse(
            "workflow:report_new",
            kwargs={"partner": partner.slug, "reference": commitment.reference},
        ),
        {"period": FIRST_END.isoformat()},
    )
    report = ProgressReport.objects.get(commitment=commitment)
    assert started.status_code == 302
    assert started["Location"] == edit_url(partner, report)
    assert report.period_end == FIRST_END


# -- Numbers as people write them -----------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "typed", "stored"),
    [
        ("es", "2.500.000", Decimal(2500000)),
        ("en", "2,500,000", Decimal(2500000)),
        ("es", "US$ 2,5 millones", Decimal(2500000)),
        ("en", "2.5 million", Decimal(2500000)),
    ],
)
def test_amounts_are_read_as_written(client, member, partner, report, language, typed, stored):
    client.force_login(member)
    with translation.override(language):
        response = post(client, partner, report, value_usd_invested=typed)
    assert response.status_code == 302
    assert ProgressValue.objects.get().value == stored


def test_an_ambiguous_number_is_refused_and_kept(client, member, partner, report):
    client.force_login(member)
    response = post(client, partner, report, value_usd_invested="2.500", narrative="mine")
    assert response.status_code == 400
    assert "could be 2,500 or 2.5" in response.content.decode()
    assert b'value="2.500"' in response.content
    assert not ProgressValue.objects.exists()


def test_how_a_number_was_read_is_said(client, member, partner, report):
    client.force_login(member)
    response = post(
        client, partner, report, value_usd_invested="US$ 2,5 millones", value_people_trained="x"
    )
    assert response.status_code == 400
    assert "read as US$2,500,000" in response.content.decode()


def test_counts_show_as_whole_numbers(client, member, partner, report):
    client.force_login(member)
    post(client, partner, report, value_people_trained="45", value_usd_invested="12500")
    page = client.get(edit_url(partner, report)).content.decode()
    assert 'value="45"' in page and "45.00" not in page
    assert 'value="12,500"' in page


def test_the_previous_breakdown_can_be_copied(client, member, partner, commitment):
    earlier = builders.report(commitment, FIRST_END, {"people_trained": "100"})
    value = earlier.values.get()
    value.breakdowns.create(dimension="country", key="GT", amount=Decimal(100))
    later = reporting.start_report(
        user=member,
        commitment=commitment,
        period_start=date(2023, 7, 1),
        period_end=date(2023, 12, 31),
    )
    client.force_login(member)
    page = client.get(edit_url(partner, later)).content.decode()
    assert 'data-copy-previous="people_trained"' in page
    assert 'data-previous="100"' in page
    assert "Last verified:" in page and "Target:" in page


# -- Nothing typed is lost --------------------------------------------------------------------


def test_a_chosen_file_is_kept_after_an_error(client, member, partner, report):
    client.force_login(member)
    response = post(
        client,
        partner,
        report,
        value_usd_invested="not a number",
        evidence=SimpleUploadedFile("invoices.pdf", PDF_BYTES),
    )
    assert response.status_code == 400
    assert Evidence.objects.get().original_name == "invoices.pdf"
    assert "Kept: invoices.pdf" in response.content.decode()


def test_autosave_saves_the_draft_without_a_page(client, member, partner, report):
    client.force_login(member)
    url = reverse("workflow:report_autosave", kwargs={"partner": partner.slug, "pk": report.pk})
    saved = client.post(
        url,
        {
            "version": version(client, partner, report),
            "value_people_trained": "120",
            "part_people_trained_sex_female": "200",  # more than the total: a draft keeps it
            "narrative": "typed, never lost",
        },
    )
    assert saved.status_code == 200
    text = saved.content.decode()
    assert "Draft saved at" in text and 'hx-swap-oob="true"' in text
    # The reload shows what was saved.
    page = client.get(edit_url(partner, report)).content.decode()
    assert "typed, never lost" in page
    assert 'value="120"' in page and 'value="200"' in page
    refused = client.post(url, {"version": "", "value_people_trained": "1,2,3"})
    assert refused.status_code == 200
    assert "Not saved yet" in refused.content.decode()


def test_autosave_of_someone_elses_report_is_not_there(client, outsider, partner, report):
    client.force_login(outsider)
    url = reverse("workflow:report_autosave", kwargs={"partner": partner.slug, "pk": report.pk})
    assert client.post(url, {"value_usd_invested": "1"}).status_code == 404
    assert not ProgressValue.objects.exists()


def test_a_proposal_draft_is_autosaved(client, member, partner, proposal):
    client.force_login(member)
    edit = reverse("workflow:proposal_edit", kwargs={"partner": partner.slug, "pk": proposal.pk})
    version = client.get(edit).context["form"]["version"].value()
    url = reverse("workflow:proposal_autosave", kwargs={"partner": partner.slug, "pk": proposal.pk})
    saved = client.post(url, _proposal_data(title="Typed, never lost", version=version))
    assert "Draft saved at" in saved.content.decode()
    assert "Typed, never lost" in client.get(edit).content.decode()
    refused = client.post(url, _proposal_data(amount="2,5 billones", version=""))
    assert "Not saved yet" in refused.content.decode()


def _proposal_data(**changes: Any) -> dict[str, Any]:
    data = {
        "title": "Credit",
        "summary": "Working capital.",
        "kind": "lending",
        "qualifier": "exact",
        "amount": "US$ 2,5 millones",
        "currency": "USD",
        "countries": ["GT"],
        "share_GT": "100",
        "relation": "new",
        "action": "save",
    }
    data.update(changes)
    return data


def test_a_share_for_a_country_not_ticked_is_refused_not_dropped(client, member, partner):
    client.force_login(member)
    url = reverse("workflow:proposal_new", kwargs={"partner": partner.slug})
    response = client.post(url, _proposal_data(share_HN="40"))
    assert response.status_code == 400
    assert "You gave a share for Honduras without ticking it" in response.content.decode()
    assert b'value="40"' in response.content
    assert not intake.Proposal.objects.exists()
    saved = client.post(url, _proposal_data())
    assert saved.status_code == 302
    assert intake.Proposal.objects.get().commitment.amount == Decimal(2500000)


def test_dollars_written_for_another_currency_are_refused(client, member, partner):
    ExchangeRate.objects.create(
        currency="EUR", on=date(2023, 1, 2), units_per_usd=Decimal("0.93"), source="test"
    )
    client.force_login(member)
    url = reverse("workflow:proposal_new", kwargs={"partner": partner.slug})
    response = client.post(url, _proposal_data(currency="EUR"))
    assert response.status_code == 400
    assert "written in US dollars but the currency chosen is EUR" in response.content.decode(), (
        _errs(response)
    )


# -- The review step --------------------------------------------------------------------------


def test_review_step_then_submit(client, member, partner, report):
    client.force_login(member)
    reviewed = post(
        client,
        partner,
        report,
        action="review",
        value_people_trained="100",
        part_people_trained_country_GT="100",
        part_people_trained_sex_female="60",
        part_people_trained_sex_male="40",
    )
    assert reviewed.status_code == 302 and reviewed["Location"].endswith("?step=review")
    page = client.get(reviewed["Location"]).content.decode()
    assert "Check and submit" in page
    assert "Guatemala: 100" in page and "Women: 60" in page and "country GT" not in page
    assert 'value="confirm"' in page
    done = client.post(edit_url(partner, report), {"action": "confirm"})
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_review_step_says_what_stops_the_submission(client, member, partner, report):
    client.force_login(member)
    post(client, partner, report, value_people_trained="10", part_people_trained_sex_male="11")
    page = client.get(edit_url(partner, report, step="review")).content.decode()
    assert "The parts by sex add up to 11, more than the total 10 (by 1)." in page
    assert 'value="confirm"' not in page


# -- The reviewer's side ----------------------------------------------------------------------


def test_the_reviewer_sees_labels_targets_and_what_changed(
    client, member, reviewer, partner, report
):
    reporting.save_report(
        user=member,
        report=report,
        narrative="",
        values=[
            reporting.ValueInput("people_trained", Decimal(100), {("country", "GT"): Decimal(100)})
        ],
    )
    reporting.submit_report(user=member, report=report)
    reporting.return_report(reviewer=reviewer, report=report, reason="Check the count.")
    reporting.save_report(
        user=member,
        report=report,
        narrative="",
        values=[
            reporting.ValueInput("people_trained", Decimal(90), {("country", "GT"): Decimal(90)})
        ],
    )
    reporting.submit_report(user=member, report=report)
    client.force_login(reviewer)
    page = client.get(reverse("workflow:report_review", kwargs={"pk": report.pk}))
    text = page.content.decode()
    assert "Guatemala: 90" in text and "country GT" not in text
    assert "500" in text  # the target beside the value
    assert "<del>100</del> → <ins>90</ins>" in text


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


def test_evidence_is_previewed_inline(client, member, reviewer, partner, report):
    """An image inline in a CSP sandbox; a PDF inline for the browser's viewer (which refuses
    a sandbox), loading nothing; either framed by this site only; anything else attached."""
    pdf = reporting.add_evidence(
        user=member, report=report, upload=SimpleUploadedFile("a.pdf", PDF_BYTES)
    )
    png = reporting.add_evidence(
        user=member, report=report, upload=SimpleUploadedFile("b.png", PNG)
    )
    client.force_login(reviewer)

    def url(evidence):
        return reverse(
            "workflow:evidence_file", kwargs={"partner": partner.slug, "pk": evidence.pk}
        )

    image = client.get(url(png) + "?inline=1")
    assert image["Content-Disposition"].startswith("inline")
    assert "sandbox" in image["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in image["Content-Security-Policy"]
    assert image["X-Frame-Options"] == "SAMEORIGIN"
    inline = client.get(url(pdf) + "?inline=1")
    assert inline["Content-Disposition"].startswith("inline")
    assert inline["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'self'"
    assert inline["X-Content-Type-Options"] == "nosniff"
    attached = client.get(url(pdf))
    assert attached["Content-Disposition"].startswith("attachment")
    assert attached["X-Frame-Options"] == "DENY"
    assert "sandbox" in attached["Content-Security-Policy"]
    page = client.get(reverse("workflow:report_review", kwargs={"pk": report.pk}))
    text = page.content.decode()
    assert f'src="{url(pdf)}?inline=1"' in text and f'src="{url(png)}?inline=1"' in text
    # Closed at the end: closing a response ends its request, and with it (on PostgreSQL)
    # the test's database connection, which the later requests still need.
    for response in (image, inline, attached):
        response.close()


def test_the_checklist_is_saved_all_or_nothing(client, reviewer, under_review):
    questions = intake.active_questions()
    client.force_login(reviewer)
    data = {f"q{q.id}_answer": "yes" for q in questions}
    data.update({f"q{q.id}_note": "Seen." for q in questions})
    data[f"q{questions[-1].id}_answer"] = "no"
    data[f"q{questions[-1].id}_note"] = ""
    url = reverse("workflow:proposal_checklist", kwargs={"pk": under_review.pk})
    response = client.post(url, data)
    assert response.status_code == 400
    assert not DueDiligenceAnswer.objects.exists()
    assert questions[-1].text in response.content.decode()
    data[f"q{questions[-1].id}_note"] = "Not applicable to a lender."
    saved = client.post(url, data)
    assert saved.status_code == 302 and saved["Location"].endswith("#checklist")
    assert DueDiligenceAnswer.objects.count() == len(questions)


def test_a_past_round_needs_confirming_and_the_current_one_can_be_opened(
    client, reviewer, under_review, sdn_list, the_round
):
    complete_checklist(reviewer, under_review)
    screen_and_clear(reviewer, under_review)
    client.force_login(reviewer)
    url = reverse("workflow:proposal_review", kwargs={"pk": under_review.pk})
    past = client.post(url, {"action": "accept", "accept-round": the_round.pk})
    assert past.status_code == 400
    assert "Confirm, or open the current round" in past.content.decode()
    opened = client.post(
        url,
        {
            "action": "accept",
            "accept-new_round_label": "This month's announcements",
        },
    )
    assert opened.status_code == 302, _errs(opened)
    under_review.refresh_from_db()
    assert under_review.stage == Stage.ACCEPTED
    made = Round.objects.get(label="This month's announcements")
    assert made.announced_on == timezone.localdate()
    assert under_review.commitment.round == made


def test_several_missing_periods_caught_up_in_one_screen(client, member, partner, commitment):
    client.force_login(member)
    workspace = client.get(reverse("workflow:workspace", kwargs={"partner": partner.slug}))
    url = reverse(
        "workflow:report_catch_up",
        kwargs={"partner": partner.slug, "reference": commitment.reference},
    )
    assert url in workspace.content.decode()
    form = client.get(url).context["form"]
    first, second = form.periods[0].end, form.periods[1].end
    refused = client.post(
        url,
        {
            f"p{first.isoformat()}_people_trained": "100",
            f"p{second.isoformat()}_people_trained": "150.5",
            "submit": "on",
        },
    )
    assert refused.status_code == 400
    assert "Give a whole number." in refused.content.decode()
    assert b'value="150.5"' in refused.content
    assert not ProgressReport.objects.exists()
    saved = client.post(
        url,
        {
            f"p{first.isoformat()}_people_trained": "100",
            f"p{second.isoformat()}_people_trained": "1,150",
            "submit": "on",
        },
    )
    assert saved.status_code == 302
    reports = ProgressReport.objects.order_by("period_end")
    assert [(r.period_end, r.status) for r in reports] == [
        (first, ReportStatus.SUBMITTED),
        (second, ReportStatus.SUBMITTED),
    ]
    assert reports[1].values.get().value == Decimal(1150)


# -- The spreadsheet of values ----------------------------------------------------------------


def _sheet(*rows: list[Any]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(["commitment", "period_end", "metric", "part", "value", "decrease_reason"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("values.xlsx", out.getvalue())


def test_a_spreadsheet_saves_drafts_with_breakdowns(client, member, partner, commitment):
    client.force_login(member)
    url = reverse("workflow:report_sheet", kwargs={"partner": partner.slug})
    template = client.get(url + "?template=1")
    rows = list(load_workbook(io.BytesIO(template.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("commitment", "period_end", "metric")
    assert any(r[0] == commitment.reference and r[2] == "people_trained" for r in rows[1:])
    ref = commitment.reference
    sent = client.post(
        url,
        {
            "file": _sheet(
                [ref, FIRST_END, "people_trained", "", "1 200", ""],
                [ref, FIRST_END, "people_trained", "Mujeres", 700, ""],
                [ref, "2023-06-30", "people_trained", "Guatemala", "1,200", ""],
            )
        },
    )
    assert sent.status_code == 302, _errs(sent)
    value = ProgressValue.objects.get()
    assert value.report.status == ReportStatus.DRAFT
    assert value.value == Decimal(1200)
    assert {(b.dimension, b.key): b.amount for b in value.breakdowns.all()} == {
        ("sex", "female"): Decimal(700),
        ("country", "GT"): Decimal(1200),
    }


def test_a_spreadsheet_in_error_is_refused_whole(client, member, partner, commitment):
    client.force_login(member)
    url = reverse("workflow:report_sheet", kwargs={"partner": partner.slug})
    ref = commitment.reference
    bad = client.post(
        url,
        {
            "file": _sheet(
                [ref, FIRST_END, "usd_invested", "", "1000", ""],
                [ref, FIRST_END, "people_trained", "Atlantis", "5", ""],
                [ref, "someday", "people_trained", "", "5", ""],
            )
        },
    )
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "Row 3: “Atlantis” is not a country or sex." in text
    assert "Row 4: “someday” is not a date" in text
    assert not ProgressReport.objects.exists()
    refused = client.post(
        url,
        {"file": _sheet([ref, FIRST_END, "people_trained", "", "2.5", ""]), "submit": "on"},
    )
    assert refused.status_code == 400
    assert "Give a whole number." in refused.content.decode()
    assert not ProgressReport.objects.exists()
    not_a_sheet = client.post(url, {"file": SimpleUploadedFile("x.xlsx", PDF_BYTES)})
    assert not_a_sheet.status_code == 400
    assert "Send an Excel workbook" in not_a_sheet.content.decode()
