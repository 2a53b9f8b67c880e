"""Staff admin of partners and the other names they are known by."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from adelante.admin_base import ChangeReasonForm, TranslatedTextAdmin
from adelante.partners.models import Membership, Partner, PartnerAlias
from adelante.partners.naming import normalise


def _saved(obj: Any) -> bool:
    return obj is not None and obj.pk is not None


def name_owner(key: str, partner: Partner | None) -> Partner | None:
    """Another partner already known by this normalised name, as its name or an alias.

    A partner's name and its aliases are matched the same way (docs/import.md), so one name
    may belong to one partner only.
    """
    partners = Partner.objects.filter(normalised_name=key)
    aliases = PartnerAlias.objects.filter(normalised_name=key)
    if _saved(partner):
        partners = partners.exclude(pk=partner.pk)  # type: ignore[union-attr]
        aliases = aliases.exclude(partner=partner)
    hit = partners.first()
    if hit is not None:
        return hit
    alias = aliases.select_related("partner").first()
    return alias.partner if alias is not None else None


def alias_owner(key: str, alias: PartnerAlias) -> Partner | None:
    """The partner already known by this normalised name, other than through this alias."""
    partners = Partner.objects.filter(normalised_name=key)
    if alias.partner_id is not None:
        partners = partners.exclude(pk=alias.partner_id)
    aliases = PartnerAlias.objects.filter(normalised_name=key)
    if _saved(alias):
        aliases = aliases.exclude(pk=alias.pk)
    hit = partners.first()
    if hit is not None:
        return hit
    other = aliases.select_related("partner").first()
    return other.partner if other is not None else None


def checked_key(name: str) -> str:
    key = normalise(name)
    if not key:
        raise ValidationError(_("A name needs letters or digits."), code="empty")
    return key


class PartnerForm(ChangeReasonForm):
    def clean_name(self) -> str:
        name: str = self.cleaned_data.get("name", "")
        key = checked_key(name)
        other = name_owner(key, self.instance)
        if other is not None:
            raise ValidationError(
                _(
                    "“%(other)s” is already known by this name (names are matched without "
                    "accents, case, punctuation or legal-form words)."
                ),
                code="taken",
                params={"other": other},
            )
        return name


class PartnerAliasForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = PartnerAlias
        fields = ("name",)

    def clean_name(self) -> str:
        name: str = self.cleaned_data.get("name", "")
        key = checked_key(name)
        other = alias_owner(key, self.instance)
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
