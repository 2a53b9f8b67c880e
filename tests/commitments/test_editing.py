"""The edit services of the record (`commitments.editing`, `partners.editing`): who may edit,
the errors on the fields they are about, nothing written on a refusal, the derived values and
the history row of a saved edit."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser, User

from adelante.commitments import editing
from adelante.commitments.models import Commitment, CountryShare
from adelante.currency.models import ExchangeRate
from adelante.errors import Invalid, NotAllowed
from adelante.partners import editing as partner_editing
from adelante.partners.models import PartnerAlias
from adelante.partners.naming import normalise
from tests import builders
from tests.accounts.conftest import make_user

pytestmark = pytest.mark.django_db

DAY = datetime.date(2022, 6, 7)


@pytest.fixture
def commitment() -> Commitment:
    return builders.commitment("Acme Foods", "1000000", DAY)


@pytest.fixture
def staff() -> User:
    return make_user("sadmin", "secretariat-admin")


def test_only_the_secretariat_edits_the_record(commitment: Commitment) -> None:
    member = make_user("member", "partner-member", partner=commitment.partner)
    government = make_user("gov", "government-viewer")
    for someone in (AnonymousUser(), member, government):
        with pytest.raises(NotAllowed):
            editing.check_commitment_edit(commitment=commitment, changes={"title": "x"}, by=someone)
    # A reviewer accepts public corrections: the service lets the secretariat edit (the admin
    # itself is read-only for reviewers, by its permissions).
    reviewer = make_user("reviewer", "secretariat-reviewer")
    checked = editing.check_commitment_edit(
        commitment=commitment, changes={"title": "x"}, by=reviewer
    )
    assert checked.title == "x"
    commitment.refresh_from_db()
    assert commitment.title != "x"


@pytest.mark.parametrize("field", ["status", "withdrawn_on", "amount_usd", "id", "nonsense"])
def test_the_workflows_and_derived_fields_are_not_edited_here(
    commitment: Commitment, staff: User, field: str
) -> None:
    with pytest.raises(Invalid) as refused:
        editing.do_edit_commitment(
            commitment=commitment, changes={field: None}, reason="r", by=staff
        )
    assert list(refused.value.field_errors) == [field]


def test_errors_name_their_fields_and_nothing_is_written(
    commitment: Commitment, staff: User
) -> None:
    before = commitment.history.count()  # type: ignore[attr-defined]
    with pytest.raises(Invalid) as refused:
        editing.do_edit_commitment(
            commitment=commitment,
            changes={
                "amount": Decimal("0"),
                "title": "t" * 301,
                "starts_on": DAY,
                "ends_on": DAY - datetime.timedelta(days=1),
                "relates_to": commitment,
            },
            reason="r",
            by=staff,
        )
    assert set(refused.value.field_errors) == {"amount", "title", "ends_on", "relates_to"}
    assert refused.value.field_errors["amount"] == ["The amount must be more than zero."]
    assert commitment.history.count() == before  # type: ignore[attr-defined]
    commitment.refresh_from_db()
    assert commitment.amount == Decimal("1000000") and commitment.starts_on is None


def test_an_amount_in_another_currency_is_converted_and_allocated(
    commitment: Commitment, staff: User
) -> None:
    with pytest.raises(Invalid) as refused:
        editing.check_commitment_edit(commitment=commitment, changes={"currency": "GTQ"}, by=staff)
    assert list(refused.value.field_errors) == ["currency"]
    rate = ExchangeRate.objects.create(
        currency="GTQ", on=DAY, units_per_usd=Decimal("8"), source="test"
    )
    edit = editing.do_edit_commitment(
        commitment=commitment,
        changes={"currency": "GTQ", "amount": Decimal("16000000")},
        reason="The partner's letter.",
        by=staff,
    )
    assert list(edit.changed) == ["amount", "currency", "amount_usd", "exchange_rate"]
    commitment.refresh_from_db()
    assert (commitment.amount_usd, commitment.exchange_rate) == (Decimal("2000000"), rate)
    latest = commitment.history.latest()  # type: ignore[attr-defined]
    assert (latest.history_change_reason, latest.history_user) == ("The partner's letter.", staff)
    edit = editing.do_edit_commitment(
        commitment=commitment, changes={"amount": Decimal("24000000")}, reason="r", by=staff
    )
    share = CountryShare.objects.get(commitment=commitment)
    assert share.amount_usd == Decimal("3000000")
    assert share.history.latest().history_change_reason == "r"  # type: ignore[attr-defined]


def test_an_announcement_date_comes_from_the_round_or_is_needed(
    commitment: Commitment, staff: User
) -> None:
    Commitment.objects.filter(pk=commitment.pk).update(announced_on=DAY.replace(day=1))
    commitment.refresh_from_db()
    checked = editing.check_commitment_edit(
        commitment=commitment, changes={"announced_on": None}, by=staff
    )
    assert checked.announced_on == DAY  # the round's
    with pytest.raises(Invalid) as refused:
        editing.check_commitment_edit(
            commitment=commitment, changes={"announced_on": None, "round": None}, by=staff
        )
    assert refused.value.field_errors == {
        "announced_on": ["A published commitment has an announcement date."]
    }


def test_a_partner_name_is_one_partners_only(commitment: Commitment, staff: User) -> None:
    other = builders.partner("Beta Corp")
    PartnerAlias.objects.create(partner=other, name="Betamax", normalised_name="betamax")
    partner = commitment.partner
    for name in ("beta corp inc", "BETAMAX", "..."):
        with pytest.raises(Invalid) as refused:
            partner_editing.do_edit_partner(
                partner=partner, changes={"name": name}, reason="r", by=staff
            )
        assert list(refused.value.field_errors) == ["name"]
    edit = partner_editing.do_edit_partner(
        partner=partner, changes={"name": "Acme Foods Group"}, reason="Renamed.", by=staff
    )
    assert edit.changed == {"name": ("Acme Foods", "Acme Foods Group")}
    partner.refresh_from_db()
    assert partner.normalised_name == normalise("Acme Foods Group")
    latest = partner.history.latest()  # type: ignore[attr-defined]
    assert (latest.history_change_reason, latest.history_user) == ("Renamed.", staff)
