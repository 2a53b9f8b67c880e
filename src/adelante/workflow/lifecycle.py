"""A commitment's status after its announcement, changed by the secretariat with a reason.

The intake sets the status of a proposal until it is announced (`intake`), and the first
verified report moves an announced commitment to *in progress* (`reporting.verify_report`).
Every other change of status (a commitment completed, withdrawn on a date, back in progress)
is `change_status`: the secretariat's status page and the staff spreadsheet import both call
it, and the admin shows the status read-only. A withdrawn commitment, and only one, has the
date it was withdrawn (until then it counts as committed). Each change keeps its reason in the
history and in the review log.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from adelante import history
from adelante.accounts import roles
from adelante.commitments import withdrawal
from adelante.commitments.choices import PUBLISHED_STATUSES, Status
from adelante.commitments.models import Commitment
from adelante.errors import Conflict, Invalid, NotAllowed
from adelante.workflow import recording
from adelante.workflow.models import Action, Proposal, Stage


def check_may_change_status(*, user: Any) -> None:
    """The secretariat; None is a command run on the server (the staff import's)."""
    if user is not None and not roles.is_secretariat(user):
        raise NotAllowed(_("Only the secretariat changes a commitment's status."))


def check_status_change(
    *,
    user: Any,
    commitment: Commitment,
    status: str,
    withdrawn_on: datetime.date | None,
    reason: str,
) -> None:
    check_may_change_status(user=user)
    proposal = Proposal.objects.filter(commitment=commitment).first()
    if proposal is not None and (
        proposal.stage != Stage.ACCEPTED or status not in PUBLISHED_STATUSES
    ):
        raise Conflict(
            _(
                "The intake sets this commitment's status until it is announced: review the "
                "proposal in the work queue."
            )
        )
    if status not in Status.values:
        raise Invalid(field_errors={"status": [_("Choose a status from the list.")]})
    wrong = withdrawal.problem(status, withdrawn_on)
    if wrong:
        raise Invalid(field_errors={"withdrawn_on": [wrong]})
    if not reason.strip():
        raise Invalid(
            field_errors={"reason": [_("Say why the status changes: it is kept in the history.")]}
        )


def change_status(
    *,
    user: User | None,
    commitment: Commitment,
    status: str,
    withdrawn_on: datetime.date | None,
    reason: str,
) -> Commitment:
    """Set the status (and the withdrawal date), with the reason; nothing if neither changes."""
    with transaction.atomic():
        commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
        check_status_change(
            user=user,
            commitment=commitment,
            status=status,
            withdrawn_on=withdrawn_on,
            reason=reason,
        )
        if (commitment.status, commitment.withdrawn_on) == (status, withdrawn_on):
            return commitment
        old = commitment.status
        reason = reason.strip()
        commitment.status, commitment.withdrawn_on = status, withdrawn_on
        history.save(commitment, user=user, reason=reason, update_fields=["status", "withdrawn_on"])
        recording.log(
            Action.STATUS_CHANGED,
            user,
            commitment,
            reason=reason,
            old=old,
            new=status,
            withdrawn_on=withdrawn_on,
        )
    return commitment
