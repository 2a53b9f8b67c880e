"""Changing an initiative (`initiatives.changing`): each rule kept and broken, who may change,
nothing written on a refusal, the history rows of a change."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.files.uploadedfile import SimpleUploadedFile

from adelante.bilingual import TranslationState
from adelante.catalogue.models import Metric
from adelante.errors import Invalid, NotAllowed
from adelante.initiatives import scope
from adelante.initiatives.changing import check_initiative_change, do_change_initiative
from adelante.initiatives.founding import Founding, found_initiative
from adelante.initiatives.models import Initiative, InitiativeCountry
from tests import builders
from tests.accounts.conftest import make_user

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 3, 4)


@pytest.fixture
def coastal() -> Initiative:
    return found_initiative(
        Founding(slug="coastal", name="Coastal Pledges", countries=["KE", "TZ", "MZ"])
    )


@pytest.fixture
def staff() -> User:
    return make_user("sadmin", "secretariat-admin")


def change(initiative: Initiative, by: Any, reason: str = "tidying", **changes: Any) -> Any:
    return do_change_initiative(initiative=initiative, changes=changes, reason=reason, by=by)


def pledge(initiative: Initiative, *countries: str) -> None:
    with scope.within(initiative):
        builders.commitment("Acme Foods", "1000", DAY, countries=countries)


def refusal(initiative: Initiative, by: Any, **changes: Any) -> dict[str, list[str]]:
    with pytest.raises(Invalid) as refused:
        change(initiative, by, **changes)
    return refused.value.field_errors


def test_only_the_secretariat_changes_an_initiative(coastal: Initiative) -> None:
    member = make_user("member", "partner-member", partner=builders.partner("Acme Foods"))
    for someone in (AnonymousUser(), member, make_user("gov", "government-viewer")):
        with pytest.raises(NotAllowed):
            change(coastal, someone, name="Taken over")
    coastal.refresh_from_db()
    assert coastal.name == "Coastal Pledges"


def test_texts_change_through_set_texts_with_the_reason_and_author(
    coastal: Initiative, staff: User
) -> None:
    assert coastal.translation_state == TranslationState.MISSING
    edit = change(
        coastal,
        staff,
        reason="Spanish name",
        name_es="Compromisos Costeros",
        description=" A. ",
        description_es="Una.",
    )
    coastal.refresh_from_db()
    assert (coastal.name_es, coastal.description) == ("Compromisos Costeros", "A.")
    assert coastal.translation_state == TranslationState.STAFF
    assert set(edit.changed) >= {"name_es", "description", "translation_state"}
    row = coastal.history.latest()
    assert (row.history_change_reason, row.history_user) == ("Spanish name", staff)


def test_countries_are_added_removed_and_reordered(coastal: Initiative, staff: User) -> None:
    edit = change(coastal, staff, reason="new map", countries=["mz", "KE", "UG"])
    assert coastal.country_codes() == ("MZ", "KE", "UG")
    assert edit.changed["countries"] == (("KE", "TZ", "MZ"), ("MZ", "KE", "UG"))
    removed = InitiativeCountry.history.filter(code="TZ", history_type="-").get()
    added = InitiativeCountry.history.filter(code="UG", history_type="+").get()
    for row in (removed, added):
        assert (row.history_change_reason, row.history_user) == ("new map", staff)


def test_a_country_named_by_commitments_stays(coastal: Initiative, staff: User) -> None:
    pledge(coastal, "TZ")
    pledge(coastal, "TZ", "KE")
    errors = refusal(coastal, staff, countries=["MZ"], name="Renamed")
    assert errors["countries"] == [
        "Kenya (KE) cannot be removed: 1 commitment of this initiative names it. "
        "Tanzania (TZ) cannot be removed: 2 commitments of this initiative name it."
    ]
    coastal.refresh_from_db()
    assert coastal.country_codes() == ("KE", "TZ", "MZ") and coastal.name == "Coastal Pledges"
    # Reordering and adding keep them: allowed.
    change(coastal, staff, countries=["TZ", "KE", "MZ", "MG"])
    assert coastal.country_codes() == ("TZ", "KE", "MZ", "MG")


def test_another_initiatives_commitments_do_not_hold_a_country(
    coastal: Initiative, staff: User
) -> None:
    pledge(scope.primary(), "GT")
    change(scope.primary(), staff, countries=["GT", "SV", "HN", "KE"])
    pledge(scope.primary(), "KE")
    change(coastal, staff, countries=["TZ"])
    assert coastal.country_codes() == ("TZ",)


@pytest.mark.parametrize(
    ("countries", "message"),
    [
        (["KE", "XX", "QQ"], "Not ISO 3166-1 country codes: XX, QQ."),
        ([], "Name at least one country."),
        (["KE", "ke"], "Countries named twice: KE."),
    ],
)
def test_bad_countries_are_refused(
    coastal: Initiative, staff: User, countries: list[str], message: str
) -> None:
    assert refusal(coastal, staff, countries=countries) == {"countries": [message]}
    assert coastal.country_codes() == ("KE", "TZ", "MZ")


def test_making_another_initiative_primary_moves_the_flag(coastal: Initiative, staff: User) -> None:
    first = scope.primary()
    change(coastal, staff, reason="the new home", primary=True)
    first.refresh_from_db()
    coastal.refresh_from_db()
    assert coastal.primary and not first.primary
    assert list(Initiative.objects.filter(primary=True)) == [coastal]
    assert first.history.latest().history_change_reason == "the new home"
    # And back again.
    change(first, staff, primary=True)
    assert list(Initiative.objects.filter(primary=True)) == [first]


def test_the_only_primary_cannot_let_go(coastal: Initiative, staff: User) -> None:
    first = scope.primary()
    errors = refusal(first, staff, primary=False)
    assert "make another initiative primary instead" in errors["primary"][0]
    first.refresh_from_db()
    assert first.primary
    # Unchecking a non-primary's box is no change at all.
    change(coastal, staff, primary=False)


def test_the_slug_changes_until_the_initiative_has_commitments(
    coastal: Initiative, staff: User
) -> None:
    change(coastal, staff, slug="coastal-pledges")
    assert Initiative.objects.filter(slug="coastal-pledges").exists()
    coastal.refresh_from_db()
    pledge(coastal, "KE")
    errors = refusal(coastal, staff, slug="coast")
    assert "/i/coastal-pledges/" in errors["slug"][0]
    coastal.refresh_from_db()
    assert coastal.slug == "coastal-pledges"


def test_a_slug_taken_or_malformed_is_refused(coastal: Initiative, staff: User) -> None:
    assert "slug" in refusal(coastal, staff, slug="central-america-forward")
    assert "slug" in refusal(coastal, staff, slug="not a slug")


def test_the_other_fields(coastal: Initiative, staff: User) -> None:
    metric = Metric.objects.create(
        code="mangroves", name_en="Mangroves", name_es="Manglares", unit="people"
    )
    edit = change(
        coastal,
        staff,
        display_currency="kes",
        accent_colour="#12ab34",
        synthetic=True,
        languages_pending="FR, pt",
        position=7,
        metrics=[metric],
    )
    coastal.refresh_from_db()
    assert (coastal.display_currency, coastal.accent_colour) == ("KES", "#12ab34")
    assert (coastal.synthetic, coastal.languages_pending, coastal.position) == (True, "fr,pt", 7)
    assert list(coastal.metrics.all()) == [metric]
    assert "metrics" in edit.changed
    change(coastal, staff, metrics=[])
    assert not coastal.metrics.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("display_currency", "dollars"),
        ("display_currency", "XYZ"),
        ("accent_colour", "red;}x{"),
        ("languages_pending", "french!"),
        ("position", -1),
        ("written_in", "xx"),
        ("translation_state", "staff"),
        ("id", 99),
    ],
)
def test_bad_values_are_refused_on_their_field(
    coastal: Initiative, staff: User, field: str, value: Any
) -> None:
    assert field in refusal(coastal, staff, **{field: value})
    assert coastal.history.count() == 1


def test_a_logo_is_uploaded_and_cleared(coastal: Initiative, staff: User) -> None:
    change(coastal, staff, logo=SimpleUploadedFile("wave.png", b"\x89PNG\r\n\x1a\n"))
    coastal.refresh_from_db()
    assert coastal.logo.name.startswith("initiatives/wave")
    assert "logo" in refusal(coastal, staff, logo=SimpleUploadedFile("wave.exe", b"MZ"))
    change(coastal, staff, logo=False)
    coastal.refresh_from_db()
    assert not coastal.logo


def test_the_check_writes_nothing(coastal: Initiative, staff: User) -> None:
    checked = check_initiative_change(
        initiative=coastal, changes={"name": "New", "countries": ["UG"]}, by=staff
    )
    assert checked.name == "New"
    coastal.refresh_from_db()
    assert coastal.name == "Coastal Pledges" and coastal.country_codes() == ("KE", "TZ", "MZ")
    assert coastal.history.count() == 1


def test_a_currency_code_and_a_language_both_wrong_are_refused_together(
    coastal: Initiative, staff: User
) -> None:
    errors = refusal(coastal, staff, display_currency="XYZ", languages_pending="french!")
    assert "XYZ is not an ISO 4217 currency code" in " ".join(errors["display_currency"])
    assert "languages_pending" in errors
    change(coastal, staff, display_currency=" eur ")
    coastal.refresh_from_db()
    assert coastal.display_currency == "EUR"
