"""The reporting organisation of the IATI export: Django settings, else environment variables.

`ADELANTE_IATI_REPORTING_ORG_REF` is a placeholder until the secretariat registers its own IATI
organisation identifier (docs/iati.md); the type is a code of the IATI OrganisationType list.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import pgettext, pgettext_lazy

#: Placeholder identifier: "XM-DAC" is the IATI prefix for organisations without a registered
#: identifier of their own; replace it with the secretariat's registered one before publishing.
DEFAULT_REF = "XM-DAC-000-PCA"
#: 21, International NGO: the secretariat is a non-profit working across the three countries.
DEFAULT_TYPE = "21"
DEFAULT_NAME = "Partnership for Central America"


#: The default publisher as the object of "reported to" (the Spanish catalogue has its article).
PUBLISHER_AS_OBJECT = "publisher, after 'reported to'"
# Marked for the catalogue (makemessages); read through `publisher_in_language`.
_DEFAULT_AS_OBJECT = pgettext_lazy(PUBLISHER_AS_OBJECT, "Partnership for Central America")


def publisher_in_language(name: str) -> str:
    """The publisher's name in the active language where the catalogue has it (the default
    publisher's); a configured name of another publisher as it is."""
    return pgettext(PUBLISHER_AS_OBJECT, name)


def _setting(name: str, default: str) -> str:
    value = getattr(settings, name, None) or os.environ.get(name, "")
    return str(value).strip() or default


@dataclass(frozen=True)
class ReportingOrg:
    ref: str
    type: str
    name: str


def reporting_org() -> ReportingOrg:
    return ReportingOrg(
        ref=_setting("ADELANTE_IATI_REPORTING_ORG_REF", DEFAULT_REF),
        type=_setting("ADELANTE_IATI_REPORTING_ORG_TYPE", DEFAULT_TYPE),
        name=_setting("ADELANTE_IATI_REPORTING_ORG_NAME", DEFAULT_NAME),
    )
