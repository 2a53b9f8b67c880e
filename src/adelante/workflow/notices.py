"""E-mails that tell a partner's people what the secretariat decided, and let them answer.

Sent when a proposal is accepted, declined or returned, when a report is returned or
verified, and when the secretariat writes a shared comment: to every active member of the
organisation with an e-mail address, each in their own language (accounts.languages), with
the reason written for them and a direct link to the page (the site's address, `SITE_URL`),
where they can read the history and answer in the comment thread. A partner's answer goes to
the reviewer it answers, the same way.

The services queue these after their transaction commits (`transaction.on_commit`): a step
rolled back tells nobody. A failed send is logged and does not undo the decision.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from typing import Any

from django.core.mail import get_connection, send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from adelante import siteaddress
from adelante.accounts import languages
from adelante.commitments.models import Commitment
from adelante.partners.models import Membership
from adelante.progress.models import ProgressReport
from adelante.workflow.models import Action, Comment, Proposal, ReviewEvent, Stage

logger = logging.getLogger(__name__)

#: Composes one e-mail in the active language: (subject, lines of the body, page path).
Compose = Callable[[], tuple[str, list[str], str]]


def recipients(commitment: Commitment) -> list[Any]:
    """The organisation's people who can be written to: active, with an e-mail address."""
    memberships = (
        Membership.objects.filter(partner_id=commitment.partner_id, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id")
    )
    return [m.user for m in memberships]


def _title(commitment: Commitment) -> str:
    return str(commitment.title or commitment.reference)


def send(commitment: Commitment, compose: Compose, to: list[Any] | None = None) -> int:
    """One e-mail to each of the organisation's people (or `to`), in their language; the
    number sent."""
    sent = 0
    connection = get_connection()
    for user in recipients(commitment) if to is None else to:
        with languages.override_for(user):
            try:
                subject, lines, path = compose()
                link = siteaddress.absolute(path)
            except siteaddress.SiteUrlMissing as error:
                logger.error("notice not sent: %s", error)
                return sent
            body = render_to_string(
                "workflow/email/notice.txt",
                {"user": user, "lines": lines, "link": link},
            )
            try:
                send_mail(subject, body, None, [user.email], connection=connection)
            except (OSError, smtplib.SMTPException):
                logger.exception("notice to user %s not sent", user.pk)
                continue
        sent += 1
    return sent


def _proposal_path(proposal: Proposal) -> str:
    return reverse(
        "workflow:proposal_edit",
        kwargs={"partner": proposal.commitment.partner.slug, "pk": proposal.pk},
    )


def _report_path(report: ProgressReport) -> str:
    return reverse(
        "workflow:report_edit",
        kwargs={"partner": report.commitment.partner.slug, "pk": report.pk},
    )


def proposal_decided(proposal: Proposal) -> int:
    """Accepted, declined or returned: the outcome, the reason given, the link."""
    commitment = proposal.commitment

    def compose() -> tuple[str, list[str], str]:
        title = _title(commitment)
        if proposal.stage == Stage.ACCEPTED:
            subject = _("Adelante: “%(title)s” is accepted") % {"title": title}
            lines = [
                _(
                    "The secretariat accepted your proposed commitment “%(title)s”: it is "
                    "announced in %(round)s and now shows on the public portal."
                )
                % {"title": title, "round": commitment.round.label if commitment.round else ""},
                _("Its progress reports are due from now on: your workspace lists them."),
            ]
        elif proposal.stage == Stage.DECLINED:
            subject = _("Adelante: “%(title)s” is declined") % {"title": title}
            lines = [
                _("The secretariat declined your proposed commitment “%(title)s”.")
                % {"title": title},
                _("The reason: %(reason)s") % {"reason": proposal.reason},
            ]
        else:
            subject = _("Adelante: “%(title)s” is returned to you") % {"title": title}
            lines = [
                _(
                    "The secretariat returned your proposed commitment “%(title)s” to you: "
                    "change it and submit it again."
                )
                % {"title": title},
                _("The reason: %(reason)s") % {"reason": proposal.reason},
            ]
        lines.append(_("Read it, and answer the secretariat if you wish, here:"))
        return subject, lines, _proposal_path(proposal)

    return send(commitment, compose)


def report_decided(report: ProgressReport) -> int:
    """Returned (with the reason) or verified (with how): the link to the report."""
    from adelante.progress.models import ReportStatus

    commitment = report.commitment

    def compose() -> tuple[str, list[str], str]:
        title = _title(commitment)
        end = formats.date_format(report.period_end, "DATE_FORMAT")
        if report.status == ReportStatus.VERIFIED:
            subject = _("Adelante: your progress report of “%(title)s” is verified") % {
                "title": title
            }
            lines = [
                _(
                    "The secretariat verified your progress report of “%(title)s” for the "
                    "period ending %(end)s (%(level)s): its values now count in the figures."
                )
                % {"title": title, "end": end, "level": report.get_verification_level_display()},
            ]
        else:
            subject = _("Adelante: your progress report of “%(title)s” is returned") % {
                "title": title
            }
            lines = [
                _(
                    "The secretariat returned your progress report of “%(title)s” for the "
                    "period ending %(end)s: correct it and submit it again."
                )
                % {"title": title, "end": end},
                _("The reason: %(reason)s") % {"reason": report.return_reason},
            ]
        lines.append(_("Read it, and answer the secretariat if you wish, here:"))
        return subject, lines, _report_path(report)

    return send(commitment, compose)


def comment_to_partner(comment: Comment) -> int:
    """A shared comment of the secretariat: its text and the link to the thread."""
    if comment.internal:
        return 0
    commitment = comment.commitment

    def compose() -> tuple[str, list[str], str]:
        title = _title(commitment)
        subject = _("Adelante: a message from the secretariat about “%(title)s”") % {"title": title}
        lines = [
            _("The secretariat wrote about “%(title)s”:") % {"title": title},
            comment.text,
            _("Answer it here:"),
        ]
        if comment.report is not None:
            return subject, lines, _report_path(comment.report)
        proposal = Proposal.objects.filter(commitment=commitment).first()
        if proposal is None:
            path = reverse("workflow:workspace", kwargs={"partner": commitment.partner.slug})
        else:
            path = _proposal_path(proposal)
        return subject, lines, path

    return send(commitment, compose)


def _reviewer_of(comment: Comment) -> Any:
    """Who in the secretariat the partner answers: the proposal's reviewer, or whoever last
    returned, verified or corrected the report."""
    if comment.report is None:
        proposal = Proposal.objects.filter(commitment=comment.commitment).first()
        return proposal.reviewer if proposal is not None else None
    last = (
        ReviewEvent.objects.filter(
            report=comment.report,
            action__in=(Action.REPORT_RETURNED, Action.REPORT_VERIFIED, Action.VALUE_CORRECTED),
        )
        .select_related("user")
        .order_by("-at", "-id")
        .first()
    )
    return last.user if last is not None else None


def comment_to_reviewer(comment: Comment) -> int:
    """A partner's comment: to the reviewer it answers (if any), with the link to the review
    page; otherwise it waits in the history."""
    reviewer = _reviewer_of(comment)
    if reviewer is None or not reviewer.is_active or not reviewer.email:
        return 0
    commitment = comment.commitment

    def compose() -> tuple[str, list[str], str]:
        title = _title(commitment)
        subject = _("Adelante: %(partner)s answered about “%(title)s”") % {
            "partner": commitment.partner.name,
            "title": title,
        }
        lines = [
            _("%(partner)s wrote about “%(title)s”:")
            % {"partner": commitment.partner.name, "title": title},
            comment.text,
            _("Answer it here:"),
        ]
        if comment.report is not None:
            return subject, lines, reverse("workflow:report_review", args=[comment.report.pk])
        proposal = Proposal.objects.get(commitment=commitment)
        return subject, lines, reverse("workflow:proposal_review", args=[proposal.pk])

    return send(commitment, compose, to=[reviewer])
