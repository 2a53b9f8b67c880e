"""A decimal field stored as a scaled integer, so sums are exact on SQLite and PostgreSQL.

SQLite keeps Django's DecimalField as a float-like NUMERIC and sums it in floating point; a
BIGINT of hundredths sums exactly on both databases, and Python only ever sees Decimal.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import Combinable
from django.utils.translation import gettext_lazy as _

SCALE = 2
_QUANTUM = Decimal(1).scaleb(-SCALE)
_FACTOR: int = 10**SCALE
# Largest value whose hundredths fit in a signed 64-bit integer.
MAX_VALUE = Decimal(2**63 - 1).scaleb(-SCALE)


def to_hundredths(value: Decimal) -> int:
    return int((value * _FACTOR).to_integral_value(rounding=ROUND_HALF_EVEN))


def from_hundredths(value: int) -> Decimal:
    return (Decimal(value) / _FACTOR).quantize(_QUANTUM)


class ExactDecimalField(models.BigIntegerField):  # type: ignore[type-arg]
    """A Decimal with two decimal places (cents, or hundredths of a person-count)."""

    description = _("Exact decimal number with two decimal places")

    # What django-stubs reads as the types that instances set and get.
    _pyi_private_set_type: Decimal | int | str | Combinable  # type: ignore[assignment]
    _pyi_private_get_type: Decimal  # type: ignore[assignment]

    @property
    def validators(self) -> list[Any]:
        # The integer range validators of BigIntegerField do not apply to the Decimal value.
        return [validators.MaxValueValidator(MAX_VALUE), validators.MinValueValidator(-MAX_VALUE)]

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Decimal | None:
        if value is None:
            return None
        # Aggregates may come back as Decimal (PostgreSQL numeric) or int (SQLite).
        return from_hundredths(int(value))

    def to_python(self, value: Any) -> Decimal | None:
        if value is None or value == "":
            return None
        if isinstance(value, Decimal):
            return value.quantize(_QUANTUM, rounding=ROUND_HALF_EVEN)
        if isinstance(value, float):
            raise ValidationError(_("Exact values cannot come from a float."))
        try:
            return Decimal(str(value).strip()).quantize(_QUANTUM, rounding=ROUND_HALF_EVEN)
        except ArithmeticError as exc:
            raise ValidationError(
                _("“%(value)s” is not a number."), code="invalid", params={"value": value}
            ) from exc

    def get_prep_value(self, value: Any) -> int | None:
        if value is None or value == "":
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            value = Decimal(value)
        decimal_value = self.to_python(value)
        assert decimal_value is not None
        return to_hundredths(decimal_value)

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        defaults: dict[str, Any] = {
            "form_class": forms.DecimalField,
            "decimal_places": SCALE,
            "max_digits": 19,
        }
        defaults.update(kwargs)
        return models.Field.formfield(self, **defaults)
