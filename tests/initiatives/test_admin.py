"""Staff add and change initiatives in the admin, through the founding and change services:
the same rules, the same messages and the same history rows as `adelante initiative`."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from adelante.initiatives import scope
from adelante.initiatives.founding import Founding, found_initiative
from adelante.initiatives.models import Initiative
from tests import builders
from tests.accounts.conftest import PASSWORD, make_user
from tests.adminforms import posted

pytestmark = pytest.mark.django_db

ADD = "/en/admin/initiatives/initiative/add/"
DAY = datetime.date(2024, 3, 4)


def _form(**changes: str) -> dict[str, str]:
    data = {
        "slug": "ocean-pact",
        "name": "Ocean Pact",
        "name_es": "Pacto del Océano",
        "written_in": "en",
        "position": "1",
        "display_currency": "usd",
        "accent_colour": "#12ab34",
        "countries": "ke, TZ",
        "change_reason": "a new partnership",
    }
    data.update(changes)
    return data


@pytest.fixture
def coastal() -> Initiative:
    return found_initiative(
        Founding(slug="coastal", name="Coastal Pledges", countries=["KE", "TZ", "MZ"])
    )


def url(initiative: Initiative) -> str:
    return f"/en/admin/initiatives/initiative/{initiative.pk}/change/"


def change_page(client: Client, initiative: Initiative, **changes: Any) -> Any:
    data = posted(client.get(url(initiative)), **changes)
    data.pop("logo", None)
    return client.post(url(initiative), data)


def field_errors(response: Any) -> dict[str, list[str]]:
    form = response.context["adminform"].form
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}


def run(*args: str) -> str:
    out = StringIO()
    call_command("initiative", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_an_initiative_is_added_with_its_countries(admin_client: Client) -> None:
    page = admin_client.get(ADD)
    assert "countries" in page.context["adminform"].form.fields
    assert "primary" not in page.context["adminform"].form.fields
    response = admin_client.post(ADD, _form())
    assert response.status_code == 302, field_errors(response)
    made = Initiative.objects.get(slug="ocean-pact")
    assert made.country_codes() == ("KE", "TZ")
    assert not made.primary
    assert made.display_currency == "USD"
    row = made.history.get()
    assert row.history_change_reason == "a new partnership"
    assert row.history_user.is_superuser


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("countries", "KE, XX", "Not ISO 3166-1 country codes: XX."),
        ("countries", "KE, ke", "Countries named twice: KE."),
        ("countries", ",", "Name at least one country."),
        ("accent_colour", "red;}x{", "A colour such as #0b5394."),
        ("slug", "no slug", ""),
        ("slug", "central-america-forward", "Taken."),
        ("languages_pending", "french!", "Not language codes (such as fr): french!."),
        ("display_currency", "xyz", "XYZ is not an ISO 4217 currency code"),
    ],
)
def test_bad_values_are_refused_on_the_add_form(
    admin_client: Client, field: str, value: str, message: str
) -> None:
    response = admin_client.post(ADD, _form(**{field: value}))
    assert response.status_code == 200
    assert not Initiative.objects.filter(name="Ocean Pact").exists()
    errors = field_errors(response)
    assert field in errors
    assert message in " ".join(errors[field])


def test_the_change_form_shows_the_countries_and_changes_them(
    admin_client: Client, coastal: Initiative
) -> None:
    page = admin_client.get(url(coastal))
    assert page.context["adminform"].form.initial["countries"] == "KE, TZ, MZ"
    response = change_page(
        admin_client, coastal, countries="MZ, KE, UG", name_es="Costa", change_reason="new map"
    )
    assert response.status_code == 302, field_errors(response)
    coastal.refresh_from_db()
    assert coastal.country_codes() == ("MZ", "KE", "UG")
    assert coastal.name_es == "Costa"
    assert coastal.history.latest().history_change_reason == "new map"


def test_the_change_form_refuses_a_country_in_use(
    admin_client: Client, coastal: Initiative
) -> None:
    with scope.within(coastal):
        builders.commitment("Acme Foods", "1000", DAY, countries=("TZ",))
    response = change_page(admin_client, coastal, countries="KE, MZ")
    assert response.status_code == 200
    assert field_errors(response)["countries"] == [
        "Tanzania (TZ) cannot be removed: 1 commitment of this initiative names it."
    ]
    assert coastal.country_codes() == ("KE", "TZ", "MZ")


def test_the_change_form_moves_the_primary_flag_and_keeps_one(
    admin_client: Client, coastal: Initiative
) -> None:
    first = scope.primary()
    response = change_page(admin_client, first, primary="")
    assert "primary" in field_errors(response)
    response = change_page(admin_client, coastal, primary="on")
    assert response.status_code == 302, field_errors(response)
    assert list(Initiative.objects.filter(primary=True)) == [coastal]


def test_someone_not_of_the_staff_is_refused(coastal: Initiative) -> None:
    member = make_user("member", "partner-member", partner=builders.partner("Acme Foods"))
    client = Client()
    client.login(username=member.username, password=PASSWORD)
    for response in (client.get(ADD), client.post(ADD, _form()), change_page_raw(client, coastal)):
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Initiative.objects.filter(slug="ocean-pact").exists()
    coastal.refresh_from_db()
    assert coastal.name == "Coastal Pledges"


def change_page_raw(client: Client, initiative: Initiative) -> Any:
    return client.post(url(initiative), {"name": "Taken over", "countries": "UG"})


def test_a_bad_edit_says_the_same_at_both_doors(admin_client: Client, coastal: Initiative) -> None:
    with scope.within(coastal):
        builders.commitment("Acme Foods", "1000", DAY, countries=("KE", "TZ"))
    message = (
        "Kenya (KE) cannot be removed: 1 commitment of this initiative names it. "
        "Tanzania (TZ) cannot be removed: 1 commitment of this initiative names it."
    )
    with pytest.raises(CommandError) as refused:
        run("change", "coastal", "--countries", "MZ")
    assert str(refused.value) == message
    response = change_page(admin_client, coastal, countries="MZ")
    assert field_errors(response) == {"countries": [message]}
    with pytest.raises(CommandError) as refused:
        run("change", "coastal", "--slug", "coast")
    response = change_page(admin_client, coastal, slug="coast")
    assert str(refused.value) == field_errors(response)["slug"][0]
    assert "/i/coastal/" in str(refused.value)
    assert coastal.country_codes() == ("KE", "TZ", "MZ")
    assert coastal.history.count() == 1


def _last_rows(initiative: Initiative) -> list[tuple[Any, ...]]:
    initiative.refresh_from_db()
    row = initiative.history.latest()
    countries = [
        (r.code, r.position, r.history_type, r.history_change_reason)
        for r in type(initiative.countries.first())
        .history.filter(  # type: ignore[union-attr]
            initiative_id=initiative.pk, history_date__gte=row.history_date
        )
        .order_by("code")
    ]
    return [
        (row.history_type, row.history_change_reason, row.name, row.name_es, row.slug),
        *countries,
    ]


def test_a_good_edit_leaves_the_same_history_at_both_doors(admin_client: Client) -> None:
    by_command = found_initiative(Founding(slug="one", name="One", countries=["KE", "TZ"]))
    by_admin = found_initiative(Founding(slug="two", name="One", countries=["KE", "TZ"]))
    printed = run(
        "change", "one", "--countries", "TZ,UG", "--name-es", "Uno", "--slug", "uno",
        "--reason", "new map",
    )  # fmt: skip
    assert "Changed initiative uno" in printed
    response = change_page(
        admin_client, by_admin, countries="TZ, UG", name_es="Uno", slug="uno-2",
        change_reason="new map",
    )  # fmt: skip
    assert response.status_code == 302, field_errors(response)
    command_rows = _last_rows(by_command)
    admin_rows = _last_rows(by_admin)
    assert command_rows[0] == ("~", "new map", "One", "Uno", "uno")
    assert admin_rows[0] == ("~", "new map", "One", "Uno", "uno-2")
    assert command_rows[1:] == admin_rows[1:]
    assert command_rows[1:] == [
        ("KE", 0, "-", "new map"),
        ("TZ", 0, "~", "new map"),
        ("UG", 1, "+", "new map"),
    ]
    admin_user = by_admin.history.latest().history_user
    assert isinstance(admin_user, User) and by_command.history.latest().history_user is None


def test_the_primary_initiative_cannot_be_deleted_another_can(
    admin_client: Client, coastal: Initiative
) -> None:
    primary = scope.primary()
    refused = admin_client.post(
        f"/en/admin/initiatives/initiative/{primary.pk}/delete/", {"post": "yes"}
    )
    assert refused.status_code == 403
    assert Initiative.objects.filter(pk=primary.pk, primary=True).exists()
    deleted = admin_client.post(
        f"/en/admin/initiatives/initiative/{coastal.pk}/delete/", {"post": "yes"}
    )
    assert deleted.status_code == 302
    assert not Initiative.objects.filter(pk=coastal.pk).exists()
