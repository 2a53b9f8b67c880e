"""Intake with due diligence and sanctions screening, reporting schedules, reminders.

The rules live in plain functions (intake, sanctions, reporting, schedule, reminders); these
models only hold what they decide. Every step of a review is a `ReviewEvent` (who, when,
what, why), and the models that change keep their history too (django-simple-history).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from adelante.commitments.models import Commitment
from adelante.partners.models import Partner
from adelante.progress.models import ProgressReport


class Stage(models.TextChoices):
    """Where a proposed commitment is in the intake (the commitment's status follows it)."""

    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    UNDER_REVIEW = "under_review", _("under review")
    RETURNED = "returned", _("returned to the partner")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")


class Proposal(models.Model):
    """The intake of one commitment that a partner proposed through the workflow."""

    commitment = models.OneToOneField(
        Commitment,
        on_delete=models.PROTECT,
        related_name="proposal",
        verbose_name=_("commitment"),
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    #: The last time the partner submitted it: the secretariat's queue is oldest first.
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    #: Why it was last returned or declined (also in the review log).
    reason = models.TextField(_("reason"), blank=True)
    history = HistoricalRecords()
    #: No public page shows these rows: their history leaves the record's stamp alone
    #: (adelante.recordstate), so writing them empties no cached public page.
    staff_only_history: ClassVar[bool] = True

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return f"{self.commitment} ({self.get_stage_display()})"


class Action(models.TextChoices):
    DRAFT_SAVED = "draft_saved", _("draft saved")
    PROPOSAL_SUBMITTED = "proposal_submitted", _("proposal submitted")
    PICKED_UP = "picked_up", _("review started")
    PROPOSAL_RETURNED = "proposal_returned", _("proposal returned to the partner")
    DECLINED = "declined", _("proposal declined")
    ACCEPTED = "accepted", _("accepted into a round")
    CHECKLIST_ANSWERED = "checklist_answered", _("due-diligence answer recorded")
    DOCUMENT_UPLOADED = "document_uploaded", _("due-diligence document uploaded")
    SCREENED = "screened", _("sanctions screening run")
    HIT_DECIDED = "hit_decided", _("screening hit decided")
    REPORT_SAVED = "report_saved", _("progress report saved")
    REPORT_SUBMITTED = "report_submitted", _("progress report submitted")
    REPORT_RETURNED = "report_returned", _("progress report returned to the partner")
    REPORT_VERIFIED = "report_verified", _("progress report verified")
    VALUE_CORRECTED = "value_corrected", _("verified value corrected")
    DECREASE_CONFIRMED = "decrease_confirmed", _("lower cumulative value confirmed")
    EVIDENCE_UPLOADED = "evidence_uploaded", _("evidence uploaded")
    EVIDENCE_REMOVED = "evidence_removed", _("evidence removed")
    STATUS_CHANGED = "status_changed", _("commitment's status changed")


class ReviewEvent(models.Model):
    """One step of an intake or a report's review: who, when, what and why."""

    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.PROTECT,
        related_name="review_events",
        verbose_name=_("commitment"),
    )
    report = models.ForeignKey(
        ProgressReport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_events",
        verbose_name=_("progress report"),
    )
    action = models.CharField(_("what"), max_length=30, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    reason = models.TextField(_("why"), blank=True)
    #: What changed, for the reader (old and new values, a hit's name and score…).
    details = models.JSONField(_("details"), default=dict, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("review step")
        verbose_name_plural = _("review log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"


class Comment(models.Model):
    """A message in the thread of a proposal or a report, between the partner and the
    secretariat. An internal one is the secretariat's alone: partners never see it
    (workflow.disclosure)."""

    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.PROTECT,
        related_name="comments",
        verbose_name=_("commitment"),
    )
    report = models.ForeignKey(
        ProgressReport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("progress report"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    text = models.TextField(_("comment"))
    internal = models.BooleanField(_("internal to the secretariat"), default=False)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.text[:40]}"


# -- Due diligence -----------------------------------------------------------------------------


class Topic(models.TextChoices):
    LABOUR_RIGHTS = "labour_rights", _("labour rights")
    ANTI_CORRUPTION = "anti_corruption", _("anti-corruption")
    HUMAN_RIGHTS = "human_rights", _("human rights")
    ENVIRONMENT = "environment", _("environmental safeguards")
    OTHER = "other", _("other")


class DueDiligenceQuestion(models.Model):
    """A question of the due-diligence checklist: configurable data, seeded by a migration."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)
    text_en = models.TextField(_("question (English)"))
    text_es = models.TextField(_("question (Spanish)"))
    requires_document = models.BooleanField(
        _("needs a document"),
        default=False,
        help_text=_("A “yes” must be backed by at least one uploaded document."),
    )
    active = models.BooleanField(_("asked"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()
    #: No public page shows these rows: their history leaves the record's stamp alone
    #: (adelante.recordstate), so writing them empties no cached public page.
    staff_only_history: ClassVar[bool] = True

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("due-diligence question")
        verbose_name_plural = _("due-diligence questions")

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return self.text_es if (get_language() or "en").startswith("es") else self.text_en


class Answer(models.TextChoices):
    YES = "yes", _("yes, satisfied")
    NO = "no", _("no, not satisfied")
    NOT_APPLICABLE = "not_applicable", _("not applicable")


class DueDiligenceAnswer(models.Model):
    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.CASCADE,
        related_name="due_diligence_answers",
        verbose_name=_("commitment"),
    )
    question = models.ForeignKey(
        DueDiligenceQuestion, on_delete=models.PROTECT, verbose_name=_("question")
    )
    answer = models.CharField(_("answer"), max_length=20, choices=Answer.choices)
    attestation = models.TextField(
        _("attestation or note"),
        blank=True,
        help_text=_("What the partner attested, what was checked, and where."),
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered"), default=timezone.now)
    history = HistoricalRecords()
    #: No public page shows these rows: their history leaves the record's stamp alone
    #: (adelante.recordstate), so writing them empties no cached public page.
    staff_only_history: ClassVar[bool] = True

    class Meta:
        ordering = ["question__order", "question__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "question"], name="one_answer_per_question"
            )
        ]
        verbose_name = _("due-diligence answer")
        verbose_name_plural = _("due-diligence answers")

    def __str__(self) -> str:
        return f"{self.question.code}: {self.answer}"


class StoredFile(models.Model):
    """An uploaded file, checked by its content (evidence.py), kept through the storage API."""

    file = models.FileField(_("file"), max_length=300)
    original_name = models.CharField(_("file name as uploaded"), max_length=255)
    #: What the content is (pdf, png, jpeg, docx, xlsx, text), sniffed from its first bytes.
    kind = models.CharField(_("type"), max_length=10)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


class DueDiligenceDocument(StoredFile):
    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.CASCADE,
        related_name="due_diligence_documents",
        verbose_name=_("commitment"),
    )
    question = models.ForeignKey(
        DueDiligenceQuestion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("question"),
    )
    #: Attached by the partner itself (it sees these; the secretariat's own are internal).
    from_partner = models.BooleanField(_("from the partner"), default=False)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("due-diligence document")
        verbose_name_plural = _("due-diligence documents")


class Evidence(StoredFile):
    report = models.ForeignKey(
        ProgressReport,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("progress report"),
    )
    description = models.CharField(_("what it shows"), max_length=300, blank=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")


# -- Sanctions screening -----------------------------------------------------------------------


class ListFormat(models.TextChoices):
    SDN = "sdn", _("US Treasury SDN (sdn.csv and alt.csv)")
    NAMES = "names", _("one name per row")


class SanctionsList(models.Model):
    """A sanctions list as staff last imported it (`adelante import sanctions`)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    format = models.CharField(_("format"), max_length=10, choices=ListFormat.choices)
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)
    source = models.CharField(_("files imported"), max_length=500, blank=True)
    entries = models.PositiveIntegerField(_("entries"), default=0)
    names = models.PositiveIntegerField(_("names and aliases"), default=0)
    history = HistoricalRecords()
    #: No public page shows these rows: their history leaves the record's stamp alone
    #: (adelante.recordstate), so writing them empties no cached public page.
    staff_only_history: ClassVar[bool] = True

    class Meta:
        ordering = ["name"]
        verbose_name = _("sanctions list")
        verbose_name_plural = _("sanctions lists")

    def __str__(self) -> str:
        return self.name


class SanctionsEntry(models.Model):
    """A listed party (in the SDN list: one ent_num)."""

    list = models.ForeignKey(
        SanctionsList, on_delete=models.CASCADE, related_name="+", verbose_name=_("list")
    )
    external_id = models.CharField(_("identifier in the list"), max_length=50)
    name = models.CharField(_("name"), max_length=500)
    entry_type = models.CharField(_("type"), max_length=50, blank=True)
    programs = models.CharField(_("programmes"), max_length=300, blank=True)
    remarks = models.TextField(_("remarks"), blank=True)

    class Meta:
        ordering = ["list", "external_id"]
        constraints = [
            models.UniqueConstraint(fields=["list", "external_id"], name="one_entry_per_id")
        ]
        verbose_name = _("sanctions list entry")
        verbose_name_plural = _("sanctions list entries")

    def __str__(self) -> str:
        return self.name


class SanctionsName(models.Model):
    """A name under which a listed party is known: its primary name or an alias."""

    entry = models.ForeignKey(
        SanctionsEntry, on_delete=models.CASCADE, related_name="names", verbose_name=_("entry")
    )
    name = models.CharField(_("name"), max_length=500)
    normalised = models.CharField(_("normalised name"), max_length=500, db_index=True)
    #: Empty for the primary name; the alias type ("aka", "fka", "nka") for an alias.
    alias_type = models.CharField(_("alias type"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("listed name")
        verbose_name_plural = _("listed names")

    def __str__(self) -> str:
        return self.name


class ScreeningRun(models.Model):
    """One screening of an organisation's names against every imported list."""

    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.CASCADE,
        related_name="screenings",
        verbose_name=_("commitment"),
    )
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, verbose_name=_("partner"))
    run_at = models.DateTimeField(_("run"), default=timezone.now)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("run by"),
    )
    threshold = models.PositiveSmallIntegerField(_("threshold"))
    #: The organisation's names and aliases screened, as written.
    names = models.JSONField(_("names screened"), default=list)
    #: The lists screened against: name and import time of each.
    lists = models.JSONField(_("lists screened"), default=list)

    class Meta:
        ordering = ["run_at", "id"]
        verbose_name = _("sanctions screening")
        verbose_name_plural = _("sanctions screenings")

    def __str__(self) -> str:
        return f"{self.partner} {self.run_at:%Y-%m-%d %H:%M}"


class Decision(models.TextChoices):
    PENDING = "pending", _("to decide")
    TRUE_MATCH = "true_match", _("true match")
    FALSE_POSITIVE = "false_positive", _("false positive")


class ScreeningHit(models.Model):
    """A listed name close enough to one of the organisation's names; a reviewer decides.

    The listed name, entry and list are copied, so that the hit reads the same after the list
    is imported again.
    """

    run = models.ForeignKey(
        ScreeningRun, on_delete=models.CASCADE, related_name="hits", verbose_name=_("screening")
    )
    screened_name = models.CharField(_("our name"), max_length=500)
    listed_name = models.CharField(_("listed name"), max_length=500)
    listed_entry_name = models.CharField(_("listed party"), max_length=500)
    alias_type = models.CharField(_("alias type"), max_length=20, blank=True)
    list_name = models.CharField(_("list"), max_length=100)
    external_id = models.CharField(_("identifier in the list"), max_length=50)
    entry_type = models.CharField(_("type"), max_length=50, blank=True)
    programs = models.CharField(_("programmes"), max_length=300, blank=True)
    remarks = models.TextField(_("remarks"), blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING
    )
    decision_reason = models.TextField(_("why"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    history = HistoricalRecords()
    #: No public page shows these rows: their history leaves the record's stamp alone
    #: (adelante.recordstate), so writing them empties no cached public page.
    staff_only_history: ClassVar[bool] = True

    class Meta:
        ordering = ["-score", "listed_name", "id"]
        verbose_name = _("screening hit")
        verbose_name_plural = _("screening hits")
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="pending") | ~Q(decision_reason=""),
                name="decided_hit_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.screened_name} ~ {self.listed_name} ({self.score})"


# -- Reporting schedule and reminders ----------------------------------------------------------


class Interval(models.IntegerChoices):
    MONTHLY = 1, _("every month")
    QUARTERLY = 3, _("every three months")
    HALF_YEARLY = 6, _("every six months")
    YEARLY = 12, _("every year")


class ReportingSchedule(models.Model):
    """How often a commitment reports, when it differs from the default (schedule.py).

    Periods end on the last day of calendar months (every six months: 30 June and 31
    December), the first one more than `due_after_days` after the announcement; a report is
    due `due_after_days` after its period ends. Without a row, the default applies: every six
    months, due 90 days after (the rule of the reports' punctuality, figures.progress).
    """

    commitment = models.OneToOneField(
        Commitment,
        on_delete=models.CASCADE,
        related_name="reporting_schedule",
        verbose_name=_("commitment"),
    )
    interval_months = models.PositiveSmallIntegerField(
        _("period"), choices=Interval.choices, default=Interval.HALF_YEARLY
    )
    due_after_days = models.PositiveSmallIntegerField(
        _("days to report after a period ends"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting schedule")
        verbose_name_plural = _("reporting schedules")
        constraints = [
            models.CheckConstraint(
                condition=Q(interval_months__in=[1, 3, 6, 12]), name="schedule_interval_known"
            ),
            models.CheckConstraint(
                condition=Q(due_after_days__gte=1) & Q(due_after_days__lte=365),
                name="schedule_due_days_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment}: {self.get_interval_months_display()}"


class ReminderSend(models.Model):
    """A daily digest sent to one person: at most one per person and day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
    )
    day = models.DateField(_("day"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    items = models.PositiveIntegerField(_("items listed"))

    class Meta:
        ordering = ["-day", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="one_digest_per_person_and_day")
        ]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")

    def __str__(self) -> str:
        return f"{self.user} {self.day}"
