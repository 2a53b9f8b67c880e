"""Staff admin of rounds, commitments (with their countries, targets and sources) and statements."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from adelante.admin_base import URL_FIELDS, HistoryAdmin, TranslatedTextAdmin
from adelante.commitments.admin_forms import (
    CommitmentForm,
    CountryShareFormSet,
    OfficialStatementForm,
)
from adelante.commitments.amounts import reallocate
from adelante.commitments.choices import Country, CountryGroup, country_key
from adelante.commitments.editing import LIFECYCLE_FIELDS
from adelante.commitments.models import (
    Commitment,
    CountryShare,
    OfficialStatement,
    Round,
    SamePledge,
    Source,
    Target,
)
from adelante.commitments.selectors import in_country


@admin.register(Round)
class RoundAdmin(TranslatedTextAdmin):
    list_display = ("label", "label_es", "announced_on", "commitment_count", "slug")
    search_fields = ("label", "label_es", "slug")
    date_hierarchy = "announced_on"
    prepopulated_fields = {"slug": ("announced_on", "label")}
    ordering = ("-announced_on",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Round]:
        # The history admin's base class is untyped (django-simple-history has no hints).
        rounds: QuerySet[Round] = super().get_queryset(request)
        return rounds.annotate(commitment_count=Count("commitments", distinct=True))

    @admin.display(description=_("commitments"), ordering="commitment_count")
    def commitment_count(self, obj: Any) -> int:
        return int(obj.commitment_count)


class GeographyFilter(admin.SimpleListFilter):
    """A country named by the commitment, or several countries without shares, or the region:
    the country filter of the portal and the API (`selectors.in_country`)."""

    title = _("country")
    parameter_name = "geography"
    #: The filter's earlier value for several countries, still read.
    OLD_MULTI = "multi"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [*Country.choices, *CountryGroup.choices]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value() or ""
        key = CountryGroup.MULTI_COUNTRY.value if value == self.OLD_MULTI else country_key(value)
        return queryset.filter(in_country(key)) if key else queryset


class CountryShareInline(admin.TabularInline):  # type: ignore[type-arg]
    """Countries with optional shares; the allocated US$ amount is derived, never typed."""

    model = CountryShare
    formset = CountryShareFormSet
    fields = ("country", "share_percent", "amount_usd")
    readonly_fields = ("amount_usd",)
    extra = 0
    max_num = len(Country.choices)


class TargetInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Target
    fields = ("metric", "value", "by_date")
    extra = 0


class SourceInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Source
    formfield_overrides = URL_FIELDS
    fields = ("url", "title", "seen_on")
    extra = 0


@admin.register(Commitment)
class CommitmentAdmin(TranslatedTextAdmin):
    """Commitments, with their countries, targets and sources edited inline.

    Derived values are not typed by staff but kept consistent on every save:

    - the US$ amount and the exchange rate used are read-only. They follow from the amount and
      its currency (`commitments.amounts.usd_amount`): the amount itself in US dollars, or the
      amount converted at the rate recorded for the announcement date; without that rate the
      form says so and saves nothing. A missing announcement date is taken from the round.
    - each country's allocated US$ amount is read-only and is recomputed
      (`commitments.amounts.reallocate`, i.e. `geography.set_countries`) after the commitment
      and its country rows are saved; the shares are checked first (`geography.check_shares`).

    The status of a recorded commitment (and its withdrawal date) is the workflow's to change,
    with a reason and a review event: the intake while it is a proposal, a verified report for
    *in progress*, the status page (`workflow.lifecycle`) otherwise, linked from here. So the
    change form shows them read-only and a save (or a revert from the history) keeps them.

    The commitment's own fields are checked and saved by its edit service
    (`commitments.editing`, through `CommitmentForm` and `HistoryAdmin.save_model`), the one
    that accepted public corrections call.
    """

    form = CommitmentForm
    list_display = (
        "reference",
        "partner",
        "round",
        "amount_usd",
        "qualifier",
        "kind",
        "status",
    )
    list_select_related = ("partner", "round")
    list_filter = (
        "round",
        "status",
        "kind",
        "qualifier",
        "relation",
        "partner__type",
        GeographyFilter,
    )
    search_fields = (
        "reference",
        "title",
        "summary",
        "partner__name",
        "partner__normalised_name",
        "partner__aliases__name",
        "partner__aliases__normalised_name",
    )
    autocomplete_fields = ("partner", "relates_to", "round")
    filter_horizontal = ("focus_areas",)
    date_hierarchy = "announced_on"
    readonly_fields = ("amount_usd", "exchange_rate")
    inlines = (CountryShareInline, TargetInline, SourceInline)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "reference",
                    "partner",
                    "round",
                    "announced_on",
                    "title",
                    "summary",
                    "status",
                    "withdrawn_on",
                )
            },
        ),
        (
            _("Amount"),
            {
                "fields": (
                    "kind",
                    "qualifier",
                    ("amount", "currency"),
                    "amount_usd",
                    "exchange_rate",
                )
            },
        ),
        (
            _("Focus and time horizon"),
            {"fields": ("focus_text", "focus_areas", ("starts_on", "ends_on"))},
        ),
        (_("Relation to earlier commitments"), {"fields": ("relation", "relates_to")}),
        (
            _("Text in both languages"),
            {
                "fields": (
                    "written_in",
                    "title_es",
                    "summary_es",
                    "focus_text_es",
                    "translation_state",
                ),
                "description": _(
                    "Title, summary and focus above are the English text; these, the Spanish. "
                    "Where a language is missing, the portal shows the other, marked as such."
                ),
            },
        ),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is None:
            return fields  # a new record states its status
        return (*fields, *LIFECYCLE_FIELDS, "change_status")

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        first, *rest = fieldsets
        name, options = first
        fields = [*options["fields"]]
        fields.insert(fields.index("withdrawn_on") + 1, "change_status")
        return [(name, {**options, "fields": fields}), *rest]

    @admin.display(description=_("change the status"))
    def change_status(self, obj: Commitment) -> SafeString:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("workflow:commitment_status", kwargs={"reference": obj.reference}),
            _("Complete, withdraw or restore it, with the reason, in the workflow"),
        )

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm[Any],
        formset: BaseInlineFormSet[Any, Any, Any],
        change: bool,
    ) -> None:
        if isinstance(formset, CountryShareFormSet):
            # Works out what changed (for the admin log) without writing; then the rows are
            # written once, with their allocated amounts.
            formset.save(commit=False)
            reallocate(form.instance, formset.shares)
            return
        super().save_formset(request, form, formset, change)

    def save_related(
        self, request: HttpRequest, form: ModelForm[Any], formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        # The US$ amount may have changed while the rows did not: allocate it again.
        reallocate(form.instance)

    def after_revert(self, request: HttpRequest, object_id: str) -> None:
        # A reverted amount: allocate it to the current country rows.
        reallocate(Commitment.objects.get(pk=object_id))


@admin.register(OfficialStatement)
class OfficialStatementAdmin(HistoryAdmin):
    """Figures as authorities published them: stored verbatim, never recomputed."""

    form = OfficialStatementForm
    list_display = ("stated_on", "metric", "qualifier", "value", "unit", "figure")
    list_filter = ("figure", "qualifier", "date_precision", "unit")
    search_fields = ("metric", "note", "source_url")
    date_hierarchy = "stated_on"
    autocomplete_fields = ("reached_metric",)


@admin.register(SamePledge)
class SamePledgeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The confirmed same pledges, read-only: links are made and removed on the secretariat's
    same-pledge page, through `commitments.same_pledge` (history, checks), never here."""

    list_display = ("commitment", "counted_as", "confirmed_on", "note")
    list_select_related = ("commitment__partner", "counted_as__partner")
    search_fields = ("commitment__reference", "counted_as__reference", "note")
    readonly_fields = ("commitment", "counted_as", "confirmed_on", "note", "same_pledges_page")
    fields = readonly_fields
    date_hierarchy = "confirmed_on"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("link or unlink"))
    def same_pledges_page(self, obj: Any) -> SafeString:
        return format_html(
            '<a href="{}">{}</a>', reverse("workflow:same_pledges"), _("The same-pledge page")
        )
