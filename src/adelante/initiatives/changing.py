"""Changing an initiative: its texts, look, labels, metrics and countries (docs/initiatives.md).

The one service of every door that changes a recorded initiative: the admin's change form
(`initiatives.admin`) and `adelante initiative change`. `check_initiative_change` applies the
changes to a copy and checks them, nothing written; `do_change_initiative` saves them, with
the reason and the author in the history. `initiatives.founding` creates one; both share the
checks of countries and languages.

The rules, besides the model's own checks of each field:

- the countries: at least one, each in the shipped code list, none twice; a country stays
  while a commitment of the initiative names it (its country rows), and the refusal names the
  country and how many commitments;
- exactly one primary initiative: making another one primary moves the flag, in the same
  transaction; un-setting the primary's flag is refused (make another one primary instead);
- the slug is its address (`/<lang>/i/<slug>/`, `?initiative=`, `--initiative`): it changes
  until the initiative has a commitment, then never, so published links keep working.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from adelante import history
from adelante.bilingual import TranslationState, set_texts
from adelante.catalogue.models import Metric
from adelante.editing import Edit, applied, check_editor, merge, model_errors
from adelante.errors import Invalid
from adelante.initiatives.countries import country_name
from adelante.initiatives.founding import (
    checked_countries,
    checked_currency,
    checked_languages,
    checked_logo,
)
from adelante.initiatives.models import Initiative, InitiativeCountry

#: The initiative's texts, set through `bilingual.set_texts` (its translation state follows).
TEXT_FIELDS = ("name", "name_es", "description", "description_es")

#: Worked out from the texts, never typed.
DERIVED_FIELDS = ("translation_state",)

#: The fields a change may name: the initiative's own, and its countries and metrics.
INITIATIVE_FIELDS = (
    *(
        f.name
        for f in Initiative._meta.concrete_fields
        if f.editable and not f.primary_key and f.name not in (*TEXT_FIELDS, *DERIVED_FIELDS)
    ),
)
COUNTRIES = "countries"
METRICS = "metrics"


@dataclass
class _Checked:
    candidate: Initiative
    changed: list[str]
    countries: list[str] | None = None
    metrics: list[Metric] | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)


def _commitments_naming(initiative: Initiative, codes: Iterable[str]) -> dict[str, int]:
    """How many commitments of the initiative name each of these countries."""
    # Commitments are a layer above initiatives: their rows are reached by name, not import.
    country_share = apps.get_model("commitments", "CountryShare")
    rows = (
        country_share.objects.filter(commitment__initiative=initiative, country__in=list(codes))
        .values("country")
        .annotate(commitments=Count("commitment", distinct=True))
    )
    return {row["country"]: row["commitments"] for row in rows}


def has_commitments(initiative: Initiative) -> bool:
    commitment = apps.get_model("commitments", "Commitment")
    return bool(commitment.objects.filter(initiative=initiative).exists())


def countries_problem(initiative: Initiative, codes: Sequence[str]) -> str | None:
    """Why the initiative cannot have these countries: a country left out that a commitment of
    it names (None: it can)."""
    if initiative.pk is None:
        return None
    removed = [code for code in initiative.country_codes() if code not in codes]
    named = _commitments_naming(initiative, removed)
    if not named:
        return None
    return " ".join(
        ngettext(
            "%(country)s (%(code)s) cannot be removed: %(count)d commitment of this "
            "initiative names it.",
            "%(country)s (%(code)s) cannot be removed: %(count)d commitments of this "
            "initiative name it.",
            count,
        )
        % {"country": country_name(code), "code": code, "count": count}
        for code, count in sorted(named.items(), key=lambda item: removed.index(item[0]))
    )


def _normalised(changes: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The typed values as stored: codes in upper case, the pending languages as one text;
    and the errors of those that cannot be (left out of the values)."""
    found = dict(changes)
    errors: dict[str, list[str]] = {}
    if "display_currency" in found:
        try:
            found["display_currency"] = checked_currency(str(found["display_currency"] or ""))
        except Invalid as wrong:
            errors = merge(errors, wrong.field_errors)
            del found["display_currency"]
    if "languages_pending" in found:
        value = found["languages_pending"]
        listed = value.replace(";", ",").split(",") if isinstance(value, str) else list(value)
        try:
            found["languages_pending"] = checked_languages(listed)
        except Invalid as wrong:
            errors = merge(errors, wrong.field_errors)
            del found["languages_pending"]
    if "logo" in found:
        # A form's file field: None keeps the file, False clears it (as Django's own forms).
        if found["logo"] is None:
            del found["logo"]
        elif found["logo"] is False:
            found["logo"] = ""
        elif found["logo"] != "":
            try:
                found["logo"] = checked_logo(found["logo"])
            except Invalid as wrong:
                errors = merge(errors, wrong.field_errors)
                del found["logo"]
    return found, errors


def _checked(initiative: Initiative, changes: Mapping[str, Any], by: Any) -> _Checked:
    if by is not None:
        check_editor(by)
    errors: dict[str, list[str]] = {}
    own = dict(changes)
    countries = own.pop(COUNTRIES, None)
    metrics = own.pop(METRICS, None)
    texts = {name: str(own.pop(name) or "").strip() for name in TEXT_FIELDS if name in own}
    own, wrong = _normalised(own)
    errors = merge(errors, wrong)
    candidate, changed = applied(initiative, own, INITIATIVE_FIELDS)
    written = set_texts(candidate, texts, translator=TranslationState.STAFF)
    changed += [name for name in written if name not in changed]
    checked = _Checked(candidate, changed)
    if countries is not None:
        try:
            codes = checked_countries(list(countries))
        except Invalid as wrong:
            errors = merge(errors, wrong.field_errors)
        else:
            problem = countries_problem(initiative, codes)
            if problem:
                errors = merge(errors, {COUNTRIES: [problem]})
            checked.countries = codes
    if metrics is not None:
        checked.metrics = list(metrics)
    errors = merge(errors, _rules(initiative, candidate, changed))
    # The one-primary constraint is the rule above's (the flag moves when saved).
    checked_fields = [f for f in changed if f not in errors and f != "primary"]
    errors = merge(errors, model_errors(candidate, checked_fields))
    if errors:
        raise Invalid(field_errors=errors)
    return checked


def _rules(stored: Initiative, candidate: Initiative, changed: list[str]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if "primary" in changed and not candidate.primary and stored.primary:
        errors["primary"] = [
            _(
                "There is always one primary initiative: make another initiative primary "
                "instead, and this one stops being it."
            )
        ]
    if "slug" in changed and stored.pk is not None and has_commitments(stored):
        errors["slug"] = [
            _(
                "The address of an initiative with commitments does not change: links to "
                "/i/%(slug)s/ and ?initiative=%(slug)s are published."
            )
            % {"slug": stored.slug}
        ]
    return errors


def check_initiative_change(
    *, initiative: Initiative, changes: Mapping[str, Any], by: Any
) -> Initiative:
    """The initiative as the changes would leave it (its own fields; "countries", codes in
    order, and "metrics" are checked too); `Invalid` with each field's errors, `NotAllowed` if
    `by` is not of the secretariat (None: a command run on the server). Nothing is written."""
    return _checked(initiative, changes, by).candidate


def do_change_initiative(
    *, initiative: Initiative, changes: Mapping[str, Any], reason: str, by: Any
) -> Edit:
    """Change the initiative: its fields, its countries (added, removed, put in the new order)
    and its metrics, in one transaction; every history row written carries the reason and the
    author. The initiative's own row is saved even when nothing differs, so that a reason
    given is kept."""
    with transaction.atomic():
        stored = Initiative.objects.select_for_update().get(pk=initiative.pk)
        checked = _checked(stored, changes, by)
        candidate = checked.candidate
        diff: dict[str, tuple[Any, Any]] = {
            f.name: (getattr(stored, f.name), getattr(candidate, f.name))
            for f in Initiative._meta.concrete_fields
            if getattr(stored, f.attname) != getattr(candidate, f.attname)
        }
        try:
            with transaction.atomic(), history.change(reason=reason, user=by):
                if "primary" in diff and candidate.primary:
                    # The flag moves: the old primary lets go first (one primary, a constraint).
                    for old in Initiative.objects.select_for_update().filter(primary=True):
                        old.primary = False
                        history.save(old, user=by, reason=reason)
                history.save(candidate, user=by, reason=reason)
                if checked.countries is not None:
                    before = stored.country_codes()
                    if _set_countries(candidate, checked.countries, by, reason):
                        diff[COUNTRIES] = (before, tuple(checked.countries))
                if checked.metrics is not None:
                    before_metrics = set(stored.metrics.all())
                    if before_metrics != set(checked.metrics):
                        candidate.metrics.set(checked.metrics)
                        diff[METRICS] = (before_metrics, set(checked.metrics))
        except IntegrityError:
            # Another save took the slug between the check and this one.
            message = _("Another record already has this value.")
            raise Invalid(field_errors={"slug": [message]}) from None
    return Edit(candidate, diff)


def _set_countries(initiative: Initiative, codes: list[str], by: Any, reason: str) -> bool:
    """The initiative's country rows: these codes in this order. Whether any row changed."""
    rows = {row.code: row for row in InitiativeCountry.objects.filter(initiative=initiative)}
    changed = False
    for code, row in rows.items():
        if code not in codes:
            history.delete(row, user=by, reason=reason)
            changed = True
    for position, code in enumerate(codes):
        found = rows.get(code)
        if found is None:
            found = InitiativeCountry(initiative=initiative, code=code, position=position)
        elif found.position == position:
            continue
        found.position = position
        history.save(found, user=by, reason=reason)
        changed = True
    return changed
