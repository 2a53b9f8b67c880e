"""Staff admin of partners and the other names they are known by."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from adelante.admin_base import EditServiceForm, TranslatedTextAdmin
from adelante.partners import editing
from adelante.partners.models import Membership, Partner, PartnerAlias
from adelante.partners.naming import normalise


class PartnerForm(EditServiceForm):
    """The partner's fields, checked by its edit service (`partners.editing`): a name with
    letters or digits that no other partner is known by, as its name or an alias."""

    def check_edit(self, stored: Any, changes: Mapping[str, Any]) -> Partner:
        return editing.check_partner_edit(partner=stored, changes=changes, by=self.editor)

    def save_edit(self, stored: Any, changes: Mapping[str, Any], reason: str) -> Partner:
        edit = editing.do_edit_partner(
            partner=stored, changes=changes, reason=reason, by=self.editor
        )
        assert isinstance(edit.record, Partner)
        return edit.record


class PartnerAliasForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = PartnerAlias
        fields = ("name",)

    def clean_name(self) -> str:
        name: str = self.cleaned_data.get("name", "")
        key = normalise(name)
        if not key:
            raise ValidationError(_("A name needs letters or digits."), code="empty")
        other = editing.alias_owner(key, self.instance)
        if other is not None:
            raise ValidationError(
                _("“%(other)s” is already known by this name."),
                code="taken",
                params={"other": other},
            )
        return name


class PartnerAliasFormSet(forms.BaseInlineFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        super().clean()
        main = normalise(getattr(self.instance, "name", "") or "")
        seen: set[str] = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("name"):
                continue
            key = normalise(data["name"])
            if key == main:
                form.add_error("name", _("This is the partner's own name."))
            elif key in seen:
                form.add_error("name", _("This alias is given twice."))
            seen.add(key)


class PartnerAliasInline(admin.TabularInline):  # type: ignore[type-arg]
    model = PartnerAlias
    form = PartnerAliasForm
    formset = PartnerAliasFormSet
    fields = ("name", "normalised_name")
    readonly_fields = ("normalised_name",)
    extra = 0


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    """The users who belong to the partner (what scopes their API tokens); issue 4 adds roles."""

    model = Membership
    raw_id_fields = ("user",)
    fields = ("user", "role")
    extra = 0


@admin.register(Partner)
class PartnerAdmin(TranslatedTextAdmin):
    """Partners and their aliases. Normalised names are derived from the names (read-only)."""

    form = PartnerForm
    list_display = ("name", "type", "commitment_count", "website")
    list_filter = ("type",)
    search_fields = ("name", "normalised_name", "aliases__name", "aliases__normalised_name")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("normalised_name",)
    fields = (
        "name",
        "normalised_name",
        "slug",
        "type",
        "website",
        "written_in",
        "description",
        "description_es",
        "translation_state",
    )
    inlines = (PartnerAliasInline, MembershipInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Partner]:
        # The history admin's base class is untyped (simple_history): say what comes back.
        partners: QuerySet[Partner] = super().get_queryset(request)
        return partners.annotate(commitment_count=Count("commitments", distinct=True))

    @admin.display(description=_("commitments"), ordering="commitment_count")
    def commitment_count(self, obj: Any) -> int:
        return int(obj.commitment_count)
