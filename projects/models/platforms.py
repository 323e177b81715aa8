from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .base import TimeStampedModel
from .choices import Pole
from .organizations import Organization


class InnovationPlatformKind(models.TextChoices):
    CHONGQING_LABORATORY = "chongqing_laboratory", _("Chongqing laboratory")
    KEY_LABORATORY = "key_laboratory", _("key laboratory")
    ENGINEERING_RESEARCH_CENTER = "engineering_research_center", _("engineering research centre")
    TECHNOLOGY_INNOVATION_CENTER = "technology_innovation_center", _("technology innovation centre")
    NEW_RD_INSTITUTION = "new_rd_institution", _("new R&D institution")
    ENTERPRISE_TECHNOLOGY_CENTER = "enterprise_technology_center", _("enterprise technology centre")
    INCUBATOR = "incubator", _("incubator or maker space")


class InnovationPlatformLevel(models.TextChoices):
    NATIONAL = "national", _("national")
    MUNICIPAL = "municipal", _("municipal")
    DISTRICT = "district", _("district")


class InnovationPlatform(TimeStampedModel):
    Kind = InnovationPlatformKind
    Level = InnovationPlatformLevel

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    host = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="platforms",
        verbose_name=_("host organisation"),
    )
    pole = models.CharField(_("innovation pole"), max_length=16, choices=Pole.choices)
    established_on = models.DateField(_("established on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("innovation platform")
        verbose_name_plural = _("innovation platforms")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("established_on")),
                name="platform_closed_after_established",
                violation_error_message=_("A platform cannot close before it is established."),
            ),
            models.CheckConstraint(
                condition=Q(level__in=InnovationPlatformLevel.values), name="platform_level_known"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=InnovationPlatformKind.values), name="platform_kind_known"
            ),
            models.CheckConstraint(condition=Q(pole__in=Pole.values), name="platform_pole_known"),
        ]
        indexes = [
            models.Index(
                fields=["level", "established_on", "closed_on"], name="platform_activity_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.name
