"""What a portal page shows of corrections: its "Suggest a correction" link and its log."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse

from adelante.corrections.log import LogEntry, public_log
from adelante.corrections.models import Subject


@dataclass(frozen=True)
class PageCorrections:
    suggest_url: str
    entries: list[LogEntry]


def suggest_url(subject: str, key: str) -> str:
    return reverse("corrections:suggest", args=[subject, key])


def for_page(subject: str, key: str, *, also: Iterable[tuple[str, str]] = ()) -> PageCorrections:
    """The link and the decided corrections of one commitment, partner or figure page (and of
    the other subjects it shows: `also`)."""
    return PageCorrections(suggest_url(subject, key), public_log([(subject, key), *also]))


def for_commitment(reference: str) -> PageCorrections:
    return for_page(Subject.COMMITMENT, reference)


def for_partner(slug: str) -> PageCorrections:
    return for_page(Subject.PARTNER, slug)


def for_figures(page: str, *, statements: Iterable[int] = ()) -> PageCorrections:
    """A figure page: ``overview``, ``rounds``, ``countries``, ``round:<slug>``,
    ``country:<code>``, with the official statements it shows."""
    return for_page(Subject.FIGURE, page, also=[(Subject.STATEMENT, str(s)) for s in statements])
