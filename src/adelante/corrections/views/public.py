"""The public pages: suggest a correction, confirm it by e-mail, and the log of decisions."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from adelante import web_errors
from adelante.accounts import addresses
from adelante.corrections import log, subjects, suggesting
from adelante.corrections.forms import HONEYPOT, SuggestForm
from adelante.corrections.models import CorrectionStatus
from adelante.errors import ServiceError

GET = ("GET", "HEAD")


def wait_message(seconds: int) -> str:
    hours = max(1, (seconds + 3599) // 3600)
    return ngettext(
        "Too many suggestions from this address today: please try again in %(hours)d hour.",
        "Too many suggestions from this address today: please try again in %(hours)d hours.",
        hours,
    ) % {"hours": hours}


@never_cache
@require_http_methods([*GET, "POST"])
def suggest(request: HttpRequest, subject: str, key: str) -> HttpResponse:
    try:
        target = subjects.find(subject, key)
    except ServiceError:
        raise Http404 from None
    form = SuggestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if request.POST.get(HONEYPOT):
            # A bot: answered as if all went well, and nothing is kept or sent.
            return redirect("corrections:sent")
        address = addresses.client_address(request)
        status = 400
        if form.is_valid():
            email = form.cleaned_data["email"]
            wait = suggesting.rate_limited(address, email) or suggesting.take_slot(address, email)
            if wait:
                form.add_error(None, wait_message(wait))
                status = 429
            else:
                try:
                    made = suggesting.do_suggest(
                        target, form.cleaned_data, language=request.LANGUAGE_CODE
                    )
                except ServiceError as error:
                    web_errors.on_form(form, error)
                else:
                    link = request.build_absolute_uri(suggesting.confirmation_path(made))
                    suggesting.send_confirmation(made, target, link)
                    return redirect("corrections:sent")
    return render(
        request,
        "corrections/suggest.html",
        {
            "title": _("Suggest a correction"),
            "target": target,
            "form": form,
            "honeypot": HONEYPOT,
        },
        status=status,
    )


@require_http_methods(GET)
def sent(request: HttpRequest) -> HttpResponse:
    return render(request, "corrections/sent.html", {"title": _("Check your e-mail")})


@never_cache
@require_http_methods([*GET, "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners follow links); POST confirms, once."""
    try:
        found = suggesting.from_token(token)
    except ServiceError as error:
        return render(
            request,
            "corrections/confirm.html",
            {"title": _("Confirm your suggestion"), "error": error.message},
            status=410,
        )
    if request.method == "POST":
        found = suggesting.do_confirm(token)
        return render(
            request,
            "corrections/confirm.html",
            {"title": _("Suggestion confirmed"), "correction": found, "confirmed": True},
        )
    return render(
        request,
        "corrections/confirm.html",
        {
            "title": _("Confirm your suggestion"),
            "correction": found,
            "confirmed": found.status != CorrectionStatus.UNCONFIRMED,
        },
    )


@require_http_methods(GET)
def public_log(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "corrections/log.html",
        {"title": _("Corrections"), "entries": log.public_log(), "listed": log.LISTED},
    )
