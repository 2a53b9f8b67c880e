from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from adelante.bilingual import TranslatedText
from adelante.folding import folded_contains
from adelante.partners.naming import normalise
from adelante.partners.orgid import scheme

#: A search reads at most this many words; more only slow the database down.
MAX_SEARCH_WORDS = 10


class PartnerType(models.TextChoices):
    COMPANY = "company", _("company")
    FOUNDATION = "foundation", _("foundation")
    NGO = "ngo", _("non-governmental organisation")
    OTHER = "other", _("other")


class PartnerQuerySet(models.QuerySet["Partner"]):
    def named(self, name: str) -> PartnerQuerySet:
        """Partners known by this name or one of their aliases (normalised)."""
        key = normalise(name)
        return self.filter(models.Q(normalised_name=key) | models.Q(aliases__normalised_name=key))


def name_matching(text: str) -> models.Q:
    """Partners whose name or one of whose aliases holds every word of `text`, whatever its
    accents and case ("nestle" finds "Nestlé"; adelante.folding): the one partner search of
    the portal and the API."""
    found = models.Q()
    for word in text.split()[:MAX_SEARCH_WORDS]:
        alias = PartnerAlias.objects.filter(
            folded_contains("name", word), partner_id=models.OuterRef("pk")
        )
        found &= folded_contains("name", word) | models.Q(models.Exists(alias))
    return found


class Partner(TranslatedText):
    name = models.CharField(_("name"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    normalised_name = models.CharField(
        _("normalised name"), max_length=300, unique=True, editable=False
    )
    type = models.CharField(_("type"), max_length=20, choices=PartnerType.choices)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    history = HistoricalRecords()

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["normalised_name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    BILINGUAL_FIELDS = (("description", "description_es"),)

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.normalised_name = normalise(self.name)


class PartnerAlias(models.Model):
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("partner")
    )
    name = models.CharField(_("alias"), max_length=300)
    normalised_name = models.CharField(
        _("normalised name"), max_length=300, unique=True, editable=False
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.normalised_name = normalise(self.name)


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("partner member")
    ADMIN = "admin", _("partner admin")


class Membership(models.Model):
    """A user who belongs to a partner organisation: what scopes the partner's API tokens.

    Minimal on purpose: issue 4 (accounts and roles) extends it (invitations, more roles).
    A user may belong to several organisations; one membership per user and partner.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("partner")
    )
    role = models.CharField(
        _("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()
    #: No public page shows these rows: their history leaves the record's stamp alone
    #: (adelante.recordstate), so writing them empties no cached public page.
    staff_only_history: ClassVar[bool] = True

    class Meta:
        ordering = ["partner__normalised_name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "partner"], name="one_membership_per_partner")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} — {self.partner} ({self.get_role_display()})"


class PartnerIdentifier(models.Model):
    """One of a partner's organisation identifiers, in the org-id.guide form (GT-NIT-…).

    Checked by `adelante.partners.identifiers.check_identifier` at every door and kept in its
    canonical form. The same identifier on two partners is allowed (it is how a duplicate
    shows itself: docs/partners.md), but not twice on one.
    """

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="identifiers", verbose_name=_("partner")
    )
    identifier = models.CharField(_("identifier"), max_length=120, db_index=True)
    scheme = models.CharField(_("scheme"), max_length=40, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["identifier"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "identifier"], name="one_identifier_per_partner"
            )
        ]
        verbose_name = _("organisation identifier")
        verbose_name_plural = _("organisation identifiers")

    def __str__(self) -> str:
        return self.identifier

    @property
    def scheme_name(self) -> str:
        known = scheme(self.scheme)
        return known.name if known is not None else self.scheme

    @property
    def scheme_local_name(self) -> str:
        """The scheme's name in its country's language (Spanish in Central America), or ""."""
        known = scheme(self.scheme)
        return known.local_name if known is not None else ""


class PartnerMerge(models.Model):
    """One partner absorbed into another (`adelante.partners.merging`), and what moved.

    `absorbed` keeps the absorbed partner's own fields (it is deleted by the merge) and
    `moved` the rows that pointed at it, by model, so that an undo restores exactly them.
    """

    keep = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="merges", verbose_name=_("kept partner")
    )
    absorbed_name = models.CharField(_("absorbed partner"), max_length=300)
    absorbed = models.JSONField(_("absorbed partner's fields"))
    moved = models.JSONField(_("rows moved"), default=dict)
    """{"app_label.model": [pk, …]}: rows that pointed at the absorbed partner."""
    removed = models.JSONField(_("rows set aside"), default=list)
    """Rows the kept partner had already (a membership of the same user, the same
    identifier): [{"model": "app_label.model", "fields": {…}}], recreated by an undo."""
    alias = models.JSONField(_("alias added"), null=True, blank=True)
    """The alias made of the absorbed partner's name: {"pk": …}, or None if none was made."""
    merged_at = models.DateTimeField(_("merged"), auto_now_add=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("merged by"),
    )
    reason = models.TextField(_("reason"), blank=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("undone by"),
    )

    class Meta:
        ordering = ["-merged_at", "-pk"]
        verbose_name = _("partner merge")
        verbose_name_plural = _("partner merges")

    def __str__(self) -> str:
        return f"{self.absorbed_name} → {self.keep}"
