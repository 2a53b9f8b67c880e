"""The public "join / make a commitment" form and its e-mail confirmation."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from adelante.accounts import addresses, joining
from adelante.accounts.models import JoinRequest, JoinStatus
from adelante.accounts.views.session import locked_message
from adelante.initiatives.named import initiative_name

#: The honeypot: hidden from people (CSS and aria-hidden), filled in by form-filling bots.
HONEYPOT = "website"


class JoinForm(forms.ModelForm):  # type: ignore[type-arg]
    website = forms.CharField(
        label=gettext_lazy("Leave this field empty"), required=False, max_length=200
    )

    class Meta:
        model = JoinRequest
        fields = [
            "organisation_name",
            "organisation_type",
            "country",
            "contact_name",
            "contact_email",
            "intends",
        ]
        widgets = {"intends": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "country": gettext_lazy("Where the organisation is based."),
            "intends": gettext_lazy(
                "In a few sentences: what, where (Guatemala, El Salvador, Honduras or the "
                "region), roughly how much and over what time."
            ),
        }


@never_cache
def join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or None)
    status = 200
    if request.method == "POST":
        address = addresses.client_address(request)
        if request.POST.get(HONEYPOT):
            # A bot: answered as if all went well, and nothing is kept or sent.
            return redirect("joining:join_sent")
        wait = joining.rate_limited(address)
        if not wait and form.is_valid():
            wait = joining.take_slot(address)
        if wait:
            form.is_valid()  # errors can only be added to a cleaned form
            form.add_error(None, locked_message(wait))
            status = 429
        elif form.is_valid():
            made = joining.submit(form.cleaned_data, language=request.LANGUAGE_CODE)
            link = request.build_absolute_uri(joining.confirmation_path(made))
            joining.send_confirmation(made, link)
            return redirect("joining:join_sent")
        else:
            status = 400
    return render(
        request,
        "accounts/join.html",
        {
            "form": form,
            "honeypot": HONEYPOT,
            "title": _("Join %(initiative)s") % {"initiative": initiative_name()},
        },
        status=status,
    )


def sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/join_sent.html", {"title": _("Check your e-mail")})


@never_cache
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners follow links); POST confirms, once."""
    try:
        found = joining.from_token(token)
    except joining.JoinError as exc:
        return render(
            request,
            "accounts/join_confirm.html",
            {"title": _("Confirm your request"), "error": str(exc)},
            status=410,
        )
    if request.method == "POST":
        found = joining.confirm(token)
        return render(
            request,
            "accounts/join_confirm.html",
            {"title": _("Request confirmed"), "join": found, "confirmed": True},
        )
    return render(
        request,
        "accounts/join_confirm.html",
        {
            "title": _("Confirm your request"),
            "join": found,
            "confirmed": found.status != JoinStatus.UNCONFIRMED,
        },
    )
