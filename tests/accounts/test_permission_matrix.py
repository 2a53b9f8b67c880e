"""The permission matrix: every URL pattern of the project, every role, GET and POST.

`MATRIX` lists every URL pattern (as the resolver spells it, the language prefix written
``<lang>/``) with the URL to request and what each role gets. The test fails when a pattern
exists that the matrix does not list (a new page must say who may see it) and when the
matrix lists one that is gone. Admin pages are listed in `ADMIN` with one rule for all.

Statuses: 200 ok; LOGIN a redirect to our sign-in page; 302 any redirect; 403 forbidden;
404 not found (e.g. an object that does not exist, or another organisation's); 405 wrong
method; 410 a dead link; 401 an API call without a token. POST requests (no CSRF in the
test client) must be refused exactly like GET for roles that GET refuses, and must never
answer 403 or 5xx for roles that GET allows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern

from adelante.api.tokens import create_token
from adelante.commitments.choices import Status
from tests import builders
from tests.accounts.conftest import Cast

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "member",
    "partner_admin",
    "other_member",
    "reviewer",
    "secretariat_admin",
    "government",
)
LOGIN = "login"
ANY_REDIRECT = 302


def _roles(default: object, **by_role: object) -> dict[str, object]:
    table = dict.fromkeys(ROLES, default)
    table.update(by_role)
    return table


PUBLIC = _roles(200)
SIGNED_IN = _roles(200, anonymous=LOGIN)
SECRETARIAT = _roles(403, anonymous=LOGIN, reviewer=200, secretariat_admin=200)
SECRETARIAT_MISSING = _roles(403, anonymous=LOGIN, reviewer=404, secretariat_admin=404)
READERS = _roles(403, anonymous=LOGIN, reviewer=200, secretariat_admin=200, government=200)
# An organisation's workspace is not there (404, as an unknown one) for whoever is not its
# member (issue 10: 403 said that it exists); its members without the admin role get 403 on
# its admins' pages.
PARTNER = _roles(
    404, anonymous=LOGIN, member=200, partner_admin=200, reviewer=200, secretariat_admin=200
)
PARTNER_MISSING = _roles(404, anonymous=LOGIN)
PARTNER_ADMINS = _roles(
    404, anonymous=LOGIN, member=403, partner_admin=200, reviewer=200, secretariat_admin=200
)
#: Reporting on a published commitment (public) of an organisation one does not belong to is
#: refused (403) as in the API; an unpublished one would be 404 (tests/workflow).
REPORT_NEW = _roles(
    403, anonymous=LOGIN, member=200, partner_admin=200, reviewer=200, secretariat_admin=200
)
WORKSPACES = _roles(302, anonymous=LOGIN, government=403, reviewer=200, secretariat_admin=200)
#: The staff import still asks for is_staff (secretariat roles set it): others go to login.
DEAD_LINK = _roles(410)
REDIRECT = _roles(ANY_REDIRECT)
POST_ONLY = _roles(405)
API_PUBLIC = _roles(200)
API_TOKEN = _roles(200, anonymous=401)
#: Another organisation's report is not there (404, as a missing id; issue 10: was 403).
API_OWN_REPORT = _roles(404, anonymous=401, member=200, partner_admin=200)
API_SUBMIT = _roles(405)
SECRETARIAT_POST_ONLY = _roles(403, anonymous=LOGIN, reviewer=405, secretariat_admin=405)
#: A secretariat action answered with a redirect and a message (issue 15: comments, reminders).
SECRETARIAT_REDIRECT = _roles(403, anonymous=LOGIN, reviewer=302, secretariat_admin=302)
#: A partner's POST-only page: its members and the secretariat get 405 on GET, others 404.
PARTNER_POST_ONLY = _roles(
    404, anonymous=LOGIN, member=405, partner_admin=405, reviewer=405, secretariat_admin=405
)
PARTNER_REDIRECT = _roles(
    404, anonymous=LOGIN, member=302, partner_admin=302, reviewer=302, secretariat_admin=302
)
#: A staff import's job: only the person who uploaded it sees it; a 404 for everyone else.
JOB = _roles(404, anonymous=LOGIN)
NO_JOB = "00000000-0000-4000-8000-000000000000"


@dataclass(frozen=True)
class Row:
    url: str
    get: dict[str, object]
    #: Expected POST statuses where they differ from the rule in the module docstring.
    post: dict[str, object] = field(default_factory=dict)
    api: bool = False


MATRIX: dict[str, Row] = {
    # Portal (public)
    "<lang>/": Row("/en/", PUBLIC),
    "<lang>/commitments/": Row("/en/commitments/", PUBLIC),
    "<lang>/commitments/<slug:reference>/": Row("/en/commitments/{reference}/", PUBLIC),
    "<lang>/commitments/download.csv": Row("/en/commitments/download.csv", PUBLIC),
    "<lang>/commitments/download.xlsx": Row("/en/commitments/download.xlsx", PUBLIC),
    "<lang>/countries/": Row("/en/countries/", PUBLIC),
    "<lang>/countries/<str:code>/": Row("/en/countries/gt/", PUBLIC),
    "<lang>/data/<slug:chart>.csv": Row("/en/data/committed-by-country.csv", PUBLIC),
    "<lang>/data/<slug:chart>.svg": Row("/en/data/country-map.svg", PUBLIC),
    "<lang>/methodology/": Row("/en/methodology/", PUBLIC),
    "<lang>/partners/": Row("/en/partners/", PUBLIC),
    "<lang>/partners/<slug:slug>/": Row("/en/partners/{partner}/", PUBLIC),
    "<lang>/rounds/": Row("/en/rounds/", PUBLIC),
    "<lang>/rounds/<slug:slug>/": Row("/en/rounds/{round}/", PUBLIC),
    "<lang>/downloads/": Row("/en/downloads/", PUBLIC),
    # The portal's one search, the sharing cards, and what search engines read (issue 12).
    "<lang>/search/": Row("/en/search/?q=alpha", PUBLIC),
    "<lang>/cards/<slug:kind>/<str:key>.png": Row("/en/cards/overview/all.png", PUBLIC),
    "<lang>/initiatives/": Row("/en/initiatives/", PUBLIC),
    # The primary initiative has no logo in the test's record: not found, for everyone.
    "initiatives/<slug:slug>/logo": Row("/initiatives/central-america-forward/logo", _roles(404)),
    "initiatives/<slug:slug>/look.css": Row(
        "/initiatives/central-america-forward/look.css", PUBLIC
    ),
    "robots.txt": Row("/robots.txt", PUBLIC),
    "sitemap.xml": Row("/sitemap.xml", PUBLIC),
    "sitemap-<slug:section>.xml": Row("/sitemap-pages.xml", PUBLIC),
    "downloads/<str:name>": Row("/downloads/adelante-record.json", PUBLIC),
    "downloads/template/commitments.xlsx": Row("/downloads/template/commitments.xlsx", PUBLIC),
    "i18n/setlang/": Row("/i18n/setlang/", REDIRECT),
    # Accounts
    "<lang>/accounts/": Row("/en/accounts/", SIGNED_IN),
    "<lang>/accounts/sign-in/": Row("/en/accounts/sign-in/", PUBLIC),
    # Everyone's work (issue 15): a redirect by role; the preferred language, a POST.
    "<lang>/accounts/work/": Row(
        "/en/accounts/work/", _roles(302, anonymous=LOGIN), post=_roles(405, anonymous=LOGIN)
    ),
    "<lang>/accounts/language/": Row(
        "/en/accounts/language/", _roles(405, anonymous=LOGIN), post=_roles(302, anonymous=LOGIN)
    ),
    "<lang>/accounts/sign-out/": Row("/en/accounts/sign-out/", POST_ONLY, post=REDIRECT),
    "<lang>/accounts/two-factor/": Row("/en/accounts/two-factor/", REDIRECT),
    "<lang>/accounts/two-factor/enrol/": Row("/en/accounts/two-factor/enrol/", SIGNED_IN),
    "<lang>/accounts/two-factor/remove/": Row(
        "/en/accounts/two-factor/remove/",
        _roles(405),
        post=_roles(ANY_REDIRECT, anonymous=LOGIN),
    ),
    "<lang>/accounts/password-reset/": Row("/en/accounts/password-reset/", PUBLIC),
    "<lang>/accounts/password-reset/sent/": Row("/en/accounts/password-reset/sent/", PUBLIC),
    "<lang>/accounts/password-reset/done/": Row("/en/accounts/password-reset/done/", PUBLIC),
    "<lang>/accounts/password-reset/<uidb64>/<token>/": Row(
        "/en/accounts/password-reset/MQ/bad-token/", PUBLIC
    ),
    "<lang>/accounts/invitations/<str:token>/": Row("/en/accounts/invitations/forged/", DEAD_LINK),
    "<lang>/accounts/partners/<slug:partner>/people/": Row(
        "/en/accounts/partners/{partner}/people/", PARTNER_ADMINS
    ),
    "<lang>/admin/login/": Row("/en/admin/login/", REDIRECT),
    # Joining
    "<lang>/join/": Row("/en/join/", PUBLIC),
    "<lang>/join/sent/": Row("/en/join/sent/", PUBLIC),
    "<lang>/join/confirm/<str:token>/": Row("/en/join/confirm/forged/", DEAD_LINK),
    "<lang>/secretariat/join-requests/": Row("/en/secretariat/join-requests/", SECRETARIAT),
    "<lang>/secretariat/join-requests/<int:pk>/": Row(
        "/en/secretariat/join-requests/999999/", SECRETARIAT_MISSING
    ),
    "<lang>/secretariat/audit/": Row("/en/secretariat/audit/", SECRETARIAT),
    # Public corrections (issue 13): anyone suggests and reads the log; the secretariat decides.
    "<lang>/corrections/": Row("/en/corrections/", PUBLIC),
    "<lang>/corrections/suggest/<str:subject>/<str:key>/": Row(
        "/en/corrections/suggest/commitment/{reference}/", PUBLIC
    ),
    "<lang>/corrections/sent/": Row("/en/corrections/sent/", PUBLIC),
    "<lang>/corrections/confirm/<str:token>/": Row("/en/corrections/confirm/forged/", DEAD_LINK),
    "<lang>/secretariat/corrections/": Row("/en/secretariat/corrections/", SECRETARIAT),
    "<lang>/secretariat/corrections/<int:pk>/": Row(
        "/en/secretariat/corrections/999999/", SECRETARIAT_MISSING
    ),
    # Reports and the staff import
    "<lang>/reports/": Row("/en/reports/", READERS),
    "<lang>/reports/figures/": Row("/en/reports/figures/", READERS),
    # A generated report's job: only the person who asked for it; a 404 for everyone else.
    "<lang>/reports/jobs/<uuid:job_id>/": Row(f"/en/reports/jobs/{NO_JOB}/", JOB),
    "<lang>/reports/jobs/<uuid:job_id>/status/": Row(f"/en/reports/jobs/{NO_JOB}/status/", JOB),
    "<lang>/reports/jobs/<uuid:job_id>/download/": Row(f"/en/reports/jobs/{NO_JOB}/download/", JOB),
    "<lang>/staff/import/": Row("/en/staff/import/", SECRETARIAT),
    "<lang>/staff/import/jobs/<uuid:job_id>/": Row(f"/en/staff/import/jobs/{NO_JOB}/", JOB),
    "<lang>/staff/import/jobs/<uuid:job_id>/status/": Row(
        f"/en/staff/import/jobs/{NO_JOB}/status/", JOB
    ),
    "<lang>/staff/import/jobs/<uuid:job_id>/confirm/": Row(
        f"/en/staff/import/jobs/{NO_JOB}/confirm/",
        _roles(404, anonymous=LOGIN, reviewer=405, secretariat_admin=405),
        post=JOB,
    ),
    # Workflow: partners' workspaces
    "<lang>/partner/": Row("/en/partner/", WORKSPACES),
    "<lang>/partner/<slug:partner>/": Row("/en/partner/{partner}/", PARTNER),
    "<lang>/partner/<slug:partner>/proposals/new/": Row(
        "/en/partner/{partner}/proposals/new/", PARTNER
    ),
    "<lang>/partner/<slug:partner>/proposals/<int:pk>/": Row(
        "/en/partner/{partner}/proposals/999999/", PARTNER_MISSING
    ),
    "<lang>/partner/<slug:partner>/commitments/<slug:reference>/report/": Row(
        "/en/partner/{partner}/commitments/{reference}/report/", REPORT_NEW
    ),
    "<lang>/partner/<slug:partner>/reports/<int:pk>/": Row(
        "/en/partner/{partner}/reports/999999/", PARTNER_MISSING
    ),
    "<lang>/partner/<slug:partner>/proposals/<int:pk>/autosave/": Row(
        "/en/partner/{partner}/proposals/999999/autosave/",
        _roles(
            404,
            anonymous=LOGIN,
            member=405,
            partner_admin=405,
            reviewer=405,
            secretariat_admin=405,
        ),
        post={"member": 404, "partner_admin": 404, "reviewer": 404, "secretariat_admin": 404},
    ),
    "<lang>/partner/<slug:partner>/reports/<int:pk>/autosave/": Row(
        "/en/partner/{partner}/reports/999999/autosave/",
        _roles(
            404,
            anonymous=LOGIN,
            member=405,
            partner_admin=405,
            reviewer=405,
            secretariat_admin=405,
        ),
        post={"member": 404, "partner_admin": 404, "reviewer": 404, "secretariat_admin": 404},
    ),
    "<lang>/partner/<slug:partner>/commitments/<slug:reference>/catch-up/": Row(
        "/en/partner/{partner}/commitments/{reference}/catch-up/", PARTNER
    ),
    "<lang>/partner/<slug:partner>/reports/sheet/": Row(
        "/en/partner/{partner}/reports/sheet/", PARTNER
    ),
    "<lang>/partner/<slug:partner>/evidence/<int:pk>/": Row(
        "/en/partner/{partner}/evidence/999999/", PARTNER_MISSING
    ),
    "<lang>/partner/<slug:partner>/commitments/<slug:reference>/comments/": Row(
        "/en/partner/{partner}/commitments/{reference}/comments/",
        PARTNER_POST_ONLY,
        post=PARTNER_REDIRECT,
    ),
    "<lang>/partner/<slug:partner>/proposals/<int:pk>/documents/": Row(
        "/en/partner/{partner}/proposals/999999/documents/",
        PARTNER_POST_ONLY,
        post=PARTNER_MISSING,
    ),
    "<lang>/partner/<slug:partner>/documents/<int:pk>/": Row(
        "/en/partner/{partner}/documents/999999/", PARTNER_MISSING
    ),
    # Workflow: the secretariat's queues
    "<lang>/secretariat/queue/": Row("/en/secretariat/queue/", SECRETARIAT),
    "<lang>/secretariat/late/": Row("/en/secretariat/late/", SECRETARIAT),
    # One pledge under several initiatives (issue 14): the page, and its three actions (POST).
    "<lang>/secretariat/same-pledges/": Row("/en/secretariat/same-pledges/", SECRETARIAT),
    "<lang>/secretariat/same-pledges/link/": Row(
        "/en/secretariat/same-pledges/link/", SECRETARIAT_POST_ONLY, post=SECRETARIAT_REDIRECT
    ),
    "<lang>/secretariat/same-pledges/dismiss/": Row(
        "/en/secretariat/same-pledges/dismiss/", SECRETARIAT_POST_ONLY, post=SECRETARIAT_REDIRECT
    ),
    "<lang>/secretariat/same-pledges/<int:pk>/unlink/": Row(
        "/en/secretariat/same-pledges/999999/unlink/",
        SECRETARIAT_POST_ONLY,
        post=_roles(403, anonymous=LOGIN, reviewer=404, secretariat_admin=404),
    ),
    "<lang>/secretariat/late/<slug:partner>/remind/": Row(
        "/en/secretariat/late/{partner}/remind/", SECRETARIAT_POST_ONLY, post=SECRETARIAT_REDIRECT
    ),
    "<lang>/secretariat/commitments/<slug:reference>/comments/": Row(
        "/en/secretariat/commitments/{reference}/comments/",
        SECRETARIAT_POST_ONLY,
        post=SECRETARIAT_REDIRECT,
    ),
    "<lang>/secretariat/proposals/<int:pk>/": Row(
        "/en/secretariat/proposals/999999/", SECRETARIAT_MISSING
    ),
    "<lang>/secretariat/proposals/<int:pk>/checklist/": Row(
        "/en/secretariat/proposals/999999/checklist/",
        SECRETARIAT_POST_ONLY,
        post=_roles(403, anonymous=LOGIN, reviewer=404, secretariat_admin=404),
    ),
    "<lang>/secretariat/proposals/<int:pk>/documents/": Row(
        "/en/secretariat/proposals/999999/documents/",
        SECRETARIAT_POST_ONLY,
        post=_roles(403, anonymous=LOGIN, reviewer=404, secretariat_admin=404),
    ),
    "<lang>/secretariat/proposals/<int:pk>/screen/": Row(
        "/en/secretariat/proposals/999999/screen/",
        SECRETARIAT_POST_ONLY,
        post=_roles(403, anonymous=LOGIN, reviewer=404, secretariat_admin=404),
    ),
    "<lang>/secretariat/hits/<int:pk>/": Row(
        "/en/secretariat/hits/999999/",
        SECRETARIAT_POST_ONLY,
        post=_roles(403, anonymous=LOGIN, reviewer=404, secretariat_admin=404),
    ),
    "<lang>/secretariat/documents/<int:pk>/": Row(
        "/en/secretariat/documents/999999/", SECRETARIAT_MISSING
    ),
    "<lang>/secretariat/reports/<int:pk>/": Row(
        "/en/secretariat/reports/999999/", SECRETARIAT_MISSING
    ),
    "<lang>/secretariat/reports/<int:pk>/correct/": Row(
        "/en/secretariat/reports/999999/correct/", SECRETARIAT_MISSING
    ),
    "<lang>/secretariat/commitments/<slug:reference>/status/": Row(
        "/en/secretariat/commitments/{reference}/status/", SECRETARIAT
    ),
    # API v1: reads are public (any role, with or without a token); writes need a token.
    # The API's index (issue 12), before django-ninja's own root (404), at the same address.
    "api/v1/": Row("/api/v1/", API_PUBLIC, api=True),
    "api/v1/docs": Row("/api/v1/docs", API_PUBLIC, api=True),
    "api/v1/iati/activities.xml": Row("/api/v1/iati/activities.xml", API_PUBLIC, api=True),
    "api/v1/openapi.json": Row("/api/v1/openapi.json", API_PUBLIC, api=True),
    "api/v1/commitments": Row("/api/v1/commitments", API_PUBLIC, api=True),
    "api/v1/commitments/<reference>": Row("/api/v1/commitments/{reference}", API_PUBLIC, api=True),
    "api/v1/partners": Row("/api/v1/partners", API_PUBLIC, api=True),
    "api/v1/partners/<slug>": Row("/api/v1/partners/{partner}", API_PUBLIC, api=True),
    "api/v1/initiatives": Row("/api/v1/initiatives", API_PUBLIC, api=True),
    "api/v1/rounds": Row("/api/v1/rounds", API_PUBLIC, api=True),
    "api/v1/rounds/<slug>": Row("/api/v1/rounds/{round}", API_PUBLIC, api=True),
    "api/v1/statements": Row("/api/v1/statements", API_PUBLIC, api=True),
    "api/v1/corrections": Row("/api/v1/corrections", API_PUBLIC, api=True),
    "api/v1/progress": Row("/api/v1/progress", API_PUBLIC, api=True),
    "api/v1/metrics": Row("/api/v1/metrics", API_PUBLIC, api=True),
    "api/v1/focus-areas": Row("/api/v1/focus-areas", API_PUBLIC, api=True),
    "api/v1/figures/committed": Row("/api/v1/figures/committed", API_PUBLIC, api=True),
    "api/v1/figures/committed/by/<dimension>": Row(
        "/api/v1/figures/committed/by/country", API_PUBLIC, api=True
    ),
    "api/v1/figures/invested": Row("/api/v1/figures/invested", API_PUBLIC, api=True),
    "api/v1/figures/reached": Row("/api/v1/figures/reached", API_PUBLIC, api=True),
    "api/v1/figures/reached/<metric>": Row(
        "/api/v1/figures/reached/jobs_created", API_PUBLIC, api=True
    ),
    "api/v1/figures/reconcile": Row("/api/v1/figures/reconcile", API_PUBLIC, api=True),
    "api/v1/figures/ladder": Row("/api/v1/figures/ladder", API_PUBLIC, api=True),
    "api/v1/me": Row("/api/v1/me", API_TOKEN, post=_roles(405), api=True),
    "api/v1/progress-reports": Row(
        "/api/v1/progress-reports", API_SUBMIT, post=_roles(400, anonymous=401), api=True
    ),
    # A partner's identifiers: POST adds (a body is needed: 400 without one), DELETE removes
    # (tests/api/test_partner_identifiers.py checks each role on both); no GET.
    "api/v1/partners/<slug>/identifiers": Row(
        "/api/v1/partners/{partner}/identifiers",
        POST_ONLY,
        post=_roles(400, anonymous=401),
        api=True,
    ),
    "api/v1/partners/<slug>/identifiers/<identifier>": Row(
        "/api/v1/partners/{partner}/identifiers/GT-NIT-75556057", POST_ONLY, api=True
    ),
    "api/v1/progress-reports/<report_id>": Row(
        "/api/v1/progress-reports/{report}", API_OWN_REPORT, post=_roles(405), api=True
    ),
}

#: Every admin page: anonymous and roles without admin access are sent to sign in; the
#: secretariat gets in (a reviewer sees, an admin changes: Django's permissions say which).
ADMIN = (
    "<lang>/admin/",
    "<lang>/admin/(?P<url>.*)$",
    "<lang>/admin/^(?P<app_label>auth|catalogue|partners|currency|initiatives|commitments|progress"
    "|workflow"
    "|django_tasks_database)/$",
    "<lang>/admin/auth/group/",
    "<lang>/admin/auth/group/<path:object_id>/",
    "<lang>/admin/auth/group/<path:object_id>/change/",
    "<lang>/admin/auth/group/<path:object_id>/delete/",
    "<lang>/admin/auth/group/<path:object_id>/history/",
    "<lang>/admin/auth/group/add/",
    "<lang>/admin/auth/user/",
    "<lang>/admin/auth/user/<id>/password/",
    "<lang>/admin/auth/user/<path:object_id>/",
    "<lang>/admin/auth/user/<path:object_id>/change/",
    "<lang>/admin/auth/user/<path:object_id>/delete/",
    "<lang>/admin/auth/user/<path:object_id>/history/",
    "<lang>/admin/auth/user/add/",
    "<lang>/admin/autocomplete/",
    # The background jobs' task results (django-tasks), read-only.
    "<lang>/admin/django_tasks_database/dbtaskresult/",
    "<lang>/admin/django_tasks_database/dbtaskresult/<path:object_id>/",
    "<lang>/admin/django_tasks_database/dbtaskresult/<path:object_id>/change/",
    "<lang>/admin/django_tasks_database/dbtaskresult/<path:object_id>/delete/",
    "<lang>/admin/django_tasks_database/dbtaskresult/<path:object_id>/history/",
    "<lang>/admin/django_tasks_database/dbtaskresult/add/",
    "<lang>/admin/catalogue/focusarea/",
    "<lang>/admin/catalogue/focusarea/<path:object_id>/",
    "<lang>/admin/catalogue/focusarea/<path:object_id>/change/",
    "<lang>/admin/catalogue/focusarea/<path:object_id>/delete/",
    "<lang>/admin/catalogue/focusarea/<path:object_id>/history/",
    "<lang>/admin/catalogue/focusarea/^([^/]+)/history/([^/]+)/$",
    "<lang>/admin/catalogue/focusarea/add/",
    "<lang>/admin/initiatives/initiative/",
    "<lang>/admin/initiatives/initiative/<path:object_id>/",
    "<lang>/admin/initiatives/initiative/<path:object_id>/change/",
    "<lang>/admin/initiatives/initiative/<path:object_id>/delete/",
    "<lang>/admin/initiatives/initiative/<path:object_id>/history/",
    "<lang>/admin/initiatives/initiative/^([^/]+)/history/([^/]+)/$",
    "<lang>/admin/initiatives/initiative/add/",
    "<lang>/admin/catalogue/metric/",
    "<lang>/admin/catalogue/metric/<path:object_id>/",
    "<lang>/admin/catalogue/metric/<path:object_id>/change/",
    "<lang>/admin/catalogue/metric/<path:object_id>/delete/",
    "<lang>/admin/catalogue/metric/<path:object_id>/history/",
    "<lang>/admin/catalogue/metric/^([^/]+)/history/([^/]+)/$",
    "<lang>/admin/catalogue/metric/add/",
    "<lang>/admin/catalogue/statementname/",
    "<lang>/admin/catalogue/statementname/<path:object_id>/",
    "<lang>/admin/catalogue/statementname/<path:object_id>/change/",
    "<lang>/admin/catalogue/statementname/<path:object_id>/delete/",
    "<lang>/admin/catalogue/statementname/<path:object_id>/history/",
    "<lang>/admin/catalogue/statementname/^([^/]+)/history/([^/]+)/$",
    "<lang>/admin/catalogue/statementname/add/",
    "<lang>/admin/commitments/commitment/",
    "<lang>/admin/commitments/commitment/<path:object_id>/",
    "<lang>/admin/commitments/commitment/<path:object_id>/change/",
    "<lang>/admin/commitments/commitment/<path:object_id>/delete/",
    "<lang>/admin/commitments/commitment/<path:object_id>/history/",
    "<lang>/admin/commitments/commitment/^([^/]+)/history/([^/]+)/$",
    "<lang>/admin/commitments/commitment/add/",
    "<lang>/admin/commitments/officialstatement/",
    "<lang>/admin/commitments/officialstatement/<path:object_id>/",
    "<lang>/admin/commitments/officialstatement/<path:object_id>/change/",
    "<lang>/admin/commitments/officialstatement/<path:object_id>/delete/",
    "<lang>/admin/commitments/officialstatement/<path:object_id>/history/",
    "<lang>/admin/commitments/officialstatement/^([^/]+)/history/([^/]+)/$",
    "<lang>/admin/commitments/officialstatement/add/",
    "<lang>/admin/commitments/round/",
    "<lang>/admin/commitments/round/<path:object_id>/",
    "<lang>/admin/commitments/round/<path:object_id>/change/",
    "<lang>/admin/commitments/round/<path:object_id>/delete/",
    "<lang>/admin/commitments/round/<path:object_id>/history/",
    "<lang>/admin/commitments/round/^([^/]+)/history/([^/]+)/$",
    "<lang>/admin/commitments/round/add/",
    # Same pledges across initiatives, read-only (linked on /secretariat/same-pledges/).
    "<lang>/admin/commitments/samepledge/",
    "<lang>/admin/commitments/samepledge/<path:object_id>/",
    "<lang>/admin/commitments/samepledge/<path:object_id>/change/",
    "<lang>/admin/commitments/samepledge/<path:object_id>/delete/",
    "<lang>/admin/commitments/samepledge/<path:object_id>/history/",
    "<lang>/admin/commitments/samepledge/add/",
    "<lang>/admin/currency/exchangerate/",
    "<lang>/admin/currency/exchangerate/<path:object_id>/",
    "<lang>/admin/currency/exchangerate/<path:object_id>/change/",
    "<lang>/admin/currency/exchangerate/<path:object_id>/delete/",
    "<lang>/admin/currency/exchangerate/<path:object_id>/history/",
    "<lang>/admin/currency/exchangerate/^([^/]+)/history/([^/]+)/$",
    "<lang>/admin/currency/exchangerate/add/",
    "<lang>/admin/jsi18n/",
    "<lang>/admin/logout/",
    "<lang>/admin/partners/partner/",
    "<lang>/admin/partners/partner/<path:object_id>/",
    "<lang>/admin/partners/partner/<path:object_id>/change/",
    "<lang>/admin/partners/partner/<path:object_id>/delete/",
    "<lang>/admin/partners/partner/<path:object_id>/history/",
    "<lang>/admin/partners/partner/^([^/]+)/history/([^/]+)/$",
    "<lang>/admin/partners/partner/add/",
    # Likely duplicates and merging them (issue 14); the merges, each with its undo (POST).
    "<lang>/admin/partners/partner/duplicates/",
    "<lang>/admin/partners/partnermerge/",
    "<lang>/admin/partners/partnermerge/<int:merge_id>/undo/",
    "<lang>/admin/partners/partnermerge/<path:object_id>/",
    "<lang>/admin/partners/partnermerge/<path:object_id>/change/",
    "<lang>/admin/partners/partnermerge/<path:object_id>/delete/",
    "<lang>/admin/partners/partnermerge/<path:object_id>/history/",
    "<lang>/admin/partners/partnermerge/add/",
    "<lang>/admin/password_change/",
    "<lang>/admin/password_change/done/",
    "<lang>/admin/progress/progressreport/",
    "<lang>/admin/progress/progressreport/<path:object_id>/",
    "<lang>/admin/progress/progressreport/<path:object_id>/change/",
    "<lang>/admin/progress/progressreport/<path:object_id>/delete/",
    "<lang>/admin/progress/progressreport/<path:object_id>/history/",
    "<lang>/admin/progress/progressreport/^([^/]+)/history/([^/]+)/$",
    "<lang>/admin/progress/progressreport/add/",
    "<lang>/admin/r/<path:content_type_id>/<path:object_id>/",
    "<lang>/admin/workflow/duediligencequestion/",
    "<lang>/admin/workflow/duediligencequestion/<path:object_id>/",
    "<lang>/admin/workflow/duediligencequestion/<path:object_id>/change/",
    "<lang>/admin/workflow/duediligencequestion/<path:object_id>/delete/",
    "<lang>/admin/workflow/duediligencequestion/<path:object_id>/history/",
    "<lang>/admin/workflow/duediligencequestion/^([^/]+)/history/([^/]+)/$",
    "<lang>/admin/workflow/duediligencequestion/add/",
    "<lang>/admin/workflow/reportingschedule/",
    "<lang>/admin/workflow/reportingschedule/<path:object_id>/",
    "<lang>/admin/workflow/reportingschedule/<path:object_id>/change/",
    "<lang>/admin/workflow/reportingschedule/<path:object_id>/delete/",
    "<lang>/admin/workflow/reportingschedule/<path:object_id>/history/",
    "<lang>/admin/workflow/reportingschedule/^([^/]+)/history/([^/]+)/$",
    "<lang>/admin/workflow/reportingschedule/add/",
)
ADMIN_GET = _roles(
    ANY_REDIRECT, reviewer={200, 302, 403, 404, 405}, secretariat_admin={200, 302, 403, 404, 405}
)


def _walk(patterns: list, prefix: str = "") -> Iterator[str]:  # type: ignore[type-arg]
    for p in patterns:
        part = "<lang>/" if isinstance(p.pattern, LocalePrefixPattern) else str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + part)
        else:
            yield prefix + part


def project_patterns() -> set[str]:
    return set(_walk(get_resolver().url_patterns))


def test_every_url_pattern_is_in_the_matrix() -> None:
    found = project_patterns()
    listed = set(MATRIX) | set(ADMIN)
    assert sorted(found - listed) == [], "new URL patterns: add them to MATRIX with who may"
    assert sorted(listed - found) == [], "URL patterns gone: remove them from MATRIX"


def test_every_api_operation_is_in_the_matrix() -> None:
    from adelante.api.v1 import api

    schema = api.get_openapi_schema(path_prefix="")
    for path in schema["paths"]:
        route = "api/v1" + path.replace("{", "<").replace("}", ">")
        assert route in MATRIX, route


def _admin_url(pattern: str) -> str:
    url = "/" + pattern.replace("<lang>/", "en/")
    url = url.replace("<path:object_id>", "999999").replace("(?P<url>.*)$", "no-such-page/")
    url = url.replace("<int:merge_id>", "999999")
    url = url.replace("^([^/]+)/history/([^/]+)/$", "999999/history/1/")
    if "(?P<app_label>" in url:
        url = url.split("^")[0] + "partners/"
    return url


@pytest.fixture
def world(cast: Cast) -> dict[str, str]:
    day = datetime.date(2023, 2, 6)
    published = builders.commitment("Acme Foods", "1000", day, status=Status.IN_PROGRESS)
    report = builders.report(published, datetime.date(2023, 12, 31), {}, status="submitted")
    return {
        "partner": cast.partner.slug,
        "reference": published.reference,
        "round": published.round.slug,  # type: ignore[union-attr]
        "report": str(report.pk),
    }


def _client(cast: Cast, role: str) -> tuple[Client, dict[str, str]]:
    client = Client()
    headers: dict[str, str] = {}
    if role != "anonymous":
        user = getattr(cast, role)
        client.force_login(user)
        client.user = user  # type: ignore[attr-defined]
        headers["HTTP_AUTHORIZATION"] = f"Bearer {create_token(user).key}"
    return client, headers


def _release(response) -> None:  # type: ignore[no-untyped-def]
    """Close a download's file (not the response: that would close the test's connection)."""
    for closer in getattr(response, "_resource_closers", []):
        closer()


def _check(response, expected: object, where: str) -> None:  # type: ignore[no-untyped-def]
    status = response.status_code
    if expected == LOGIN:
        assert status == 302, where
        assert response["Location"].startswith("/en/accounts/sign-in/?next="), where
    elif isinstance(expected, set):
        assert status in expected, where
    else:
        assert status == expected, where


def _post_expectation(row: Row, role: str) -> object:
    if role in row.post:
        return row.post[role]
    get = row.get[role]
    if get == 404:
        return {404, 405}  # a POST-less view may answer the method first
    if get in (LOGIN, 401, 403, 410):
        return get
    return None  # allowed on GET: on POST anything but 403 and 5xx


@pytest.mark.parametrize("role", ROLES)
def test_who_gets_what(world: dict[str, str], cast: Cast, role: str, settings) -> None:  # type: ignore[no-untyped-def]
    settings.API_RATE_LIMIT_ANONYMOUS = "100000/60"
    settings.API_RATE_LIMIT_TOKEN = "100000/60"
    client, headers = _client(cast, role)
    failures = []
    for row in MATRIX.values():
        url = row.url.format(**world)
        extra = headers if row.api else {}
        for method in ("get", "post"):
            response = getattr(client, method)(url, **extra)
            _release(response)
            if role != "anonymous" and "/sign-out/" in url:
                client.force_login(client.user)  # type: ignore[attr-defined]
            where = f"{method.upper()} {url} as {role}: {response.status_code}"
            expected = row.get[role] if method == "get" else _post_expectation(row, role)
            try:
                if expected is None:
                    assert response.status_code < 500 and response.status_code != 403, where
                else:
                    _check(response, expected, where)
            except AssertionError as exc:
                failures.append(str(exc) or where)
    for pattern in ADMIN:
        url = _admin_url(pattern)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            _release(response)
            where = f"{method.upper()} {url} as {role}: {response.status_code}"
            try:
                _check(response, ADMIN_GET[role], where)
            except AssertionError as exc:
                failures.append(str(exc) or where)
    assert not failures, "\n".join(failures)


def test_every_page_of_another_initiatives_portal(world: dict[str, str], cast: Cast) -> None:
    """Another initiative's portal (/<lang>/i/<slug>/…) has the primary's pages, public as
    theirs are, for every role; the world's commitment, round and country (GT), which are the
    primary's, lead there (301), and the partner page is shared."""
    from adelante.initiatives.models import Initiative, InitiativeCountry
    from adelante.portal.initiatives import urlconf_for

    other = Initiative.objects.create(slug="ocean-pact", name="Ocean Pact", position=1)
    InitiativeCountry.objects.create(initiative=other, code="KE")
    prefix = "<lang>/i/ocean-pact/"
    patterns = {
        p for p in _walk(get_resolver(urlconf_for(other)).url_patterns) if p.startswith(prefix)
    }
    assert patterns, "no page under the initiative's prefix"
    # The world's country (GT) is the primary's, not the initiative's (KE): its page is the
    # primary's (portal/views/countries.py).
    redirected = {
        "<lang>/commitments/<slug:reference>/",
        "<lang>/rounds/<slug:slug>/",
        "<lang>/countries/<str:code>/",
    }
    failures = []
    for role in ROLES:
        client, _headers = _client(cast, role)
        for pattern in sorted(patterns):
            primary = "<lang>/" + pattern.removeprefix(prefix)
            assert primary in MATRIX, f"{pattern}: the primary's {primary} is not in MATRIX"
            row = MATRIX[primary]
            url = row.url.format(**world).replace("/en/", "/en/i/ocean-pact/", 1)
            response = client.get(url)
            _release(response)
            where = f"GET {url} as {role}: {response.status_code}"
            try:
                if primary in redirected:
                    assert response.status_code == 301, where
                    assert response["Location"] == row.url.format(**world), where
                else:
                    _check(response, row.get[role], where)
            except AssertionError as exc:
                failures.append(str(exc) or where)
    assert not failures, "\n".join(failures)
