from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import TimeStampedModel


class YearlyStatistic(TimeStampedModel):
    """City-wide yearly inputs from the statistics bureau, entered by staff."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    gdp = models.DecimalField(
        _("GDP (yuan)"), max_digits=18, decimal_places=2, validators=[MinValueValidator(0)]
    )
    rd_expenditure = models.DecimalField(
        _("R&D expenditure (yuan)"),
        max_digits=18,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    population = models.PositiveIntegerField(_("resident population"))
    invention_patents = models.PositiveIntegerField(_("invention patents in force"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("yearly statistic")
        verbose_name_plural = _("yearly statistics")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(gdp__gt=0),
                name="statistic_gdp_positive",
                violation_error_message=_("GDP must be positive."),
            ),
            models.CheckConstraint(
                condition=Q(rd_expenditure__gte=0),
                name="statistic_rd_not_negative",
                violation_error_message=_("R&D expenditure cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(population__gt=0),
                name="statistic_population_positive",
                violation_error_message=_("The population must be positive."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="statistic_year_plausible"
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)
