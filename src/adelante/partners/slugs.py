"""Slugs for new records: an organisation's from its name; any slug made free with "-2", "-3" …
when it is taken (rounds' slugs follow the same rule)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.text import slugify

#: How much of the slugified name a new slug keeps, before any "-2", "-3" …
SLUG_LENGTH = 100


def free_slug(base: str, taken: Callable[[str], bool]) -> str:
    """`base`, or `base-2`, `base-3` …: the first that is not taken."""
    slug, n = base, 1
    while taken(slug):
        n += 1
        slug = f"{base}-{n}"
    return slug


def partner_slug(name: str, taken: Callable[[str], bool]) -> str:
    """A new organisation's slug: its name slugified ("partner" when nothing is left), free."""
    return free_slug(slugify(name)[:SLUG_LENGTH].strip("-") or "partner", taken)
