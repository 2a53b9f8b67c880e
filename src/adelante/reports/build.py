"""One call from a request (command line or staff page) to a finished file."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from adelante.reports.compose import compose
from adelante.reports.editions import Edition, ReportError, gather
from adelante.reports.render import CONTENT_TYPES, FORMATS, render

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


@dataclass(frozen=True)
class Output:
    edition: Edition
    content: bytes
    filename: str
    content_type: str


def generate(
    kind: str,
    subject: str = "",
    *,
    as_of: datetime.date | None = None,
    recorded_on: datetime.date | None = None,
    language: str = "en",
    fmt: str = "html",
) -> Output:
    """Gather the edition, compose it in the language and render it; raises ReportError."""
    if language not in LANGUAGES:
        raise ReportError(
            _("Unknown language “%(lang)s”; choose %(choices)s.")
            % {"lang": language, "choices": ", ".join(LANGUAGES)}
        )
    if fmt not in FORMATS:
        raise ReportError(
            _("Unknown format “%(fmt)s”; choose %(choices)s.")
            % {"fmt": fmt, "choices": ", ".join(FORMATS)}
        )
    edition = gather(kind, subject, as_of, recorded_on)
    document = compose(edition, language)
    return Output(edition, render(document, fmt), f"{document.stem}.{fmt}", CONTENT_TYPES[fmt])
