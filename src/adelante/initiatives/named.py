"""The initiative a request or a command names by its slug (`?initiative=`, `--initiative`).

Naming none means the primary initiative, so every address and command that existed before
initiatives keeps its meaning. An unknown slug is the caller's mistake, said with the slugs
that exist (the API answers a problem, the downloads a 404, the command line one line).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from adelante.initiatives import scope
from adelante.initiatives.models import Initiative

_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,60}")


class UnknownInitiative(LookupError):
    def __init__(self, slug: str, known: tuple[str, ...]) -> None:
        self.slug = slug
        self.known = known
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return _("No initiative “%(slug)s”; the initiatives are: %(known)s.") % {
            "slug": self.slug,
            "known": ", ".join(self.known),
        }


def named(slug: str | None) -> Initiative:
    """The initiative with this slug; the primary one for None or an empty slug."""
    if slug is None or not slug.strip():
        return scope.primary()
    slug = slug.strip()
    found = Initiative.objects.filter(slug=slug).first() if _SLUG.fullmatch(slug) else None
    if found is None:
        raise UnknownInitiative(
            slug, tuple(Initiative.objects.listed().values_list("slug", flat=True))
        )
    return found


def initiative_name() -> str:
    """The name, in the active language, of the initiative in scope (the primary one across
    initiatives): what an e-mail or a page title of the installation's own says it is for."""
    return scope.initiative_or_primary().in_language("name").text
