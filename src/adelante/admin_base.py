"""What every Adelante admin page shares: the site's titles and "a reason for this change".

Each change form has an optional "reason for this change" field (not a model field). Its value
becomes the django-simple-history change reason of every historical record written while the
form is saved: the object itself, its inline rows (added, changed or deleted), its many-to-many
changes and any derived rows that the save recomputes. Who made the change is recorded too: by
`SimpleHistoryAdmin.save_model` for the object and by `HistoryRequestMiddleware` for the rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from adelante import history
from adelante.accounts.concurrency import ConcurrentEditMixin
from adelante.bilingual import TranslationState, text_fields, texts_edited
from adelante.errors import ServiceError

admin.site.site_header = "Adelante"
admin.site.site_title = "Adelante"
# The installation's admin: its initiatives are records (adelante.initiatives), so no name here.
admin.site.index_title = _("Record of commitments")

REASON_FIELD = "change_reason"
REASON_MAX_LENGTH = 500


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


class EditServiceForm(ChangeReasonForm):
    """A change form whose record's edit service (`commitments.editing`, `partners.editing`)
    checks what staff typed: the one implementation of the record's rules, which public
    corrections call too. Its errors are shown on the fields they name, with what was typed.

    The form reads each field (its type, length, choices); then the service checks the values
    against the stored record (or, for a new one, a blank record), and works out what is
    derived from them (a commitment's US$ amount), which the form's instance takes on.
    """

    #: The person editing: the admin sets it (`HistoryAdmin.get_form`).
    editor: Any = None
    #: What the service was given, once it accepted it (`HistoryAdmin.save_model` saves it).
    edit_changes: dict[str, Any] | None = None

    def check_edit(self, stored: Any, changes: Mapping[str, Any]) -> models.Model:
        """The record as the changes would leave it (the service's check); `ServiceError`."""
        raise NotImplementedError

    def save_edit(self, stored: Any, changes: Mapping[str, Any], reason: str) -> models.Model:
        """Save the changes through the service; the record as saved."""
        raise NotImplementedError

    def validate_unique(self) -> None:
        """Unique fields and constraints are checked by the service, after its rules (whose
        reasons say more than "constraint violated")."""

    def _post_clean(self) -> None:
        # The service first: a field it refuses is left out of the model's own checks below
        # (as a field whose text could not be read is), so each field shows the rule's reason.
        candidate = self._check_with_service() if not self.errors else None
        super()._post_clean()  # type: ignore[misc]
        if candidate is None or self.errors:
            self.edit_changes = None
            return
        for field in candidate._meta.concrete_fields:
            if not field.primary_key:
                setattr(self.instance, field.attname, getattr(candidate, field.attname))

    def _check_with_service(self) -> models.Model | None:
        model = type(self.instance)
        stored = model._default_manager.filter(pk=self.instance.pk).first()
        if stored is None:
            stored = model()
        names = {f.name for f in model._meta.concrete_fields}
        changes = {n: self.cleaned_data[n] for n in self.fields if n in names}
        try:
            candidate = self.check_edit(stored, changes)
        except ServiceError as error:
            for name, messages in error.field_errors.items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
            if not error.field_errors:
                self.add_error(None, error.message)
            return None
        self.edit_changes = changes
        return candidate


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
        with history.scope():
            try:
                return super().changeform_view(request, object_id, form_url, extra_context)
            except ServiceError as error:
                return self._refused_at_save(request, error)

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        with history.scope():
            try:
                response = super().history_form_view(request, object_id, version_id, extra_context)
            except ServiceError as error:
                return self._refused_at_save(request, error)
            if request.method == "POST" and response.status_code == 302:
                self.after_revert(request, object_id)
            return response

    def _refused_at_save(self, request: HttpRequest, error: ServiceError) -> HttpResponse:
        # The edit service, checking again under a lock as it saves, refused what the form's
        # check let through (someone changed the record in between): the transaction was
        # rolled back, nothing is written; say why on the same page.
        self.message_user(request, " ".join(error.messages()), level=messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def after_revert(self, request: HttpRequest, object_id: str) -> None:
        """Called after an object was reverted to an earlier version from its history."""

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if isinstance(form, type) and issubclass(form, EditServiceForm):
            # The edit service asks who edits.
            return type(form.__name__, (form,), {"editor": request.user})
        return form

    def save_model(
        self, request: HttpRequest, obj: Any, form: forms.ModelForm[Any], change: bool
    ) -> None:
        reason = form.cleaned_data.get(REASON_FIELD) or ""
        history.set_reason(reason)
        if change and isinstance(form, EditServiceForm) and form.edit_changes is not None:
            # A recorded object changes through its edit service, as a correction does.
            saved = form.save_edit(obj, form.edit_changes, reason)
            for field in saved._meta.concrete_fields:
                setattr(obj, field.attname, getattr(saved, field.attname))
            return
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


class TranslatedTextAdmin(HistoryAdmin):
    """The admin of a record with text in both languages (`adelante.bilingual`): staff may
    add or correct either language; its translation state follows (`texts_edited`), shown
    but not typed."""

    def get_readonly_fields(self, request: HttpRequest, obj: models.Model | None = None) -> Any:
        return (*super().get_readonly_fields(request, obj), "translation_state")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if set(text_fields(obj)) & set(form.changed_data):
            texts_edited(obj, translator=TranslationState.STAFF)
        super().save_model(request, obj, form, change)
