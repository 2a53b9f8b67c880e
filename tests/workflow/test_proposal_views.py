"""The partner's proposal form: drafts, submission, validation messages that keep what was
typed, script tags escaped, absurd values refused, concurrent edits refused; no 500."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from adelante.commitments.models import Commitment
from adelante.workflow.models import Proposal, Stage

pytestmark = pytest.mark.django_db


def form_data(**changes: Any) -> dict[str, Any]:
    data = {
        "title": "Coffee growers' credit",
        "summary": "Working capital for smallholders.",
        "kind": "lending",
        "qualifier": "at_least",
        "amount": "5000000",
        "currency": "USD",
        "countries": ["GT", "HN"],
        "share_GT": "60",
        "share_HN": "40",
        "relation": "new",
        "starts_on": "2023-03-01",
        "ends_on": "2026-12-31",
        "target_0_metric": "producers_supported",
        "target_0_value": "2000",
        "source_0_url": "https://example.org/press",
        "source_0_title": "Press release",
        "action": "save",
    }
    data.update(changes)
    return data


def new_url(partner):
    return reverse("workflow:proposal_new", kwargs={"partner": partner.slug})


def test_the_form_is_served(client, member, partner):
    client.force_login(member)
    response = client.get(new_url(partner))
    assert response.status_code == 200
    assert b'name="share_GT"' in response.content
    assert response["Cache-Control"] == "private, no-store"


def test_save_a_draft_then_submit(client, member, partner):
    client.force_login(member)
    response = client.post(new_url(partner), form_data())
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "workflow:proposal_edit", kwargs={"partner": partner.slug, "pk": proposal.pk}
    )
    assert proposal.stage == Stage.DRAFT
    edit = client.get(response["Location"])
    assert edit.status_code == 200
    assert b"Coffee growers&#x27; credit" in edit.content
    version = edit.context["form"]["version"].value()
    response = client.post(
        response["Location"], form_data(title="Better", action="submit", version=version)
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.stage == Stage.SUBMITTED
    assert proposal.commitment.title == "Better"


def test_submit_straight_away(client, member, partner):
    client.force_login(member)
    response = client.post(new_url(partner), form_data(action="submit"))
    assert response.status_code == 302
    assert Proposal.objects.get().stage == Stage.SUBMITTED


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": "-5"}, "amount"),
        ({"amount": "99999999999999999"}, "amount"),
        ({"amount": "lots"}, "amount"),
        ({"share_HN": "30"}, "countries"),
        ({"target_0_value": "-1"}, "target_0_metric"),
        ({"starts_on": "2023-02-30"}, "starts_on"),
        ({"currency": "XXX"}, "currency"),
        ({"source_0_url": "javascript:alert(1)"}, "source_0_url"),
    ],
)
def test_bad_input_is_refused_and_re_shown(client, member, partner, changes, field):
    client.force_login(member)
    response = client.post(new_url(partner), form_data(title="Kept title", **changes))
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    assert b"Kept title" in response.content  # what was typed is shown again
    assert b'class="error-summary"' in response.content
    assert b'aria-invalid="true"' in response.content
    assert not Commitment.objects.exists()


def test_an_incomplete_submission_keeps_the_draft(client, member, partner):
    client.force_login(member)
    response = client.post(new_url(partner), form_data(summary="", action="submit"))
    assert response.status_code == 400
    assert "summary" in response.context["form"].errors
    assert b"Your draft is saved" in response.content
    assert Proposal.objects.get().stage == Stage.DRAFT


def test_script_tags_are_escaped(client, member, partner):
    client.force_login(member)
    evil = "<script>alert('x')</script>"
    client.post(new_url(partner), form_data(title=evil, summary=evil))
    proposal = Proposal.objects.get()
    assert proposal.commitment.title == evil  # stored as typed
    url = reverse("workflow:proposal_edit", kwargs={"partner": partner.slug, "pk": proposal.pk})
    page = client.get(url).content
    assert b"<script>alert" not in page
    assert b"&lt;script&gt;alert" in page


def test_a_concurrent_edit_is_refused_and_nothing_is_lost(client, member, partner):
    client.force_login(member)
    client.post(new_url(partner), form_data())
    proposal = Proposal.objects.get()
    url = reverse("workflow:proposal_edit", kwargs={"partner": partner.slug, "pk": proposal.pk})
    version = client.get(url).context["form"]["version"].value()
    # Someone else saves first.
    first = client.post(url, form_data(title="Theirs", amount="6000000", version=version))
    assert first.status_code == 302
    # The second save from the same starting point is refused, showing what changed.
    second = client.post(url, form_data(title="Mine", version=version))
    assert second.status_code == 409
    proposal.commitment.refresh_from_db()
    assert proposal.commitment.title == "Theirs"
    assert proposal.commitment.amount == Decimal("6000000.00")
    content = second.content.decode()
    assert "Someone else saved this record" in content
    assert "Theirs" in content and "Mine" in content  # both values, side by side
    # The re-shown form carries the current version: saving again is deliberate and works.
    again = client.post(
        url, form_data(title="Mine", version=second.context["form"]["version"].value())
    )
    assert again.status_code == 302
    proposal.commitment.refresh_from_db()
    assert proposal.commitment.title == "Mine"


def test_no_edit_once_submitted(client, member, partner, submitted):
    client.force_login(member)
    url = reverse("workflow:proposal_edit", kwargs={"partner": partner.slug, "pk": submitted.pk})
    page = client.get(url)
    assert page.status_code == 200 and b"Save the draft" not in page.content
    response = client.post(url, form_data(title="Sneaky"))
    assert response.status_code == 400
    submitted.commitment.refresh_from_db()
    assert submitted.commitment.title != "Sneaky"


def test_other_organisations_cannot_see_or_edit(client, outsider, partner, proposal, other_partner):
    client.force_login(outsider)
    url = reverse("workflow:proposal_edit", kwargs={"partner": partner.slug, "pk": proposal.pk})
    # Not a member: the organisation's workspace is not there (issue 10: was 403).
    assert client.get(url).status_code == 404
    assert client.post(url, form_data()).status_code == 404
    # Under their own organisation's address, another's proposal does not exist.
    theirs = reverse(
        "workflow:proposal_edit", kwargs={"partner": other_partner.slug, "pk": proposal.pk}
    )
    assert client.get(theirs).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, partner):
    response = client.get(new_url(partner))
    assert response.status_code == 302 and "sign-in" in response["Location"]
