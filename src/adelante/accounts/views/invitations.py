"""An organisation's people and invitations; accepting an invitation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import password_validation
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from adelante.accounts import addresses, invitations, signin
from adelante.accounts.access import partner_member_required
from adelante.accounts.models import Invitation
from adelante.partners.models import Membership, MembershipRole, Partner

BACKEND = "django.contrib.auth.backends.ModelBackend"


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"))
    role = forms.ChoiceField(
        label=gettext_lazy("Role"), choices=MembershipRole.choices, initial=MembershipRole.MEMBER
    )
    #: The e-mail's language and the new account's (the page's language if not chosen).
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the invitation and of their e-mails"),
        choices=settings.LANGUAGES,
        required=False,
    )


class AcceptForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Your name"), max_length=150, required=False)
    password1 = forms.CharField(
        label=gettext_lazy("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=gettext_lazy("The same password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            from django.contrib.auth import get_user_model

            probe = get_user_model()(username=self.email, email=self.email)
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


@partner_member_required(admin=True)
def people(request: HttpRequest, partner: Partner) -> HttpResponse:
    """An organisation's members and open invitations; its admins (and the secretariat) invite."""
    form = InviteForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    status = 200
    wait = 0
    if request.method == "POST" and form.is_valid():
        wait = invitations.sending_wait(
            email=form.cleaned_data["email"], address=addresses.client_address(request)
        )
        if wait:
            minutes = (wait + 59) // 60
            form.add_error(
                "email",
                ngettext(
                    "Too many invitations to this address, or from you, just now: try again "
                    "in %(minutes)d minute.",
                    "Too many invitations to this address, or from you, just now: try again "
                    "in %(minutes)d minutes.",
                    minutes,
                )
                % {"minutes": minutes},
            )
            status = 429
    if request.method == "POST" and form.is_valid() and not wait:
        invitation = invitations.invite(
            partner,
            form.cleaned_data["email"],
            form.cleaned_data["role"],
            invited_by=request.user,
            language=form.cleaned_data["language"] or request.LANGUAGE_CODE,
        )
        invitations.send(invitation)
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
        return redirect("accounts:people", partner=partner.slug)
    context = {
        "title": _("People of %(partner)s") % {"partner": partner.name},
        "partner": partner,
        "form": form,
        "members": Membership.objects.filter(partner=partner).select_related("user"),
        "open_invitations": Invitation.objects.filter(
            partner=partner,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ),
    }
    if form.errors and status == 200:
        status = 400
    return render(request, "accounts/people.html", context, status=status)


def _invalid(request: HttpRequest, exc: invitations.InvitationInvalid) -> HttpResponse:
    """The page for a link that is no longer good (gone: 410), saying why."""
    return render(
        request,
        "accounts/invitation_invalid.html",
        {"title": _("Invitation"), "reason": str(exc)},
        status=410,
    )


@sensitive_post_parameters("password1", "password2")
@never_cache
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the invitation e-mail: set a password (or use the signed-in account)."""
    try:
        invitation = invitations.open_invitation(token)
    except invitations.InvitationInvalid as exc:
        return _invalid(request, exc)
    existing = invitations.existing_account(invitation)
    user = request.user if request.user.is_authenticated else None
    if existing is not None and user is None:
        # The address has an account already: it signs in and comes back to this link.
        return redirect_to_login(request.get_full_path())
    form = AcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and (user is not None or form.is_valid()):
        try:
            accepted = invitations.accept(
                token,
                user=user,
                password=form.cleaned_data.get("password1", "") if user is None else "",
                name=form.cleaned_data.get("name", "") if user is None else "",
            )
        except invitations.InvitationInvalid as exc:
            return _invalid(request, exc)
        if user is None:
            signin.finish(request, accepted, BACKEND, verified=False)
        messages.success(
            request,
            _("Welcome: you are now a member of %(partner)s.")
            % {"partner": invitation.partner.name},
        )
        return redirect("accounts:work")
    context = {"title": _("Invitation"), "invitation": invitation, "form": form, "signed_in": user}
    return render(request, "accounts/invitation.html", context, status=400 if form.errors else 200)
