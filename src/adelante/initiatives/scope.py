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

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Final, Literal, TypeVar, cast

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from adelante.initiatives.models import FIRST_INITIATIVE_SLUG, Initiative, InitiativeCountry

PRIMARY: Final = "primary"
ACROSS: Final = "across"

Scope = int | Literal["primary", "across"]

_scope: ContextVar[Scope] = ContextVar("adelante_initiative_scope", default=PRIMARY)

#: The primary initiative an empty database gets (the shipped record's): its migration makes
#: it, and `founding.found_first_initiative` in a database emptied since. Never a read.
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


class NoPrimaryInitiative(LookupError):
    """The database has no primary initiative. Its migrations make one (initiatives 0002), so
    this is a database emptied by hand, or not migrated: reading never makes one (founding
    does, `founding.found_first_initiative`)."""

    def __init__(self) -> None:
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return _(
            "This installation has no primary initiative. Its migrations make one: run "
            "“adelante migrate” (a database emptied since: “python -m adelante.demo”)."
        )


# What this request (or command, or task) has read about initiatives: their rows, their
# countries, the primary one's id. None outside `remembering()`: every read asks the database.
_memo: ContextVar[dict[Hashable, Any] | None] = ContextVar("adelante_initiative_memo", default=None)

T = TypeVar("T")


@contextmanager
def remembering() -> Iterator[None]:
    """Inside, what is read about initiatives is read once (a request's, a command's, a
    task's: the middleware and the commands open one). The memo dies with the block, so a
    change made by another process is seen by the next request; a change saved in this one
    (any save or deletion of an initiative or a country row: the signals below) empties it
    at once."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def memo() -> dict[Hashable, Any] | None:
    """The memo of the block in progress (None outside `remembering()`), to enter again
    around the chunks of a response streamed after the block ended."""
    return _memo.get()


@contextmanager
def remembering_in(kept: dict[Hashable, Any] | None) -> Iterator[None]:
    """Inside, the memo `kept` (from `memo()`) again; none if it is None."""
    token = _memo.set(kept)
    try:
        yield
    finally:
        _memo.reset(token)


def remembered(key: Hashable, read: Callable[[], T]) -> T:
    """`read()`, once per `remembering()` block and key; every time outside one."""
    kept = _memo.get()
    if kept is None:
        return read()
    if key not in kept:
        kept[key] = read()
    return cast(T, kept[key])


def forget() -> None:
    """Forget what the block in progress read about initiatives (one changed)."""
    kept = _memo.get()
    if kept is not None:
        kept.clear()


@receiver(post_save, sender=Initiative)
@receiver(post_delete, sender=Initiative)
@receiver(post_save, sender=InitiativeCountry)
@receiver(post_delete, sender=InitiativeCountry)
def _changed(sender: Any, **kwargs: Any) -> None:
    forget()


def _read_primary() -> Initiative:
    found = Initiative.objects.filter(primary=True).first()
    if found is None:
        raise NoPrimaryInitiative
    return found


def primary() -> Initiative:
    """The primary initiative (read once per `remembering()` block). `NoPrimaryInitiative`
    if the database has none: a read never writes."""
    return remembered(PRIMARY, _read_primary)


def resolve(scope: Scope | None = None) -> Initiative | None:
    """The initiative of the scope (None across initiatives; read once per `remembering()`
    block). `NoPrimaryInitiative` for the primary scope of a database without one."""
    scope = current() if scope is None else scope
    if scope == ACROSS:
        return None
    if scope == PRIMARY:
        return primary()
    return remembered(scope, lambda: Initiative.objects.get(pk=scope))


def initiative_or_primary() -> Initiative:
    """The one initiative a document or a file is about: the one in scope, or the primary
    initiative when the scope is across initiatives."""
    return resolve() or primary()


def default_initiative_id() -> int:
    """A new round's, commitment's or statement's initiative: the one in scope.

    Django calls it for every instance made without an initiative (a form's empty instance,
    an import's rows), never for rows loaded from the database. In the primary scope it reads
    the primary initiative's id once per `remembering()` block (once per request, command or
    task), and only the id and the `primary` flag, which every version of the table has, so
    that it is safe as a default inside old migrations (commitments 0005).
    `NoPrimaryInitiative` if there is none: never made here.
    """
    scope = current()
    if isinstance(scope, int):
        return scope
    kept = _memo.get()
    if kept is not None and isinstance(kept.get(PRIMARY), Initiative):
        return cast(Initiative, kept[PRIMARY]).pk
    return remembered(_PRIMARY_ID, _read_primary_id)


_PRIMARY_ID = "primary id"


def _read_primary_id() -> int:
    found = Initiative.objects.filter(primary=True).values_list("id", flat=True).first()
    if found is None:
        raise NoPrimaryInitiative
    return found
