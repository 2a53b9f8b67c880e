"""Staff admin of the due-diligence questions (configurable data) and reporting schedules."""

from __future__ import annotations

from django.contrib import admin

from adelante.admin_base import HistoryAdmin
from adelante.workflow.models import DueDiligenceQuestion, ReportingSchedule


@admin.register(DueDiligenceQuestion)
class DueDiligenceQuestionAdmin(HistoryAdmin):
    """Add, reword, reorder or retire checklist questions; a retired question is no longer
    asked, and the answers already given to it are kept."""

    list_display = ("code", "topic", "text_en", "requires_document", "active", "order")
    list_filter = ("topic", "active", "requires_document")
    list_editable = ("active", "order")
    search_fields = ("code", "text_en", "text_es")


@admin.register(ReportingSchedule)
class ReportingScheduleAdmin(HistoryAdmin):
    """A commitment's own schedule, where the default (every six months, due 90 days after
    each period) does not fit."""

    list_display = ("commitment", "interval_months", "due_after_days")
    list_select_related = ("commitment", "commitment__partner")
    search_fields = ("commitment__reference", "commitment__title", "commitment__partner__name")
    autocomplete_fields = ("commitment",)
