"""The admin: identifiers checked by the one rule, likely duplicates, a merge and its undo."""

from __future__ import annotations

import datetime
import html

import pytest
from django.test import Client
from django.urls import reverse

from adelante.partners.models import Partner, PartnerIdentifier, PartnerMerge
from tests import builders
from tests.accounts.conftest import PASSWORD, Cast
from tests.adminforms import inline_rows, posted

pytestmark = pytest.mark.django_db

DUPLICATES = reverse("admin:partners_partner_duplicates")
DAY = datetime.date(2023, 2, 6)


def _signed_in(user: object) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)  # type: ignore[attr-defined]
    return client


def _change(client: Client, partner: Partner, identifiers: list[str]) -> object:
    url = reverse("admin:partners_partner_change", args=[partner.pk])
    data = posted(client.get(url))
    data.update(inline_rows("identifiers", [{"identifier": i} for i in identifiers]))
    return client.post(url, data)


def test_identifiers_entered_in_the_admin_are_checked_and_kept_in_one_form(
    admin_client: Client,
) -> None:
    acme = builders.partner("Acme Foods")
    response = _change(admin_client, acme, ["gt-nit-7555605-7", "XI-LEI-724500PMK2A2M1SQQ228"])
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert set(acme.identifiers.values_list("identifier", "scheme")) == {
        ("GT-NIT-75556057", "GT-NIT"),
        ("XI-LEI-724500PMK2A2M1SQQ228", "XI-LEI"),
    }


@pytest.mark.parametrize(
    ("written", "why"),
    [
        ("XI-LEI-724500PMK2A2M1SQQ229", "check digits"),
        ("US-DOS-1234", "deprecated"),
        ("ZZ-ABC-1234", "not an identifier scheme"),
    ],
)
def test_a_bad_identifier_is_refused_in_the_admin(
    admin_client: Client, written: str, why: str
) -> None:
    acme = builders.partner("Acme Foods")
    response = _change(admin_client, acme, [written])
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert why in response.content.decode()  # type: ignore[attr-defined]
    assert not PartnerIdentifier.objects.exists()


def test_the_admin_changes_and_removes_identifiers_through_the_service_with_the_reason(
    cast: Cast,
) -> None:
    acme = cast.partner
    lei = PartnerIdentifier.objects.create(
        partner=acme, identifier="XI-LEI-724500PMK2A2M1SQQ228", scheme="XI-LEI"
    )
    nit = PartnerIdentifier.objects.create(partner=acme, identifier="US-EIN-030413726", scheme="X")
    client = _signed_in(cast.secretariat_admin)
    url = reverse("admin:partners_partner_change", args=[acme.pk])
    data = posted(client.get(url), change_reason="Checked with the registers")
    # Rows in identifier order: the EIN first, then the LEI.
    assert (str(data["identifiers-0-id"]), str(data["identifiers-1-id"])) == (
        str(nit.pk),
        str(lei.pk),
    )
    data["identifiers-1-DELETE"] = "on"
    data["identifiers-0-identifier"] = "gt-nit-7555605-7"  # the EIN corrected to a NIT
    response = client.post(url, data)
    assert response.status_code == 302, response.content  # type: ignore[attr-defined]
    assert set(acme.identifiers.values_list("identifier", "scheme")) == {
        ("GT-NIT-75556057", "GT-NIT")
    }
    written = PartnerIdentifier.history.exclude(history_change_reason=None)  # type: ignore[attr-defined]
    assert sorted((h.identifier, h.history_type) for h in written) == [
        ("GT-NIT-75556057", "+"),
        ("US-EIN-030413726", "-"),
        ("XI-LEI-724500PMK2A2M1SQQ228", "-"),
    ]
    assert {(h.history_user, h.history_change_reason) for h in written} == {
        (cast.secretariat_admin, "Checked with the registers")
    }


def test_the_admin_and_the_api_refuse_a_bad_identifier_with_the_same_message(
    cast: Cast,
) -> None:
    from adelante.api.tokens import create_token

    written = "GT-NIT-7555605-8"
    admin = _change(_signed_in(cast.secretariat_admin), cast.partner, [written])
    api = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(cast.secretariat_admin).key}").post(
        f"/api/v1/partners/{cast.partner.slug}/identifiers",
        {"identifier": written},
        content_type="application/json",
    )
    message = api.json()["detail"]
    assert "the check digit is wrong (it should be 7)" in message
    assert html.escape(message) in admin.content.decode()  # type: ignore[attr-defined]
    assert not PartnerIdentifier.objects.exists()


def test_a_reviewer_may_not_change_identifiers_in_the_admin(cast: Cast) -> None:
    response = _change(_signed_in(cast.reviewer), cast.partner, ["GT-NIT-7555605-7"])
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert not PartnerIdentifier.objects.exists()


def test_the_duplicates_page_merges_and_the_merge_page_undoes(cast: Cast) -> None:
    builders.commitment("Millicom", "1000", DAY)
    builders.commitment("Milicom", "500", DAY)  # a typo: likely the same
    keep = Partner.objects.get(name="Millicom")
    absorb = Partner.objects.get(name="Milicom")
    staff = _signed_in(cast.secretariat_admin)
    page = staff.get(DUPLICATES)
    assert page.status_code == 200
    assert "Milicom" in page.content.decode() and 'name="reason"' in page.content.decode()

    # A reviewer sees the list but may not merge.
    reviewer = _signed_in(cast.reviewer)
    assert reviewer.get(DUPLICATES).status_code == 200
    refused = reviewer.post(DUPLICATES, {"keep": keep.pk, "absorb": absorb.pk, "reason": "x"})
    assert refused.status_code == 403
    assert Partner.objects.filter(pk=absorb.pk).exists()

    # Without a reason nothing is merged.
    staff.post(DUPLICATES, {"keep": keep.pk, "absorb": absorb.pk, "reason": ""})
    assert Partner.objects.filter(pk=absorb.pk).exists()

    done = staff.post(DUPLICATES, {"keep": keep.pk, "absorb": absorb.pk, "reason": "A typo"})
    merge = PartnerMerge.objects.get()
    assert done.status_code == 302
    assert done["Location"] == reverse("admin:partners_partnermerge_change", args=[merge.pk])
    assert not Partner.objects.filter(pk=absorb.pk).exists()
    assert keep.commitments.count() == 2
    record_page = staff.get(done["Location"]).content.decode()
    assert "Undo the merge" in record_page

    undo = reverse("admin:partners_partnermerge_undo", args=[merge.pk])
    assert reviewer.post(undo).status_code == 403
    assert staff.get(undo).status_code == 405
    back = staff.post(undo, {"reason": "Two companies"})
    assert back.status_code == 302
    assert Partner.objects.get(pk=absorb.pk).commitments.count() == 1
    assert keep.commitments.count() == 1
    assert "Undo the merge" not in staff.get(done["Location"]).content.decode()


def test_the_merge_page_refuses_to_undo_an_older_merge_naming_the_newer(cast: Cast) -> None:
    from adelante.partners.merging import do_merge_partners

    alpha, beta, gamma = (builders.partner(n) for n in ("Alpha", "Beta", "Gamma"))
    older = do_merge_partners(keep=alpha, absorb=beta, by=cast.secretariat_admin, reason="one")
    newer = do_merge_partners(keep=gamma, absorb=alpha, by=cast.secretariat_admin, reason="one")
    staff = _signed_in(cast.secretariat_admin)
    # The merge's page says so before anyone tries, with a link to the newer merge.
    page = staff.get(reverse("admin:partners_partnermerge_change", args=[older.pk]))
    assert 'id="later-merge"' in page.content.decode()  # type: ignore[attr-defined]
    newer_url = reverse("admin:partners_partnermerge_change", args=[newer.pk])
    assert f'href="{newer_url}"' in page.content.decode()  # type: ignore[attr-defined]
    newer_page = staff.get(newer_url).content.decode()  # type: ignore[attr-defined]
    assert 'id="later-merge"' not in newer_page
    undo = reverse("admin:partners_partnermerge_undo", args=[older.pk])
    back = staff.post(undo, {"reason": "too early"}, follow=True)
    page = back.content.decode()  # type: ignore[attr-defined]
    assert html.escape(f"“Alpha” into “Gamma” (merge {newer.pk}") in page
    assert "Undo that merge first" in page
    older.refresh_from_db()
    assert older.undone_at is None and not Partner.objects.filter(pk=beta.pk).exists()
