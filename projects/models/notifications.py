from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .organizations import MembershipLanguage


class NotificationTemplate(models.TextChoices):
    """The e-mails the workflows send; each has its subject and body templates."""

    NEED_RETURNED = "need_returned", _("technical need returned for changes")
    NEED_PUBLISHED = "need_published", _("technical need published")
    NEED_REJECTED = "need_rejected", _("technical need rejected")
    NEED_MATCHED = "need_matched", _("technical need matched")
    CONTRACT_REGISTERED = "contract_registered", _("contract registered")
    CONTRACT_SUPPLEMENT_REQUESTED = (
        "contract_supplement_requested",
        _("supplements requested for a contract"),
    )
    CONTRACT_REFUSED = "contract_refused", _("contract not registered")
    MEMBERSHIP_REQUESTED = "membership_requested", _("request to join an organisation")


class NotificationState(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    FAILED = "failed", pgettext_lazy("notification state", "failed")


class Notification(models.Model):
    """An e-mail waiting to be sent, or sent: the outbox.

    The workflow writes the row in the transition's transaction, so a rollback leaves none;
    a task sends it after commit, and a periodic sweep sends what stayed queued.
    """

    State = NotificationState
    Template = NotificationTemplate

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    email = models.EmailField(_("e-mail address"))
    template = models.CharField(_("template"), max_length=80, choices=Template.choices)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("record type")
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    record = GenericForeignKey("content_type", "object_id")
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=MembershipLanguage.choices,
        default=MembershipLanguage.ZH_HANS,
    )
    context = models.JSONField(_("context"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.QUEUED, editable=False
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0, editable=False)
    claimed_at = models.DateTimeField(
        _("claimed at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When a worker took the row to send it; a stale claim is taken over."),
    )
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=NotificationState.values), name="notification_state_known"
            ),
            models.CheckConstraint(
                condition=Q(template__in=NotificationTemplate.values),
                name="notification_template_known",
            ),
            models.CheckConstraint(
                condition=Q(language__in=MembershipLanguage.values),
                name="notification_language_known",
            ),
        ]
        indexes = [models.Index(fields=["state", "created_at"], name="notification_queue_idx")]

    def __str__(self) -> str:
        return f"{self.template} → {self.email}"
