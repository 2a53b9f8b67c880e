"""The daily digest: one e-mail per person listing everything due, late or waiting for them.

- A partner's members hear of their organisations' reports that are overdue or due soon,
  and of reports and proposals returned to them.
- The secretariat hears of proposals and reports waiting for review, and how many
  commitments are late with a report.

`send_digests(today)` sends at most one digest per person and day: each send is recorded
(`ReminderSend`), so running it twice on the same day sends nothing more. People with nothing
to hear about, inactive accounts and accounts without an e-mail address get nothing.
"""

from __future__ import annotations

import datetime
import os
import smtplib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import get_connection, send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from adelante.accounts import roles
from adelante.accounts.groups import SECRETARIAT_ADMIN, SECRETARIAT_REVIEWER
from adelante.partners.models import Membership
from adelante.progress.models import ProgressReport, ReportStatus
from adelante.workflow import schedule
from adelante.workflow.models import Proposal, ReminderSend, Stage


class ItemKind:
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    REPORT_RETURNED = "report_returned"
    PROPOSAL_RETURNED = "proposal_returned"
    REVIEW_PROPOSAL = "review_proposal"
    REVIEW_REPORT = "review_report"
    LATE_SUMMARY = "late_summary"


@dataclass(frozen=True)
class Item:
    kind: str
    title: str
    partner: str
    path: str
    period_end: datetime.date | None = None
    due_on: datetime.date | None = None
    count: int = 0


@dataclass
class Digest:
    user: Any
    items: list[Item] = field(default_factory=list)


def _title(commitment: Any) -> str:
    return str(commitment.title or commitment.reference)


def _partner_item(
    kind: str,
    commitment: Any,
    view: str,
    args: dict[str, Any],
    period_end: datetime.date | None = None,
    due_on: datetime.date | None = None,
) -> Item:
    """An item about one of a partner's commitments, linking to a page of the partner's
    (`view`, with the partner's slug and `args`)."""
    path = reverse(view, kwargs={"partner": commitment.partner.slug, **args})
    return Item(kind, _title(commitment), commitment.partner.name, path, period_end, due_on)


def partner_items(partner_ids: Iterable[int], today: datetime.date) -> dict[int, list[Item]]:
    """Per partner: overdue and due-soon reports, returned reports and proposals."""
    ids = list(partner_ids)
    items: dict[int, list[Item]] = defaultdict(list)
    commitments = list(schedule.expecting(ids).select_related("partner"))
    statuses = schedule.statuses(commitments, today)
    for c in commitments:
        status = statuses[c.id]
        for kind, found in (
            (ItemKind.OVERDUE, status.overdue),
            (ItemKind.DUE_SOON, status.due_soon),
        ):
            for p in found:
                items[c.partner_id].append(
                    _partner_item(
                        kind,
                        c,
                        "workflow:report_new",
                        {"reference": c.reference},
                        p.period.end,
                        p.period.due_on,
                    )
                )
    returned = ProgressReport.objects.filter(
        status=ReportStatus.RETURNED, commitment__partner_id__in=ids
    ).select_related("commitment", "commitment__partner")
    for r in returned:
        items[r.commitment.partner_id].append(
            _partner_item(
                ItemKind.REPORT_RETURNED,
                r.commitment,
                "workflow:report_edit",
                {"pk": r.pk},
                r.period_end,
            )
        )
    proposals = Proposal.objects.filter(
        stage=Stage.RETURNED, commitment__partner_id__in=ids
    ).select_related("commitment", "commitment__partner")
    for proposal in proposals:
        items[proposal.commitment.partner_id].append(
            _partner_item(
                ItemKind.PROPOSAL_RETURNED,
                proposal.commitment,
                "workflow:proposal_edit",
                {"pk": proposal.pk},
            )
        )
    return items


def secretariat_items(today: datetime.date) -> list[Item]:
    items = []
    for p in Proposal.objects.filter(
        stage__in=(Stage.SUBMITTED, Stage.UNDER_REVIEW)
    ).select_related("commitment", "commitment__partner"):
        items.append(
            Item(
                ItemKind.REVIEW_PROPOSAL,
                _title(p.commitment),
                p.commitment.partner.name,
                reverse("workflow:proposal_review", kwargs={"pk": p.pk}),
            )
        )
    for r in ProgressReport.objects.filter(status=ReportStatus.SUBMITTED).select_related(
        "commitment", "commitment__partner"
    ):
        items.append(
            Item(
                ItemKind.REVIEW_REPORT,
                _title(r.commitment),
                r.commitment.partner.name,
                reverse("workflow:report_review", kwargs={"pk": r.pk}),
                r.period_end,
            )
        )
    late = sum(1 for s in schedule.statuses(schedule.expecting(), today).values() if s.overdue)
    if late:
        items.append(Item(ItemKind.LATE_SUMMARY, "", "", reverse("workflow:late"), count=late))
    return items


def secretariat_users() -> list[Any]:
    candidates = (
        get_user_model()
        .objects.filter(
            Q(is_superuser=True) | Q(groups__name__in=[SECRETARIAT_REVIEWER, SECRETARIAT_ADMIN])
        )
        .distinct()
        .order_by("pk")
    )
    return [u for u in candidates if roles.is_secretariat(u)]


def digests(today: datetime.date) -> list[Digest]:
    """Who hears of what today: one digest per person, items grouped, nothing twice."""
    by_user: dict[int, Digest] = {}
    memberships = list(
        Membership.objects.filter(user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id", "partner__normalised_name")
    )
    per_partner = partner_items({m.partner_id for m in memberships}, today)
    for m in memberships:
        mine = per_partner.get(m.partner_id, [])
        if mine:
            by_user.setdefault(m.user_id, Digest(m.user)).items.extend(mine)
    review = secretariat_items(today)
    if review:
        for user in secretariat_users():
            if user.is_active and user.email:
                digest = by_user.setdefault(user.pk, Digest(user))
                digest.items.extend(i for i in review if i not in digest.items)
    return [by_user[k] for k in sorted(by_user)]


def site_url() -> str:
    configured = getattr(settings, "ADELANTE_SITE_URL", "") or os.environ.get(
        "ADELANTE_SITE_URL", "http://127.0.0.1:8000"
    )
    return str(configured).rstrip("/")


@dataclass(frozen=True)
class SendSummary:
    sent: int
    already: int
    items: int
    failed: int = 0

    def __str__(self) -> str:
        text = _(
            "%(sent)d digests sent (%(items)d items); %(already)d people had theirs today already."
        ) % {"sent": self.sent, "items": self.items, "already": self.already}
        if self.failed:
            text += " " + _("%(n)d could not be sent (tried again on the next run).") % {
                "n": self.failed
            }
        return text


def render(digest: Digest, today: datetime.date, base: str) -> tuple[str, str]:
    """Subject and body, in the active language."""
    subject = _("Adelante: %(n)d items need your attention (%(date)s)") % {
        "n": len(digest.items),
        "date": today.isoformat(),
    }
    body = render_to_string(
        "workflow/email/digest.txt",
        {"user": digest.user, "items": digest.items, "today": today, "base": base},
    )
    return subject, body


def send_digests(
    today: datetime.date,
    *,
    language: str | None = None,
    base_url: str | None = None,
    dry_run: bool = False,
) -> SendSummary:
    """Send today's digests that were not sent yet; record each one sent."""
    language = language or settings.LANGUAGE_CODE
    base = (base_url or site_url()).rstrip("/")
    sent = already = items = failed = 0
    connection = get_connection()
    # Links are reversed under the e-mail's language prefix (/en/…, /es/…).
    with translation.override(language):
        for digest in digests(today):
            if ReminderSend.objects.filter(user=digest.user, day=today).exists():
                already += 1
                continue
            subject, body = render(digest, today, base)
            if dry_run:
                sent += 1
                items += len(digest.items)
                continue
            try:
                with transaction.atomic():
                    ReminderSend.objects.create(
                        user=digest.user, day=today, items=len(digest.items)
                    )
                    send_mail(subject, body, None, [digest.user.email], connection=connection)
            except IntegrityError:  # another run sent it meanwhile
                already += 1
                continue
            except (OSError, smtplib.SMTPException):
                # Not recorded (rolled back): the next run tries again.
                failed += 1
                continue
            sent += 1
            items += len(digest.items)
    return SendSummary(sent, already, items, failed)
