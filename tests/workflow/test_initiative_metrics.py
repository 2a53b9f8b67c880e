"""An initiative's reporting metrics (issue 14, item 1): an initiative that lists its metrics
offers only those for its commitments' targets and progress reports, and every door refuses
another with a message; an initiative that lists none (the primary) offers every metric."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from adelante import errors
from adelante.catalogue.models import Metric
from adelante.initiatives import scope
from adelante.initiatives.metrics import reporting_metrics
from adelante.workflow import intake, report_sheet, reporting
from adelante.workflow.forms import ProposalForm, ReportForm
from adelante.workflow.intake import TargetInput
from adelante.workflow.reporting import ValueInput
from tests import builders
from tests.second_initiative import second_initiative
from tests.workflow.conftest import good_input

pytestmark = pytest.mark.django_db

LISTED = ("jobs_created", "usd_invested")
ON = date(2024, 4, 16)


@pytest.fixture
def restricted() -> Any:
    made = second_initiative()
    made.metrics.set(Metric.objects.filter(code__in=LISTED))
    return made


@pytest.fixture
def commitment(restricted, partner) -> Any:
    with scope.within(restricted):
        return builders.commitment(partner.name, "1000000", ON, countries=("KE",), reporting=True)


@pytest.fixture
def report(member, commitment) -> Any:
    return reporting.start_report(
        user=member, commitment=commitment, period_start=ON, period_end=date(2024, 6, 30)
    )


def test_the_listed_metrics_or_every_metric(restricted):
    every = set(Metric.objects.values_list("code", flat=True))
    assert len(every) > len(LISTED)
    assert set(reporting_metrics(restricted).values_list("code", flat=True)) == set(LISTED)
    assert set(reporting_metrics(scope.primary()).values_list("code", flat=True)) == every
    with scope.within(restricted):  # none given: the initiative in scope's
        assert set(reporting_metrics().values_list("code", flat=True)) == set(LISTED)
    with scope.within(scope.ACROSS):
        assert set(reporting_metrics().values_list("code", flat=True)) == every


def test_the_proposal_form_offers_the_initiatives_metrics(restricted):
    offered = {c for c, _ in ProposalForm(initiative=restricted).fields["target_0_metric"].choices}
    assert offered == {"", *LISTED}
    primary = {c for c, _ in ProposalForm().fields["target_0_metric"].choices}
    assert {"producers_supported", "people_trained", *LISTED} <= primary


def test_the_intake_service_refuses_a_metric_outside_the_list(restricted, member, partner):
    data = good_input(
        countries={"KE": Decimal(100)},
        targets=(TargetInput("producers_supported", Decimal(2000)),),
    )
    with scope.within(restricted), pytest.raises(errors.Invalid) as raised:
        intake.create_proposal(user=member, partner=partner, data=data)
    assert raised.value.field_errors["targets"] == [
        "The metric “producers_supported” is not one this initiative reports on."
    ]
    fine = good_input(
        countries={"KE": Decimal(100)}, targets=(TargetInput("jobs_created", Decimal(40)),)
    )
    with scope.within(restricted):
        made = intake.create_proposal(user=member, partner=partner, data=fine)
    assert [t.metric.code for t in made.commitment.targets.all()] == ["jobs_created"]
    # The primary initiative (no list) still takes it.
    assert intake.create_proposal(user=member, partner=partner, data=good_input())


def test_the_report_form_offers_the_commitments_initiatives_metrics(report, partner, member):
    # Whatever the scope of the request: the commitment's initiative decides.
    form = ReportForm(report=report)
    values = {name for name in form.fields if name.startswith("value_")}
    assert values == {f"value_{code}" for code in LISTED}
    primary_commitment = builders.commitment(partner.name, "5", ON, countries=("GT",))
    other = reporting.start_report(
        user=member, commitment=primary_commitment, period_start=ON, period_end=date(2024, 6, 30)
    )
    assert "value_producers_supported" in ReportForm(report=other).fields


def test_the_reporting_service_refuses_a_metric_outside_the_list(report, member):
    with pytest.raises(errors.Invalid) as raised:
        reporting.save_report(
            user=member,
            report=report,
            narrative="",
            values=[ValueInput("people_trained", Decimal(3))],
        )
    assert raised.value.field_errors["__all__"] == [
        "The metric “people_trained” is not one this initiative reports on."
    ]
    with pytest.raises(errors.Invalid) as unknown:
        reporting.save_report(
            user=member, report=report, narrative="", values=[ValueInput("no_such", Decimal(3))]
        )
    assert unknown.value.field_errors["__all__"] == ["Unknown metric “no_such”."]
    reporting.save_report(
        user=member, report=report, narrative="", values=[ValueInput("jobs_created", Decimal(3))]
    )
    assert [v.metric.code for v in report.values.all()] == ["jobs_created"]


def test_the_web_form_refuses_it_without_a_500(client, member, partner, report):
    client.force_login(member)
    url = reverse("workflow:report_edit", kwargs={"partner": partner.slug, "pk": report.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="value_jobs_created"' in page.content
    assert b'name="value_people_trained"' not in page.content
    version = page.context["form"]["version"].value()
    response = client.post(url, {"action": "save", "version": version, "value_people_trained": "5"})
    assert response.status_code in (200, 302)
    assert not report.values.exists()  # not a field of the form: nothing stored


def test_the_sheet_offers_and_refuses_by_the_initiatives_list(member, partner, report):
    assert [m.code for m in reporting.totals_to_report(report.commitment)] == ["usd_invested"]
    row = report_sheet.SheetRow(
        2, report.commitment.reference, report.period_end, "people_trained", None, Decimal(4)
    )
    with pytest.raises(errors.Invalid) as raised:
        report_sheet.apply(user=member, partner=partner, rows=[row], submit=False, today=ON)
    assert "is not one this initiative reports on" in " ".join(raised.value.field_errors["file"])
    assert not report.values.exists()
