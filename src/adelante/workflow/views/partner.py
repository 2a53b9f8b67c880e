"""A partner's pages: its workspace (what is due), proposals and progress reports.

Who may: a member (or admin) of the organisation in the URL, and the secretariat
(`accounts.access.partner_member_required`); objects of another organisation are 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from adelante.accounts import roles
from adelante.accounts.access import partner_member_required, role_required
from adelante.accounts.concurrency import ConcurrentEdit, version_of
from adelante.commitments.choices import Status
from adelante.commitments.models import Commitment
from adelante.partners.models import Partner
from adelante.progress.models import ProgressReport
from adelante.workflow import files, intake, queues, reporting, schedule
from adelante.workflow.forms import PeriodForm, ProposalForm, ReportForm
from adelante.workflow.models import Evidence, Proposal
from adelante.workflow.views.common import file_response, page


def _has_workspace(user: Any) -> bool:
    return roles.is_secretariat(user) or roles.partners_of(user).exists()


@role_required(_has_workspace)
@require_http_methods(["GET", "HEAD"])
def home(request: HttpRequest) -> HttpResponseBase:
    """The organisations the person works for; with one, straight to its workspace."""
    partners: QuerySet[Partner] = roles.partners_of(request.user).order_by("normalised_name")
    if len(partners) == 1 and not roles.is_secretariat(request.user):
        return redirect("workflow:workspace", partner=partners[0].slug)
    return page(
        request,
        "workflow/partner_home.html",
        {"title": _("Your organisations"), "partners": partners},
    )


@partner_member_required
@require_http_methods(["GET", "HEAD"])
def workspace(request: HttpRequest, partner: Partner) -> HttpResponse:
    today = timezone.localdate()
    found = queues.workspace(partner, today)
    return page(
        request,
        "workflow/workspace.html",
        {"title": partner.name, "partner": partner, "ws": found, "today": today},
    )


# -- Proposals ---------------------------------------------------------------------------------


def _proposal_page(
    request: HttpRequest,
    partner: Partner,
    form: ProposalForm,
    proposal: Proposal | None,
    status: int = 200,
) -> HttpResponse:
    form.describe()
    editable = proposal is None or proposal.stage in intake.EDITABLE_BY_PARTNER
    title = (
        _("Propose a commitment")
        if proposal is None
        else proposal.commitment.title or _("Proposed commitment")
    )
    return page(
        request,
        "workflow/proposal_form.html",
        {
            "title": title,
            "partner": partner,
            "form": form,
            "proposal": proposal,
            "editable": editable,
            "events": proposal.commitment.review_events.select_related("user") if proposal else [],
        },
        status=status,
    )


def _try_submit(request: HttpRequest, form: ProposalForm, proposal: Proposal) -> bool:
    try:
        intake.submit(request.user, proposal)
    except intake.Invalid as exc:
        form.add_rule_errors(exc.errors, form.ALIASES)
        form.add_error(None, _("Your draft is saved, but it cannot be submitted yet."))
        return False
    except intake.IntakeError as exc:
        form.add_error(None, str(exc))
        return False
    return True


@partner_member_required
@require_http_methods(["GET", "HEAD", "POST"])
def proposal_new(request: HttpRequest, partner: Partner) -> HttpResponse:
    if request.method != "POST":
        return _proposal_page(request, partner, ProposalForm(), None)
    form = ProposalForm(request.POST)
    if not form.is_valid():
        return _proposal_page(request, partner, form, None, status=400)
    try:
        proposal = intake.create_proposal(request.user, partner, form.to_input())
    except intake.Invalid as exc:
        form.add_rule_errors(exc.errors, form.ALIASES)
        return _proposal_page(request, partner, form, None, status=400)
    if request.POST.get("action") == "submit" and not _try_submit(request, form, proposal):
        # The draft exists now: the form goes on from its page, with its version.
        form.set_version(version_of(Commitment.objects.get(pk=proposal.commitment_id)))
        return _proposal_page(request, partner, form, proposal, status=400)
    return _after_save(request, partner, proposal)


def _after_save(request: HttpRequest, partner: Partner, proposal: Proposal) -> HttpResponse:
    proposal.refresh_from_db()
    if proposal.stage == intake.Stage.SUBMITTED:
        messages.success(request, _("Proposal submitted to the secretariat."))
        return redirect("workflow:workspace", partner=partner.slug)
    messages.success(request, _("Draft saved."))
    return redirect("workflow:proposal_edit", partner=partner.slug, pk=proposal.pk)


@partner_member_required
@require_http_methods(["GET", "HEAD", "POST"])
def proposal_edit(request: HttpRequest, partner: Partner, pk: int) -> HttpResponse:
    proposal = get_object_or_404(
        Proposal.objects.select_related("commitment", "commitment__partner"),
        pk=pk,
        commitment__partner=partner,
    )
    commitment = proposal.commitment
    if not roles.can_view_commitment(request.user, commitment):
        raise PermissionDenied
    if request.method != "POST":
        form = ProposalForm(
            initial=ProposalForm.initial_for(commitment), version=version_of(commitment)
        )
        return _proposal_page(request, partner, form, proposal)
    form = ProposalForm(request.POST)
    if proposal.stage not in intake.EDITABLE_BY_PARTNER or not roles.can_edit_commitment(
        request.user, commitment
    ):
        form.is_valid()
        form.add_error(None, _("This proposal is with the secretariat and cannot be changed."))
        return _proposal_page(request, partner, form, proposal, status=400)
    if not form.is_valid():
        return _proposal_page(request, partner, form, proposal, status=400)
    try:
        intake.update_proposal(
            request.user, proposal, form.to_input(), version=form.cleaned_data.get("version") or ""
        )
    except ConcurrentEdit as exc:
        form.refuse(exc.conflict)
        return _proposal_page(request, partner, form, proposal, status=409)
    except intake.Invalid as exc:
        form.add_rule_errors(exc.errors, form.ALIASES)
        return _proposal_page(request, partner, form, proposal, status=400)
    except intake.IntakeError as exc:
        form.add_error(None, str(exc))
        return _proposal_page(request, partner, form, proposal, status=400)
    if request.POST.get("action") == "submit" and not _try_submit(request, form, proposal):
        form.set_version(version_of(Commitment.objects.get(pk=commitment.pk)))
        return _proposal_page(request, partner, form, proposal, status=400)
    return _after_save(request, partner, proposal)


# -- Progress reports --------------------------------------------------------------------------


@partner_member_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_new(request: HttpRequest, partner: Partner, reference: str) -> HttpResponse:
    """Choose the period to report for (ended periods without a report)."""
    commitment = get_object_or_404(
        Commitment,
        reference=reference,
        partner=partner,
        status__in=(Status.ANNOUNCED, Status.IN_PROGRESS),
    )
    today = timezone.localdate()
    found = schedule.status_of(commitment, today)
    periods = [p.period for p in found.periods if p.report_id is None]
    form = PeriodForm(request.POST or None, periods=periods)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            period = form.periods[form.cleaned_data["period"]]
            try:
                report = reporting.start_report(
                    request.user, commitment, period.start, period.end, today
                )
            except reporting.ReportError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("workflow:report_edit", partner=partner.slug, pk=report.pk)
    form.describe()
    upcoming = None
    if commitment.announced_on is not None:
        upcoming = schedule.next_period(commitment.announced_on, today, found.plan)
    return page(
        request,
        "workflow/report_new.html",
        {
            "title": _("Report progress"),
            "partner": partner,
            "commitment": commitment,
            "form": form,
            "periods": periods,
            "upcoming": upcoming,
        },
        status=status,
    )


def _report_page(
    request: HttpRequest,
    partner: Partner,
    report: ProgressReport,
    form: ReportForm,
    status: int = 200,
) -> HttpResponse:
    form.describe()
    values = reporting.stored_values(report)
    return page(
        request,
        "workflow/report_form.html",
        {
            "title": _("Progress report"),
            "partner": partner,
            "report": report,
            "form": form,
            "editable": report.status in reporting.EDITABLE,
            "evidence": list(report.evidence.all()),
            "decreases": reporting.unconfirmed(report, values) if values else [],
            "events": report.review_events.select_related("user"),
        },
        status=status,
    )


def _report_of(partner: Partner, pk: int) -> ProgressReport:
    return get_object_or_404(
        ProgressReport.objects.select_related("commitment", "commitment__partner"),
        pk=pk,
        commitment__partner=partner,
    )


@partner_member_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_edit(request: HttpRequest, partner: Partner, pk: int) -> HttpResponse:
    report = _report_of(partner, pk)
    if request.method != "POST":
        form = ReportForm(
            initial=ReportForm.initial_for(report), report=report, version=version_of(report)
        )
        return _report_page(request, partner, report, form)
    if request.POST.get("action") == "remove_evidence":
        return _remove_evidence(request, partner, report)
    form = ReportForm(request.POST, request.FILES, report=report)
    if report.status not in reporting.EDITABLE:
        form.is_valid()
        form.add_error(None, _("This report is with the secretariat and cannot be changed."))
        return _report_page(request, partner, report, form, status=400)
    if not form.is_valid():
        return _report_page(request, partner, report, form, status=400)
    values = form.to_values()
    if form.errors:
        return _report_page(request, partner, report, form, status=400)
    try:
        reporting.save_report(
            request.user,
            report,
            form.cleaned_data.get("narrative", ""),
            values,
            version=form.cleaned_data.get("version") or "",
        )
    except ConcurrentEdit as exc:
        form.refuse(exc.conflict)
        return _report_page(request, partner, report, form, status=409)
    except reporting.Invalid as exc:
        form.add_report_errors(exc.errors)
        return _report_page(request, partner, report, form, status=400)
    except reporting.ReportError as exc:
        form.add_error(None, str(exc))
        return _report_page(request, partner, report, form, status=400)
    # The values are saved: from here on, the form carries the new version.
    form.set_version(version_of(ProgressReport.objects.get(pk=report.pk)))
    upload = form.cleaned_data.get("evidence")
    if upload:
        try:
            reporting.add_evidence(
                request.user, report, upload, form.cleaned_data.get("evidence_description", "")
            )
        except (files.FileRefused, reporting.ReportError) as exc:
            form.add_error("evidence", str(exc))
            form.add_error(None, _("Your values were saved; the file was not."))
            return _report_page(request, partner, report, form, status=400)
    if request.POST.get("action") == "submit":
        try:
            reporting.submit_report(request.user, report)
        except reporting.Invalid as exc:
            form.add_report_errors(exc.errors)
            form.add_error(None, _("Your report is saved, but it cannot be submitted yet."))
            return _report_page(request, partner, report, form, status=400)
        except reporting.ReportError as exc:
            form.add_error(None, str(exc))
            return _report_page(request, partner, report, form, status=400)
        messages.success(request, _("Report submitted to the secretariat."))
        return redirect("workflow:workspace", partner=partner.slug)
    messages.success(request, _("Report saved."))
    return redirect("workflow:report_edit", partner=partner.slug, pk=report.pk)


def _remove_evidence(
    request: HttpRequest, partner: Partner, report: ProgressReport
) -> HttpResponse:
    raw = request.POST.get("evidence", "")
    evidence = get_object_or_404(
        Evidence, pk=int(raw) if raw.isascii() and raw.isdigit() else 0, report=report
    )
    try:
        reporting.remove_evidence(request.user, evidence)
    except reporting.ReportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("File removed."))
    return redirect(
        reverse("workflow:report_edit", kwargs={"partner": partner.slug, "pk": report.pk})
    )


@partner_member_required
@require_http_methods(["GET", "HEAD"])
def evidence_file(request: HttpRequest, partner: Partner, pk: int) -> HttpResponseBase:
    evidence = get_object_or_404(Evidence, pk=pk, report__commitment__partner=partner)
    return file_response(evidence)
