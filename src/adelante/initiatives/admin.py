"""Staff admin of the installation's initiatives.

Adding one goes through `initiatives.founding`, changing one through `initiatives.changing`:
the services `adelante initiative create|change` call too, so each rule (the countries, the one
primary initiative, the stable address) is checked in one place and says the same thing at
either door. The countries are one field, codes in order ("KE, TZ, MZ").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from adelante import history
from adelante.admin_base import REASON_FIELD, EditServiceForm, TranslatedTextAdmin
from adelante.initiatives import changing, founding
from adelante.initiatives.models import Initiative


class InitiativeForm(EditServiceForm):
    """The initiative's fields and its countries, checked by the founding service (a new one)
    or the change service (a recorded one)."""

    countries = forms.CharField(
        label=_("countries"),
        max_length=1000,
        help_text=_(
            "ISO 3166-1 codes, in the order the pages list them, separated by commas: "
            "KE, TZ, MZ. A country that a commitment names stays."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["countries"] = ", ".join(self.instance.country_codes())
        elif "position" in self.fields:
            self.initial["position"] = founding.next_position()

    def _get_validation_exclusions(self) -> set[str]:
        # One primary initiative is the change service's rule: the flag moves when saved.
        return {*super()._get_validation_exclusions(), "primary"}  # type: ignore[misc]

    def clean_display_currency(self) -> str:
        return str(self.cleaned_data.get("display_currency", "")).strip().upper()

    def clean_countries(self) -> list[str]:
        return founding.listed_codes(self.cleaned_data.get("countries", ""))

    def _all_changes(self, changes: Mapping[str, Any]) -> dict[str, Any]:
        """The model's fields typed, with the countries and the metrics (not its columns)."""
        found = dict(changes)
        for name in (changing.COUNTRIES, changing.METRICS):
            if name in self.fields and name in self.cleaned_data:
                found[name] = list(self.cleaned_data[name])
        return found

    def _founding(self, changes: Mapping[str, Any]) -> founding.Founding:
        return founding.Founding(
            slug=changes.get("slug", ""),
            name=changes.get("name", ""),
            name_es=changes.get("name_es", ""),
            description=changes.get("description", ""),
            description_es=changes.get("description_es", ""),
            countries=changes.get(changing.COUNTRIES, []),
            display_currency=changes.get("display_currency", "USD"),
            synthetic=bool(changes.get("synthetic", False)),
            languages_pending=founding.listed_codes(changes.get("languages_pending", "")),
            written_in=changes.get("written_in", "en"),
            accent_colour=changes.get("accent_colour", "#0b5394"),
            logo=changes.get("logo") or None,
            metrics=changes.get(changing.METRICS, ()),
            position=changes.get("position"),
        )

    def check_edit(self, stored: Any, changes: Mapping[str, Any]) -> Initiative:
        changes = self._all_changes(changes)
        if stored.pk is None:
            return founding.check_founding(self._founding(changes), user=self.editor)
        return changing.check_initiative_change(initiative=stored, changes=changes, by=self.editor)

    def save_edit(self, stored: Any, changes: Mapping[str, Any], reason: str) -> Initiative:
        changes = self._all_changes(changes)
        if stored.pk is None:
            return founding.found_initiative(
                self._founding(changes), user=self.editor, reason=reason or None
            )
        edit = changing.do_change_initiative(
            initiative=stored, changes=changes, reason=reason, by=self.editor
        )
        assert isinstance(edit.record, Initiative)
        return edit.record


@admin.register(Initiative)
class InitiativeAdmin(TranslatedTextAdmin):
    form = InitiativeForm
    list_display = ("name", "slug", "primary", "synthetic", "position", "display_currency")
    list_filter = ("synthetic", "primary")
    search_fields = ("slug", "name", "name_es")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("metrics",)
    fields = (
        "slug",
        "name",
        "name_es",
        "description",
        "description_es",
        "written_in",
        "translation_state",
        "countries",
        "primary",
        "position",
        "display_currency",
        "accent_colour",
        "logo",
        "synthetic",
        "languages_pending",
        "metrics",
    )

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = super().get_fields(request, obj)
        # A new initiative is never the primary one (founding): it may become it once made.
        return [f for f in fields if obj is not None or f != "primary"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # Added and changed alike through the form's service (its check passed in the form).
        reason = form.cleaned_data.get(REASON_FIELD) or ""
        history.set_reason(reason)
        saved = form.save_edit(obj, form.edit_changes, reason)
        for field in saved._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The primary initiative is what an address or a command without an initiative means:
        # another one is made primary first (which the change form does), never none.
        if obj is not None and obj.primary:
            return False
        return bool(super().has_delete_permission(request, obj))

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The service saved the countries and the metrics with the initiative."""
