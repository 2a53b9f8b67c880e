"""Editing a recorded commitment or official statement: the one service of every door.

The admin's change forms (`commitments.admin`) and an accepted public correction
(`corrections.editing`) both call these, so an edit one door refuses is refused by the other
with the same errors on the same fields, and an edit one door saves leaves the same history
row (the reason, the author, the changed fields).

`check_commitment_edit` applies the changes to a copy and checks them (nothing written):
who may edit (`adelante.editing.may_edit`), the model's own checks, the rules of
`commitments.rules` (the amount, the time horizon), the US$ amount and exchange rate worked
out by `commitments.amounts` (a missing announcement date is taken from the round). Then
`do_edit_commitment` saves it through `history` and allocates the US$ amount to the country
rows again. The status and the withdrawal date of a recorded commitment are the workflow's
(`workflow.lifecycle`); the country shares, targets and sources are rows of their own (the
admin's inlines, with `rules.shares_problem` and `amounts.reallocate`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from adelante import history
from adelante.commitments import rules, withdrawal
from adelante.commitments.amounts import MissingDate, MissingRate, reallocate, usd_amount
from adelante.commitments.choices import PUBLISHED_STATUSES, StatementFigure
from adelante.commitments.models import Commitment, OfficialStatement
from adelante.editing import Edit, applied, check_editor, merge, model_errors
from adelante.errors import Invalid

User = AbstractBaseUser | AnonymousUser

#: What only the workflow changes on a recorded commitment.
LIFECYCLE_FIELDS = ("status", "withdrawn_on")

#: Worked out from the amount, never typed.
DERIVED_FIELDS = ("amount_usd", "exchange_rate")

#: The fields an edit may change: a new commitment states its status too.
COMMITMENT_FIELDS = tuple(
    f.name
    for f in Commitment._meta.concrete_fields
    if f.editable and not f.primary_key and f.name not in DERIVED_FIELDS
)
STATEMENT_FIELDS = tuple(
    f.name for f in OfficialStatement._meta.concrete_fields if f.editable and not f.primary_key
)


def _commitment_rules(candidate: Commitment, changed: list[str]) -> dict[str, list[str]]:
    """The commitment's own rules, for the changed fields; sets the US$ amount and the rate
    the candidate's amount gives."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    earlier = candidate.relates_to if "relates_to" in changed else None
    if earlier is not None and candidate.pk is not None and earlier.pk == candidate.pk:
        add("relates_to", _("A commitment cannot relate to itself."))
    if (
        {"announced_on", "round", "status"} & set(changed)
        and candidate.status in PUBLISHED_STATUSES
        and candidate.announced_on is None
    ):
        # What is committed as of a day counts what was announced by then (DOMAIN rule 2).
        add("announced_on", _("A published commitment has an announcement date."))
    if {"status", "withdrawn_on"} & set(changed):
        wrong = withdrawal.problem(candidate.status, candidate.withdrawn_on)
        if wrong:
            add("withdrawn_on", wrong)
    if {"starts_on", "ends_on"} & set(changed):
        wrong = rules.period_problem(candidate.starts_on, candidate.ends_on)
        if wrong:
            add("ends_on", wrong)
    if {"amount", "qualifier", "currency", "announced_on", "round"} & set(changed):
        _amount_rules(candidate, add)
    return errors


def _amount_rules(candidate: Commitment, add: Any) -> None:
    wrong = rules.amount_problem(candidate.amount, candidate.qualifier, required=True)
    if wrong:
        add("amount", wrong)
        return
    try:
        result = usd_amount(candidate.amount, candidate.currency, candidate.announced_on)
    except MissingDate:
        add(
            "announced_on",
            _(
                "An amount in %(currency)s is converted at the rate of the announcement date: "
                "give the date (or a round)."
            )
            % {"currency": candidate.currency},
        )
        return
    except MissingRate as missing:
        assert missing.on is not None
        add(
            "currency",
            _(
                "There is no exchange rate for %(currency)s on %(date)s. Add it under "
                "Exchange rates, then save again."
            )
            % {"currency": missing.currency, "date": date_format(missing.on)},
        )
        return
    candidate.amount_usd = result.amount_usd
    candidate.exchange_rate = result.exchange_rate


def _checked_commitment(
    commitment: Commitment, changes: Mapping[str, Any], by: User
) -> tuple[Commitment, list[str]]:
    check_editor(by)
    editable = COMMITMENT_FIELDS
    if commitment.pk is not None:
        editable = tuple(f for f in editable if f not in LIFECYCLE_FIELDS)
    candidate, changed = applied(commitment, changes, editable)
    if candidate.announced_on is None and candidate.round is not None and changed:
        # A commitment is usually announced with its round: without a date, it takes the
        # round's (as the admin always has).
        candidate.announced_on = candidate.round.announced_on
        if "announced_on" not in changed and candidate.announced_on != commitment.announced_on:
            changed.append("announced_on")
    if changed:
        errors = _commitment_rules(candidate, changed)
        # The model's own checks of the rest (a negative amount breaks a constraint too, but
        # the rule says it better).
        errors = merge(errors, model_errors(candidate, [f for f in changed if f not in errors]))
        if errors:
            raise Invalid(field_errors=errors)
    return candidate, changed


def check_commitment_edit(
    *, commitment: Commitment, changes: Mapping[str, Any], by: User
) -> Commitment:
    """The commitment as the changes (field name: typed value) would leave it, with its US$
    amount and rate worked out; `Invalid` with each field's errors, `NotAllowed` if `by` may
    not edit. Nothing is written. An unsaved commitment is checked as it would be added."""
    return _checked_commitment(commitment, changes, by)[0]


def do_edit_commitment(
    *, commitment: Commitment, changes: Mapping[str, Any], reason: str, by: User
) -> Edit:
    """Change the fields of a recorded commitment, with the reason and the author in its
    history (and in its country rows' history when the US$ amount moves them). Saved even
    when nothing differs, so that a reason given is kept (the admin's "Save" with a reason)."""
    with transaction.atomic():
        stored = Commitment.objects.select_for_update().get(pk=commitment.pk)
        candidate, changed = _checked_commitment(stored, changes, by)
        diff = _diff(stored, candidate, [*changed, *DERIVED_FIELDS])
        with history.change(reason=reason, user=by):
            history.save(candidate, user=by, reason=reason)
            # The country parts follow the US$ amount, as after every save.
            reallocate(candidate)
    return Edit(candidate, diff)


def _diff(old: Any, new: Any, names: list[str]) -> dict[str, tuple[Any, Any]]:
    fields = [f for f in type(old)._meta.concrete_fields if f.name in names]
    return {
        f.name: (getattr(old, f.name), getattr(new, f.name))
        for f in fields
        if getattr(old, f.attname) != getattr(new, f.attname)
    }


def _statement_rules(candidate: OfficialStatement, changed: list[str]) -> dict[str, list[str]]:
    if not {"figure", "reached_metric"} & set(changed):
        return {}
    reached = candidate.figure == StatementFigure.REACHED
    if reached and candidate.reached_metric is None:
        return {"reached_metric": [_("Say which catalogue metric this 'reached' figure is.")]}
    if not reached and candidate.reached_metric is not None:
        return {"reached_metric": [_("Only a 'reached' figure names a catalogue metric.")]}
    return {}


def _checked_statement(
    statement: OfficialStatement, changes: Mapping[str, Any], by: User
) -> tuple[OfficialStatement, list[str]]:
    check_editor(by)
    candidate, changed = applied(statement, changes, STATEMENT_FIELDS)
    if changed:
        errors = _statement_rules(candidate, changed)
        errors = merge(errors, model_errors(candidate, [f for f in changed if f not in errors]))
        if errors:
            raise Invalid(field_errors=errors)
    return candidate, changed


def check_statement_edit(
    *, statement: OfficialStatement, changes: Mapping[str, Any], by: User
) -> OfficialStatement:
    """The official statement as the changes would leave it (stored verbatim: nothing is
    recomputed); `Invalid`/`NotAllowed` as `check_commitment_edit`. Nothing is written."""
    return _checked_statement(statement, changes, by)[0]


def do_edit_statement(
    *, statement: OfficialStatement, changes: Mapping[str, Any], reason: str, by: User
) -> Edit:
    """Change the fields of a recorded official statement, with the reason and the author."""
    with transaction.atomic():
        stored = OfficialStatement.objects.select_for_update().get(pk=statement.pk)
        candidate, changed = _checked_statement(stored, changes, by)
        diff = _diff(stored, candidate, changed)
        history.save(candidate, user=by, reason=reason)
    return Edit(candidate, diff)
