"""The corrections services: suggesting (checks, confirmation), the queue, accepting (through
the record's edit rules, with the correction as the history's reason) and declining."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import signing

from adelante.commitments.models import Commitment, CountryShare, OfficialStatement
from adelante.corrections import deciding, log, subjects, suggesting
from adelante.corrections.models import Correction, CorrectionStatus, Subject
from adelante.errors import Conflict, Invalid, NotFound, ServiceError
from adelante.recordstate import record_state
from tests import builders
from tests.corrections.conftest import EMAIL, World, confirmed, suggest

pytestmark = pytest.mark.django_db


def test_a_suggestion_waits_for_its_confirmation(world: World) -> None:
    made = suggest(Subject.COMMITMENT, world.commitment.reference, name="Ana")
    assert made.status == CorrectionStatus.UNCONFIRMED
    assert list(deciding.queue()) == []
    again = suggesting.do_confirm(suggesting.confirmation_token(made))
    assert again.status == CorrectionStatus.NEW and again.confirmed_at is not None
    assert list(deciding.queue()) == [again]
    # Confirming twice changes nothing.
    assert suggesting.do_confirm(suggesting.confirmation_token(made)).confirmed_at == (
        again.confirmed_at
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"said": "   "}, "said"),
        ({"said": "x" * 4001}, "said"),
        ({"said": "nul \x00 byte"}, "said"),
        ({"email": "not an address"}, "email"),
        ({"email": ""}, "email"),
        ({"source_url": "javascript:alert(1)"}, "source_url"),
        ({"source_url": "ftp://example.org/x"}, "source_url"),
        ({"name": "n" * 201}, "name"),
    ],
)
def test_bad_suggestions_are_refused_and_nothing_is_kept(
    world: World, data: dict[str, str], field: str
) -> None:
    target = subjects.find(Subject.COMMITMENT, world.commitment.reference)
    values = {"said": "The amount is wrong.", "email": EMAIL, **data}
    with pytest.raises(Invalid) as refused:
        suggesting.do_suggest(target, values, language="en")
    assert field in refused.value.field_errors
    assert not Correction.objects.exists()


@pytest.mark.parametrize(
    ("subject", "key"),
    [
        ("commitment", "no-such-reference"),
        ("partner", "no-such-partner"),
        ("statement", "999999"),
        ("statement", "not-a-number"),
        ("figure", "nowhere"),
        ("figure", "round:no-such-round"),
        ("figure", "country:zz"),
        ("something", "else"),
        ("commitment", ""),
        ("commitment", "x" * 201),
    ],
)
def test_only_public_things_can_be_corrected(world: World, subject: str, key: str) -> None:
    with pytest.raises(NotFound):
        subjects.find(subject, key)


def test_an_unpublished_commitment_cannot_be_corrected(world: World) -> None:
    world.commitment.status = "proposed"
    world.commitment.save()
    with pytest.raises(NotFound):
        subjects.find(Subject.COMMITMENT, world.commitment.reference)


def test_every_public_kind_of_page_is_a_subject(world: World) -> None:
    c = world.commitment
    assert subjects.find("commitment", c.reference).record == c
    assert subjects.find("partner", c.partner.slug).record == c.partner
    statement = subjects.find("statement", str(world.statement.pk))
    assert statement.page.endswith(f"/rounds/{c.round.slug}/")  # type: ignore[union-attr]
    assert subjects.find("figure", "overview").record is None
    assert subjects.find("figure", f"round:{c.round.slug}").name  # type: ignore[union-attr]
    assert subjects.find("figure", "country:gt").page.endswith("/countries/gt/")


def test_a_forged_or_expired_link_confirms_nothing(world: World) -> None:
    made = suggest(Subject.COMMITMENT, world.commitment.reference)
    for token in ("forged", signing.dumps({"c": made.pk}, salt="another"), "", "x" * 400):
        with pytest.raises(ServiceError):
            suggesting.do_confirm(token)
    with pytest.raises(ServiceError):
        suggesting.do_confirm(signing.dumps({"c": 10**9}, salt=suggesting.SALT))
    made.refresh_from_db()
    assert made.status == CorrectionStatus.UNCONFIRMED


def test_the_limit_per_network_address_and_per_e_mail_address(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ADELANTE_CORRECTIONS_PER_ADDRESS = 2
    assert suggesting.take_slot("10.0.0.1", "a@example.org") == 0
    assert suggesting.take_slot("10.0.0.1", "b@example.org") == 0
    # The network address has used its two.
    assert suggesting.rate_limited("10.0.0.1") > 0
    assert suggesting.take_slot("10.0.0.1", "c@example.org") > 0
    # Another network address, with an e-mail address already used twice: refused too.
    assert suggesting.take_slot("10.0.0.2", "a@example.org") == 0
    assert suggesting.take_slot("10.0.0.3", "A@Example.org") > 0
    # A refused slot takes nothing from the other key.
    assert suggesting.take_slot("10.0.0.3", "d@example.org") == 0


def test_accepting_changes_the_record_with_the_correction_as_the_reason(world: World) -> None:
    c = world.commitment
    correction = confirmed(key=c.reference)
    deciding.do_accept(
        correction,
        field="amount",
        value="2000000",
        reason="The partner's press release says US$2 million.",
        by=world.reviewer,
    )
    c.refresh_from_db()
    assert c.amount == Decimal("2000000") and c.amount_usd == Decimal("2000000")
    # The country part follows the amount, as after an admin save.
    assert CountryShare.objects.get(commitment=c).amount_usd == Decimal("2000000")
    latest = c.history.latest("history_date")
    assert latest.history_change_reason == (
        f"Public correction no. {correction.pk}: The partner's press release says US$2 million."
    )
    assert latest.history_user == world.reviewer
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.ACCEPTED
    assert (correction.changed_field, correction.old_value, correction.new_value) == (
        "amount",
        "1000000",
        "2000000",
    )
    assert latest.amount == Decimal("2000000")
    # And the public log, with the values as shown.
    [entry] = log.public_log([(Subject.COMMITMENT, c.reference)])
    assert entry.accepted and entry.old == "1,000,000" and entry.new == "2,000,000"
    # Decided once.
    with pytest.raises(Conflict):
        deciding.do_decline(correction, reason="again", by=world.reviewer)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", "-5"),
        ("amount", "0"),
        ("amount", "lots"),
        ("amount", "1000000"),  # already the recorded value
        ("amount", "1" * 30),
        ("ends_on", "2020-01-01"),  # before it starts: set below
        ("starts_on", "not a date"),
        ("announced_on", ""),
        ("title", "t" * 301),
        ("status", "withdrawn"),  # not a correctable field
        ("", "x"),
    ],
)
def test_a_bad_change_is_refused_and_nothing_is_written(
    world: World, field: str, value: str
) -> None:
    c = world.commitment
    Commitment.objects.filter(pk=c.pk).update(starts_on="2023-03-01")
    correction = confirmed(key=c.reference)
    before = c.history.count()
    with pytest.raises(Invalid):
        deciding.do_accept(correction, field=field, value=value, reason="ok", by=world.reviewer)
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.NEW
    assert c.history.count() == before


def test_a_reason_is_needed(world: World) -> None:
    correction = confirmed(key=world.commitment.reference)
    with pytest.raises(Invalid):
        deciding.do_accept(correction, field="title", value="New", reason="  ", by=world.reviewer)
    with pytest.raises(Invalid):
        deciding.do_decline(correction, reason="", by=world.reviewer)


def test_a_confidential_amount_is_not_changed_here(world: World) -> None:
    c = world.commitment
    Commitment.objects.filter(pk=c.pk).update(qualifier="confidential", amount_usd=None)
    correction = confirmed(key=c.reference)
    with pytest.raises(Invalid):
        deciding.do_accept(correction, field="amount", value="5", reason="r", by=world.reviewer)


def test_partner_and_statement_fields_through_their_rules(world: World) -> None:
    other = builders.partner("Beta Corp")
    partner = world.commitment.partner
    correction = confirmed(Subject.PARTNER, partner.slug)
    with pytest.raises(Invalid):  # another partner's name
        deciding.do_accept(
            correction, field="name", value="BETA CORP.", reason="r", by=world.reviewer
        )
    with pytest.raises(Invalid):
        deciding.do_accept(correction, field="type", value="bank", reason="r", by=world.reviewer)
    deciding.do_accept(
        correction, field="name", value="Acme Foods Ltd", reason="As registered.", by=world.reviewer
    )
    partner.refresh_from_db()
    assert partner.name == "Acme Foods Ltd" and partner.normalised_name
    other.refresh_from_db()
    assert other.name == "Beta Corp"
    statement = confirmed(Subject.STATEMENT, str(world.statement.pk))
    deciding.do_accept(
        statement, field="value", value="4300000000", reason="The transcript.", by=world.reviewer
    )
    assert OfficialStatement.objects.get().value == Decimal("4300000000")
    [entry] = log.public_log([(Subject.STATEMENT, str(world.statement.pk))])
    assert entry.new == "4,300,000,000"


def test_a_figure_is_accepted_with_words_only(world: World) -> None:
    correction = confirmed(Subject.FIGURE, "overview")
    with pytest.raises(Invalid):
        deciding.do_accept(correction, field="amount", value="1", reason="r", by=world.reviewer)
    deciding.do_accept(
        correction, field="", value="", reason="The chart's label is fixed.", by=world.reviewer
    )
    [entry] = log.public_log()
    assert entry.accepted and entry.field == "" and entry.name == "The overview"


def test_declined_hidden_and_unconfirmed_ones_in_the_log(world: World) -> None:
    suggest(Subject.COMMITMENT, world.commitment.reference, said="never confirmed")
    waiting = confirmed(key=world.commitment.reference, said="still waiting")
    declined = confirmed(key=world.commitment.reference, said="wrong, says the suggester")
    spam = confirmed(key=world.commitment.reference, said="buy cheap watches")
    deciding.do_decline(declined, reason="The source says 1,000,000.", by=world.reviewer)
    deciding.do_decline(spam, reason="Spam.", hide=True, by=world.reviewer)
    entries = log.public_log()
    assert [e.said for e in entries] == ["wrong, says the suggester"]
    assert not entries[0].accepted and entries[0].reason == "The source says 1,000,000."
    assert waiting.status == CorrectionStatus.NEW
    assert [c.said for c in deciding.queue()] == ["still waiting"]


def test_the_e_mail_address_is_not_in_the_history(world: World) -> None:
    made = suggest(Subject.COMMITMENT, world.commitment.reference, name="Ana")
    row = made.history.get()
    assert not hasattr(row, "email") and not hasattr(row, "name")


def test_a_changed_amount_later_made_confidential_is_not_shown(world: World) -> None:
    c = world.commitment
    correction = confirmed(key=c.reference)
    deciding.do_accept(correction, field="amount", value="1500000", reason="r", by=world.reviewer)
    Commitment.objects.filter(pk=c.pk).update(qualifier="confidential", amount_usd=None)
    [entry] = log.public_log()
    assert (entry.old, entry.new) == ("confidential", "confidential")
    # Nor when the commitment is no longer public at all.
    Commitment.objects.filter(pk=c.pk).update(qualifier="exact", status="proposed")
    [entry] = log.public_log()
    assert (entry.old, entry.new, entry.page) == ("confidential", "confidential", "")


def test_only_a_decision_changes_the_records_stamp(world: World) -> None:
    # Anyone may suggest without an account: if suggesting changed the stamp, every suggestion
    # would empty the portal's page cache.
    before = record_state().stamp
    waiting = confirmed(key=world.commitment.reference, said="the amount is wrong")
    assert record_state().stamp == before
    deciding.do_decline(waiting, reason="The source says 1,000,000.", by=world.reviewer)
    assert record_state().stamp != before
