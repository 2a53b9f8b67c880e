"""The secretariat's pages: the work queue, late reports, reviewing proposals (checklist,
documents, sanctions screening, decision) and reports (verify, return, correct).

Who may: secretariat reviewers and admins (`accounts.access.secretariat_required`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from adelante import web_errors
from adelante.accounts.access import secretariat_required
from adelante.commitments.models import Commitment
from adelante.errors import ErrorKind, ServiceError
from adelante.partners.models import Partner
from adelante.progress.models import ProgressReport, ReportStatus
from adelante.workflow import (
    disclosure,
    intake,
    lifecycle,
    queues,
    reminders,
    reporting,
    sanctions,
    schedule,
)
from adelante.workflow.forms import (
    AcceptForm,
    ChecklistForm,
    CorrectionForm,
    DocumentForm,
    HitForm,
    QueueFilter,
    ReasonForm,
    StatusForm,
    VerifyForm,
    WorkflowForm,
)
from adelante.workflow.models import (
    DueDiligenceDocument,
    Proposal,
    SanctionsList,
    ScreeningHit,
    Stage,
)
from adelante.workflow.report_lines import lines_of
from adelante.workflow.views.common import PREVIEWED, actor, file_response, page

GET = ["GET", "HEAD"]


@secretariat_required
@require_http_methods(GET)
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilter(request.GET or None)
    kind = partner = ""
    since = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            kind = form.cleaned_data["kind"]
            partner = form.cleaned_data["partner"]
            since = form.cleaned_data["since"]
        else:
            status = 400
    items = queues.review_queue(kind, partner, since)
    return page(
        request,
        "workflow/queue.html",
        {"title": _("Work queue"), "form": form, "items": items},
        status=status,
    )


@secretariat_required
@require_http_methods(GET)
def late(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    commitments = list(schedule.expecting().select_related("partner"))
    statuses = schedule.statuses(commitments, today)
    rows = sorted(
        ((c, statuses[c.id]) for c in commitments if statuses[c.id].overdue),
        key=lambda row: (row[1].overdue[0].period.due_on, row[0].reference),
    )
    contacts = reminders.reachable({c.partner_id for c, _s in rows})
    return page(
        request,
        "workflow/late.html",
        {
            "title": _("Late reports"),
            "rows": [(c, s, contacts[c.partner_id]) for c, s in rows],
            "today": today,
        },
    )


@secretariat_required
@require_POST
def remind(request: HttpRequest, partner: str) -> HttpResponse:
    """Send an organisation's people their reminder now (reminders.remind_now)."""
    organisation = get_object_or_404(Partner, slug=partner)
    try:
        sent = reminders.remind_now(
            user=actor(request), partner=organisation, today=timezone.localdate()
        )
    except ServiceError as error:
        web_errors.to_messages(request, error)
    else:
        messages.success(
            request,
            ngettext(
                "Reminder sent to %(n)d person at %(partner)s.",
                "Reminder sent to %(n)d people at %(partner)s.",
                sent,
            )
            % {"n": sent, "partner": organisation.name},
        )
    return redirect("workflow:late")


def _correspondence(commitment: Commitment, report: ProgressReport | None = None) -> dict[str, Any]:
    """The comment form under the history (workflow/_events.html): internal by default."""
    return {
        "comment_url": reverse("workflow:comment", kwargs={"reference": commitment.reference}),
        "comment_report": report,
        "comment_internal_allowed": True,
    }


# -- Proposals ---------------------------------------------------------------------------------


def _proposal(pk: int) -> Proposal:
    return get_object_or_404(
        Proposal.objects.select_related("commitment", "commitment__partner", "reviewer"), pk=pk
    )


def _review_page(
    request: HttpRequest, proposal: Proposal, status: int = 200, **forms: WorkflowForm
) -> HttpResponse:
    commitment = proposal.commitment
    run = intake.latest_screening(proposal)
    hits = list(run.hits.all()) if run else []
    hit_forms = {
        h.pk: forms.get(f"hit_{h.pk}")
        or HitForm(prefix=f"hit{h.pk}", initial={"decision": h.decision, "reason": ""})
        for h in hits
    }
    context_forms: dict[str, WorkflowForm] = {
        "checklist_form": forms.get("checklist_form")
        or ChecklistForm(rows=intake.checklist(proposal)),
        "document_form": forms.get("document_form") or DocumentForm(),
        "return_form": forms.get("return_form") or ReasonForm(prefix="return"),
        "decline_form": forms.get("decline_form") or ReasonForm(prefix="decline"),
        "accept_form": forms.get("accept_form") or AcceptForm(prefix="accept"),
    }
    for form in [*context_forms.values(), *hit_forms.values()]:
        form.describe()
    return page(
        request,
        "workflow/proposal_review.html",
        {
            "title": commitment.title or commitment.reference,
            "proposal": proposal,
            "c": commitment,
            "data": intake.stored_input(commitment),
            "countries": list(commitment.countries.all()),
            "targets": list(commitment.targets.select_related("metric")),
            "sources": list(commitment.sources.all()),
            "focus_areas": list(commitment.focus_areas.all()),
            "documents": list(commitment.due_diligence_documents.select_related("question")),
            "run": run,
            "hits": [(h, hit_forms[h.pk]) for h in hits],
            "lists": list(SanctionsList.objects.all()),
            "blockers": intake.acceptance_blockers(proposal),
            "events": disclosure.reviewer_log(commitment),
            **_correspondence(commitment),
            "in_review": proposal.stage == Stage.UNDER_REVIEW,
            "reviewable": proposal.stage in intake.REVIEWABLE,
            "threshold": sanctions.THRESHOLD,
            **context_forms,
        },
        status=status,
    )


@secretariat_required
@require_http_methods([*GET, "POST"])
def proposal_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposal, its checklist, documents and screening; POST: take it for review,
    return it, decline it or accept it into a round."""
    proposal = _proposal(pk)
    if request.method != "POST":
        return _review_page(request, proposal)
    action = request.POST.get("action", "")
    user = actor(request)
    form: WorkflowForm | None = None
    try:
        if action == "pick_up":
            intake.pick_up(reviewer=user, proposal=proposal)
            messages.success(request, _("The review has started."))
        elif action in ("return", "decline"):
            form = ReasonForm(request.POST, prefix=action)
            if not form.is_valid():
                return _review_page(request, proposal, 400, **{f"{action}_form": form})
            if action == "return":
                intake.return_to_partner(
                    reviewer=user, proposal=proposal, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("Returned to the partner."))
            else:
                intake.decline(reviewer=user, proposal=proposal, reason=form.cleaned_data["reason"])
                messages.success(request, _("Proposal declined."))
        elif action == "accept":
            form = AcceptForm(request.POST, prefix="accept")
            if not form.is_valid():
                return _review_page(request, proposal, 400, accept_form=form)
            data = form.cleaned_data
            with transaction.atomic():
                into = data["round"] or intake.open_round(
                    reviewer=user,
                    label=data["new_round_label"],
                    announced_on=data["new_round_on"] or timezone.localdate(),
                )
                intake.accept(
                    reviewer=user,
                    proposal=proposal,
                    into=into,
                    reason=data["note"],
                    past_confirmed=data["confirm_past"],
                )
            messages.success(request, _("Accepted: the commitment is announced in the round."))
        else:
            messages.error(request, _("Choose an action."))
            return _review_page(request, proposal, 400)
    except ServiceError as error:
        return _refused_review(request, proposal, error, form, f"{action}_form")
    return redirect("workflow:proposal_review", pk=proposal.pk)


def _refused_review(
    request: HttpRequest,
    proposal: Proposal,
    error: ServiceError,
    form: WorkflowForm | None,
    name: str,
) -> HttpResponse:
    """Invalid input is shown on its form (400); a step the proposal's stage does not allow,
    as a message (409)."""
    if error.kind == ErrorKind.INVALID and form is not None:
        web_errors.on_form(form, error)
        return _review_page(request, proposal, 400, **{name: form})
    web_errors.to_messages(request, error)
    return _review_page(request, proposal, web_errors.status(error))


def _back_to(proposal: Proposal, section: str) -> HttpResponse:
    """The review page at the section just saved (htmx swaps in that section alone)."""
    return redirect(reverse("workflow:proposal_review", kwargs={"pk": proposal.pk}) + f"#{section}")


@secretariat_required
@require_POST
def proposal_checklist(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    form = ChecklistForm(request.POST, rows=intake.checklist(proposal))
    if not form.is_valid():
        return _review_page(request, proposal, 400, checklist_form=form)
    answers = []
    for row in form.questions():
        question = row["question"]
        answer = form.cleaned_data.get(f"q{question.id}_answer") or ""
        if answer:
            note = form.cleaned_data.get(f"q{question.id}_note") or ""
            answers.append(intake.ChecklistAnswer(question, answer, note))
    try:
        # All the answers, or none (intake.answer_checklist).
        changed = intake.answer_checklist(
            reviewer=actor(request), proposal=proposal, answers=answers
        )
    except ServiceError as error:
        # Each question's error shows beside its note, and names the question.
        aliases = {
            f"q{row['question'].id}": f"q{row['question'].id}_note" for row in form.questions()
        }
        web_errors.on_form(form, error, aliases)
        status = 400 if error.kind == ErrorKind.INVALID else web_errors.status(error)
        return _review_page(request, proposal, status, checklist_form=form)
    messages.success(request, _("Checklist saved (%(n)d answers changed).") % {"n": changed})
    return _back_to(proposal, "checklist")


@secretariat_required
@require_POST
def proposal_document(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _review_page(request, proposal, 400, document_form=form)
    try:
        intake.add_document(
            reviewer=actor(request),
            proposal=proposal,
            upload=form.cleaned_data["file"],
            question=form.cleaned_data["question"],
        )
    except ServiceError as error:
        web_errors.on_form(form, error)
        return _review_page(request, proposal, 400, document_form=form)
    messages.success(request, _("Document added."))
    return _back_to(proposal, "checklist")


@secretariat_required
@require_POST
def proposal_screen(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    try:
        run = sanctions.screen(reviewer=actor(request), proposal=proposal)
    except ServiceError as error:
        web_errors.to_messages(request, error)
        return _review_page(request, proposal, web_errors.status(error))
    count = run.hits.count()
    messages.success(
        request,
        _("Screened: %(n)d hits to decide.") % {"n": count} if count else _("Screened: no hits."),
    )
    return redirect("workflow:proposal_review", pk=proposal.pk)


@secretariat_required
@require_POST
def hit_decide(request: HttpRequest, pk: int) -> HttpResponse:
    hit = get_object_or_404(ScreeningHit.objects.select_related("run"), pk=pk)
    proposal = get_object_or_404(Proposal, commitment_id=hit.run.commitment_id)
    form = HitForm(request.POST, prefix=f"hit{hit.pk}")
    if not form.is_valid():
        return _review_page(request, proposal, 400, **{f"hit_{hit.pk}": form})
    try:
        sanctions.decide(
            reviewer=actor(request),
            hit=hit,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
        )
    except ServiceError as error:
        web_errors.on_form(form, error)
        return _review_page(request, proposal, web_errors.status(error), **{f"hit_{hit.pk}": form})
    messages.success(request, _("Decision recorded."))
    return _back_to(proposal, "screening")


@secretariat_required
@require_http_methods(GET)
def document_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    return file_response(get_object_or_404(DueDiligenceDocument, pk=pk))


# -- Reports -----------------------------------------------------------------------------------


def _report(pk: int) -> ProgressReport:
    return get_object_or_404(
        ProgressReport.objects.select_related("commitment", "commitment__partner"), pk=pk
    )


def _report_page(
    request: HttpRequest, report: ProgressReport, status: int = 200, **forms: WorkflowForm
) -> HttpResponse:
    verify_form = forms.get("verify_form") or VerifyForm(prefix="verify")
    return_form = forms.get("return_form") or ReasonForm(prefix="return")
    for form in (verify_form, return_form):
        form.describe()
    returned = reporting.returned_values(report)
    lines = lines_of(report, returned=returned)
    return page(
        request,
        "workflow/report_review.html",
        {
            "title": _("Progress report"),
            "report": report,
            "c": report.commitment,
            "lines": lines,
            "diff": returned is not None,
            "evidence": list(report.evidence.all()),
            "previewed": PREVIEWED,
            "events": disclosure.reviewer_log(report.commitment, report),
            **_correspondence(report.commitment, report),
            "verify_form": verify_form,
            "return_form": return_form,
            "submitted": report.status == ReportStatus.SUBMITTED,
            "verified": report.status == ReportStatus.VERIFIED,
        },
        status=status,
    )


@secretariat_required
@require_http_methods([*GET, "POST"])
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(pk)
    if request.method != "POST":
        return _report_page(request, report)
    action = request.POST.get("action", "")
    form: WorkflowForm | None = None
    try:
        if action == "verify":
            form = VerifyForm(request.POST, prefix="verify")
            if not form.is_valid():
                return _report_page(request, report, 400, verify_form=form)
            reporting.verify_report(
                reviewer=actor(request),
                report=report,
                level=form.cleaned_data["level"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Verified: its values count in the figures."))
        elif action == "return":
            form = ReasonForm(request.POST, prefix="return")
            if not form.is_valid():
                return _report_page(request, report, 400, return_form=form)
            reporting.return_report(
                reviewer=actor(request), report=report, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Returned to the partner."))
        else:
            messages.error(request, _("Choose an action."))
            return _report_page(request, report, 400)
    except ServiceError as error:
        if error.kind == ErrorKind.INVALID and form is not None:
            web_errors.on_form(form, error)
            return _report_page(request, report, 400, **{f"{action}_form": form})
        web_errors.to_messages(request, error)
        return _report_page(request, report, web_errors.status(error))
    return redirect("workflow:report_review", pk=report.pk)


@secretariat_required
@require_http_methods([*GET, "POST"])
def report_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a verified value, with a reason (the old value stays in the history)."""
    report = _report(pk)

    def correct(data: dict[str, Any]) -> None:
        reporting.correct_value(
            reviewer=actor(request),
            report=report,
            metric=data["metric"],
            value=data["value"],
            reason=data["reason"],
        )

    return _form_step(
        request,
        CorrectionForm(request.POST or None, report=report),
        correct,
        _("Value corrected; the old one is kept in the history."),
        redirect("workflow:report_review", pk=report.pk),
        "workflow/report_correct.html",
        {"title": _("Correct a verified value"), "report": report},
    )


def _form_step(
    request: HttpRequest,
    form: WorkflowForm,
    step: Callable[[dict[str, Any]], object],
    done: str,
    then: HttpResponse,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """A page whose form, posted, takes one step (`step`, given the cleaned data): done, the
    `done` message and `then`; else the page again with the form's errors, 400 for invalid
    input, or the status of the step's refusal."""
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                step(form.cleaned_data)
            except ServiceError as error:
                web_errors.on_form(form, error)
                status = web_errors.status(error)
            else:
                messages.success(request, done)
                return then
    form.describe()
    return page(request, template, {**context, "form": form}, status=status)


# -- A commitment's status ---------------------------------------------------------------------


@secretariat_required
@require_http_methods([*GET, "POST"])
def commitment_status(request: HttpRequest, reference: str) -> HttpResponse:
    """Complete, withdraw (on a date) or restore an announced commitment, with the reason."""
    commitment = get_object_or_404(
        Commitment.objects.select_related("partner"), reference=reference
    )
    initial = {"status": commitment.status, "withdrawn_on": commitment.withdrawn_on}

    def change(data: dict[str, Any]) -> None:
        lifecycle.change_status(
            user=actor(request),
            commitment=commitment,
            status=data["status"],
            withdrawn_on=data["withdrawn_on"],
            reason=data["reason"],
        )

    return _form_step(
        request,
        StatusForm(request.POST or None, initial=initial),
        change,
        _("Status changed."),
        redirect("workflow:commitment_status", reference=commitment.reference),
        "workflow/commitment_status.html",
        {
            "title": _("Change a commitment's status"),
            "c": commitment,
            "events": disclosure.reviewer_log(commitment, whole=True),
            **_correspondence(commitment),
        },
    )
