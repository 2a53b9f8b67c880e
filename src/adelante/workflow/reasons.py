"""The reasons a reviewer gives when a step needs one."""

from __future__ import annotations

from django.utils.translation import gettext as _

from adelante.errors import Invalid


def for_partner(reason: str) -> str:
    """The reason for sending something back to the partner (returned, declined), stripped;
    it is required, since the partner reads it."""
    reason = reason.strip()
    if not reason:
        raise Invalid(field_errors={"reason": [_("Say why: the partner reads it.")]})
    return reason
