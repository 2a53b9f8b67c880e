"""Accounts: two-factor devices, invitations, join requests and the attempt counters.

Roles themselves live in Django groups (secretariat, government) and `partners.Membership`
(partner member / admin); see `adelante.accounts.roles`.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from adelante.partners.models import MembershipRole, Partner, PartnerType


class TwoFactorDevice(models.Model):
    """A user's TOTP authenticator (RFC 6238); confirmed once the user typed a first code."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="two_factor",
        verbose_name=_("user"),
    )
    secret = models.CharField(_("secret"), max_length=64, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    #: The last time step accepted: a code is accepted once, never replayed.
    last_used_step = models.BigIntegerField(null=True, blank=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    # The history says when two-factor was enrolled or removed, never the secret.
    history = HistoricalRecords(excluded_fields=["secret", "last_used_step"])
    #: No public page shows these rows: their history leaves the record's stamp alone
    #: (adelante.recordstate), so writing them empties no cached public page.
    staff_only_history: ClassVar[bool] = True

    class Meta:
        verbose_name = _("two-factor device")
        verbose_name_plural = _("two-factor devices")

    def __str__(self) -> str:
        return f"{self.user} (TOTP)"


class AttemptCounter(models.Model):
    """How many attempts of one kind (a failed sign-in, a reset e-mail…) one key made in the
    current window, for limits that hold across processes (`adelante.accounts.throttle`).

    One row per kind and key, changed only by single conditional UPDATEs, so that concurrent
    requests cannot both take the last slot. A counter, pruned as windows end: no history.
    """

    kind = models.CharField(max_length=30)
    key = models.CharField(max_length=300)
    count = models.PositiveIntegerField(default=0)
    #: When the window ends (and the count starts again from 0).
    window_ends = models.DateTimeField()
    #: The last counted attempt (for the spacing asked of a noisy address).
    last_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="attempt_counter_unique")
        ]
        indexes = [models.Index(fields=["kind", "window_ends"], name="attempt_counter_ends")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}: {self.count} until {self.window_ends:%Y-%m-%d %H:%M:%S}"


class Invitation(models.Model):
    """An e-mail address invited to join a partner organisation as member or admin."""

    email = models.EmailField(_("e-mail address"))
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("partner")
    )
    role = models.CharField(
        _("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    #: Random, part of the signed link: a link is good for this invitation only.
    nonce = models.CharField(max_length=64, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    #: The language of the invitation e-mail, and the new account's preferred language.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    history = HistoricalRecords(excluded_fields=["nonce"])
    #: No public page shows these rows: their history leaves the record's stamp alone
    #: (adelante.recordstate), so writing them empties no cached public page.
    staff_only_history: ClassVar[bool] = True

    class Meta:
        ordering = ["-created"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.partner}"


class JoinStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("awaiting e-mail confirmation")
    NEW = "new", _("new")
    SCREENING = "screening", _("screening")
    INVITED = "invited", _("invited")
    DECLINED = "declined", _("declined")


class ScreeningOutcome(models.TextChoices):
    """The secretariat's decision on screening (sanctions lists, due diligence)."""

    PENDING = "", _("not screened yet")
    CLEAR = "clear", _("clear: no hit")
    FALSE_POSITIVE = "false_positive", _("hits were false positives")
    MATCH = "match", _("confirmed match")


class JoinRequest(models.Model):
    """An organisation's request to join the partnership, from the public form."""

    organisation_name = models.CharField(_("organisation name"), max_length=300)
    organisation_type = models.CharField(
        _("type of organisation"), max_length=20, choices=PartnerType.choices
    )
    country = models.CharField(_("country"), max_length=100)
    contact_name = models.CharField(_("contact name"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    intends = models.TextField(_("what it intends to commit"), max_length=5000)
    language = models.CharField(_("language"), max_length=10, default="en")
    status = models.CharField(
        _("status"), max_length=20, choices=JoinStatus.choices, default=JoinStatus.UNCONFIRMED
    )
    created = models.DateTimeField(_("received"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="join_requests",
        verbose_name=_("partner"),
    )
    screening_outcome = models.CharField(
        _("screening outcome"),
        max_length=20,
        choices=ScreeningOutcome.choices,
        default=ScreeningOutcome.PENDING,
        blank=True,
    )
    screening_note = models.TextField(_("screening note"), blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("screened by"),
    )
    screened_at = models.DateTimeField(_("screened"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    history = HistoricalRecords()
    #: No public page shows these rows: their history leaves the record's stamp alone
    #: (adelante.recordstate), so writing them empties no cached public page.
    staff_only_history: ClassVar[bool] = True

    class Meta:
        ordering = ["created"]
        indexes = [models.Index(fields=["status", "created"], name="join_queue")]
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")

    def __str__(self) -> str:
        return self.organisation_name


class Preferences(models.Model):
    """What a person chose for themselves: the language of their e-mails, digests and notices
    (accounts.languages). No row: the site's default language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="preferences",
        verbose_name=_("person"),
    )
    language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    history = HistoricalRecords()
    #: No public page shows these rows: their history leaves the record's stamp alone
    #: (adelante.recordstate), so writing them empties no cached public page.
    staff_only_history: ClassVar[bool] = True

    class Meta:
        verbose_name = _("preferences")
        verbose_name_plural = _("preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.language or '-'}"
