"""A partner's pages: its workspace (what is due), proposals and progress reports.

Who may: a member (or admin) of the organisation in the URL, and the secretariat
(`accounts.access.partner_member_required`); objects of another organisation are 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from adelante import web_errors
from adelante.accounts import roles
from adelante.accounts.access import partner_member_required, role_required
from adelante.accounts.concurrency import version_of
from adelante.commitments.models import Commitment
from adelante.errors import ErrorKind, ServiceError
from adelante.partners.models import Partner
from adelante.progress.models import ProgressReport
from adelante.workflow import disclosure, files, intake, queues, report_sheet, reporting, schedule
from adelante.workflow.forms import CatchUpForm, PeriodForm, ProposalForm, ReportForm, SheetForm
from adelante.workflow.models import Evidence, Proposal, Stage
from adelante.workflow.report_lines import lines_of
from adelante.workflow.views.common import actor, file_response, page, refused


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
            # The partner's side of the history: never the secretariat's internal notes.
            "events": disclosure.partner_log(proposal.commitment) if proposal else [],
            **(_correspondence(partner, proposal.commitment) if proposal else {}),
            "documents": disclosure.partner_documents(proposal.commitment) if proposal else [],
            "may_attach": proposal is not None and proposal.stage in intake.PARTNER_DOCUMENT_STAGES,
        },
        status=status,
    )


def _correspondence(
    partner: Partner, commitment: Commitment, report: ProgressReport | None = None
) -> dict[str, Any]:
    """The comment form under the history (workflow/_events.html)."""
    return {
        "comment_url": reverse(
            "workflow:partner_comment",
            kwargs={"partner": partner.slug, "reference": commitment.reference},
        ),
        "comment_report": report,
    }


def _try_submit(request: HttpRequest, form: ProposalForm, proposal: Proposal) -> bool:
    try:
        intake.submit(user=actor(request), proposal=proposal)
    except ServiceError as error:
        web_errors.on_form(form, error, form.ALIASES)
        if error.kind == ErrorKind.INVALID:
            form.add_error(None, _("Your draft is saved, but it cannot be submitted yet."))
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
        proposal = intake.create_proposal(
            user=actor(request), partner=partner, data=form.to_input()
        )
    except ServiceError as error:
        web_errors.on_form(form, error, form.ALIASES)
        return _proposal_page(request, partner, form, None, status=web_errors.form_status(error))
    if request.POST.get("action") == "submit" and not _try_submit(request, form, proposal):
        # The draft exists now: the form goes on from its page, with its version.
        form.set_version(version_of(Commitment.objects.get(pk=proposal.commitment_id)))
        return _proposal_page(request, partner, form, proposal, status=400)
    return _after_save(request, partner, proposal)


def _after_save(request: HttpRequest, partner: Partner, proposal: Proposal) -> HttpResponse:
    proposal.refresh_from_db()
    if proposal.stage == Stage.SUBMITTED:
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
            initial=ProposalForm.initial_for(commitment),
            version=version_of(commitment),
            initiative=commitment.initiative,
        )
        return _proposal_page(request, partner, form, proposal)
    form = ProposalForm(request.POST, initiative=commitment.initiative)
    if not form.is_valid():
        return _proposal_page(request, partner, form, proposal, status=400)
    try:
        intake.update_proposal(
            user=actor(request),
            proposal=proposal,
            data=form.to_input(),
            version=form.cleaned_data.get("version") or "",
        )
    except ServiceError as error:
        web_errors.on_form(form, error, form.ALIASES)
        return _proposal_page(
            request, partner, form, proposal, status=web_errors.form_status(error)
        )
    if request.POST.get("action") == "submit" and not _try_submit(request, form, proposal):
        form.set_version(version_of(Commitment.objects.get(pk=commitment.pk)))
        return _proposal_page(request, partner, form, proposal, status=400)
    return _after_save(request, partner, proposal)


@partner_member_required
@require_POST
def proposal_autosave(request: HttpRequest, partner: Partner, pk: int) -> HttpResponse:
    """A draft or returned proposal saved as it is typed (htmx, no page reload): a status
    line and the new version for the form (an out-of-band swap)."""
    proposal = get_object_or_404(
        Proposal.objects.select_related("commitment"), pk=pk, commitment__partner=partner
    )
    form = ProposalForm(request.POST, initiative=proposal.commitment.initiative)
    saved = False
    if form.is_valid():
        try:
            intake.update_proposal(
                user=actor(request),
                proposal=proposal,
                data=form.to_input(),
                version=form.cleaned_data.get("version") or "",
            )
        except ServiceError as error:
            web_errors.on_form(form, error, form.ALIASES)
        else:
            form.set_version(version_of(Commitment.objects.get(pk=proposal.commitment_id)))
            saved = True
    return page(
        request,
        "workflow/_autosave.html",
        {
            "saved": saved,
            "at": timezone.localtime(),
            "form": form,
            "fields": [form[name] for name in form.errors if name in form.fields],
            "conflict": form.conflict,
        },
    )


# -- Progress reports --------------------------------------------------------------------------


def _signed_in(user: Any) -> bool:
    return True


@role_required(_signed_in)
@require_http_methods(["GET", "HEAD", "POST"])
def report_new(request: HttpRequest, partner: str, reference: str) -> HttpResponse:
    """Choose the period to report for (ended periods without a report).

    Who may, and for which commitment, is the rules' to say (`reporting.check_may_report`,
    `check_reporting`): a refusal here reads as the API's.
    """
    organisation = get_object_or_404(Partner, slug=partner)
    commitment = get_object_or_404(Commitment, reference=reference, partner=organisation)
    if not roles.can_view_commitment(request.user, commitment):
        # Another organisation's proposal is not there, as for the API's submission.
        raise Http404
    try:
        reporting.check_may_report(user=actor(request), commitment=commitment)
    except ServiceError as error:
        return refused(request, error)
    today = timezone.localdate()
    found = schedule.status_of(commitment, today)
    periods = [p.period for p in found.periods if p.report_id is None]
    form = PeriodForm(request.POST or None, periods=periods)
    status = 200
    refusal = None
    try:
        reporting.check_reporting(commitment=commitment)
    except ServiceError as error:
        refusal = error
        status = web_errors.form_status(error) if request.method == "POST" else 200
    if refusal is None and request.method == "POST":
        status = 400
        if form.is_valid():
            period = schedule.period_ending(commitment, form.cleaned_data["period"])
            if period is None:
                form.add_error("period", _("Choose a period from the list."))
            else:
                try:
                    report = reporting.start_report(
                        user=actor(request),
                        commitment=commitment,
                        period_start=period.start,
                        period_end=period.end,
                        today=today,
                    )
                except ServiceError as error:
                    web_errors.on_form(form, error)
                    status = web_errors.form_status(error)
                else:
                    return redirect("workflow:report_edit", partner=organisation.slug, pk=report.pk)
    form.describe()
    upcoming = None
    if commitment.announced_on is not None and refusal is None:
        upcoming = schedule.next_period(commitment.announced_on, today, found.plan)
    return page(
        request,
        "workflow/report_new.html",
        {
            "title": _("Report progress"),
            "partner": organisation,
            "commitment": commitment,
            "form": form,
            "periods": periods if refusal is None else [],
            "upcoming": upcoming,
            "refusal": refusal,
        },
        status=status,
    )


def _report_page(
    request: HttpRequest,
    partner: Partner,
    report: ProgressReport,
    form: ReportForm,
    status: int = 200,
    kept: Evidence | None = None,
) -> HttpResponse:
    form.describe()
    values = reporting.stored_values(report)
    reviewing = request.GET.get("step") == "review" and report.status in reporting.EDITABLE
    return page(
        request,
        "workflow/report_review_step.html" if reviewing else "workflow/report_form.html",
        {
            "title": _("Check and submit") if reviewing else _("Progress report"),
            "partner": partner,
            "report": report,
            "form": form,
            "editable": report.status in reporting.EDITABLE,
            "evidence": list(report.evidence.all()),
            "kept": kept,
            "decreases": reporting.unconfirmed(report, values) if values else [],
            "summary": lines_of(report, values) if reviewing else [],
            "problems": _submission_problems(report, values) if reviewing else [],
            "events": disclosure.partner_log(report.commitment, report),
            **_correspondence(partner, report.commitment, report),
        },
        status=status,
    )


def _submission_problems(report: ProgressReport, values: list[reporting.ValueInput]) -> list[str]:
    """What would stop the submission, said on the review step before the partner presses."""
    problems = reporting.value_problems(report.commitment, values)
    found = [m for messages in problems.values() for m in messages]
    if not values:
        found.append(_("Give at least one value before submitting."))
    return found


def _report_of(partner: Partner, pk: int) -> ProgressReport:
    return get_object_or_404(
        ProgressReport.objects.select_related("commitment", "commitment__partner"),
        pk=pk,
        commitment__partner=partner,
    )


def _keep_upload(request: HttpRequest, form: ReportForm, report: ProgressReport) -> Evidence | None:
    """A chosen file is stored with the draft even when other fields are in error: nobody
    chooses it twice. Its own refusal (type, size) shows on its field."""
    upload = form.cleaned_data.get("evidence") if hasattr(form, "cleaned_data") else None
    if not upload or "evidence" in form.errors:
        return None
    try:
        return reporting.add_evidence(
            user=actor(request),
            report=report,
            upload=upload,
            description=form.cleaned_data.get("evidence_description", ""),
        )
    except ServiceError as error:
        web_errors.on_form(form, error, form.aliases())
        return None


def _save_values(request: HttpRequest, form: ReportForm, report: ProgressReport) -> int:
    """Save what the form read on the draft: 0, or the status of the refusal (its errors on
    the form)."""
    if not form.is_valid():
        return 400
    values = form.to_values()
    if form.errors:
        return 400
    try:
        reporting.save_report(
            user=actor(request),
            report=report,
            narrative=form.cleaned_data.get("narrative", ""),
            values=values,
            version=form.cleaned_data.get("version") or "",
        )
    except ServiceError as error:
        web_errors.on_form(form, error, form.aliases())
        return web_errors.form_status(error)
    # The values are saved: from here on, the form carries the new version.
    form.set_version(version_of(ProgressReport.objects.get(pk=report.pk)))
    return 0


@partner_member_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_edit(request: HttpRequest, partner: Partner, pk: int) -> HttpResponse:
    """The report's form. POST `save` keeps the draft whatever its state; `review` saves and
    shows the review step; `submit` (from the review step, or the form) hands it over."""
    report = _report_of(partner, pk)
    if request.method != "POST":
        form = ReportForm(
            initial=ReportForm.initial_for(report), report=report, version=version_of(report)
        )
        return _report_page(request, partner, report, form)
    action = request.POST.get("action")
    if action == "remove_evidence":
        return _remove_evidence(request, partner, report)
    if action == "confirm":
        return _submit(request, partner, report, None)
    form = ReportForm(request.POST, request.FILES, report=report)
    refused = _save_values(request, form, report)
    kept = _keep_upload(request, form, report)
    if refused or form.errors:
        if not refused:
            form.add_error(None, _("Your values were saved; the file was not."))
        return _report_page(request, partner, report, form, status=refused or 400, kept=kept)
    if action == "submit":
        return _submit(request, partner, report, form)
    if action == "review":
        return redirect(
            reverse("workflow:report_edit", kwargs={"partner": partner.slug, "pk": report.pk})
            + "?step=review"
        )
    messages.success(request, _("Report saved."))
    return redirect("workflow:report_edit", partner=partner.slug, pk=report.pk)


def _submit(
    request: HttpRequest, partner: Partner, report: ProgressReport, form: ReportForm | None
) -> HttpResponse:
    try:
        reporting.submit_report(user=actor(request), report=report)
    except ServiceError as error:
        form = form or ReportForm(
            initial=ReportForm.initial_for(report), report=report, version=version_of(report)
        )
        web_errors.on_form(form, error, form.aliases())
        if error.kind == ErrorKind.INVALID:
            form.add_error(None, _("Your report is saved, but it cannot be submitted yet."))
        return _report_page(request, partner, report, form, status=web_errors.form_status(error))
    messages.success(request, _("Report submitted to the secretariat."))
    return redirect("workflow:workspace", partner=partner.slug)


@partner_member_required
@require_POST
def report_autosave(request: HttpRequest, partner: Partner, pk: int) -> HttpResponse:
    """The draft saved as it is typed (htmx, no page reload): a status line and the new
    version for the form (an out-of-band swap). Files are kept by the form's own save."""
    report = _report_of(partner, pk)
    form = ReportForm(request.POST, report=report)
    saved = report.status in reporting.EDITABLE and not _save_values(request, form, report)
    response = page(
        request,
        "workflow/_autosave.html",
        {
            "saved": saved,
            "at": timezone.localtime(),
            "form": form,
            "fields": [form[name] for name in form.errors if name in form.fields],
            "conflict": form.conflict,
        },
    )
    return response


def _remove_evidence(
    request: HttpRequest, partner: Partner, report: ProgressReport
) -> HttpResponse:
    raw = request.POST.get("evidence", "")
    evidence = get_object_or_404(
        Evidence, pk=int(raw) if raw.isascii() and raw.isdigit() else 0, report=report
    )
    try:
        reporting.remove_evidence(user=actor(request), evidence=evidence)
    except ServiceError as error:
        web_errors.to_messages(request, error)
    else:
        messages.success(request, _("File removed."))
    return redirect(
        reverse("workflow:report_edit", kwargs={"partner": partner.slug, "pk": report.pk})
    )


@partner_member_required
@require_http_methods(["GET", "HEAD"])
def evidence_file(request: HttpRequest, partner: Partner, pk: int) -> HttpResponseBase:
    """The file, as an attachment; `?inline=1`: a PDF or image shown in the reviewer's page,
    sandboxed (common.file_response)."""
    evidence = get_object_or_404(Evidence, pk=pk, report__commitment__partner=partner)
    return file_response(evidence, inline=request.GET.get("inline") == "1")


@partner_member_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_sheet_upload(request: HttpRequest, partner: Partner) -> HttpResponse:
    """Many reports at once: a spreadsheet of values through the same rules as the form
    (`report_sheet`); GET `?template=1`: a workbook to fill, a row per due period."""
    today = timezone.localdate()
    if request.method != "POST" and request.GET.get("template") == "1":
        response = HttpResponse(
            report_sheet.template(partner, today),
            content_type=files.XLSX.content_type,
        )
        response["Content-Disposition"] = f'attachment; filename="{partner.slug}-values.xlsx"'
        response["Cache-Control"] = "private, no-store"
        return response
    form = SheetForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                rows = report_sheet.read_file(form.cleaned_data["file"])
                done = report_sheet.apply(
                    user=actor(request),
                    partner=partner,
                    rows=rows,
                    submit=form.cleaned_data["submit"],
                    today=today,
                )
            except ServiceError as error:
                web_errors.on_form(form, error, {"period": "file"})
                status = web_errors.form_status(error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(n)d report saved from the spreadsheet.",
                        "%(n)d reports saved from the spreadsheet.",
                        len(done),
                    )
                    % {"n": len(done)},
                )
                return redirect("workflow:workspace", partner=partner.slug)
    form.describe()
    return page(
        request,
        "workflow/report_sheet.html",
        {"title": _("Report from a spreadsheet"), "partner": partner, "form": form},
        status=status,
    )


@partner_member_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_catch_up(request: HttpRequest, partner: Partner, reference: str) -> HttpResponse:
    """Every ended period of a commitment still without a report, in one screen: a total per
    target metric and period, saved (or submitted) through the spreadsheet's service."""
    commitment = get_object_or_404(Commitment, reference=reference, partner=partner)
    today = timezone.localdate()
    found = schedule.status_of(commitment, today)
    periods = [p.period for p in found.periods if p.report_id is None]
    metrics = reporting.totals_to_report(commitment)
    form = CatchUpForm(request.POST or None, periods=periods, metrics=metrics)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            rows = [
                report_sheet.SheetRow(0, commitment.reference, end, code, None, value)
                for end, code, value in form.values()
            ]
            try:
                done = report_sheet.apply(
                    user=actor(request),
                    partner=partner,
                    rows=rows,
                    submit=form.cleaned_data["submit"],
                    today=today,
                )
            except ServiceError as error:
                web_errors.on_form(form, error, {"file": "__all__", "period": "__all__"})
                status = web_errors.form_status(error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(n)d report saved.",
                        "%(n)d reports saved.",
                        len(done),
                    )
                    % {"n": len(done)},
                )
                return redirect("workflow:workspace", partner=partner.slug)
    form.describe()
    return page(
        request,
        "workflow/report_catch_up.html",
        {
            "title": _("Catch up on missing periods"),
            "partner": partner,
            "commitment": commitment,
            "form": form,
        },
        status=status,
    )
