"""The staff page's form: which document, for which dates, in which language and format."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from adelante.commitments.models import Round
from adelante.initiatives import scope
from adelante.initiatives.models import Initiative
from adelante.partners.models import Partner
from adelante.reports.editions import PARTNER, PROGRESS, ROUND
from adelante.reports.render import DOCX, HTML, PDF

if TYPE_CHECKING:
    # The stubs' name for a text or a lazy translation (a test dependency only).
    from django_stubs_ext import StrOrPromise


def _round_with_initiative(obj: Round) -> str:
    return f"{obj.initiative.name}: {obj}"


def _initiative_field(help_text: StrOrPromise) -> forms.ModelChoiceField[Initiative]:
    return forms.ModelChoiceField(
        label=_("Initiative"),
        queryset=Initiative.objects.listed(),
        required=False,
        help_text=help_text,
        error_messages={
            "invalid_choice": _("There is no such initiative: choose one from the list.")
        },
    )


class _AboutOneInitiative(forms.Form):
    """A form about one initiative, which it offers only when the installation hosts several
    (the primary one otherwise, and by default)."""

    primary: Initiative

    def offer_initiative(self) -> bool:
        """Set the choice up; False (and no field) when there is only one initiative."""
        self.primary = scope.primary()
        field = self.fields["initiative"]
        assert isinstance(field, forms.ModelChoiceField)
        if Initiative.objects.count() < 2:
            del self.fields["initiative"]
            return False
        field.initial = self.primary.pk
        field.empty_label = None
        return True


class ReportForm(_AboutOneInitiative):
    # Offered only when the installation hosts several initiatives (see __init__).
    initiative = _initiative_field(_("The initiative the document is about."))
    kind = forms.ChoiceField(
        label=_("Document"),
        choices=[
            (PROGRESS, _("Progress report")),
            (ROUND, _("Round fact sheet")),
            (PARTNER, _("Partner scorecard")),
        ],
    )
    round = forms.ModelChoiceField(
        label=_("Round (for a fact sheet)"), queryset=Round.objects.all(), required=False
    )
    partner = forms.ModelChoiceField(
        label=_("Partner (for a scorecard)"), queryset=Partner.objects.all(), required=False
    )
    as_of = forms.DateField(
        label=_("Figures as of"),
        required=False,
        help_text=_("Empty: today. A round fact sheet is always as of the round's date."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    recorded_on = forms.DateField(
        label=_("As recorded on"),
        required=False,
        help_text=_("Regenerate an earlier edition from the record as it stood on this day."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    format = forms.ChoiceField(
        label=_("Format"), choices=[(PDF, "PDF"), (DOCX, _("Word (DOCX)")), (HTML, "HTML")]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.offer_initiative():
            return
        # Rounds of every initiative: each named with its initiative's.
        rounds = self.fields["round"]
        assert isinstance(rounds, forms.ModelChoiceField)
        rounds.queryset = Round.objects.select_related("initiative").order_by(
            "initiative__position", "initiative_id", "announced_on", "id"
        )
        rounds.label_from_instance = _round_with_initiative  # type: ignore[method-assign]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        initiative = data.get("initiative") or self.primary
        data["initiative"] = initiative
        if kind == ROUND and not data.get("round"):
            self.add_error("round", _("Choose the round."))
        elif kind == ROUND and data["round"].initiative_id != initiative.pk:
            self.add_error(
                "round",
                _("This round is not one of %(initiative)s's.") % {"initiative": initiative},
            )
        if kind == PARTNER and not data.get("partner"):
            self.add_error("partner", _("Choose the partner."))
        return data

    def subject(self) -> str:
        kind = self.cleaned_data["kind"]
        if kind == ROUND:
            return str(self.cleaned_data["round"].slug)
        if kind == PARTNER:
            return str(self.cleaned_data["partner"].slug)
        return ""


class FiguresForm(_AboutOneInitiative):
    """The initiative and dates of the figures with confidential amounts. The initiative is
    offered as on the report form: only when the installation hosts several (the primary
    otherwise, and by default)."""

    initiative = _initiative_field(_("The initiative the figures are about."))
    as_of = forms.DateField(
        label=_("Figures as of"),
        required=False,
        help_text=_("Empty: today."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    recorded_on = forms.DateField(
        label=_("As recorded on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer_initiative()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["initiative"] = data.get("initiative") or self.primary
        return data
