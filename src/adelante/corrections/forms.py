"""The forms of the corrections pages: the public suggestion, and the secretariat's decision.

They only read what was typed; the rules are the services' (`suggesting`, `deciding`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from adelante.corrections import suggesting

#: The honeypot: hidden from people (CSS and aria-hidden), filled in by form-filling bots.
HONEYPOT = "website"


class SuggestForm(forms.Form):
    said = forms.CharField(
        label=gettext_lazy("What is wrong, and what should it say?"),
        max_length=suggesting.MAX_SAID,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Shown in the public log of corrections once the secretariat has decided. "
            "Please do not include personal details."
        ),
    )
    source_url = forms.URLField(
        label=gettext_lazy("Where is the right figure published? (optional)"),
        required=False,
        max_length=suggesting.MAX_URL,
        assume_scheme="https",
    )
    name = forms.CharField(
        label=gettext_lazy("Your name (optional)"),
        required=False,
        max_length=suggesting.MAX_NAME,
        help_text=gettext_lazy("Only the secretariat sees it."),
    )
    email = forms.EmailField(
        label=gettext_lazy("Your e-mail address"),
        help_text=gettext_lazy(
            "We send you a link to confirm the suggestion. The address is never shown."
        ),
    )
    website = forms.CharField(
        label=gettext_lazy("Leave this field empty"), required=False, max_length=200
    )


class AcceptForm(forms.Form):
    field = forms.ChoiceField(label=gettext_lazy("Field to change"), required=False)
    value = forms.CharField(
        label=gettext_lazy("New value"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "As the admin takes it: dates as YYYY-MM-DD, amounts as digits with a decimal point."
        ),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (public)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, fields: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice = self.fields["field"]
        if fields and isinstance(choice, forms.ChoiceField):
            choice.choices = [("", "—"), *fields]
            choice.required = True
        else:
            del self.fields["field"]
            del self.fields["value"]


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (public)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    hide = forms.BooleanField(
        label=gettext_lazy("Leave it out of the public log (spam, abuse or personal data)"),
        required=False,
    )
