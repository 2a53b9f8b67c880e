"""The secretariat's queue of suggested corrections, and the decision on each."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from adelante import web_errors
from adelante.accounts.access import secretariat_required
from adelante.corrections import deciding, subjects
from adelante.corrections.forms import AcceptForm, DeclineForm
from adelante.corrections.models import Correction, CorrectionStatus
from adelante.errors import ErrorKind, ServiceError

GET = ("GET", "HEAD")


def _actor(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _private(response: HttpResponse) -> HttpResponse:
    # The suggester's e-mail address is on these pages: never kept by a cache.
    response["Cache-Control"] = "private, no-store"
    return response


@secretariat_required
@require_http_methods(GET)
def queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", CorrectionStatus.NEW)
    if status not in CorrectionStatus.values or status == CorrectionStatus.UNCONFIRMED:
        status = ""
    return _private(
        render(
            request,
            "corrections/queue.html",
            {
                "title": _("Suggested corrections"),
                "rows": deciding.queue(status),
                "status": status,
                "statuses": [
                    c for c in CorrectionStatus.choices if c[0] != CorrectionStatus.UNCONFIRMED
                ],
            },
        )
    )


def _field_choices(correction: Correction) -> tuple[Any, list[tuple[str, str]]]:
    try:
        target = subjects.find(correction.subject, correction.subject_key)
    except ServiceError:
        return None, []
    if target.record is None:
        return target, []
    model = type(target.record)
    return target, [(name, subjects.field_label(model, name)) for name in target.fields]


@secretariat_required
@require_http_methods([*GET, "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    correction = get_object_or_404(
        Correction.objects.exclude(status=CorrectionStatus.UNCONFIRMED), pk=pk
    )
    target, fields = _field_choices(correction)
    action = request.POST.get("action", "")
    accept = AcceptForm(
        request.POST if action == "accept" else None, fields=fields, prefix="accept"
    )
    decline = DeclineForm(request.POST if action == "decline" else None, prefix="decline")
    status = 200
    if request.method == "POST":
        form = accept if action == "accept" else decline
        status = 400
        if action not in ("accept", "decline"):
            messages.error(request, _("Choose an action."))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                if action == "accept":
                    deciding.do_accept(
                        correction,
                        field=data.get("field", ""),
                        value=data.get("value", ""),
                        reason=data["reason"],
                        by=_actor(request),
                        site=request.build_absolute_uri("/"),
                    )
                    messages.success(request, _("Accepted; the record is changed."))
                else:
                    deciding.do_decline(
                        correction,
                        reason=data["reason"],
                        hide=data["hide"],
                        by=_actor(request),
                        site=request.build_absolute_uri("/"),
                    )
                    messages.success(request, _("Declined."))
                return redirect("corrections:review", pk=correction.pk)
            except ServiceError as error:
                if error.kind == ErrorKind.INVALID:
                    web_errors.on_form(form, error)
                else:
                    web_errors.to_messages(request, error)
                    status = web_errors.status(error)
    return _private(
        render(
            request,
            "corrections/review.html",
            {
                "title": _("Suggested correction no. %(number)s") % {"number": correction.pk},
                "correction": correction,
                "target": target,
                "accept": accept,
                "decline": decline,
                "waiting": correction.status == CorrectionStatus.NEW,
                "values": _current_values(target),
            },
            status=status,
        )
    )


def _current_values(target: Any) -> list[tuple[str, str]]:
    """The correctable fields' recorded values, to compare with what was said."""
    if target is None or target.record is None:
        return []
    model = type(target.record)
    return [
        (subjects.field_label(model, name), str(getattr(target.record, name) or "—"))
        for name in target.fields
    ]
