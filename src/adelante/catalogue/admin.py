"""Staff admin of the managed vocabularies: the metric catalogue and the focus areas."""

from __future__ import annotations

from django.contrib import admin

from adelante.admin_base import HistoryAdmin, TranslatedTextAdmin
from adelante.catalogue.models import FocusArea, Metric, StatementName


@admin.register(Metric)
class MetricAdmin(HistoryAdmin):
    list_display = (
        "code",
        "name_en",
        "name_es",
        "unit",
        "accumulation",
        "by_country",
        "by_sex",
        "by_age",
    )
    list_filter = ("unit", "accumulation")
    search_fields = ("code", "name_en", "name_es")


@admin.register(FocusArea)
class FocusAreaAdmin(HistoryAdmin):
    list_display = ("code", "name_en", "name_es", "dac_sector")
    search_fields = ("code", "name_en", "name_es", "keywords", "dac_sector")


@admin.register(StatementName)
class StatementNameAdmin(TranslatedTextAdmin):
    """What official statements state, named in both languages (shown on the portal and in
    the reports instead of the statements' codes)."""

    list_display = ("code", "name_en", "name_es", "translation_state")
    list_filter = ("translation_state",)
    search_fields = ("code", "name_en", "name_es")
