"""What a person may not see answers as what does not exist: 404, not 403 (issue 10)."""

from __future__ import annotations

import datetime

import pytest

from adelante.commitments.choices import Status
from tests import builders
from tests.accounts.conftest import Cast

pytestmark = pytest.mark.django_db
DAY = datetime.date(2023, 2, 6)


def _statuses(client, urls: list[str]) -> list[int]:  # type: ignore[no-untyped-def]
    return [client.get(url).status_code for url in urls]


def test_another_organisations_workspace_report_and_evidence_are_not_there(
    client, cast: Cast
) -> None:
    published = builders.commitment("Acme Foods", "1000", DAY, status=Status.IN_PROGRESS)
    report = builders.report(published, datetime.date(2023, 12, 31), {}, status="submitted")
    acme = cast.partner.slug
    client.force_login(cast.other_member)
    hidden = [
        f"/en/partner/{acme}/",
        f"/en/partner/{acme}/reports/{report.pk}/",
        f"/en/partner/{acme}/evidence/1/",
        f"/en/accounts/partners/{acme}/people/",
    ]
    missing = [url.replace(acme, "no-such-partner") for url in hidden]
    assert _statuses(client, hidden) == _statuses(client, missing) == [404] * 4
    # The member sees them (the report exists).
    client.force_login(cast.member)
    assert client.get(f"/en/partner/{acme}/reports/{report.pk}/").status_code == 200


def test_reporting_on_another_organisations_proposal_is_not_there(client, cast: Cast) -> None:
    proposed = builders.commitment("Acme Foods", "1000", DAY, status=Status.PROPOSED)
    published = builders.commitment("Acme Foods", "2000", DAY, status=Status.IN_PROGRESS)
    other = cast.other_partner.slug
    builders.commitment("Other Org", "5", DAY, status=Status.IN_PROGRESS)
    client.force_login(cast.other_member)
    acme = cast.partner.slug
    url = "/en/partner/{partner}/commitments/{reference}/report/"
    assert client.get(url.format(partner=acme, reference=proposed.reference)).status_code == 404
    assert client.get(url.format(partner=acme, reference="no-such-ref")).status_code == 404
    # A published commitment is public: reporting on it is refused, as in the API.
    assert client.get(url.format(partner=acme, reference=published.reference)).status_code == 403
    assert client.get(url.format(partner=other, reference=proposed.reference)).status_code == 404
