"""Staff admin of progress reports and their values."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from adelante.admin_base import ChangeReasonForm, HistoryAdmin
from adelante.progress.models import ProgressReport, ProgressValue, ReportStatus


class ProgressReportForm(ChangeReasonForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            "return_reason" in self.fields
            and data.get("status") == ReportStatus.RETURNED
            and not data.get("return_reason")
        ):
            self.add_error("return_reason", _("Say why the report is returned to the partner."))
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        return data


class ProgressValueInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ProgressValue
    fields = ("metric", "value")
    extra = 0


@admin.register(ProgressReport)
class ProgressReportAdmin(HistoryAdmin):
    form = ProgressReportForm
    list_display = (
        "commitment",
        "period_start",
        "period_end",
        "status",
        "verification_level",
    )
    list_select_related = ("commitment", "commitment__partner")
    list_filter = ("status", "verification_level", "commitment__round")
    search_fields = (
        "commitment__reference",
        "commitment__title",
        "commitment__partner__name",
        "commitment__partner__aliases__name",
        "narrative",
    )
    autocomplete_fields = ("commitment",)
    date_hierarchy = "period_end"
    inlines = (ProgressValueInline,)
