"""Staff admin of the installation's initiatives, each with its countries inline."""

from __future__ import annotations

from django.contrib import admin

from adelante.admin_base import TranslatedTextAdmin
from adelante.initiatives.models import Initiative, InitiativeCountry


class InitiativeCountryInline(admin.TabularInline):  # type: ignore[type-arg]
    # The code is checked by the model's validator (an ISO 3166-1 code of the shipped list).
    model = InitiativeCountry
    fields = ("code", "position")
    extra = 1


@admin.register(Initiative)
class InitiativeAdmin(TranslatedTextAdmin):
    list_display = ("name", "slug", "primary", "synthetic", "position", "display_currency")
    list_filter = ("synthetic", "primary")
    search_fields = ("slug", "name", "name_es")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("metrics",)
    inlines = (InitiativeCountryInline,)
