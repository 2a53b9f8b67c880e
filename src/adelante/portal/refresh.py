"""Rendering a portal page afresh in the background (docs/portal.md, "Caching").

After a change to the record, an anonymous reader of a page rendered before it is served that
rendering at once (`adelante.portal.caching`, which imports this module) and this task is
queued, once per page and record state; a worker (`adelante worker`) renders the page as an
anonymous reader would get it, which stores it under the record's new state, so the next
reader gets the fresh page.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, QueryDict
from django.urls import get_urlconf, resolve, set_urlconf
from django.utils import translation
from django_tasks import task

from adelante.initiatives import scope
from adelante.recordstate import forget_stamp

#: True while this task renders a page: the page cache must not serve it stale then.
recomputing: ContextVar[bool] = ContextVar("adelante_portal_recomputing", default=False)


def anonymous_request(*, path: str, query: str, language: str) -> HttpRequest:
    """A plain GET request for `path?query`, as an anonymous reader in `language` sends it."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.GET = QueryDict(query)
    hosts = [h for h in settings.ALLOWED_HOSTS if h and "*" not in h and not h.startswith(".")]
    request.META = {
        "QUERY_STRING": query,
        "SERVER_NAME": hosts[0] if hosts else "localhost",
        "SERVER_PORT": "80",
        "REQUEST_METHOD": "GET",
    }
    proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if getattr(settings, "SECURE_SSL_REDIRECT", False) and proxy_header:
        # Every reader comes over HTTPS: the page's absolute links (canonical, hreflang, the
        # sharing card) must say so, as they do when a reader's request renders the page.
        request.META[proxy_header[0]] = proxy_header[1]
        request.META["SERVER_PORT"] = "443"
    request.user = AnonymousUser()
    request.LANGUAGE_CODE = language
    return request


@task()
def refresh_page(*, path: str, query: str, language: str) -> int:
    """Render the page at `path?query` in `language` for the record as it is now; its status."""
    # Imported here: the portal's initiatives module imports the project's URLs.
    from adelante.portal.initiatives import initiative_of_path, urlconf_for

    # The record's state as it is now, not as this worker read it up to PORTAL_STAMP_SECONDS
    # ago: the fresh page must be filed under the new state's key, or readers would keep
    # getting it marked "updating".
    forget_stamp()
    request = anonymous_request(path=path, query=query, language=language)
    initiative = initiative_of_path(path)
    # The page of an initiative other than the primary: its scope and its addresses, as the
    # reader's request had them (adelante.portal.initiatives).
    urlconf = urlconf_for(initiative) if initiative is not None else None
    if initiative is not None:
        request.initiative = initiative  # type: ignore[attr-defined]
        request.urlconf = urlconf
    token = recomputing.set(True)
    before = get_urlconf()
    set_urlconf(urlconf)
    try:
        with (
            translation.override(language),
            scope.within(initiative or scope.PRIMARY),
            scope.remembering(),
        ):
            match = resolve(path, urlconf)
            request.resolver_match = match  # as the URL resolver sets it (the menu reads it)
            response = match.func(request, *match.args, **match.kwargs)
    finally:
        set_urlconf(before)
        recomputing.reset(token)
    return int(response.status_code)
