"""Staff admin of partners and the other names they are known by."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from adelante.admin_base import REASON_FIELD, EditServiceForm, TranslatedTextAdmin
from adelante.errors import ServiceError
from adelante.partners import editing
from adelante.partners.duplicates import likely_duplicates
from adelante.partners.merging import (
    do_merge_partners,
    do_undo_merge,
    later_merge,
    later_merge_message,
)
from adelante.partners.models import (
    Membership,
    Partner,
    PartnerAlias,
    PartnerIdentifier,
    PartnerMerge,
)
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


class PartnerIdentifierForm(forms.ModelForm):  # type: ignore[type-arg]
    """An identifier checked by the service of every door (`partners.editing`): who may, the
    one rule of `partners.identifiers`, not one the partner has already. The admin's formset
    saves through the same service (`PartnerAdmin.save_formset`)."""

    #: The person editing and the partner: set by `PartnerIdentifierInline.get_formset`.
    editor: Any = None
    partner: Partner | None = None

    class Meta:
        model = PartnerIdentifier
        fields = ("identifier",)

    def clean_identifier(self) -> str:
        typed = self.cleaned_data.get("identifier", "")
        stored = self.initial.get("identifier")
        if self.instance.pk is not None and typed == stored:
            return str(typed)  # unchanged: nothing to check
        partner = self.partner if self.partner is not None else Partner()
        try:
            checked = editing.check_add_identifier(
                partner=partner, identifier=typed, by=self.editor
            )
        except ServiceError as exc:
            raise ValidationError(exc.message, code=exc.kind.value) from exc
        self.instance.scheme = checked.scheme.code
        return checked.canonical


class PartnerIdentifierFormSet(forms.BaseInlineFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        super().clean()
        seen: set[str] = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("identifier"):
                continue
            if data["identifier"] in seen:
                form.add_error("identifier", _("This identifier is given twice."))
            seen.add(data["identifier"])


class PartnerIdentifierInline(admin.TabularInline):  # type: ignore[type-arg]
    model = PartnerIdentifier
    form = PartnerIdentifierForm
    formset = PartnerIdentifierFormSet
    fields = ("identifier", "scheme", "scheme_name")
    readonly_fields = ("scheme", "scheme_name")
    extra = 0

    @admin.display(description=_("scheme's name"))
    def scheme_name(self, obj: PartnerIdentifier) -> str:
        return obj.scheme_name if obj.pk else ""

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        # The service asks who edits, and which partner (None: one being added).
        form = type(
            formset.form.__name__, (formset.form,), {"editor": request.user, "partner": obj}
        )
        formset.form = form
        return formset


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(Partner.objects.all(), label=_("Keep"))
    absorb = forms.ModelChoiceField(Partner.objects.all(), label=_("Merge into it"))
    reason = forms.CharField(label=_("Reason"), max_length=500)


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
    search_fields = (
        "name",
        "normalised_name",
        "aliases__name",
        "aliases__normalised_name",
        "identifiers__identifier",
    )
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
    inlines = (PartnerAliasInline, PartnerIdentifierInline, MembershipInline)
    change_list_template = "admin/partners/partner/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        duplicates = path(
            "duplicates/",
            self.admin_site.admin_view(self.duplicates_view),
            name="partners_partner_duplicates",
        )
        return [duplicates, *super().get_urls()]

    def duplicates_view(self, request: HttpRequest) -> HttpResponse:
        """Likely duplicates (GET) and merging one pair of them (POST)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        may_merge = self.has_change_permission(request) and self.has_delete_permission(request)
        if request.method == "POST":
            if not may_merge:
                raise PermissionDenied
            form = MergeForm(request.POST)
            if form.is_valid():
                try:
                    merge = do_merge_partners(
                        keep=form.cleaned_data["keep"],
                        absorb=form.cleaned_data["absorb"],
                        by=request.user,
                        reason=form.cleaned_data["reason"],
                    )
                except ServiceError as exc:
                    messages.error(request, exc.message)
                else:
                    messages.success(
                        request,
                        gettext(
                            "“%(absorbed)s” was merged into “%(kept)s”. The merge can be undone."
                        )
                        % {"absorbed": merge.absorbed_name, "kept": merge.keep.name},
                    )
                    return HttpResponseRedirect(
                        reverse("admin:partners_partnermerge_change", args=[merge.pk])
                    )
            else:
                messages.error(request, gettext("Choose the two partners and say why."))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Likely duplicate partners"),
            "opts": self.model._meta,
            "pairs": likely_duplicates(),
            "may_merge": may_merge,
            "merges": reverse("admin:partners_partnermerge_changelist"),
        }
        return TemplateResponse(request, "admin/partners/partner/duplicates.html", context)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not PartnerIdentifier:
            super().save_formset(request, form, formset, change)
            return
        # The identifiers through their service, as the API adds and removes them: removals
        # first (an identifier changed is the old one removed, the new one added).
        reason = form.cleaned_data.get(REASON_FIELD) or ""
        partner = form.instance
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        added: list[tuple[Any, PartnerIdentifier | None]] = []
        for row in formset.forms:
            stored = row.initial.get("identifier") if row.instance.pk is not None else None
            deleting = formset.can_delete and formset._should_delete_form(row)
            if stored is not None and (deleting or row.has_changed()):
                removed = editing.do_remove_identifier(
                    partner=partner, identifier=stored, by=request.user, reason=reason
                )
                if deleting:
                    formset.deleted_objects.append(removed)
                else:
                    added.append((row, removed))
            elif stored is None and not deleting and row.has_changed():
                added.append((row, None))
        for row, replaced in added:
            new = editing.do_add_identifier(
                partner=partner,
                identifier=row.cleaned_data["identifier"],
                by=request.user,
                reason=reason,
            )
            if replaced is None:
                formset.new_objects.append(new)
            else:
                formset.changed_objects.append((new, ["identifier"]))

    def get_queryset(self, request: HttpRequest) -> QuerySet[Partner]:
        # The history admin's base class is untyped (simple_history): say what comes back.
        partners: QuerySet[Partner] = super().get_queryset(request)
        return partners.annotate(commitment_count=Count("commitments", distinct=True))

    @admin.display(description=_("commitments"), ordering="commitment_count")
    def commitment_count(self, obj: Any) -> int:
        return int(obj.commitment_count)


@admin.register(PartnerMerge)
class PartnerMergeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The merges of partners, read-only, each with its "undo" button."""

    list_display = ("absorbed_name", "keep", "merged_at", "merged_by", "undone_at")
    readonly_fields = (
        "keep",
        "absorbed_name",
        "absorbed",
        "moved",
        "removed",
        "alias",
        "merged_at",
        "merged_by",
        "reason",
        "undone_at",
        "undone_by",
    )
    change_form_template = "admin/partners/partnermerge/change_form.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.has_perm("partners.view_partner"))

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # A later merge of the same partner that still stands is undone first: say which.
        merge = PartnerMerge.objects.filter(pk=object_id).first() if object_id.isdigit() else None
        later = later_merge(merge) if merge is not None and merge.undone_at is None else None
        context = {
            **(extra_context or {}),
            "later_merge": later,
            "later_merge_message": later_merge_message(later) if later is not None else "",
        }
        return super().change_view(request, object_id, form_url, context)

    def get_urls(self) -> list[URLPattern]:
        undo = path(
            "<int:merge_id>/undo/",
            self.admin_site.admin_view(require_POST(self.undo_view)),
            name="partners_partnermerge_undo",
        )
        return [undo, *super().get_urls()]

    def undo_view(self, request: HttpRequest, merge_id: int) -> HttpResponse:
        if not (
            request.user.has_perm("partners.change_partner")
            and request.user.has_perm("partners.add_partner")
        ):
            raise PermissionDenied
        merge = get_object_or_404(PartnerMerge, pk=merge_id)
        try:
            restored = do_undo_merge(
                merge=merge, by=request.user, reason=str(request.POST.get("reason", ""))
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(
                reverse("admin:partners_partnermerge_change", args=[merge.pk])
            )
        messages.success(
            request, gettext("The merge was undone: “%(name)s” is back.") % {"name": restored.name}
        )
        return HttpResponseRedirect(reverse("admin:partners_partner_change", args=[restored.pk]))
