"""The secretariat's side: the queue of confirmed suggestions, and the decision on each.

Accepting changes the record through `editing` (the field's and the record's own rules), with
the correction as the reason in the record's history; a correction about a figure page (which
the record computes, not stores) is accepted with what was done in words. Declining needs a
reason, which is public. Either decision is final: a correction is decided once.
"""

from __future__ import annotations

from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from adelante import history
from adelante.corrections import editing, subjects
from adelante.corrections.models import Correction, CorrectionStatus, Subject
from adelante.errors import Conflict, Invalid, NotFound

MAX_REASON = 2000


def queue(status: str = CorrectionStatus.NEW) -> QuerySet[Correction]:
    """Confirmed suggestions (waiting, or with the given status), oldest first; never the
    unconfirmed ones."""
    rows = Correction.objects.exclude(status=CorrectionStatus.UNCONFIRMED)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("created", "pk")


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise Invalid(field_errors={"reason": [_("Say why: the reason is public.")]})
    if len(reason) > MAX_REASON:
        raise Invalid(field_errors={"reason": [_("At most %(n)s characters.") % {"n": MAX_REASON}]})
    return reason


def _waiting(correction: Correction) -> None:
    if correction.status != CorrectionStatus.NEW:
        raise Conflict(_("This correction is not waiting for a decision."))


def history_reason(correction: Correction, reason: str) -> str:
    """The reason the record's history keeps for an accepted correction."""
    return _("Public correction no. %(number)s: %(reason)s") % {
        "number": correction.pk,
        "reason": reason,
    }


def check_accept(correction: Correction, *, field: str, value: str, reason: str, by: Any) -> Any:
    """Whether the correction may be accepted with this change; `Invalid`/`Conflict` if not.
    Nothing is written."""
    _waiting(correction)
    _reason(reason)
    target = subjects.find(correction.subject, correction.subject_key)
    if correction.subject == Subject.FIGURE:
        if field:
            raise Invalid(field_errors={"field": [_("A figure page has no field to change.")]})
        return None
    if field not in target.fields:
        raise Invalid(field_errors={"field": [_("Choose the field the correction changes.")]})
    assert target.record is not None
    return editing.check_edit(target.record, field, value, by=by)


def do_accept(
    correction: Correction, *, field: str, value: str, reason: str, by: Any, site: str = ""
) -> Correction:
    """Accept: change the field (a record's subject) with the correction as the reason; the
    suggester is told (`site`: the site's address, for the link in the e-mail)."""
    with transaction.atomic():
        correction = Correction.objects.select_for_update().get(pk=correction.pk)
        check_accept(correction, field=field, value=value, reason=reason, by=by)
        reason = _reason(reason)
        target = subjects.find(correction.subject, correction.subject_key)
        if target.record is not None:
            edit = editing.do_edit(
                target.record, field, value, by=by, reason=history_reason(correction, reason)
            )
            correction.changed_field = edit.field
            correction.old_value = edit.old
            correction.new_value = edit.new
        correction.status = CorrectionStatus.ACCEPTED
        correction.decision_reason = reason
        correction.decided_by = by
        correction.decided_at = timezone.now()
        history.save(correction, user=by, reason=_("accepted"))
        transaction.on_commit(lambda: tell_the_suggester(correction, site=site))
    return correction


def do_decline(
    correction: Correction, *, reason: str, hide: bool = False, by: Any, site: str = ""
) -> Correction:
    """Decline with a public reason, and tell the suggester; `hide`: leave it out of the
    public log, and write to no one (spam, abuse)."""
    with transaction.atomic():
        correction = Correction.objects.select_for_update().get(pk=correction.pk)
        _waiting(correction)
        correction.decision_reason = _reason(reason)
        correction.status = CorrectionStatus.DECLINED
        correction.hidden = hide
        correction.decided_by = by
        correction.decided_at = timezone.now()
        history.save(correction, user=by, reason=_("declined"))
        if not hide:
            transaction.on_commit(lambda: tell_the_suggester(correction, site=site))
    return correction


def tell_the_suggester(correction: Correction, *, site: str = "") -> None:
    """The decision, e-mailed to whoever suggested the correction, in the language of the page
    they suggested it from, with the address of the public log (on `site`, if given)."""
    with translation.override(correction.language):
        try:
            name = subjects.find(correction.subject, correction.subject_key).name
        except NotFound:
            name = correction.subject_key
        accepted = correction.status == CorrectionStatus.ACCEPTED
        subject = (
            _("Your suggested correction was accepted")
            if accepted
            else _("Your suggested correction was declined")
        )
        body = render_to_string(
            "corrections/email/decided.txt",
            {
                "correction": correction,
                "accepted": accepted,
                "name": name,
                "link": site.rstrip("/") + reverse("corrections:log"),
            },
        )
    send_mail(subject, body, None, [correction.email])
