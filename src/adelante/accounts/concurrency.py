"""Refusing the second of two concurrent saves, showing what changed, losing nothing.

A form carries the version of the record it was loaded from (a hidden field): the id of the
record's latest history row and a digest of its field values. On save, if the record's version
is no longer that one, someone else saved in between: the save is refused with a `Conflict`
listing each field the other person changed (field, their value, your value) and who, when
and why; the user's input stays in the re-shown form, whose hidden version is now the current
one, so saving again is a deliberate decision made with the other change in view.

Reuse: mix `ConcurrentEditMixin` into a ModelForm (before `forms.ModelForm`), render
``{{ form.version }}`` in the form and ``{% include "accounts/_conflict.html" %}`` above it.
Views that save through `form.save()` also get a re-check under a row lock
(`ConcurrentEdit` is raised if a save slipped in after validation; catch it and re-show).
The admin change forms use it through `adelante.admin_base.ChangeReasonForm`.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db import models, transaction
from django.utils.translation import gettext as _

from adelante.errors import ErrorKind, ServiceError

VERSION_FIELD = "version"


def _fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _values(instance: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(instance, f.attname) for f in _fields(type(instance))}


def _history_ids(instance: models.Model) -> int | None:
    history = getattr(type(instance), "history", None)
    if history is None or instance.pk is None:
        return None
    manager = getattr(instance, "history", None)
    if manager is None:
        return None
    latest: int | None = (
        manager.order_by("-history_id").values_list("history_id", flat=True).first()
    )
    return latest


def version_of(instance: models.Model) -> str:
    """``<latest history id>:<digest of the field values>`` of the record as stored."""
    digest = hashlib.sha256(
        json.dumps(_values(instance), sort_keys=True, default=str).encode()
    ).hexdigest()[:32]
    latest = _history_ids(instance)
    return f"{latest if latest is not None else ''}:{digest}"


@dataclass(frozen=True)
class Change:
    field: str
    theirs: str
    yours: str


@dataclass(frozen=True)
class Conflict:
    changes: list[Change] = field(default_factory=list)
    by: str = ""
    at: datetime.datetime | None = None
    reason: str = ""
    current_version: str = ""

    def message(self) -> str:
        lead = _(
            "Someone else saved this record after you opened it, so your changes were not "
            "saved. Their values are below beside yours; your input is kept in the form. "
            "Check it and save again to keep your values."
        )
        lines = [
            _("%(field)s: theirs “%(theirs)s”, yours “%(yours)s”.")
            % {"field": c.field, "theirs": c.theirs, "yours": c.yours}
            for c in self.changes
        ]
        return " ".join([lead, *lines])


class ConcurrentEdit(ServiceError):
    """Someone else saved the record after this form was shown: a conflict (409)."""

    kind = ErrorKind.CONFLICT

    def __init__(self, conflict: Conflict) -> None:
        super().__init__(conflict.message())
        self.conflict = conflict


def _show(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (list, tuple, set)) or hasattr(value, "all"):
        items = value.all() if hasattr(value, "all") else value
        return ", ".join(sorted(str(v) for v in items)) or "—"
    return str(value)


def _shown_current(instance: models.Model, f: models.Field[Any, Any]) -> str:
    if f.choices:
        return _show(getattr(instance, f"get_{f.name}_display")())
    if f.is_relation:
        return _show(getattr(instance, f.name))
    return _show(getattr(instance, f.attname))


def _shown_yours(f: models.Field[Any, Any], yours: Mapping[str, Any]) -> str:
    if f.name not in yours:
        return _("(not in your form)")
    value = yours[f.name]
    if f.choices and value not in (None, ""):
        return _show(dict(f.flatchoices).get(value, value))
    return _show(value)


def conflict_since(
    instance: models.Model, version: str, yours: Mapping[str, Any]
) -> Conflict | None:
    """None if the stored record is still at `version`; else what changed since.

    `instance` is the record as stored now; `yours` the user's values by field name.
    """
    current_version = version_of(instance)
    if version == current_version:
        return None
    model = type(instance)
    now = _values(instance)
    base: dict[str, Any] | None = None
    history_id = version.partition(":")[0]
    manager = getattr(instance, "history", None)
    if history_id.isdigit() and manager is not None:
        row = manager.filter(history_id=int(history_id)).first()
        if row is not None:
            base = {f.attname: getattr(row, f.attname, None) for f in _fields(model)}
    changes = []
    for f in _fields(model):
        if not f.editable:
            continue  # derived values (normalised names, timestamps) follow the shown ones
        if base is not None and base[f.attname] == now[f.attname]:
            continue
        if base is None and (
            f.name not in yours or _shown_yours(f, yours) == _shown_current(instance, f)
        ):
            continue  # no history to compare with: show where theirs and yours differ
        changes.append(
            Change(str(f.verbose_name), _shown_current(instance, f), _shown_yours(f, yours))
        )
    latest = manager.order_by("-history_id").first() if manager is not None else None
    return Conflict(
        changes=changes,
        by=str(latest.history_user or "") if latest is not None else "",
        at=latest.history_date if latest is not None else None,
        reason=(latest.history_change_reason or "") if latest is not None else "",
        current_version=current_version,
    )


class ConcurrentEditMixin:
    """For ModelForms: a hidden version; a save over someone else's is refused (see above).

    `require_version`: a bound form without a version is refused too (set False where old
    clients may post without one, e.g. scripts driving the admin).
    """

    require_version = True
    lock_on_save = True
    conflict: Conflict | None = None
    # Provided by forms.ModelForm, the class this is mixed into.
    fields: dict[str, forms.Field]
    data: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[VERSION_FIELD] = forms.CharField(
            widget=forms.HiddenInput, required=False, max_length=200
        )
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None:
            # The version of the record as stored, not of the instance: a form that starts
            # from an earlier version (reverting from the history) must not conflict.
            stored = type(instance)._default_manager.filter(pk=instance.pk).first()
            self.fields[VERSION_FIELD].initial = version_of(stored or instance)

    def _submitted_version(self) -> str | None:
        key = self.add_prefix(VERSION_FIELD)  # type: ignore[attr-defined]
        return self.data.get(key) if key in self.data else None

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean()  # type: ignore[misc]
        instance = getattr(self, "instance", None)
        if instance is None or instance.pk is None:
            return data
        submitted = self._submitted_version()
        if not submitted and not self.require_version:
            return data
        stored = type(instance)._default_manager.filter(pk=instance.pk).first()
        if stored is None:
            return data
        conflict = conflict_since(stored, submitted or "", data)
        if conflict is not None:
            self._refuse(conflict)
        return data

    def _refuse(self, conflict: Conflict) -> None:
        self.conflict = conflict
        # The re-shown form carries the current version: saving again overwrites knowingly.
        data = self.data.copy()
        data[self.add_prefix(VERSION_FIELD)] = conflict.current_version  # type: ignore[attr-defined]
        self.data = data
        self.add_error(None, conflict.message())  # type: ignore[attr-defined]

    def save(self, commit: bool = True) -> Any:
        instance = self.instance  # type: ignore[attr-defined]
        submitted = self._submitted_version()
        if not commit or not self.lock_on_save or instance.pk is None or not submitted:
            return super().save(commit)  # type: ignore[misc]
        with transaction.atomic():
            stored = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
            conflict = conflict_since(stored, submitted, self.cleaned_data)  # type: ignore[attr-defined]
            if conflict is not None:
                self._refuse(conflict)
                raise ConcurrentEdit(conflict)
            return super().save(commit)  # type: ignore[misc]
