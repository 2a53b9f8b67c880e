"""One edit service, two doors: the admin's change form and an accepted public correction.

The same bad edit is refused through both with the same errors (the admin shows them on the
field, with what was typed; the correction on its value), and nothing is written; the same good
edit leaves the same history row through both: the reason, the author, the fields changed.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import translation

from adelante.commitments.models import Commitment, CountryShare, OfficialStatement
from adelante.corrections import deciding
from adelante.corrections.models import Subject
from adelante.errors import Invalid
from adelante.partners.models import Partner
from tests import builders
from tests.adminforms import posted
from tests.corrections.conftest import DAY, World, confirmed

pytestmark = pytest.mark.django_db


def change_url(record: models.Model) -> str:
    meta = record._meta
    with translation.override("en"):
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])


def subject_of(record: models.Model) -> tuple[str, str]:
    if isinstance(record, Commitment):
        return Subject.COMMITMENT, record.reference
    if isinstance(record, Partner):
        return Subject.PARTNER, record.slug
    return Subject.STATEMENT, str(record.pk)


def through_the_admin(client: Client, record: models.Model, field: str, text: str) -> Any:
    address = change_url(record)
    response = client.post(address, posted(client.get(address), **{field: text}))
    assert response.status_code == 200  # the form again, nothing saved
    return response.context["adminform"].form


def through_a_correction(record: models.Model, field: str, text: str, by: User) -> list[str]:
    correction = confirmed(*subject_of(record))
    with pytest.raises(Invalid) as refused:
        deciding.do_accept(correction, field=field, value=text, reason="Checked.", by=by)
    return refused.value.field_errors["value"]


def history_count(record: models.Model) -> int:
    return int(type(record).history.filter(id=record.pk).count())  # type: ignore[attr-defined]


@pytest.fixture
def record(world: World, request: pytest.FixtureRequest) -> models.Model:
    Commitment.objects.filter(pk=world.commitment.pk).update(starts_on="2023-03-01")
    builders.partner("Beta Corp")
    kind = request.param
    if kind == "commitment":
        return Commitment.objects.get(pk=world.commitment.pk)
    if kind == "partner":
        return world.commitment.partner
    return world.statement


@pytest.mark.parametrize(
    ("record", "field", "text"),
    [
        ("commitment", "amount", "0"),
        ("commitment", "amount", "-5"),
        ("commitment", "amount", "lots"),
        ("commitment", "amount", "1" * 30),
        ("commitment", "ends_on", "2020-01-01"),  # before it starts
        ("commitment", "starts_on", "not a date"),
        ("commitment", "title", "t" * 301),
        ("partner", "name", "BETA CORP."),  # another partner's name
        ("partner", "name", "..."),
        ("partner", "website", "not an address"),
        ("statement", "value", "lots"),
        ("statement", "unit", "u" * 31),
    ],
    indirect=["record"],
)
def test_a_bad_edit_is_refused_alike_through_both_doors(
    admin_client: Client, admin_user: User, record: models.Model, field: str, text: str
) -> None:
    before = history_count(record)
    form = through_the_admin(admin_client, record, field, text)
    assert form[field].value() == text  # what was typed is shown again, with the errors
    admin_errors = form.errors[field]
    assert admin_errors
    assert through_a_correction(record, field, text, admin_user) == admin_errors
    assert history_count(record) == before


def _last_change(record: models.Model) -> tuple[str | None, Any, set[str]]:
    latest = type(record).history.filter(id=record.pk).latest("history_id")  # type: ignore[attr-defined]
    changed = {c.field for c in latest.diff_against(latest.prev_record).changes}
    return latest.history_change_reason, latest.history_user, changed


@pytest.mark.parametrize(
    ("kind", "field", "text"),
    [
        ("commitment", "amount", "2000000"),
        ("commitment", "title", "Coffee, restated"),
        ("partner", "website", "https://www.example.org/about"),
        ("partner", "type", "foundation"),
        ("statement", "value", "4300000000"),
    ],
)
def test_a_good_edit_leaves_the_same_history_row_through_both_doors(
    admin_client: Client, admin_user: User, world: World, kind: str, field: str, text: str
) -> None:
    twin = builders.commitment("Zeta Foods", "1000000", DAY)
    records: dict[str, tuple[models.Model, models.Model]] = {
        "commitment": (world.commitment, twin),
        "partner": (world.commitment.partner, twin.partner),
        "statement": (
            world.statement,
            OfficialStatement.objects.create(
                stated_on=DAY,
                metric="jobs",
                value=world.statement.value,
                unit="USD",
                qualifier="at_least",
                figure="committed_usd",
                source_url="https://www.whitehouse.gov/example",
            ),
        ),
    }
    by_correction, by_admin = records[kind]
    correction = confirmed(*subject_of(by_correction))
    reason = deciding.history_reason(correction, "The partner's own report.")
    admin_before, correction_before = history_count(by_admin), history_count(by_correction)

    address = change_url(by_admin)
    page = admin_client.get(address)
    response = admin_client.post(address, posted(page, **{field: text, "change_reason": reason}))
    assert response.status_code == 302
    deciding.do_accept(
        correction, field=field, value=text, reason="The partner's own report.", by=admin_user
    )

    assert (
        history_count(by_admin) - admin_before == history_count(by_correction) - correction_before
    )
    through_admin, through_correction = _last_change(by_admin), _last_change(by_correction)
    assert through_admin == through_correction == (reason, admin_user, through_admin[2])
    assert field in through_admin[2]
    by_admin.refresh_from_db()
    by_correction.refresh_from_db()
    assert getattr(by_admin, field) == getattr(by_correction, field)
    if kind == "commitment":
        # The derived values follow alike: the US$ amount, and the country part with its reason.
        assert by_admin.amount_usd == by_correction.amount_usd  # type: ignore[attr-defined]
        shares = [CountryShare.objects.get(commitment=c) for c in (by_admin, by_correction)]
        assert shares[0].amount_usd == shares[1].amount_usd
        assert [s.history.latest().history_change_reason for s in shares] == (  # type: ignore[attr-defined]
            [reason, reason] if field == "amount" else [None, None]
        )
