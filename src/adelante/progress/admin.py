"""Staff admin of progress reports and their values: to find and read them.

A report changes only through the workflow (`adelante.workflow.reporting`), the one path that
checks who may, validates and records the review event: the partner starts, fills and submits
it (the web form or the API); the secretariat verifies it, returns it with a reason or
corrects a verified value on its review page, linked from each report here. So the admin adds,
changes and deletes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from adelante.admin_base import HistoryAdmin
from adelante.progress.models import ProgressReport, ProgressValue


class ReadOnly:
    """Nothing is added, changed or deleted here: the workflow does it."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ProgressValueInline(ReadOnly, admin.TabularInline):  # type: ignore[type-arg]
    model = ProgressValue
    fields = ("metric", "value", "decrease_reason")
    readonly_fields = fields
    extra = 0


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnly, HistoryAdmin):
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
    date_hierarchy = "period_end"
    fields = (
        "review",
        "commitment",
        ("period_start", "period_end"),
        "status",
        "verification_level",
        "return_reason",
        "narrative",
    )
    readonly_fields = (
        "review",
        "commitment",
        "period_start",
        "period_end",
        "status",
        "verification_level",
        "return_reason",
        "narrative",
    )
    inlines = (ProgressValueInline,)

    @admin.display(description=_("review"))
    def review(self, obj: ProgressReport) -> SafeString:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("workflow:report_review", kwargs={"pk": obj.pk}),
            _("Verify, return or correct it in the workflow"),
        )
