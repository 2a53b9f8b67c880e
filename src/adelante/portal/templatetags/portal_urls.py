"""URLs that keep the reader's view: the same page in another language, the same query with
one parameter changed."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.urls import reverse, translate_url
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

#: Each language's name in itself, so a reader finds their own.
NATIVE_NAMES = {"en": "English", "es": "Español"}


def _absolute(request: HttpRequest, url: str) -> str:
    """The URL made absolute with the request's host; the URL as it is when the host is not one
    of ours (the 400 page answering a request for an unknown host must not fail itself)."""
    try:
        return request.build_absolute_uri(url)
    except DisallowedHost:
        return url


def _in_language(request: HttpRequest, code: str) -> str:
    current = get_language() or settings.LANGUAGE_CODE
    url = request.get_full_path()
    translated = translate_url(url, code)
    if translated == url and url.startswith(f"/{current}/"):
        # A path that does not resolve (a 404 page): swap the prefix.
        translated = f"/{code}/" + url[len(current) + 2 :]
    return translated


@register.simple_tag(takes_context=True)
def language_links(context: dict[str, Any]) -> list[dict[str, Any]]:
    """Every language with the URL of this very page (query string kept) in it."""
    request = context.get("request")
    current = get_language() or settings.LANGUAGE_CODE
    links = []
    for code, _name in settings.LANGUAGES:
        url = _in_language(request, code) if request is not None else f"/{code}/"
        links.append(
            {
                "code": code,
                "name": NATIVE_NAMES.get(code, code),
                "url": url,
                # Search engines want hreflang links absolute (and so do shared links).
                "absolute_url": _absolute(request, url) if request is not None else url,
                "current": code == current,
            }
        )
    return links


@register.simple_tag(takes_context=True)
def with_params(context: dict[str, Any], **changes: Any) -> str:
    """This page's URL with some query parameters changed (None or "" removes one).

    Changing anything but the page goes back to the first page.
    """
    request: HttpRequest = context["request"]
    params = {k: request.GET.getlist(k) for k in request.GET}
    if "page" not in changes:
        params.pop("page", None)
    for name, value in changes.items():
        if value is None or value == "":
            params.pop(name, None)
        else:
            params[name] = [str(value)]
    query = urlencode([(k, v) for k, values in params.items() for v in values])
    return request.path + (f"?{query}" if query else "")


@register.simple_tag
def query_string(params: dict[str, str]) -> str:
    """ "?a=1&b=2" from a mapping, or "" when it is empty."""
    return f"?{urlencode(params)}" if params else ""


@register.simple_tag(takes_context=True)
def canonical_url(context: dict[str, Any]) -> str:
    """The page's one address for search engines and shared links: absolute, without the
    query string (a filter, a past date or a page number is a view of the same page)."""
    request: HttpRequest = context["request"]
    return _absolute(request, request.path)


@register.simple_tag(takes_context=True)
def block_text(context: Any, name: str) -> SafeString:
    """The text of a block of the page (its title, its description) once more, for the
    Open Graph and Twitter cards: a template may use a block only once."""
    blocks = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = blocks.get_block(name) if blocks is not None else None
    if block is None:
        return mark_safe("")
    # The block's output is escaped already; the tags (if any) have no place in a card.
    return mark_safe(" ".join(strip_tags(block.render(context)).split()))


#: The pages with a card of their own, and the URL argument that names their subject.
_CARDS = {"commitment": "reference", "partner": "slug", "country": "code", "round": "slug"}


@register.simple_tag(takes_context=True)
def social_card_url(context: dict[str, Any]) -> str:
    """The absolute URL of the picture a shared link to this page shows: its own headline
    figure on a commitment, partner, country or round page, the overview's elsewhere."""
    request: HttpRequest | None = context.get("request")
    if request is None:
        return ""
    match = getattr(request, "resolver_match", None)
    name = match.url_name if match is not None and match.namespace == "portal" else ""
    kind, key = "overview", "all"
    if match is not None and name in _CARDS and _CARDS[name] in match.kwargs:
        kind, key = name, str(match.kwargs[_CARDS[name]])
        if kind == "country":
            key = key.lower()
    return _absolute(request, reverse("portal:card", args=[kind, key]))


@register.simple_tag(takes_context=True)
def open_data_links(context: dict[str, Any]) -> dict[str, str]:
    """Where this page's data is, for its "Download this" and "API" links: a CSV of what the
    page lists or draws, and the API's answer with the same data ({} on other pages)."""
    request: HttpRequest | None = context.get("request")
    match = getattr(request, "resolver_match", None)
    if request is None or match is None or match.namespace != "portal":
        return {}
    name, kwargs = match.url_name, match.kwargs
    explorer_csv = reverse("portal:commitments_csv")
    query = request.GET.urlencode()
    links = {
        "overview": (
            reverse("portal:chart_csv", args=["committed-by-country"]),
            "figures/committed",
        ),
        "commitments": (
            explorer_csv + (f"?{query}" if query else ""),
            "commitments" + (f"?{query}" if query else ""),
        ),
        "partners": (reverse("exchange:downloads"), "partners"),
        "rounds": (reverse("exchange:downloads"), "figures/committed/by/round"),
        "countries": (
            reverse("portal:chart_csv", args=["committed-by-country"]),
            "figures/committed/by/country",
        ),
        "partner": (
            f"{explorer_csv}?partner={kwargs.get('slug', '')}",
            f"partners/{kwargs.get('slug', '')}",
        ),
        "round": (
            f"{explorer_csv}?round={kwargs.get('slug', '')}",
            f"rounds/{kwargs.get('slug', '')}",
        ),
        "country": (
            f"{explorer_csv}?country={str(kwargs.get('code', '')).lower()}",
            f"commitments?country={str(kwargs.get('code', '')).lower()}",
        ),
        "commitment": (
            f"{explorer_csv}?q={kwargs.get('reference', '')}",
            f"commitments/{kwargs.get('reference', '')}",
        ),
    }
    if name not in links:
        return {}
    download, api = links[name]
    return {"download": download, "api": f"/api/v1/{api}"}


@register.simple_tag
def initiative_url(initiative: Any, view: str = "portal:overview") -> str:
    """A page of an initiative's portal (its overview by default), in the reader's language."""
    from adelante.portal.initiatives import address_in  # it imports the project's URLs

    return address_in(initiative, view)
