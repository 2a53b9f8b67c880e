"""What each side may read of a proposal's or a report's history: the one door of the log.

The review log (`ReviewEvent`) and the comment thread (`Comment`) hold the secretariat's
reasoning too: the due-diligence checklist and its notes, the documents it gathered, the
sanctions screening and its decisions, and comments marked internal. The partner's pages
read the history only through `partner_log`, which keeps, field by field, what is written for
the partner (`PARTNER_SEES`): the outcome of each step, the reasons given *to* the partner
(return, decline) and its own steps; never an internal comment, never a screening, never a
checklist answer. The secretariat's pages read everything (`reviewer_log`), internal
comments marked as such.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from adelante.commitments.models import Commitment
from adelante.progress.models import ProgressReport
from adelante.workflow.models import Action, Comment, DueDiligenceDocument, ReviewEvent

#: The step is shown; its reason is shown ("reason"), its details are shown ("details").
REASON = "reason"
DETAILS = "details"

#: Per step, what the partner reads of it; a step not listed is not shown to the partner.
PARTNER_SEES: dict[str, frozenset[str]] = {
    # The partner's own steps (or the secretariat's acting for it): all of them.
    Action.DRAFT_SAVED: frozenset({REASON, DETAILS}),
    Action.PROPOSAL_SUBMITTED: frozenset({REASON, DETAILS}),
    Action.REPORT_SAVED: frozenset({REASON, DETAILS}),
    Action.REPORT_SUBMITTED: frozenset({REASON, DETAILS}),
    Action.EVIDENCE_UPLOADED: frozenset({REASON, DETAILS}),
    Action.EVIDENCE_REMOVED: frozenset({REASON, DETAILS}),
    Action.DECREASE_CONFIRMED: frozenset({REASON, DETAILS}),
    # Outcomes, with the reason written for the partner ("the partner reads it").
    Action.PICKED_UP: frozenset(),
    Action.PROPOSAL_RETURNED: frozenset({REASON}),
    Action.DECLINED: frozenset({REASON}),
    Action.REPORT_RETURNED: frozenset({REASON}),
    # Outcomes whose note is the reviewer's (optional, not asked as a message to the
    # partner): the outcome and what changed, not the note.
    Action.ACCEPTED: frozenset({DETAILS}),
    Action.REPORT_VERIFIED: frozenset({DETAILS}),
    Action.VALUE_CORRECTED: frozenset({DETAILS}),
    Action.STATUS_CHANGED: frozenset({DETAILS}),
    # Not listed, never shown: CHECKLIST_ANSWERED, SCREENED, HIT_DECIDED and the secretariat's
    # DOCUMENT_UPLOADED (the partner's own uploads are shown, `_partner_upload`).
}

#: Details a partner never reads, whatever the step (a screening's names and lists).
INTERNAL_DETAILS = frozenset(
    {"listed_name", "screened_name", "list", "external_id", "score", "names", "lists", "hits"}
)


@dataclass(frozen=True)
class Entry:
    """One line of the history: a step or a comment."""

    at: datetime.datetime
    label: str
    who: str
    reason: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    is_comment: bool = False
    internal: bool = False


def _scoped(rows: Any, report: ProgressReport | None, whole: bool) -> Any:
    if whole:
        return rows
    return rows.filter(report=report) if report is not None else rows.filter(report__isnull=True)


def _events(commitment: Commitment, report: ProgressReport | None, whole: bool = False) -> Any:
    rows = ReviewEvent.objects.filter(commitment=commitment).select_related("user")
    return _scoped(rows, report, whole)


def _comments(commitment: Commitment, report: ProgressReport | None, whole: bool = False) -> Any:
    rows = Comment.objects.filter(commitment=commitment).select_related("author")
    return _scoped(rows, report, whole)


def _name(user: Any) -> str:
    return str(user.get_username()) if user is not None else ""


def _comment(c: Comment) -> Entry:
    return Entry(
        at=c.at,
        label=_("internal comment") if c.internal else _("comment"),
        who=_name(c.author),
        reason=c.text,
        is_comment=True,
        internal=c.internal,
    )


def _partner_upload(event: ReviewEvent) -> bool:
    return event.action == Action.DOCUMENT_UPLOADED and bool(event.details.get("from_partner"))


def _sorted(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: e.at)


def reviewer_log(
    commitment: Commitment, report: ProgressReport | None = None, *, whole: bool = False
) -> list[Entry]:
    """Everything, for the secretariat: every step with its reason and details, every
    comment (internal ones marked). `report` None: the proposal's history; `whole`: the
    commitment's and all its reports'."""
    entries = [
        Entry(e.at, e.get_action_display(), _name(e.user), e.reason, dict(e.details))
        for e in _events(commitment, report, whole)
    ]
    entries += [_comment(c) for c in _comments(commitment, report, whole)]
    return _sorted(entries)


def partner_log(commitment: Commitment, report: ProgressReport | None = None) -> list[Entry]:
    """What the partner reads: the steps it may see, each with only the fields written for
    it, and the shared comments. Whoever reads a partner's page reads this."""
    entries = []
    for e in _events(commitment, report):
        shown = frozenset({REASON, DETAILS}) if _partner_upload(e) else PARTNER_SEES.get(e.action)
        if shown is None:
            continue
        details = (
            {k: v for k, v in e.details.items() if k not in INTERNAL_DETAILS}
            if DETAILS in shown
            else {}
        )
        reason = e.reason if REASON in shown else ""
        entries.append(Entry(e.at, e.get_action_display(), _name(e.user), reason, details))
    entries += [_comment(c) for c in _comments(commitment, report).filter(internal=False)]
    return _sorted(entries)


def partner_documents(commitment: Commitment) -> list[DueDiligenceDocument]:
    """The due-diligence documents the partner attached (the secretariat's are internal)."""
    return list(commitment.due_diligence_documents.filter(from_partner=True))
