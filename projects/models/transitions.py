from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TransitionLog(models.Model):
    """One state change of one record: who moved it from where to where, and why.

    Written by the workflow functions in the same transaction as the change itself.
    """

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("record type")
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    record = GenericForeignKey("content_type", "object_id")
    transition = models.CharField(_("transition"), max_length=40)
    from_state = models.CharField(_("from state"), max_length=24, blank=True)
    to_state = models.CharField(_("to state"), max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    comment = models.TextField(_("comment"), blank=True)
    changes = models.JSONField(
        _("changes"),
        default=dict,
        blank=True,
        help_text=_("The facts a correction changed: field name → [old value, new value]."),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("transition log entry")
        verbose_name_plural = _("transition log")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"], name="transition_record_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.from_state or '∅'} → {self.to_state}"
