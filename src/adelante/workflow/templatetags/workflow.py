"""`{% load workflow %}{% status_light commitment %}`: the public status light of a commitment
(reporting on time, late, or no report for two cycles; `workflow.schedule.light`)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from adelante.workflow import schedule

register = template.Library()


@register.inclusion_tag("workflow/_status_light.html")
def status_light(commitment: Any, today: Any = None) -> dict[str, Any]:
    day = today or timezone.localdate()
    return {"light": str(schedule.light(commitment, day))}


@register.simple_tag
def reporting_light(commitment: Any, today: Any = None) -> str:
    """The light's value, for ``{% reporting_light c as light %}`` and the include."""
    return str(schedule.light(commitment, today or timezone.localdate()))
