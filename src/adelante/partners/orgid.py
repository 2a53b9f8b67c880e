"""The organisation identifier schemes of org-id.guide that Adelante knows (docs/partners.md).

An identifier is written `PREFIX-IDENTIFIER` (`GT-NIT-75556057`), where the prefix is a
scheme's code. The schemes are the register's own files, shipped unmodified in `data/`
(ORGID-README.md there says which and under what licence); this module reads the little of
them that Adelante uses.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources

#: The files of the register are named after the scheme's code, in lower case.
_DATA = "data"


@dataclass(frozen=True)
class Scheme:
    """One identifier scheme ("list") of the org-id.guide register."""

    code: str
    """The prefix, e.g. "GT-NIT"."""
    name: str
    """Its name in English."""
    local_name: str
    """Its name in the country's language ("" when the register gives none)."""
    url: str
    deprecated: bool
    """The register says it should no longer be used."""
    example: str
    """The register's example identifiers, as it writes them."""


def _scheme(data: dict[str, object]) -> Scheme:
    names = data.get("name")
    names = names if isinstance(names, dict) else {}
    access = data.get("access")
    access = access if isinstance(access, dict) else {}
    return Scheme(
        code=str(data["code"]).upper(),
        name=str(names.get("en") or data["code"]).strip(),
        local_name=str(names.get("local") or "").strip(),
        url=str(data.get("url") or ""),
        deprecated=data.get("deprecated") is True,
        example=str(access.get("exampleIdentifiers") or ""),
    )


@functools.cache
def schemes() -> dict[str, Scheme]:
    """Every shipped scheme by its code (upper case)."""
    found: dict[str, Scheme] = {}
    for entry in resources.files("adelante.partners").joinpath(_DATA).iterdir():
        if entry.name.endswith(".json"):
            scheme = _scheme(json.loads(entry.read_text(encoding="utf-8")))
            found[scheme.code] = scheme
    return found


@functools.cache
def _codes_longest_first() -> tuple[str, ...]:
    return tuple(sorted(schemes(), key=len, reverse=True))


def scheme_of(identifier: str) -> Scheme | None:
    """The known scheme whose prefix the identifier starts with (the longest that fits)."""
    upper = identifier.upper()
    for code in _codes_longest_first():
        if upper.startswith(code + "-"):
            return schemes()[code]
    return None


def scheme(code: str) -> Scheme | None:
    return schemes().get(code.upper())
