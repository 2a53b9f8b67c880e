"""The daily digest: one e-mail per person listing everything due, late or waiting for them.

- A partner's members hear of their organisations' reports that are overdue or due soon
  (one line per commitment: how many reports are missing, a link to the first), and of
  reports and proposals returned to them.
- The secretariat hears of proposals and reports waiting for review, and how many
  commitments are late with a report.

`send_digests(today)` sends at most one digest per person and day: each send is recorded
(`ReminderSend`), so running it twice on the same day sends nothing more. People with nothing
to hear about, inactive accounts and accounts without an e-mail address get nothing. Each
digest is written in its reader's language, its links to the site's address (`SITE_URL`).

The late list (the secretariat's) asks `reachable` who can be reached at each organisation,
and `remind_now` sends an organisation's people their lines at once.
"""

from __future__ import annotations

import datetime
import logging
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
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from adelante import siteaddress
from adelante.accounts import languages, roles
from adelante.accounts.groups import SECRETARIAT_ADMIN, SECRETARIAT_REVIEWER
from adelante.accounts.models import JoinRequest
from adelante.errors import Conflict, NotAllowed
from adelante.partners.models import Membership, Partner
from adelante.progress.models import ProgressReport, ReportStatus
from adelante.workflow import schedule
from adelante.workflow.models import Proposal, ReminderSend, Stage

logger = logging.getLogger(__name__)


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
    """One line of a digest. Its link is the page `view` with `args`, reversed when the
    digest is written, in its reader's language (`path`)."""

    kind: str
    title: str
    partner: str
    view: str
    args: tuple[tuple[str, Any], ...] = ()
    period_end: datetime.date | None = None
    due_on: datetime.date | None = None
    #: Reports missing (a commitment's line) or commitments late (the secretariat's summary).
    count: int = 0

    @property
    def path(self) -> str:
        """The link's path, under the active language's prefix."""
        return reverse(self.view, kwargs=dict(self.args))


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
    count: int = 0,
) -> Item:
    """An item about one of a partner's commitments, linking to a page of the partner's
    (`view`, with the partner's slug and `args`)."""
    return Item(
        kind,
        _title(commitment),
        commitment.partner.name,
        view,
        tuple(sorted({"partner": commitment.partner.slug, **args}.items())),
        period_end,
        due_on,
        count,
    )


def _missing_item(commitment: Any, status: schedule.ReportingStatus) -> Item | None:
    """One line per commitment: overdue if any period is, with how many reports are missing
    and a link to the first (its report in progress, or a new one)."""
    missing = [*status.overdue, *status.due_soon]
    if not missing:
        return None
    missing.sort(key=lambda p: p.period.end)
    first = missing[0]
    kind = ItemKind.OVERDUE if status.overdue else ItemKind.DUE_SOON
    if first.report_id is not None:
        view, args = "workflow:report_edit", {"pk": first.report_id}
    else:
        view, args = "workflow:report_new", {"reference": commitment.reference}
    return _partner_item(
        kind, commitment, view, args, first.period.end, first.period.due_on, len(missing)
    )


def partner_items(partner_ids: Iterable[int], today: datetime.date) -> dict[int, list[Item]]:
    """Per partner: one line per commitment with reports overdue or due soon, and the reports
    and proposals returned to it."""
    ids = list(partner_ids)
    items: dict[int, list[Item]] = defaultdict(list)
    commitments = list(schedule.expecting(ids).select_related("partner"))
    statuses = schedule.statuses(commitments, today)
    for c in commitments:
        item = _missing_item(c, statuses[c.id])
        if item is not None:
            items[c.partner_id].append(item)
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
                "workflow:proposal_review",
                (("pk", p.pk),),
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
                "workflow:report_review",
                (("pk", r.pk),),
                r.period_end,
            )
        )
    late = sum(1 for s in schedule.statuses(schedule.expecting(), today).values() if s.overdue)
    if late:
        items.append(Item(ItemKind.LATE_SUMMARY, "", "", "workflow:late", count=late))
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


@dataclass(frozen=True)
class SendSummary:
    sent: int
    already: int
    items: int
    failed: int = 0

    def __str__(self) -> str:
        text = ngettext(
            "%(sent)d digest sent (%(items)d items);",
            "%(sent)d digests sent (%(items)d items);",
            self.sent,
        ) % {"sent": self.sent, "items": self.items}
        text += " " + ngettext(
            "%(already)d person had theirs today already.",
            "%(already)d people had theirs today already.",
            self.already,
        ) % {"already": self.already}
        if self.failed:
            text += " " + _("%(n)d could not be sent (tried again on the next run).") % {
                "n": self.failed
            }
        return text


def _date(day: datetime.date | None) -> str:
    return formats.date_format(day, "DATE_FORMAT") if day is not None else ""


def line(item: Item) -> str:
    """The item's sentence, in the active language."""
    values = {
        "title": item.title,
        "partner": item.partner,
        "end": _date(item.period_end),
        "due": _date(item.due_on),
        "n": item.count,
    }
    if item.kind == ItemKind.OVERDUE:
        return (
            ngettext(
                "OVERDUE: “%(title)s” (%(partner)s): %(n)d progress report missing, due on "
                "%(due)s (period ending %(end)s).",
                "OVERDUE: “%(title)s” (%(partner)s): %(n)d progress reports missing, the first due "
                "on %(due)s (period ending %(end)s).",
                item.count,
            )
            % values
        )
    if item.kind == ItemKind.DUE_SOON:
        return (
            ngettext(
                "Due soon: “%(title)s” (%(partner)s): %(n)d progress report, due on %(due)s "
                "(period ending %(end)s).",
                "Due soon: “%(title)s” (%(partner)s): %(n)d progress reports, the first due on "
                "%(due)s (period ending %(end)s).",
                item.count,
            )
            % values
        )
    if item.kind == ItemKind.REPORT_RETURNED:
        return (
            _(
                "Returned to you: progress report of “%(title)s” (%(partner)s) for the period "
                "ending %(end)s."
            )
            % values
        )
    if item.kind == ItemKind.PROPOSAL_RETURNED:
        return _("Returned to you: the proposed commitment “%(title)s” (%(partner)s).") % values
    if item.kind == ItemKind.REVIEW_PROPOSAL:
        return _("To review: the proposed commitment “%(title)s” (%(partner)s).") % values
    if item.kind == ItemKind.REVIEW_REPORT:
        return (
            _(
                "To review: progress report of “%(title)s” (%(partner)s) for the period ending "
                "%(end)s."
            )
            % values
        )
    return (
        ngettext(
            "%(n)d commitment is late with a report.",
            "%(n)d commitments are late with a report.",
            item.count,
        )
        % values
    )


def render(digest: Digest, today: datetime.date, base: str) -> tuple[str, str]:
    """Subject and body, in the active language (the reader's: `send_digests`)."""
    subject = ngettext(
        "Adelante: %(n)d item needs your attention (%(date)s)",
        "Adelante: %(n)d items need your attention (%(date)s)",
        len(digest.items),
    ) % {"n": len(digest.items), "date": _date(today)}
    body = render_to_string(
        "workflow/email/digest.txt",
        {
            "user": digest.user,
            "lines": [(line(i), base + i.path) for i in digest.items],
            "today": today,
        },
    )
    return subject, body


def send_digests(
    today: datetime.date,
    *,
    language: str | None = None,
    base_url: str | None = None,
    dry_run: bool = False,
) -> SendSummary:
    """Send today's digests that were not sent yet; record each one sent. Each is written in
    its reader's language (accounts.languages); `language` is for those who chose none."""
    fallback = language or settings.LANGUAGE_CODE
    base = (base_url or siteaddress.site_url()).rstrip("/")
    sent = already = items = failed = 0
    connection = get_connection()
    for digest in digests(today):
        if ReminderSend.objects.filter(user=digest.user, day=today).exists():
            already += 1
            continue
        # Words and links (/en/…, /es/…) in the reader's language.
        with languages.override_for(digest.user, fallback):
            subject, body = render(digest, today, base)
        if dry_run:
            sent += 1
            items += len(digest.items)
            continue
        try:
            with transaction.atomic():
                ReminderSend.objects.create(user=digest.user, day=today, items=len(digest.items))
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


# -- The late list: who can be reached, and a reminder now -------------------------------------


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    role: str


@dataclass(frozen=True)
class Reachable:
    """Who at an organisation hears of its late reports."""

    #: Its people who receive e-mail (active, with an address).
    members: tuple[Contact, ...]
    #: Whether anyone is a member at all (a member without an address still counts).
    has_members: bool
    #: Without a member: the contact given when it asked to join, if any.
    join_contact: Contact | None = None


def reachable(partner_ids: Iterable[int]) -> dict[int, Reachable]:
    """Per organisation: who can be reached about its reports."""
    ids = list(partner_ids)
    people: dict[int, list[Contact]] = defaultdict(list)
    anyone: set[int] = set()
    for m in (
        Membership.objects.filter(partner_id__in=ids)
        .select_related("user")
        .order_by("partner_id", "user__username")
    ):
        anyone.add(m.partner_id)
        if m.user.is_active and m.user.email:
            name = m.user.get_full_name() or m.user.get_username()
            people[m.partner_id].append(Contact(name, m.user.email, m.get_role_display()))
    joined: dict[int, Contact] = {}
    for request in JoinRequest.objects.filter(partner_id__in=ids).order_by("-created"):
        if request.partner_id is not None and request.partner_id not in joined:
            joined[request.partner_id] = Contact(
                request.contact_name, request.contact_email, _("contact when it joined")
            )
    return {
        i: Reachable(tuple(people.get(i, [])), i in anyone, None if i in anyone else joined.get(i))
        for i in ids
    }


class NobodyToRemind(Conflict):
    """A reminder now, refused: nobody at the organisation receives e-mail, or nothing is due."""


def remind_now(*, user: Any, partner: Partner, today: datetime.date) -> int:
    """Send the organisation's people, now, its lines of the digest (reports overdue or due
    soon, what was returned), each in their language: the late list's "send a reminder now".
    It does not count as their daily digest. The number of e-mails sent."""
    if not roles.is_secretariat(user):
        raise NotAllowed(_("Only the secretariat sends reminders."))
    mine = partner_items([partner.pk], today).get(partner.pk, [])
    if not mine:
        raise NobodyToRemind(
            _("%(partner)s has nothing due: no reminder sent.") % {"partner": partner.name}
        )
    people = [
        m.user
        for m in Membership.objects.filter(partner=partner, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id")
    ]
    if not people:
        raise NobodyToRemind(
            _("Nobody at %(partner)s receives e-mail: invite someone first.")
            % {"partner": partner.name}
        )
    base = siteaddress.site_url()
    connection = get_connection()
    sent = 0
    for person in people:
        with languages.override_for(person):
            subject, body = render(Digest(person, list(mine)), today, base)
        try:
            send_mail(subject, body, None, [person.email], connection=connection)
        except (OSError, smtplib.SMTPException):
            logger.exception("reminder to user %s not sent", person.pk)
            continue
        sent += 1
    logger.info("reminder sent now to %s (%d people) by user %s", partner.slug, sent, user.pk)
    return sent
