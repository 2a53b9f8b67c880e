"""The workflow's forms: they parse and re-show what was typed; the rules decide (intake,
reporting), and their refusals are shown on the forms by `adelante.web_errors`. Every field is
labelled, its help and errors tied to it (aria-describedby), and an error summary links to
each field in error."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from adelante.accounts.concurrency import VERSION_FIELD, Conflict
from adelante.bilingual import Language
from adelante.catalogue.models import FocusArea, Metric
from adelante.commitments import rules
from adelante.commitments.choices import PUBLISHED_STATUSES, MoneyKind, Relation, Status
from adelante.commitments.models import Commitment, Round
from adelante.figures.reached import USD_INVESTED
from adelante.initiatives.country_keys import country_choices
from adelante.initiatives.metrics import reporting_metrics
from adelante.initiatives.models import Initiative
from adelante.money.formatting import format_number
from adelante.money.inputs import TypedNumberField
from adelante.money.qualifiers import AmountQualifier
from adelante.progress.models import BreakdownDimension, ProgressReport, VerificationLevel
from adelante.workflow import files, intake, reporting
from adelante.workflow.models import Answer, Decision, DueDiligenceQuestion
from adelante.workflow.report_lines import part_label

TARGET_ROWS = 3
SOURCE_ROWS = 3
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WorkflowForm(forms.Form):
    """Accessible rendering helpers and the concurrent-edit state (accounts.concurrency)."""

    conflict: Conflict | None = None

    def describe(self) -> None:
        """Tie each field's help and errors to its input; mark fields in error invalid."""
        for name, field in self.fields.items():
            bound = self[name]
            ids = []
            if field.help_text:
                ids.append(f"{bound.auto_id}_helptext")
            if self.is_bound and name in self.errors:
                ids.append(f"{bound.auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor, message) for the error summary at the top of the form."""
        if not self.is_bound:
            return []
        rows = []
        for name, errors in self.errors.items():
            anchor = f"#{self[name].auto_id}" if name in self.fields else ""
            label = str(self.fields[name].label) if name in self.fields else ""
            for error in errors:
                rows.append((anchor, f"{label}: {error}" if label else str(error)))
        return rows

    def set_version(self, version: str) -> None:
        """The version the re-shown form carries (after a save, or someone else's)."""
        data = self.data.copy()  # type: ignore[attr-defined]
        data[self.add_prefix(VERSION_FIELD)] = version
        self.data = data

    def refuse(self, conflict: Conflict) -> None:
        """Show someone else's save; the re-shown form carries the current version."""
        self.conflict = conflict
        self.set_version(conflict.current_version)
        self.add_error(None, conflict.message())


def _choices(form: forms.Form, name: str, choices: list[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def _versioned(form: forms.Form, version: str | None) -> None:
    form.fields[VERSION_FIELD] = forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=200, initial=version
    )


def _money_field(label: Any, *, money: bool = False, **kwargs: Any) -> TypedNumberField:
    # Read as the person writes it (money.reading); the rules judge the value.
    return TypedNumberField(label=label, money=money, **kwargs)


class CountriesField(forms.MultipleChoiceField):
    """The commitment's countries, among its initiative's: another country is refused with the
    rule's reason (`rules.countries_problem`), which names it, not as "not a valid choice"."""

    initiative: Initiative | None = None

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        problem = rules.countries_problem(value or (), self.initiative)
        if problem:
            raise ValidationError(problem, code="country")


class ProposalForm(WorkflowForm):
    written_in = forms.ChoiceField(
        label=_("Language you write in"),
        choices=Language.choices,
        initial=Language.EN,
        # Not given (an older form, a script): English, as before there was a choice.
        required=False,
        help_text=_(
            "The title and summary are required in this language. Give the other language "
            "too if you can: otherwise the portal shows yours, marked as such."
        ),
    )
    title = forms.CharField(
        label=_("Title in English"),
        max_length=300,
        required=False,
        help_text=_("A short name for the commitment, as it would be announced."),
    )
    summary = forms.CharField(
        label=_("Summary in English"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the commitment is, for whom, where and by when."),
    )
    title_es = forms.CharField(label=_("Title in Spanish"), max_length=300, required=False)
    summary_es = forms.CharField(
        label=_("Summary in Spanish"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    kind = forms.ChoiceField(label=_("Kind of money"), choices=MoneyKind.choices)
    qualifier = forms.ChoiceField(
        label=_("How the amount is stated"),
        choices=AmountQualifier.choices,
        help_text=_(
            "“Confidential”: the secretariat knows the amount and counts it in totals, but "
            "it is never published. “Undisclosed”: no amount is given."
        ),
    )
    amount = _money_field(_("Amount"), required=False)
    currency = forms.ChoiceField(label=_("Currency"), choices=())
    countries = CountriesField(
        label=_("Countries"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None: the commitment concerns the region as a whole."),
    )
    focus_areas = forms.MultipleChoiceField(
        label=_("Focus areas"), choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DATE)
    relation = forms.ChoiceField(
        label=_("Relation to earlier commitments"),
        choices=Relation.choices,
        help_text=_("A restatement repeats an earlier pledge and adds nothing to the totals."),
    )

    def __init__(
        self,
        *args: Any,
        version: str | None = None,
        initiative: Initiative | None = None,
        **kwargs: Any,
    ) -> None:
        """`initiative`: the commitment's, whose countries it may name (a new proposal's: the
        initiative in scope)."""
        super().__init__(*args, **kwargs)
        _choices(self, "currency", [(c, c) for c in intake.currencies()])
        _choices(self, "focus_areas", [(f.code, f.name) for f in FocusArea.objects.all()])
        self.country_choices = country_choices(initiative)
        _choices(self, "countries", self.country_choices)
        countries = self.fields["countries"]
        assert isinstance(countries, CountriesField)
        countries.initiative = initiative
        for code, name in self.country_choices:
            self.fields[f"share_{code}"] = TypedNumberField(
                label=_("Share for %(country)s (%%)") % {"country": name},
                required=False,
                help_text=_("Optional; give a share for every country ticked, or for none."),
            )
        metrics = [
            ("", _("(none)")),
            *((m.code, m.name) for m in reporting_metrics(initiative)),
        ]
        for i in range(TARGET_ROWS):
            self.fields[f"target_{i}_metric"] = forms.ChoiceField(
                label=_("Target %(n)d: metric") % {"n": i + 1}, choices=metrics, required=False
            )
            self.fields[f"target_{i}_value"] = _money_field(
                _("Target %(n)d: value") % {"n": i + 1}, required=False
            )
            self.fields[f"target_{i}_by"] = forms.DateField(
                label=_("Target %(n)d: by") % {"n": i + 1}, required=False, widget=DATE
            )
        for i in range(SOURCE_ROWS):
            self.fields[f"source_{i}_url"] = forms.URLField(
                label=_("Source %(n)d: web address") % {"n": i + 1},
                required=False,
                max_length=1000,
                assume_scheme="https",
            )
            self.fields[f"source_{i}_title"] = forms.CharField(
                label=_("Source %(n)d: title") % {"n": i + 1}, required=False, max_length=300
            )
        _versioned(self, version)

    @classmethod
    def initial_for(cls, commitment: Commitment) -> dict[str, Any]:
        data = intake.stored_input(commitment)
        initial: dict[str, Any] = {
            **intake.commitment_fields(data),
            "countries": list(data.countries),
            "focus_areas": list(data.focus_areas),
        }
        for code, share in data.countries.items():
            initial[f"share_{code}"] = share
        for i, target in enumerate(data.targets[:TARGET_ROWS]):
            initial[f"target_{i}_metric"] = target.metric
            initial[f"target_{i}_value"] = target.value
            initial[f"target_{i}_by"] = target.by_date
        for i, source in enumerate(data.sources[:SOURCE_ROWS]):
            initial[f"source_{i}_url"] = source.url
            initial[f"source_{i}_title"] = source.title
        return initial

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        ticked = set(d.get("countries") or [])
        for code, name in self.country_choices:
            # A share typed for a country not ticked is never dropped silently.
            if code not in ticked and d.get(f"share_{code}") is not None:
                self.add_error(
                    f"share_{code}",
                    _(
                        "You gave a share for %(country)s without ticking it: tick the country "
                        "or clear its share."
                    )
                    % {"country": name},
                )
        amount = self.fields["amount"]
        if (
            isinstance(amount, TypedNumberField)
            and amount.dollars
            and d.get("currency")
            and d["currency"] != "USD"
        ):
            self.add_error(
                "amount",
                _("The amount is written in US dollars but the currency chosen is %(code)s.")
                % {"code": d["currency"]},
            )
        return d

    def to_input(self) -> intake.ProposalInput:
        d = self.cleaned_data
        countries = {c: d.get(f"share_{c}") for c in d.get("countries", [])}
        targets = []
        for i in range(TARGET_ROWS):
            metric, value = d.get(f"target_{i}_metric"), d.get(f"target_{i}_value")
            if metric or value is not None:
                targets.append(
                    intake.TargetInput(
                        metric or "",
                        value if value is not None else Decimal(0),
                        d.get(f"target_{i}_by"),
                    )
                )
        sources = [
            intake.SourceInput(d[f"source_{i}_url"], d.get(f"source_{i}_title", ""))
            for i in range(SOURCE_ROWS)
            if d.get(f"source_{i}_url")
        ]
        return intake.ProposalInput(
            title=d.get("title", ""),
            summary=d.get("summary", ""),
            written_in=d.get("written_in") or Language.EN,
            title_es=d.get("title_es", ""),
            summary_es=d.get("summary_es", ""),
            kind=d["kind"],
            qualifier=d["qualifier"],
            amount=d.get("amount"),
            currency=d["currency"],
            countries=countries,
            focus_areas=tuple(d.get("focus_areas", [])),
            starts_on=d.get("starts_on"),
            ends_on=d.get("ends_on"),
            relation=d["relation"],
            targets=tuple(targets),
            sources=tuple(sources),
        )

    #: Rule error keys → the field that shows them.
    ALIASES = {
        "countries": "countries",
        "targets": "target_0_metric",
        "sources": "source_0_url",
    }


class PeriodField(forms.ChoiceField):
    """The end of a period, offered from the schedule. Any date parses: whether the period may
    be reported for is the rules' to say (`reporting.check_new_report`), not the list's."""

    def valid_value(self, value: Any) -> bool:
        return True

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        return forms.DateField().clean(text)


class PeriodForm(WorkflowForm):
    period = PeriodField(label=_("Period"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, periods: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(
            self,
            "period",
            [
                (p.end.isoformat(), f"{p.start.isoformat()} – {p.end.isoformat()}")  # noqa: RUF001
                for p in periods
            ],
        )


class ReportForm(WorkflowForm):
    """Values (cumulative to date) per metric, with breakdowns where the metric allows them,
    a narrative, the reasons for lower values, and an evidence file."""

    narrative = forms.CharField(
        label=_("Narrative"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What was done in the period, and how the figures were counted."),
    )
    evidence = forms.FileField(
        label=_("Evidence file"),
        required=False,
        help_text=_("PDF, PNG, JPEG, Word, Excel or text; up to %(mb)s MB. Optional."),
    )
    evidence_description = forms.CharField(
        label=_("What the evidence shows"), required=False, max_length=300
    )

    def __init__(
        self,
        *args: Any,
        report: ProgressReport,
        version: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.report = report
        commitment = report.commitment
        self.previous = reporting.last_verified(commitment, report.period_end)
        previous_parts = reporting.last_verified_breakdowns(commitment, report.period_end)
        targets = {t.metric.code: t for t in commitment.targets.select_related("metric")}
        # The commitment's own target metrics first, then US dollars invested, then the rest.
        metrics = sorted(
            reporting_metrics(commitment.initiative_id),
            key=lambda m: (m.code not in targets, m.code != USD_INVESTED, m.code),
        )
        self.metric_groups: list[dict[str, Any]] = []
        self.fields["evidence"].help_text = str(self.fields["evidence"].help_text) % {
            "mb": round(files.max_bytes() / 1048576, 1)
        }
        for metric in metrics:
            name = f"value_{metric.code}"
            last = self.previous.get(metric.code)
            target = targets.get(metric.code)
            money = metric.unit == Metric.Unit.USD
            self.fields[name] = _money_field(
                metric.name,
                money=money,
                required=False,
                help_text=_("Cumulative to the period's end."),
            )
            parts = []
            copy: dict[str, str] = {}
            for dimension, keys in reporting.breakdown_parts(metric, commitment).items():
                for key in keys:
                    part = f"part_{metric.code}_{dimension}_{key}"
                    self.fields[part] = _money_field(
                        _("%(metric)s: %(part)s")
                        % {"metric": metric.name, "part": part_label(dimension, key)},
                        money=money,
                        required=False,
                    )
                    self.fields[part].widget.attrs.update(
                        {"data-part-of": metric.code, "data-dimension": dimension}
                    )
                    earlier = previous_parts.get(metric.code, {}).get((dimension, key))
                    if earlier is not None:
                        # "Copy the previous breakdown" (workflow/report.js) fills it in.
                        self.fields[part].widget.attrs["data-previous"] = format_number(earlier)
                        copy[part] = format_number(earlier)
                    parts.append(part)
            self.fields[name].widget.attrs["data-total-of"] = metric.code
            reason = f"reason_{metric.code}"
            self.fields[reason] = forms.CharField(
                label=_("%(metric)s: why lower than the last verified value")
                % {"metric": metric.name},
                required=False,
                max_length=1000,
                help_text=_("Needed only when the value is lower than the last verified one."),
            )
            self.metric_groups.append(
                {
                    "metric": metric,
                    "value": name,
                    "parts": parts,
                    "reason": reason,
                    "last": last,
                    "target": target,
                    "copy": copy,
                    # US dollars invested, the targets' metrics and what was reported before
                    # are shown open; the rest behind "other metrics".
                    "prominent": target is not None
                    or metric.code == USD_INVESTED
                    or last is not None,
                }
            )
        _versioned(self, version)

    @classmethod
    def initial_for(cls, report: ProgressReport) -> dict[str, Any]:
        initial: dict[str, Any] = {"narrative": report.narrative}
        for item in reporting.stored_values(report):
            initial[f"value_{item.metric}"] = item.value
            initial[f"reason_{item.metric}"] = item.decrease_reason
            for (dimension, key), amount in item.breakdowns.items():
                initial[f"part_{item.metric}_{dimension}_{key}"] = amount
        return initial

    def groups(self) -> list[dict[str, Any]]:
        """The metric fieldsets, with bound fields, for the template."""
        return [
            {
                "metric": g["metric"],
                "value": self[g["value"]],
                "parts": [self[p] for p in g["parts"]],
                "reason": self[g["reason"]],
                "last": g["last"],
                "target": g["target"],
                "copy": g["copy"],
                "dimensions": self._dimensions(g["parts"]),
                "prominent": g["prominent"] or self[g["value"]].value() not in (None, ""),
            }
            for g in self.metric_groups
        ]

    def _dimensions(self, parts: list[str]) -> list[dict[str, Any]]:
        """The parts grouped by breakdown (by country, by sex), for the template."""
        found: dict[str, list[Any]] = {}
        for part in parts:
            dimension = str(self.fields[part].widget.attrs["data-dimension"])
            found.setdefault(dimension, []).append(self[part])
        return [
            {"code": d, "label": BreakdownDimension(d).label, "parts": bound}
            for d, bound in found.items()
        ]

    def to_values(self) -> list[reporting.ValueInput]:
        d = self.cleaned_data
        values = []
        for g in self.metric_groups:
            value = d.get(g["value"])
            parts: dict[tuple[str, str], Decimal] = {}
            for part in g["parts"]:
                amount = d.get(part)
                if amount is not None:
                    _prefix, rest = part.split(f"part_{g['metric'].code}_", 1)
                    dimension, key = rest.split("_", 1)
                    parts[(dimension, key)] = amount
            if value is None:
                if parts:
                    self.add_error(g["value"], _("Give the total as well as its parts."))
                continue
            values.append(
                reporting.ValueInput(g["metric"].code, value, parts, d.get(g["reason"], ""))
            )
        return values

    def aliases(self) -> dict[str, str]:
        """The rules' input names → the fields that show their errors."""
        found = {f"value:{g['metric'].code}": g["value"] for g in self.metric_groups}
        found["file"] = "evidence"
        return found


class CatchUpForm(WorkflowForm):
    """Several missing periods of one commitment in one screen: a total per period and target
    metric (breakdowns wait for each report's own page). The values go through the
    spreadsheet's service (`report_sheet.apply`), so the same rules as the form."""

    submit = forms.BooleanField(
        label=_("Submit the reports to the secretariat"),
        required=False,
        help_text=_("Unticked: the values are saved as drafts, for you to check first."),
    )

    def __init__(
        self, *args: Any, periods: list[Any], metrics: list[Metric], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.periods = periods
        self.metrics = metrics
        for period in periods:
            for metric in metrics:
                self.fields[self.name(period.end, metric.code)] = _money_field(
                    _("%(metric)s, period ending %(date)s")
                    % {"metric": metric.name, "date": period.end.isoformat()},
                    money=metric.unit == Metric.Unit.USD,
                    required=False,
                )

    @staticmethod
    def name(end: Any, code: str) -> str:
        return f"p{end.isoformat()}_{code}"

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"period": p, "fields": [self[self.name(p.end, m.code)] for m in self.metrics]}
            for p in self.periods
        ]

    def values(self) -> list[tuple[Any, str, Decimal]]:
        """(period end, metric, total) for every value given."""
        found = []
        for period in self.periods:
            for metric in self.metrics:
                value = self.cleaned_data.get(self.name(period.end, metric.code))
                if value is not None:
                    found.append((period.end, metric.code, value))
        return found


class SheetForm(WorkflowForm):
    file = forms.FileField(
        label=_("Spreadsheet of values (.xlsx)"),
        help_text=_(
            "Columns: commitment, period_end, metric, part, value, decrease_reason. "
            "One row per value; “part” empty for the total."
        ),
    )
    submit = forms.BooleanField(
        label=_("Submit the reports to the secretariat"),
        required=False,
        help_text=_("Unticked: the values are saved as drafts, for you to check first."),
    )


class ReasonForm(WorkflowForm):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AcceptForm(WorkflowForm):
    round = forms.ModelChoiceField(
        label=_("Round"),
        queryset=Round.objects.order_by("-announced_on"),
        required=False,
        empty_label=_("(a new round, below)"),
        help_text=_("The commitment is announced on the round's date."),
    )
    new_round_label = forms.CharField(
        label=_("New round: name"),
        required=False,
        max_length=200,
        help_text=_("To open the current round: its name, e.g. “2026-12 announcements”."),
    )
    new_round_on = forms.DateField(label=_("New round: announced on"), required=False, widget=DATE)
    confirm_past = forms.BooleanField(
        label=_("Yes, announce it in this past round"),
        required=False,
        help_text=_("Needed for a round dated before today."),
    )
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000)

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        if d.get("round") is None and not d.get("new_round_label"):
            self.add_error("round", _("Choose a round, or name a new one."))
        return d


class ChecklistForm(WorkflowForm):
    def __init__(self, *args: Any, rows: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for question, answer in rows:
            self.fields[f"q{question.id}_answer"] = forms.ChoiceField(
                label=question.text,
                choices=Answer.choices,
                required=False,
                widget=forms.RadioSelect,
                initial=answer.answer if answer else None,
            )
            self.fields[f"q{question.id}_note"] = forms.CharField(
                label=_("Attestation or note"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=answer.attestation if answer else "",
                help_text=_("Required for “no” and “not applicable”."),
            )

    def questions(self) -> list[dict[str, Any]]:
        return [
            {
                "question": q,
                "answer": a,
                "choice": self[f"q{q.id}_answer"],
                "note": self[f"q{q.id}_note"],
            }
            for q, a in self.rows
        ]


class DocumentForm(WorkflowForm):
    question = forms.ModelChoiceField(
        label=_("For the question"),
        queryset=DueDiligenceQuestion.objects.filter(active=True),
        required=False,
    )
    file = forms.FileField(label=_("Document"))


class HitForm(WorkflowForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[c for c in Decision.choices if c[0] != Decision.PENDING],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Why"), max_length=2000)


class VerifyForm(WorkflowForm):
    level = forms.ChoiceField(
        label=_("Verification"),
        choices=[c for c in VerificationLevel.choices if c[0] != VerificationLevel.SELF_REPORTED],
        initial=VerificationLevel.SECRETARIAT_REVIEWED,
    )
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000)


class CorrectionForm(WorkflowForm):
    metric = forms.ChoiceField(label=_("Metric"))
    value = _money_field(_("Corrected value"))
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the history beside the old value, your name and the time."),
    )

    def __init__(self, *args: Any, report: ProgressReport, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(
            self,
            "metric",
            [
                (v.metric.code, f"{v.metric.name} ({format_number(v.value)})")
                for v in report.values.select_related("metric")
            ],
        )


class StatusForm(WorkflowForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s, label) for s, label in Status.choices if s in PUBLISHED_STATUSES],
    )
    withdrawn_on = forms.DateField(
        label=_("Withdrawn on"),
        required=False,
        widget=DATE,
        help_text=_("Only for a withdrawn commitment: until that date it counts as committed."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the history and the review log, with your name and the time."),
    )


class QueueFilter(forms.Form):
    kind = forms.ChoiceField(
        label=_("What"),
        required=False,
        choices=[("", _("everything")), ("proposal", _("proposals")), ("report", _("reports"))],
    )
    partner = forms.CharField(label=_("Organisation"), required=False, max_length=300)
    since = forms.DateField(label=_("Waiting since"), required=False, widget=DATE)
