from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .base import TimeStampedModel
from .choices import IndustrialChain, Pole


class BottleneckState(models.TextChoices):
    IDENTIFIED = "identified", _("identified")
    TARGETED = "targeted", _("targeted by a project")
    RESOLVED = "resolved", _("resolved")
    DROPPED = "dropped", _("dropped")


class Bottleneck(TimeStampedModel):
    """An industrial-chain bottleneck (卡脖子 technology) the bureau tracks until resolved."""

    State = BottleneckState

    title = models.CharField(_("title"), max_length=200)
    industrial_chain = models.CharField(
        _("industrial chain"), max_length=40, choices=IndustrialChain.choices
    )
    pole = models.CharField(_("innovation pole"), max_length=16, choices=Pole.choices)
    description = models.TextField(_("description"), blank=True)
    resolution_criteria = models.TextField(_("resolution criteria"), blank=True)
    identified_on = models.DateField(_("identified on"))
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True, editable=False)
    resolved_by = models.ForeignKey(
        "projects.ResearchProject",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="resolved_bottlenecks",
        verbose_name=_("resolved by project"),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.IDENTIFIED, editable=False
    )

    class Meta:
        verbose_name = _("bottleneck")
        verbose_name_plural = _("bottlenecks")
        ordering = ["title"]
        permissions = [("assess_bottleneck", _("Can target, resolve and drop bottlenecks"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=BottleneckState.values), name="bottleneck_state_known"
            ),
            models.CheckConstraint(
                condition=~Q(state="resolved") | Q(resolved_on__isnull=False),
                name="bottleneck_resolved_has_date",
                violation_error_message=_("A resolved bottleneck needs its resolution date."),
            ),
            models.CheckConstraint(
                condition=Q(state="resolved") | Q(resolved_on__isnull=True),
                name="bottleneck_resolved_on_only_when_resolved",
                violation_error_message=_("Only a resolved bottleneck has a resolution date."),
            ),
            models.CheckConstraint(
                condition=Q(state="resolved") | Q(resolved_by__isnull=True),
                name="bottleneck_resolved_by_only_when_resolved",
                violation_error_message=_("Only a resolved bottleneck names the project."),
            ),
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=F("identified_on")),
                name="bottleneck_resolved_after_identified",
                violation_error_message=_(
                    "A bottleneck cannot be resolved before it is identified."
                ),
            ),
            models.CheckConstraint(
                condition=Q(industrial_chain__in=IndustrialChain.values),
                name="bottleneck_chain_known",
            ),
            models.CheckConstraint(condition=Q(pole__in=Pole.values), name="bottleneck_pole_known"),
        ]
        indexes = [
            models.Index(fields=["state", "resolved_on"], name="bottleneck_resolution_idx"),
        ]

    def __str__(self) -> str:
        return self.title
