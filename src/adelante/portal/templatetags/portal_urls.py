"""URLs that keep the reader's view: the same page in another language, the same query with
one parameter changed."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language

register = template.Library()

#: Each language's name in itself, so a reader finds their own.
NATIVE_NAMES = {"en": "English", "es": "Español"}


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
