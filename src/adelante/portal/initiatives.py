"""Which initiative a portal page is about, from its address (docs/portal.md, "Initiatives").

The primary initiative's portal keeps the addresses it always had (/en/, /en/commitments/…);
any other initiative's is at /<lang>/i/<slug>/… with the same pages. `InitiativeMiddleware`
reads the address, sets the scope of every read (`adelante.initiatives.scope`) for the request
and `request.initiative`, and gives the request the URL configuration of its initiative, so
that every `reverse()` and `{% url 'portal:…' %}` of the page gives that initiative's addresses
without a template knowing about initiatives.
"""

from __future__ import annotations

import importlib
import re
import threading
import types
from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.db import DatabaseError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    StreamingHttpResponse,
)
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from adelante.initiatives import scope
from adelante.initiatives.middleware import each_chunk_within
from adelante.initiatives.models import Initiative

#: /<lang>/i/<slug>/rest: the address of a page of an initiative other than the primary.
_PREFIXED = re.compile(r"^/(?P<language>[a-z]{2}(?:-[a-z0-9]+)?)/i/(?P<slug>[^/]+)(?P<rest>/.*)?$")

_urlconfs: dict[str, types.ModuleType] = {}
_lock = threading.Lock()


def urlconf_for(initiative: Initiative) -> Any:
    """The URL configuration whose portal is the initiative's (built once per slug: Django
    keeps one resolver per configuration object). A module's name or a module (Django takes
    either; its type stubs name only the first, hence `Any`)."""
    if initiative.primary:
        return str(settings.ROOT_URLCONF)
    with _lock:
        found = _urlconfs.get(initiative.slug)
        if found is None:
            # The project's URL configuration (it imports the portal's views: read at run time).
            root = importlib.import_module(settings.ROOT_URLCONF)
            found = types.ModuleType(f"adelante.urls.initiative.{initiative.slug}")
            found.urlpatterns = root.project_patterns(initiative.slug)  # type: ignore[attr-defined]
            for code in ("400", "404", "500"):
                name = f"handler{code}"
                setattr(found, name, getattr(root, name))
            _urlconfs[initiative.slug] = found
        return found


def address_in(initiative: Initiative, viewname: str, *args: Any) -> str:
    """The address of a page of the initiative's portal (in the active language)."""
    return reverse(viewname, args=args, urlconf=urlconf_for(initiative))


def _primary() -> Initiative:
    """The primary initiative, to name on a page (read once per request: `scope.primary`). A
    page only reads it: a database without one (emptied by hand; a fresh one gets it from its
    migration) shows the first initiative's name unsaved, and the pages that need its record
    answer 503 (`initiatives.middleware`), rather than a read making one."""
    try:
        return scope.primary()
    except (scope.NoPrimaryInitiative, DatabaseError):
        # A page for a database that cannot answer (busy) still has a name to show.
        return Initiative(**scope.FIRST_INITIATIVE, primary=True)


class InitiativeMiddleware:
    """After LocaleMiddleware: the initiative of the address, its scope and its URLs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        match = _PREFIXED.match(request.path_info)
        if match is None or match["language"] not in dict(settings.LANGUAGES):
            # The primary initiative's address (or no portal page): the default scope.
            request.initiative = SimpleLazyObject(_primary)  # type: ignore[attr-defined]
            return self.get_response(request)
        found = Initiative.objects.filter(slug=match["slug"]).first()
        if found is None:
            # Unknown initiative: the primary's scope, and the portal's own 404 page (nothing
            # resolves under /<lang>/i/ in the primary's URLs).
            request.initiative = SimpleLazyObject(_primary)  # type: ignore[attr-defined]
            return self.get_response(request)
        if found.primary:
            # The primary initiative has no prefix: its pages keep their one address.
            query = request.META.get("QUERY_STRING", "")
            target = f"/{match['language']}{match['rest'] or '/'}"
            return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)
        request.initiative = found  # type: ignore[attr-defined]
        request.urlconf = urlconf_for(found)
        with scope.within(found):
            response = self.get_response(request)
        if isinstance(response, StreamingHttpResponse):
            response.streaming_content = each_chunk_within(
                lambda: scope.within(found), response.streaming_content
            )
        return response


def initiative_of_path(path: str) -> Initiative | None:
    """The initiative other than the primary whose page `path` is (None: the primary's or
    none); what the background refresh of a cached page renders it for."""
    match = _PREFIXED.match(path)
    if match is None:
        return None
    return Initiative.objects.filter(slug=match["slug"], primary=False).first()


def initiative_context(request: HttpRequest) -> dict[str, Any]:
    """The initiative of the page for every template (a context processor): its name in the
    reader's language, its look, and the installation's other initiatives (the switcher)."""
    found = getattr(request, "initiative", None)

    def listed() -> list[Initiative]:
        try:
            return list(Initiative.objects.listed().only("slug", "name", "name_es", "primary"))
        except DatabaseError:
            return []

    def current() -> Initiative:
        return cast(Initiative, found) if found is not None else _primary()

    return {
        "initiative": SimpleLazyObject(current),
        "initiative_name": SimpleLazyObject(lambda: current().in_language("name").text),
        "all_initiatives": SimpleLazyObject(listed),
    }
