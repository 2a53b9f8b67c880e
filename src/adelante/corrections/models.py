"""A suggested correction of the public record, and what the secretariat decided.

The suggester's e-mail address is kept only to confirm the suggestion and to write back: it is
never shown on a public page, in the API or in an export, and it is not copied into the history
rows (which feed the record's stamp and the "as recorded on" reading).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Subject(models.TextChoices):
    """What a correction is about: the kind of page it was suggested from."""

    COMMITMENT = "commitment", _("commitment")
    PARTNER = "partner", _("partner")
    STATEMENT = "statement", _("official statement")
    FIGURE = "figure", _("figure")


class CorrectionStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("awaiting e-mail confirmation")
    NEW = "new", _("waiting for the secretariat")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")


#: Decided: shown in the public log.
DECIDED = (CorrectionStatus.ACCEPTED, CorrectionStatus.DECLINED)


class Correction(models.Model):
    subject = models.CharField(_("about"), max_length=20, choices=Subject.choices)
    #: The commitment's reference, the partner's slug, the statement's id, or the figure page
    #: (`adelante.corrections.subjects`).
    subject_key = models.CharField(_("which"), max_length=200)
    said = models.TextField(_("what is wrong, and what it should say"), max_length=4000)
    source_url = models.URLField(_("where the right figure is published"), blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=10, default="en")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CorrectionStatus.choices,
        default=CorrectionStatus.UNCONFIRMED,
    )
    created = models.DateTimeField(_("received"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    #: Declined and not to be shown (spam, abuse, personal data): left out of the public log.
    hidden = models.BooleanField(_("left out of the public log"), default=False)
    #: What the acceptance changed (the field's name, its value before and after, as shown).
    changed_field = models.CharField(_("field changed"), max_length=100, blank=True)
    old_value = models.TextField(_("value before"), blank=True)
    new_value = models.TextField(_("value after"), blank=True)
    history = HistoricalRecords(excluded_fields=["email", "name"])
    #: Only decided corrections are public: suggestions and confirmations leave the record's
    #: stamp (and so the page cache) as it was (`adelante.recordstate`).
    stamp_history_once_set: ClassVar[str] = "decided_at"

    class Meta:
        ordering = ["created"]
        indexes = [
            models.Index(fields=["status", "created"], name="correction_queue"),
            models.Index(fields=["subject", "subject_key"], name="correction_subject"),
        ]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self) -> str:
        return f"{self.get_subject_display()} {self.subject_key}: {self.said[:60]}"
