"""Who changed what, when and why, across every model that keeps a history.

django-simple-history writes one history table per model; this reads them together for the
secretariat's audit page: filtered by model, user and date, newest first, each entry with the
fields it changed (compared with the entry before it).
"""

from __future__ import annotations

import datetime
import heapq
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from simple_history.models import registered_models

#: History entries on one page.
PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditFilter:
    model: str = ""  # "app_label.model_name"
    user: str = ""  # username
    since: datetime.date | None = None
    until: datetime.date | None = None


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class Entry:
    at: datetime.datetime
    model: str
    model_label: str
    object_id: Any
    object_repr: str
    action: str
    user: str
    reason: str
    changes: list[FieldChange]


ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def tracked_models() -> list[type[models.Model]]:
    """Every model with a history, in a stable order."""
    tracked = [
        m
        for m in registered_models.values()
        # Many-to-many through tables are registered too; their changes show on their owner.
        if getattr(m._meta, "simple_history_manager_attribute", None)
    ]
    return sorted(tracked, key=lambda m: m._meta.label_lower)


def model_choices() -> list[tuple[str, str]]:
    return [(m._meta.label_lower, str(m._meta.verbose_name)) for m in tracked_models()]


def _rows(model: type[models.Model], filters: AuditFilter, limit: int) -> list[Any]:
    manager = model._meta.simple_history_manager_attribute  # type: ignore[attr-defined]
    history = getattr(model, manager).model
    rows = history.objects.select_related("history_user").order_by("-history_date", "-pk")
    if filters.user:
        user_model = get_user_model()
        rows = rows.filter(
            history_user__in=user_model.objects.filter(
                **{f"{user_model.USERNAME_FIELD}__iexact": filters.user}
            )
        )
    if filters.since:
        rows = rows.filter(history_date__date__gte=filters.since)
    if filters.until:
        rows = rows.filter(history_date__date__lte=filters.until)
    return list(rows[:limit])


def _show(value: Any) -> str:
    return "—" if value is None or value == "" else str(value)


def _describe(row: Any) -> str:
    try:
        return str(row.instance)
    except models.ObjectDoesNotExist:  # its __str__ names a related row that is gone
        return f"#{getattr(row, row.instance_type._meta.pk.attname)}"


def _changes(row: Any) -> list[FieldChange]:
    if row.history_type != "~":
        return []
    previous = row.prev_record
    if previous is None:
        return []
    delta = row.diff_against(previous)
    labels = {f.name: str(f.verbose_name) for f in row.instance_type._meta.fields}
    return [
        FieldChange(labels.get(c.field, c.field), _show(c.old), _show(c.new)) for c in delta.changes
    ]


def entries(filters: AuditFilter, page: int = 1) -> tuple[list[Entry], bool]:
    """One page of entries, newest first, and whether there is a next page."""
    wanted = page * PAGE_SIZE + 1
    models_ = [
        m for m in tracked_models() if not filters.model or m._meta.label_lower == filters.model
    ]
    merged = heapq.merge(
        *(_rows(m, filters, wanted) for m in models_),
        key=lambda r: r.history_date,
        reverse=True,
    )
    rows = [r for _i, r in zip(range(wanted), merged, strict=False)]
    shown = rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    result = []
    for row in shown:
        meta = row.instance_type._meta
        result.append(
            Entry(
                at=row.history_date,
                model=meta.label_lower,
                model_label=str(meta.verbose_name),
                object_id=getattr(row, meta.pk.attname),
                object_repr=_describe(row),
                action=ACTIONS.get(row.history_type, row.history_type),
                user=row.history_user.get_username() if row.history_user else "",
                reason=row.history_change_reason or "",
                changes=_changes(row),
            )
        )
    return result, len(rows) > page * PAGE_SIZE
