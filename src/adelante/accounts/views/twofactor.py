"""Two-factor pages: the code step of a sign-in, enrolment, removal."""

from __future__ import annotations

from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from adelante.accounts import signin, throttle, twofactor
from adelante.accounts.models import TwoFactorDevice
from adelante.accounts.views.session import locked_message, safe_next


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _enrolment(device: TwoFactorDevice) -> dict[str, Any]:
    uri = twofactor.provisioning_uri(device)
    # segno draws the QR code as inline SVG here: nothing is fetched by the browser.
    qr = segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff")
    return {"secret": device.secret, "uri": uri, "qr": mark_safe(qr)}


def _check_code(request: HttpRequest, user: Any, device: TwoFactorDevice, form: CodeForm) -> bool:
    """Counts wrong codes like failed passwords (six digits must not be guessable): a slot is
    taken before the code is checked, so concurrent guesses get no more checks than the
    limit; a right code gives it back."""
    if not form.is_valid():
        return False
    key = str(user.pk)
    wait = throttle.reserve(throttle.two_factor(), key)
    if wait:
        form.add_error(None, locked_message(wait))
        return False
    code = form.cleaned_data["code"]
    ok = twofactor.verify(device, code) if device.confirmed_at else twofactor.confirm(device, code)
    if ok:
        throttle.release(throttle.two_factor(), key)
    else:
        form.add_error("code", _("This code is not right (or was used already). Try the next."))
    return ok


@never_cache
def two_factor(request: HttpRequest) -> HttpResponse:
    """The code step: after the password, or for a signed-in secretariat user who owes one."""
    step = signin.pending(request)
    if step is not None:
        user, backend, next_url = step.user, step.backend, step.next
    elif request.user.is_authenticated and twofactor.missing(request):
        user, backend, next_url = request.user, None, ""
    else:
        return redirect("accounts:sign_in")
    device = twofactor.confirmed_device(user) or twofactor.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and _check_code(request, user, device, form):
        if step is not None:
            signin.finish(request, user, backend, verified=True)
        else:
            request.session[twofactor.SESSION_VERIFIED] = True
        return HttpResponseRedirect(safe_next(request, next_url))
    context: dict[str, Any] = {"form": form, "title": _("Two-factor sign-in")}
    if device.confirmed_at is None:
        context.update(_enrolment(device), enrolling=True)
    return render(request, "accounts/two_factor.html", context)


@login_required
@never_cache
def enrol(request: HttpRequest) -> HttpResponse:
    """Turn two-factor on for one's own account (or see that it is on)."""
    user = request.user
    device = twofactor.pending_device(user)  # type: ignore[arg-type]
    form = CodeForm(request.POST or None)
    if (
        device.confirmed_at is None
        and request.method == "POST"
        and _check_code(request, user, device, form)
    ):
        request.session[twofactor.SESSION_VERIFIED] = True
        messages.success(request, _("Two-factor sign-in is on."))
        return redirect("accounts:home")
    context: dict[str, Any] = {
        "form": form,
        "device": device,
        "required": twofactor.required_for(user),
        "title": _("Two-factor sign-in"),
    }
    if device.confirmed_at is None:
        context.update(_enrolment(device))
    return render(request, "accounts/two_factor_enrol.html", context)


@require_POST
@login_required
def remove(request: HttpRequest) -> HttpResponse:
    """Turn two-factor off, with a current code; not for roles that must use it."""
    user = request.user
    device = twofactor.confirmed_device(user)
    form = CodeForm(request.POST)
    if device is None:
        return redirect("accounts:two_factor_enrol")
    if twofactor.required_for(user):
        messages.error(request, _("Your role must use two-factor sign-in; it stays on."))
        return redirect("accounts:two_factor_enrol")
    if _check_code(request, user, device, form):
        device.delete()
        request.session.pop(twofactor.SESSION_VERIFIED, None)
        messages.success(request, _("Two-factor sign-in is off."))
        return redirect("accounts:home")
    messages.error(request, _("This code is not right; two-factor sign-in stays on."))
    return redirect("accounts:two_factor_enrol")
