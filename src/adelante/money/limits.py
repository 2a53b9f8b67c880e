"""The largest amount of money any door accepts: the web forms, the API, the import and the
admin all check amounts here, so that one rule holds everywhere (docs/import.md).

A commitment or reported value above a trillion US dollars (or units of another currency) is
a typing slip: the largest real commitments are in the hundreds of millions.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

#: The largest amount accepted, in the amount's currency: 10^12.
MAX_AMOUNT = Decimal(10**12)


def too_large(value: Decimal) -> bool:
    """The amount is above `MAX_AMOUNT`."""
    return value > MAX_AMOUNT


def too_large_message() -> str:
    """What every door says about an amount above the limit (in the active language)."""
    return _("The amount is too large (more than %(max)s): check the number of digits.") % {
        "max": number_format(MAX_AMOUNT, decimal_pos=0, force_grouping=True)
    }


def validate_amount(value: Decimal | None) -> None:
    """A Django validator: the amount is not above `MAX_AMOUNT`."""
    if value is not None and too_large(value):
        raise ValidationError(too_large_message(), code="max_amount")
