"""The form field for amounts and counts: what people type, read by `money.reading`, and the
number shown back in the reader's language (never "45.00" for a count)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from adelante.money.formatting import format_number
from adelante.money.reading import Unreadable, read_number

#: Beyond any value a rule accepts (their limits judge and name it); bounds what is stored.
LARGEST = Decimal(10**15)


class TypedNumberInput(forms.TextInput):
    """A text box (a number box would refuse "2,5 millones"), showing stored numbers with the
    language's separators; what was typed is shown back as typed."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return format_number(value)
        formatted: str | None = super().format_value(value)
        return formatted


class TypedNumberField(forms.Field):
    """A number as the reader writes it. `money`: an amount in US dollars, echoed "US$…";
    `read_as` holds the echo of the last value read ("read as US$2,500,000")."""

    widget = TypedNumberInput

    def __init__(self, *, money: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.money = money
        self.read_as = ""
        self.dollars = False

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            reading = read_number(str(value))
        except Unreadable as error:
            raise ValidationError(error.message, code="invalid") from None
        if reading is None:
            return None
        if abs(reading.value) >= LARGEST:
            raise ValidationError(
                _("The number is too large: check the number of digits."), code="max_value"
            )
        self.dollars = reading.dollars
        # Echoed unless it was typed the plain way ("45", "120"): "read as US$2,500,000".
        plain = re.fullmatch(r"\d{1,3}", str(value).strip()) is not None
        self.read_as = "" if plain else reading.echo(money=self.money)
        return reading.value
