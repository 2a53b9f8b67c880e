"""Confirming an e-mail address through a signed link.

A form sent without an account (a join request, a suggested correction) is kept unconfirmed
until the link e-mailed to its address comes back: only then does it reach the secretariat's
queue. The link carries the row's id, signed with the form's own salt (a join link cannot
confirm a correction), and expires. Confirming again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from django.core import signing
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from adelante import history
from adelante.errors import Invalid

#: How long a link works: three days.
CONFIRM_SECONDS = 3 * 24 * 3600


class Confirmable(Protocol):
    """A row kept until its address is confirmed: its status and when it was confirmed."""

    pk: Any
    status: Any
    confirmed_at: Any


Row = TypeVar("Row", bound=models.Model)


@dataclass(frozen=True)
class AddressConfirmation(Generic[Row]):
    """The signed link of one kind of form, and what confirming it does."""

    model: type[Row]
    #: The form's own salt; `key` names the id inside the signed value (kept as links sent
    #: before have it).
    salt: str
    key: str
    #: The status the row waits in, and the one it takes once confirmed.
    unconfirmed: str
    confirmed: str
    #: The refusals, of the service's own error type; `expired`: what to do instead.
    error: Callable[[str], Invalid]
    expired: str | Promise

    def token(self, row: Row) -> str:
        return signing.dumps({self.key: row.pk}, salt=self.salt)

    def row(self, token: str) -> Row:
        """The row this link is for, or the service's error (expired, forged or unknown)."""
        try:
            data = signing.loads(token, salt=self.salt, max_age=CONFIRM_SECONDS)
        except signing.SignatureExpired:
            raise self.error(str(self.expired)) from None
        except signing.BadSignature:
            raise self.error(_("This confirmation link is not valid.")) from None
        pk = data.get(self.key) if isinstance(data, dict) else None
        found = self.model._default_manager.filter(pk=pk).first() if isinstance(pk, int) else None
        if found is None:
            raise self.error(_("This confirmation link is not valid."))
        return found

    def confirm(self, token: str) -> tuple[Row, bool]:
        """Confirm the row's address: it leaves the unconfirmed status once (True), with the
        time and a history entry; a second confirmation changes nothing (False)."""
        with transaction.atomic():
            locked = self.model._default_manager.select_for_update().get(pk=self.row(token).pk)
            waiting: Confirmable = locked  # type: ignore[assignment]
            if waiting.status != self.unconfirmed:
                return locked, False
            waiting.status = self.confirmed
            waiting.confirmed_at = timezone.now()
            history.save(locked, reason=_("e-mail address confirmed"))
        return locked, True
