"""Which initiative a computation, a page or a command is about: the scope of every read.

Like the active language, the scope is set once where a request or a command starts (the
portal's address, the API's and downloads' `?initiative=`, the command line's `--initiative`)
and read where the record is queried (`adelante.figures.record.Record`), so that every figure
module stays a plain function of the record and the same function serves every initiative.

Three scopes:
- `PRIMARY`: the installation's primary initiative (the default: a request or command that
  names no initiative means it, so the shipped record behaves as it did before initiatives);
- an initiative's id;
- `ACROSS`: every initiative, a pledge announced under several counted once (docs/initiatives.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Final, Literal

from django.db.models import Q

from adelante.initiatives.models import FIRST_INITIATIVE_SLUG, Initiative, InitiativeCountry

PRIMARY: Final = "primary"
ACROSS: Final = "across"

Scope = int | Literal["primary", "across"]

_scope: ContextVar[Scope] = ContextVar("adelante_initiative_scope", default=PRIMARY)

#: The primary initiative an empty database gets (the shipped record's; its migration makes it).
FIRST_INITIATIVE = {
    "slug": FIRST_INITIATIVE_SLUG,
    "name": "Central America Forward",
    "name_es": "Central America Forward",
    "description": (
        "The partnership in which companies and organisations pledged investment for "
        "Guatemala, El Salvador and Honduras, coordinated by a non-profit secretariat."
    ),
    "description_es": (
        "La alianza en la que empresas y organizaciones comprometieron inversiones para "
        "Guatemala, El Salvador y Honduras, coordinada por una secretaría sin fines de lucro."
    ),
    "written_in": "en",
    "translation_state": "staff",
}
FIRST_COUNTRIES = ("GT", "SV", "HN")


def current() -> Scope:
    return _scope.get()


@contextmanager
def within(scope: Scope | Initiative) -> Iterator[None]:
    """Everything computed inside is about this initiative (or `ACROSS` all of them)."""
    token = _scope.set(scope.pk if isinstance(scope, Initiative) else scope)
    try:
        yield
    finally:
        _scope.reset(token)


def initiative_q(scope: Scope | None = None, field: str = "initiative") -> Q:
    """The condition on rows with an initiative foreign key `field` for the scope."""
    scope = current() if scope is None else scope
    if scope == ACROSS:
        return Q()
    if scope == PRIMARY:
        return Q(**{f"{field}__primary": True})
    return Q(**{f"{field}_id": scope})


def primary() -> Initiative:
    """The primary initiative, made (as the shipped record's) if the database has none."""
    found = Initiative.objects.filter(primary=True).first()
    if found is not None:
        return found
    made, _ = Initiative.objects.get_or_create(
        slug=FIRST_INITIATIVE_SLUG, defaults={**FIRST_INITIATIVE, "primary": True}
    )
    if not made.primary:
        made.primary = True
        made.save(update_fields=["primary"])
    for position, code in enumerate(FIRST_COUNTRIES):
        InitiativeCountry.objects.get_or_create(
            initiative=made, code=code, defaults={"position": position}
        )
    return made


def resolve(scope: Scope | None = None) -> Initiative | None:
    """The initiative of the scope (None across initiatives)."""
    scope = current() if scope is None else scope
    if scope == ACROSS:
        return None
    if scope == PRIMARY:
        return primary()
    return Initiative.objects.get(pk=scope)


def initiative_or_primary() -> Initiative:
    """The one initiative a document or a file is about: the one in scope, or the primary
    initiative when the scope is across initiatives."""
    return resolve() or primary()


def default_initiative_id() -> int:
    """A new round's, commitment's or statement's initiative: the one in scope.

    Reads only the id and the `primary` flag, which every version of the table has, so that it
    is safe as a default inside old migrations.
    """
    scope = current()
    if isinstance(scope, int):
        return scope
    found = Initiative.objects.filter(primary=True).values_list("id", flat=True).first()
    return found if found is not None else primary().pk
