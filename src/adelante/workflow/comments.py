"""The comment thread of a proposal or a report, between the partner and the secretariat.

Either side writes; the secretariat may mark a comment internal (the default on its pages),
which partners never read (workflow.disclosure). A partner's comment is always shared: it is
written to the secretariat, and e-mailed to the reviewer it answers. A shared comment from the
secretariat is e-mailed to the partner's people (workflow.notices), in each one's language.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from adelante.accounts import roles
from adelante.commitments.models import Commitment
from adelante.errors import Invalid, NotAllowed
from adelante.progress.models import ProgressReport
from adelante.workflow import notices
from adelante.workflow.models import Comment

MAX_LENGTH = 5000


def check_may_comment(*, user: Any, commitment: Commitment, internal: bool) -> None:
    """The secretariat on any; a member of the organisation on its own, never internal."""
    if roles.is_secretariat(user):
        return
    if not roles.is_partner_member(user, commitment.partner):
        raise NotAllowed(_("You may only comment on your own organisation's commitments."))
    if internal:
        raise NotAllowed(_("Only the secretariat writes internal comments."))


def post(
    *,
    user: Any,
    commitment: Commitment,
    text: str,
    internal: bool = False,
    report: ProgressReport | None = None,
) -> Comment:
    """Add a comment to the proposal's thread (`report` None) or the report's."""
    check_may_comment(user=user, commitment=commitment, internal=internal)
    text = text.strip()
    if not text:
        raise Invalid(field_errors={"text": [_("Write the comment.")]})
    if len(text) > MAX_LENGTH:
        raise Invalid(field_errors={"text": [_("At most %(n)d characters.") % {"n": MAX_LENGTH}]})
    if report is not None and report.commitment_id != commitment.pk:
        raise Invalid(field_errors={"report": [_("This report is not of this commitment.")]})
    with transaction.atomic():
        comment = Comment.objects.create(
            commitment=commitment, report=report, author=user, text=text, internal=internal
        )
        if roles.is_secretariat(user):
            if not internal:
                transaction.on_commit(lambda: notices.comment_to_partner(comment))
        else:
            transaction.on_commit(lambda: notices.comment_to_reviewer(comment))
    return comment
