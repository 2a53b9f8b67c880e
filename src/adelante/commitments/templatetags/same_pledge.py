"""The other initiatives a commitment was announced under too (`commitments.same_pledge`):
`{% also_announced_under c as elsewhere %}` on the commitment's page."""

from __future__ import annotations

from django import template

from adelante.commitments.models import Commitment
from adelante.commitments.publication import is_published
from adelante.commitments.same_pledge import also_announced_under as same_pledge_elsewhere

register = template.Library()


@register.simple_tag
def also_announced_under(commitment: Commitment) -> list[Commitment]:
    """The published commitments that are the same pledge, under other initiatives."""
    return [c for c in same_pledge_elsewhere(commitment) if is_published(c)]
