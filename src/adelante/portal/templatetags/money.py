"""Template filters that format figures in the page's language (Babel)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from adelante.money.formatting import as_stated, format_number, format_usd, with_qualifier
from adelante.money.qualifiers import TotalQualifier

register = template.Library()


@register.filter
def usd(amount: Decimal | None, qualifier: str = TotalQualifier.EXACT) -> str:
    if amount is None:
        return ""
    return with_qualifier(format_usd(amount), qualifier)


@register.filter
def usd_compact(amount: Decimal | None, qualifier: str = TotalQualifier.EXACT) -> str:
    if amount is None:
        return ""
    return with_qualifier(format_usd(amount, compact=True), qualifier)


@register.filter
def usd_stated(amount: Decimal | None, qualifier: str) -> str:
    """An official statement's figure with the qualifier it was published with."""
    if amount is None:
        return ""
    return as_stated(format_usd(amount), qualifier)


@register.filter
def number(value: Decimal | int | None) -> str:
    return "" if value is None else format_number(value)


@register.filter
def get_item(mapping: dict[str, str], key: str) -> str:
    return mapping.get(key, key)
