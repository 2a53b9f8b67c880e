"""A service's refusal (`adelante.errors.ServiceError`) on a web page: mapped here, once.

- `on_form`: the errors of each input on the form's fields (a rule's input name may be
  aliased to the field that shows it), anything else at the top of the form; someone else's
  save (a concurrent edit) is shown beside your values, and the re-shown form carries the
  current version.
- `to_messages`: the messages as Django messages, for a page without a form.
- `status`: the HTTP status: invalid 400, conflict 409, not allowed 403, not found 404.
  `form_status`: a form page re-shown because its save was refused answers 400 (nothing was
  saved; the form says why), or 409 when someone else saved first, 403 and 404 as usual.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from adelante.errors import ErrorKind, ServiceError

STATUS = {
    ErrorKind.INVALID: 400,
    ErrorKind.CONFLICT: 409,
    ErrorKind.NOT_ALLOWED: 403,
    ErrorKind.NOT_FOUND: 404,
}


def status(error: ServiceError) -> int:
    return STATUS[error.kind]


def concurrent(error: ServiceError) -> Any:
    """What someone else changed, if the refusal is a concurrent edit (else None)."""
    return error.extra.get("conflict")


def form_status(error: ServiceError) -> int:
    if error.kind in (ErrorKind.INVALID, ErrorKind.CONFLICT):
        return 409 if concurrent(error) is not None else 400
    return status(error)


def on_form(
    form: forms.Form, error: ServiceError, aliases: Mapping[str, str] | None = None
) -> None:
    """Show the refusal on a bound, validated form: per field where it names one."""
    conflict = concurrent(error)
    refuse = getattr(form, "refuse", None)
    if conflict is not None and refuse is not None:
        refuse(conflict)
        return
    aliases = aliases or {}
    for key, texts in error.field_errors.items():
        name = aliases.get(key, key)
        for text in texts:
            form.add_error(name if name in form.fields else None, text)
    if not error.field_errors:
        form.add_error(None, error.message)


def to_messages(request: HttpRequest, error: ServiceError) -> None:
    for text in error.messages():
        messages.error(request, text)
