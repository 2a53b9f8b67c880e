"""The audit page: who changed what, when and why; secretariat only; filters."""

from __future__ import annotations

import datetime

import pytest

from adelante.commitments.choices import Status
from adelante.commitments.models import Commitment
from tests import builders
from tests.accounts.conftest import Cast

pytestmark = pytest.mark.django_db
URL = "/en/secretariat/audit/"


def test_only_the_secretariat_reads_the_audit(client, cast: Cast) -> None:
    assert client.get(URL).status_code == 302
    for user in (cast.member, cast.partner_admin, cast.government, cast.other_member):
        client.force_login(user)
        assert client.get(URL).status_code == 403
    for user in (cast.reviewer, cast.secretariat_admin):
        client.force_login(user)
        assert client.get(URL).status_code == 200


def test_changes_with_who_and_why_and_filters(client, cast: Cast) -> None:
    made = builders.commitment(
        "Acme Foods", "100", datetime.date(2023, 2, 6), status=Status.PROPOSED
    )
    made = Commitment.objects.get(pk=made.pk)
    made.title = "Coffee for schools"
    made._change_reason = "partner corrected the title"  # type: ignore[attr-defined]
    made._history_user = cast.member  # type: ignore[attr-defined]
    made.save()
    client.force_login(cast.reviewer)
    page = client.get(URL).content.decode()
    assert "partner corrected the title" in page
    assert "Coffee for schools" in page and "member" in page
    only = client.get(URL, {"model": "commitments.commitment", "user": "member"}).content.decode()
    assert "partner corrected the title" in only
    assert "Acme Foods commitment" in only  # the old title, in the change
    other_user = client.get(URL, {"user": "sadmin"}).content.decode()
    assert "partner corrected the title" not in other_user
    future = client.get(URL, {"since": "2999-01-01"}).content.decode()
    assert "No changes match." in future
    assert client.get(URL, {"since": "not a date"}).status_code == 400
    assert client.get(URL, {"page": "2"}).status_code == 200
