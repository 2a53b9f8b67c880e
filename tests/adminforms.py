"""Helpers for admin tests: a page's form as the browser would post it back, and sample rows."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.forms import BaseForm, ModelMultipleChoiceField, MultipleChoiceField
from django.http import HttpResponse

from adelante.catalogue.models import FocusArea, Metric, StatementName
from adelante.commitments.choices import Status
from adelante.commitments.geography import set_countries
from adelante.commitments.models import Commitment, OfficialStatement, Round, Source, Target
from adelante.currency.models import ExchangeRate
from adelante.partners.models import Partner, PartnerAlias, PartnerMerge
from adelante.partners.naming import normalise
from adelante.progress.models import ProgressReport, ProgressValue
from adelante.workflow.models import ReportingSchedule

DAY = datetime.date(2022, 6, 7)


def _field_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return [_field_value(v) for v in value]
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, (datetime.date, Decimal, int)):
        return str(value)
    return value


def _form_data(form: BaseForm) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in form.fields:
        bound = form[name]
        value = bound.value()
        if value is None and isinstance(
            form.fields[name], MultipleChoiceField | ModelMultipleChoiceField
        ):
            continue
        if isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
            continue
        data[bound.html_name] = _field_value(value)
    return data


def posted(response: HttpResponse, **changes: Any) -> dict[str, Any]:
    """The data that an admin add or change page posts back unchanged, plus `changes`."""
    context: Any = response.context
    data = _form_data(context["adminform"].form)
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management[name].html_name] = _field_value(management[name].value())
        for form in formset.forms:
            data.update(_form_data(form))
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def inline_rows(prefix: str, rows: list[dict[str, Any]], initial: int = 0) -> dict[str, Any]:
    """Formset data for new inline rows (`prefix` as the admin names it, e.g. "countries")."""
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


def partner(name: str = "Nespresso", *aliases: str) -> Partner:
    made = Partner.objects.create(
        name=name,
        slug=normalise(name).replace(" ", "-"),
        normalised_name=normalise(name),
        type="company",
    )
    for alias in aliases:
        PartnerAlias.objects.create(partner=made, name=alias, normalised_name=normalise(alias))
    return made


def sample_record() -> dict[str, Any]:
    """One row of every model the admin manages."""
    owner = partner("Nespresso", "Nestlé")
    the_round = Round.objects.create(
        label="Summit of the Americas", slug="2022-06-07-summit", announced_on=DAY
    )
    rate = ExchangeRate.objects.create(
        currency="GTQ", on=DAY, units_per_usd=Decimal("7.75"), source="Banguat"
    )
    commitment = Commitment.objects.create(
        reference="2022-06-07-nespresso",
        partner=owner,
        round=the_round,
        announced_on=DAY,
        title="Coffee sourcing",
        summary="Buys coffee from smallholders in Honduras and Guatemala.",
        amount=Decimal("150000000"),
        amount_usd=Decimal("150000000"),
        status=Status.ANNOUNCED,
    )
    set_countries(commitment, {"GT": Decimal(50), "HN": Decimal(50)})
    commitment.focus_areas.set(FocusArea.objects.all()[:1])
    metric = Metric.objects.get(code="producers_supported")
    Target.objects.create(commitment=commitment, metric=metric, value=Decimal(1000))
    Source.objects.create(
        commitment=commitment, url="https://example.org/fact-sheet", title="Fact sheet"
    )
    statement = OfficialStatement.objects.create(
        stated_on=DAY,
        metric="total committed",
        value=Decimal("3200000000"),
        unit="USD",
        qualifier="at_least",
        source_url="https://example.org/statement",
        figure="committed_usd",
    )
    StatementName.objects.create(
        code="people_supported",
        name_en="People supported",
        name_es="Personas apoyadas",
        translation_state="staff",
    )
    report = ProgressReport.objects.create(
        commitment=commitment,
        period_start=datetime.date(2022, 1, 1),
        period_end=datetime.date(2022, 12, 31),
    )
    ProgressValue.objects.create(report=report, metric=metric, value=Decimal(250))
    ReportingSchedule.objects.create(commitment=commitment, interval_months=3)
    # A merge record as `partners.merging` writes it (here of a partner that never existed).
    PartnerMerge.objects.create(
        keep=owner,
        absorbed_name="Nespreso",
        absorbed={"id": "999999", "name": "Nespreso", "slug": "nespreso", "type": "company"},
        reason="A typo",
    )
    return {
        "partner": owner,
        "round": the_round,
        "rate": rate,
        "commitment": commitment,
        "statement": statement,
        "report": report,
        "metric": metric,
        "focus_area": FocusArea.objects.first(),
    }
