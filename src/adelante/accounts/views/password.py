"""Password reset by e-mail: Django's views (tokens that die once the password changes, so a
replayed link is refused), our templates, a limit on the e-mails sent, and a cleared sign-in
lockout after a reset."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.translation import get_language

from adelante.accounts import addresses, languages, signin


class ResetConfirm(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # Whoever can read the account's e-mail may sign in again at once.
        signin.reset_done(form.user.get_username())
        return response


class ResetForm(PasswordResetForm):
    """The e-mail in the account's preferred language (its link under that prefix), not the
    language of the page it was asked from."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        with languages.override_for(context.get("user"), get_language()):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name,
            )


class Reset(auth_views.PasswordResetView):
    form_class = ResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        """Past the limits nothing is sent, and the answer is the same: the "if an account has
        this address, a link is on its way" page, whether or not one has."""
        email = form.cleaned_data["email"]
        address = addresses.client_address(self.request)
        if signin.may_send_reset(email=email, address=address):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


reset = Reset.as_view()
reset_sent = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_sent.html"
)
reset_confirm = ResetConfirm.as_view()
reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
