"""Slugs for what an import creates: the written one, else with "-2", "-3" … until free."""

from __future__ import annotations


def unique_slug(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3` …: the first not in `taken`, which it then joins."""
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug
