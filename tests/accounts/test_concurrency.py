"""Two people editing one record: the second save is refused, shows what changed, loses
nothing; in our forms and in the admin."""

from __future__ import annotations

import pytest

from adelante.accounts.models import JoinRequest, JoinStatus
from adelante.partners.models import Partner
from tests import builders
from tests.accounts.conftest import Cast

pytestmark = pytest.mark.django_db


def _request() -> JoinRequest:
    return JoinRequest.objects.create(
        organisation_name="Two Editors Ltd",
        organisation_type="company",
        country="HN",
        contact_name="x",
        contact_email="x@example.org",
        intends="more",
        status=JoinStatus.NEW,
    )


def test_the_second_decision_is_refused_with_the_changes(client, cast: Cast) -> None:
    made = _request()
    url = f"/en/secretariat/join-requests/{made.pk}/"
    client.force_login(cast.reviewer)
    loaded = client.get(url).context["form"]["version"].value()

    # Meanwhile the secretariat admin records a screening.
    other = type(client)()
    other.force_login(cast.secretariat_admin)
    version = other.get(url).context["form"]["version"].value()
    other.post(
        url,
        {"action": "screen", "screening_outcome": "clear", "version": version},
    )

    mine = {
        "action": "screen",
        "screening_outcome": "match",
        "screening_note": "Same name as an SDN entry, same city.",
        "version": loaded,
    }
    refused = client.post(url, mine)
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Someone else saved this record after you opened it" in page
    assert "clear: no hit" in page  # their value
    assert "confirmed match" in page  # your value
    assert "sadmin" in page
    assert "Same name as an SDN entry, same city." in page  # your input is kept
    made.refresh_from_db()
    assert made.screening_outcome == "clear"  # nothing overwritten

    # Saving again from the re-shown form (which now carries the current version) is a
    # deliberate decision, made with the other change in view.
    again = dict(mine, version=refused.context["form"]["version"].value())
    assert client.post(url, again).status_code == 302
    made.refresh_from_db()
    assert made.screening_outcome == "match"


def test_a_missing_version_is_refused_in_our_forms(client, cast: Cast) -> None:
    made = _request()
    client.force_login(cast.reviewer)
    response = client.post(
        f"/en/secretariat/join-requests/{made.pk}/",
        {"action": "screen", "screening_outcome": "clear"},
    )
    assert response.status_code == 400


def test_the_admin_change_form_refuses_a_stale_save(client, cast: Cast) -> None:
    partner = builders.partner("Stale Save Foundation", "foundation")
    url = f"/en/admin/partners/partner/{partner.pk}/change/"
    client.force_login(cast.secretariat_admin)
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert 'name="version"' in page.content.decode()
    loaded = form["version"].value()

    fresh = Partner.objects.get(pk=partner.pk)
    fresh.website = "https://their.example"
    fresh._change_reason = "their edit"  # type: ignore[attr-defined]
    fresh.save()

    data = {
        "name": "Stale Save Foundation (renamed)",
        "slug": partner.slug,
        "type": "foundation",
        "website": "https://mine.example",
        "version": loaded,
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "Someone else saved this record after you opened it" in text
    assert "https://their.example" in text and "https://mine.example" in text
    partner.refresh_from_db()
    assert partner.website == "https://their.example"
    assert partner.name == "Stale Save Foundation"
