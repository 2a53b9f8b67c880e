"""The public log (`corrections.log`): what the portal reads of a decided correction."""

from __future__ import annotations

from django.utils import timezone, translation

from adelante.commitments.models import Commitment
from adelante.corrections import log
from adelante.corrections.models import Correction, CorrectionStatus, Subject
from tests.corrections.conftest import World


def test_an_empty_confidential_amount_reads_confidential_as_any_other(world: World) -> None:
    # Rule 7: whether a confidential amount was empty before is itself a fact about it.
    Commitment.objects.filter(pk=world.commitment.pk).update(qualifier="confidential")
    for old in ("", "1000000"):
        Correction.objects.all().delete()
        Correction.objects.create(
            subject=Subject.COMMITMENT,
            subject_key=world.commitment.reference,
            said="The amount is 2,000,000.",
            email="someone@example.org",
            status=CorrectionStatus.ACCEPTED,
            decided_at=timezone.now(),
            changed_field="amount",
            old_value=old,
            new_value="2000000",
        )
        with translation.override("en"):
            [entry] = log.public_log()
        assert (entry.old, entry.new) == ("confidential", "confidential")
        assert (entry.old_value, entry.new_value, entry.confidential) == (None, None, True)
