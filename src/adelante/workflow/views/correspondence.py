"""What passes between a partner and the secretariat besides the forms: the comment thread of
a proposal or a report, and the due-diligence documents a partner attaches itself.

Who may: the partner's pages, a member (or admin) of the organisation in the URL and the
secretariat (`partner_member_required`); the secretariat's, its reviewers and admins. Each
POST answers with a redirect to the page it came from, with a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from adelante import web_errors
from adelante.accounts import roles
from adelante.accounts.access import partner_member_required, secretariat_required
from adelante.commitments.models import Commitment
from adelante.errors import ServiceError
from adelante.partners.models import Partner
from adelante.progress.models import ProgressReport
from adelante.workflow import comments, intake
from adelante.workflow.models import DueDiligenceDocument, Proposal
from adelante.workflow.views.common import actor, file_response


def _report_of(request: HttpRequest, commitment: Commitment) -> ProgressReport | None:
    raw = request.POST.get("report", "")
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()):
        raise Http404
    return get_object_or_404(ProgressReport, pk=int(raw), commitment=commitment)


def _post(
    request: HttpRequest, commitment: Commitment, report: ProgressReport | None, internal: bool
) -> None:
    try:
        comments.post(
            user=actor(request),
            commitment=commitment,
            report=report,
            text=request.POST.get("text", ""),
            internal=internal,
        )
    except ServiceError as error:
        web_errors.to_messages(request, error)
    else:
        messages.success(request, _("Comment added."))


@partner_member_required
@require_POST
def partner_comment(request: HttpRequest, partner: Partner, reference: str) -> HttpResponse:
    """A comment from the partner's side: always shared with the secretariat."""
    commitment = get_object_or_404(Commitment, reference=reference, partner=partner)
    if not roles.can_view_commitment(request.user, commitment):
        raise Http404
    report = _report_of(request, commitment)
    _post(request, commitment, report, internal=False)
    if report is not None:
        return redirect("workflow:report_edit", partner=partner.slug, pk=report.pk)
    proposal = Proposal.objects.filter(commitment=commitment).first()
    if proposal is not None:
        return redirect("workflow:proposal_edit", partner=partner.slug, pk=proposal.pk)
    return redirect("workflow:workspace", partner=partner.slug)


@secretariat_required
@require_POST
def secretariat_comment(request: HttpRequest, reference: str) -> HttpResponse:
    """A comment from the secretariat: internal unless it unticks "internal"."""
    commitment = get_object_or_404(Commitment, reference=reference)
    report = _report_of(request, commitment)
    _post(request, commitment, report, internal=request.POST.get("internal") == "1")
    if report is not None:
        return redirect("workflow:report_review", pk=report.pk)
    proposal = Proposal.objects.filter(commitment=commitment).first()
    if proposal is not None:
        return redirect("workflow:proposal_review", pk=proposal.pk)
    return redirect("workflow:commitment_status", reference=commitment.reference)


@partner_member_required
@require_POST
def partner_document_new(request: HttpRequest, partner: Partner, pk: int) -> HttpResponse:
    """The partner attaches a due-diligence document of its own to its proposal."""
    proposal = get_object_or_404(
        Proposal.objects.select_related("commitment", "commitment__partner"),
        pk=pk,
        commitment__partner=partner,
    )
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to attach."))
    else:
        try:
            intake.add_partner_document(user=actor(request), proposal=proposal, upload=upload)
        except ServiceError as error:
            web_errors.to_messages(request, error)
        else:
            messages.success(request, _("Document attached."))
    return redirect("workflow:proposal_edit", partner=partner.slug, pk=proposal.pk)


@partner_member_required
@require_http_methods(["GET", "HEAD"])
def partner_document(request: HttpRequest, partner: Partner, pk: int) -> HttpResponseBase:
    """One of the partner's own documents (the secretariat's are never served here)."""
    document = get_object_or_404(
        DueDiligenceDocument, pk=pk, commitment__partner=partner, from_partner=True
    )
    return file_response(document)
