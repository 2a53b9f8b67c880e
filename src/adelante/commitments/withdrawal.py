"""A withdrawn commitment, and only one, has the date it was withdrawn: until that date it
counts as committed (DOMAIN rule 2). The one statement of the rule, for every door that sets a
status: the admin's form, the spreadsheet import and the workflow's status page."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from adelante.commitments.choices import Status


def problem(status: str, withdrawn_on: datetime.date | None) -> str | None:
    """What is wrong with this status and withdrawal date (the field is `withdrawn_on`)."""
    if status == Status.WITHDRAWN and withdrawn_on is None:
        return _(
            "Give the date it was withdrawn: it is required when the status is withdrawn, and "
            "until that date the commitment counts as committed."
        )
    if status != Status.WITHDRAWN and withdrawn_on is not None:
        return _(
            "Only a withdrawn commitment has a withdrawal date. Here the status is %(status)s."
        ) % {"status": status}
    return None
