"""Sign-in (with the failed-attempt limit and the two-factor step), sign-out, the home page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from adelante.accounts import addresses, languages, roles, signin, throttle, twofactor
from adelante.errors import ServiceError


def safe_next(request: HttpRequest, candidate: str | None) -> str:
    """Where to go after signing in: the asked-for page if it is ours, else the home page."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def locked_message(seconds: int) -> str:
    if seconds < 60:
        return ngettext(
            "Too many failed sign-ins. For your security, signing in is paused: try again in "
            "%(seconds)d second, or reset your password.",
            "Too many failed sign-ins. For your security, signing in is paused: try again in "
            "%(seconds)d seconds, or reset your password.",
            seconds,
        ) % {"seconds": seconds}
    minutes = (seconds + 59) // 60
    return ngettext(
        "Too many failed sign-ins. For your security, signing in is paused: try again in "
        "%(minutes)d minute, or reset your password.",
        "Too many failed sign-ins. For your security, signing in is paused: try again in "
        "%(minutes)d minutes, or reset your password.",
        minutes,
    ) % {"minutes": minutes}


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    status = 200
    refusal = ""
    if request.method == "POST":
        username = request.POST.get("username", "")[: throttle.KEY_LENGTH]
        address = addresses.client_address(request)
        form = AuthenticationForm(request, data=request.POST)
        # The attempt's slots are taken before the password is checked: concurrent guesses
        # cannot get more checks than the limit, and a paused account cannot be probed.
        wait = signin.begin(username, address)
        if wait:
            form = AuthenticationForm(request, initial={"username": username})
            refusal = locked_message(wait)
            status = 429
        elif form.is_valid():
            user = form.get_user()
            signin.succeeded(username, address)
            destination = safe_next(request, next_url)
            if signin.needs_second_step(user):
                signin.begin_second_step(request, user, destination)
                return redirect("accounts:two_factor")
            signin.finish(request, user, getattr(user, "backend", None), verified=False)
            return HttpResponseRedirect(destination)
        else:
            signin.failed(username, address)
            wait = signin.paused(username, address)
            if wait:
                form.add_error(None, locked_message(wait))
    else:
        form = AuthenticationForm(request)
    return render(
        request,
        "accounts/sign_in.html",
        {"form": form, "next": next_url, "title": _("Sign in"), "refusal": refusal},
        status=status,
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What a signed-in person can do, by role."""
    user = request.user
    if twofactor.missing(request):
        return redirect("accounts:two_factor")
    context = {
        "title": _("Your account"),
        "is_secretariat": roles.is_secretariat(user),
        "is_secretariat_admin": roles.is_secretariat_admin(user),
        "is_government_viewer": roles.is_government_viewer(user),
        "partners": [
            (partner, roles.is_partner_admin(user, partner)) for partner in roles.partners_of(user)
        ],
        "two_factor": twofactor.confirmed_device(user),
        "preferred_language": languages.preferred(user, request.LANGUAGE_CODE),
        "language_choices": settings.LANGUAGES,
    }
    return render(request, "accounts/home.html", context)


def work_for(user: Any) -> str:
    """The page of a person's work: a partner's workspace ("what is due"), the secretariat's
    work queue, a government viewer's reports, an administrator's admin; else the account."""
    if roles.is_secretariat(user):
        return reverse("workflow:queue")
    if roles.partners_of(user).exists():
        return reverse("workflow:partner_home")
    if roles.is_government_viewer(user):
        return reverse("reports:reports")
    if getattr(user, "is_superuser", False) or getattr(user, "is_staff", False):
        return reverse("admin:index")
    return reverse("accounts:home")


@login_required
@require_http_methods(["GET", "HEAD"])
def work(request: HttpRequest) -> HttpResponse:
    """Where everyone lands after signing in (LOGIN_REDIRECT_URL) and the header's "Your
    work": their work, in their own language."""
    if twofactor.missing(request):
        return redirect("accounts:two_factor")
    with languages.override_for(request.user, request.LANGUAGE_CODE):
        return HttpResponseRedirect(work_for(request.user))


@login_required
@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """Change one's preferred language (e-mails, digests, notices): back to the account page,
    in that language."""
    chosen = request.POST.get("language", "")
    try:
        languages.set_preferred(user=request.user, language=chosen)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("accounts:home")
    with translation.override(chosen):
        messages.success(request, _("Your e-mails will be in this language."))
        return HttpResponseRedirect(reverse("accounts:home"))


def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """The admin's login page sends people to ours, so every sign-in has the same protections."""
    target = resolve_url("accounts:sign_in")
    next_url = request.GET.get("next") or resolve_url("admin:index")
    return HttpResponseRedirect(f"{target}?{urlencode({'next': next_url})}")
