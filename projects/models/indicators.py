from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class IndicatorRunTrigger(models.TextChoices):
    NIGHTLY = "nightly", _("nightly schedule")
    MANUAL = "manual", _("on demand")
    DATA_CHANGE = "data_change", _("data change")
    COMMAND = "command", _("management command")


class IndicatorRunStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    RUNNING = "running", _("running")
    SUCCEEDED = "succeeded", _("succeeded")
    FAILED = "failed", pgettext_lazy("indicator run status", "failed")


class IndicatorRun(models.Model):
    """One computation of every indicator, for every year and scope."""

    Trigger = IndicatorRunTrigger
    Status = IndicatorRunStatus

    trigger = models.CharField(_("trigger"), max_length=16, choices=IndicatorRunTrigger.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    task_id = models.CharField(_("Celery task id"), max_length=64, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=IndicatorRunStatus.choices,
        default=IndicatorRunStatus.PENDING,
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Written by the computing worker between its steps: a running run whose heartbeat stops
    # lost its worker, and is marked failed within minutes instead of blocking new runs.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("indicator run")
        verbose_name_plural = _("indicator runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="indicator_run_progress_percent"
            ),
            models.CheckConstraint(
                condition=Q(status__in=IndicatorRunStatus.values),
                name="indicator_run_status_known",
            ),
            models.CheckConstraint(
                condition=Q(trigger__in=IndicatorRunTrigger.values),
                name="indicator_run_trigger_known",
            ),
        ]
        indexes = [models.Index(fields=["status", "-finished_at"], name="indicator_run_status_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_trigger_display()} {self.get_status_display()}"


class IndicatorValue(models.Model):
    """One figure of a run: indicator ``code`` for ``year`` in ``scope``.

    ``scope`` is ``city``, ``district:<GB/T 2260 code>`` or ``pole:<pole>``. Shares and
    intensities keep their numerator and denominator so they can be re-aggregated and checked.
    """

    # Indexed by the unique constraint, which starts with the run: a run writes some 6,000
    # values, and each further index slows that write.
    run = models.ForeignKey(
        IndicatorRun,
        on_delete=models.CASCADE,
        related_name="values",
        verbose_name=_("run"),
        db_index=False,
    )
    code = models.CharField(_("indicator"), max_length=48)
    year = models.PositiveSmallIntegerField(_("year"))
    scope = models.CharField(_("scope"), max_length=32)
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=6, null=True)
    numerator = models.DecimalField(_("numerator"), max_digits=24, decimal_places=6, null=True)
    denominator = models.DecimalField(_("denominator"), max_digits=24, decimal_places=6, null=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["code", "year", "scope"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "code", "year", "scope"], name="indicator_value_unique_per_run"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.year} {self.scope} = {self.value}"


class PublishedFigure(models.Model):
    """The figure a manager published for (code, year, scope); stays until republished."""

    code = models.CharField(_("indicator"), max_length=48)
    year = models.PositiveSmallIntegerField(_("year"))
    scope = models.CharField(_("scope"), max_length=32)
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=6, null=True)
    numerator = models.DecimalField(_("numerator"), max_digits=24, decimal_places=6, null=True)
    denominator = models.DecimalField(_("denominator"), max_digits=24, decimal_places=6, null=True)
    run = models.ForeignKey(
        IndicatorRun, on_delete=models.PROTECT, related_name="+", verbose_name=_("from run")
    )
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        verbose_name = _("published figure")
        verbose_name_plural = _("published figures")
        ordering = ["code", "year", "scope"]
        permissions = [("publish_indicators", _("Can publish a year's indicator figures"))]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "year", "scope"], name="published_figure_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.year} {self.scope} = {self.value}"


class IndicatorRevision(models.Model):
    """A later run's figure that differs from the published one."""

    run = models.ForeignKey(
        IndicatorRun, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("run")
    )
    code = models.CharField(_("indicator"), max_length=48)
    year = models.PositiveSmallIntegerField(_("year"))
    scope = models.CharField(_("scope"), max_length=32)
    published_value = models.DecimalField(
        _("published value"), max_digits=24, decimal_places=6, null=True
    )
    new_value = models.DecimalField(_("new value"), max_digits=24, decimal_places=6, null=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("indicator revision")
        verbose_name_plural = _("indicator revisions")
        ordering = ["-created_at", "code", "year", "scope"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "code", "year", "scope"], name="indicator_revision_unique_per_run"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.year} {self.scope}: {self.published_value} → {self.new_value}"
