"""Writing only what changed, with the reason recorded in the history."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models

from adelante import history


def differences(obj: models.Model, values: Mapping[str, Any]) -> list[str]:
    """The fields (attribute names) whose value differs from the one wanted."""
    return [name for name, value in values.items() if getattr(obj, name) != value]


def save_with_reason(obj: models.Model, reason: str, fields: list[str] | None = None) -> None:
    """Save the object (only `fields`, if given); its history row carries the reason."""
    if fields is None:
        history.save(obj, reason=reason)
    else:
        history.save(obj, reason=reason, update_fields=fields)


def update(obj: models.Model, values: Mapping[str, Any], reason: str) -> list[str]:
    """Set the values that differ and save those fields; returns what changed."""
    changed = differences(obj, values)
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        save_with_reason(obj, reason, changed)
    return changed
