from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .base import TimeStampedModel
from .choices import Pole
from .organizations import Organization


class ResearchProjectProgramme(models.TextChoices):
    MAJOR = "major", _("major targeted project")
    KEY = "key", _("key project")


class ResearchProjectState(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    APPROVED = "approved", _("approved")
    IN_PROGRESS = "in_progress", _("in progress")
    ACCEPTANCE_REVIEW = "acceptance_review", _("acceptance review")
    RECTIFICATION = "rectification", _("rectification")
    COMPLETED = "completed", _("completed")
    FAILED = "failed", _("failed")
    TERMINATED = "terminated", _("terminated")


class ResearchProject(TimeStampedModel):
    """A major or key targeted research project (重大/重点专项) attacking bottlenecks."""

    Programme = ResearchProjectProgramme
    State = ResearchProjectState

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    programme = models.CharField(_("programme"), max_length=16, choices=Programme.choices)
    pole = models.CharField(_("innovation pole"), max_length=16, choices=Pole.choices)
    lead = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="led_projects",
        verbose_name=_("lead organisation"),
    )
    bottlenecks = models.ManyToManyField(
        "projects.Bottleneck",
        blank=True,
        related_name="projects",
        verbose_name=_("addressed bottlenecks"),
    )
    needs = models.ManyToManyField(
        "projects.TechnicalNeed",
        blank=True,
        related_name="projects",
        verbose_name=_("originating needs"),
    )
    start_on = models.DateField(_("start on"), null=True, blank=True)
    end_on = models.DateField(_("end on"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True, editable=False)
    completed_on = models.DateField(_("completed on"), null=True, blank=True, editable=False)
    rectification_used = models.BooleanField(_("rectification used"), default=False, editable=False)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PROPOSED, editable=False
    )

    class Meta:
        verbose_name = _("research project")
        verbose_name_plural = _("research projects")
        ordering = ["-approved_on", "code"]
        permissions = [
            (
                "supervise_researchproject",
                _("Can approve, start, accept, send to rectification, fail and terminate projects"),
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True)
                | Q(start_on__isnull=True)
                | Q(end_on__gte=F("start_on")),
                name="project_end_after_start",
                violation_error_message=_("A project cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(state__in=ResearchProjectState.values), name="project_state_known"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["proposed", "terminated"]) | Q(approved_on__isnull=False),
                name="project_approved_has_date",
                violation_error_message=_("An approved project needs its approval date."),
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True)
                | Q(approved_on__isnull=True)
                | Q(completed_on__gte=F("approved_on")),
                name="project_completed_after_approved",
                violation_error_message=_("A project cannot be completed before it is approved."),
            ),
            models.CheckConstraint(
                condition=~Q(state="completed") | Q(completed_on__isnull=False),
                name="project_completed_has_date",
                violation_error_message=_("A completed project needs its completion date."),
            ),
            models.CheckConstraint(
                condition=Q(state="completed") | Q(completed_on__isnull=True),
                name="project_completed_on_only_when_completed",
                violation_error_message=_("Only a completed project has a completion date."),
            ),
            models.CheckConstraint(
                condition=Q(programme__in=ResearchProjectProgramme.values),
                name="project_programme_known",
            ),
            models.CheckConstraint(condition=Q(pole__in=Pole.values), name="project_pole_known"),
        ]
        indexes = [
            models.Index(fields=["state", "approved_on"], name="project_approval_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ProjectParticipantRole(models.TextChoices):
    LEAD = "lead", _("lead")
    PARTNER = "partner", _("partner")
    USER = "user", _("application partner")


class ProjectParticipant(TimeStampedModel):
    Role = ProjectParticipantRole

    project = models.ForeignKey(
        ResearchProject,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("project"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="project_participations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.PARTNER)

    class Meta:
        verbose_name = _("project participant")
        verbose_name_plural = _("project participants")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organization"],
                name="participant_one_per_project_organization",
                violation_error_message=_("This organisation already takes part in the project."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=ProjectParticipantRole.values), name="participant_role_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"


class FundingAllocationSource(models.TextChoices):
    PUBLIC = "public", _("public funds")
    SELF_RAISED = "self_raised", _("self-raised funds")


class FundingAllocation(TimeStampedModel):
    Source = FundingAllocationSource

    project = models.ForeignKey(
        ResearchProject,
        on_delete=models.CASCADE,
        related_name="funding",
        verbose_name=_("project"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="funding_allocations",
        verbose_name=_("organisation"),
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=16, decimal_places=2, validators=[MinValueValidator(0)]
    )
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        verbose_name = _("funding allocation")
        verbose_name_plural = _("funding allocations")
        ordering = ["project", "year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="funding_amount_not_negative",
                violation_error_message=_("A funding amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(source__in=FundingAllocationSource.values), name="funding_source_known"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="funding_year_plausible"
            ),
            models.UniqueConstraint(
                fields=["project", "organization", "source", "year"],
                name="funding_one_row_per_project_organization_source_year",
            ),
        ]
        indexes = [models.Index(fields=["year", "source"], name="funding_year_source_idx")]

    def __str__(self) -> str:
        return f"{self.organization} {self.year} {self.amount}"
