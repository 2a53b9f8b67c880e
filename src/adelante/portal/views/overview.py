from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language_info

from adelante.bilingual import Language, reader_language
from adelante.corrections import pages as corrections
from adelante.initiatives.models import Initiative
from adelante.portal.overview import has_record
from adelante.portal.overview import overview as gather
from adelante.portal.views.common import date_of, hidden_params, page, portal_page


def pending_languages(initiative: Initiative | None) -> list[str]:
    """The names, in the reader's language, of the languages the initiative's texts are still
    to be published in (its `languages_pending`, such as "fr")."""
    names = []
    codes = (initiative.languages_pending if initiative is not None else "").replace(",", " ")
    for code in codes.split():
        try:
            name = str(get_language_info(code.lower())["name_translated"])
        except KeyError:
            name = code
        # Spanish writes a language's name in lower case ("en francés").
        names.append(name.lower() if reader_language() == Language.ES else name)
    return names


@portal_page
def overview(request: HttpRequest) -> HttpResponse:
    when = date_of(request)
    context = {
        "view_date": when,
        "keep": hidden_params(request, ("as_of",)),
        "overview": gather(when.as_of, when.recorded_on) if has_record() else None,
        "corrections": corrections.for_figures("overview"),
        "pending_languages": pending_languages(getattr(request, "initiative", None)),
    }
    return page(request, "portal/overview.html", context)
