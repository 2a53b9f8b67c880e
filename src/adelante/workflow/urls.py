"""The workflow's pages, under the language prefix (docs/workflow.md lists who may use each).

Partner pages: a member or admin of the organisation in the URL, and the secretariat.
Secretariat pages: secretariat reviewers and admins.
"""

from django.urls import path

from adelante.workflow.views import correspondence, partner, same_pledges, secretariat

app_name = "workflow"
urlpatterns = [
    # Partners (and the secretariat acting for them).
    path("partner/", partner.home, name="partner_home"),
    path("partner/<slug:partner>/", partner.workspace, name="workspace"),
    path("partner/<slug:partner>/proposals/new/", partner.proposal_new, name="proposal_new"),
    path(
        "partner/<slug:partner>/proposals/<int:pk>/",
        partner.proposal_edit,
        name="proposal_edit",
    ),
    path(
        "partner/<slug:partner>/proposals/<int:pk>/autosave/",
        partner.proposal_autosave,
        name="proposal_autosave",
    ),
    path(
        "partner/<slug:partner>/commitments/<slug:reference>/report/",
        partner.report_new,
        name="report_new",
    ),
    path(
        "partner/<slug:partner>/commitments/<slug:reference>/catch-up/",
        partner.report_catch_up,
        name="report_catch_up",
    ),
    path(
        "partner/<slug:partner>/reports/sheet/",
        partner.report_sheet_upload,
        name="report_sheet",
    ),
    path("partner/<slug:partner>/reports/<int:pk>/", partner.report_edit, name="report_edit"),
    path(
        "partner/<slug:partner>/reports/<int:pk>/autosave/",
        partner.report_autosave,
        name="report_autosave",
    ),
    path(
        "partner/<slug:partner>/evidence/<int:pk>/",
        partner.evidence_file,
        name="evidence_file",
    ),
    path(
        "partner/<slug:partner>/commitments/<slug:reference>/comments/",
        correspondence.partner_comment,
        name="partner_comment",
    ),
    path(
        "partner/<slug:partner>/proposals/<int:pk>/documents/",
        correspondence.partner_document_new,
        name="partner_document_new",
    ),
    path(
        "partner/<slug:partner>/documents/<int:pk>/",
        correspondence.partner_document,
        name="partner_document",
    ),
    # The secretariat.
    path("secretariat/queue/", secretariat.queue, name="queue"),
    path("secretariat/late/", secretariat.late, name="late"),
    # One pledge under several initiatives: suggestions, links, unlink (docs/initiatives.md).
    path("secretariat/same-pledges/", same_pledges.same_pledges, name="same_pledges"),
    path("secretariat/same-pledges/link/", same_pledges.link, name="same_pledge_link"),
    path("secretariat/same-pledges/dismiss/", same_pledges.dismiss, name="same_pledge_dismiss"),
    path(
        "secretariat/same-pledges/<int:pk>/unlink/",
        same_pledges.unlink,
        name="same_pledge_unlink",
    ),
    path("secretariat/late/<slug:partner>/remind/", secretariat.remind, name="remind"),
    path(
        "secretariat/commitments/<slug:reference>/comments/",
        correspondence.secretariat_comment,
        name="comment",
    ),
    path("secretariat/proposals/<int:pk>/", secretariat.proposal_review, name="proposal_review"),
    path(
        "secretariat/proposals/<int:pk>/checklist/",
        secretariat.proposal_checklist,
        name="proposal_checklist",
    ),
    path(
        "secretariat/proposals/<int:pk>/documents/",
        secretariat.proposal_document,
        name="proposal_document",
    ),
    path(
        "secretariat/proposals/<int:pk>/screen/",
        secretariat.proposal_screen,
        name="proposal_screen",
    ),
    path("secretariat/hits/<int:pk>/", secretariat.hit_decide, name="hit_decide"),
    path("secretariat/documents/<int:pk>/", secretariat.document_file, name="document_file"),
    path("secretariat/reports/<int:pk>/", secretariat.report_review, name="report_review"),
    path(
        "secretariat/reports/<int:pk>/correct/",
        secretariat.report_correct,
        name="report_correct",
    ),
    path(
        "secretariat/commitments/<slug:reference>/status/",
        secretariat.commitment_status,
        name="commitment_status",
    ),
]
