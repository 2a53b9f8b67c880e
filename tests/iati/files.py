"""Small IATI activity files written by the tests."""

from __future__ import annotations

from pathlib import Path


def activity(
    identifier: str,
    *,
    updated: str | None = "2024-01-01T00:00:00Z",
    countries: str = '<recipient-country code="HN"/>',
    transactions: str = "",
    reporting: str = '<reporting-org ref="XX-TEST" type="10"><narrative>Test Agency</narrative>'
    "</reporting-org>",
    currency: str = "USD",
    extra: str = "",
) -> str:
    stamp = f' last-updated-datetime="{updated}"' if updated else ""
    return (
        f'<iati-activity default-currency="{currency}"{stamp} xml:lang="en">'
        f"<iati-identifier>{identifier}</iati-identifier>"
        f"{reporting}"
        f"<title><narrative>Activity {identifier}</narrative>"
        f'<narrative xml:lang="es">Actividad {identifier}</narrative></title>'
        '<participating-org ref="" role="4" type="70"><narrative>Someone</narrative>'
        "</participating-org>"
        '<activity-status code="2"/>'
        '<activity-date iso-date="2022-01-01" type="2"/>'
        f"{countries}"
        '<sector vocabulary="1" code="31120"/>'
        f"{transactions}{extra}"
        "</iati-activity>"
    )


def transaction(
    kind: str,
    day: str,
    value: str,
    *,
    currency: str | None = None,
    country: str | None = None,
    value_date: str | None = None,
) -> str:
    cur = f' currency="{currency}"' if currency else ""
    where = f'<recipient-country code="{country}"/>' if country else ""
    return (
        f'<transaction><transaction-type code="{kind}"/><transaction-date iso-date="{day}"/>'
        f'<value value-date="{value_date or day}"{cur}>{value}</value>{where}</transaction>'
    )


def document(*activities: str, version: str = "2.03") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<iati-activities version="{version}" generated-datetime="2024-01-02T00:00:00Z">\n'
        + "\n".join(activities)
        + "\n</iati-activities>\n"
    )


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
