"""The map of the initiative's countries, inlined in a page (portal/_country_map.html)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from adelante.portal.country_map import MapArea, drawable, map_svg

register = template.Library()


@register.simple_tag
def country_map(areas: tuple[MapArea, ...], title: str) -> SafeString:
    # No country with an outline: the table beside it is the map's only form.
    if not drawable(areas):
        return mark_safe("")
    # map_svg escapes every text it writes; the outlines are the project's own file.
    return mark_safe(map_svg(areas, title))
