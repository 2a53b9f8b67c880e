"""The one error type of Adelante's services.

A service refuses with a `ServiceError`: a message for the person, the errors of each field
they typed (if any), and a kind that says what went wrong. Each door maps it once: the web to
form errors and messages, the API to an RFC 9457 problem (422, 409, 403, 404), the command line
to a message and a non-zero exit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any


class ErrorKind(StrEnum):
    """What went wrong, in the terms every door can map."""

    INVALID = "invalid"  # the input breaks a rule: 422
    CONFLICT = "conflict"  # the record is not in a state that allows it: 409
    NOT_ALLOWED = "not_allowed"  # this person may not do it: 403
    NOT_FOUND = "not_found"  # no such thing, or not one this person may see: 404


class ServiceError(Exception):
    """A service refused: `message` for the person, `field_errors` per input field.

    `field_errors` maps an input's name to its messages: a form field's name, or a name with
    a qualifier after a colon ("value:people_trained", the value of one metric); "__all__" is
    the input as a whole. `extra` carries data a door may show (the decreases to confirm, the
    other person's changes in a concurrent edit).
    """

    kind: ErrorKind = ErrorKind.INVALID

    def __init__(
        self,
        message: str = "",
        *,
        kind: ErrorKind | None = None,
        field_errors: Mapping[str, Sequence[str]] | None = None,
        extra: Mapping[str, Any] | None = None,
        code: str = "",
    ) -> None:
        if kind is not None:
            self.kind = kind
        #: A stable name of the reason for machines (the API's problem type), e.g.
        #: "not-your-partner"; empty: the kind says enough.
        self.code = code
        self.field_errors: dict[str, list[str]] = {
            name: [str(m) for m in messages] for name, messages in (field_errors or {}).items()
        }
        if not message and self.field_errors:
            message = next(iter(next(iter(self.field_errors.values()))), "")
        self.message = str(message)
        self.extra: dict[str, Any] = dict(extra or {})
        super().__init__(self.message)

    def messages(self) -> list[str]:
        """Every message, the general one first: what a door without fields shows."""
        found = [self.message] if self.message else []
        for messages in self.field_errors.values():
            found.extend(m for m in messages if m not in found)
        return found


class Invalid(ServiceError):
    kind = ErrorKind.INVALID


class Conflict(ServiceError):
    kind = ErrorKind.CONFLICT


class NotAllowed(ServiceError):
    kind = ErrorKind.NOT_ALLOWED


class NotFound(ServiceError):
    kind = ErrorKind.NOT_FOUND
