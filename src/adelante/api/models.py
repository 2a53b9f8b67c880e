"""API tokens: a user's key to the write endpoints, stored only as a hash."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A per-user API token. The token itself is shown once, when created; only its SHA-256
    hash is kept, so a database leak reveals no usable token. It expires, and can be rotated
    (a new token, the old one ending soon after: `adelante.api.tokens.rotate`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(
        _("prefix"), max_length=12, help_text=_("The token's first characters, to recognise it.")
    )
    key_hash = models.CharField(_("hash"), max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)
    #: A token stops working at this time (ADELANTE_API_TOKEN_DAYS after it was made).
    expires = models.DateTimeField(_("expires"))
    #: The token that took this one's place when it was rotated.
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replaced by"),
    )

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
