"""Each person's language: the one their e-mails, digests and notices are written in.

A person chooses it on their account page; an invitation sets it for the account it creates
(the inviter picks the invitation's language). Whoever sends anything to someone writes it in
*their* language (`override_for`), never in the sender's page language.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from adelante import history
from adelante.accounts.models import Preferences
from adelante.errors import Invalid


def codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def preferred(user: Any, fallback: str | None = None) -> str:
    """The person's language; `fallback` (else the site's default) if they chose none."""
    chosen = ""
    if getattr(user, "pk", None) is not None:
        chosen = (
            Preferences.objects.filter(user_id=user.pk).values_list("language", flat=True).first()
            or ""
        )
    if chosen in codes():
        return chosen
    return fallback if fallback in codes() else settings.LANGUAGE_CODE


@contextmanager
def override_for(user: Any, fallback: str | None = None) -> Iterator[str]:
    """Translations and reversed URLs in the person's language, inside the block."""
    language = preferred(user, fallback)
    with translation.override(language):
        yield language


def check_language(*, language: str) -> None:
    if language not in codes():
        raise Invalid(field_errors={"language": [_("Choose English or Spanish.")]})


def set_preferred(*, user: Any, language: str, by: Any = None, only_if_unset: bool = False) -> None:
    """Record the person's language (`only_if_unset`: keep a choice they made already)."""
    check_language(language=language)
    row = Preferences.objects.filter(user=user).first() or Preferences(user=user)
    if only_if_unset and row.language:
        return
    if row.pk is not None and row.language == language:
        return
    row.language = language
    history.save(row, user=by or user, reason=_("preferred language"))
