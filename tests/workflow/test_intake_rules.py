"""Intake transitions: draft, submit, pick up, return, decline, accept; every step recorded."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from adelante import errors
from adelante.commitments.choices import Status
from adelante.currency.models import ExchangeRate
from adelante.figures.committed import committed
from adelante.workflow import intake
from adelante.workflow.models import Action, ReportingSchedule, ReviewEvent, Stage
from tests.workflow.conftest import complete_checklist, good_input, screen_and_clear

pytestmark = pytest.mark.django_db


def actions(proposal):
    return list(
        ReviewEvent.objects.filter(commitment=proposal.commitment).values_list("action", flat=True)
    )


def test_a_draft_is_a_proposed_commitment_that_counts_nowhere(proposal, partner):
    c = proposal.commitment
    assert proposal.stage == Stage.DRAFT
    assert c.status == Status.PROPOSED and c.partner == partner
    assert c.round is None and c.announced_on is None
    assert {r.country: r.share_percent for r in c.countries.all()} == {
        "GT": Decimal("60.00"),
        "HN": Decimal("40.00"),
    }
    assert [t.metric.code for t in c.targets.all()] == ["producers_supported"]
    assert committed(datetime.date(2030, 1, 1)).commitments == 0


def test_draft_history_names_who(proposal, member):
    version = proposal.commitment.history.latest()
    assert version.history_user == member
    assert "maria" in version.history_change_reason


def test_a_draft_may_be_incomplete_but_not_submitted(member, partner):
    draft = intake.create_proposal(
        user=member, partner=partner, data=good_input(title="", summary="")
    )
    with pytest.raises(errors.Invalid) as raised:
        intake.submit(user=member, proposal=draft)
    assert set(raised.value.field_errors) == {"title", "summary"}
    draft.refresh_from_db()
    assert draft.stage == Stage.DRAFT


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": Decimal("-5")}, "amount"),
        ({"amount": Decimal("0")}, "amount"),
        ({"amount": Decimal("1e15")}, "amount"),
        ({"qualifier": "undisclosed"}, "amount"),
        ({"countries": {"GT": Decimal("60"), "HN": Decimal("30")}}, "countries"),
        ({"countries": {"GT": Decimal("60"), "HN": None}}, "countries"),
        ({"countries": {"XX": None}}, "countries"),
        ({"currency": "ZZZ"}, "currency"),
        ({"ends_on": datetime.date(2020, 1, 1)}, "ends_on"),
        ({"kind": "bribes"}, "kind"),
        ({"targets": (intake.TargetInput("no_such_metric", Decimal(1)),)}, "targets"),
        ({"targets": (intake.TargetInput("jobs_created", Decimal(-1)),)}, "targets"),
        ({"sources": (intake.SourceInput("javascript:alert(1)"),)}, "sources"),
        ({"focus_areas": ("nowhere",)}, "focus_areas"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(member, partner, changes, field):
    before = ReviewEvent.objects.count()
    with pytest.raises(errors.Invalid) as raised:
        intake.create_proposal(user=member, partner=partner, data=good_input(**changes))
    assert field in raised.value.field_errors
    assert ReviewEvent.objects.count() == before
    assert not partner.commitments.exists()


def test_an_undisclosed_amount_needs_no_amount(member, partner):
    made = intake.create_proposal(
        user=member, partner=partner, data=good_input(qualifier="undisclosed", amount=None)
    )
    intake.submit(user=member, proposal=made)
    assert made.commitment.amount_usd is None


def test_submit_then_pick_up(member, reviewer, proposal):
    intake.submit(user=member, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.stage == Stage.SUBMITTED and proposal.submitted_at is not None
    assert proposal.commitment.status == Status.PROPOSED
    intake.pick_up(reviewer=reviewer, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.stage == Stage.UNDER_REVIEW and proposal.reviewer == reviewer
    assert proposal.commitment.status == Status.UNDER_REVIEW
    assert actions(proposal) == [
        Action.DRAFT_SAVED,
        Action.PROPOSAL_SUBMITTED,
        Action.PICKED_UP,
    ]


def test_partner_cannot_edit_while_with_the_secretariat(member, submitted):
    with pytest.raises(errors.Conflict):
        intake.update_proposal(user=member, proposal=submitted, data=good_input(title="Changed"))
    with pytest.raises(errors.Conflict):
        intake.submit(user=member, proposal=submitted)


def test_return_needs_a_reason_and_makes_it_editable_again(member, reviewer, under_review):
    with pytest.raises(errors.Invalid):
        intake.return_to_partner(reviewer=reviewer, proposal=under_review, reason="   ")
    intake.return_to_partner(
        reviewer=reviewer, proposal=under_review, reason="Split the amount by country, please."
    )
    under_review.refresh_from_db()
    assert under_review.stage == Stage.RETURNED
    assert under_review.commitment.status == Status.PROPOSED
    assert under_review.reason == "Split the amount by country, please."
    intake.update_proposal(
        user=member, proposal=under_review, data=good_input(title="Better title")
    )
    intake.submit(user=member, proposal=under_review)
    under_review.refresh_from_db()
    assert under_review.stage == Stage.SUBMITTED
    assert under_review.commitment.title == "Better title"
    event = ReviewEvent.objects.get(action=Action.PROPOSAL_RETURNED)
    assert event.user == reviewer and event.reason.startswith("Split")


def test_decline_keeps_it_out_of_the_record(reviewer, under_review):
    intake.decline(
        reviewer=reviewer, proposal=under_review, reason="Outside the partnership's scope."
    )
    under_review.refresh_from_db()
    assert under_review.stage == Stage.DECLINED
    assert under_review.commitment.status == Status.PROPOSED
    with pytest.raises(errors.Conflict):
        intake.pick_up(reviewer=reviewer, proposal=under_review)


def test_acceptance_is_blocked_until_checklist_and_screening(reviewer, under_review, the_round):
    blockers = intake.acceptance_blockers(under_review)
    assert any("Checklist" in b for b in blockers)
    assert any("sanctions" in b for b in blockers)
    with pytest.raises(errors.Invalid):
        intake.accept(reviewer=reviewer, proposal=under_review, into=the_round, past_confirmed=True)


def test_a_no_answer_blocks_acceptance(reviewer, under_review, sdn_list, the_round):
    complete_checklist(reviewer, under_review)
    screen_and_clear(reviewer, under_review)
    question = intake.active_questions()[0]
    with pytest.raises(errors.Invalid):
        intake.answer_question(
            reviewer=reviewer, proposal=under_review, question=question, answer="no", attestation=""
        )
    intake.answer_question(
        reviewer=reviewer,
        proposal=under_review,
        question=question,
        answer="no",
        attestation="Open labour case.",
    )
    assert any("not satisfied" in b for b in intake.acceptance_blockers(under_review))


def test_a_required_document_blocks_acceptance(reviewer, under_review, sdn_list):
    for question in intake.active_questions():
        intake.answer_question(
            reviewer=reviewer,
            proposal=under_review,
            question=question,
            answer="yes",
            attestation="Seen.",
        )
    screen_and_clear(reviewer, under_review)
    assert any("needs a document" in b for b in intake.acceptance_blockers(under_review))


def test_accept_announces_in_the_round(accepted, the_round, reviewer):
    c = accepted.commitment
    c.refresh_from_db()
    assert accepted.stage == Stage.ACCEPTED
    assert c.status == Status.ANNOUNCED
    assert c.round == the_round and c.announced_on == the_round.announced_on
    assert c.amount_usd == Decimal("5000000.00")
    assert {r.country: r.amount_usd for r in c.countries.all()} == {
        "GT": Decimal("3000000.00"),
        "HN": Decimal("2000000.00"),
    }
    assert ReportingSchedule.objects.filter(commitment=c).exists()
    total = committed(the_round.announced_on)
    assert total.amount_usd == Decimal("5000000.00")
    assert total.qualifier == "at_least"
    event = ReviewEvent.objects.get(action=Action.ACCEPTED)
    assert event.user == reviewer and event.details["round"] == the_round.slug


def test_accept_in_another_currency_uses_the_rounds_rate(
    member, reviewer, partner, sdn_list, the_round
):
    ExchangeRate.objects.create(
        currency="GTQ",
        on=the_round.announced_on,
        units_per_usd=Decimal("7.8"),
        source="https://example.org/rates",
    )
    made = intake.create_proposal(
        user=member, partner=partner, data=good_input(amount=Decimal("78000000"), currency="GTQ")
    )
    intake.submit(user=member, proposal=made)
    intake.pick_up(reviewer=reviewer, proposal=made)
    complete_checklist(reviewer, made)
    screen_and_clear(reviewer, made)
    intake.accept(reviewer=reviewer, proposal=made, into=the_round, past_confirmed=True)
    made.commitment.refresh_from_db()
    assert made.commitment.amount_usd == Decimal("10000000.00")
    assert made.commitment.exchange_rate.currency == "GTQ"


def test_accept_without_a_rate_says_so(member, reviewer, partner, sdn_list, the_round):
    ExchangeRate.objects.create(
        currency="HNL", on=datetime.date(2020, 1, 1), units_per_usd=Decimal("24"), source="x"
    )
    made = intake.create_proposal(user=member, partner=partner, data=good_input(currency="HNL"))
    intake.submit(user=member, proposal=made)
    intake.pick_up(reviewer=reviewer, proposal=made)
    complete_checklist(reviewer, made)
    screen_and_clear(reviewer, made)
    with pytest.raises(errors.Invalid) as raised:
        intake.accept(reviewer=reviewer, proposal=made, into=the_round, past_confirmed=True)
    assert "round" in raised.value.field_errors
    made.refresh_from_db()
    assert made.stage == Stage.UNDER_REVIEW


def test_a_screening_before_resubmission_does_not_count(
    member, reviewer, under_review, sdn_list, the_round
):
    complete_checklist(reviewer, under_review)
    screen_and_clear(reviewer, under_review)
    intake.return_to_partner(reviewer=reviewer, proposal=under_review, reason="Fix the title.")
    intake.update_proposal(user=member, proposal=under_review, data=good_input(title="Fixed"))
    intake.submit(user=member, proposal=under_review)
    intake.pick_up(reviewer=reviewer, proposal=under_review)
    assert any("sanctions" in b for b in intake.acceptance_blockers(under_review))
