"""What every Adelante admin page shares: the site's titles and "a reason for this change".

Each change form has an optional "reason for this change" field (not a model field). Its value
becomes the django-simple-history change reason of every historical record written while the
form is saved: the object itself, its inline rows (added, changed or deleted), its many-to-many
changes and any derived rows that the save recomputes. Who made the change is recorded too: by
`SimpleHistoryAdmin.save_model` for the object and by `HistoryRequestMiddleware` for the rest.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.db import models
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.signals import pre_create_historical_record

from adelante.accounts.concurrency import ConcurrentEditMixin

admin.site.site_header = "Adelante"
admin.site.site_title = "Adelante"
admin.site.index_title = _("Record of commitments to Central America Forward")

REASON_FIELD = "change_reason"
REASON_MAX_LENGTH = 500


@dataclass
class _Reason:
    text: str | None = None


_current_reason: ContextVar[_Reason | None] = ContextVar("adelante_change_reason", default=None)


@contextmanager
def reason_scope() -> Iterator[None]:
    """Within this block, `set_reason` gives every new historical record a change reason."""
    token = _current_reason.set(_Reason())
    try:
        yield
    finally:
        _current_reason.reset(token)


def set_reason(text: str | None) -> None:
    """The reason for the changes saved from now on in the current `reason_scope` (if any)."""
    holder = _current_reason.get()
    if holder is not None:
        holder.text = (text or "").strip() or None


@receiver(pre_create_historical_record, dispatch_uid="adelante_admin_change_reason")
def _record_reason(sender: Any, history_instance: Any, **kwargs: Any) -> None:
    holder = _current_reason.get()
    if holder is not None and holder.text and not history_instance.history_change_reason:
        history_instance.history_change_reason = holder.text


class ChangeReasonForm(ConcurrentEditMixin, forms.ModelForm):  # type: ignore[type-arg]
    """A model form with the optional "reason for this change" field.

    Admin forms derived from it name no model: the model admin supplies the model and fields.
    Two people editing one record: the second save is refused, showing what changed
    (`adelante.accounts.concurrency`; the hidden version is in the change form template).
    """

    # Scripts and older tests that post without a version keep working; browsers send it.
    require_version = False
    # The admin saves inside its own transaction, right after this form's check.
    lock_on_save = False

    change_reason = forms.CharField(
        label=_("Reason for this change"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        help_text=_(
            "Optional. Kept in the history of this record and of the rows edited with it, "
            "beside your name and the time."
        ),
    )


#: Web addresses typed without a scheme are taken as https (Django 6's default).
URL_FIELDS: Mapping[type[models.Field[Any, Any]], Mapping[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


class HistoryAdmin(SimpleHistoryAdmin):
    """A model admin that keeps each object's history, with who, when, what and why."""

    form = ChangeReasonForm
    formfield_overrides = URL_FIELDS
    change_form_template = "admin/adelante/change_form.html"

    def get_fields(self, request: HttpRequest, obj: models.Model | None = None) -> Any:
        # The reason is rendered after the inlines, just above the save buttons.
        return [f for f in super().get_fields(request, obj) if f != REASON_FIELD]

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        with reason_scope():
            return super().changeform_view(request, object_id, form_url, extra_context)

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        with reason_scope():
            response = super().history_form_view(request, object_id, version_id, extra_context)
            if request.method == "POST" and response.status_code == 302:
                self.after_revert(request, object_id)
            return response

    def after_revert(self, request: HttpRequest, object_id: str) -> None:
        """Called after an object was reverted to an earlier version from its history."""

    def save_model(
        self, request: HttpRequest, obj: Any, form: forms.ModelForm[Any], change: bool
    ) -> None:
        set_reason(form.cleaned_data.get(REASON_FIELD))
        super().save_model(request, obj, form, change)

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: models.Model | None = None,
    ) -> HttpResponse:
        adminform = context.get("adminform")
        if adminform is not None and REASON_FIELD in adminform.form.fields:
            context["reason_fieldset"] = helpers.Fieldset(
                adminform.form,
                name=_("Why"),
                fields=(REASON_FIELD,),
                model_admin=self,
            )
        return super().render_change_form(request, context, add, change, form_url, obj)


# Two-factor for the admin too: a secretariat user who must use it and has not passed a code
# this session is sent to sign in again (the admin's login page leads to ours).
_admin_has_permission = admin.site.has_permission


def _has_permission(request: HttpRequest) -> bool:
    from adelante.accounts import twofactor

    return _admin_has_permission(request) and not twofactor.missing(request)


admin.site.has_permission = _has_permission  # type: ignore[method-assign]
