"""Checking an organisation identifier: the one rule of the admin, the staff import and the API.

An identifier is `PREFIX-IDENTIFIER` in the org-id.guide form. The prefix must be a shipped,
non-deprecated scheme (`adelante.partners.orgid`); the rest must fit the scheme's documented
format where we know it (docs/partners.md):

- GT-NIT: digits and a check character (a digit or K), modulus 11 as SAT computes it;
- SV-NIT and HN-RTN: 14 digits;
- US-EIN: 9 digits, not starting with a prefix the IRS never assigns;
- XI-LEI: 20 characters, ISO 17442, whose check digits satisfy ISO 7064 MOD 97-10.

The register gives no format for the others: their identifier is letters, digits and the
punctuation IATI allows in a `ref`. Identifiers are kept in one written form (`canonical`):
the prefix in capitals, and for the schemes above without spaces or hyphens.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from adelante.errors import ServiceError
from adelante.partners.orgid import Scheme, scheme_of

#: The longest identifier kept, prefix included.
IDENTIFIER_LENGTH = 120

#: What separates several identifiers in one cell or field.
_SEPARATORS = re.compile(r"[;,\s]+")
#: A prefix-like start ("XX-YYY-"), to name an unknown scheme in the message.
_PREFIX_LIKE = re.compile(r"^([A-Za-z]{2}(?:_[A-Za-z0-9]+)?-[A-Za-z0-9_]+)-")
#: What any scheme's identifier may hold (IATI refs: no spaces, no slashes).
_ANY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:\-]*")
#: EIN prefixes the IRS has never assigned.
_EIN_UNASSIGNED = frozenset(
    {"00", "07", "08", "09", "17", "18", "19", "28", "29", "49", "69", "70", "78", "79", "89"}
    | {"96", "97"}
)


class IdentifierError(ServiceError):
    """An organisation identifier that Adelante cannot accept."""


@dataclass(frozen=True)
class OrgIdentifier:
    """A checked identifier: its scheme and its canonical written form."""

    scheme: Scheme
    canonical: str

    @property
    def value(self) -> str:
        """The part after the prefix."""
        return self.canonical[len(self.scheme.code) + 1 :]


def _digits_only(value: str) -> str:
    return re.sub(r"[\s\-]", "", value)


def _gt_nit(value: str) -> str | None:
    value = _digits_only(value).upper()
    if not re.fullmatch(r"\d{1,12}[0-9K]", value):
        return _("a Guatemalan NIT is digits followed by a check digit or K")
    digits, check = value[:-1], value[-1]
    total = sum(int(d) * w for d, w in zip(digits, range(len(digits) + 1, 1, -1), strict=True))
    expected = (11 - total % 11) % 11
    if check != ("K" if expected == 10 else str(expected)):
        return _("the check digit is wrong (it should be %(check)s)") % {
            "check": "K" if expected == 10 else expected
        }
    return None


def _fourteen_digits(value: str) -> str | None:
    if not re.fullmatch(r"\d{14}", _digits_only(value)):
        return _("it must have 14 digits")
    return None


def _us_ein(value: str) -> str | None:
    value = _digits_only(value)
    if not re.fullmatch(r"\d{9}", value):
        return _("an EIN has 9 digits (NN-NNNNNNN)")
    if value[:2] in _EIN_UNASSIGNED:
        return _("no EIN starts with %(prefix)s") % {"prefix": value[:2]}
    return None


def lei_check_digits_ok(lei: str) -> bool:
    """ISO 7064 MOD 97-10 over the LEI, letters as 10 to 35: the number leaves 1."""
    return int("".join(str(int(c, 36)) for c in lei)) % 97 == 1


def _xi_lei(value: str) -> str | None:
    value = value.upper()
    if not re.fullmatch(r"[A-Z0-9]{18}[0-9]{2}", value):
        return _("an LEI is 18 letters or digits followed by 2 check digits")
    if not lei_check_digits_ok(value):
        return _("the LEI's check digits are wrong")
    return None


@dataclass(frozen=True)
class _Format:
    check: Callable[[str], str | None]
    canonical: Callable[[str], str]


_FORMATS: dict[str, _Format] = {
    "GT-NIT": _Format(_gt_nit, lambda v: _digits_only(v).upper()),
    "SV-NIT": _Format(_fourteen_digits, _digits_only),
    "HN-RTN": _Format(_fourteen_digits, _digits_only),
    "US-EIN": _Format(_us_ein, _digits_only),
    "XI-LEI": _Format(_xi_lei, str.upper),
}

#: The schemes whose own format Adelante checks (docs/partners.md lists them).
CHECKED_FORMATS = tuple(_FORMATS)


def check_identifier(text: str) -> OrgIdentifier:
    """The identifier checked and in its canonical form; IdentifierError if it cannot be."""
    written = text.strip()
    if not written:
        raise IdentifierError(_("An identifier is empty."))
    if len(written) > IDENTIFIER_LENGTH:
        raise IdentifierError(
            _("“%(id)s” is longer than %(max)d characters.")
            % {"id": written[:40] + "…", "max": IDENTIFIER_LENGTH}
        )
    scheme = scheme_of(written)
    if scheme is None:
        like = _PREFIX_LIKE.match(written)
        if like:
            raise IdentifierError(
                _(
                    "“%(id)s”: %(prefix)s is not an identifier scheme Adelante knows (the "
                    "org-id.guide schemes of the region and the international ones, "
                    "docs/partners.md)."
                )
                % {"id": written, "prefix": like.group(1).upper()}
            )
        raise IdentifierError(
            _(
                "“%(id)s” is not an organisation identifier: write the scheme's prefix, then "
                "the identifier, e.g. GT-NIT-7555605-7 or XI-LEI-724500PMK2A2M1SQQ228."
            )
            % {"id": written}
        )
    if scheme.deprecated:
        raise IdentifierError(
            _("“%(id)s”: the scheme %(code)s (%(name)s) is deprecated; use another scheme.")
            % {"id": written, "code": scheme.code, "name": scheme.name}
        )
    value = written[len(scheme.code) + 1 :].strip()
    fmt = _FORMATS.get(scheme.code)
    problem = fmt.check(value) if fmt is not None else None
    if problem is None and not _ANY.fullmatch(fmt.canonical(value) if fmt else value):
        problem = _("only letters, digits and . _ : - may follow the prefix")
    if problem is not None:
        raise IdentifierError(
            _("“%(id)s” is not a valid %(code)s identifier: %(problem)s.")
            % {"id": written, "code": scheme.code, "problem": problem}
        )
    return OrgIdentifier(scheme, f"{scheme.code}-{fmt.canonical(value) if fmt else value}")


def split_identifiers(text: str) -> list[str]:
    """The identifiers written in one cell or field, separated by semicolons, commas or spaces.

    Hyphens inside an identifier stay (GT-NIT-7555605-7): only these separators split.
    """
    return [part for part in _SEPARATORS.split(text.strip()) if part]


def check_identifiers(texts: Iterable[str]) -> list[OrgIdentifier]:
    """Each identifier checked, each once; IdentifierError naming every one that is wrong."""
    found: dict[str, OrgIdentifier] = {}
    problems: list[str] = []
    for text in texts:
        try:
            checked = check_identifier(text)
        except IdentifierError as exc:
            problems.append(exc.message)
            continue
        found.setdefault(checked.canonical, checked)
    if problems:
        raise IdentifierError(" ".join(problems))
    return list(found.values())


#: The schemes an IATI publisher looks for first: IATI's own register, then the LEI.
_IATI_PREFERENCE = ("XI-IATI", "XI-LEI")


def preferred_identifier(identifiers: Iterable[str]) -> str | None:
    """The identifier to write as a partner's IATI `ref`: an XI-IATI one, else an LEI, else
    the first of the others in alphabetical order; None if the partner has none."""
    ordered = sorted(identifiers)
    for prefix in _IATI_PREFERENCE:
        for identifier in ordered:
            if identifier.startswith(prefix + "-"):
                return identifier
    return ordered[0] if ordered else None
